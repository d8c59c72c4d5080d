-- 优抚金 payments with the village of the person's own veterans roster row (veteran_payments
-- has no region; indicators v2 §1: for veterans, the region of the person's roster row).
-- A view, as int_dibao_member_payments_listed: its one reader (int_payments_unioned, for the
-- payments-after-death check) keeps a handful of rows; as a table every payment was written
-- again (4.8 M rows, 6–11 s at the bench's v2 province).
{{ config(materialized='view') }}
with

payments as (
    select * from {{ ref('stg_raw__veteran_payments') }}
),

veterans as (
    select * from {{ ref('stg_raw__veterans') }}
),

placed as (
    select
        payments.month,
        veterans.village_code,
        payments.person_key,
        payments.amount
    from payments
    inner join veterans on payments.person_key = veterans.person_key
)

select * from placed
