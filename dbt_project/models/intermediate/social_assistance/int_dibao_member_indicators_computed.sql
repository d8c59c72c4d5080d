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

-- each person once per region (all programs together) and once per region and program, with
-- the groups they belong to: a person counts in a group when any of their rows does (the
-- same as a distinct count over the rows of the group, without one row per group)
{%- set groups = {
    'elderly': "covered_end.age_band = 'elderly'",
    'adult': "covered_end.age_band = 'adult'",
    'minor': "covered_end.age_band = 'minor'",
    'female': "covered_end.is_female",
    'disabled': "covered_end.disability_grade is not null",
    'severely_disabled': "covered_end.disability_grade in (1, 2)",
} %}
persons as (
    select
        covered_end.period,
        covered_end.region_code,
        '' as program,
        {%- for name, condition in groups.items() %}
            bool_or({{ condition }}) as in_{{ name }},
        {%- endfor %}
        covered_end.person_key
    from covered_end
    group by covered_end.period, covered_end.region_code, covered_end.person_key
    union all
    select
        covered_end.period,
        covered_end.region_code,
        covered_end.program,
        {%- for name, condition in groups.items() %}
            bool_or({{ condition }}) as in_{{ name }},
        {%- endfor %}
        covered_end.person_key
    from covered_end
    group by
        covered_end.period, covered_end.region_code, covered_end.program, covered_end.person_key
),

counted as (
    select
        persons.period,
        persons.region_code,
        persons.program,
        'total' as member_group,
        count(*) as members_end
    from persons
    group by persons.period, persons.region_code, persons.program
    {%- for name in groups %}
        union all
        select
            persons.period,
            persons.region_code,
            persons.program,
            '{{ name }}' as member_group,
            count(*) as members_end
        from persons
        where persons.in_{{ name }}
        group by persons.period, persons.region_code, persons.program
    {%- endfor %}
),

-- the group alone, or prefixed by the program ('total' → the program): 21 breakdowns
aggregated as (
    select
        counted.period,
        counted.region_code,
        case
            when counted.program = '' then counted.member_group
            when counted.member_group = 'total' then counted.program
            else counted.program || '_' || counted.member_group
        end as breakdown,
        counted.members_end
    from counted
)

{{ indicator_row('aggregated', 'dibao_members_end', "cast(aggregated.members_end as double)") }}
