-- Drops name and id_number; the person is identified by the keyed hash.
with

source as (
    select * from {{ source('raw', 'tekun_persons') }}
),

villages as (
    select * from {{ source('raw', 'village_area_classes') }}
),

renamed as (
    select
        source.month,
        source.id_number_hash as person_key,
        source.region_code as village_code,
        source.care_type,
        source.monthly_amount,
        -- v2: empty = from the village's area class (11x/12x urban, 2xx rural)
        coalesce(
            source.urban_rural,
            case
                when villages.area_class in ('city', 'town') then 'urban'
                when villages.area_class = 'rural' then 'rural'
            end
        ) as urban_rural,
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
    left join villages on source.region_code = villages.region_code
)

select * from renamed
