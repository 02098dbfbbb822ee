{#- What each source published and withdrew: one row per source, entity and record. A newer
    complete payload replaces its source's records; a record it no longer holds leaves the other
    marts and stays here with withdrawn_at (macros/current_records.sql). A staging model that
    calls current_records() has its entity listed here with the same natural key. -#}
{%- set entities = [
    {'entity': 'elections', 'natural_key': ['election_key']},
    {'entity': 'party_results', 'natural_key': ['election_key', 'list_name']},
    {'entity': 'decisions', 'natural_key': ['decision_id']},
    {'entity': 'casualty_bulletins', 'natural_key': ['bulletin_id']},
    {'entity': 'observer_statements', 'natural_key': ['statement_id']},
] -%}

with

{% for spec in entities %}
{{ spec.entity }} as (

    {{ record_timeline(source('raw', spec.entity), spec.natural_key,
                       describe=[] if 'election_key' in spec.natural_key else ['election_key']) }}

),

{% endfor %}
final as (

    {% for spec in entities %}
    select
        -- `source` is a keyword, but it is the registry id's name in raw and in the contract
        cast(_source as varchar) as source,  -- noqa: RF04
        cast('{{ spec.entity }}' as varchar) as entity,
        cast('{{ spec.natural_key | join(", ") }}' as varchar) as natural_key,
        cast({{ spec.natural_key | join(" || ' | ' || ") }} as varchar) as record_key,
        cast(election_key as varchar) as election_key,
        first_seen_at,
        last_seen_at,
        withdrawn_at,
        is_current,
        cast(last_payload_sha256 as varchar) as last_payload_sha256,
        cast(last_held_as as varchar) as last_held_as
    from {{ spec.entity }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

)

select * from final
