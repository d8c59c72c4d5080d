{#- Assemble a domain's indicator rows from the long, unrounded rows of its intermediate
    models (columns period, region_code, indicator, breakdown, unrounded_value, numerator,
    denominator):
      * count/sum indicators: one row per slot (int_indicator_slots_enumerated), 0 when
        nothing was observed; numerator/denominator NULL;
      * every other kind (rate, ratio, standard, difference): the observed row, dropped when
        it has no value or a 0 denominator (never 0, never infinity). -#}
{% macro assemble_indicators(domain, relations) %}
with

observed as (
    {% for relation in relations %}
        select
            observed_rows.period,
            observed_rows.region_code,
            observed_rows.indicator,
            observed_rows.breakdown,
            observed_rows.unrounded_value,
            observed_rows.numerator,
            observed_rows.denominator
        from {{ ref(relation) }} as observed_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
    where domain = '{{ domain }}'
),

slots as (
    select * from {{ ref('int_indicator_slots_enumerated') }}
    where domain = '{{ domain }}'
),

additive as (
    select
        slots.period,
        slots.region_code,
        slots.indicator,
        slots.breakdown,
        coalesce(observed.unrounded_value, 0) as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from slots
    left join observed
        on
            slots.period = observed.period
            and slots.region_code = observed.region_code
            and slots.indicator = observed.indicator
            and slots.breakdown = observed.breakdown
),

non_additive as (
    select
        observed.period,
        observed.region_code,
        observed.indicator,
        observed.breakdown,
        observed.unrounded_value,
        observed.numerator,
        observed.denominator
    from observed
    inner join catalogue on observed.indicator = catalogue.indicator
    where
        catalogue.value_kind not in ('count', 'sum')
        and observed.unrounded_value is not null
        and coalesce(observed.denominator, 1) <> 0
)

select * from additive
union all
select * from non_additive
{% endmacro %}
