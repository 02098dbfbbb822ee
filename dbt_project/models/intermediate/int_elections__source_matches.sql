{#- Every election any source knows, matched across sources (docs/election_registry.md).

    Sources are matched in a fixed order of authority: the commission elections (their keys are
    ours), then ParlGov, NELDA, PEI and IPU Parline's calendar. Each source's elections are matched against the elections
    known so far: same country, compatible type (a general election holds a parliamentary and a
    presidential vote), no conflicting round (a source that gives none conflicts with none), and election day within
    var('election_match_window_days') days (sources disagree by a day; a year-only date matches on
    the year). One match: the source's id joins that election. None: it is a new election. Two or
    more, or two of the source's own elections of one type on one election: ambiguous, quarantined
    with the candidates named, never guessed. -#}
{%- set window = var('election_match_window_days', 7) -%}
{%- set cascade = ['parlgov', 'nelda', 'pei', 'parline'] -%}

with

commission as (

    select
        'commission' as source,
        election_key as source_election_id,
        country_iso3,
        election_date,
        year(election_date) as election_year,
        split_part(election_key, '-', 3) as election_type,
        round,
        election_type as source_type,
        election_key
    from {{ ref('int_elections__conformed') }}

),

candidates as (

    {% for src in cascade %}
        select
            source,
            cast(source_election_id as varchar) as source_election_id,
            country_iso3,
            cast(election_date as date) as election_date,
            cast(coalesce(election_year, year(election_date)) as integer) as election_year,
            election_type,
            cast(round as integer) as round,
            cast(source_type as varchar) as source_type
        from {{ ref('int_' ~ src ~ '__elections') }}
        where country_iso3 is not null and election_type is not null
        {{ 'union all' if not loop.last }}
    {% endfor %}

),

anchors_0 as (

    select
        election_key,
        country_iso3,
        election_date,
        election_year,
        election_type,
        round,
        source,
        source_election_id
    from commission

),

{% for src in cascade %}
    {%- set i = loop.index -%}

    candidates_{{ i }} as (

        select * from candidates
        where source = '{{ src }}'

    ),

    pairs_{{ i }} as (

        select
            candidate.*,
            anchor.election_key,
            anchor.election_type as anchor_type,
            case
                when candidate.election_date is not null and anchor.election_date is not null
                    then abs(date_diff('day', anchor.election_date, candidate.election_date))
            end as days_apart
        from candidates_{{ i }} as candidate
        inner join anchors_{{ i - 1 }} as anchor
            on
                candidate.country_iso3 = anchor.country_iso3
                and (
                    candidate.election_type = anchor.election_type
                    or (anchor.election_type = 'GEN' and candidate.election_type in ('PARL', 'PRES'))
                    or (candidate.election_type = 'GEN' and anchor.election_type in ('PARL', 'PRES'))
                )
                and (candidate.round is null or anchor.round is null or candidate.round = anchor.round)
                and case
                    when candidate.election_date is not null and anchor.election_date is not null
                        then abs(date_diff('day', anchor.election_date, candidate.election_date)) <= {{ window }}
                    else candidate.election_year = anchor.election_year
                end

    ),

    judged_{{ i }} as (

        select
            *,
            count(*) over (partition by source_election_id) as anchors_matched,
            count(*) over (partition by election_key, election_type) as rivals_on_anchor,
            string_agg(election_key, ', ' order by election_key) over (partition by source_election_id) as anchor_keys,
            string_agg(source_election_id, ', ' order by source_election_id)
                over (partition by election_key, election_type) as rival_ids
        from pairs_{{ i }}

    ),

    matched_{{ i }} as (

        select
            source,
            source_election_id,
            country_iso3,
            election_date,
            election_year,
            election_type,
            round,
            source_type,
            election_key,
            days_apart,
            case
                when days_apart is null then 'same country, type and year (a date is missing)'
                when days_apart = 0 then 'same country, type and day'
                else 'same country and type, election day ' || days_apart || ' day(s) apart'
            end
            || case when anchor_type <> election_type then ' (part of a ' || anchor_type || ' election)' else '' end
                as match_rule,
            'matched' as match_status,
            cast(null as varchar) as match_issue
        from judged_{{ i }}
        where anchors_matched = 1 and rivals_on_anchor = 1

    ),

    ambiguous_{{ i }} as (

        select distinct
            source,
            source_election_id,
            country_iso3,
            election_date,
            election_year,
            election_type,
            round,
            source_type,
            cast(null as varchar) as election_key,
            cast(null as integer) as days_apart,
            cast(null as varchar) as match_rule,
            'ambiguous' as match_status,
            case
                when anchors_matched > 1
                    then 'matches ' || anchors_matched || ' elections: ' || anchor_keys
                else 'shares election ' || election_key || ' with ' || rival_ids || ' of the same source and type'
            end as match_issue
        from judged_{{ i }}
        where anchors_matched > 1 or rivals_on_anchor > 1

    ),

    unmatched_{{ i }} as (

        select
            candidate.*,
            candidate.country_iso3 || '-' || candidate.election_year || '-' || candidate.election_type
            || case when candidate.round >= 2 then '-R' || candidate.round else '' end as base_key
        from candidates_{{ i }} as candidate
        where candidate.source_election_id not in (select source_election_id from pairs_{{ i }})  -- noqa: RF02

    ),

    new_{{ i }} as (

    -- a base key already taken (or taken twice tonight) gets -2, -3... in date order
        select
            unmatched.*,
            coalesce(taken.taken, 0) + row_number() over (
                partition by unmatched.base_key
                order by unmatched.election_date nulls last, unmatched.source_election_id
            ) as key_sequence
        from unmatched_{{ i }} as unmatched
        left join (  -- noqa: ST05
            select
                regexp_replace(election_key, '-[0-9]+$', '') as base_key,
                count(*) as taken
            from anchors_{{ i - 1 }}
            group by 1
        ) as taken
            on unmatched.base_key = taken.base_key

    ),

    created_{{ i }} as (

        select
            source,
            source_election_id,
            country_iso3,
            election_date,
            election_year,
            election_type,
            round,
            source_type,
            base_key || case when key_sequence > 1 then '-' || key_sequence else '' end as election_key,
            cast(null as integer) as days_apart,
            'new election (no earlier source has it)' as match_rule,
            'created' as match_status,
            cast(null as varchar) as match_issue
        from new_{{ i }}

    ),

    anchors_{{ i }} as (

        select
            election_key,
            country_iso3,
            election_date,
            election_year,
            election_type,
            round,
            source,
            source_election_id
        from anchors_{{ i - 1 }}
        union all
        select
            election_key,
            country_iso3,
            election_date,
            election_year,
            election_type,
            round,
            source,
            source_election_id
        from created_{{ i }}

    ),

{% endfor %}

final as (

    select
        source,
        source_election_id,
        country_iso3,
        election_date,
        election_year,
        election_type,
        round,
        source_type,
        election_key,
        cast(0 as integer) as days_apart,
        'commission election (our key)' as match_rule,
        'created' as match_status,
        cast(null as varchar) as match_issue
    from commission
    {% for src in cascade %}
        {%- set i = loop.index %}
        union all
        select * from matched_{{ i }}
        union all
        select * from ambiguous_{{ i }}
        union all
        select * from created_{{ i }}
    {%- endfor %}

)

select * from final
