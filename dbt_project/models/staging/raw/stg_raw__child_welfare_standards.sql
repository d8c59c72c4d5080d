-- The basic living cost standards of children per category and care type (no PII).
with

source as (
    select * from {{ source('raw', 'child_welfare_standards') }}
),

renamed as (
    select
        source.effective_month,
        source.category,
        source.care_type,
        source.monthly_standard
    from source
)

select * from renamed
