-- §5b 儿童福利, unrounded, for the district only (indicators v2 §5b: minors' data, small
-- cells): children of the last month's roster and funds over the period by category, with
-- care type, the village's area (urban = 11x/12x, rural = 2xx) and, for orphans, no_id.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
    where region_level = 'district'
),

villages as (
    select * from {{ ref('int_regions_classified') }}
    where region_level = 'village'
),

children as (
    select * from {{ ref('stg_raw__child_welfare_payments') }}
),

in_period as (
    select
        periods.period,
        periods.is_last_month,
        bridge.region_code,
        children.child_key,
        children.category,
        children.amount,
        children.care_type as care_breakdown,
        villages.area as area_breakdown,
        case when not children.has_id then 'no_id' end as id_breakdown
    from children
    inner join periods on children.month = periods.month
    inner join bridge on children.village_code = bridge.member_code
    left join villages on children.village_code = villages.region_code
),

by_breakdown as (
    select
        in_period.*,
        breakdowns.breakdown
    from in_period
    cross join
        lateral (
            select unnest([
                'total', in_period.care_breakdown, in_period.area_breakdown, in_period.id_breakdown
            ]) as breakdown
        ) as breakdowns
    where
        breakdowns.breakdown is not null
        and (breakdowns.breakdown <> 'no_id' or in_period.category = 'orphan')
),

aggregated as (
    select
        by_breakdown.period,
        by_breakdown.region_code,
        by_breakdown.category,
        by_breakdown.breakdown,
        count(distinct by_breakdown.child_key) filter (where by_breakdown.is_last_month)
            as children_end,
        sum(by_breakdown.amount) as amount_yuan,
        count(*) as child_months
    from by_breakdown
    group by
        by_breakdown.period, by_breakdown.region_code, by_breakdown.category,
        by_breakdown.breakdown
),

orphans as (
    select * from aggregated
    where category = 'orphan'
),

de_facto as (
    select * from aggregated
    where category = 'de_facto'
),

averages as (
    select
        aggregated.period,
        aggregated.region_code,
        'child_welfare_avg_payment' as indicator,
        aggregated.category as breakdown,
        cast(aggregated.amount_yuan as double) / aggregated.child_months as unrounded_value,
        cast(aggregated.amount_yuan as double) as numerator,
        cast(aggregated.child_months as double) as denominator
    from aggregated
    where aggregated.breakdown = 'total'
),

indicator_rows as (
    {{ indicator_row('orphans', 'orphans_end', 'cast(orphans.children_end as double)') }}
    union all
    {{ indicator_row('orphans', 'orphan_funds', 'cast(orphans.amount_yuan as double) / 10000') }}
    union all
    {{ indicator_row('de_facto', 'de_facto_children_end',
        'cast(de_facto.children_end as double)') }}
    union all
    {{ indicator_row('de_facto', 'de_facto_funds',
        'cast(de_facto.amount_yuan as double) / 10000') }}
    union all
    select * from averages
)

select * from indicator_rows
