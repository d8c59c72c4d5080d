with

source as (
    select * from {{ source('raw', 'disaster_relief') }}
),

renamed as (
    select
        source.relief_id,
        source.event_id,
        source.region_code as township_code,
        source.paid_at,
        source.persons,
        source.funds,
        source.quilts,
        source.clothes,
        source.grain_kg,
        coalesce(source.relief_type, 'emergency') as relief_type,
        source.households,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
