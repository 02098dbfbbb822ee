with

events as (

    select * from {{ source('raw', 'ucdp_events') }}

),

-- one row per event id: a stable release over candidate releases (a candidate event that
-- reappears in a stable release is that event revised), then the newest release, then the newest fetch;
-- the same whether the API or a release's bulk file delivered the copy
ranked as (

    select
        *,
        regexp_matches(ucdp_version, '^\d+\.0\.\d+$') as is_candidate,
        count(*) filter (where regexp_matches(ucdp_version, '^\d+\.0\.\d+$'))
            over (partition by id)
        > 0 as has_candidate_copy
    from events
    qualify row_number() over (
        partition by id
        order by
            regexp_matches(ucdp_version, '^\d+\.0\.\d+$'),
            cast(split_part(ucdp_version, '.', 1) as integer) desc,
            ucdp_version desc,
            cast(_fetched_at as timestamptz) desc
    ) = 1

),

renamed as (

    select
        -- ids
        cast(id as bigint) as ucdp_event_id,
        ucdp_version,
        is_candidate,
        has_candidate_copy and not is_candidate as revised_from_candidate,

        -- event
        cast(type_of_violence as integer) as type_of_violence,
        cast(cast(date_start as timestamp) as date) as date_start,
        cast(cast(date_end as timestamp) as date) as date_end,
        cast(best as integer) as deaths_best,
        cast(low as integer) as deaths_low,
        cast(high as integer) as deaths_high,

        -- place
        cast(country_id as integer) as country_gw,
        country as ucdp_country,

        -- provenance (rows loaded before the bulk fallback existed came from the API)
        coalesce(delivered_by, 'api') as delivered_by,
        cast(_fetched_at as timestamptz) as fetched_at

    from ranked

)

select * from renamed
