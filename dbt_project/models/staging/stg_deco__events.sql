{#- DECO v1.0 events, typed and decoded. Raw holds the file's text as sent (CONTRACT.md); here
    sentinels (-99, NA, empty) become NULL, anything else that does not parse is kept as text in
    parse_issues, and each coded cell becomes a list of codes and a list of their labels, with any
    code the codebook seed does not list in unknown_codes. Free-text columns (source_article,
    electoral_vio_source) are never read: the bundled snapshot does not carry them. -#}
with

source as (

    select * from {{ current_payload(source('raw', 'deco_events'), 'deco') }}

),

-- the file's columns under the names used below (its `unknown` counts deaths of unknown status)
renamed as (

    select
        id,
        relid,
        type_of_violence,
        conflict_new_id,
        conflict_name,
        dyad_new_id,
        side_a_new_id,
        side_a,
        side_b_new_id,
        side_b,
        country_id,
        country,
        region,
        year,
        date_start,
        date_end,
        deaths_a,
        deaths_b,
        civilian_deaths,
        unknown as deaths_unknown,
        best,
        low,
        high,
        latitude,
        longitude,
        electoral_vio,
        electoral_vio_uncertainty,
        electoral_purpose,
        electoral_side_a,
        electoral_side_a_2,
        electoral_side_a_inc,
        electoral_side_b,
        electoral_side_b_2,
        electoral_side_b_inc,
        electoral_perpetrator,
        electoral_targets,
        electoral_type,
        electoral_timing,
        ucdp_ged,
        _source,
        _payload_sha256,
        _fetched_at,
        _record_locator
    from source

),

typed as (

    select
        -- ids
        {{ sentinel_integer('id') }} as event_id,
        {{ null_sentinels('relid') }} as relid,
        {{ sentinel_integer('conflict_new_id') }} as conflict_id,
        {{ sentinel_integer('dyad_new_id') }} as dyad_id,
        {{ sentinel_integer('side_a_new_id') }} as side_a_id,
        {{ sentinel_integer('side_b_new_id') }} as side_b_id,

        -- names as published, trimmed
        {{ null_sentinels('conflict_name') }} as conflict_name,
        {{ null_sentinels('side_a') }} as side_a,
        {{ null_sentinels('side_b') }} as side_b,
        {{ null_sentinels('country') }} as country_name,
        {{ null_sentinels('region') }} as region,

        -- where and when: M/D/YYYY dates; the text is kept beside the date
        {{ sentinel_integer('country_id') }} as country_id_gw,
        {{ sentinel_integer('year') }} as year,  -- noqa: RF04
        {{ sentinel_date('date_start', '%m/%d/%Y') }} as date_start,
        {{ null_sentinels('date_start') }} as date_start_text,
        {{ sentinel_date('date_end', '%m/%d/%Y') }} as date_end,
        {{ null_sentinels('date_end') }} as date_end_text,
        {{ sentinel_bounded('latitude', 90) }} as latitude,
        {{ sentinel_bounded('longitude', 180) }} as longitude,

        -- deaths (UCDP GED's: side a, side b, civilians, unknown status; best, low and high totals)
        {{ sentinel_integer('deaths_a') }} as deaths_side_a,
        {{ sentinel_integer('deaths_b') }} as deaths_side_b,
        {{ sentinel_integer('civilian_deaths') }} as deaths_civilians,
        {{ sentinel_integer('deaths_unknown') }} as deaths_unknown,
        {{ sentinel_integer('best') }} as deaths_best,
        {{ sentinel_integer('low') }} as deaths_low,
        {{ sentinel_integer('high') }} as deaths_high,

        -- single-valued codes
        {{ sentinel_integer('type_of_violence') }} as type_of_violence,
        {{ sentinel_integer('electoral_vio') }} as electoral_vio,
        {{ sentinel_integer('electoral_vio_uncertainty') }} as uncertainty,
        {{ sentinel_integer('electoral_side_a_inc') }} as side_a_incumbent,
        {{ sentinel_integer('electoral_side_b_inc') }} as side_b_incumbent,
        {{ sentinel_integer('ucdp_ged') }} as ucdp_ged,

        -- multi-valued codes ('1;2,3')
        {{ split_codes('electoral_perpetrator') }} as perpetrator_codes,
        {{ split_codes('electoral_targets') }} as target_codes,
        {{ split_codes('electoral_type') }} as electoral_type_codes,
        {{ split_codes('electoral_timing') }} as timing_codes,

        -- text categories: purposes separated by ';', actor categories of each side
        case
            when {{ null_sentinels('electoral_purpose') }} is not null then
                list_filter(
                    list_transform(string_split(electoral_purpose, ';'), lambda purpose: trim(purpose)),
                    lambda purpose: purpose <> ''
                )
        end as purposes,
        {{ null_sentinels('electoral_side_a') }} as side_a_category,
        {{ null_sentinels('electoral_side_a_2') }} as side_a_category_2,
        {{ null_sentinels('electoral_side_b') }} as side_b_category,
        {{ null_sentinels('electoral_side_b_2') }} as side_b_category_2,

        -- values that are neither a sentinel nor readable, as 'column=value'
        list_filter([
            {{ parse_issue('id', sentinel_integer('id')) }},
            {{ parse_issue('conflict_new_id', sentinel_integer('conflict_new_id')) }},
            {{ parse_issue('dyad_new_id', sentinel_integer('dyad_new_id')) }},
            {{ parse_issue('side_a_new_id', sentinel_integer('side_a_new_id')) }},
            {{ parse_issue('side_b_new_id', sentinel_integer('side_b_new_id')) }},
            {{ parse_issue('country_id', sentinel_integer('country_id')) }},
            {{ parse_issue('year', sentinel_integer('year')) }},
            {{ parse_issue('date_start', sentinel_date('date_start', '%m/%d/%Y')) }},
            {{ parse_issue('date_end', sentinel_date('date_end', '%m/%d/%Y')) }},
            {{ parse_issue('latitude', sentinel_bounded('latitude', 90)) }},
            {{ parse_issue('longitude', sentinel_bounded('longitude', 180)) }},
            {{ parse_issue('deaths_a', sentinel_integer('deaths_a')) }},
            {{ parse_issue('deaths_b', sentinel_integer('deaths_b')) }},
            {{ parse_issue('civilian_deaths', sentinel_integer('civilian_deaths')) }},
            {{ parse_issue('deaths_unknown', sentinel_integer('deaths_unknown')) }},
            {{ parse_issue('best', sentinel_integer('best')) }},
            {{ parse_issue('low', sentinel_integer('low')) }},
            {{ parse_issue('high', sentinel_integer('high')) }},
            {{ parse_issue('type_of_violence', sentinel_integer('type_of_violence')) }},
            {{ parse_issue('electoral_vio', sentinel_integer('electoral_vio')) }},
            {{ parse_issue('electoral_vio_uncertainty', sentinel_integer('electoral_vio_uncertainty')) }},
            {{ parse_issue('electoral_side_a_inc', sentinel_integer('electoral_side_a_inc')) }},
            {{ parse_issue('electoral_side_b_inc', sentinel_integer('electoral_side_b_inc')) }},
            {{ parse_issue('ucdp_ged', sentinel_integer('ucdp_ged')) }}
        ], lambda issue: issue is not null) as parse_issues,

        -- provenance
        _source as loaded_from_source,
        _payload_sha256 as payload_sha256,
        _record_locator as record_locator,
        cast(_fetched_at as timestamptz) as fetched_at
    from renamed

),

-- G-W code to ISO3 for the event's year, as ingestion.countries.resolve_code does: a code reused
-- over time (345 Yugoslavia, then Serbia and Montenegro) resolves only where one country held it
countries as (

    select
        typed.record_locator,
        list(distinct codes.country_iso3) as candidates
    from typed
    inner join {{ ref('country_codes') }} as codes
        on
            codes.system = 'gw'
            and codes.code = cast(typed.country_id_gw as varchar)
            and (codes.valid_from is null or cast(left(codes.valid_from, 4) as integer) <= typed.year)
            and (codes.valid_to is null or typed.year <= cast(left(codes.valid_to, 4) as integer))
    group by typed.record_locator

),

-- one row holding, per coded column, the codebook as code -> label (and timing code -> side)
codebook as (

    select
        {%- for variable in ['type_of_violence', 'electoral_vio_uncertainty', 'electoral_side_a_inc',
                             'electoral_side_b_inc', 'electoral_perpetrator', 'electoral_targets',
                             'electoral_type', 'electoral_timing'] %}
            map_from_entries(
                coalesce(list({ 'key': code, 'value': label }) filter (where variable = '{{ variable }}'), [])
            ) as {{ variable }}_labels,
        {%- endfor %}
        map_from_entries(
            coalesce(list({ 'key': code, 'value': election_side }) filter (where variable = 'electoral_timing'), [])
        ) as electoral_timing_sides
    from {{ ref('deco_codebook') }}

),

decoded as (

    select
        typed.* exclude (parse_issues),
        case when len(countries.candidates) = 1 then countries.candidates[1] end as country_iso3,

        codebook.type_of_violence_labels[cast(typed.type_of_violence as varchar)] as type_of_violence_label,
        codebook.electoral_vio_uncertainty_labels[cast(typed.uncertainty as varchar)] as uncertainty_label,
        list_transform(typed.perpetrator_codes, lambda code: codebook.electoral_perpetrator_labels[code])  -- noqa: RF02
            as perpetrator_labels,
        list_transform(typed.target_codes, lambda code: codebook.electoral_targets_labels[code])  -- noqa: RF02
            as target_labels,
        list_transform(typed.electoral_type_codes, lambda code: codebook.electoral_type_labels[code])  -- noqa: RF02
            as electoral_type_labels,
        list_transform(typed.timing_codes, lambda code: codebook.electoral_timing_labels[code])  -- noqa: RF02
            as timing_labels,
        list_distinct(list_filter(
            list_transform(typed.timing_codes, lambda code: codebook.electoral_timing_sides[code]),  -- noqa: RF02
            lambda side: side is not null  -- noqa: RF02
        )) as timing_sides,

        -- every code the codebook does not list, as 'variable=code'
        list_concat(
            {%- for variable, column in [('type_of_violence', 'type_of_violence'),
                                         ('electoral_vio_uncertainty', 'uncertainty'),
                                         ('electoral_side_a_inc', 'side_a_incumbent'),
                                         ('electoral_side_b_inc', 'side_b_incumbent')] %}
                case
                    when
                        typed.{{ column }} is not null
                        and not map_contains(codebook.{{ variable }}_labels, cast(typed.{{ column }} as varchar))
                        then ['{{ variable }}=' || cast(typed.{{ column }} as varchar)]
                    else []
                end,
            {%- endfor %}
            {%- for variable, column in [('electoral_perpetrator', 'perpetrator_codes'),
                                         ('electoral_targets', 'target_codes'),
                                         ('electoral_type', 'electoral_type_codes'),
                                         ('electoral_timing', 'timing_codes')] %}
                list_transform(
                    list_filter(
                        coalesce(typed.{{ column }}, []),
                        lambda code: not map_contains(codebook.{{ variable }}_labels, code)  -- noqa: RF02
                    ),
                    lambda code: '{{ variable }}=' || code  -- noqa: RF02
                ){{ ',' if not loop.last }}
            {%- endfor %}
        ) as unknown_codes,

        list_concat(
            typed.parse_issues,
            case
                when typed.country_id_gw is not null and len(coalesce(countries.candidates, [])) <> 1
                    then [
                        'country_id=' || cast(typed.country_id_gw as varchar) || ' (year '
                        || coalesce(cast(typed.year as varchar), '?') || ')'
                    ]
                else []
            end
        ) as parse_issues
    from typed
    cross join codebook
    left join countries
        on typed.record_locator = countries.record_locator

),

final as (

    select
        -- ids
        event_id,
        relid,
        conflict_id,
        dyad_id,

        -- where and when
        country_iso3,
        country_id_gw,
        country_name,
        region,
        year,
        date_start,
        date_end,
        date_start_text,
        date_end_text,
        latitude,
        longitude,

        -- who
        side_a_id,
        side_a,
        side_a_category,
        side_a_category_2,
        side_a_incumbent,
        side_b_id,
        side_b,
        side_b_category,
        side_b_category_2,
        side_b_incumbent,
        conflict_name,

        -- deaths
        deaths_best,
        deaths_low,
        deaths_high,
        deaths_side_a,
        deaths_side_b,
        deaths_civilians,
        deaths_unknown,

        -- coded electoral variables
        type_of_violence,
        type_of_violence_label,
        electoral_vio,
        uncertainty,
        uncertainty_label,
        perpetrator_codes,
        perpetrator_labels,
        target_codes,
        target_labels,
        electoral_type_codes,
        electoral_type_labels,
        timing_codes,
        timing_labels,
        timing_sides,
        purposes,
        ucdp_ged,

        -- reading problems
        unknown_codes,
        parse_issues,

        -- provenance
        loaded_from_source,
        payload_sha256,
        record_locator,
        fetched_at
    from decoded

)

select * from final
