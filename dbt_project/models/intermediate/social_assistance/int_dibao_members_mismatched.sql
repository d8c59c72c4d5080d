-- members_mismatch (indicators v2 §7, a gate warning): households of each period's last
-- month's roster whose count of covered members in dibao_members differs from their
-- covered_persons. One row per (period, household), with the township it counts toward.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
    where is_last_month
),

households as (
    select * from {{ ref('stg_raw__dibao_households') }}
),

members as (
    select * from {{ ref('stg_raw__dibao_members') }}
),

regions as (
    select * from {{ ref('int_regions_classified') }}
),

covered_counted as (
    select
        members.household_id,
        count(*) filter (where members.is_covered) as covered_members
    from members
    group by members.household_id
)

select
    periods.period,
    households.household_id,
    villages.parent_code as township_code,
    households.covered_persons,
    coalesce(covered_counted.covered_members, 0) as covered_members
from households
inner join periods on households.month = periods.month
left join covered_counted on households.household_id = covered_counted.household_id
left join regions as villages on households.village_code = villages.region_code
where coalesce(covered_counted.covered_members, 0) <> households.covered_persons
