{#- One row per election of a research dataset that judges election integrity: PEI's expert
    indices, NELDA's crisis answers. A PEI row has NULL NELDA columns and the other way round; the
    registry's election_key is what joins a PEI election to the NELDA round of the same election. -#}
{%- set pei_measures = [
    'pei_indexp', 'pei_indexp_lci', 'pei_indexp_hci', 'pei_indexi', 'pei_indexi_lci', 'pei_indexi_hci',
    'pei_index_rank', 'pei_rating', 'pei_rating_lci', 'pei_rating_hci', 'pei_type', 'expert_responses',
    'pei_laws', 'pei_lawsi', 'pei_procedures', 'pei_proceduresi', 'pei_boundaries', 'pei_boundariesi',
    'pei_votereg', 'pei_voteregi', 'pei_partyreg', 'pei_partyregi', 'pei_media', 'pei_mediai',
    'pei_finance', 'pei_financei', 'pei_voting', 'pei_votingi', 'pei_count', 'pei_counti',
    'pei_results', 'pei_resultsi', 'pei_embs', 'pei_embsi',
] -%}
{%- set integer_measures = ['pei_index_rank', 'pei_type', 'expert_responses'] -%}
{%- set nelda_answers = [] -%}
{%- for code, name in nelda_staged_variables() -%}
    {%- do nelda_answers.append(name) -%}
{%- endfor -%}

with

pei as (

    select * from {{ ref('stg_pei__elections') }}

),

nelda as (

    select * from {{ ref('stg_nelda__elections') }}

),

registry_links as (

    -- the election each source's election was matched to (fct_election_source_ids; NULL when ambiguous)
    select
        source,
        source_election_id,
        election_key
    from {{ ref('int_elections__source_matches') }}
    where source in ('pei', 'nelda')

),

pei_elections as (

    select
        cast('pei' as varchar) as source,
        election_id as source_election_id,
        country_iso3,
        election_date,
        election_date_precision,
        election_year,
        election_type,
        round,
        office_code as source_type,
        {%- for measure in pei_measures %}
            {{ measure }},
        {%- endfor %}
        {%- for name in nelda_answers %}
            cast(null as boolean) as nelda_{{ name }},
            cast(null as varchar) as nelda_{{ name }}_status,
        {%- endfor %}
        data_issues
    from pei

),

nelda_elections as (

    select
        cast('nelda' as varchar) as source,
        election_id as source_election_id,
        country_iso3,
        election_date,
        election_date_precision,
        election_year,
        election_type,
        round,
        types_as_published as source_type,
        {%- for measure in pei_measures %}
            cast(null as {{ 'integer' if measure in integer_measures else 'double' }}) as {{ measure }},
        {%- endfor %}
        {%- for name in nelda_answers %}
            {{ name }} as nelda_{{ name }},
            {{ name }}_status as nelda_{{ name }}_status,
        {%- endfor %}
        data_issues
    from nelda

),

source_elections as (

    select * from pei_elections
    union all
    select * from nelda_elections

),

linked as (

    select
        source_elections.source,
        source_elections.source_election_id,
        registry_links.election_key,
        source_elections.country_iso3,
        source_elections.election_date,
        source_elections.election_date_precision,
        source_elections.election_year,
        source_elections.election_type,
        source_elections.round,
        source_elections.source_type,
        {%- for measure in pei_measures %}
            source_elections.{{ measure }},
        {%- endfor %}
        {%- for name in nelda_answers %}
            source_elections.nelda_{{ name }},
            source_elections.nelda_{{ name }}_status,
        {%- endfor %}
        source_elections.data_issues
    from source_elections
    left join registry_links
        on
            source_elections.source = registry_links.source
            and source_elections.source_election_id = registry_links.source_election_id

)

select * from linked
