-- 特困转入低保 (indicators v2 §2): for each month m, the persons in m−1's tekun roster and not
-- in m's that are covered members of a household in m's dibao roster. One row per (m,
-- person), with the village of the person's m−1 tekun row (a township counts by it). Read
-- literally: m−1 may lie before the period, and no roster of m is required beyond the
-- dibao membership itself.
with

tekun as (
    select * from {{ ref('stg_raw__tekun_persons') }}
),

households as (
    select * from {{ ref('stg_raw__dibao_households') }}
),

members as (
    select * from {{ ref('stg_raw__dibao_members') }}
    where is_covered
),

left_tekun as (
    select
        cast(previous.month + interval 1 month as date) as month,
        previous.person_key,
        previous.village_code as previous_village_code
    from tekun as previous
    where not exists (
        select 1
        from tekun as following
        where
            following.person_key = previous.person_key
            and following.month = cast(previous.month + interval 1 month as date)
    )
),

-- only the persons who left the tekun roster are looked for among the dibao members (a
-- semi-join first: members × roster months was 27 M rows at the bench's v2 province)
left_members as (
    select
        members.person_key,
        members.household_id
    from members
    where members.person_key in (select left_tekun.person_key from left_tekun)
)

select
    left_tekun.month,
    left_tekun.person_key,
    left_tekun.previous_village_code
from left_tekun
where exists (
    select 1
    from left_members
    inner join households on left_members.household_id = households.household_id
    where
        left_members.person_key = left_tekun.person_key
        and households.month = left_tekun.month
)
