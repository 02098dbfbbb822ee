{#- STUB until the lead's macro lands (CONTRACT.md): the rows of `source_id`'s latest payload in
    `relation`, latest by _fetched_at. The lead's version also skips payloads that loaded no row and
    reads raw.loaded_payloads; replace this file with it when merging. -#}
{% macro current_payload(relation, source_id) -%}
    (
        select payload_rows.*
        from {{ relation }} as payload_rows
        where payload_rows._source = '{{ source_id }}'
            and payload_rows._payload_sha256 = (
                select latest._payload_sha256
                from {{ relation }} as latest
                where latest._source = '{{ source_id }}'
                order by latest._fetched_at desc, latest._payload_sha256 desc
                limit 1
            )
    ) as current_payload
{%- endmacro %}
