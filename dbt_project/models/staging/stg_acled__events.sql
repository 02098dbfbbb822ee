{#- Private (ACLED terms): never selected by a published mart; int_acled__election_window_aggregates
    is the only model that reads it. -#}
with

events as (

    select * from {{ source('raw', 'acled_events') }}

),

deletions as (

    select
        trim(event_id_cnty) as event_id_cnty,
        max(cast(deleted_timestamp as bigint)) as deleted_timestamp
    from {{ source('raw', 'acled_deletions') }}
    group by 1

),

-- incremental pulls resend changed events: the copy with the newest ACLED timestamp is current
latest as (

    select *
    from events
    qualify row_number() over (
        partition by event_id_cnty
        order by cast(timestamp as bigint) desc, cast(_fetched_at as timestamptz) desc, _payload_sha256 desc
    ) = 1

),

renamed as (

    select
        -- ids
        latest.event_id_cnty,

        -- event
        cast(latest.event_date as date) as event_date,
        latest.disorder_type,
        latest.event_type,
        latest.sub_event_type,
        cast(latest.fatalities as integer) as fatalities,

        -- place
        latest.country as acled_country,
        latest.iso as acled_iso_numeric,
        latest.admin1,

        -- provenance
        to_timestamp(cast(latest.timestamp as bigint)) as acled_updated_at,
        latest._pull_id as pull_id,
        cast(latest._fetched_at as timestamptz) as fetched_at

    from latest
    -- a deletion at or after the copy's timestamp withdraws it; a later re-publication brings it back
    left join deletions
        on
            latest.event_id_cnty = deletions.event_id_cnty
            and deletions.deleted_timestamp >= cast(latest.timestamp as bigint)
    where deletions.event_id_cnty is null

)

select * from renamed
