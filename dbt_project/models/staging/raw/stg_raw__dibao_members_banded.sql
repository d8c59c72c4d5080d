-- Privacy boundary (indicators v2 §1, §8): the age of a 低保 member is taken on the last
-- day of a period, which staging does not know; but every period ends on the last day of a
-- month. So this model takes, for every member and every month of their household's roster,
-- the age band on that month's last day (minor < 18, adult, elderly >= 60), derived here
-- from the raw ID number before it is dropped. The birth date and the age in years exist
-- only inside this query; nothing finer than the band leaves staging (enforced by
-- tests/dbt/test_dbt_privacy.py). Whole years: a person born on 29 February turns a year
-- older on 1 March in common years.
-- The age is one subtraction of two yyyymmdd integers: with E = Ey * 10000 + Emd for the
-- month's last day and B = By * 10000 + Bmd for the birth date (month * 100 + day < 10000),
-- (E - B) // 10000 = Ey - By - (1 if Emd < Bmd else 0), the whole years above (a birth
-- after the month's end gives 0 or less: a minor either way). The bands' reads of this
-- view (the member figures and two tests) took 25-35 % less than with the parts compared
-- (docs/benchmarks.md, "Issue 18, twelfth round").
-- Each row carries its roster month's village and program: the member counts need them, and
-- taking them here, from the very roster row that gave the month, spared the member model a
-- second join of every member-month to the roster (at the bench's v2 province, 37 M rows to
-- 14.6 M: that model 8.7–9.8 → 4.8–5.5 s, the same rows).
with

members as (
    select * from {{ source('raw', 'dibao_members') }}
),

-- (month, household_id) is the roster's key: stage 2 sets every repeat of it aside
-- (duplicate_row, conflicting_duplicate) and staging tests it, so no `distinct` here (it cost
-- half of each of the four reads of this view at the bench's v2 province: 7–8 → 3–4 s)
roster_months as (
    select
        households.household_id,
        households.month,
        households.village_code,
        households.program,
        year(last_day(households.month)) * 10000
        + month(last_day(households.month)) * 100
        + day(last_day(households.month)) as month_end_yyyymmdd
    from {{ ref('stg_raw__dibao_households') }} as households
),

born as (
    select
        members.id_number_hash as person_key,
        members.household_id,
        cast(substr(members.id_number, 7, 8) as integer) as birth_yyyymmdd
    from members
),

aged as (
    select
        born.person_key,
        born.household_id,
        roster_months.month,
        roster_months.village_code,
        roster_months.program,
        (roster_months.month_end_yyyymmdd - born.birth_yyyymmdd) // 10000 as age_years
    from born
    inner join roster_months on born.household_id = roster_months.household_id
)

select
    aged.person_key,
    aged.household_id,
    aged.month,
    aged.village_code,
    aged.program,
    case
        when aged.age_years < 18 then 'minor'
        when aged.age_years >= 60 then 'elderly'
        else 'adult'
    end as age_band
from aged
