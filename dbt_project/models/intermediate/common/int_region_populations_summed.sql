-- Populations and village counts of every reporting region (district, townships): sums of
-- their villages. Urban areas are villages of class city or town (11x, 12x), rural 2xx.
with

reporting_regions as (
    select * from {{ ref('int_regions_classified') }}
    where region_level in ('district', 'township')
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
    where member_level = 'village'
),

villages as (
    select * from {{ ref('int_regions_classified') }}
    where region_level = 'village'
),

summed as (
    select
        reporting_regions.region_code,
        count(villages.region_code) as village_count,
        coalesce(sum(villages.resident_population), 0) as resident_population,
        coalesce(sum(villages.registered_population), 0) as registered_population,
        coalesce(sum(villages.resident_population) filter (
            where villages.area = 'urban'
        ), 0) as urban_resident_population,
        coalesce(sum(villages.resident_population) filter (
            where villages.area = 'rural'
        ), 0) as rural_resident_population
    from reporting_regions
    left join bridge on reporting_regions.region_code = bridge.region_code
    left join villages on bridge.member_code = villages.region_code
    group by reporting_regions.region_code
)

select * from summed
