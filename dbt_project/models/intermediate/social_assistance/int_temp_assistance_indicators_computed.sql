-- 临时救助: cases paid in the period, Σ persons, Σ amount ÷ 10 000.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

cases as (
    select * from {{ ref('stg_raw__temp_assistance') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

aggregated as (
    select
        periods.period,
        bridge.region_code,
        count(*) as case_count,
        sum(cases.persons) as persons,
        sum(cases.amount) as amount_yuan
    from cases
    inner join periods
        on cast(date_trunc('month', cases.paid_on) as date) = periods.month
    inner join bridge on cases.village_code = bridge.member_code
    group by periods.period, bridge.region_code
),

indicator_rows as (
    {% set measures = {
        'temp_assist_cases': 'cast(aggregated.case_count as double)',
        'temp_assist_persons': 'cast(aggregated.persons as double)',
        'temp_assist_funds': 'cast(aggregated.amount_yuan as double) / 10000',
    } %}
    {% for indicator, expression in measures.items() %}
        select
            aggregated.period,
            aggregated.region_code,
            '{{ indicator }}' as indicator,
            'total' as breakdown,
            {{ expression }} as unrounded_value,
            cast(null as double) as numerator,
            cast(null as double) as denominator
        from aggregated
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from indicator_rows
