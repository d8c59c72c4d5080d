-- 救灾款物 per (period, reporting region): the relief rows of the (event, township) units of
-- the period (int_disaster_events_latest: the unit belongs to the period holding its
-- started_at), total and (v2) by relief_type (empty = emergency, staging):
--   disaster_relief_funds Σ funds ÷ 10 000, disaster_relief_persons Σ persons,
--   disaster_relief_households Σ households (v2), and, total only (v2),
--   disaster_relief_quilts / _clothes / _grain Σ quilts, clothes, grain_kg.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

events as (
    select * from {{ ref('int_disaster_events_latest') }}
),

relief as (
    select * from {{ ref('stg_raw__disaster_relief') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

in_period as (
    select
        periods.period,
        bridge.region_code,
        relief.relief_type,
        relief.funds,
        relief.persons,
        relief.households,
        relief.quilts,
        relief.clothes,
        relief.grain_kg
    from relief
    inner join events
        on
            relief.event_id = events.event_id
            and relief.township_code = events.township_code
    inner join periods
        on cast(date_trunc('month', events.started_at) as date) = periods.month
    inner join bridge on relief.township_code = bridge.member_code
),

by_breakdown as (
    {{ breakdown_and_total('in_period', 'relief_type') }}
),

aggregated as (
    select
        by_breakdown.period,
        by_breakdown.region_code,
        by_breakdown.breakdown,
        sum(by_breakdown.funds) as funds_yuan,
        sum(by_breakdown.persons) as persons,
        coalesce(sum(by_breakdown.households), 0) as households,
        coalesce(sum(by_breakdown.quilts), 0) as quilts,
        coalesce(sum(by_breakdown.clothes), 0) as clothes,
        coalesce(sum(by_breakdown.grain_kg), 0) as grain_kg
    from by_breakdown
    group by by_breakdown.period, by_breakdown.region_code, by_breakdown.breakdown
),

indicator_rows as (
    {{ indicator_row(
        'aggregated', 'disaster_relief_funds', "cast(aggregated.funds_yuan as double) / 10000"
    ) }}

    union all

    {{ indicator_row('aggregated', 'disaster_relief_persons', "cast(aggregated.persons as double)") }}

    union all

    {{ indicator_row(
        'aggregated', 'disaster_relief_households', "cast(aggregated.households as double)"
    ) }}

    {% for indicator, column in [
        ('disaster_relief_quilts', 'quilts'),
        ('disaster_relief_clothes', 'clothes'),
        ('disaster_relief_grain', 'grain_kg'),
    ] %}
        union all
        {{ indicator_row('aggregated', indicator, "cast(aggregated." ~ column ~ " as double)") }}
        where aggregated.breakdown = 'total'
    {% endfor %}
)

select * from indicator_rows
