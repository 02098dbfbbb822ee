{#- "What was known at moment T": a figure counts as known once its whole publication interval
    has passed (known_from = reported_to <= T) and until the next report of its series becomes
    known (T < superseded_at). A report dated only by its day is therefore known from the end of
    that local day, never from midnight. -#}

{% macro is_known_as_of(as_of, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    ({{ as_of }} >= {{ prefix }}known_from and ({{ prefix }}superseded_at is null or {{ as_of }} < {{ prefix }}superseded_at))
{%- endmacro %}

{#- A subquery of fct_casualty_knowledge_intervals as of one moment: one row per election, metric
    and authority family (the running count current at that moment), with the moment in column
    as_of. `as_of` is a timestamp string with its offset or IANA zone, e.g.
    '2020-10-06 12:00+06' or '2020-10-06 12:00 Asia/Bishkek' (a string without one is read as UTC,
    the warehouse's session time zone). Usage in an analysis:
        select metric, value from {{ casualty_figures_as_of('2020-10-06 12:00 Asia/Bishkek') }}
        where election_key = 'KGZ-2020-PARL' -#}
{% macro casualty_figures_as_of(as_of) -%}
    {%- if as_of is none or (as_of | string | trim) == '' -%}
        {{ exceptions.raise_compiler_error("casualty_figures_as_of: expected a timestamp such as '2020-10-06 12:00+06', got '" ~ as_of ~ "'") }}
    {%- endif -%}
    {%- set moment = "cast('" ~ (as_of | string | replace("'", "''")) ~ "' as timestamptz)" -%}
    (
        select
            intervals.*,
            {{ moment }} as as_of
        from {{ ref('fct_casualty_knowledge_intervals') }} as intervals
        where {{ is_known_as_of(moment, 'intervals') }}
    )
{%- endmacro %}
