-- Settlements whose beneficiary is dibao (tekun) but whose person is not a covered member of
-- a household in the dibao roster (not in the tekun roster) of the settlement's month
-- (indicators v2 §5c). One row per settlement found.
with

settlements as (
    select * from {{ ref('stg_raw__medical_assistance') }}
    where beneficiary in ('dibao', 'tekun')
),

dibao_members as (
    select distinct
        listed.month,
        listed.person_key
    from {{ ref('int_dibao_member_payments_listed') }} as listed
),

tekun as (
    select distinct
        tekun_rows.month,
        tekun_rows.person_key
    from {{ ref('stg_raw__tekun_persons') }} as tekun_rows
),

unmatched as (
    select
        settlements.settlement_id,
        settlements.settled_on,
        settlements.village_code,
        settlements.beneficiary
    from settlements
    where not exists (
        select 1
        from dibao_members
        where
            settlements.beneficiary = 'dibao'
            and dibao_members.person_key = settlements.person_key
            and dibao_members.month = date_trunc('month', settlements.settled_on)
    )
    and not exists (
        select 1
        from tekun
        where
            settlements.beneficiary = 'tekun'
            and tekun.person_key = settlements.person_key
            and tekun.month = date_trunc('month', settlements.settled_on)
    )
)

select * from unmatched
