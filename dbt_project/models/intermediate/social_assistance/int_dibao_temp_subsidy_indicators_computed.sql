-- 低保临时补助 dibao_temp_subsidy_funds (indicators v2 §2): Σ temp_subsidy (empty = 0) over the
-- period's months ÷ 10 000, total and by the household's program.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

households as (
    select * from {{ ref('stg_raw__dibao_households') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

in_period as (
    select
        periods.period,
        bridge.region_code,
        households.program,
        households.temp_subsidy
    from households
    inner join periods on households.month = periods.month
    inner join bridge on households.village_code = bridge.member_code
),

by_breakdown as (
    {{ breakdown_and_total('in_period', 'program') }}
),

aggregated as (
    select
        by_breakdown.period,
        by_breakdown.region_code,
        by_breakdown.breakdown,
        sum(by_breakdown.temp_subsidy) as temp_subsidy_yuan
    from by_breakdown
    group by by_breakdown.period, by_breakdown.region_code, by_breakdown.breakdown
)

{{ indicator_row(
    'aggregated', 'dibao_temp_subsidy_funds',
    "cast(aggregated.temp_subsidy_yuan as double) / 10000"
) }}
