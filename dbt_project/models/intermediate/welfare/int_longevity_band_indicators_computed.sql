-- longevity_persons_end and longevity_funds by age band (bands are data, so the catalogue
-- cannot list them): a row for every region and every band of the longevity standards in
-- force in the period's last month, 0 when nothing counts; longevity_funds also for any
-- other band paid under in the period (a standard that changed mid-period). A row's band
-- is that of its own month (staging: age on the month's last day).
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

regions as (
    select * from {{ ref('int_regions_classified') }}
    where region_level in ('district', 'township')
),

bands as (
    select * from {{ ref('stg_raw__elderly_subsidy_standards') }}
    where subsidy = 'longevity'
),

longevity as (
    select * from {{ ref('stg_raw__elderly_subsidies') }}
    where subsidy = 'longevity' and age_band is not null
),

in_period as (
    select
        periods.period,
        periods.is_last_month,
        bridge.region_code,
        longevity.age_band,
        longevity.person_key,
        longevity.amount
    from longevity
    inner join periods on longevity.month = periods.month
    inner join bridge on longevity.village_code = bridge.member_code
),

observed as (
    select
        in_period.period,
        in_period.region_code,
        in_period.age_band,
        count(distinct in_period.person_key) filter (where in_period.is_last_month)
            as persons_end,
        sum(in_period.amount) as amount_yuan
    from in_period
    group by in_period.period, in_period.region_code, in_period.age_band
),

last_months as (
    select distinct
        periods.period,
        periods.last_month
    from periods
),

in_force as (
    select distinct
        last_months.period,
        bands.age_band
    from last_months
    inner join bands
        on
            last_months.last_month >= bands.effective_month
            and last_months.last_month < bands.until_month
),

paid_bands as (
    select distinct
        observed.period,
        observed.age_band
    from observed
),

band_slots as (
    select
        coalesce(in_force.period, paid_bands.period) as period,
        coalesce(in_force.age_band, paid_bands.age_band) as age_band,
        in_force.age_band is not null as is_in_force
    from in_force
    full outer join paid_bands
        on in_force.period = paid_bands.period and in_force.age_band = paid_bands.age_band
),

slotted as (
    select
        band_slots.period,
        regions.region_code,
        band_slots.age_band as breakdown,
        band_slots.is_in_force,
        coalesce(observed.persons_end, 0) as persons_end,
        coalesce(observed.amount_yuan, 0) as amount_yuan
    from band_slots
    cross join regions
    left join observed
        on
            band_slots.period = observed.period
            and regions.region_code = observed.region_code
            and band_slots.age_band = observed.age_band
),

persons_slotted as (
    select * from slotted
    where is_in_force
),

indicator_rows as (
    {{ indicator_row('persons_slotted', 'longevity_persons_end',
        'cast(persons_slotted.persons_end as double)') }}
    union all
    {{ indicator_row('slotted', 'longevity_funds', 'cast(slotted.amount_yuan as double) / 10000') }}
)

select * from indicator_rows
