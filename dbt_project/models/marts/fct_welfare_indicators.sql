-- §5b 老年福利 and 儿童福利: one row per (period, region_code, indicator, breakdown),
-- unrounded. The age-band rows of longevity_persons_end / longevity_funds come slotted from
-- their own model (bands are data, the catalogue lists only `total`).
with

assembled as (
    {{ assemble_indicators('welfare', [
        'int_elderly_indicators_computed', 'int_child_welfare_indicators_computed'
    ]) }}
),

bands as (
    select * from {{ ref('int_longevity_band_indicators_computed') }}
)

select * from assembled
union all
select * from bands
