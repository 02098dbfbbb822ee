{#- One row per DECO event, decoded, with the election it is linked to. DECO has no place-name
    column (no where_description or admin units as in UCDP GED): `place` is the country and the
    coordinates. Labels are the codebook seed's, NULL where its label was not found. -#}
with

events as (

    select * from {{ ref('stg_deco__events') }}

),

links as (

    select * from {{ ref('int_deco__event_elections') }}

),

final as (

    select
        -- ids
        events.event_id,
        events.relid,
        cast('deco' as varchar) as source,

        -- when and where
        events.date_start,
        events.date_end,
        cast(events.year as integer) as year,  -- noqa: RF04
        events.country_iso3,
        events.country_name,
        events.latitude,
        events.longitude,
        events.country_name
        || case
            when events.latitude is not null and events.longitude is not null
                then ' (' || cast(events.latitude as varchar) || ', ' || cast(events.longitude as varchar) || ')'
            else ''
        end as place,

        -- who
        events.side_a,
        events.side_b,
        events.side_a_category,
        events.side_b_category,
        cast(events.side_a_incumbent as integer) as side_a_incumbent,
        cast(events.side_b_incumbent as integer) as side_b_incumbent,
        cast(events.type_of_violence as integer) as type_of_violence,
        events.type_of_violence_label,
        events.perpetrator_codes,
        events.perpetrator_labels,
        events.target_codes,
        events.target_labels,

        -- why and when, as DECO codes it
        events.purposes,
        events.timing_codes,
        events.timing_labels,
        events.electoral_type_codes,
        events.electoral_type_labels,
        cast(events.uncertainty as integer) as uncertainty,
        events.uncertainty_label,

        -- deaths
        events.deaths_best,
        events.deaths_low,
        events.deaths_high,
        events.deaths_civilians,
        events.deaths_side_a,
        events.deaths_side_b,
        events.deaths_unknown,
        coalesce(events.deaths_low > events.deaths_best or events.deaths_best > events.deaths_high, false)
            as deaths_estimates_out_of_order,

        -- the election
        links.election_key,
        cast(links.election_offset_days as integer) as election_offset_days,
        links.link_reason,

        -- reading problems and provenance
        events.unknown_codes,
        events.parse_issues,
        events.payload_sha256,
        events.record_locator
    from events
    left join links
        on events.event_id = links.event_id

)

select * from final
