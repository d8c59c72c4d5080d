-- Drops id_number; the deceased (when identified) by the keyed hash. An empty region is a
-- person from outside the district; an empty fee waiver is 0.
with

source as (
    select * from {{ source('raw', 'cremations') }}
),

renamed as (
    select
        source.cremation_id,
        source.id_number_hash as person_key,
        source.region_code as village_code,
        source.died_on,
        source.cremated_on,
        coalesce(source.fee_waiver, 0) as fee_waiver,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
