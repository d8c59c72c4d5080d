-- The dibao standard in force in each month of the spine, per tier: the row with the latest
-- effective_month <= month. A tier with no such row has no standard that month (no row).
with

spine as (
    select * from {{ ref('int_months_spined') }}
),

standards as (
    select * from {{ ref('stg_raw__dibao_standards') }}
),

in_force as (
    select
        spine.month,
        standards.tier,
        max(standards.effective_month) as effective_month,
        arg_max(standards.monthly_standard, standards.effective_month) as monthly_standard
    from spine
    inner join standards on spine.month >= standards.effective_month
    group by spine.month, standards.tier
)

select * from in_force
