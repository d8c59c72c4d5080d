{#- Every row of `relation` twice: once under its own breakdown (the value of `column`)
    and once under 'total'. Aggregating the result gives each breakdown and the total. -#}
{% macro breakdown_and_total(relation, column) -%}
    select
        {{ relation }}.*,
        {{ relation }}.{{ column }} as breakdown
    from {{ relation }}
    union all
    select
        {{ relation }}.*,
        'total' as breakdown
    from {{ relation }}
{%- endmacro %}
