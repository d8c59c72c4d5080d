-- The periods (one row each) that the data touches, with their first and last months and
-- the codes of the period of the same kind just before (上期) and one year earlier (上年同期,
-- indicators.md §6), whether or not those are emitted themselves. int_periods_enumerated
-- lists their months; nothing else computes periods (ingest/periods.py is the Python twin:
-- same codes, months, previous and last-year periods).
--   month      'YYYY-MM'          one month
--   quarter    'YYYYQ1'..'YYYYQ4' months 01-03 .. 10-12
--   half_year  'YYYYH1'           months 01-06, 'YYYYH2' months 07-12
--   year       'YYYY'             months 01-12
--   range      'YYYY-MM/YYYY-MM'  both months and all between (ISO 8601 interval)
-- A period of the first four kinds is emitted when the data touches at least one of its
-- months (int_months_observed).
-- A range is computed only when it is the period of the run (indicators.md §1): the
-- environment variable CIVSTAT_PERIOD (set by the Dagster dbt asset) names it. The range of
-- the same length just before it and last year's range are emitted with it, for the
-- comparisons, each when the data touches one of its months. CIVSTAT_PERIOD is read inside
-- the model (not through --vars) so that dbt keeps partial parsing.
{%- set run_period = env_var('CIVSTAT_PERIOD', '') | trim | replace("'", "''") %}
with

observed as (
    select * from {{ ref('int_months_observed') }}
),

fixed_spans as (
    select distinct
        'month' as period_kind,
        observed.month as period_start,
        observed.month as last_month
    from observed

    union all

    select distinct
        'quarter' as period_kind,
        cast(date_trunc('quarter', observed.month) as date) as period_start,
        cast(date_trunc('quarter', observed.month) + interval 2 month as date) as last_month
    from observed

    union all

    select distinct
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
        'year' as period_kind,
        make_date(year(observed.month), 1, 1) as period_start,
        make_date(year(observed.month), 12, 1) as last_month
    from observed
),

run_request as (
    select '{{ run_period }}' as period_text
),

run_range as (
    select
        cast(strptime(split_part(run_request.period_text, '/', 1), '%Y-%m') as date)
            as range_start,
        cast(strptime(split_part(run_request.period_text, '/', 2), '%Y-%m') as date)
            as range_last
    from run_request
    where
        regexp_full_match(
            run_request.period_text, '[0-9]{4}-(0[1-9]|1[0-2])/[0-9]{4}-(0[1-9]|1[0-2])'
        )
),

-- the same rules as ingest/periods.py: first <= last, at most 120 months
checked_range as (
    select
        run_range.range_start,
        case
            when run_range.range_last < run_range.range_start
                then error(
                    'CIVSTAT_PERIOD {{ run_period }}: the last month is before the first'
                )
            when date_diff('month', run_range.range_start, run_range.range_last) >= 120
                then error(
                    'CIVSTAT_PERIOD {{ run_period }}: a range spans at most 120 months'
                )
            else run_range.range_last
        end as range_last,
        date_diff('month', run_range.range_start, run_range.range_last) + 1 as month_count
    from run_range
),

range_spans as (
    -- the run's range
    select
        checked_range.range_start as period_start,
        checked_range.range_last as last_month
    from checked_range
    union
    -- the range of the same length ending the month before it
    select
        cast(checked_range.range_start - to_months(checked_range.month_count) as date)
            as period_start,
        cast(checked_range.range_start - interval 1 month as date) as last_month
    from checked_range
    union
    -- the same range one year earlier
    select
        cast(checked_range.range_start - interval 12 month as date) as period_start,
        cast(checked_range.range_last - interval 12 month as date) as last_month
    from checked_range
),

touched_ranges as (
    select
        'range' as period_kind,
        range_spans.period_start,
        range_spans.last_month
    from range_spans
    where exists (
        select 1 from observed
        where observed.month between range_spans.period_start and range_spans.last_month
    )
),

spans as (
    select * from fixed_spans
    union all
    select * from touched_ranges
),

shifted as (
    select
        spans.period_kind,
        spans.period_start,
        spans.last_month,
        cast(
            spans.period_start
            - to_months(date_diff('month', spans.period_start, spans.last_month) + 1) as date
        ) as previous_start,
        cast(spans.period_start - interval 1 month as date) as previous_last,
        cast(spans.period_start - interval 12 month as date) as last_year_start,
        cast(spans.last_month - interval 12 month as date) as last_year_last
    from spans
),

coded as (
    select
        shifted.period_kind,
        {%- for name, first, last in [
            ('period', 'period_start', 'last_month'),
            ('previous_period', 'previous_start', 'previous_last'),
            ('last_year_period', 'last_year_start', 'last_year_last'),
        ] %}
            case shifted.period_kind
                when 'month' then strftime(shifted.{{ first }}, '%Y-%m')
                when 'quarter'
                    then
                        strftime(shifted.{{ first }}, '%Y')
                        || 'Q' || cast(quarter(shifted.{{ first }}) as varchar)
                when 'half_year'
                    then
                        strftime(shifted.{{ first }}, '%Y')
                        || case when month(shifted.{{ first }}) <= 6 then 'H1' else 'H2' end
                when 'year' then strftime(shifted.{{ first }}, '%Y')
                when 'range'
                    then
                        strftime(shifted.{{ first }}, '%Y-%m')
                        || '/' || strftime(shifted.{{ last }}, '%Y-%m')
            end as {{ name }},
        {%- endfor %}
        shifted.period_start,
        shifted.last_month
    from shifted
)

select
    coded.period,
    coded.period_kind,
    coded.period_start,
    coded.last_month,
    coded.previous_period,
    coded.last_year_period
from coded
