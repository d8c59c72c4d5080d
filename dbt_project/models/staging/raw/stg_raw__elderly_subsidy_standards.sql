-- The elderly-subsidy standards with each band's bounds in whole years (`<a>_plus`: high
-- 1000) and the months each effective month is in force, [effective_month, until_month):
-- the bands in force in month m for a subsidy are those of its latest effective_month <= m.
with

source as (
    select * from {{ source('raw', 'elderly_subsidy_standards') }}
),

effective as (
    select distinct
        source.subsidy,
        source.effective_month
    from source
),

spans as (
    select
        effective.subsidy,
        effective.effective_month,
        coalesce(
            lead(effective.effective_month) over (
                partition by effective.subsidy order by effective.effective_month
            ),
            date '9999-12-01'
        ) as until_month
    from effective
),

renamed as (
    select
        source.effective_month,
        spans.until_month,
        source.subsidy,
        source.age_band,
        cast(split_part(source.age_band, '_', 1) as integer) as band_low,
        case
            when split_part(source.age_band, '_', 2) = 'plus' then 1000
            else cast(split_part(source.age_band, '_', 2) as integer)
        end as band_high,
        source.monthly_standard
    from source
    inner join spans
        on
            source.subsidy = spans.subsidy
            and source.effective_month = spans.effective_month
)

select * from renamed
