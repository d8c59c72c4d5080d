-- The dibao standard in force in each month of the spine, per tier: the row with the latest
-- effective_month <= month (the raw view ingest writes, ingest/warehouse.py, holds that rule
-- as each standard's span [effective_month, until_month)). A tier with no such row has no
-- standard that month (no row).
with

spine as (
    select * from {{ ref('int_months_spined') }}
),

spans as (
    select * from {{ source('raw', 'dibao_standard_in_force') }}
),

in_force as (
    select
        spine.month,
        spans.tier,
        spans.effective_month,
        spans.monthly_standard
    from spine
    inner join spans
        on
            spine.month >= spans.effective_month
            and spine.month < spans.until_month
)

select * from in_force
