-- §3 disaster indicators per (period, reporting region). An (event, township) belongs to the
-- period holding its started_at; its relief rows come with it. Officer coverage is a snapshot
-- ("as of the file") and is repeated for every period, as is (v2) the active officer count.
-- Relief funds and persons by relief type: int_disaster_relief_indicators_computed.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

events as (
    select * from {{ ref('int_disaster_events_latest') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

officers as (
    select * from {{ ref('stg_raw__disaster_officers') }}
),

village_bridge as (
    select * from {{ ref('int_regions_bridged') }}
    where member_level = 'village'
),

aggregated as (
    select
        periods.period,
        bridge.region_code,
        count(distinct events.event_id) as event_count,
        sum(events.affected_persons) as affected_persons,
        sum(events.relocated_persons) as relocated_persons,
        sum(events.crop_affected_ha) as crop_affected_ha,
        sum(events.crop_failed_ha) as crop_failed_ha,
        sum(events.collapsed_households) as collapsed_households,
        sum(events.collapsed_rooms) as collapsed_rooms,
        sum(events.damaged_households) as damaged_households,
        sum(events.damaged_rooms) as damaged_rooms,
        sum(events.direct_loss_10k) as direct_loss_10k,
        count(*) as unit_count,
        count(*) filter (where events.is_initial_report_timely) as timely_units,
        count(*) filter (where events.needs_relief) as relief_needed_units,
        count(*) filter (where events.needs_relief and events.is_relief_within_12h)
            as relief_within_12h_units,
        sum(events.relief_funds) as relief_funds,
        sum(events.relief_persons) as relief_persons
    from events
    inner join periods
        on cast(date_trunc('month', events.started_at) as date) = periods.month
    inner join bridge on events.township_code = bridge.member_code
    group by periods.period, bridge.region_code
),

villages_covered as (
    select
        village_bridge.region_code,
        count(distinct village_bridge.member_code) as village_count,
        count(distinct officers.village_code) as covered_villages,
        count(distinct officers.person_key) as active_officers
    from village_bridge
    left join officers
        on
            village_bridge.member_code = officers.village_code
            and officers.is_active
    group by village_bridge.region_code
),

officer_coverage as (
    select
        period_list.period,
        villages_covered.region_code,
        villages_covered.covered_villages,
        villages_covered.village_count,
        villages_covered.active_officers
    from (select distinct periods.period from periods) as period_list
    cross join villages_covered
),

indicator_rows as (
    {% set sums = {
        'disaster_events': 'event_count',
        'disaster_affected_persons': 'affected_persons',
        'disaster_relocated_persons': 'relocated_persons',
        'disaster_crop_affected_ha': 'crop_affected_ha',
        'disaster_crop_failed_ha': 'crop_failed_ha',
        'disaster_collapsed_households': 'collapsed_households',
        'disaster_collapsed_rooms': 'collapsed_rooms',
        'disaster_damaged_households': 'damaged_households',
        'disaster_damaged_rooms': 'damaged_rooms',
        'disaster_direct_loss': 'direct_loss_10k',
    } %}
    {% for indicator, column in sums.items() %}
        select
            aggregated.period,
            aggregated.region_code,
            '{{ indicator }}' as indicator,
            'total' as breakdown,
            cast(aggregated.{{ column }} as double) as unrounded_value,
            cast(null as double) as numerator,
            cast(null as double) as denominator
        from aggregated
        union all
    {% endfor %}

    {{ indicator_row(
        'officer_coverage', 'disaster_officers_active',
        "cast(officer_coverage.active_officers as double)", breakdown="'total'"
    ) }}

    union all

    {% set rates = [
        ('disaster_initial_report_timely_rate', 'timely_units', 'unit_count', 100),
        ('disaster_relief_within_12h_rate', 'relief_within_12h_units', 'relief_needed_units', 100),
        ('disaster_relief_per_capita', 'relief_funds', 'relief_persons', 1),
    ] %}
    {% for indicator, numerator, denominator, scale in rates %}
        select
            aggregated.period,
            aggregated.region_code,
            '{{ indicator }}' as indicator,
            'total' as breakdown,
            case
                when aggregated.{{ denominator }} <> 0
                    then
                        cast(aggregated.{{ numerator }} as double) * {{ scale }}
                        / aggregated.{{ denominator }}
            end as unrounded_value,
            cast(aggregated.{{ numerator }} as double) as numerator,
            cast(aggregated.{{ denominator }} as double) as denominator
        from aggregated
        union all
    {% endfor %}

    select
        officer_coverage.period,
        officer_coverage.region_code,
        'disaster_officer_coverage_rate' as indicator,
        'total' as breakdown,
        case
            when officer_coverage.village_count <> 0
                then
                    cast(officer_coverage.covered_villages as double) * 100
                    / officer_coverage.village_count
        end as unrounded_value,
        cast(officer_coverage.covered_villages as double) as numerator,
        cast(officer_coverage.village_count as double) as denominator
    from officer_coverage
)

select * from indicator_rows
