-- Every count/sum row computed by an intermediate model lands on a published slot: nothing
-- observed is silently dropped by the 0-filling of fct_* (e.g. an unlisted breakdown).
with

observed as (
    {% set relations = [
        'int_dibao_roster_indicators_computed',
        'int_dibao_change_indicators_computed',
        'int_lowincome_indicators_computed',
        'int_tekun_indicators_computed',
        'int_temp_assistance_indicators_computed',
        'int_disaster_indicators_computed',
        'int_veteran_indicators_computed',
    ] %}
    {% for relation in relations %}
        select
            observed_rows.period,
            observed_rows.region_code,
            observed_rows.indicator,
            observed_rows.breakdown
        from {{ ref(relation) }} as observed_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
    where value_kind in ('count', 'sum')
),

slots as (
    select * from {{ ref('int_indicator_slots_enumerated') }}
)

select observed.*
from observed
inner join catalogue on observed.indicator = catalogue.indicator
left join slots
    on
        observed.period = slots.period
        and observed.region_code = slots.region_code
        and observed.indicator = slots.indicator
        and observed.breakdown = slots.breakdown
where slots.indicator is null
