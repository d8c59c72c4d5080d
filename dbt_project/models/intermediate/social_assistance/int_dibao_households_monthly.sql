-- The dibao roster, one row per (month, household), with the village's area class and the
-- household's applicable standard in that month (tier rule of the data contract: program
-- urban in a city village -> city, urban in a town village -> town, everything else -> rural).
with

households as (
    select * from {{ ref('stg_raw__dibao_households') }}
),

villages as (
    select * from {{ ref('int_regions_classified') }}
    where region_level = 'village'
),

tier_rules as (
    select * from {{ ref('dibao_tier_rules') }}
),

standards as (
    select * from {{ ref('int_dibao_standards_in_force') }}
),

with_tier as (
    select
        households.month,
        households.household_id,
        households.head_person_key,
        households.village_code,
        households.program,
        villages.area_class,
        villages.area,
        coalesce(tier_rules.tier, 'rural') as tier,
        households.family_size,
        households.covered_persons,
        households.per_capita_income,
        households.monthly_amount
    from households
    left join villages on households.village_code = villages.region_code
    left join tier_rules
        on
            households.program = tier_rules.program
            and villages.area_class = tier_rules.area_class
)

select
    with_tier.*,
    standards.monthly_standard as applicable_standard
from with_tier
left join standards
    on
        with_tier.month = standards.month
        and with_tier.tier = standards.tier
