-- 城乡差距: gap_coverage_pp = urban − rural 低保率 (percentage points; only where both rates
-- exist), gap_subsidy_ratio = urban ÷ rural 月人均补差 (only where both exist). Computed
-- from the unrounded rates.
with

roster_indicators as (
    select * from {{ ref('int_dibao_roster_indicators_computed') }}
),

pivoted as (
    select
        roster_indicators.period,
        roster_indicators.region_code,
        max(roster_indicators.unrounded_value) filter (
            where roster_indicators.indicator = 'dibao_coverage_rate'
            and roster_indicators.breakdown = 'urban'
        ) as urban_coverage,
        max(roster_indicators.unrounded_value) filter (
            where roster_indicators.indicator = 'dibao_coverage_rate'
            and roster_indicators.breakdown = 'rural'
        ) as rural_coverage,
        max(roster_indicators.unrounded_value) filter (
            where roster_indicators.indicator = 'dibao_avg_subsidy'
            and roster_indicators.breakdown = 'urban'
        ) as urban_subsidy,
        max(roster_indicators.unrounded_value) filter (
            where roster_indicators.indicator = 'dibao_avg_subsidy'
            and roster_indicators.breakdown = 'rural'
        ) as rural_subsidy
    from roster_indicators
    group by roster_indicators.period, roster_indicators.region_code
),

indicator_rows as (
    {{ indicator_row(
        'pivoted', 'gap_coverage_pp', "pivoted.urban_coverage - pivoted.rural_coverage", breakdown="'total'"
    ) }}
    where pivoted.urban_coverage is not null and pivoted.rural_coverage is not null

    union all

    select
        pivoted.period,
        pivoted.region_code,
        'gap_subsidy_ratio' as indicator,
        'total' as breakdown,
        case
            when pivoted.rural_subsidy <> 0 then pivoted.urban_subsidy / pivoted.rural_subsidy
        end as unrounded_value,
        pivoted.urban_subsidy as numerator,
        pivoted.rural_subsidy as denominator
    from pivoted
    where pivoted.urban_subsidy is not null and pivoted.rural_subsidy is not null
)

select * from indicator_rows
