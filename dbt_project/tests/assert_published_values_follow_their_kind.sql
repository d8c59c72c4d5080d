-- Counts are whole numbers; counts, sums, standards and differences carry no numerator or
-- denominator; rates and ratios carry both, with a non-zero denominator.
with

published as (
    select * from {{ ref('fct_indicators') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
)

select
    published.*,
    catalogue.value_kind
from published
inner join catalogue on published.indicator = catalogue.indicator
where
    (catalogue.value_kind = 'count' and published.value <> floor(published.value))
    or (
        catalogue.value_kind in ('count', 'sum', 'standard', 'difference')
        and (published.numerator is not null or published.denominator is not null)
    )
    or (
        catalogue.value_kind in ('rate', 'ratio')
        and (
            published.numerator is null
            or published.denominator is null
            or published.denominator = 0
        )
    )
