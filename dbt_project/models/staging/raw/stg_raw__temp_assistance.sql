-- Drops applicant_id_number; the applicant is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'temp_assistance') }}
),

renamed as (
    select
        source.case_id,
        source.applicant_id_number_hash as applicant_person_key,
        source.region_code as village_code,
        source.paid_on,
        source.reason,
        source.persons,
        source.amount,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
