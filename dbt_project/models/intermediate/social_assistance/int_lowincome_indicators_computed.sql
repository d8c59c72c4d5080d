-- 低收入家庭户数/人口 (total, urban/rural by the village's area) and 疑似漏保户数 (total).
with

assessed as (
    select * from {{ ref('int_lowincome_households_assessed') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

in_region as (
    select
        assessed.period,
        bridge.region_code,
        assessed.area,
        assessed.family_size,
        assessed.is_low_income,
        assessed.is_below_standard,
        assessed.head_on_roster
    from assessed
    inner join bridge on assessed.village_code = bridge.member_code
),

-- every row once under its area's breakdown (urban/rural) and once under 'total'
by_breakdown as (
    select
        in_region.*,
        in_region.area as breakdown
    from in_region
    where in_region.area is not null
    union all
    select
        in_region.*,
        'total' as breakdown
    from in_region
),

aggregated as (
    select
        by_breakdown.period,
        by_breakdown.region_code,
        by_breakdown.breakdown,
        count(*) filter (where by_breakdown.is_low_income) as lowincome_households,
        coalesce(sum(by_breakdown.family_size) filter (where by_breakdown.is_low_income), 0)
            as lowincome_persons,
        count(*) filter (
            where by_breakdown.is_below_standard and not by_breakdown.head_on_roster
        ) as suspected_missed
    from by_breakdown
    group by by_breakdown.period, by_breakdown.region_code, by_breakdown.breakdown
),

indicator_rows as (
    {{ indicator_row(
        'aggregated', 'lowincome_households', "cast(aggregated.lowincome_households as double)"
    ) }}

    union all

    {{ indicator_row('aggregated', 'lowincome_persons', "cast(aggregated.lowincome_persons as double)") }}

    union all

    {{ indicator_row('aggregated', 'dibao_suspected_missed', "cast(aggregated.suspected_missed as double)") }}
    where aggregated.breakdown = 'total'
)

select * from indicator_rows
