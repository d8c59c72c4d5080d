-- §5c findings, unrounded: paid_after_death_persons (distinct persons) and _funds (÷ 10 000)
-- by program, and medical_beneficiary_unmatched (settlements) by beneficiary, each region by
-- the paying (settling) row's village. The child program is published for the district
-- only (as child welfare is): a township's rows leave child payments out, its total too.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

after_death as (
    select * from {{ ref('int_payments_after_death_found') }}
),

unmatched as (
    select * from {{ ref('int_medical_beneficiaries_unmatched') }}
),

paid_in_period as (
    select
        periods.period,
        bridge.region_code,
        after_death.program,
        after_death.person_key,
        after_death.amount
    from after_death
    inner join periods on after_death.month = periods.month
    inner join bridge on after_death.village_code = bridge.member_code
    where after_death.program <> 'child' or bridge.region_level = 'district'
),

paid_by_breakdown as (
    {{ breakdown_and_total('paid_in_period', 'program') }}
),

paid_aggregated as (
    select
        paid_by_breakdown.period,
        paid_by_breakdown.region_code,
        paid_by_breakdown.breakdown,
        count(distinct paid_by_breakdown.person_key) as persons,
        sum(paid_by_breakdown.amount) as amount_yuan
    from paid_by_breakdown
    group by
        paid_by_breakdown.period, paid_by_breakdown.region_code, paid_by_breakdown.breakdown
),

settlement_periods as (
    select distinct
        periods.period,
        periods.period_start,
        periods.period_end
    from periods
),

unmatched_in_period as (
    select
        settlement_periods.period,
        bridge.region_code,
        unmatched.beneficiary,
        unmatched.settlement_id
    from unmatched
    inner join settlement_periods
        on
            unmatched.settled_on between settlement_periods.period_start
            and settlement_periods.period_end
    inner join bridge on unmatched.village_code = bridge.member_code
),

unmatched_by_breakdown as (
    {{ breakdown_and_total('unmatched_in_period', 'beneficiary') }}
),

unmatched_aggregated as (
    select
        unmatched_by_breakdown.period,
        unmatched_by_breakdown.region_code,
        unmatched_by_breakdown.breakdown,
        count(*) as cases
    from unmatched_by_breakdown
    group by
        unmatched_by_breakdown.period,
        unmatched_by_breakdown.region_code,
        unmatched_by_breakdown.breakdown
),

indicator_rows as (
    {{ indicator_row('paid_aggregated', 'paid_after_death_persons',
        "cast(paid_aggregated.persons as double)") }}

    union all

    {{ indicator_row('paid_aggregated', 'paid_after_death_funds',
        "paid_aggregated.amount_yuan / 10000") }}

    union all

    {{ indicator_row('unmatched_aggregated', 'medical_beneficiary_unmatched',
        "cast(unmatched_aggregated.cases as double)") }}
)

select * from indicator_rows
