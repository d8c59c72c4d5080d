-- Drops id_number. An empty group with an ID is derived before it goes (data contract v2):
-- minor (< 18) or elderly (>= 60) by the age on started_on, else other; empty without an ID
-- stays empty.
with

source as (
    select * from {{ source('raw', 'vagrant_assistance') }}
),

renamed as (
    select
        source.case_id,
        source.id_number_hash as person_key,
        source.region_code as township_code,
        source.started_on,
        source.ended_on,
        source.mode,
        source.outcome,
        coalesce(
            source."group",
            case
                when source.id_number is null then null
                when {{ age_on(birth_date_of('source.id_number'), 'source.started_on') }} < 18 then 'minor'
                when {{ age_on(birth_date_of('source.id_number'), 'source.started_on') }} >= 60
                    then 'elderly'
                else 'other'
            end
        ) as person_group,
        coalesce(source.amount, 0) as amount,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
