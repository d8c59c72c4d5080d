-- §5c 数据比对发现: one row per (period, region_code, indicator, breakdown), unrounded. The
-- `child` breakdown of paid_after_death_* is the district's only (no township row: minors'
-- data, as child welfare is published for the district only).
with

assembled as (
    {{ assemble_indicators('findings', [
        'int_findings_indicators_computed',
        'int_cremated_without_death_record_found',
    ]) }}
),

regions as (
    select * from {{ ref('dim_regions') }}
)

select assembled.*
from assembled
inner join regions on assembled.region_code = regions.region_code
where assembled.breakdown <> 'child' or regions.region_level = 'district'
