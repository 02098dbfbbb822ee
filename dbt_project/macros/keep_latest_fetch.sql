{#- The loader appends every payload it sees, so a record re-published in a later payload sits in
    raw twice. Staging keeps the copy from the latest fetch of each natural key. -#}
{% macro keep_latest_fetch(natural_key) -%}
    qualify row_number() over (
        partition by {{ natural_key }}
        order by _fetched_at desc, _payload_sha256 desc
    ) = 1
{%- endmacro %}
