-- Low-income households per period: every household assessed on or before the period's end,
-- compared with the standard in force in the period's last month for its village's area
-- class (city/town/rural).
--   is_low_income       standard < per_capita_income <= 2 × standard
--   is_below_standard   per_capita_income <= standard
--   head_on_roster      its head heads some household in the last month's dibao roster
with

periods as (
    select distinct
        periods.period,
        periods.period_end,
        periods.last_month
    from {{ ref('int_periods_enumerated') }} as periods
),

lowincome as (
    select * from {{ ref('stg_raw__lowincome_households') }}
),

villages as (
    select * from {{ ref('int_regions_classified') }}
    where region_level = 'village'
),

standards as (
    select * from {{ ref('int_dibao_standards_in_force') }}
),

-- only the heads of assessed households are looked for (a semi-join to the assessed heads
-- rather than the whole roster made distinct: 14.6 M roster rows at the bench's v2 province)
roster_heads as (
    select distinct
        households.month,
        households.head_person_key
    from {{ ref('int_dibao_households_monthly') }} as households
    where households.head_person_key in (select lowincome.head_person_key from lowincome)
),

assessed as (
    select
        periods.period,
        lowincome.household_id,
        lowincome.head_person_key,
        lowincome.village_code,
        villages.area_class,
        villages.area,
        lowincome.family_size,
        lowincome.per_capita_income,
        standards.monthly_standard as standard,
        roster_heads.head_person_key is not null as head_on_roster
    from lowincome
    inner join periods on lowincome.assessed_on <= periods.period_end
    left join villages on lowincome.village_code = villages.region_code
    left join standards
        on
            periods.last_month = standards.month
            and villages.area_class = standards.tier
    left join roster_heads
        on
            periods.last_month = roster_heads.month
            and lowincome.head_person_key = roster_heads.head_person_key
)

select
    assessed.period,
    assessed.household_id,
    assessed.head_person_key,
    assessed.village_code,
    assessed.area_class,
    assessed.area,
    assessed.family_size,
    assessed.per_capita_income,
    assessed.standard,
    coalesce(
        assessed.per_capita_income > assessed.standard
        and assessed.per_capita_income <= 2 * assessed.standard,
        false
    ) as is_low_income,
    coalesce(assessed.per_capita_income <= assessed.standard, false) as is_below_standard,
    assessed.head_on_roster
from assessed
