-- §5a 殡葬 per (period, reporting region), unrounded; deaths and cremations of the period
-- by the village of 户籍 (a village counts in its township and the district).
--   deaths              died_on in the period: total, urban, rural, cremation_zone
--   cremation_rate      those with a cremation row of the same ID hash (any date) ÷ deaths
--   uncremated_deaths   those without one: total, urban, rural
--   cremations          cremated_on in the period: the district counts all (local = a region
--                       given, non_local = none); a township its local ones
--   cremation_rate_gross  local cremations ÷ deaths of the period (the district only)
--   funeral_fee_waiver_persons / _funds  cremations of the period with fee_waiver > 0
--   burial_violations   found_on in the period: total + each violation
--   burial_penalty_rate illegal_burial cases fined or exhumed_cremated ÷ illegal_burial cases
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

district as (
    select regions.region_code
    from {{ ref('int_regions_classified') }} as regions
    where regions.region_level = 'district'
),

deaths as (
    select * from {{ ref('stg_raw__deaths') }}
),

cremations as (
    select * from {{ ref('stg_raw__cremations') }}
),

enforcement as (
    select * from {{ ref('stg_raw__burial_enforcement') }}
),

cremated_persons as (
    select distinct cremations.person_key
    from cremations
    where cremations.person_key is not null
),

deaths_in_period as (
    select
        periods.period,
        bridge.region_code,
        villages.area,
        villages.burial_zone,
        cremated_persons.person_key is not null as is_cremated
    from deaths
    inner join periods
        on cast(date_trunc('month', deaths.died_on) as date) = periods.month
    inner join villages on deaths.village_code = villages.region_code
    inner join bridge on deaths.village_code = bridge.member_code
    left join cremated_persons on deaths.person_key = cremated_persons.person_key
),

deaths_by_breakdown as (
    select
        deaths_in_period.*,
        'total' as breakdown
    from deaths_in_period
    union all
    select
        deaths_in_period.*,
        deaths_in_period.area as breakdown
    from deaths_in_period
    union all
    select
        deaths_in_period.*,
        'cremation_zone' as breakdown
    from deaths_in_period
    where deaths_in_period.burial_zone = 'cremation_zone'
),

death_counts as (
    select
        deaths_by_breakdown.period,
        deaths_by_breakdown.region_code,
        deaths_by_breakdown.breakdown,
        count(*) as deaths,
        count(*) filter (where deaths_by_breakdown.is_cremated) as cremated,
        count(*) filter (where not deaths_by_breakdown.is_cremated) as uncremated
    from deaths_by_breakdown
    group by 1, 2, 3
),

-- the district counts every cremation; a township only the local ones of its villages
cremations_in_period as (
    select
        periods.period,
        district.region_code,
        case when cremations.village_code is null then 'non_local' else 'local' end
            as locality,
        cremations.fee_waiver
    from cremations
    inner join periods
        on cast(date_trunc('month', cremations.cremated_on) as date) = periods.month
    cross join district
    union all
    select
        periods.period,
        bridge.region_code,
        'local' as locality,
        cremations.fee_waiver
    from cremations
    inner join periods
        on cast(date_trunc('month', cremations.cremated_on) as date) = periods.month
    inner join bridge
        on
            cremations.village_code = bridge.member_code
            and bridge.region_level = 'township'
),

cremations_by_breakdown as (
    {{ breakdown_and_total('cremations_in_period', 'locality') }}
),

cremation_counts as (
    select
        cremations_by_breakdown.period,
        cremations_by_breakdown.region_code,
        cremations_by_breakdown.breakdown,
        count(*) as cremations,
        count(*) filter (where cremations_by_breakdown.fee_waiver > 0) as waived,
        sum(cremations_by_breakdown.fee_waiver) filter (
            where cremations_by_breakdown.fee_waiver > 0
        ) as waived_yuan
    from cremations_by_breakdown
    group by 1, 2, 3
),

-- the gross rate: local cremations ÷ deaths of the period, the district's row only
gross as (
    select
        death_counts.period,
        death_counts.region_code,
        coalesce(cremation_counts.cremations, 0) as local_cremations,
        death_counts.deaths
    from death_counts
    inner join district on death_counts.region_code = district.region_code
    left join cremation_counts
        on
            death_counts.period = cremation_counts.period
            and death_counts.region_code = cremation_counts.region_code
            and cremation_counts.breakdown = 'local'
    where death_counts.breakdown = 'total'
),

cases_in_period as (
    select
        periods.period,
        bridge.region_code,
        enforcement.violation,
        enforcement.action
    from enforcement
    inner join periods
        on cast(date_trunc('month', enforcement.found_on) as date) = periods.month
    inner join bridge on enforcement.village_code = bridge.member_code
),

cases_by_breakdown as (
    {{ breakdown_and_total('cases_in_period', 'violation') }}
),

case_counts as (
    select
        cases_by_breakdown.period,
        cases_by_breakdown.region_code,
        cases_by_breakdown.breakdown,
        count(*) as cases
    from cases_by_breakdown
    group by 1, 2, 3
),

penalties as (
    select
        cases_in_period.period,
        cases_in_period.region_code,
        count(*) filter (
            where cases_in_period.action in ('fined', 'exhumed_cremated')
        ) as penalised,
        count(*) as illegal_burials
    from cases_in_period
    where cases_in_period.violation = 'illegal_burial'
    group by 1, 2
),

indicator_rows as (
    {{ indicator_row('death_counts', 'deaths', "cast(death_counts.deaths as double)") }}

    union all

    select
        death_counts.period,
        death_counts.region_code,
        'cremation_rate' as indicator,
        death_counts.breakdown,
        cast(death_counts.cremated as double) * 100 / death_counts.deaths as unrounded_value,
        cast(death_counts.cremated as double) as numerator,
        cast(death_counts.deaths as double) as denominator
    from death_counts

    union all

    {{ indicator_row(
        'death_counts', 'uncremated_deaths', "cast(death_counts.uncremated as double)"
    ) }}
    where death_counts.breakdown <> 'cremation_zone'

    union all

    select
        gross.period,
        gross.region_code,
        'cremation_rate_gross' as indicator,
        'total' as breakdown,
        cast(gross.local_cremations as double) * 100 / gross.deaths as unrounded_value,
        cast(gross.local_cremations as double) as numerator,
        cast(gross.deaths as double) as denominator
    from gross

    union all

    {{ indicator_row(
        'cremation_counts', 'cremations', "cast(cremation_counts.cremations as double)"
    ) }}

    union all

    {{ indicator_row(
        'cremation_counts', 'funeral_fee_waiver_persons',
        "cast(cremation_counts.waived as double)"
    ) }}
    where cremation_counts.breakdown = 'total'

    union all

    {{ indicator_row(
        'cremation_counts', 'funeral_fee_waiver_funds',
        "cast(coalesce(cremation_counts.waived_yuan, 0) as double) / 10000"
    ) }}
    where cremation_counts.breakdown = 'total'

    union all

    {{ indicator_row('case_counts', 'burial_violations', "cast(case_counts.cases as double)") }}

    union all

    select
        penalties.period,
        penalties.region_code,
        'burial_penalty_rate' as indicator,
        'total' as breakdown,
        cast(penalties.penalised as double) * 100 / penalties.illegal_burials as unrounded_value,
        cast(penalties.penalised as double) as numerator,
        cast(penalties.illegal_burials as double) as denominator
    from penalties
)

select * from indicator_rows
