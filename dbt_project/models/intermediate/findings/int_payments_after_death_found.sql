-- Payments for a month m whose first day is after the person's died_on (indicators v2 §5c):
-- a death on 1 June does not make June's payment one after death (1 June is not after
-- 1 June); July's is. One row per payment row found.
with

payments as (
    select * from {{ ref('int_payments_unioned') }}
),

deaths as (
    select * from {{ ref('stg_raw__deaths') }}
),

found as (
    select
        payments.program,
        payments.month,
        payments.village_code,
        payments.person_key,
        payments.amount
    from payments
    inner join deaths on payments.person_key = deaths.person_key
    where payments.month > deaths.died_on
)

select * from found
