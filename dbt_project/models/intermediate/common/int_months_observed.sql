-- Months the data touches: roster months of the monthly sources and the months of dated
-- events (temporary assistance paid, disaster started, soldier received). History-only
-- dates (standards' effective months, veterans' recognition, low-income assessment) do not
-- open periods on their own.
with

dibao_households as (
    select * from {{ ref('stg_raw__dibao_households') }}
),

tekun_persons as (
    select * from {{ ref('stg_raw__tekun_persons') }}
),

veteran_payments as (
    select * from {{ ref('stg_raw__veteran_payments') }}
),

temp_assistance as (
    select * from {{ ref('stg_raw__temp_assistance') }}
),

disaster_events as (
    select * from {{ ref('int_disaster_events_latest') }}
),

soldiers_received as (
    select * from {{ ref('stg_raw__soldiers_received') }}
),

observed as (
    select
        dibao_households.month,
        'dibao_households' as source_name
    from dibao_households
    union all
    select
        tekun_persons.month,
        'tekun_persons' as source_name
    from tekun_persons
    union all
    select
        veteran_payments.month,
        'veteran_payments' as source_name
    from veteran_payments
    union all
    select
        cast(date_trunc('month', temp_assistance.paid_on) as date) as month,
        'temp_assistance' as source_name
    from temp_assistance
    union all
    select
        cast(date_trunc('month', disaster_events.started_at) as date) as month,
        'disaster_reports' as source_name
    from disaster_events
    union all
    select
        cast(date_trunc('month', soldiers_received.received_on) as date) as month,
        'soldiers_received' as source_name
    from soldiers_received
),

months as (
    select
        observed.month,
        count(*) as row_count,
        string_agg(distinct observed.source_name, ',' order by observed.source_name) as sources
    from observed
    where observed.month is not null
    group by observed.month
)

select * from months
