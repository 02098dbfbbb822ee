with

elections as (

    select * from {{ source('raw', 'parline_elections') }}

),

-- each pull is the whole calendar: the latest loaded pull is current, an election it no longer holds is withdrawn
current_pull as (

    select pull_id
    from {{ source('raw', 'loaded_pulls') }}
    where source = 'parline_elections' and status = 'loaded' and rows_loaded > 0
    qualify row_number() over (order by completed_at desc, loaded_at desc) = 1

),

latest as (

    select elections.*
    from elections
    inner join current_pull
        on elections._pull_id = current_pull.pull_id
    qualify row_number() over (partition by elections.election_code order by elections._page desc) = 1

),

renamed as (

    select
        -- ids
        election_code,
        chamber_code,
        split_part(chamber_code, '-', 1) as country_iso2,

        -- election
        cast(election_date_from as date) as election_date,
        cast(election_date_to as date) as election_date_to,

        -- provenance
        cast(_fetched_at as timestamptz) as fetched_at

    from latest

)

select * from renamed
