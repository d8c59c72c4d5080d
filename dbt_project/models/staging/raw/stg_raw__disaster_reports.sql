with

source as (
    select * from {{ source('raw', 'disaster_reports') }}
),

renamed as (
    select
        ---------- ids
        source.event_id,
        source.region_code as township_code,
        source.stage,
        source.reported_at,
        ---------- attributes
        source.hazard,
        source.started_at,
        case source.stage
            when 'final' then 3
            when 'update' then 2
            when 'initial' then 1
        end as stage_rank,
        ---------- measures
        source.affected_persons,
        source.relocated_persons,
        source.crop_affected_ha,
        source.crop_failed_ha,
        source.collapsed_households,
        source.collapsed_rooms,
        source.damaged_households,
        source.damaged_rooms,
        source.direct_loss_10k,
        ---------- lineage
        source._file_sha256 as source_file_sha256,
        source._row_number as source_row_number
    from source
)

select * from renamed
