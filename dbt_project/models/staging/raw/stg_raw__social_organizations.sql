-- Drops the legal representative and the phone; the organisation's name is public.
with

source as (
    select * from {{ source('raw', 'social_organizations') }}
),

renamed as (
    select
        source.credit_code,
        source.org_name,
        source.org_type,
        source.charity,
        source.registered_on,
        source.ended_on,
        source.region_code,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
