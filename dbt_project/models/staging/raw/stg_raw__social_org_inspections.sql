with

source as (
    select * from {{ source('raw', 'social_org_inspections') }}
),

renamed as (
    select
        source.credit_code,
        source.year as inspected_year,
        source.conclusion,
        source.concluded_on,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
