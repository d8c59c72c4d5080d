-- For additive indicators (counts and sums) the district equals the sum of its townships
-- (unrounded), except disaster_events (an event may span townships) and
-- dual_benefit_persons (distinct persons). Catches a broken region bridge.
with

indicator_rows as (
    select * from {{ ref('fct_social_assistance_indicators') }}
    union all
    select * from {{ ref('fct_disaster_indicators') }}
    union all
    select * from {{ ref('fct_veteran_indicators') }}
),

regions as (
    select * from {{ ref('dim_regions') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
    where
        value_kind in ('count', 'sum')
        and not district_only
        and indicator not in ('disaster_events', 'dual_benefit_persons')
),

additive as (
    select
        indicator_rows.period,
        indicator_rows.indicator,
        indicator_rows.breakdown,
        regions.region_level,
        indicator_rows.unrounded_value
    from indicator_rows
    inner join catalogue on indicator_rows.indicator = catalogue.indicator
    inner join regions on indicator_rows.region_code = regions.region_code
),

compared as (
    select
        additive.period,
        additive.indicator,
        additive.breakdown,
        sum(additive.unrounded_value) filter (where additive.region_level = 'district')
            as district_value,
        coalesce(
            sum(additive.unrounded_value) filter (where additive.region_level = 'township'), 0
        ) as township_sum
    from additive
    group by additive.period, additive.indicator, additive.breakdown
)

select compared.*
from compared
where abs(compared.district_value - compared.township_sum) > 0.000001
