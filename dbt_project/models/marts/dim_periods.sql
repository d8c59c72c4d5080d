-- One row per emitted period (month, quarter, half_year, year, and the run's range with the
-- ranges it is compared with), with the codes of its previous and last year's period.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

observed as (
    select * from {{ ref('int_months_observed') }}
),

dimension as (
    select
        periods.period,
        periods.period_kind,
        periods.period_year,
        periods.period_start,
        periods.period_end,
        periods.last_month,
        periods.previous_period,
        periods.last_year_period,
        count(*) as month_count,
        count(observed.month) as months_with_data
    from periods
    left join observed on periods.month = observed.month
    group by
        periods.period,
        periods.period_kind,
        periods.period_year,
        periods.period_start,
        periods.period_end,
        periods.last_month,
        periods.previous_period,
        periods.last_year_period
)

select * from dimension
