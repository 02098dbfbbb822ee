{#- PEI election-level file, current payload: one row per election id. Numbers are read from the
    raw text (research_values.sql); a value that is not a number, a country, type or date that does
    not resolve or that the election id contradicts, is kept NULL or as sent and described in the
    row's issue columns, never dropped. The election id reads ISO3_DDMMYYYY_<letter><round>
    (letter L legislative, S senate, P presidential). -#}
{%- set raw_table = source('raw', 'pei_elections') -%}
{%- set numbers = [
    'year', 'office', 'ccodecow', 'refno', 'numresponses',
    'peiindexp', 'peiindexp_lci', 'peiindexp_hci', 'peiindexi', 'peiindexi_lci', 'peiindexi_hci',
    'peiindex_rank', 'rating', 'rating_lci', 'rating_hci', 'peitype',
    'laws_index', 'lawsi', 'procedures_index', 'proceduresi', 'boundaries_index', 'boundariesi',
    'votereg', 'voteregi', 'partyreg', 'partyregi', 'media', 'mediai', 'finance', 'financei',
    'voting', 'votingi', 'count', 'counti', 'results', 'resultsi', 'embs', 'embsi',
] -%}
{#- Points on PEI's scales; their intervals' bounds may fall outside (a 1-10 rating's lower bound below 1). -#}
{%- set ranges = {'rating': [1, 10]} -%}
{%- for column in [
    'peiindexp', 'peiindexi', 'laws_index', 'lawsi', 'procedures_index', 'proceduresi', 'boundaries_index',
    'boundariesi', 'votereg', 'voteregi', 'partyreg', 'partyregi', 'media', 'mediai', 'finance', 'financei',
    'voting', 'votingi', 'count', 'counti', 'results', 'resultsi', 'embs', 'embsi',
] -%}
    {%- do ranges.update({column: [0, 100]}) -%}
{%- endfor %}

with

source as (

    select * from {{ current_payload(raw_table, 'pei') }}

),

numbered as (

    select
        *,
        nullif(trim(election), '') as election_id,
        cast(regexp_extract(_record_locator, '[0-9]+') as integer) as record_number,
        -- the same id twice in one payload: the loader quarantines exact copies; any left are counted
        md5(cast(
            list_value(*columns(* exclude (_source, _payload_sha256, _fetched_at, _record_locator, _loaded_at)))
            as varchar
        )) as record_hash,
        {{ repeated_header_value(raw_table, 'laws') }} as laws_index,
        {{ repeated_header_value(raw_table, 'procedures') }} as procedures_index,
        {{ repeated_header_value(raw_table, 'boundaries') }} as boundaries_index
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
        regexp_extract(election_id, '^([A-Za-z]{3})_([0-9]{8})_([A-Za-z])([0-9]+)$', 1) as id_iso3,
        regexp_extract(election_id, '^([A-Za-z]{3})_([0-9]{8})_([A-Za-z])([0-9]+)$', 2) as id_ddmmyyyy,
        regexp_extract(election_id, '^([A-Za-z]{3})_([0-9]{8})_([A-Za-z])([0-9]+)$', 3) as id_letter,
        regexp_extract(election_id, '^([A-Za-z]{3})_([0-9]{8})_([A-Za-z])([0-9]+)$', 4) as id_round,
        {{ source_integer('refno') }} as pei_country_refno,
        nullif(trim(country), '') as country_name_as_published,
        nullif(upper(trim(iso)), '') as iso3_as_published,
        {{ source_code('ccodecow') }} as cow_code_as_published,

        -- election
        {{ source_code('office') }} as office_code,
        nullif(trim(date), '') as date_as_published,
        cast(try_strptime(trim(date), '%Y-%m-%d') as date) as date_from_date_column,
        {{ source_integer('year') }} as year_as_published,

        -- survey
        {{ source_integer('numresponses') }} as expert_responses,

        -- indices
        {{ ranged_number('peiindexp', 0, 100) }} as pei_indexp,
        {{ source_number('peiindexp_lci') }} as pei_indexp_lci,
        {{ source_number('peiindexp_hci') }} as pei_indexp_hci,
        {{ ranged_number('peiindexi', 0, 100) }} as pei_indexi,
        {{ source_number('peiindexi_lci') }} as pei_indexi_lci,
        {{ source_number('peiindexi_hci') }} as pei_indexi_hci,
        {{ source_integer('peiindex_rank') }} as pei_index_rank,
        {{ ranged_number('rating', 1, 10) }} as pei_rating,
        {{ source_number('rating_lci') }} as pei_rating_lci,
        {{ source_number('rating_hci') }} as pei_rating_hci,
        {{ source_integer('peitype') }} as pei_type,

        -- the eleven dimensions, each in its two published variants
        {{ ranged_number('laws_index', 0, 100) }} as pei_laws,
        {{ ranged_number('lawsi', 0, 100) }} as pei_lawsi,
        {{ ranged_number('procedures_index', 0, 100) }} as pei_procedures,
        {{ ranged_number('proceduresi', 0, 100) }} as pei_proceduresi,
        {{ ranged_number('boundaries_index', 0, 100) }} as pei_boundaries,
        {{ ranged_number('boundariesi', 0, 100) }} as pei_boundariesi,
        {{ ranged_number('votereg', 0, 100) }} as pei_votereg,
        {{ ranged_number('voteregi', 0, 100) }} as pei_voteregi,
        {{ ranged_number('partyreg', 0, 100) }} as pei_partyreg,
        {{ ranged_number('partyregi', 0, 100) }} as pei_partyregi,
        {{ ranged_number('media', 0, 100) }} as pei_media,
        {{ ranged_number('mediai', 0, 100) }} as pei_mediai,
        {{ ranged_number('finance', 0, 100) }} as pei_finance,
        {{ ranged_number('financei', 0, 100) }} as pei_financei,
        {{ ranged_number('voting', 0, 100) }} as pei_voting,
        {{ ranged_number('votingi', 0, 100) }} as pei_votingi,
        {{ ranged_number('count', 0, 100) }} as pei_count,
        {{ ranged_number('counti', 0, 100) }} as pei_counti,
        {{ ranged_number('results', 0, 100) }} as pei_results,
        {{ ranged_number('resultsi', 0, 100) }} as pei_resultsi,
        {{ ranged_number('embs', 0, 100) }} as pei_embs,
        {{ ranged_number('embsi', 0, 100) }} as pei_embsi,

        -- what could not be read
        nullif(concat_ws('; ', {{ unreadable_numbers(numbers) }}, {{ out_of_range_numbers(ranges) }}), '')
            as value_issues,
        case
            when copies_in_payload > 1
                then
                    copies_in_payload || ' rows with this election id in the payload ('
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
        cast(try_strptime(id_ddmmyyyy, '%d%m%Y') as date) as date_in_id,
        -- the date column first; the id's date when the column is empty or unreadable (flagged)
        coalesce(date_from_date_column, cast(try_strptime(id_ddmmyyyy, '%d%m%Y') as date)) as election_date,
        cast(coalesce(year_as_published, year(date_from_date_column)) as integer) as election_year,
        nullif(upper(id_iso3), '') as iso3_in_id,
        nullif(upper(id_letter), '') as type_letter_in_id,
        cast(nullif(id_round, '') as integer) as round
    from typed

),

iso_candidates as (

    {{ country_code_candidates(
        'dated', 'election_id', 'iso3',
        'iso3_as_published', 'election_year', 'election_date'
    ) }}

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
    where source = 'pei'

),

resolved as (

    select
        dated.*,
        {{ resolved_candidate('iso_candidates') }} as iso_country,
        {{ resolved_candidate('cow_candidates') }} as cow_country,
        array_to_string(iso_candidates.in_year, ', ') as iso_candidates_in_year,
        array_to_string(cow_candidates.in_year, ', ') as cow_candidates_in_year,
        type_map.election_type
    from dated
    left join iso_candidates on dated.election_id = iso_candidates.election_id
    left join cow_candidates on dated.election_id = cow_candidates.election_id
    left join type_map on dated.office_code = type_map.source_type

),

flagged as (

    select
        *,
        coalesce(iso_country, cow_country) as country_iso3,
        case
            when iso_country is not null then 'iso'
            when cow_country is not null then 'cow'
        end as country_resolved_from,
        nullif(concat_ws(
            '; ',
            case
                when iso3_as_published is null then 'no ISO code'
                when iso_country is null
                    then
                        'ISO ''' || iso3_as_published || ''' names '
                        || coalesce('several countries (' || iso_candidates_in_year || ')', 'no country')
                        || ' in '
                        || coalesce(cast(election_year as varchar), 'any year')
                        || ' in seeds/country_codes.csv'
            end,
            case
                when cow_code_as_published is not null and cow_country is null
                    then
                        'COW code ' || cow_code_as_published || ' names '
                        || coalesce('several countries (' || cow_candidates_in_year || ')', 'no country')
                        || ' in '
                        || coalesce(cast(election_year as varchar), 'any year')
                        || ' in seeds/country_codes.csv'
            end,
            case
                when iso_country <> cow_country
                    then
                        'ISO ' || iso_country || ' and COW code ' || cow_code_as_published
                        || ' (' || cow_country || ') name different countries'
            end,
            case
                when iso3_in_id <> iso3_as_published
                    then 'the election id''s prefix ' || iso3_in_id || ' is not its ISO ' || iso3_as_published
            end
        ), '') as country_issue,
        nullif(concat_ws(
            '; ',
            case
                when office_code is null then 'no office code'
                when election_type is null
                    then 'office ''' || office_code || ''' is not a pei row of seeds/election_type_map.csv'
            end,
            -- a consistency check only: the type itself comes from office through the seed
            case
                when office_code <> case type_letter_in_id when 'L' then '0' when 'S' then '0' when 'P' then '1' end
                    then
                        'office ' || office_code || ' (' || coalesce(election_type, '?')
                        || ') but the election id''s letter is ' || type_letter_in_id
            end
        ), '') as type_issue,
        nullif(concat_ws(
            '; ',
            case
                when date_as_published is null
                    then
                        'no date'
                        || case when date_in_id is not null then '; the election id''s date is used' else '' end
                when date_from_date_column is null
                    then
                        'date ''' || date_as_published || ''' is not YYYY-MM-DD'
                        || case when date_in_id is not null then '; the election id''s date is used' else '' end
            end,
            case
                when date_from_date_column <> date_in_id
                    then 'date ' || date_from_date_column || ' is not the election id''s date ' || date_in_id
            end,
            case
                when year_as_published <> year(election_date)
                    then 'year ' || year_as_published || ' is not the year of ' || election_date
            end
        ), '') as date_issue
    from resolved

),

renamed as (

    select
        -- ids
        election_id,
        pei_country_refno,
        country_iso3,
        country_resolved_from,
        country_name_as_published,
        iso3_as_published,
        cow_code_as_published,

        -- election
        election_date,
        case when election_date is not null then 'day' end as election_date_precision,
        election_year,
        election_type,
        office_code,
        round,

        -- survey and indices
        expert_responses,
        pei_indexp,
        pei_indexp_lci,
        pei_indexp_hci,
        pei_indexi,
        pei_indexi_lci,
        pei_indexi_hci,
        pei_index_rank,
        pei_rating,
        pei_rating_lci,
        pei_rating_hci,
        pei_type,
        pei_laws,
        pei_lawsi,
        pei_procedures,
        pei_proceduresi,
        pei_boundaries,
        pei_boundariesi,
        pei_votereg,
        pei_voteregi,
        pei_partyreg,
        pei_partyregi,
        pei_media,
        pei_mediai,
        pei_finance,
        pei_financei,
        pei_voting,
        pei_votingi,
        pei_count,
        pei_counti,
        pei_results,
        pei_resultsi,
        pei_embs,
        pei_embsi,

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
