-- Settlements whose beneficiary is dibao (tekun) but whose person is not a covered member of
-- a household in the dibao roster (not in the tekun roster) of the settlement's month
-- (indicators v2 §5c). One row per settlement found.
with

settlements as (
    select * from {{ ref('stg_raw__medical_assistance') }}
    where beneficiary in ('dibao', 'tekun')
),

-- only the persons settled are looked for: the rosters are read through a semi-join to the
-- settlements' persons (≈ 57 k settlements at the bench's v2 province) rather than made
-- distinct whole (28 M roster rows there: 8.9 → 0.3 s, the same rows)
dibao_members as (
    select distinct
        listed.month,
        listed.person_key
    from {{ ref('int_dibao_member_payments_listed') }} as listed
    where listed.person_key in (select settlements.person_key from settlements)
),

tekun as (
    select distinct
        tekun_rows.month,
        tekun_rows.person_key
    from {{ ref('stg_raw__tekun_persons') }} as tekun_rows
    where tekun_rows.person_key in (select settlements.person_key from settlements)
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
