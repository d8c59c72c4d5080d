-- Every (period, reporting region, indicator, breakdown) that must be published for the
-- count and sum indicators of the catalogue: those are published for every region and every
-- listed breakdown, 0 when nothing counts. district_only indicators get district slots only,
-- and so does the `child` breakdown of the §5c findings (minors' data: indicators.md §5c).
with

periods as (
    select distinct periods.period
    from {{ ref('int_periods_enumerated') }} as periods
),

regions as (
    select * from {{ ref('int_regions_classified') }}
    where region_level in ('district', 'township')
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
    where value_kind in ('count', 'sum')
),

breakdowns as (
    select
        catalogue.indicator,
        catalogue.domain,
        catalogue.district_only,
        unnest(string_split(catalogue.breakdowns, '|')) as breakdown
    from catalogue
),

slots as (
    select
        periods.period,
        regions.region_code,
        breakdowns.indicator,
        breakdowns.breakdown,
        breakdowns.domain
    from periods
    cross join regions
    cross join breakdowns
    where
        regions.region_level = 'district'
        or (not breakdowns.district_only and breakdowns.breakdown != 'child')
)

select * from slots
