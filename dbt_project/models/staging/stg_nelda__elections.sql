{#- NELDA, current payload: one row per election round (electionid CCC-YYYY-MMDD-<letter><round>,
    the zero-padded COW code and the first round's date; a later round's own date is year + mmdd).
    mmdd is not zero-padded ('315' is 15 March). The crisis variables (macros/nelda_variables.sql,
    generated from the codebook) become booleans with their answer's status beside them. A date,
    country, type or answer that cannot be read is NULL and described in the row's issue columns;
    the free-text notes columns are never read. -#}
{%- set variables = nelda_staged_variables() -%}

with

source as (

    select * from {{ current_payload(source('raw', 'nelda_elections'), 'nelda') }}

),

numbered as (

    select
        *,
        nullif(trim(electionid), '') as election_id,
        cast(regexp_extract(_record_locator, '[0-9]+') as integer) as record_number,
        -- the same id twice in one payload: the loader quarantines exact copies; any left are counted
        md5(cast(
            list_value(*columns(* exclude (_source, _payload_sha256, _fetched_at, _record_locator, _loaded_at)))
            as varchar
        )) as record_hash
    from source

),

deduplicated as (

    select
        *,
        count(*) over (partition by coalesce(election_id, _record_locator)) as copies_in_payload,
        count(distinct record_hash) over (partition by coalesce(election_id, _record_locator)) as distinct_copies
    from numbered
    -- a row without an id is kept apart (the key's not_null test names it)
    qualify row_number() over (partition by coalesce(election_id, _record_locator) order by record_number) = 1

),

typed as (

    select
        -- ids
        election_id,
        -- the parts of the id ('' when it does not have the form)
        regexp_extract(election_id, '^([0-9]{3})-([0-9]{4})-([0-9]{4})-([A-Za-z])([0-9]+)$', 1) as id_ccode,
        regexp_extract(election_id, '^([0-9]{3})-([0-9]{4})-([0-9]{4})-([A-Za-z])([0-9]+)$', 2) as id_year,
        regexp_extract(election_id, '^([0-9]{3})-([0-9]{4})-([0-9]{4})-([A-Za-z])([0-9]+)$', 3) as id_mmdd,
        regexp_extract(election_id, '^([0-9]{3})-([0-9]{4})-([0-9]{4})-([A-Za-z])([0-9]+)$', 4) as id_letter,
        regexp_extract(election_id, '^([0-9]{3})-([0-9]{4})-([0-9]{4})-([A-Za-z])([0-9]+)$', 5) as id_round,
        nullif(trim(stateid), '') as state_abbreviation_as_published,
        nullif(trim(country), '') as country_name_as_published,
        {{ source_code('ccode') }} as cow_code_as_published,

        -- election
        {{ source_integer('year') }} as election_year,
        nullif(trim(mmdd), '') as mmdd_as_published,
        -- '315', '1227', or '315.0' from a statistics package: month and day as four digits
        case
            when regexp_full_match(regexp_replace(trim(mmdd), '[.]0*$', ''), '[0-9]{3,4}')
                then lpad(regexp_replace(trim(mmdd), '[.]0*$', ''), 4, '0')
        end as mmdd_padded,
        nullif(trim(types), '') as types_as_published,

        -- answers
        {%- for code, name in variables %}
            {{ nelda_answer(code) }} as {{ name }},
            {{ nelda_answer_status(code) }} as {{ name }}_status,
        {%- endfor %}

        -- what could not be read
        nullif(concat_ws(
            '; ',
            {{ unreadable_numbers(['ccode', 'year']) }},
            {{ unknown_nelda_answers(variables | map('first') | list) }}
        ), '') as value_issues,
        case
            when copies_in_payload > 1
                then
                    copies_in_payload || ' rows with this electionid in the payload ('
                    || case when distinct_copies > 1 then 'differing' else 'identical' end
                    || '); the first, row ' || record_number || ', is kept'
        end as copies_issue,

        -- provenance
        _source as loaded_from_source,
        _payload_sha256 as payload_sha256,
        _record_locator as record_locator,
        cast(_fetched_at as timestamptz) as fetched_at

    from deduplicated

),

dated as (

    select
        *,
        try_cast(
            election_year || '-' || substr(mmdd_padded, 1, 2) || '-' || substr(mmdd_padded, 3, 2) as date
        ) as election_date,
        nullif(id_ccode, '') as cow_code_in_id,
        nullif(upper(id_letter), '') as type_letter_in_id,
        cast(nullif(id_round, '') as integer) as round
    from typed

),

cow_candidates as (

    {{ country_code_candidates(
        'dated', 'election_id', 'cow',
        'cow_code_as_published', 'election_year', 'election_date'
    ) }}

),

type_map as (

    select
        source_type,
        election_type
    from {{ ref('election_type_map') }}
    where source = 'nelda'

),

resolved as (

    select
        dated.*,
        {{ resolved_candidate('cow_candidates') }} as country_iso3,
        array_to_string(cow_candidates.in_year, ', ') as cow_candidates_in_year,
        type_map.election_type
    from dated
    left join cow_candidates on dated.election_id = cow_candidates.election_id
    left join type_map on dated.types_as_published = type_map.source_type

),

flagged as (

    select
        *,
        case
            when election_date is not null then 'day'
            when election_year is not null then 'year'
        end as election_date_precision,
        nullif(concat_ws(
            '; ',
            case
                when cow_code_as_published is null then 'no COW code'
                when country_iso3 is null
                    then
                        'COW code ' || cow_code_as_published || ' names '
                        || coalesce('several countries (' || cow_candidates_in_year || ')', 'no country')
                        || ' in '
                        || coalesce(cast(election_year as varchar), 'any year')
                        || ' in seeds/country_codes.csv'
            end,
            case
                when try_cast(cow_code_in_id as integer) <> try_cast(cow_code_as_published as integer)
                    then
                        'the electionid''s COW code ' || cow_code_in_id || ' is not its ccode ' || cow_code_as_published
            end
        ), '') as country_issue,
        nullif(concat_ws(
            '; ',
            case
                when election_id is null then 'no electionid'
                when id_round = '' then 'electionid ''' || election_id || ''' is not CCC-YYYY-MMDD-<letter><round>'
            end,
            case
                when types_as_published is null then 'no types'
                when election_type is null
                    then 'types ''' || types_as_published || ''' is not a nelda row of seeds/election_type_map.csv'
            end,
            -- a consistency check only: the type itself comes from types through the seed
            case
                when election_type <> case type_letter_in_id when 'L' then 'PARL' when 'P' then 'PRES' end
                    then 'types ' || types_as_published || ' but the electionid''s letter is ' || type_letter_in_id
            end
        ), '') as type_issue,
        case
            when election_year is null then 'no year'
            when mmdd_as_published is null then 'no mmdd; dated by year only'
            when election_date is null
                then
                    'mmdd ''' || mmdd_as_published || ''' is not a month and day of ' || election_year
                    || '; dated by year only'
        end as date_issue
    from resolved

),

renamed as (

    select
        -- ids
        election_id,
        country_iso3,
        country_name_as_published,
        state_abbreviation_as_published,
        cow_code_as_published,

        -- election
        election_date,
        election_date_precision,
        election_year,
        election_type,
        types_as_published,
        round,

        -- answers
        {%- for code, name in variables %}
            {{ name }},
            {{ name }}_status,
        {%- endfor %}

        -- issues
        country_issue,
        type_issue,
        date_issue,
        value_issues,
        copies_issue,
        nullif(concat_ws('; ', country_issue, type_issue, date_issue, value_issues, copies_issue), '') as data_issues,

        -- provenance
        loaded_from_source,
        payload_sha256,
        record_locator,
        fetched_at

    from flagged

)

select * from renamed
