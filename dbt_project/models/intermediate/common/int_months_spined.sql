-- The month spine: every month of every emitted period, with its previous month (which may
-- lie outside the period, e.g. the December before an H1).
with

period_months as (
    select distinct periods.month
    from {{ ref('int_periods_enumerated') }} as periods
),

spined as (
    select
        period_months.month,
        cast(period_months.month - interval 1 month as date) as previous_month,
        last_day(period_months.month) as month_end
    from period_months
)

select * from spined
