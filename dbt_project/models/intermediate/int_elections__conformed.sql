{#- Every join across sources goes through the country crosswalk. An election whose country
    name matches no variant is left out here; the loader quarantines such records upstream. -#}
with

elections as (

    select * from {{ ref('stg_election_commission__elections') }}

),

name_variants as (

    select distinct
        {{ folded_name('variant') }} as variant_key,
        country_iso3
    from {{ ref('country_name_variants') }}

),

crosswalk as (

    select * from {{ ref('country_crosswalk') }}

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
        crosswalk.country_iso3,
        crosswalk.country_name,
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
    inner join name_variants
        on {{ folded_name('elections.country_name_as_published') }} = name_variants.variant_key
    inner join crosswalk
        on name_variants.country_iso3 = crosswalk.country_iso3
    left join reruns
        on elections.election_key = reruns.election_key
    left join rerun_links
        on elections.election_key = rerun_links.election_key

)

select * from conformed
