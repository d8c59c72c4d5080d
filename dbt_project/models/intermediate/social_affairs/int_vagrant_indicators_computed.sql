-- §5a 流浪乞讨人员救助 per (period, reporting region), by the township of the case; cases
-- whose started_on lies in the period.
--   vagrant_assist_cases     total, in_station, outreach
--   vagrant_returned_home    outcome ticket_home or escorted_home: total and each (返乡)
--   vagrant_special_groups   minor, elderly, disabled, mental (no total)
--   vagrant_assist_funds     Σ amount ÷ 10 000
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
    where member_level = 'township'
),

cases as (
    select * from {{ ref('stg_raw__vagrant_assistance') }}
),

in_period as (
    select
        periods.period,
        bridge.region_code,
        cases.mode,
        cases.outcome,
        cases.person_group,
        cases.amount
    from cases
    inner join periods
        on cast(date_trunc('month', cases.started_on) as date) = periods.month
    inner join bridge on cases.township_code = bridge.member_code
),

by_mode as (
    {{ breakdown_and_total('in_period', 'mode') }}
),

returned as (
    select in_period.*
    from in_period
    where in_period.outcome in ('ticket_home', 'escorted_home')
),

returned_by_outcome as (
    {{ breakdown_and_total('returned', 'outcome') }}
),

counted as (
    select
        by_mode.period,
        by_mode.region_code,
        'vagrant_assist_cases' as indicator,
        by_mode.breakdown,
        cast(count(*) as double) as n
    from by_mode
    group by 1, 2, 3, 4

    union all

    select
        returned_by_outcome.period,
        returned_by_outcome.region_code,
        'vagrant_returned_home' as indicator,
        returned_by_outcome.breakdown,
        cast(count(*) as double) as n
    from returned_by_outcome
    group by 1, 2, 3, 4

    union all

    select
        in_period.period,
        in_period.region_code,
        'vagrant_special_groups' as indicator,
        in_period.person_group as breakdown,
        cast(count(*) as double) as n
    from in_period
    where in_period.person_group in ('minor', 'elderly', 'disabled', 'mental')
    group by 1, 2, 3, 4

    union all

    select
        in_period.period,
        in_period.region_code,
        'vagrant_assist_funds' as indicator,
        'total' as breakdown,
        cast(sum(in_period.amount) as double) / 10000 as n
    from in_period
    group by 1, 2, 3, 4
),

indicator_rows as (
    select
        counted.period,
        counted.region_code,
        counted.indicator,
        counted.breakdown,
        counted.n as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from counted
)

select * from indicator_rows
