{#- Each election with its legal threshold rule (seed legal_thresholds), matched by country and
    period, and the threshold the marts use: the commission's stated one where it states one,
    else the rule's. The reference covers the lower (or only) chamber, so only parliamentary and
    general elections are matched; never-applied rules (law dates, no election) are left out.
    Elections are the commission's and ParlGov's parliamentary ones; a ParlGov election the
    commission also covers (same key, or same country and day) is left to the commission. -#}
with

commission as (

    select
        election_key,
        country_iso3,
        election_type,
        chamber,
        election_date,
        threshold_pct,
        source_url,
        field_sources
    from {{ ref('int_elections__conformed') }}

),

-- ParlGov's parliamentary elections under the registry's key; one the registry matched to a
-- commission election is the commission's (its results win)
parlgov as (

    select
        parlgov.* exclude (election_key),  -- noqa: RF02
        matches.election_key,
        matches.election_key in (select election_key from commission) as is_commission_election  -- noqa: RF02
    from {{ ref('int_parlgov__elections') }} as parlgov
    inner join {{ ref('int_elections__source_matches') }} as matches
        on
            matches.source = 'parlgov'
            and parlgov.source_election_id = matches.source_election_id
            and matches.election_key is not null
    where parlgov.election_type = 'PARL'

),

elections as (

    select
        *,
        cast('commission' as varchar) as result_source,
        cast(null as varchar) as source_election_id
    from commission
    union all
    select
        parlgov.election_key,
        parlgov.country_iso3,
        'parliamentary' as election_type,
        cast(null as varchar) as chamber,
        parlgov.election_date,
        cast(null as double) as threshold_pct,
        cast(null as varchar) as source_url,
        cast(null as varchar) as field_sources,
        'parlgov' as result_source,
        parlgov.source_election_id
    from parlgov
    where not parlgov.is_commission_election

),

rules as (

    select
        *,
        {{ period_bound('valid_from', 'start') }} as valid_from_date,
        {{ period_bound('valid_to', 'end') }} as valid_to_date,
        contains(coalesce(valid_from, '') || coalesce(valid_to, ''), '?') as period_uncertain,
        valid_from is null as start_unknown,
        -- the coalition threshold where the rule states one figure for every alliance ("7
        -- (alliances)", "5 (same)"); NULL where it depends on the number of members or is prose
        case
            when regexp_full_match(coalition_threshold_pct, '\d+(\.\d+)?( \([^0-9)][^)]*\))?')
                then cast(regexp_extract(coalition_threshold_pct, '^\d+(\.\d+)?') as double)
        end as coalition_single_pct
    from {{ ref('legal_thresholds') }}
    where not never_applied

),

matches as (

    select
        elections.election_key,
        rules.rule_id,
        rules.chamber,
        rules.threshold_pct,
        rules.threshold_scope,
        rules.coalition_threshold_pct,
        rules.minority_exemption,
        rules.alternative_route,
        rules.valid_from,
        rules.valid_to,
        rules.period_uncertain,
        rules.start_unknown,
        rules.coalition_single_pct,
        rules.source_url,
        count(*) over (partition by elections.election_key) as matching_rules
    from elections
    inner join rules
        on
            elections.country_iso3 = rules.country_iso3
            and (rules.valid_from_date is null or elections.election_date >= rules.valid_from_date)
            and (rules.valid_to_date is null or elections.election_date <= rules.valid_to_date)
            and (
                elections.chamber is null
                or contains({{ folded_name('rules.chamber') }}, {{ folded_name('elections.chamber') }})
            )
    where elections.election_type in ('parliamentary', 'general')
    qualify row_number() over (
        partition by elections.election_key
        order by rules.valid_from_date desc nulls last, rules.rule_id desc
    ) = 1

),

final as (

    select
        elections.election_key,
        elections.threshold_pct as commission_threshold_pct,
        matches.threshold_pct as rule_threshold_pct,
        coalesce(elections.threshold_pct, matches.threshold_pct) as threshold_pct,
        case
            when elections.threshold_pct is not null then 'commission'
            when matches.threshold_pct is not null then 'legal_rule'
        end as threshold_origin,
        case
            when elections.threshold_pct is not null
                then coalesce(json_extract_string(elections.field_sources, '$.threshold_pct'), elections.source_url)
            when matches.threshold_pct is not null then matches.source_url
        end as threshold_source_url,
        matches.rule_id,
        matches.chamber as rule_chamber,
        matches.threshold_scope,
        matches.coalition_threshold_pct,
        matches.minority_exemption,
        matches.alternative_route,
        matches.valid_from as rule_valid_from,
        matches.valid_to as rule_valid_to,
        matches.period_uncertain as rule_period_uncertain,
        matches.source_url as rule_source_url,
        cast(coalesce(matches.matching_rules, 0) as integer) as matching_rules,
        elections.result_source,
        elections.source_election_id,
        matches.start_unknown as rule_start_unknown,
        matches.coalition_single_pct as coalition_threshold_single_pct
    from elections
    left join matches
        on elections.election_key = matches.election_key

)

select * from final
