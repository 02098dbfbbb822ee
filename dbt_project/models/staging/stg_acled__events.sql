{#- Private (ACLED terms): never selected by a published mart; int_acled__election_window_aggregates
    is the only model that reads it. Why an event is missing: stg_acled__event_status. -#}
with

event_status as (

    select * from {{ ref('stg_acled__event_status') }}

),

current_events as (

    select
        -- ids
        event_id_cnty,

        -- event
        event_date,
        disorder_type,
        event_type,
        sub_event_type,
        fatalities,

        -- place
        acled_country,
        acled_iso_numeric,
        admin1,

        -- provenance
        acled_updated_at,
        pull_id,
        fetched_at

    from event_status
    where withdrawn_by is null

)

select * from current_events
