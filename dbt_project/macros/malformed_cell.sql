{#- `field` when a raw cell is not empty yet does not read as `type` (a number or date a
    publisher mistyped, a sentinel such as "n/a"), else NULL: the typed column is NULL either
    way, and this says which NULLs hide a value. -#}
{% macro malformed_cell(cell, type, field) -%}
    case
        when nullif(trim({{ cell }}), '') is not null and try_cast(trim({{ cell }}) as {{ type }}) is null
            then '{{ field }}'
    end
{%- endmacro %}
