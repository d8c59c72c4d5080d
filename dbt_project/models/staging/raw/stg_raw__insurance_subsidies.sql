-- Drops id_number; the person is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'insurance_subsidies') }}
),

renamed as (
    select
        source.year,
        source.id_number_hash as person_key,
        source.region_code as village_code,
        source.beneficiary,
        source.amount,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
