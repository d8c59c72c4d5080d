-- Drops id_number; the payee is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'veteran_payments') }}
),

renamed as (
    select
        source.month,
        source.id_number_hash as person_key,
        source.benefit,
        source.amount,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
