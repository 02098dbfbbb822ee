{#- Elections the crosswalk cannot place are left out of every mart. The loader should have
    quarantined them; if not, add the spelling to seeds/country_name_variants.csv. -#}
{{ config(severity='warn') }}

select
    election_key,
    country_name_as_published
from {{ ref('stg_election_commission__elections') }}
where election_key not in (select election_key from {{ ref('int_elections__conformed') }})
