-- The dibao roster, one row per (month, household), with the village's area class and the
-- household's applicable standard in that month (tier rule of the data contract: program
-- urban in a city village -> city, urban in a town village -> town, everything else -> rural,
-- a village without class included: the rule table ingest writes has a row for it).
--
-- Incremental by month: each month carries a fingerprint of everything its rows are made of
-- (its roster rows by file and row, the standards in force that month, the villages' area
-- classes and the tier rules). A run rebuilds only the months whose fingerprint changed
-- (an added month, a replaced file) and drops months that have no roster any more.
-- Each row's parts are hashed together, that hash hashed again, and the rows' hashes summed
-- (issue 18's eighteenth round). XOR-ing them cancelled structurally: DuckDB's hash(a, b) is
-- f(hash(a)) xor hash(b), so over an even number of rows of one file the file's hash dropped
-- out, and two rows hashing alike (two sheets of one workbook share row numbers) cancelled
-- each other: a file re-sent with corrections in the same shape left the month unbuilt.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='month',
        on_schema_change='sync_all_columns',
        post_hook="delete from {{ this }} where month not in
            (select distinct month from {{ ref('stg_raw__dibao_households') }})",
    )
}}

with

-- read twice (the fingerprints, the rows); `not materialized`: DuckDB otherwise writes the
-- whole roster aside first (772 MB at the bench's v2 province), which cost 7–9 s of the
-- 8 s this model took for an added month there (docs/benchmarks.md "Issue 18, ninth round")
households as not materialized (
    select * from {{ ref('stg_raw__dibao_households') }}
),

villages as (
    select * from {{ ref('int_regions_classified') }}
    where region_level = 'village'
),

tier_rules as (
    select * from {{ source('raw', 'dibao_tier_rules') }}
),

standards as (
    select * from {{ ref('int_dibao_standards_in_force') }}
),

lookups as (
    select
        hash(
            (
                select sum(hash(hash(villages.region_code, villages.area_class, villages.area)))
                from villages
            ),
            (
                select
                    sum(
                        hash(hash(tier_rules.program, tier_rules.area_class, tier_rules.tier))
                    )
                from tier_rules
            )
        ) as lookups_hash
),

rows_by_month as (
    select
        households.month,
        count(*) as row_count,
        sum(hash(hash(households.source_file_sha256, households.source_row_number)))
            as rows_hash
    from households
    group by households.month
),

standards_by_month as (
    select
        standards.month,
        sum(hash(hash(standards.tier, standards.monthly_standard))) as standards_hash
    from standards
    group by standards.month
),

month_fingerprints as (
    select
        rows_by_month.month,
        hash(
            rows_by_month.row_count,
            rows_by_month.rows_hash,
            standards_by_month.standards_hash,
            (select lookups.lookups_hash from lookups)
        ) as month_fingerprint
    from rows_by_month
    left join standards_by_month on rows_by_month.month = standards_by_month.month
),

months_to_build as (
    {{ months_not_built('month_fingerprints', 'month_fingerprint') }}
),

with_tier as (
    select
        households.month,
        households.household_id,
        households.head_person_key,
        households.village_code,
        households.program,
        villages.area_class,
        villages.area,
        tier_rules.tier,
        households.family_size,
        households.covered_persons,
        households.per_capita_income,
        households.monthly_amount,
        months_to_build.month_fingerprint
    from households
    inner join months_to_build on households.month = months_to_build.month
    left join villages on households.village_code = villages.region_code
    left join tier_rules
        on
            households.program = tier_rules.program
            and villages.area_class is not distinct from tier_rules.area_class
)

select
    with_tier.*,
    standards.monthly_standard as applicable_standard
from with_tier
left join standards
    on
        with_tier.month = standards.month
        and with_tier.tier = standards.tier
