-- THE period dimension, one row per (period, month of that period). Every model that needs
-- to know which months make up a period joins here; nothing else computes periods.
--   month      'YYYY-MM'  one month
--   half_year  'YYYYH1'   months 01-06, 'YYYYH2' months 07-12
--   year       'YYYY'     months 01-12
-- A period is emitted when the data touches at least one of its months (int_months_observed);
-- it then lists ALL its months, with or without data.
with

observed as (
    select * from {{ ref('int_months_observed') }}
),

periods as (
    select distinct
        strftime(observed.month, '%Y-%m') as period,
        'month' as period_kind,
        observed.month as period_start,
        observed.month as last_month
    from observed

    union all

    select distinct
        cast(year(observed.month) as varchar)
        || 'H'
        || cast(case when month(observed.month) <= 6 then 1 else 2 end as varchar) as period,
        'half_year' as period_kind,
        make_date(
            year(observed.month), case when month(observed.month) <= 6 then 1 else 7 end, 1
        ) as period_start,
        make_date(
            year(observed.month), case when month(observed.month) <= 6 then 6 else 12 end, 1
        ) as last_month
    from observed

    union all

    select distinct
        cast(year(observed.month) as varchar) as period,
        'year' as period_kind,
        make_date(year(observed.month), 1, 1) as period_start,
        make_date(year(observed.month), 12, 1) as last_month
    from observed
),

enumerated as (
    select
        periods.period,
        periods.period_kind,
        year(periods.period_start) as period_year,
        periods.period_start,
        last_day(periods.last_month) as period_end,
        periods.last_month,
        cast(unnest(generate_series(
            cast(periods.period_start as timestamp),
            cast(periods.last_month as timestamp),
            interval 1 month
        )) as date) as month
    from periods
)

select
    enumerated.period,
    enumerated.period_kind,
    enumerated.period_year,
    enumerated.month,
    enumerated.period_start,
    enumerated.period_end,
    enumerated.last_month,
    enumerated.month = enumerated.last_month as is_last_month
from enumerated
