-- §5b 老年福利, unrounded, every breakdown the catalogue lists (the bands of
-- longevity_persons_end / longevity_funds are data: int_longevity_band_indicators_computed).
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

bridge as (
    select * from {{ ref('int_regions_bridged') }}
),

elderly as (
    select * from {{ ref('stg_raw__elderly_subsidies') }}
),

changes as (
    select * from {{ ref('int_longevity_changes_computed') }}
),

cards as (
    select * from {{ ref('stg_raw__senior_cards') }}
),

in_period as (
    select
        periods.period,
        periods.is_last_month,
        bridge.region_code,
        elderly.person_key,
        elderly.subsidy,
        elderly.amount,
        elderly.is_aged_100_plus
    from elderly
    inner join periods on elderly.month = periods.month
    inner join bridge on elderly.village_code = bridge.member_code
),

by_subsidy as (
    {{ breakdown_and_total('in_period', 'subsidy') }}
),

subsidy_aggregated as (
    select
        by_subsidy.period,
        by_subsidy.region_code,
        by_subsidy.breakdown,
        sum(by_subsidy.amount) as amount_yuan
    from by_subsidy
    group by by_subsidy.period, by_subsidy.region_code, by_subsidy.breakdown
),

roster_aggregated as (
    select
        in_period.period,
        in_period.region_code,
        'total' as breakdown,
        count(distinct in_period.person_key) filter (
            where in_period.is_last_month and in_period.subsidy = 'longevity'
        ) as longevity_end,
        sum(in_period.amount) filter (where in_period.subsidy = 'longevity') as longevity_yuan,
        count(distinct in_period.person_key) filter (
            where
            in_period.is_last_month and in_period.subsidy = 'longevity'
            and in_period.is_aged_100_plus
        ) as centenarians_end,
        count(distinct in_period.person_key) filter (
            where in_period.is_last_month and in_period.subsidy = 'care'
        ) as care_end,
        count(distinct in_period.person_key) filter (
            where in_period.is_last_month and in_period.subsidy = 'service'
        ) as service_end
    from in_period
    group by in_period.period, in_period.region_code
),

changes_aggregated as (
    select
        periods.period,
        bridge.region_code,
        'total' as breakdown,
        count(*) filter (where changes.change_type = 'new') as new_persons,
        count(*) filter (where changes.change_type = 'ended') as ended_persons
    from changes
    inner join periods on changes.month = periods.month
    inner join bridge on changes.village_code = bridge.member_code
    group by periods.period, bridge.region_code
),

card_periods as (
    select distinct
        periods.period,
        periods.period_start,
        periods.period_end
    from periods
),

cards_in_period as (
    select
        card_periods.period,
        bridge.region_code,
        cards.age_band
    from cards
    inner join card_periods
        on cards.issued_on between card_periods.period_start and card_periods.period_end
    inner join bridge on cards.village_code = bridge.member_code
),

cards_by_band as (
    {{ breakdown_and_total('cards_in_period', 'age_band') }}
),

cards_aggregated as (
    select
        cards_by_band.period,
        cards_by_band.region_code,
        cards_by_band.breakdown,
        count(*) as cards_issued
    from cards_by_band
    where cards_by_band.breakdown <> 'under_60'
    group by cards_by_band.period, cards_by_band.region_code, cards_by_band.breakdown
),

indicator_rows as (
    {{ indicator_row('roster_aggregated', 'longevity_persons_end',
        'cast(roster_aggregated.longevity_end as double)') }}
    union all
    {{ indicator_row('roster_aggregated', 'longevity_funds',
        'cast(roster_aggregated.longevity_yuan as double) / 10000') }}
    union all
    {{ indicator_row('roster_aggregated', 'centenarians_end',
        'cast(roster_aggregated.centenarians_end as double)') }}
    union all
    {{ indicator_row('roster_aggregated', 'care_subsidy_persons_end',
        'cast(roster_aggregated.care_end as double)') }}
    union all
    {{ indicator_row('roster_aggregated', 'service_subsidy_persons_end',
        'cast(roster_aggregated.service_end as double)') }}
    union all
    {{ indicator_row('subsidy_aggregated', 'elderly_subsidy_funds',
        'cast(subsidy_aggregated.amount_yuan as double) / 10000') }}
    union all
    {{ indicator_row('changes_aggregated', 'longevity_new_persons',
        'cast(changes_aggregated.new_persons as double)') }}
    union all
    {{ indicator_row('changes_aggregated', 'longevity_ended_persons',
        'cast(changes_aggregated.ended_persons as double)') }}
    union all
    {{ indicator_row('cards_aggregated', 'senior_cards_issued',
        'cast(cards_aggregated.cards_issued as double)') }}
)

select * from indicator_rows
