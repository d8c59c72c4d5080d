with

source as (
    select * from {{ source('raw', 'targets') }}
),

renamed as (
    select
        source.year as target_year,
        source.indicator,
        coalesce(nullif(trim(source.breakdown), ''), 'total') as breakdown,
        source.target_value,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
