{#- STUB (h-parlgov branch), to be replaced by the lead's macro: the rows of `relation` that
    belong to its latest payload (the _payload_sha256 fetched last). The contract's macro also
    looks across the source's other raw tables, so that only one table of a source with several
    layouts (parlgov) returns rows; this stub sees one relation only. -#}
{% macro current_payload(relation, source_id) -%}
    (
        select *
        from {{ relation }}
        where _payload_sha256 = (
            select arg_max(_payload_sha256, _fetched_at)
            from {{ relation }}
        )
    ) as current_payload
{%- endmacro %}
