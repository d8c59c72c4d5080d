-- Drops name and id_number; the deceased is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'deaths') }}
),

renamed as (
    select
        source.id_number_hash as person_key,
        source.region_code as village_code,
        source.died_on,
        source.origin,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
