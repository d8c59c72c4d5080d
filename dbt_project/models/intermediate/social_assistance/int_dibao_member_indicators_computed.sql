-- 期末保障对象(按类别) dibao_members_end (indicators v2 §2): covered members (covered = 是) of
-- dibao_members whose household is in the period's last month's roster, counted at the
-- household's village; urban/rural by the household's program; age band on the period's last
-- day (stg_raw__dibao_members_banded, the band on the last month's last day); disabled = a
-- disability grade, severely_disabled = 一级 or 二级. Breakdowns: total, urban, rural, and
-- each group (elderly, adult, minor, female, disabled, severely_disabled) alone and prefixed
-- with the program (urban_minor, …): 21 in all.
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
    where is_covered
),

banded as (
    select * from {{ ref('stg_raw__dibao_members_banded') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

covered_end as (
    select
        periods.period,
        bridge.region_code,
        households.program,
        members.person_key,
        banded.age_band,
        members.is_female,
        members.disability_grade
    from members
    inner join households on members.household_id = households.household_id
    inner join periods on households.month = periods.month
    inner join bridge on households.village_code = bridge.member_code
    left join banded
        on
            members.person_key = banded.person_key
            and households.month = banded.month
),

-- each member once per group it belongs to ('total' for everyone)
grouped as (
    select
        covered_end.*,
        'total' as member_group
    from covered_end
    union all
    select
        covered_end.*,
        covered_end.age_band as member_group
    from covered_end
    where covered_end.age_band is not null
    union all
    select
        covered_end.*,
        'female' as member_group
    from covered_end
    where covered_end.is_female
    union all
    select
        covered_end.*,
        'disabled' as member_group
    from covered_end
    where covered_end.disability_grade is not null
    union all
    select
        covered_end.*,
        'severely_disabled' as member_group
    from covered_end
    where covered_end.disability_grade in (1, 2)
),

-- the group alone and prefixed by the program ('total' → total and the program)
by_breakdown as (
    select
        grouped.*,
        grouped.member_group as breakdown
    from grouped
    union all
    select
        grouped.*,
        case
            when grouped.member_group = 'total' then grouped.program
            else grouped.program || '_' || grouped.member_group
        end as breakdown
    from grouped
),

aggregated as (
    select
        by_breakdown.period,
        by_breakdown.region_code,
        by_breakdown.breakdown,
        count(distinct by_breakdown.person_key) as members_end
    from by_breakdown
    group by by_breakdown.period, by_breakdown.region_code, by_breakdown.breakdown
)

{{ indicator_row('aggregated', 'dibao_members_end', "cast(aggregated.members_end as double)") }}
