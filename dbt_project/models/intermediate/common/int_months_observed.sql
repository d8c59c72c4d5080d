-- Months the data touches: roster months of the monthly sources and the months of dated
-- events (temporary assistance paid, disaster started, soldier received; v2: marriage
-- business done, death, cremation, burial case found, vagrant case started, medical
-- settlement, senior card issued). History-only dates (standards' effective months,
-- veterans' recognition, low-income assessment, organisations' registration, committee
-- elections) do not open periods on their own.
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

elderly_subsidies as (
    select * from {{ ref('stg_raw__elderly_subsidies') }}
),

child_welfare_payments as (
    select * from {{ ref('stg_raw__child_welfare_payments') }}
),

marriage_registrations as (
    select * from {{ ref('stg_raw__marriage_registrations') }}
),

deaths as (
    select * from {{ ref('stg_raw__deaths') }}
),

cremations as (
    select * from {{ ref('stg_raw__cremations') }}
),

burial_enforcement as (
    select * from {{ ref('stg_raw__burial_enforcement') }}
),

vagrant_assistance as (
    select * from {{ ref('stg_raw__vagrant_assistance') }}
),

medical_assistance as (
    select * from {{ ref('stg_raw__medical_assistance') }}
),

senior_cards as (
    select * from {{ ref('stg_raw__senior_cards') }}
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
    union all
    select
        elderly_subsidies.month,
        'elderly_subsidies' as source_name
    from elderly_subsidies
    union all
    select
        child_welfare_payments.month,
        'child_welfare_payments' as source_name
    from child_welfare_payments
    union all
    select
        cast(date_trunc('month', marriage_registrations.done_on) as date) as month,
        'marriage_registrations' as source_name
    from marriage_registrations
    union all
    select
        cast(date_trunc('month', deaths.died_on) as date) as month,
        'deaths' as source_name
    from deaths
    union all
    select
        cast(date_trunc('month', cremations.cremated_on) as date) as month,
        'cremations' as source_name
    from cremations
    union all
    select
        cast(date_trunc('month', burial_enforcement.found_on) as date) as month,
        'burial_enforcement' as source_name
    from burial_enforcement
    union all
    select
        cast(date_trunc('month', vagrant_assistance.started_on) as date) as month,
        'vagrant_assistance' as source_name
    from vagrant_assistance
    union all
    select
        cast(date_trunc('month', medical_assistance.settled_on) as date) as month,
        'medical_assistance' as source_name
    from medical_assistance
    union all
    select
        cast(date_trunc('month', senior_cards.issued_on) as date) as month,
        'senior_cards' as source_name
    from senior_cards
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
