{#- Every ACLED event ever loaded, its current copy, and whether and why it was withdrawn.
    Private (ACLED terms): read only by stg_acled__events; never selected by a published mart. -#}
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

-- ACLED's loaded pulls in the order they completed; a rejected pull loaded nothing and counts for nothing
pulls as (

    select
        pull_id,
        plan,
        json_extract_string(plan, '$.mode') as pull_mode,
        cast(json_extract_string(plan, '$.event_date_from') as date) as event_date_from,
        cast(json_extract_string(plan, '$.event_date_to') as date) as event_date_to,
        coalesce(json_array_length(plan, '$.countries'), 0) = 0 as all_countries,
        completed_at,
        row_number() over (order by completed_at asc, loaded_at asc, pull_id asc) as pull_order
    from {{ source('raw', 'loaded_pulls') }}
    where
        status = 'loaded'
        and source in (select distinct events._source from events)

),

-- the countries a full pull's plan asked for (none listed: every country)
asked as (

    select
        pulls.pull_id,
        lower(trim(asked_country.country)) as country
    from pulls
    cross join unnest(cast(json_extract(pulls.plan, '$.countries') as varchar[])) as asked_country (country)
    where pulls.pull_mode = 'full'

),

-- every event a pull answered with: the rows it loaded and the records it quarantined (drift in a
-- record is not the event leaving ACLED)
sightings as (

    select
        _pull_id as pull_id,
        event_id_cnty,
        country
    from events

    union all

    select
        split_part(record_locator, ' ', 1) as pull_id,
        trim(json_extract_string(record, '$.event_id_cnty')) as event_id_cnty,
        json_extract_string(record, '$.country') as country
    from {{ source('raw', 'quarantine') }}
    where
        source in (select distinct events._source from events)
        and split_part(record_locator, ' ', 2) like 'events.%'

),

last_seen as (

    select
        sightings.event_id_cnty,
        max(pulls.pull_order) as pull_order
    from sightings
    inner join pulls on sightings.pull_id = pulls.pull_id
    group by 1

),

-- (full pull, country) pairs that reconcile: asked for (or no country filter) and answered with at
-- least one event. A full pull with no rows for a country withdraws none of its events: an empty
-- answer is likelier an outage or an access change than every event of the country deleted.
reconciling as (

    select distinct
        pulls.pull_id,
        pulls.pull_order,
        pulls.completed_at,
        pulls.event_date_from,
        pulls.event_date_to,
        lower(trim(sightings.country)) as country
    from sightings
    inner join pulls on sightings.pull_id = pulls.pull_id
    left join asked
        on
            pulls.pull_id = asked.pull_id
            and lower(trim(sightings.country)) = asked.country
    where
        pulls.pull_mode = 'full'
        and (pulls.all_countries or asked.pull_id is not null)

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

-- a deletion at or after the copy's timestamp withdraws it (a later re-publication brings it back)
by_deletion as (

    select
        latest.event_id_cnty,
        to_timestamp(deletions.deleted_timestamp) as withdrawn_at
    from latest
    inner join deletions
        on
            latest.event_id_cnty = deletions.event_id_cnty
            and deletions.deleted_timestamp >= cast(latest.timestamp as bigint)

),

-- absent from a loaded full pull, completed after the event was last seen, that reconciled its
-- country and covered its event_date (seen again in any later pull, it is back)
by_reconcile as (

    select
        latest.event_id_cnty,
        arg_min(reconciling.pull_id, reconciling.pull_order) as withdrawn_by_pull_id,
        min(reconciling.completed_at) as withdrawn_at
    from latest
    inner join last_seen on latest.event_id_cnty = last_seen.event_id_cnty
    inner join reconciling
        on
            last_seen.pull_order < reconciling.pull_order
            and lower(trim(latest.country)) = reconciling.country
            and cast(latest.event_date as date) between reconciling.event_date_from and reconciling.event_date_to
    group by 1

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
        cast(latest._fetched_at as timestamptz) as fetched_at,

        -- withdrawal (null while the event is current); the deleted endpoint's word comes first
        case
            when by_deletion.event_id_cnty is not null then 'deleted_endpoint'
            when by_reconcile.event_id_cnty is not null then 'full_reconcile'
        end as withdrawn_by,
        case when by_deletion.event_id_cnty is null then by_reconcile.withdrawn_by_pull_id end as withdrawn_by_pull_id,
        coalesce(by_deletion.withdrawn_at, by_reconcile.withdrawn_at) as withdrawn_at

    from latest
    left join by_deletion on latest.event_id_cnty = by_deletion.event_id_cnty
    left join by_reconcile on latest.event_id_cnty = by_reconcile.event_id_cnty

)

select * from renamed
