-- §5a 村(居)委会 per (period, reporting region), by the committee's village. The snapshot
-- gives the same stock every period (committees_end, committee_members, the shares);
-- elections count elected_on in the period. The type is the village's committee_type.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

period_list as (
    select distinct periods.period
    from periods
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

villages as (
    select * from {{ ref('int_regions_classified') }}
    where region_level = 'village'
),

committees as (
    select
        snapshot.*,
        villages.committee_type
    from {{ ref('stg_raw__community_committees') }} as snapshot
    inner join villages on snapshot.village_code = villages.region_code
),

stock as (
    select
        period_list.period,
        bridge.region_code,
        committees.committee_type,
        committees.members,
        committees.members_female,
        committees.supervision
    from committees
    cross join period_list
    inner join bridge on committees.village_code = bridge.member_code
),

stock_by_type as (
    {{ breakdown_and_total('stock', 'committee_type') }}
),

elected as (
    select
        periods.period,
        bridge.region_code,
        committees.committee_type,
        committees.reelection
    from committees
    inner join periods
        on cast(date_trunc('month', committees.elected_on) as date) = periods.month
    inner join bridge on committees.village_code = bridge.member_code
),

elected_by_type as (
    {{ breakdown_and_total('elected', 'committee_type') }}
),

totals as (
    select
        stock.period,
        stock.region_code,
        sum(stock.members) as members,
        sum(stock.members_female) as members_female,
        count(*) filter (where stock.supervision) as supervised,
        count(*) as committees
    from stock
    group by 1, 2
),

counted as (
    select
        stock_by_type.period,
        stock_by_type.region_code,
        'committees_end' as indicator,
        stock_by_type.breakdown,
        cast(count(*) as double) as n
    from stock_by_type
    group by 1, 2, 3, 4

    union all

    select
        elected_by_type.period,
        elected_by_type.region_code,
        'committee_elections' as indicator,
        elected_by_type.breakdown,
        cast(count(*) as double) as n
    from elected_by_type
    group by 1, 2, 3, 4

    union all

    select
        elected.period,
        elected.region_code,
        'committee_reelections' as indicator,
        'total' as breakdown,
        cast(count(*) as double) as n
    from elected
    where elected.reelection
    group by 1, 2, 3, 4

    union all

    select
        totals.period,
        totals.region_code,
        'committee_members' as indicator,
        'total' as breakdown,
        cast(totals.members as double) as n
    from totals

    union all

    select
        totals.period,
        totals.region_code,
        'committee_members' as indicator,
        'female' as breakdown,
        cast(totals.members_female as double) as n
    from totals
),

indicator_rows as (
    select
        counted.period,
        counted.region_code,
        counted.indicator,
        counted.breakdown,
        counted.n as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from counted

    union all

    select
        totals.period,
        totals.region_code,
        'committee_female_share' as indicator,
        'total' as breakdown,
        cast(totals.members_female as double) * 100 / totals.members as unrounded_value,
        cast(totals.members_female as double) as numerator,
        cast(totals.members as double) as denominator
    from totals

    union all

    select
        totals.period,
        totals.region_code,
        'committee_supervision_rate' as indicator,
        'total' as breakdown,
        cast(totals.supervised as double) * 100 / totals.committees as unrounded_value,
        cast(totals.supervised as double) as numerator,
        cast(totals.committees as double) as denominator
    from totals
)

select * from indicator_rows
