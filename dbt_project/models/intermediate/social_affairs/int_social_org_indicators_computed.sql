-- §5a 社会组织 per (period, reporting region), by the region of the organisation's 住所 (a
-- township counts in itself and the district; a district-level organisation in the district).
--   social_orgs_end         registered_on <= period end and (ended_on empty or after it)
--   social_orgs_registered  registered_on in the period;  social_orgs_ended  ended_on in it
--   social_org_inspected    inspections of year Y = year of the last month − 1, concluded_on
--                           <= period end, conclusion <> absent: total + each conclusion
--   social_org_inspection_rate  due orgs for Y (not a charity, registered_on <= Y-12-31,
--                           ended_on empty or after it) counted above ÷ due orgs
--   social_org_pass_rate    pass ÷ pass, basic_pass or fail, of those inspected
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

period_ends as (
    select distinct
        periods.period,
        periods.period_end,
        year(periods.last_month) - 1 as inspected_year
    from periods
),

regions as (
    select * from {{ ref('int_regions_classified') }}
),

-- a township or the district, toward the regions it counts in
org_bridge as (
    select
        bridge.member_code,
        bridge.region_code
    from {{ ref('int_regions_bridged') }} as bridge
    where bridge.member_level = 'township'
    union all
    select
        regions.region_code as member_code,
        regions.region_code
    from regions
    where regions.region_level = 'district'
),

orgs as (
    select * from {{ ref('stg_raw__social_organizations') }}
),

inspections as (
    select * from {{ ref('stg_raw__social_org_inspections') }}
),

orgs_in_force as (
    select
        period_ends.period,
        org_bridge.region_code,
        orgs.org_type
    from orgs
    inner join period_ends
        on
            orgs.registered_on <= period_ends.period_end
            and (orgs.ended_on is null or orgs.ended_on > period_ends.period_end)
    inner join org_bridge on orgs.region_code = org_bridge.member_code
),

registered as (
    select
        periods.period,
        org_bridge.region_code,
        orgs.org_type
    from orgs
    inner join periods
        on cast(date_trunc('month', orgs.registered_on) as date) = periods.month
    inner join org_bridge on orgs.region_code = org_bridge.member_code
),

ended as (
    select
        periods.period,
        org_bridge.region_code,
        orgs.org_type
    from orgs
    inner join periods
        on cast(date_trunc('month', orgs.ended_on) as date) = periods.month
    inner join org_bridge on orgs.region_code = org_bridge.member_code
),

org_rows as (
    select
        orgs_in_force.*,
        'social_orgs_end' as indicator
    from orgs_in_force
    union all
    select
        registered.*,
        'social_orgs_registered' as indicator
    from registered
    union all
    select
        ended.*,
        'social_orgs_ended' as indicator
    from ended
),

org_rows_by_breakdown as (
    {{ breakdown_and_total('org_rows', 'org_type') }}
),

org_counts as (
    select
        org_rows_by_breakdown.period,
        org_rows_by_breakdown.region_code,
        org_rows_by_breakdown.indicator,
        org_rows_by_breakdown.breakdown,
        count(*) as n
    from org_rows_by_breakdown
    group by 1, 2, 3, 4
),

inspected as (
    select
        period_ends.period,
        org_bridge.region_code,
        inspections.credit_code,
        inspections.conclusion
    from inspections
    inner join period_ends
        on
            inspections.inspected_year = period_ends.inspected_year
            and inspections.concluded_on <= period_ends.period_end
    inner join orgs on inspections.credit_code = orgs.credit_code
    inner join org_bridge on orgs.region_code = org_bridge.member_code
    where inspections.conclusion <> 'absent'
),

inspected_by_breakdown as (
    {{ breakdown_and_total('inspected', 'conclusion') }}
),

inspected_counts as (
    select
        inspected_by_breakdown.period,
        inspected_by_breakdown.region_code,
        inspected_by_breakdown.breakdown,
        count(*) as n
    from inspected_by_breakdown
    group by 1, 2, 3
),

due as (
    select
        period_ends.period,
        org_bridge.region_code,
        orgs.credit_code
    from orgs
    inner join period_ends
        on
            orgs.registered_on <= make_date(period_ends.inspected_year, 12, 31)
            and (
                orgs.ended_on is null
                or orgs.ended_on > make_date(period_ends.inspected_year, 12, 31)
            )
    inner join org_bridge on orgs.region_code = org_bridge.member_code
    where not orgs.charity
),

participation as (
    select
        due.period,
        due.region_code,
        count(inspected.credit_code) as inspected,
        count(*) as due
    from due
    left join inspected
        on
            due.period = inspected.period
            and due.region_code = inspected.region_code
            and due.credit_code = inspected.credit_code
    group by 1, 2
),

verdicts as (
    select
        inspected.period,
        inspected.region_code,
        count(*) filter (where inspected.conclusion = 'pass') as passed,
        count(*) as judged
    from inspected
    where inspected.conclusion in ('pass', 'basic_pass', 'fail')
    group by 1, 2
),

indicator_rows as (
    select
        org_counts.period,
        org_counts.region_code,
        org_counts.indicator,
        org_counts.breakdown,
        cast(org_counts.n as double) as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from org_counts

    union all

    {{ indicator_row(
        'inspected_counts', 'social_org_inspected', "cast(inspected_counts.n as double)"
    ) }}

    union all

    select
        participation.period,
        participation.region_code,
        'social_org_inspection_rate' as indicator,
        'total' as breakdown,
        cast(participation.inspected as double) * 100 / participation.due as unrounded_value,
        cast(participation.inspected as double) as numerator,
        cast(participation.due as double) as denominator
    from participation

    union all

    select
        verdicts.period,
        verdicts.region_code,
        'social_org_pass_rate' as indicator,
        'total' as breakdown,
        cast(verdicts.passed as double) * 100 / verdicts.judged as unrounded_value,
        cast(verdicts.passed as double) as numerator,
        cast(verdicts.judged as double) as denominator
    from verdicts
)

select * from indicator_rows
