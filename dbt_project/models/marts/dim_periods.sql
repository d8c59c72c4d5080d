-- One row per emitted period.
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
        periods.last_month
)

select * from dimension
