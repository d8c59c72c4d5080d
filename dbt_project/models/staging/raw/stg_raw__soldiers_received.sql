-- Drops name and id_number; the soldier is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'soldiers_received') }}
),

renamed as (
    select
        source.id_number_hash as person_key,
        source.region_code as village_code,
        source.rank_type,
        source.received_on,
        source.placement,
        source.one_off_subsidy,
        source.placed_on,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
