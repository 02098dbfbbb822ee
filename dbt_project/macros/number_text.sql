{#- A figure as text without a spurious ".0" (1133, 61.5). -#}
{% macro number_text(value) -%}
    case
        when {{ value }} is null then null
        when {{ value }} = round({{ value }}) then cast(cast({{ value }} as bigint) as varchar)
        else cast(round({{ value }}, 2) as varchar)
    end
{%- endmacro %}
