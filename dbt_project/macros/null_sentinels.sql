{#- Research files mark a missing value with a sentinel (DECO: -99, NA, an empty field). Raw keeps
    the text as sent; staging reads it through these macros so a sentinel is NULL and anything else
    that does not parse is reported (parse_issue), never turned into NULL silently. -#}

{#- The trimmed text, or NULL when it is a sentinel. -#}
{% macro null_sentinels(column, sentinels=('-99', 'NA', '')) -%}
    case
        when trim(cast({{ column }} as varchar)) in (
            {%- for sentinel in sentinels %}'{{ sentinel }}'{{ ', ' if not loop.last }}{% endfor -%}
        ) then null
        else trim(cast({{ column }} as varchar))
    end
{%- endmacro %}

{#- An integer written as digits (optional minus sign); NULL for a sentinel and for text that is not
    one (1.5 is not rounded to 2: see parse_issue). -#}
{% macro sentinel_integer(column, sentinels=('-99', 'NA', '')) -%}
    case
        when regexp_full_match({{ null_sentinels(column, sentinels) }}, '-?[0-9]+')
            then cast({{ null_sentinels(column, sentinels) }} as bigint)
    end
{%- endmacro %}

{#- 'column=value' when the value is not a sentinel but `parsed` (the typed expression) is NULL;
    NULL otherwise. Models gather these into a parse_issues list. -#}
{% macro parse_issue(column, parsed, sentinels=('-99', 'NA', '')) -%}
    case
        when {{ null_sentinels(column, sentinels) }} is not null and ({{ parsed }}) is null
            then '{{ column }}=' || cast({{ column }} as varchar)
    end
{%- endmacro %}

{#- A date in `format` (strptime's, e.g. '%m/%d/%Y'); NULL for a sentinel and for text that is not one. -#}
{% macro sentinel_date(column, format, sentinels=('-99', 'NA', '')) -%}
    cast(try_strptime({{ null_sentinels(column, sentinels) }}, '{{ format }}') as date)
{%- endmacro %}

{#- A decimal number within [-bound, bound] (a coordinate); NULL for a sentinel, for text and out of range. -#}
{% macro sentinel_bounded(column, bound, sentinels=('-99', 'NA', '')) -%}
    case
        when try_cast({{ null_sentinels(column, sentinels) }} as double) between -{{ bound }} and {{ bound }}
            then try_cast({{ null_sentinels(column, sentinels) }} as double)
    end
{%- endmacro %}
