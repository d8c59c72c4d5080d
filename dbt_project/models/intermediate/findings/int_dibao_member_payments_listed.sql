-- The 低保 roster as payments to persons: every covered member (dibao_members, covered =
-- 是) of a household in month m's roster, paid the household's monthly_amount ÷ its
-- covered_persons (indicators v2 §5c: "per covered member found"), at the household's village.
--
-- A view: its readers (the payments-after-death check through int_payments_unioned, the
-- medical settlements' match) keep a handful of rows; as a table it was every covered
-- member's month written to disk (28 M rows, 25–33 s at the bench's v2 province).
{{ config(materialized='view') }}
with

households as (
    select * from {{ ref('stg_raw__dibao_households') }}
),

members as (
    select * from {{ ref('stg_raw__dibao_members') }}
    where is_covered
),

listed as (
    select
        households.month,
        households.village_code,
        members.person_key,
        cast(households.monthly_amount as double) / households.covered_persons as amount
    from households
    inner join members on households.household_id = members.household_id
)

select * from listed
