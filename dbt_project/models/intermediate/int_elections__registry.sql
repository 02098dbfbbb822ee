{#- One row per election any source knows, under our key: the day, type and round of the first
    source in the matching order that had it, and every source that has it. -#}
with

matches as (

    select * from {{ ref('int_elections__source_matches') }}
    where election_key is not null

),

founders as (

    select * from matches
    where match_status = 'created'

),

by_election as (

    select
        election_key,
        list(distinct source order by source) as sources,
        count(distinct source) as source_count,
        max(days_apart) as max_days_apart
    from matches
    group by election_key

),

final as (

    select
        founders.election_key,
        founders.country_iso3,
        founders.election_date,
        case when founders.election_date is null then 'year' else 'day' end as election_date_precision,
        founders.election_year,
        founders.election_type,
        founders.round,
        founders.source as primary_source,
        by_election.sources,
        by_election.source_count,
        by_election.max_days_apart
    from founders
    inner join by_election
        on founders.election_key = by_election.election_key

)

select * from final
