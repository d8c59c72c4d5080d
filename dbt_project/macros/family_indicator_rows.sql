{#- Every family's figures (period, region_code, indicator, breakdown, unrounded_value,
    numerator, denominator), one `union all` of the family marts: the one list of them,
    for fct_indicators (which adds the target completion rates) and fct_target_completion
    (a target may name an indicator of any family, indicators.md §5). -#}
{% macro family_indicator_rows() %}
    select * from {{ ref('fct_social_assistance_indicators') }}
    union all
    select * from {{ ref('fct_disaster_indicators') }}
    union all
    select * from {{ ref('fct_veteran_indicators') }}
    union all
    select * from {{ ref('fct_social_affairs_indicators') }}
    union all
    select * from {{ ref('fct_welfare_indicators') }}
    union all
    select * from {{ ref('fct_medical_assistance_indicators') }}
    union all
    select * from {{ ref('fct_findings_indicators') }}
{% endmacro %}
