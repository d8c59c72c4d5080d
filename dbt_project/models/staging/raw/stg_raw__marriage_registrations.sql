-- Drops both parties' ID numbers (and any certificate number: extra columns stay raw).
-- Derived before they go, for domestic parties only: each party's age band on done_on
-- (20_24 … 40_plus, indicators v2 §5a marriage_party_ages).
with

source as (
    select * from {{ source('raw', 'marriage_registrations') }}
),

aged as (
    select
        source.*,
        case
            when source.party_type = 'domestic' and source.man_id_number is not null
                then {{ age_on(birth_date_of('source.man_id_number'), 'source.done_on') }}
        end as man_age,
        case
            when source.party_type = 'domestic' and source.woman_id_number is not null
                then {{ age_on(birth_date_of('source.woman_id_number'), 'source.done_on') }}
        end as woman_age
    from source
),

renamed as (
    select
        aged.record_id,
        aged.business,
        aged.done_on,
        aged.office_code,
        aged.party_type,
        {{ marriage_age_band('aged.man_age') }} as man_age_band,
        {{ marriage_age_band('aged.woman_age') }} as woman_age_band,
        aged.man_prior,
        aged.woman_prior,
        aged.review,
        aged._file_sha256 as source_file_sha256,
        aged._row_number as source_row_number
    from aged
)

select * from renamed
