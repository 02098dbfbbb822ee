{#- One row per list in an election. The key is the election plus the list's name as the
    commission spells it, normalized (list_name_key), so the same party in two elections has two
    rows: lists merge, split and rename between elections, and no source links them yet. -#}
with

results as (

    select * from {{ ref('stg_election_commission__party_results') }}

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

final as (

    select
        results.election_key || ':' || {{ list_name_key('results.list_name') }} as party_key,
        results.election_key,
        results.list_name as list_name_original,
        results.list_name_english,
        results.english_name_is_researcher_translation,
        coalesce(results.list_name_english, results.list_name) as party_name,
        {{ list_name_key('results.list_name') }} as normalized_name,
        case
            when results.list_name_english is null or results.list_name_english = results.list_name
                then [results.list_name]
            else [results.list_name, results.list_name_english]
        end as spellings_seen,
        results.source_url
    from results
    inner join elections
        on results.election_key = elections.election_key

)

select * from final
