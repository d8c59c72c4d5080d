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

-- summed per roster month, village and program first, then up the region tree (DECIMAL
-- sums: the same digits; a row per household, period and region was 233 M rows at the
-- bench's v2 province)
village_months as (
    select
        households.month,
        households.village_code,
        households.program,
        sum(households.temp_subsidy) as temp_subsidy
    from households
    group by households.month, households.village_code, households.program
),

in_period as (
    select
        periods.period,
        bridge.region_code,
        village_months.program,
        village_months.temp_subsidy
    from village_months
    inner join periods on village_months.month = periods.month
    inner join bridge on village_months.village_code = bridge.member_code
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
