with

source as (

    select * from {{ current_records(source('raw', 'elections'), ['election_key']) }}

),

renamed as (

    select
        -- ids
        election_key,
        trim(country) as country_name_as_published,

        -- election
        election_type,
        chamber,
        cast(round as integer) as round,
        cast(election_date as date) as election_date,
        cast(protest_start_date as date) as protest_start_date,

        -- figures
        cast(registered_voters as bigint) as registered_voters,
        cast(votes_cast as bigint) as votes_cast,
        cast(valid_votes as bigint) as valid_votes,
        cast(turnout_pct as double) as turnout_pct,
        cast(threshold_pct as double) as threshold_pct,
        cast(lists_contesting as integer) as lists_contesting,
        cast(candidates_contesting as integer) as candidates_contesting,
        cast(seats_total as integer) as seats_total,
        result_stage,

        -- provenance
        source_url,
        field_sources,
        _source as loaded_from_source,
        cast(_fetched_at as timestamptz) as fetched_at

    from source

)

select * from renamed
