-- §5b 医疗救助, unrounded: settlements with settled_on in the period (cases, distinct
-- persons, funds by assistance type) and the insurance subsidies of the year of the period's
-- last month (persons, funds by the village's area and beneficiary; Σ amount ÷ rows).
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

villages as (
    select * from {{ ref('int_regions_classified') }}
    where region_level = 'village'
),

settlements as (
    select * from {{ ref('stg_raw__medical_assistance') }}
),

insurance as (
    select * from {{ ref('stg_raw__insurance_subsidies') }}
),

period_spans as (
    select distinct
        periods.period,
        periods.period_start,
        periods.period_end,
        year(periods.last_month) as last_year
    from periods
),

settled_in_period as (
    select
        period_spans.period,
        bridge.region_code,
        settlements.person_key,
        settlements.assistance_type,
        settlements.amount
    from settlements
    inner join period_spans
        on settlements.settled_on between period_spans.period_start and period_spans.period_end
    inner join bridge on settlements.village_code = bridge.member_code
),

settled_by_type as (
    {{ breakdown_and_total('settled_in_period', 'assistance_type') }}
),

settled_aggregated as (
    select
        settled_by_type.period,
        settled_by_type.region_code,
        settled_by_type.breakdown,
        count(*) as cases,
        count(distinct settled_by_type.person_key) as persons,
        sum(settled_by_type.amount) as amount_yuan
    from settled_by_type
    group by settled_by_type.period, settled_by_type.region_code, settled_by_type.breakdown
),

persons_total as (
    select * from settled_aggregated
    where breakdown = 'total'
),

-- Σ rows and Σ amount per village and year first: a person counts as a row (persons =
-- count(*), no distinct), and amount is DECIMAL(18,2), so summing the village sums up the
-- region tree gives the same digits as summing the rows (a row per person, period and
-- region was 170 M rows at the bench's v2 province).
insured_by_village as (
    select
        insurance.year,
        insurance.village_code,
        insurance.beneficiary,
        count(*) as persons,
        sum(insurance.amount) as amount_yuan
    from insurance
    group by insurance.year, insurance.village_code, insurance.beneficiary
),

insured_in_period as (
    select
        period_spans.period,
        bridge.region_code,
        insured_by_village.persons,
        insured_by_village.amount_yuan,
        insured_by_village.beneficiary,
        villages.area
    from insured_by_village
    inner join period_spans on insured_by_village.year = period_spans.last_year
    inner join bridge on insured_by_village.village_code = bridge.member_code
    left join villages on insured_by_village.village_code = villages.region_code
),

insured_by_breakdown as (
    select
        insured_in_period.*,
        breakdowns.breakdown
    from insured_in_period
    cross join
        lateral (
            select unnest(['total', insured_in_period.area, insured_in_period.beneficiary])
                as breakdown
        ) as breakdowns
    where breakdowns.breakdown is not null
),

insured_aggregated as (
    select
        insured_by_breakdown.period,
        insured_by_breakdown.region_code,
        insured_by_breakdown.breakdown,
        sum(insured_by_breakdown.persons) as persons,
        sum(insured_by_breakdown.amount_yuan) as amount_yuan
    from insured_by_breakdown
    group by
        insured_by_breakdown.period,
        insured_by_breakdown.region_code,
        insured_by_breakdown.breakdown
),

per_capita as (
    select
        insured_aggregated.period,
        insured_aggregated.region_code,
        'insurance_subsidy_per_capita' as indicator,
        'total' as breakdown,
        cast(insured_aggregated.amount_yuan as double) / insured_aggregated.persons
            as unrounded_value,
        cast(insured_aggregated.amount_yuan as double) as numerator,
        cast(insured_aggregated.persons as double) as denominator
    from insured_aggregated
    where insured_aggregated.breakdown = 'total'
),

indicator_rows as (
    {{ indicator_row('settled_aggregated', 'medical_assist_cases',
        'cast(settled_aggregated.cases as double)') }}
    union all
    {{ indicator_row('settled_aggregated', 'medical_assist_funds',
        'cast(settled_aggregated.amount_yuan as double) / 10000') }}
    union all
    {{ indicator_row('persons_total', 'medical_assist_persons',
        'cast(persons_total.persons as double)') }}
    union all
    {{ indicator_row('insured_aggregated', 'insurance_subsidy_persons',
        'cast(insured_aggregated.persons as double)') }}
    union all
    {{ indicator_row('insured_aggregated', 'insurance_subsidy_funds',
        'cast(insured_aggregated.amount_yuan as double) / 10000') }}
    union all
    select * from per_capita
)

select * from indicator_rows
