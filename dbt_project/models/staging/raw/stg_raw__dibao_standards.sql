with

source as (
    select * from {{ source('raw', 'dibao_standards') }}
),

renamed as (
    select
        source.effective_month,
        source.tier,
        source.monthly_standard,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
