-- Drops the card number and id_number; the holder's age on issued_on leaves staging only as
-- the band of senior_cards_issued: 60_64, 65_plus, or under_60 (counted in the total only).
with

source as (
    select * from {{ source('raw', 'senior_cards') }}
),

aged as (
    select
        source.*,
        {{ age_on(birth_date_of('source.id_number'), 'source.issued_on') }} as age_years
    from source
),

renamed as (
    select
        aged.id_number_hash as person_key,
        aged.region_code as village_code,
        aged.issued_on,
        case
            when aged.age_years >= 65 then '65_plus'
            when aged.age_years >= 60 then '60_64'
            else 'under_60'
        end as age_band,
        aged._file_sha256 as source_file_sha256,
        aged._row_number as source_row_number
    from aged
)

select * from renamed
