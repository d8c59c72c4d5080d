-- §5c cremated_without_death_record (火化未注销户籍人数): local cremations of the period (a
-- village of the district given) with an ID number that has no loaded row in deaths — a
-- 户籍 not yet cancelled. By the cremation's village (its township and the district).
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

cremations as (
    select * from {{ ref('stg_raw__cremations') }}
),

deaths as (
    select * from {{ ref('stg_raw__deaths') }}
),

found as (
    select
        periods.period,
        bridge.region_code,
        count(*) as persons
    from cremations
    inner join periods
        on cast(date_trunc('month', cremations.cremated_on) as date) = periods.month
    inner join bridge on cremations.village_code = bridge.member_code
    left join deaths on cremations.person_key = deaths.person_key
    where cremations.person_key is not null and deaths.person_key is null
    group by 1, 2
),

indicator_rows as (
    {{ indicator_row(
        'found', 'cremated_without_death_record', "cast(found.persons as double)", "'total'"
    ) }}
)

select * from indicator_rows
