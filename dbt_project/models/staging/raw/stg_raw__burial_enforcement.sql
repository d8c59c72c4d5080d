with

source as (
    select * from {{ source('raw', 'burial_enforcement') }}
),

renamed as (
    select
        source.case_id,
        source.region_code as village_code,
        source.found_on,
        source.violation,
        source.action,
        source.fine,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
