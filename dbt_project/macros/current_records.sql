{#- Which records of a raw table the marts show, and what each source withdrew (docs/contracts.md,
    "Withdrawals"). A payload is a complete snapshot of its source: a record is current while the
    source's current payload holds it, as a loaded row or as a quarantined record (then its last
    good copy stays). The current payload is the source's latest load in raw.loaded_payloads that
    held any record; a reverted payload counts at its newer fetch. A record the current payload no
    longer holds is withdrawn, as of the fetch of the first load after its last appearance. A
    publisher that brings it back makes it current again.

    natural_key is the list of columns that identify a record. Keys are compared as trimmed text:
    a quarantined record keeps the publisher's spelling, the raw row the parser's. -#}

{% macro _key_columns(natural_key, prefix='') -%}
    {%- for column in natural_key -%}
        trim(cast({{ prefix }}{{ column }} as varchar)) as {{ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{% macro _keys_match(natural_key, left, right) -%}
    {%- for column in natural_key -%}
        trim(cast({{ left }}.{{ column }} as varchar)) = {{ right }}.{{ column }}{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- One row per source and natural key that ever had a good copy in `relation`: first_seen_at,
    last_seen_at, last_payload_sha256, last_held_as, withdrawn_at, is_current, and the last good
    copy's value of each of `describe` (columns every record has, e.g. election_key). -#}
{% macro record_timeline(relation, natural_key, describe=[]) -%}
    with

    loads as (

        -- every load of a payload; raw rows also carry the earlier fetch of a reverted payload
        select
            source as _source,
            payload_sha256 as _payload_sha256,
            cast(fetched_at as timestamptz) as _fetched_at
        from {{ source('raw', 'loaded_payloads') }}
        -- a payload with no record at all, not even a quarantined one, withdraws nothing: it is far
        -- more often a publisher's broken export than a retraction of every record
        where status = 'loaded' and rows_loaded + rows_quarantined > 0
        union
        select distinct
            _source,
            _payload_sha256,
            cast(_fetched_at as timestamptz) as _fetched_at
        from {{ relation }}

    ),

    numbered_loads as (

        select
            *,
            row_number() over (partition by _source order by _fetched_at, _payload_sha256) as load_number
        from loads

    ),

    holdings as (

        select
            _source,
            _payload_sha256,
            cast(_fetched_at as timestamptz) as _fetched_at,
            {{ _key_columns(natural_key) }},
            {%- for column in describe %}
            {{ column }},
            {%- endfor %}
            true as is_good
        from {{ relation }}
        union all
        select
            quarantine.source as _source,
            quarantine.payload_sha256 as _payload_sha256,
            loads._fetched_at,
            {%- for column in natural_key %}
            trim(json_extract_string(quarantine.record, '$.{{ column }}')) as {{ column }},
            {%- endfor %}
            {%- for column in describe %}
            null as {{ column }},
            {%- endfor %}
            false as is_good
        from {{ source('raw', 'quarantine') }} as quarantine
        inner join loads
            on quarantine.source = loads._source
            and quarantine.payload_sha256 = loads._payload_sha256
        where
            {%- for column in natural_key %}
            json_extract_string(quarantine.record, '$.{{ column }}') is not null{{ ' and' if not loop.last }}
            {%- endfor %}

    ),

    timeline as (

        select
            holdings._source,
            {%- for column in natural_key %}
            holdings.{{ column }},
            {%- endfor %}
            {%- for column in describe %}
            arg_max(holdings.{{ column }}, numbered_loads.load_number) filter (where holdings.is_good) as {{ column }},
            {%- endfor %}
            min(holdings._fetched_at) filter (where holdings.is_good) as first_seen_at,
            max(holdings._fetched_at) as last_seen_at,
            max(numbered_loads.load_number) as last_load_number,
            arg_max(holdings._payload_sha256, numbered_loads.load_number) as last_payload_sha256,
            -- at its last load a record held both ways (a duplicate) counts as loaded
            case when arg_max(holdings.is_good, numbered_loads.load_number * 2 + cast(holdings.is_good as integer))
                then 'loaded' else 'quarantined' end as last_held_as
        from holdings
        inner join numbered_loads
            on holdings._source = numbered_loads._source
            and holdings._payload_sha256 = numbered_loads._payload_sha256
            and holdings._fetched_at = numbered_loads._fetched_at
        group by all
        -- a record only ever quarantined never reached a mart
        having bool_or(holdings.is_good)

    )

    select
        timeline.* exclude (last_load_number),
        next_load._fetched_at as withdrawn_at,
        next_load._fetched_at is null as is_current
    from timeline
    left join numbered_loads as next_load
        on timeline._source = next_load._source
        and next_load.load_number = timeline.last_load_number + 1
{%- endmacro %}

{#- The rows of `relation` the marts show: for each current record, its latest good copy
    (several sources holding one key: the latest fetch among those that still hold it). Used as
    `select * from {{ current_records(source('raw', 'decisions'), ['decision_id']) }}`. -#}
{% macro current_records(relation, natural_key) -%}
    (
        with

        timeline as (

            {{ record_timeline(relation, natural_key) }}

        )

        select raw_rows.*
        from {{ relation }} as raw_rows
        inner join timeline
            on raw_rows._source = timeline._source
            and {{ _keys_match(natural_key, 'raw_rows', 'timeline') }}
        where timeline.is_current
        qualify row_number() over (
            partition by {% for column in natural_key %}raw_rows.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
            order by raw_rows._fetched_at desc, raw_rows._payload_sha256 desc
        ) = 1
    ) as current_records
{%- endmacro %}

{#- fct_record_history's rows for one entity (the raw table's name) of `relation`. -#}
{% macro record_history(relation, entity, natural_key) -%}
    {%- set in_key = 'election_key' in natural_key -%}
    select
        cast(timeline._source as varchar) as source,
        cast('{{ entity }}' as varchar) as entity,
        cast('{{ natural_key | join(", ") }}' as varchar) as natural_key,
        cast({% for column in natural_key %}timeline.{{ column }}{{ " || ' | ' || " if not loop.last }}{% endfor %} as varchar)
            as record_key,
        cast(timeline.election_key as varchar) as election_key,
        timeline.first_seen_at,
        timeline.last_seen_at,
        timeline.withdrawn_at,
        timeline.is_current,
        cast(timeline.last_payload_sha256 as varchar) as last_payload_sha256,
        cast(timeline.last_held_as as varchar) as last_held_as
    from ({{ record_timeline(relation, natural_key, describe=[] if in_key else ['election_key']) }}) as timeline
{%- endmacro %}
