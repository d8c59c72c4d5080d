with

source as (
    select * from {{ source('raw', 'community_committees') }}
),

renamed as (
    select
        source.region_code as village_code,
        source.term,
        source.elected_on,
        source.reelection,
        source.members,
        source.members_female,
        source.supervision,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
