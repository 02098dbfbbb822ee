{#- ParlGov results in either layout, typed. Only one of the two raw tables holds the source's
    current payload (the other gives no rows), so the layouts are unioned. A cell is NULL only
    when it is empty; a non-empty cell that does not read as its type is NULL too but named in
    `malformed_fields`, so it is never lost silently. Free-text columns (2024 description,
    comment, data_json) are optional in the contract and never read. -#}

with

classic as (

    select
        'classic' as layout,
        country_name_short as country_code,
        election_date,
        election_type,
        election_id,
        party_id,
        cast(null as varchar) as result_id,
        cast(null as varchar) as alliance_result_id,
        party_name_short,
        party_name,
        party_name_english,
        vote_share,
        seats,
        cast(null as varchar) as votes,
        seats_total,
        _payload_sha256,
        _fetched_at,
        _record_locator
    from {{ current_payload(source('raw', 'parlgov_election_classic'), 'parlgov') }}

),

layout_2024 as (

    select
        '2024' as layout,
        country as country_code,
        date as election_date,
        type as election_type,
        election_id,
        party_id,
        id as result_id,
        alliance_id as alliance_result_id,
        party as party_name_short,
        cast(null as varchar) as party_name,
        cast(null as varchar) as party_name_english,
        vote_share,
        seats,
        votes,
        cast(null as varchar) as seats_total,
        _payload_sha256,
        _fetched_at,
        _record_locator
    from {{ current_payload(source('raw', 'parlgov_election_2024'), 'parlgov') }}

),

unioned as (

    select * from classic
    union all
    select * from layout_2024

),

-- ISO alpha-3 codes through the country resolver's seed; its ISO validity dates are kept as a
-- caveat, not a filter: ParlGov codes the Czech and Slovak republics' 1990 and 1992 elections,
-- before their codes existed, as CZE and SVK
iso3_codes as (

    select
        code,
        country_iso3,
        try_cast(valid_from as date) as valid_from,
        try_cast(valid_to as date) as valid_to
    from {{ ref('country_codes') }}
    where system = 'iso3'

),

typed as (

    select
        unioned.layout,
        nullif(trim(unioned.election_id), '') as source_election_id,
        nullif(trim(unioned.country_code), '') as country_code,
        try_cast(nullif(trim(unioned.election_date), '') as date) as election_date,
        nullif(trim(unioned.election_type), '') as source_type,
        nullif(trim(unioned.party_id), '') as party_id,
        nullif(trim(unioned.result_id), '') as result_id,
        nullif(trim(unioned.alliance_result_id), '') as alliance_result_id,
        nullif(trim(unioned.party_name_short), '') as party_name_short,
        nullif(trim(unioned.party_name), '') as party_name,
        nullif(trim(unioned.party_name_english), '') as party_name_english,
        try_cast(nullif(trim(unioned.vote_share), '') as double) as vote_share_value,
        try_cast(nullif(trim(unioned.seats), '') as integer) as seats_value,
        try_cast(nullif(trim(unioned.votes), '') as bigint) as votes_value,
        try_cast(nullif(trim(unioned.seats_total), '') as integer) as seats_total_value,
        -- list_distinct drops the NULLs of the cells that read (or are empty)
        list_sort(list_distinct([
            {{ malformed_cell('unioned.election_date', 'date', 'election_date') }},
            {{ malformed_cell('unioned.vote_share', 'double', 'vote_share') }},
            {{ malformed_cell('unioned.seats', 'integer', 'seats') }},
            {{ malformed_cell('unioned.votes', 'bigint', 'votes') }},
            {{ malformed_cell('unioned.seats_total', 'integer', 'seats_total') }}
        ])) as malformed_fields,
        unioned._payload_sha256 as payload_sha256,
        cast(unioned._fetched_at as timestamptz) as fetched_at,
        unioned._record_locator as record_locator
    from unioned

),

alliances as (

    -- results other results name as their alliance (the alliance, or its strongest party)
    select distinct
        source_election_id,
        alliance_result_id as result_id
    from typed
    where alliance_result_id is not null

),

final as (

    select
        -- ids
        typed.layout,
        typed.source_election_id,
        typed.party_id,
        typed.result_id,

        -- election
        typed.country_code,
        coalesce(
            iso3_codes.country_iso3,
            error(
                'parlgov ' || typed.layout || ' ' || coalesce(typed.record_locator, '?')
                || ': country code ' || coalesce(typed.country_code, '(empty)')
                || ' is no ISO alpha-3 code in seeds/country_codes.csv; the loader quarantines such rows,'
                || ' so reload the payload, or rebuild the seeds with scripts/build_country_seeds.py'
            )
        ) as country_iso3,
        typed.election_date is not null
        and (
            typed.election_date < coalesce(iso3_codes.valid_from, typed.election_date)
            or typed.election_date > coalesce(iso3_codes.valid_to, typed.election_date)
        ) as country_code_before_iso_validity,
        typed.election_date,
        typed.source_type,

        -- party
        typed.party_name_short,
        typed.party_name,
        typed.party_name_english,
        -- ParlGov's technical parties: independents ('none') and the others ('etc') are no lists
        coalesce(typed.party_name_short in ('none', 'etc'), false) as is_technical_party,
        case when typed.layout = '2024' then alliances.result_id is not null end as is_alliance,
        typed.alliance_result_id,

        -- figures
        typed.vote_share_value as vote_share_pct,
        typed.seats_value as seats,
        typed.votes_value as votes,
        case
            when typed.layout = 'classic' then typed.seats_total_value
            else cast(sum(typed.seats_value) over (partition by typed.source_election_id) as integer)
        end as seats_total,
        typed.layout = '2024' as seats_total_is_sum,

        -- quality and provenance
        typed.malformed_fields,
        len(typed.malformed_fields) > 0 as is_malformed,
        typed.payload_sha256,
        typed.fetched_at,
        typed.record_locator,
        -- the election's page on ParlGov web (routes data/elections/<country>/<date>[-ep]/ of
        -- github.com/hdigital/parlgov-web), which shows these results
        'https://parlgov.fly.dev/data/elections/' || lower(typed.country_code) || '/'
        || strftime(typed.election_date, '%Y-%m-%d') || case when typed.source_type = 'ep' then '-ep' else '' end
        || '/' as election_page_url

    from typed
    left join iso3_codes
        on typed.country_code = iso3_codes.code
    left join alliances
        on
            typed.source_election_id = alliances.source_election_id
            and typed.result_id = alliances.result_id

)

select * from final
