{#- PEI's elections in the contract every election-level source gives the registry (docs/contracts.md,
    CONTRACT.md): the source's own id, country, date, year, type and round, then PEI's extras. -#}
with

elections as (

    select * from {{ ref('stg_pei__elections') }}

),

conformed as (

    select
        cast('pei' as varchar) as source,
        election_id as source_election_id,
        country_iso3,
        election_date,
        election_year,
        election_type,
        round,
        office_code as source_type,
        election_date_precision,
        data_issues
    from elections

)

select * from conformed
