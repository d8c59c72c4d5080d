-- §4 veterans per (period, reporting region), counted at the person's own roster village:
--   veterans_persons_end    recognised_on <= period end and (ended_on empty or after it),
--                           total and by category
--   veteran_funds           Σ payments of the period's months ÷ 10 000, total and by benefit
--   soldiers_received       received_on in the period, total, by placement and (v2) rank
--   soldiers_placed         (v2) placed_on in the period, total and by placement
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

-- the counts and sums are made per village first and then summed up the region tree: each
-- is a count of rows or a DECIMAL(18,2) sum, so the same digits (a row per payment, period
-- and region was the model's time at the bench's v2 province)
veterans_by_village as (
    select
        period_ends.period,
        veterans.village_code,
        veterans.category,
        count(*) as persons
    from veterans
    inner join period_ends
        on
            veterans.recognised_on <= period_ends.period_end
            and (veterans.ended_on is null or veterans.ended_on > period_ends.period_end)
    group by period_ends.period, veterans.village_code, veterans.category
),

-- each CTE below lists every row once under its own breakdown and once under 'total'
veterans_in_force as (
    select
        veterans_by_village.period,
        bridge.region_code,
        veterans_by_village.category,
        veterans_by_village.persons
    from veterans_by_village
    inner join bridge on veterans_by_village.village_code = bridge.member_code
),

veterans_by_breakdown as (
    {{ breakdown_and_total('veterans_in_force', 'category') }}
),

persons_end as (
    select
        veterans_by_breakdown.period,
        veterans_by_breakdown.region_code,
        veterans_by_breakdown.breakdown,
        sum(veterans_by_breakdown.persons) as persons
    from veterans_by_breakdown
    group by
        veterans_by_breakdown.period,
        veterans_by_breakdown.region_code,
        veterans_by_breakdown.breakdown
),

payments_by_village as (
    select
        payments.month,
        veterans.village_code,
        payments.benefit,
        sum(payments.amount) as amount
    from payments
    inner join veterans on payments.person_key = veterans.person_key
    group by payments.month, veterans.village_code, payments.benefit
),

payments_in_period as (
    select
        periods.period,
        bridge.region_code,
        payments_by_village.benefit,
        payments_by_village.amount
    from payments_by_village
    inner join periods on payments_by_village.month = periods.month
    inner join bridge on payments_by_village.village_code = bridge.member_code
),

payments_by_breakdown as (
    {{ breakdown_and_total('payments_in_period', 'benefit') }}
),

funds as (
    select
        payments_by_breakdown.period,
        payments_by_breakdown.region_code,
        payments_by_breakdown.breakdown,
        sum(payments_by_breakdown.amount) as amount_yuan
    from payments_by_breakdown
    group by
        payments_by_breakdown.period,
        payments_by_breakdown.region_code,
        payments_by_breakdown.breakdown
),

soldiers_in_period as (
    select
        periods.period,
        bridge.region_code,
        soldiers.placement,
        soldiers.rank_type,
        soldiers.one_off_subsidy
    from soldiers
    inner join periods
        on cast(date_trunc('month', soldiers.received_on) as date) = periods.month
    inner join bridge on soldiers.village_code = bridge.member_code
),

-- (v2) and once more under its rank_type (conscript, nco)
soldiers_by_breakdown as (
    {{ breakdown_and_total('soldiers_in_period', 'placement') }}
    union all
    select
        soldiers_in_period.*,
        soldiers_in_period.rank_type as breakdown
    from soldiers_in_period
),

received as (
    select
        soldiers_by_breakdown.period,
        soldiers_by_breakdown.region_code,
        soldiers_by_breakdown.breakdown,
        count(*) as soldiers,
        count(*) filter (where soldiers_by_breakdown.placement = 'self_employed')
            as self_employed,
        sum(soldiers_by_breakdown.one_off_subsidy) as one_off_subsidy
    from soldiers_by_breakdown
    group by
        soldiers_by_breakdown.period,
        soldiers_by_breakdown.region_code,
        soldiers_by_breakdown.breakdown
),

-- v2 完成安置: placed_on in the period, by placement; a `pending` row cannot be placed (its
-- placed_on is empty by the contract) and is never counted
placed_in_period as (
    select
        periods.period,
        bridge.region_code,
        soldiers.placement
    from soldiers
    inner join periods
        on cast(date_trunc('month', soldiers.placed_on) as date) = periods.month
    inner join bridge on soldiers.village_code = bridge.member_code
    where soldiers.placement <> 'pending'
),

placed_by_breakdown as (
    {{ breakdown_and_total('placed_in_period', 'placement') }}
),

placed as (
    select
        placed_by_breakdown.period,
        placed_by_breakdown.region_code,
        placed_by_breakdown.breakdown,
        count(*) as soldiers
    from placed_by_breakdown
    group by
        placed_by_breakdown.period,
        placed_by_breakdown.region_code,
        placed_by_breakdown.breakdown
),

indicator_rows as (
    {{ indicator_row('persons_end', 'veterans_persons_end', "cast(persons_end.persons as double)") }}

    union all

    {{ indicator_row('funds', 'veteran_funds', "cast(funds.amount_yuan as double) / 10000") }}

    union all

    {{ indicator_row('received', 'soldiers_received', "cast(received.soldiers as double)") }}

    union all

    {{ indicator_row('placed', 'soldiers_placed', "cast(placed.soldiers as double)") }}

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

    {{ indicator_row(
        'received', 'soldiers_one_off_subsidy', "cast(received.one_off_subsidy as double) / 10000"
    ) }}
    where received.breakdown = 'total'
)

select * from indicator_rows
