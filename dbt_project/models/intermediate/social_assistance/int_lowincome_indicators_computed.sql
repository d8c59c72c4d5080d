-- 低收入家庭户数/人口 (total, urban/rural by the village's area) and 疑似漏保户数 (total).
with

assessed as (
    select * from {{ ref('int_lowincome_households_assessed') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

aggregated as (
    select
        assessed.period,
        bridge.region_code,
        case when grouping(assessed.area) = 1 then 'total' else assessed.area end
            as breakdown,
        count(*) filter (where assessed.is_low_income) as lowincome_households,
        coalesce(sum(assessed.family_size) filter (where assessed.is_low_income), 0)
            as lowincome_persons,
        count(*) filter (where assessed.is_below_standard and not assessed.head_on_roster)
            as suspected_missed
    from assessed
    inner join bridge on assessed.village_code = bridge.member_code
    group by grouping sets (
        (assessed.period, bridge.region_code, assessed.area),
        (assessed.period, bridge.region_code)
    )
),

indicator_rows as (
    select
        aggregated.period,
        aggregated.region_code,
        'lowincome_households' as indicator,
        aggregated.breakdown,
        cast(aggregated.lowincome_households as double) as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from aggregated
    where aggregated.breakdown is not null

    union all

    select
        aggregated.period,
        aggregated.region_code,
        'lowincome_persons' as indicator,
        aggregated.breakdown,
        cast(aggregated.lowincome_persons as double) as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from aggregated
    where aggregated.breakdown is not null

    union all

    select
        aggregated.period,
        aggregated.region_code,
        'dibao_suspected_missed' as indicator,
        aggregated.breakdown,
        cast(aggregated.suspected_missed as double) as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from aggregated
    where aggregated.breakdown = 'total'
)

select * from indicator_rows
