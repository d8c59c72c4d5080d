-- THE period dimension, one row per (period, month of that period). Every model that needs
-- to know which months make up a period joins here; nothing else computes periods.
-- The periods come from int_period_spans_enumerated (month, quarter, half_year, year, and
-- the run's range); each lists ALL its months, with or without data.
with

spans as (
    select * from {{ ref('int_period_spans_enumerated') }}
),

enumerated as (
    select
        spans.period,
        spans.period_kind,
        year(spans.period_start) as period_year,
        spans.period_start,
        last_day(spans.last_month) as period_end,
        spans.last_month,
        spans.previous_period,
        spans.last_year_period,
        cast(unnest(generate_series(
            cast(spans.period_start as timestamp),
            cast(spans.last_month as timestamp),
            interval 1 month
        )) as date) as month
    from spans
)

select
    enumerated.period,
    enumerated.period_kind,
    enumerated.period_year,
    enumerated.month,
    enumerated.period_start,
    enumerated.period_end,
    enumerated.last_month,
    enumerated.month = enumerated.last_month as is_last_month,
    enumerated.previous_period,
    enumerated.last_year_period
from enumerated
