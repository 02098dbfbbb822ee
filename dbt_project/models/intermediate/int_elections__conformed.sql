{#- The country is the one the loader resolved: its resolver (ingestion/countries.py) reads the
    same countries seed, and it refuses an election whose country is not the key's ISO3 prefix,
    so the prefix is the resolved code. No election is left out: one whose prefix is not in the
    seed stops the build with a message naming it (the loader should have quarantined it);
    DuckDB's coalesce calls error() only for such a row. -#}
with

elections as (

    select
        *,
        split_part(election_key, '-', 1) as key_iso3
    from {{ ref('stg_election_commission__elections') }}

),

countries as (

    select * from {{ ref('countries') }}

),

reruns as (

    select
        rerun_election_key as election_key,
        min(election_key) as rerun_of_election_key
    from {{ ref('stg_election_commission__decisions') }}
    where rerun_election_key is not null
    group by rerun_election_key

),

rerun_links as (

    select
        election_key,
        min(rerun_election_key) as rerun_election_key
    from {{ ref('stg_election_commission__decisions') }}
    where rerun_election_key is not null
    group by election_key

),

conformed as (

    select
        elections.election_key,
        coalesce(
            countries.country_iso3,
            error(
                'election ' || elections.election_key || ': country '
                || coalesce(elections.country_name_as_published, '(none)')
                || ' has no row ' || elections.key_iso3
                || ' in seeds/countries.csv; the loader quarantines such records, so reload it,'
                || ' or rebuild the seeds with scripts/build_country_seeds.py'
            )
        ) as country_iso3,
        countries.country_name,
        elections.country_name_as_published,
        elections.election_type,
        elections.chamber,
        elections.round,
        elections.election_date,
        elections.registered_voters,
        elections.votes_cast,
        elections.valid_votes,
        elections.turnout_pct,
        elections.threshold_pct,
        elections.lists_contesting,
        elections.candidates_contesting,
        elections.seats_total,
        elections.result_stage,
        elections.protest_start_date,
        reruns.rerun_of_election_key,
        rerun_links.rerun_election_key,
        elections.source_url,
        elections.field_sources
    from elections
    left join countries
        on elections.key_iso3 = countries.country_iso3
    left join reruns
        on elections.election_key = reruns.election_key
    left join rerun_links
        on elections.election_key = rerun_links.election_key

)

select * from conformed
