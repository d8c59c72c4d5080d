-- 特困供养人数 (last month's roster) and 特困供养金 (Σ over the period ÷ 10 000), total and by
-- care type and (v2) urban/rural; 特困转入低保人数 (v2); 重复享受人数 (distinct persons found in some month of the period).
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

tekun as (
    select * from {{ ref('stg_raw__tekun_persons') }}
),

dual_benefits as (
    select * from {{ ref('int_tekun_dual_benefits_found') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

-- The roster's rows counted and summed per village and month first, then added up the
-- region tree. Exact: (month, person_key) is the roster's key (tested in staging), so the
-- persons of a region in a month are the sum of its villages' rows; amounts are
-- DECIMAL(18,2), whose sums do not depend on their order. (Counting distinct persons per
-- region level made one row per person, period and level: 35–39 s at province.)
village_months as (
    select
        tekun.month,
        tekun.village_code,
        tekun.care_type,
        tekun.urban_rural,
        count(*) as persons,
        sum(tekun.monthly_amount) as amount_yuan
    from tekun
    group by tekun.month, tekun.village_code, tekun.care_type, tekun.urban_rural
),

in_period as (
    select
        periods.period,
        periods.is_last_month,
        bridge.region_code,
        village_months.care_type,
        village_months.urban_rural,
        village_months.persons,
        village_months.amount_yuan
    from village_months
    inner join periods on village_months.month = periods.month
    inner join bridge on village_months.village_code = bridge.member_code
),

-- every row once under its care type's breakdown and once under 'total'
-- (v2) and once more under its urban_rural
by_breakdown as (
    {{ breakdown_and_total('in_period', 'care_type') }}
    union all
    select
        in_period.*,
        in_period.urban_rural as breakdown
    from in_period
    where in_period.urban_rural is not null
),

aggregated as (
    select
        by_breakdown.period,
        by_breakdown.region_code,
        by_breakdown.breakdown,
        coalesce(sum(by_breakdown.persons) filter (where by_breakdown.is_last_month), 0)
            as persons_end,
        sum(by_breakdown.amount_yuan) as amount_yuan
    from by_breakdown
    group by by_breakdown.period, by_breakdown.region_code, by_breakdown.breakdown
),

to_dibao as (
    select * from {{ ref('int_tekun_to_dibao_found') }}
),

to_dibao_aggregated as (
    select
        periods.period,
        bridge.region_code,
        count(*) as to_dibao_persons
    from to_dibao
    inner join periods on to_dibao.month = periods.month
    inner join bridge on to_dibao.previous_village_code = bridge.member_code
    group by periods.period, bridge.region_code
),

dual_aggregated as (
    select
        periods.period,
        bridge.region_code,
        count(distinct dual_benefits.person_key) as dual_persons
    from dual_benefits
    inner join periods on dual_benefits.month = periods.month
    inner join bridge on dual_benefits.village_code = bridge.member_code
    group by periods.period, bridge.region_code
),

indicator_rows as (
    {{ indicator_row('aggregated', 'tekun_persons_end', "cast(aggregated.persons_end as double)") }}

    union all

    {{ indicator_row('aggregated', 'tekun_funds', "cast(aggregated.amount_yuan as double) / 10000") }}

    union all

    {{ indicator_row(
        'dual_aggregated', 'dual_benefit_persons', "cast(dual_aggregated.dual_persons as double)",
        breakdown="'total'"
    ) }}

    union all

    {{ indicator_row(
        'to_dibao_aggregated', 'tekun_to_dibao_persons',
        "cast(to_dibao_aggregated.to_dibao_persons as double)", breakdown="'total'"
    ) }}
)

select * from indicator_rows
