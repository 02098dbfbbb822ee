{#- Reads a period bound of the threshold reference leniently: a year ("2015", "1999?"), a month
    ("2020-10 (lowered)") or a day ("2022-01-01 (law in force)"), whatever follows. The start of a
    period is the first day at that precision, its end the last day; NULL when no year leads. -#}
{% macro period_bound(expression, side) -%}
    {%- set year = "try_cast(nullif(regexp_extract(" ~ expression ~ ", '^\s*(\d{4})', 1), '') as integer)" -%}
    {%- set month = "try_cast(nullif(regexp_extract(" ~ expression ~ ", '^\s*\d{4}-(\d{2})', 1), '') as integer)" -%}
    {%- set day = "try_cast(nullif(regexp_extract(" ~ expression ~ ", '^\s*\d{4}-\d{2}-(\d{2})', 1), '') as integer)" -%}
    {%- if side == 'start' -%}
        make_date({{ year }}, coalesce({{ month }}, 1), coalesce({{ day }}, 1))
    {%- else -%}
        case
            when {{ day }} is not null then make_date({{ year }}, {{ month }}, {{ day }})
            when {{ month }} is not null then last_day(make_date({{ year }}, {{ month }}, 1))
            else make_date({{ year }}, 12, 31)
        end
    {%- endif -%}
{%- endmacro %}
