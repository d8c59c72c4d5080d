-- §5a 婚姻登记, the district only (the registering office is the district's): one row per
-- (period, district, indicator, breakdown), unrounded. "In the period": done_on.
--   marriage_registrations / divorce_registrations  total, domestic, cross_border
--   divorce_applications, divorce_withdrawn, marriage_record_certificates  total
--   marriage_reissues        total, marriage_cert, divorce_cert (never a marriage or divorce)
--   marriage_party_ages      each domestic party of each marriage by its age band on done_on
--   remarriage_share         marriages with both priors given: either divorced or widowed
--   marriage_review_pass_rate  rows with review = pass ÷ rows with a review
with

periods as (
    select * from {{ ref('int_periods_enumerated') }}
),

district as (
    select regions.region_code
    from {{ ref('int_regions_classified') }} as regions
    where regions.region_level = 'district'
),

registrations as (
    select * from {{ ref('stg_raw__marriage_registrations') }}
),

in_period as (
    select
        periods.period,
        district.region_code,
        registrations.business,
        case
            when registrations.party_type = 'domestic' then 'domestic' else 'cross_border'
        end as party_group,
        registrations.man_age_band,
        registrations.woman_age_band,
        registrations.man_prior,
        registrations.woman_prior,
        registrations.review
    from registrations
    inner join periods
        on cast(date_trunc('month', registrations.done_on) as date) = periods.month
    cross join district
),

-- each row once under its own breakdown and once under 'total'
by_party as (
    {{ breakdown_and_total('in_period', 'party_group') }}
),

reissues as (
    select
        in_period.*,
        case
            when in_period.business = 'reissue_marriage' then 'marriage_cert'
            else 'divorce_cert'
        end as cert
    from in_period
    where in_period.business in ('reissue_marriage', 'reissue_divorce')
),

reissues_by_cert as (
    {{ breakdown_and_total('reissues', 'cert') }}
),

counted as (
    select
        by_party.period,
        by_party.region_code,
        case by_party.business
            when 'marriage' then 'marriage_registrations'
            when 'divorce' then 'divorce_registrations'
            when 'divorce_application' then 'divorce_applications'
            when 'divorce_withdrawn' then 'divorce_withdrawn'
            when 'record_certificate' then 'marriage_record_certificates'
        end as indicator,
        by_party.breakdown,
        count(*) as n
    from by_party
    where
        by_party.business in ('marriage', 'divorce')
        or (
            by_party.business in ('divorce_application', 'divorce_withdrawn', 'record_certificate')
            and by_party.breakdown = 'total'
        )
    group by 1, 2, 3, 4

    union all

    select
        reissues_by_cert.period,
        reissues_by_cert.region_code,
        'marriage_reissues' as indicator,
        reissues_by_cert.breakdown,
        count(*) as n
    from reissues_by_cert
    group by 1, 2, 3, 4
),

parties as (
    select
        in_period.period,
        in_period.region_code,
        in_period.man_age_band as age_band
    from in_period
    where in_period.business = 'marriage' and in_period.man_age_band is not null
    union all
    select
        in_period.period,
        in_period.region_code,
        in_period.woman_age_band as age_band
    from in_period
    where in_period.business = 'marriage' and in_period.woman_age_band is not null
),

ages as (
    select
        parties.period,
        parties.region_code,
        parties.age_band as breakdown,
        count(*) as n
    from parties
    group by 1, 2, 3
),

remarriages as (
    select
        in_period.period,
        in_period.region_code,
        count(*) filter (
            where
            in_period.man_prior in ('divorced', 'widowed')
            or in_period.woman_prior in ('divorced', 'widowed')
        ) as remarried,
        count(*) as marriages
    from in_period
    where
        in_period.business = 'marriage'
        and in_period.man_prior is not null
        and in_period.woman_prior is not null
    group by 1, 2
),

reviews as (
    select
        in_period.period,
        in_period.region_code,
        count(*) filter (where in_period.review = 'pass') as passed,
        count(*) as reviewed
    from in_period
    where in_period.review is not null
    group by 1, 2
),

indicator_rows as (
    select
        counted.period,
        counted.region_code,
        counted.indicator,
        counted.breakdown,
        cast(counted.n as double) as unrounded_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator
    from counted

    union all

    {{ indicator_row('ages', 'marriage_party_ages', "cast(ages.n as double)") }}

    union all

    select
        remarriages.period,
        remarriages.region_code,
        'remarriage_share' as indicator,
        'total' as breakdown,
        cast(remarriages.remarried as double) * 100 / remarriages.marriages as unrounded_value,
        cast(remarriages.remarried as double) as numerator,
        cast(remarriages.marriages as double) as denominator
    from remarriages

    union all

    select
        reviews.period,
        reviews.region_code,
        'marriage_review_pass_rate' as indicator,
        'total' as breakdown,
        cast(reviews.passed as double) * 100 / reviews.reviewed as unrounded_value,
        cast(reviews.passed as double) as numerator,
        cast(reviews.reviewed as double) as denominator
    from reviews
)

select * from indicator_rows
