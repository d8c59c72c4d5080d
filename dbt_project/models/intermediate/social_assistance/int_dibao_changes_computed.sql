-- Dynamic management: for every month m of the spine, compare m's roster with m-1's.
--   new      in m, not in m-1      (counted at its m row: region, program, covered_persons)
--   exited   in m-1, not in m      (counted at its m-1 row)
--   raised   in both, monthly_amount higher in m   (counted at its m row)
--   lowered  in both, monthly_amount lower in m    (counted at its m row)
-- m-1 may lie before the period. Where m-1 has no roster at all, m adds nothing.
-- Where m has no roster but m-1 has one, every m-1 household has exited (read literally).
--
-- Incremental by month: each compared month m carries the fingerprint of m-1's and m's
-- roster (macro dibao_change_month_fingerprints); a run builds only the months whose
-- fingerprint changed (an added month builds that month alone, 1.9-2.4 -> 0.19 s at the
-- bench's v2 province: docs/benchmarks.md "Issue 18, eighteenth round"), and the post-hook
-- drops the rows of months no longer compared or rebuilt. The pre-hook gives a table built
-- whole by an older civstat its fingerprint column (null: every month is rebuilt).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month',
        on_schema_change='sync_all_columns',
        pre_hook="{% if is_incremental() %}alter table {{ this }}
            add column if not exists months_fingerprint ubigint{% endif %}",
        post_hook="delete from {{ this }} as built where not exists (
            select 1 from ({{ dibao_change_month_fingerprints() }}) as compared
            where compared.month = built.month
            and compared.months_fingerprint = built.months_fingerprint)",
    )
}}

with

-- read three times; `not materialized`: DuckDB otherwise copies the whole monthly roster
-- aside first (1.97 → 1.59 s for this query at the bench's v2 province)
households as not materialized (
    select * from {{ ref('int_dibao_households_monthly') }}
),

compared_months as (
    {{ dibao_change_month_fingerprints() }}
),

comparable_months as (
    {{ months_not_built('compared_months', 'months_fingerprint') }}
),

current_rows as (
    select
        comparable_months.month,
        households.household_id,
        households.village_code,
        households.program,
        households.covered_persons,
        households.monthly_amount
    from comparable_months
    inner join households on comparable_months.month = households.month
),

previous_rows as (
    select
        comparable_months.month,
        households.household_id,
        households.village_code,
        households.program,
        households.covered_persons,
        households.monthly_amount
    from comparable_months
    inner join households on comparable_months.previous_month = households.month
),

compared as (
    select
        coalesce(current_rows.month, previous_rows.month) as month,
        coalesce(current_rows.household_id, previous_rows.household_id) as household_id,
        case
            when previous_rows.household_id is null then 'new'
            when current_rows.household_id is null then 'exited'
            when current_rows.monthly_amount > previous_rows.monthly_amount then 'raised'
            when current_rows.monthly_amount < previous_rows.monthly_amount then 'lowered'
        end as change_type,
        coalesce(current_rows.village_code, previous_rows.village_code) as village_code,
        coalesce(current_rows.program, previous_rows.program) as program,
        coalesce(current_rows.covered_persons, previous_rows.covered_persons)
            as covered_persons,
        previous_rows.monthly_amount as previous_amount,
        current_rows.monthly_amount as current_amount
    from current_rows
    full outer join previous_rows
        on
            current_rows.month = previous_rows.month
            and current_rows.household_id = previous_rows.household_id
)

select
    compared.*,
    comparable_months.months_fingerprint
from compared
inner join comparable_months on compared.month = comparable_months.month
where compared.change_type is not null
