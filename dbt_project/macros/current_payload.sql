{#- The rows of a research dataset's current file. Such a source publishes its whole dataset as
    one file, so its records are those of its latest load that held any row (a reverted file
    counts at its newer fetch: the rows carry the fetch time of the load that wrote them). A
    layout table that does not hold that payload (ParlGov has two) yields no rows. -#}
{% macro current_payload(relation, source_id) -%}
    (
        select payload_rows.*
        from {{ relation }} as payload_rows
        inner join (
            select payload_sha256, cast(fetched_at as timestamptz) as fetched_at
            from {{ source('raw', 'loaded_payloads') }}
            where source = '{{ source_id }}' and status = 'loaded' and rows_loaded > 0
            order by fetched_at desc
            limit 1
        ) as current_load
            on payload_rows._payload_sha256 = current_load.payload_sha256
            and payload_rows._fetched_at = current_load.fetched_at
    )
{%- endmacro %}
