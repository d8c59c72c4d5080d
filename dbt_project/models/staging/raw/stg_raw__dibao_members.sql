-- Drops name and id_number; the member is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'dibao_members') }}
),

renamed as (
    select
        source.id_number_hash as person_key,
        source.household_id,
        source.relation,
        source.covered as is_covered,
        ---------- v2: sex from ID digit 17 (even = female), derived before the ID is dropped;
        -- age bands per month are in stg_raw__dibao_members_banded
        cast(substr(source.id_number, 17, 1) as integer) % 2 = 0 as is_female,
        source.disability_grade,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
