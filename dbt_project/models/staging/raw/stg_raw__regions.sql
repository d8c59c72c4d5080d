with

source as (
    select * from {{ source('raw', 'regions') }}
),

renamed as (
    select
        ---------- ids
        source.region_code,
        source.parent_code,
        ---------- attributes
        source.region_name,
        source.level as region_level,
        source.urban_rural_code,
        -- v2, villages only: empty = cremation_zone; committee type from the area class
        -- (11x/12x residents_committee, 2xx village_committee)
        case
            when source.level = 'village' then coalesce(source.burial_zone, 'cremation_zone')
        end as burial_zone,
        case
            when source.level = 'village'
                then coalesce(
                    source.committee_type,
                    case left(source.urban_rural_code, 1)
                        when '1' then 'residents_committee'
                        when '2' then 'village_committee'
                    end
                )
        end as committee_type,
        ---------- measures
        source.resident_population,
        source.registered_population,
        ---------- lineage
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
