-- Every payment to an identified person, one row per (program, roster row): the union of
-- the paying rosters declared once in macros/paying_rosters.sql. Columns: program, month,
-- village_code, person_key, amount (yuan).
with

unioned as (
    {% for roster in paying_rosters() %}
        select
            '{{ roster.program }}' as program,
            paid.month,
            paid.village_code,
            paid.person_key,
            cast(paid.{{ roster.get('amount', 'amount') }} as double) as amount
        from {{ ref(roster.relation) }} as paid
        where paid.person_key is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
