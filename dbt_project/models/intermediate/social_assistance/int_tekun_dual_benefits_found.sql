-- Persons who in the same month are in the tekun roster and a covered member (covered = 是)
-- of a household in that month's dibao roster. One row per (month, person_key), counted at
-- the region of the person's tekun row.
with

tekun as (
    select * from {{ ref('stg_raw__tekun_persons') }}
),

members as (
    select * from {{ ref('stg_raw__dibao_members') }}
),

households as (
    select * from {{ ref('int_dibao_households_monthly') }}
),

found as (
    select distinct
        tekun.month,
        tekun.person_key,
        tekun.village_code
    from tekun
    inner join members
        on
            tekun.person_key = members.person_key
            and members.is_covered
    inner join households
        on
            members.household_id = households.household_id
            and tekun.month = households.month
)

select * from found
