-- Which reporting region (the district, each township) a village or township counts toward.
-- One row per (member_code, region_code): a village counts toward its township and the
-- district, a township toward itself and the district. Every roll-up joins through here.
with

regions as (
    select * from {{ ref('int_regions_classified') }}
),

townships as (
    select
        townships.region_code as township_code,
        townships.parent_code as district_code
    from regions as townships
    where townships.region_level = 'township'
),

villages as (
    select
        villages.region_code as village_code,
        villages.parent_code as township_code
    from regions as villages
    where villages.region_level = 'village'
),

bridged as (
    select
        villages.village_code as member_code,
        'village' as member_level,
        townships.township_code as region_code,
        'township' as region_level
    from villages
    inner join townships on villages.township_code = townships.township_code

    union all

    select
        villages.village_code as member_code,
        'village' as member_level,
        townships.district_code as region_code,
        'district' as region_level
    from villages
    inner join townships on villages.township_code = townships.township_code

    union all

    select
        townships.township_code as member_code,
        'township' as member_level,
        townships.township_code as region_code,
        'township' as region_level
    from townships

    union all

    select
        townships.township_code as member_code,
        'township' as member_level,
        townships.district_code as region_code,
        'district' as region_level
    from townships
)

select * from bridged
