-- §5 目标完成率: for each target of the period's year, the district's (unrounded) value of
-- (indicator, breakdown) over the period ÷ target_value × 100, published with breakdown
-- '<indicator>:<breakdown>'. No row when the district has no such value or the target is 0.
with

targets as (
    select * from {{ ref('stg_raw__targets') }}
),

periods as (
    select * from {{ ref('dim_periods') }}
),

districts as (
    select * from {{ ref('dim_regions') }}
    where region_level = 'district'
),

-- every family's figures (a target may name any indicator of the catalogue: the v2 ones
-- too), all but the completion rates themselves
indicator_values as (
    {{ family_indicator_rows() }}
),

completion as (
    select
        periods.period,
        districts.region_code,
        'target_completion_rate' as indicator,
        targets.indicator || ':' || targets.breakdown as breakdown,
        indicator_values.unrounded_value * 100 / targets.target_value as unrounded_value,
        indicator_values.unrounded_value as numerator,
        cast(targets.target_value as double) as denominator
    from targets
    inner join periods on targets.target_year = periods.period_year
    cross join districts
    inner join indicator_values
        on
            periods.period = indicator_values.period
            and districts.region_code = indicator_values.region_code
            and targets.indicator = indicator_values.indicator
            and targets.breakdown = indicator_values.breakdown
    where targets.target_value <> 0
)

select * from completion
