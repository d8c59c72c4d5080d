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

-- One row per covered member and roster month that closes a period. A covered member has at
-- most one such row a month: person_key is unique in dibao_members (its key is the ID number,
-- of which stage 2 keeps one row: duplicate_row, conflicting_duplicate; tested in staging)
-- and (month, household_id) is unique in the roster (tested). So at every region level the
-- number of rows is the number of distinct persons: the counts are made per village and
-- summed up the region tree, with no row per person and region (that fan-out ran a v2
-- province out of DuckDB's memory).
-- The banded rows are the members' household months already (one per member and month of
-- the household's roster, with that roster row's village and program), so they are joined
-- to the covered members on person_key only: a join of the banded rows on (person_key,
-- month) built a hash table of 28 M 64-character keys at the bench's v2 province and spilled
-- (34.5 → 15.3 s), and a join back to the roster on (household_id, month) cost half of the
-- model (8.7–9.8 → 4.8–5.5 s; the same rows).
member_months as (
    select
        banded.month,
        banded.village_code,
        banded.program,
        banded.age_band,
        members.is_female,
        members.disability_grade
    from banded
    inner join members on banded.person_key = members.person_key
    where banded.month in (select periods.month from periods)
),

{%- set groups = {
    'elderly': "member_months.age_band = 'elderly'",
    'adult': "member_months.age_band = 'adult'",
    'minor': "member_months.age_band = 'minor'",
    'female': "member_months.is_female",
    'disabled': "member_months.disability_grade is not null",
    'severely_disabled': "member_months.disability_grade in (1, 2)",
} %}

village_counts as (
    select
        member_months.month,
        member_months.village_code,
        member_months.program,
        {%- for name, condition in groups.items() %}
            count_if({{ condition }}) as members_{{ name }},
        {%- endfor %}
        count(*) as members_total
    from member_months
    group by 1, 2, 3
),

-- every village count once under its program and once under all programs together
-- (program '')
program_levels as (
    select true as by_program
    union all
    select false as by_program
),

region_counts as (
    select
        periods.period,
        bridge.region_code,
        case when program_levels.by_program then village_counts.program else '' end as program,
        {%- for name in groups %}
            sum(village_counts.members_{{ name }}) as members_{{ name }},
        {%- endfor %}
        sum(village_counts.members_total) as members_total
    from village_counts
    inner join periods on village_counts.month = periods.month
    inner join bridge on village_counts.village_code = bridge.member_code
    cross join program_levels
    group by 1, 2, 3
),

-- a group with no member has no row (as for every count of the roster)
counted as (
    select
        region_counts.period,
        region_counts.region_code,
        region_counts.program,
        'total' as member_group,
        region_counts.members_total as members_end
    from region_counts
    {%- for name in groups %}
        union all
        select
            region_counts.period,
            region_counts.region_code,
            region_counts.program,
            '{{ name }}' as member_group,
            region_counts.members_{{ name }} as members_end
        from region_counts
        where region_counts.members_{{ name }} > 0
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
