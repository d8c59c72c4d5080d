-- THE published mart: one row per (period, region_code, indicator, breakdown).
-- value is rounded half-up (away from zero) to 2 decimals; counts are whole numbers already.
-- numerator and denominator are unrounded and only set for rates and ratios.
with

indicator_rows as (
    {{ family_indicator_rows() }}
    union all
    select * from {{ ref('fct_target_completion') }}
),

periods as (
    select * from {{ ref('dim_periods') }}
),

regions as (
    select * from {{ ref('dim_regions') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

published as (
    select
        indicator_rows.period,
        periods.period_kind,
        indicator_rows.region_code,
        regions.region_name,
        regions.region_level,
        indicator_rows.indicator,
        catalogue.indicator_name,
        catalogue.domain,
        indicator_rows.breakdown,
        cast({{ round_half_up('indicator_rows.unrounded_value', 2) }} as decimal(38, 2))
            as value,
        catalogue.unit,
        cast(indicator_rows.numerator as double) as numerator,
        cast(indicator_rows.denominator as double) as denominator
    from indicator_rows
    inner join periods on indicator_rows.period = periods.period
    inner join regions on indicator_rows.region_code = regions.region_code
    inner join catalogue on indicator_rows.indicator = catalogue.indicator
)

select * from published
