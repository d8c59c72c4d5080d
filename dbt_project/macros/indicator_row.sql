{#- One count or sum per row of `relation` in the shape every *_indicators_computed model
    unions: period, region_code, indicator, breakdown, unrounded_value and no numerator or
    denominator (those belong to rates and ratios). `breakdown` defaults to the relation's
    own breakdown column. -#}
{% macro indicator_row(relation, indicator, value, breakdown=none) -%}
    select
        {{ relation }}.period,
        {{ relation }}.region_code,
        '{{ indicator }}' as indicator,
        {{ breakdown if breakdown else relation ~ '.breakdown' }} as breakdown,
        {{ value }} as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from {{ relation }}
{%- endmacro %}
