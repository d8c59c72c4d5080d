-- The roster rule of dibao_new_households / dibao_exited_households applied to the 高龄津贴
-- roster, by person: for every month m of the spine, new = in m's longevity roster and not
-- in m-1's (counted at its m row), ended = in m-1's and not in m's (counted at its m-1
-- row). Where m-1 has no longevity roster at all, m adds nothing.
with

roster as (
    select distinct
        elderly.month,
        elderly.person_key,
        elderly.village_code
    from {{ ref('stg_raw__elderly_subsidies') }} as elderly
    where elderly.subsidy = 'longevity'
),

spine as (
    select * from {{ ref('int_months_spined') }}
),

comparable_months as (
    select
        spine.month,
        spine.previous_month
    from spine
    where exists (
        select 1 from roster
        where roster.month = spine.previous_month
    )
),

current_rows as (
    select
        comparable_months.month,
        roster.person_key,
        roster.village_code
    from comparable_months
    inner join roster on comparable_months.month = roster.month
),

previous_rows as (
    select
        comparable_months.month,
        roster.person_key,
        roster.village_code
    from comparable_months
    inner join roster on comparable_months.previous_month = roster.month
),

compared as (
    select
        coalesce(current_rows.month, previous_rows.month) as month,
        coalesce(current_rows.person_key, previous_rows.person_key) as person_key,
        case when previous_rows.person_key is null then 'new' else 'ended' end as change_type,
        coalesce(current_rows.village_code, previous_rows.village_code) as village_code
    from current_rows
    full outer join previous_rows
        on
            current_rows.month = previous_rows.month
            and current_rows.person_key = previous_rows.person_key
    where current_rows.person_key is null or previous_rows.person_key is null
)

select * from compared
