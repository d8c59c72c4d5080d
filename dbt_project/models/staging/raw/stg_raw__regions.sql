with

source as (
    select * from {{ source('raw', 'regions') }}
),

renamed as (
    select
        ---------- ids
        source.region_code,
        source.parent_code,
        ---------- attributes
        source.region_name,
        source.level as region_level,
        source.urban_rural_code,
        ---------- measures
        source.resident_population,
        source.registered_population,
        ---------- lineage
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
