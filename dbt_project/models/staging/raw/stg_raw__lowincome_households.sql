-- Drops head_id_number; the head is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'lowincome_households') }}
),

renamed as (
    select
        source.household_id,
        source.head_id_number_hash as head_person_key,
        source.region_code as village_code,
        source.family_size,
        source.per_capita_income,
        source.assessed_on,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
