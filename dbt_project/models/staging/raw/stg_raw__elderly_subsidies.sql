-- Drops name, id_number and bank_account. The age on the month's last day is worked out
-- here, from the raw ID, and leaves staging only as the band of the subsidy's standards in
-- force that holds it (NULL: no standard in force, or an age between two bands) and as the
-- flag "100 or older on the month's last day" (centenarians_end takes it from the period's
-- last month, whose last day is the period's last day).
with

source as (
    select * from {{ source('raw', 'elderly_subsidies') }}
),

bands as (
    select * from {{ ref('stg_raw__elderly_subsidy_standards') }}
),

aged as (
    select
        source.*,
        {{ age_on(birth_date_of('source.id_number'), 'last_day(source.month)') }} as age_years
    from source
),

renamed as (
    select
        aged.month,
        aged.id_number_hash as person_key,
        aged.region_code as village_code,
        aged.subsidy,
        aged.amount,
        bands.age_band,
        aged.age_years >= 100 as is_aged_100_plus,
        aged._file_sha256 as source_file_sha256,
        aged._row_number as source_row_number
    from aged
    left join bands
        on
            aged.subsidy = bands.subsidy
            and aged.month >= bands.effective_month
            and aged.month < bands.until_month
            and aged.age_years between bands.band_low and bands.band_high
)

select * from renamed
