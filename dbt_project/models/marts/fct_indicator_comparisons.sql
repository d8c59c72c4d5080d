-- 上期/环比/同比 (indicators.md §6): every row of fct_indicators beside the same
-- (region_code, indicator, breakdown) of its previous period (the period of the same kind
-- just before) and of last year's same period, from the same run's data.
--   change_pct = (value - previous_value) / previous_value * 100    环比
--   yoy_pct    = (value - last_year_value) / last_year_value * 100  同比
-- from the published (rounded) values, so a reader can redo them from the CSV; rounded
-- half-up to 2 decimals; null where the earlier value is missing or 0. previous_period and
-- last_year_period are always named, even when that period has no row.
-- An earlier period counts only when the data covers every one of its months
-- (dim_periods.months_with_data = month_count): the inbox's history often starts with the
-- single month before the first reported one, and a half-year seen through one month is
-- not a base for 环比 (reading of indicators.md §6 "missing").
with

-- read twice (the comparable periods, every row); `not materialized`: DuckDB otherwise
-- copies the whole mart aside first (2.97 → 1.80 s for this query at the bench's v2
-- province, docs/benchmarks.md "Issue 18, ninth round")
indicators as not materialized (
    select * from {{ ref('fct_indicators') }}
),

periods as (
    select * from {{ ref('dim_periods') }}
),

comparable as (
    select indicators.*
    from indicators
    inner join periods on indicators.period = periods.period
    where periods.months_with_data = periods.month_count
),

compared as (
    select
        indicators.period,
        indicators.region_code,
        indicators.indicator,
        indicators.breakdown,
        indicators.value,
        periods.previous_period,
        previous.value as previous_value,
        periods.last_year_period,
        last_year.value as last_year_value
    from indicators
    left join periods on indicators.period = periods.period
    left join comparable as previous
        on
            periods.previous_period = previous.period
            and indicators.region_code = previous.region_code
            and indicators.indicator = previous.indicator
            and indicators.breakdown = previous.breakdown
    left join comparable as last_year
        on
            periods.last_year_period = last_year.period
            and indicators.region_code = last_year.region_code
            and indicators.indicator = last_year.indicator
            and indicators.breakdown = last_year.breakdown
)

select
    compared.period,
    compared.region_code,
    compared.indicator,
    compared.breakdown,
    compared.value,
    compared.previous_period,
    compared.previous_value,
    case
        when compared.previous_value <> 0
            then cast({{ round_half_up(
                '(compared.value - compared.previous_value) * 100 / compared.previous_value', 2
            ) }} as decimal(38, 2))
    end as change_pct,
    compared.last_year_period,
    compared.last_year_value,
    case
        when compared.last_year_value <> 0
            then cast({{ round_half_up(
                '(compared.value - compared.last_year_value) * 100 / compared.last_year_value', 2
            ) }} as decimal(38, 2))
    end as yoy_pct
from compared
