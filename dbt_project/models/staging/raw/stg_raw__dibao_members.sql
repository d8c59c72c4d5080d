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
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
