-- 新增/退出/提标/降标 (households, persons and, v2, amounts in 万元)
-- per (period, reporting region, breakdown by the relevant row's program):
-- sums over the period's months of int_dibao_changes_computed. Long rows, unrounded.
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

changes as (
    select * from {{ ref('int_dibao_changes_computed') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

in_period as (
    select
        periods.period,
        bridge.region_code,
        changes.program,
        changes.change_type,
        changes.covered_persons,
        changes.previous_amount,
        changes.current_amount
    from changes
    inner join periods on changes.month = periods.month
    inner join bridge on changes.village_code = bridge.member_code
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
        count(*) filter (where by_breakdown.change_type = 'new') as new_households,
        coalesce(
            sum(by_breakdown.covered_persons) filter (where by_breakdown.change_type = 'new'), 0
        ) as new_persons,
        count(*) filter (where by_breakdown.change_type = 'exited') as exited_households,
        coalesce(
            sum(by_breakdown.covered_persons) filter (
                where by_breakdown.change_type = 'exited'
            ), 0
        ) as exited_persons,
        count(*) filter (where by_breakdown.change_type = 'raised') as raised_households,
        count(*) filter (where by_breakdown.change_type = 'lowered') as lowered_households,
        -- v2: persons (in m) of raised/lowered households and the four change amounts
        coalesce(
            sum(by_breakdown.covered_persons) filter (
                where by_breakdown.change_type = 'raised'
            ), 0
        ) as raised_persons,
        coalesce(
            sum(by_breakdown.covered_persons) filter (
                where by_breakdown.change_type = 'lowered'
            ), 0
        ) as lowered_persons,
        coalesce(
            sum(by_breakdown.current_amount) filter (where by_breakdown.change_type = 'new'), 0
        ) / 10000 as new_amount,
        coalesce(
            sum(by_breakdown.previous_amount) filter (
                where by_breakdown.change_type = 'exited'
            ), 0
        ) / 10000 as exited_amount,
        coalesce(
            sum(by_breakdown.current_amount - by_breakdown.previous_amount) filter (
                where by_breakdown.change_type = 'raised'
            ), 0
        ) / 10000 as raised_amount,
        coalesce(
            sum(by_breakdown.previous_amount - by_breakdown.current_amount) filter (
                where by_breakdown.change_type = 'lowered'
            ), 0
        ) / 10000 as lowered_amount
    from by_breakdown
    group by by_breakdown.period, by_breakdown.region_code, by_breakdown.breakdown
),

indicator_rows as (
    {% set measures = [
        'new_households', 'new_persons', 'exited_households', 'exited_persons',
        'raised_households', 'lowered_households', 'raised_persons', 'lowered_persons',
        'new_amount', 'exited_amount', 'raised_amount', 'lowered_amount',
    ] %}
    {% for measure in measures %}
        select
            aggregated.period,
            aggregated.region_code,
            'dibao_{{ measure }}' as indicator,
            aggregated.breakdown,
            cast(aggregated.{{ measure }} as double) as unrounded_value,
            cast(null as double) as numerator,
            cast(null as double) as denominator
        from aggregated
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from indicator_rows
