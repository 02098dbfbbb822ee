{#- DECO's deaths per linked election, for the cross-source agreement mart: events and death sums,
    the first and last event day, and the split by timing, both as measured (the event's first day
    before, on or after election day) and as DECO codes it (per timing code; an event with two codes
    counts under each, so those sums overlap). Events linked to no election are not here; see
    int_deco__event_elections.link_reason. -#}
with

events as (

    select * from {{ ref('stg_deco__events') }}

),

links as (

    select * from {{ ref('int_deco__event_elections') }}
    where election_key is not null

),

linked as (

    select
        links.election_key,
        links.election_offset_days,
        events.event_id,
        events.country_iso3,
        coalesce(events.date_start, events.date_end) as first_day,
        coalesce(events.date_end, events.date_start) as last_day,
        events.deaths_best,
        events.deaths_low,
        events.deaths_high,
        events.deaths_civilians,
        events.timing_codes
    from links
    inner join events
        on links.event_id = events.event_id

),

timing_coded as (

    select
        election_key,
        unnest(timing_codes) as timing_code,
        deaths_best
    from linked

),

per_timing_code as (

    select
        election_key,
        timing_code,
        count(*) as events,
        cast(sum(deaths_best) as bigint) as deaths_best
    from timing_coded
    group by election_key, timing_code

),

by_timing_code as (

    select
        election_key,
        map_from_entries(list({ 'key': timing_code, 'value': events } order by timing_code)) as events_by_timing_code,
        map_from_entries(list({ 'key': timing_code, 'value': deaths_best } order by timing_code))
            as deaths_best_by_timing_code
    from per_timing_code
    group by election_key

),

elections as (

    select
        election_key,
        any_value(country_iso3) as country_iso3,
        count(*) as events,
        cast(sum(deaths_best) as bigint) as deaths_best,
        cast(sum(deaths_low) as bigint) as deaths_low,
        cast(sum(deaths_high) as bigint) as deaths_high,
        cast(sum(deaths_civilians) as bigint) as deaths_civilians,
        min(first_day) as first_event_date,
        max(last_day) as last_event_date,
        count(*) filter (where election_offset_days < 0) as events_before,
        count(*) filter (where election_offset_days = 0) as events_on_election_day,
        count(*) filter (where election_offset_days > 0) as events_after,
        cast(coalesce(sum(deaths_best) filter (where election_offset_days < 0), 0) as bigint) as deaths_best_before,
        cast(coalesce(sum(deaths_best) filter (where election_offset_days = 0), 0) as bigint)
            as deaths_best_on_election_day,
        cast(coalesce(sum(deaths_best) filter (where election_offset_days > 0), 0) as bigint) as deaths_best_after
    from linked
    group by election_key

)

select
    'deco' as source,
    elections.*,
    by_timing_code.events_by_timing_code,
    by_timing_code.deaths_best_by_timing_code
from elections
left join by_timing_code
    on elections.election_key = by_timing_code.election_key
