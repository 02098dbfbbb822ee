{#- STUB (branch h-pei) until the lead's macro lands; the lead's version replaces this file.
    The rows of `source_id`'s latest payload in `relation`: the payload with the latest _fetched_at
    (ties: the larger sha). A payload reloaded later counts at its newer fetch, so only that copy's
    rows are returned. Used as
        select * from {{ current_payload(source('raw', 'pei_elections'), 'pei') }} -#}
{% macro current_payload(relation, source_id) -%}
    (
        select payload_rows.*
        from {{ relation }} as payload_rows
        inner join (
            select
                _payload_sha256,
                _fetched_at
            from {{ relation }}
            where _source = '{{ source_id }}'
            order by _fetched_at desc, _payload_sha256 desc
            limit 1
        ) as latest
            on
                payload_rows._payload_sha256 = latest._payload_sha256
                and payload_rows._fetched_at = latest._fetched_at
        where payload_rows._source = '{{ source_id }}'
    ) as current_payload
{%- endmacro %}
