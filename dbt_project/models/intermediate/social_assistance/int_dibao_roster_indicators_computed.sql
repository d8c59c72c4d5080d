-- Roster indicators per (period, reporting region, breakdown total/urban/rural by program):
-- end counts (last month's roster only, 0 when that roster is missing), household-/person-
-- months, funds, 月人均补差 and 低保率, plus 疑似错保 (total only). Long rows, unrounded.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

households as (
    select * from {{ ref('int_dibao_households_monthly') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

populations as (
    select * from {{ ref('int_region_populations_summed') }}
),

-- counts and sums per roster month, village and program first, then summed up the region
-- tree: every figure here is a count of rows or a sum (no distinct), and the amounts are
-- DECIMAL(18,2), so the village sums add up to the same digits as the rows (a row per
-- household, period and region was 233 M rows at the bench's v2 province)
village_months as (
    select
        households.month,
        households.village_code,
        households.program,
        count(*) as households,
        sum(households.covered_persons) as covered_persons,
        sum(households.monthly_amount) as monthly_amount,
        count_if(households.per_capita_income > households.applicable_standard)
            as over_standard
    from households
    group by households.month, households.village_code, households.program
),

in_period as (
    select
        periods.period,
        periods.is_last_month,
        bridge.region_code,
        village_months.program,
        village_months.households,
        village_months.covered_persons,
        village_months.monthly_amount,
        village_months.over_standard
    from village_months
    inner join periods on village_months.month = periods.month
    inner join bridge on village_months.village_code = bridge.member_code
),

-- every row once under its program's breakdown and once under 'total'
by_breakdown as (
    {{ breakdown_and_total('in_period', 'program') }}
),

aggregated as (
    select
        by_breakdown.period,
        by_breakdown.region_code,
        by_breakdown.breakdown,
        coalesce(
            sum(by_breakdown.households) filter (where by_breakdown.is_last_month), 0
        ) as households_end,
        coalesce(
            sum(by_breakdown.covered_persons) filter (where by_breakdown.is_last_month), 0
        ) as persons_end,
        sum(by_breakdown.households) as household_months,
        sum(by_breakdown.covered_persons) as person_months,
        sum(by_breakdown.monthly_amount) as amount_yuan,
        coalesce(
            sum(by_breakdown.over_standard) filter (where by_breakdown.is_last_month), 0
        ) as suspected_ineligible
    from by_breakdown
    group by by_breakdown.period, by_breakdown.region_code, by_breakdown.breakdown
),

population_slots as (
    select distinct
        periods.period,
        populations.region_code,
        breakdowns.breakdown,
        case breakdowns.breakdown
            when 'urban' then populations.urban_resident_population
            when 'rural' then populations.rural_resident_population
            else populations.resident_population
        end as population
    from periods
    cross join populations
    cross join (values ('total'), ('urban'), ('rural')) as breakdowns (breakdown)
),

coverage as (
    select
        population_slots.period,
        population_slots.region_code,
        population_slots.breakdown,
        coalesce(aggregated.persons_end, 0) as persons_end,
        population_slots.population
    from population_slots
    left join aggregated
        on
            population_slots.period = aggregated.period
            and population_slots.region_code = aggregated.region_code
            and population_slots.breakdown = aggregated.breakdown
),

indicator_rows as (
    {% set counts = {
        'dibao_households_end': 'households_end',
        'dibao_persons_end': 'persons_end',
        'dibao_household_months': 'household_months',
        'dibao_person_months': 'person_months',
        'dibao_funds': 'amount_yuan / 10000',
    } %}
    {% for indicator, expression in counts.items() %}
        select
            aggregated.period,
            aggregated.region_code,
            '{{ indicator }}' as indicator,
            aggregated.breakdown,
            cast(aggregated.{{ expression }} as double) as unrounded_value,
            cast(null as double) as numerator,
            cast(null as double) as denominator
        from aggregated
        union all
    {% endfor %}

    {{ indicator_row(
        'aggregated', 'dibao_suspected_ineligible', "cast(aggregated.suspected_ineligible as double)"
    ) }}
    where aggregated.breakdown = 'total'

    union all

    select
        aggregated.period,
        aggregated.region_code,
        'dibao_avg_subsidy' as indicator,
        aggregated.breakdown,
        case
            when aggregated.person_months <> 0
                then cast(aggregated.amount_yuan as double) / aggregated.person_months
        end as unrounded_value,
        cast(aggregated.amount_yuan as double) as numerator,
        cast(aggregated.person_months as double) as denominator
    from aggregated

    union all

    select
        coverage.period,
        coverage.region_code,
        'dibao_coverage_rate' as indicator,
        coverage.breakdown,
        case
            when coverage.population <> 0
                then cast(coverage.persons_end as double) * 100 / coverage.population
        end as unrounded_value,
        cast(coverage.persons_end as double) as numerator,
        cast(coverage.population as double) as denominator
    from coverage
)

select * from indicator_rows
