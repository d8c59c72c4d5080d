-- 低保标准 (city/town/rural) and 城乡标准比 (city ÷ rural), both the standards in force in the
-- period's last month, district rows only. A tier with no standard in force has no row.
with

periods as (
    select distinct
        periods.period,
        periods.last_month
    from {{ ref('int_periods_enumerated') }} as periods
),

standards as (
    select * from {{ ref('int_dibao_standards_in_force') }}
),

districts as (
    select * from {{ ref('int_regions_classified') }}
    where region_level = 'district'
),

last_month_standards as (
    select
        periods.period,
        standards.tier,
        cast(standards.monthly_standard as double) as monthly_standard
    from periods
    inner join standards on periods.last_month = standards.month
),

ratios as (
    select
        city.period,
        city.monthly_standard as city_standard,
        rural.monthly_standard as rural_standard
    from last_month_standards as city
    inner join last_month_standards as rural
        on
            city.period = rural.period
            and rural.tier = 'rural'
    where city.tier = 'city'
),

indicator_rows as (
    select
        last_month_standards.period,
        districts.region_code,
        'dibao_standard' as indicator,
        last_month_standards.tier as breakdown,
        last_month_standards.monthly_standard as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from last_month_standards
    cross join districts

    union all

    select
        ratios.period,
        districts.region_code,
        'gap_standard_ratio' as indicator,
        'total' as breakdown,
        case
            when ratios.rural_standard <> 0 then ratios.city_standard / ratios.rural_standard
        end as unrounded_value,
        ratios.city_standard as numerator,
        ratios.rural_standard as denominator
    from ratios
    cross join districts
)

select * from indicator_rows
