-- §4 veterans per (period, reporting region), counted at the person's own roster village:
--   veterans_persons_end    recognised_on <= period end and (ended_on empty or after it),
--                           total and by category
--   veteran_funds           Σ payments of the period's months ÷ 10 000, total and by benefit
--   soldiers_received       received_on in the period, total and by placement
--   soldiers_self_employed_share, soldiers_one_off_subsidy
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

period_ends as (
    select distinct
        periods.period,
        periods.period_end
    from periods
),

veterans as (
    select * from {{ ref('stg_raw__veterans') }}
),

payments as (
    select * from {{ ref('stg_raw__veteran_payments') }}
),

soldiers as (
    select * from {{ ref('stg_raw__soldiers_received') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

persons_end as (
    select
        period_ends.period,
        bridge.region_code,
        case when grouping(veterans.category) = 1 then 'total' else veterans.category end
            as breakdown,
        count(*) as persons
    from veterans
    inner join period_ends
        on
            veterans.recognised_on <= period_ends.period_end
            and (veterans.ended_on is null or veterans.ended_on > period_ends.period_end)
    inner join bridge on veterans.village_code = bridge.member_code
    group by grouping sets (
        (period_ends.period, bridge.region_code, veterans.category),
        (period_ends.period, bridge.region_code)
    )
),

funds as (
    select
        periods.period,
        bridge.region_code,
        case when grouping(payments.benefit) = 1 then 'total' else payments.benefit end
            as breakdown,
        sum(payments.amount) as amount_yuan
    from payments
    inner join periods on payments.month = periods.month
    inner join veterans on payments.person_key = veterans.person_key
    inner join bridge on veterans.village_code = bridge.member_code
    group by grouping sets (
        (periods.period, bridge.region_code, payments.benefit),
        (periods.period, bridge.region_code)
    )
),

received as (
    select
        periods.period,
        bridge.region_code,
        case when grouping(soldiers.placement) = 1 then 'total' else soldiers.placement end
            as breakdown,
        count(*) as soldiers,
        count(*) filter (where soldiers.placement = 'self_employed') as self_employed,
        sum(soldiers.one_off_subsidy) as one_off_subsidy
    from soldiers
    inner join periods
        on cast(date_trunc('month', soldiers.received_on) as date) = periods.month
    inner join bridge on soldiers.village_code = bridge.member_code
    group by grouping sets (
        (periods.period, bridge.region_code, soldiers.placement),
        (periods.period, bridge.region_code)
    )
),

indicator_rows as (
    select
        persons_end.period,
        persons_end.region_code,
        'veterans_persons_end' as indicator,
        persons_end.breakdown,
        cast(persons_end.persons as double) as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from persons_end

    union all

    select
        funds.period,
        funds.region_code,
        'veteran_funds' as indicator,
        funds.breakdown,
        cast(funds.amount_yuan as double) / 10000 as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from funds

    union all

    select
        received.period,
        received.region_code,
        'soldiers_received' as indicator,
        received.breakdown,
        cast(received.soldiers as double) as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from received

    union all

    select
        received.period,
        received.region_code,
        'soldiers_self_employed_share' as indicator,
        received.breakdown,
        case
            when received.soldiers <> 0
                then cast(received.self_employed as double) * 100 / received.soldiers
        end as unrounded_value,
        cast(received.self_employed as double) as numerator,
        cast(received.soldiers as double) as denominator
    from received
    where received.breakdown = 'total'

    union all

    select
        received.period,
        received.region_code,
        'soldiers_one_off_subsidy' as indicator,
        received.breakdown,
        cast(received.one_off_subsidy as double) / 10000 as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from received
    where received.breakdown = 'total'
)

select * from indicator_rows
