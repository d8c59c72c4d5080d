-- Every region with its village area class (city/town/rural) and area (urban/rural).
with

regions as (
    select * from {{ ref('stg_raw__regions') }}
),

urban_rural_codes as (
    select * from {{ source('raw', 'urban_rural_codes') }}
),

classified as (
    select
        regions.region_code,
        regions.region_name,
        regions.region_level,
        regions.parent_code,
        regions.urban_rural_code,
        regions.burial_zone,
        regions.committee_type,
        urban_rural_codes.area_class,
        urban_rural_codes.area,
        regions.resident_population,
        regions.registered_population
    from regions
    left join urban_rural_codes
        on regions.urban_rural_code = urban_rural_codes.urban_rural_code
)

select * from classified
