{#- A multi-valued coded cell as a list of codes. Research files separate codes with ';' or ','
    (DECO mixes both in one cell: '1;2,3'), with or without spaces. Codes are trimmed and written
    without leading zeros ('07' is '7'); a sentinel element is not a code. NULL when the whole cell is
    a sentinel (missing), so an empty list never stands for "not coded". -#}
{% macro split_codes(column, separators='[;,]', sentinels=('-99', 'NA', '')) -%}
    case
        when {{ null_sentinels(column, sentinels) }} is not null then
            list_filter(
                list_transform(
                    regexp_split_to_array(cast({{ column }} as varchar), '{{ separators }}'),
                    lambda code: regexp_replace(trim(code), '^0+([0-9])', '\1')
                ),
                lambda code: code not in (
                    {%- for sentinel in sentinels %}'{{ sentinel }}'{{ ', ' if not loop.last }}{% endfor -%}
                )
            )
    end
{%- endmacro %}
