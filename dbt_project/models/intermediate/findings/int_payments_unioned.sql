-- Every payment to an identified person, one row per (program, roster row): program, month
-- (first day), village_code, person_key (keyed ID hash), amount (yuan paid to that person
-- for that month).
--
-- THE declaration of the paying rosters the payments-after-death check reads (indicators v2
-- §5c): each entry names the program (a breakdown of paid_after_death_*), a relation with
-- the columns month, village_code, person_key (NULL rows skipped) and the amount column.
-- A new paying roster joins the check by one entry here; no query is copied.
--
-- A view: the check joins it to the deaths and reads each roster once; as a table it was
-- every payment row of the period written to disk again (59 s at the bench's v2 province,
-- for a join that keeps a handful of rows).
{{ config(materialized='view') }}
{%- set paying_rosters = [
    {'program': 'dibao', 'relation': 'int_dibao_member_payments_listed', 'amount': 'amount'},
    {'program': 'tekun', 'relation': 'stg_raw__tekun_persons', 'amount': 'monthly_amount'},
    {'program': 'elderly', 'relation': 'stg_raw__elderly_subsidies', 'amount': 'amount'},
    {'program': 'child', 'relation': 'stg_raw__child_welfare_payments', 'amount': 'amount'},
    {'program': 'veteran', 'relation': 'int_veteran_payments_placed', 'amount': 'amount'},
] %}

with

unioned as (
    {% for roster in paying_rosters %}
        select
            '{{ roster.program }}' as program,
            paid.month,
            paid.village_code,
            paid.person_key,
            cast(paid.{{ roster.amount }} as double) as amount
        from {{ ref(roster.relation) }} as paid
        where paid.person_key is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
