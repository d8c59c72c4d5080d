-- One row per (event, township), the unit of disaster reporting. Its figures and started_at
-- come from its latest report: the 核报 (final) if any, else the latest 续报 (update) by
-- reported_at, else the (latest) 初报 (initial).
--   is_initial_report_timely  earliest 初报 reported_at <= started_at + 2 h (none = late)
--   needs_relief              affected_persons > 0
--   is_relief_within_12h      earliest relief paid_at <= started_at + 12 h (none = late)
with

reports as (
    select * from {{ ref('stg_raw__disaster_reports') }}
),

relief as (
    select * from {{ ref('stg_raw__disaster_relief') }}
),

ranked as (
    select
        reports.*,
        row_number() over (
            partition by reports.event_id, reports.township_code
            order by reports.stage_rank desc, reports.reported_at desc
        ) as report_rank
    from reports
),

first_initial as (
    select
        reports.event_id,
        reports.township_code,
        min(reports.reported_at) as first_initial_reported_at
    from reports
    where reports.stage = 'initial'
    group by reports.event_id, reports.township_code
),

relief_summed as (
    select
        relief.event_id,
        relief.township_code,
        min(relief.paid_at) as first_relief_paid_at,
        count(*) as relief_rows,
        sum(relief.persons) as relief_persons,
        sum(relief.funds) as relief_funds
    from relief
    group by relief.event_id, relief.township_code
),

latest as (
    select
        ranked.event_id,
        ranked.township_code,
        ranked.hazard,
        ranked.stage as latest_stage,
        ranked.reported_at as latest_reported_at,
        ranked.started_at,
        ranked.affected_persons,
        ranked.relocated_persons,
        ranked.crop_affected_ha,
        ranked.crop_failed_ha,
        ranked.collapsed_households,
        ranked.collapsed_rooms,
        ranked.damaged_households,
        ranked.damaged_rooms,
        ranked.direct_loss_10k
    from ranked
    where ranked.report_rank = 1
)

select
    latest.*,
    first_initial.first_initial_reported_at,
    coalesce(
        first_initial.first_initial_reported_at <= latest.started_at + interval 2 hour, false
    ) as is_initial_report_timely,
    latest.affected_persons > 0 as needs_relief,
    relief_summed.first_relief_paid_at,
    coalesce(
        relief_summed.first_relief_paid_at <= latest.started_at + interval 12 hour, false
    ) as is_relief_within_12h,
    coalesce(relief_summed.relief_rows, 0) as relief_rows,
    coalesce(relief_summed.relief_persons, 0) as relief_persons,
    coalesce(relief_summed.relief_funds, 0) as relief_funds
from latest
left join first_initial
    on
        latest.event_id = first_initial.event_id
        and latest.township_code = first_initial.township_code
left join relief_summed
    on
        latest.event_id = relief_summed.event_id
        and latest.township_code = relief_summed.township_code
