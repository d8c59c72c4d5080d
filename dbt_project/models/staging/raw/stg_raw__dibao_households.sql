-- Drops head_name, head_id_number and bank_account; the head is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'dibao_households') }}
),

renamed as (
    select
        ---------- ids
        source.month,
        source.household_id,
        source.head_id_number_hash as head_person_key,
        source.region_code as village_code,
        ---------- attributes
        source.program,
        ---------- measures
        source.family_size,
        source.covered_persons,
        source.per_capita_income,
        source.monthly_amount,
        coalesce(source.temp_subsidy, 0) as temp_subsidy,
        ---------- lineage
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
