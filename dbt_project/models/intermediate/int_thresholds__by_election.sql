{#- Each election with its legal threshold rule (seed legal_thresholds), matched by country and
    period, and the threshold the marts use: the commission's stated one where it states one,
    else the rule's. The reference covers the lower (or only) chamber, so only parliamentary and
    general elections are matched; never-applied rules (law dates, no election) are left out. -#}
with

elections as (

    select * from {{ ref('int_elections__conformed') }}

),

rules as (

    select
        *,
        {{ period_bound('valid_from', 'start') }} as valid_from_date,
        {{ period_bound('valid_to', 'end') }} as valid_to_date,
        contains(coalesce(valid_from, '') || coalesce(valid_to, ''), '?') as period_uncertain
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
        cast(coalesce(matches.matching_rules, 0) as integer) as matching_rules
    from elections
    left join matches
        on elections.election_key = matches.election_key

)

select * from final
