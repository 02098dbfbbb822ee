{#- No election is lost between raw and the marts: every election key the loader wrote is in
    dim_election, or the loader refused it into raw.quarantine with a reason. A row here is an
    election that loaded and then vanished. -#}
with

raw_elections as (

    select distinct
        election_key,
        country
    from {{ source('raw', 'elections') }}

),

in_marts as (

    select election_key from {{ ref('dim_election') }}

),

quarantined as (

    select distinct json_extract_string(record, '$.election_key') as election_key
    from {{ source('raw', 'quarantine') }}
    where nullif(trim(reason), '') is not null

)

select
    raw_elections.election_key,
    raw_elections.country
from raw_elections
left join in_marts
    on raw_elections.election_key = in_marts.election_key
left join quarantined
    on raw_elections.election_key = quarantined.election_key
where in_marts.election_key is null and quarantined.election_key is null
