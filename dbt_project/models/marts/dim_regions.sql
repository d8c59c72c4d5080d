-- Every region of the regions file. For the district and townships the populations are the
-- sums of their villages; urban = villages of area class city or town (11x, 12x), rural = 2xx.
with

regions as (
    select * from {{ ref('int_regions_classified') }}
),

populations as (
    select * from {{ ref('int_region_populations_summed') }}
),

dimension as (
    select
        regions.region_code,
        regions.region_name,
        regions.region_level,
        regions.parent_code,
        regions.urban_rural_code,
        regions.area_class,
        regions.area,
        regions.burial_zone,
        regions.committee_type,
        coalesce(populations.resident_population, regions.resident_population)
            as resident_population,
        coalesce(populations.registered_population, regions.registered_population)
            as registered_population,
        case
            when regions.region_level = 'village' and regions.area = 'urban'
                then regions.resident_population
            when regions.region_level = 'village' then 0
            else populations.urban_resident_population
        end as urban_resident_population,
        case
            when regions.region_level = 'village' and regions.area = 'rural'
                then regions.resident_population
            when regions.region_level = 'village' then 0
            else populations.rural_resident_population
        end as rural_resident_population,
        coalesce(populations.village_count, 0) as village_count
    from regions
    left join populations on regions.region_code = populations.region_code
)

select * from dimension
