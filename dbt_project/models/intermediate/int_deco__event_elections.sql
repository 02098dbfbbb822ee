{#- Which election each DECO event belongs to. DECO names no election, so an event is linked to an
    election of its country whose window holds the event's first day: from
    deco_link_days_before (default 180) days before election day to deco_link_days_after (default
    90) days after it. The window is wider before the vote than after it (a campaign runs longer
    than the count and results); both bounds are dbt vars, to be set from the DECO codebook's
    timing definitions once found. Among the elections whose window holds the event:
      1. those on the side of election day the event's timing codes stand for (the codebook seed's
         election_side: before, on, after) are preferred, when the codebook gives sides;
      2. the nearest election day wins;
      3. two or more equally near (a joint election, or one before and one after at the same
         distance) link to none: reason 'ambiguous: <key1>, <key2>'.
    The elections are the registry's (every source's), those with a known day. -#}
{%- set days_before = var('deco_link_days_before', 180) | int -%}
{%- set days_after = var('deco_link_days_after', 90) | int -%}
with

events as (

    select
        event_id,
        country_iso3,
        coalesce(date_start, date_end) as event_date,
        coalesce(timing_sides, []) as timing_sides
    from {{ ref('stg_deco__events') }}

),

elections as (

    select
        election_key,
        country_iso3,
        election_date
    from {{ ref('int_elections__registry') }}
    where election_date is not null

),

candidates as (

    select
        events.event_id,
        elections.election_key,
        date_diff('day', elections.election_date, events.event_date) as offset_days,
        case
            when events.event_date < elections.election_date then 'before'
            when events.event_date = elections.election_date then 'on'
            else 'after'
        end as side,
        len(events.timing_sides) > 0 as side_is_coded,
        list_contains(events.timing_sides, case
            when events.event_date < elections.election_date then 'before'
            when events.event_date = elections.election_date then 'on'
            else 'after'
        end) as side_matches
    from events
    inner join elections
        on
            events.country_iso3 = elections.country_iso3
            and events.event_date between elections.election_date - {{ days_before }}
            and elections.election_date + {{ days_after }}

),

-- rule 1: keep the candidates on the coded side when there are any
preferred as (

    select *
    from candidates
    qualify side_matches or not bool_or(side_matches) over (partition by event_id)

),

-- rules 2 and 3: the nearest; several equally near are a tie
closest as (

    select *
    from preferred
    qualify abs(offset_days) = min(abs(offset_days)) over (partition by event_id)

),

nearest as (

    select
        event_id,
        list(election_key order by election_key) as election_keys,
        min(offset_days) as offset_days,
        bool_or(side_is_coded) as side_is_coded,
        bool_or(side_matches) as side_matches
    from closest
    group by event_id

),

final as (

    select
        events.event_id,
        case when len(nearest.election_keys) = 1 then nearest.election_keys[1] end as election_key,
        case when len(nearest.election_keys) = 1 then nearest.offset_days end as election_offset_days,
        case
            when events.country_iso3 is null then 'no country for the event'
            when events.event_date is null then 'no readable event date'
            when nearest.event_id is null then 'no known election within the window'
            when len(nearest.election_keys) > 1 then 'ambiguous: ' || array_to_string(nearest.election_keys, ', ')
            when nearest.side_matches then 'nearest election within the window, on the coded timing side'
            when nearest.side_is_coded then 'nearest election within the window, none on the coded timing side'
            else 'nearest election within the window'
        end as link_reason,
        {{ days_before }} as window_days_before,
        {{ days_after }} as window_days_after
    from events
    left join nearest
        on events.event_id = nearest.event_id

)

select * from final
