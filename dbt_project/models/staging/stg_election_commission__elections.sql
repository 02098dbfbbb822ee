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
        {{ partial_date('election_date') }} as election_date,
        {{ partial_date_precision('election_date') }} as election_date_precision,
        coalesce(election_date_is_approximate, false) as election_date_is_approximate,
        {{ partial_date('protest_start_date') }} as protest_start_date,
        {{ partial_date_precision('protest_start_date') }} as protest_start_date_precision,
        coalesce(protest_start_date_is_approximate, false) as protest_start_date_is_approximate,
        nullif(trim(next_election_key), '') as next_election_key,

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
