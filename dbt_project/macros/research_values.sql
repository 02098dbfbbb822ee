{#- Reading research datasets' raw text (docs/contracts.md: raw holds every value as sent).

    A number is read only when the whole trimmed text is a decimal number (1, -1.5, .5, 2.3e-4):
    '' is missing (NULL); any other text ('NaN', 'n/a', '36493318�') is NULL too, but named in the
    row's issue column by `unreadable_numbers`, so it is never silently lost. -#}

{% macro _number_pattern() -%}
    '[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?'
{%- endmacro %}

{% macro source_number(column) -%}
    case
        when regexp_full_match(trim({{ column }}), {{ _number_pattern() }})
            then cast(trim({{ column }}) as double)
    end
{%- endmacro %}

{#- A number that must lie in [low, high] (an index on 0-100, a 1-10 rating): outside it, NULL,
    since a value there is a sentinel or an error, and named by `out_of_range_numbers`. -#}
{% macro ranged_number(column, low, high) -%}
    case
        when {{ source_number(column) }} between {{ low }} and {{ high }} then {{ source_number(column) }}
    end
{%- endmacro %}

{#- "rating '-99' is outside 1 to 10": `ranges` maps a column to its [low, high]; NULL when none is outside. -#}
{% macro out_of_range_numbers(ranges) -%}
    nullif(concat_ws(
        '; ',
        {%- for column, bounds in ranges.items() %}
        case
            when not {{ source_number(column) }} between {{ bounds[0] }} and {{ bounds[1] }}
                then '{{ column }} ''' || trim({{ column }}) || ''' is outside {{ bounds[0] }} to {{ bounds[1] }}'
        end{{ ',' if not loop.last }}
        {%- endfor %}
    ), '')
{%- endmacro %}

{#- A whole number written as the source's software wrote it ('700', '700.0'): INTEGER, NULL otherwise. -#}
{% macro source_integer(column) -%}
    case
        when {{ source_number(column) }} = floor({{ source_number(column) }})
            then cast({{ source_number(column) }} as integer)
    end
{%- endmacro %}

{#- A code kept as text without the decimal part a statistics package adds ('1.0' -> '1'). -#}
{% macro source_code(column) -%}
    coalesce(cast({{ source_integer(column) }} as varchar), nullif(trim({{ column }}), ''))
{%- endmacro %}

{#- "office 'x'; rating 'n/a'": the columns of `columns` whose non-empty text is not a number; NULL when none. -#}
{% macro unreadable_numbers(columns) -%}
    nullif(concat_ws(
        '; ',
        {%- for column in columns %}
        case
            when trim({{ column }}) <> '' and not regexp_full_match(trim({{ column }}), {{ _number_pattern() }})
                then '{{ column }} ''' || {{ column }} || ''' is not a number'
        end{{ ',' if not loop.last }}
        {%- endfor %}
    ), '')
{%- endmacro %}

{#- The value of a column whose header name the file repeats in another case: PEI headers carry an
    empty section marker `LAWS` and the index `laws`, which lower-case to the same name, so the raw
    table holds them as `laws` and a suffixed copy (`laws_1`, DuckDB's way of making names unique).
    Every present copy is read and the first non-empty value kept; the marker columns are empty in
    every row. Before the table exists (parsing, linting) the plain name is used. -#}
{% macro repeated_header_value(relation, name) -%}
    {%- set copies = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if modules.re.fullmatch(name ~ '(_[0-9]+)?', column.name | lower) -%}
                {%- do copies.append(column.name | lower) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if copies | length > 1 -%}
        coalesce({% for copy in copies | sort %}nullif(trim({{ copy }}), ''){{ ', ' if not loop.last }}{% endfor %})
    {%- else -%}
        {{ name }}
    {%- endif -%}
{%- endmacro %}

{#- NELDA answers: yes -> TRUE, no -> FALSE, anything else NULL, with its status beside it. -#}
{% macro nelda_answer(column) -%}
    case lower(trim({{ column }}))
        when 'yes' then true
        when 'no' then false
    end
{%- endmacro %}

{#- yes, no, unclear, n/a (the codebook's not-applicable, e.g. a follow-up question whose premise
    was no), missing (empty) or unknown (any other text, kept in the row's answer issues). -#}
{% macro nelda_answer_status(column) -%}
    case
        when {{ column }} is null or trim({{ column }}) = '' then 'missing'
        when lower(trim({{ column }})) in ('yes', 'no', 'unclear', 'n/a') then lower(trim({{ column }}))
        else 'unknown'
    end
{%- endmacro %}

{#- "nelda33 'maybe'": the columns of `columns` whose answer is none of NELDA's values; NULL when none. -#}
{% macro unknown_nelda_answers(columns) -%}
    nullif(concat_ws(
        '; ',
        {%- for column in columns %}
        case
            when {{ nelda_answer_status(column) }} = 'unknown'
                then '{{ column }} ''' || {{ column }} || ''' is not yes, no, unclear or N/A'
        end{{ ',' if not loop.last }}
        {%- endfor %}
    ), '')
{%- endmacro %}

{#- A country code's candidates, the way the loader's resolver reads seeds/country_codes.csv
    (ingestion/countries.py code_candidates): the ISO3 of every row of `system` with that code
    valid in the row's year (bounds compared by year, inclusive). A code reused over time (COW 345:
    Yugoslavia, Serbia and Montenegro, Serbia) can leave two candidates in the year of the change;
    the election's day then picks the one valid that day (on_date). Select it as a CTE:
    one row per `key` of `coded` that has any candidate, with lists `in_year` and `on_date`. -#}
{% macro country_code_candidates(coded, key, system, code, year, on_date) -%}
    select
        coded.{{ key }},
        list(distinct codes.country_iso3 order by codes.country_iso3) as in_year,
        list(distinct codes.country_iso3 order by codes.country_iso3) filter (
            where
                coded.{{ on_date }} is null
                or (
                    (coalesce(length(codes.valid_from), 0) < 10 or cast(codes.valid_from as date) <= coded.{{ on_date }})
                    and (coalesce(length(codes.valid_to), 0) < 10 or coded.{{ on_date }} < cast(codes.valid_to as date))
                )
        ) as on_date
    from {{ coded }} as coded
    inner join {{ ref('country_codes') }} as codes
        on
            codes.system = '{{ system }}'
            and codes.code = coded.{{ code }}
            and (
                coded.{{ year }} is null
                or (
                    coalesce(cast(left(codes.valid_from, 4) as integer), coded.{{ year }}) <= coded.{{ year }}
                    and coded.{{ year }} <= coalesce(cast(left(codes.valid_to, 4) as integer), coded.{{ year }})
                )
            )
    group by coded.{{ key }}
{%- endmacro %}

{#- The one country a candidates row (above) names: the only one valid on the day, else the only one
    valid in the year; NULL when there is none or several. -#}
{% macro resolved_candidate(candidates) -%}
    case
        when len({{ candidates }}.on_date) = 1 then {{ candidates }}.on_date[1]
        when len({{ candidates }}.in_year) = 1 then {{ candidates }}.in_year[1]
    end
{%- endmacro %}
