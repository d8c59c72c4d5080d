-- Drops name and child_id (an ID number or an institution's case number): the child is
-- identified by the keyed hash of child_id; person_key is that hash only where child_id is
-- an ID number (has_id), so that it matches other registers' person keys.
with

source as (
    select * from {{ source('raw', 'child_welfare_payments') }}
),

renamed as (
    select
        source.month,
        source.child_id_hash as child_key,
        case when source.has_id then source.child_id_hash end as person_key,
        source.has_id,
        source.region_code as village_code,
        source.category,
        source.care_type,
        source.in_school,
        source.amount,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
