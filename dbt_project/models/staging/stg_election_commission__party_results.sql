with

source as (

    select * from {{ current_records(source('raw', 'party_results'), ['election_key', 'list_name']) }}

),

renamed as (

    select
        -- ids
        election_key,
        trim(list_name) as list_name,
        nullif(trim(list_name_english), '') as list_name_english,
        coalesce(english_name_is_researcher_translation, false) as english_name_is_researcher_translation,

        -- figures
        cast(votes as bigint) as votes,
        cast(vote_share_pct as double) as vote_share_pct,
        cast(seats as integer) as seats,
        lower(nullif(trim(declared_passed), '')) as declared_passed,
        result_stage,

        -- provenance
        source_url,
        _source as loaded_from_source,
        cast(_fetched_at as timestamptz) as fetched_at

    from source

)

select * from renamed
