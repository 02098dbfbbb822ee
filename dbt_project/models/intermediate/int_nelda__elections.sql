{#- NELDA's election rounds in the contract every election-level source gives the registry
    (docs/contracts.md, CONTRACT.md): the source's own id, country, date, year, type and round,
    then NELDA's extras. election_date is NULL when NELDA's month and day are missing or impossible. -#}
with

elections as (

    select * from {{ ref('stg_nelda__elections') }}

),

conformed as (

    select
        cast('nelda' as varchar) as source,
        election_id as source_election_id,
        country_iso3,
        election_date,
        election_year,
        election_type,
        round,
        types_as_published as source_type,
        election_date_precision,
        data_issues
    from elections

)

select * from conformed
