{#- One row per running-count figure with the interval in which it was the latest known figure of
    its series. The published file cannot hold a table macro, so this table is the "as of" function
    analysts call with a plain where clause:
      where T >= known_from and (superseded_at is null or T < superseded_at) -#}
with

running_counts as (

    select * from {{ ref('int_casualty_reports__running_counts') }}

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

final as (

    select
        running_counts.election_key,
        running_counts.metric,
        running_counts.authority_family,
        running_counts.counted,
        running_counts.value,
        running_counts.qualifier,
        running_counts.value_high,
        running_counts.known_from,
        running_counts.superseded_at,
        timezone(running_counts.timezone, running_counts.known_from) as known_from_local,
        running_counts.timezone,
        running_counts.reported_from as reported_at,
        running_counts.reported_precision,
        running_counts.authority,
        running_counts.is_primary_authority,
        running_counts.series_position,
        running_counts.casualty_report_id,
        running_counts.source_url
    from running_counts
    inner join elections
        on running_counts.election_key = elections.election_key

)

select * from final
