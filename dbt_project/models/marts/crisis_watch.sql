{#- One row per election in the watch window, its signals since election day summed per kind, and
    its crisis_rank. The rank rule (crisis_watch.yml, docs/crisis_watch.md): a score from fixed
    weights per signal kind present, then the most deaths any one source reports, then the most
    recent signal, then the most recent election. Deaths are compared, never added, across sources:
    ACLED, UCDP and a ministry may count the same dead. -#}
with

signals as (

    select * from {{ ref('int_crisis_watch__signals') }}

),

by_election as (

    select
        election_key,
        any_value(country_iso3) as country_iso3,
        any_value(election_date) as election_date,
        any_value(election_type) as election_type,
        any_value(listed_by) as listed_by,
        any_value(as_of_date) as as_of_date,
        coalesce(sum(events) filter (where signal_kind = 'acled_protests'), 0) as acled_protest_events,
        coalesce(sum(events) filter (where signal_kind = 'acled_riots'), 0) as acled_riot_events,
        coalesce(sum(deaths) filter (where source = 'acled'), 0) as acled_fatalities,
        max(attribution) filter (where source = 'acled') as acled_attribution,
        coalesce(sum(events) filter (where signal_kind = 'ucdp_events'), 0) as ucdp_events,
        coalesce(sum(deaths) filter (where signal_kind = 'ucdp_events'), 0) as ucdp_deaths_best,
        coalesce(sum(deaths_low) filter (where signal_kind = 'ucdp_events'), 0) as ucdp_deaths_low,
        coalesce(sum(deaths_high) filter (where signal_kind = 'ucdp_events'), 0) as ucdp_deaths_high,
        coalesce(sum(events) filter (where signal_kind = 'casualty_reports'), 0) as casualty_reports,
        max(deaths) filter (where signal_kind = 'casualty_reports') as casualty_deaths_reported,
        max(injured) filter (where signal_kind = 'casualty_reports') as casualty_injured_reported,
        coalesce(sum(events) filter (where signal_kind = 'annulment'), 0) as annulment_decisions,
        coalesce(sum(events) filter (where signal_kind = 'recount'), 0) as recount_decisions,
        coalesce(sum(events) filter (where signal_kind in ('observer_statement', 'observer_negative')), 0)
            as observer_statements,
        coalesce(sum(events) filter (where signal_kind = 'observer_negative'), 0) as observer_negative_statements,
        coalesce(list(distinct signal_kind order by signal_kind) filter (where signal_kind is not null), [])
            as signal_kinds,
        coalesce(list(distinct source order by source) filter (where source is not null), []) as signal_sources,
        min(signal_date) as first_signal_on,
        max(signal_date) as last_signal_on
    from signals
    group by election_key

),

scored as (

    select
        *,
        cast(
            5 * cast((annulment_decisions > 0) as integer)
            + 3 * cast((recount_decisions > 0) as integer)
            + 3
            * cast((greatest(acled_fatalities, ucdp_deaths_best, coalesce(casualty_deaths_reported, 0)) > 0) as integer)
            + 2 * cast((acled_riot_events > 0) as integer)
            + 1 * cast((acled_protest_events > 0) as integer)
            + 1 * cast((coalesce(casualty_injured_reported, 0) > 0) as integer)
            + 1 * cast((observer_negative_statements > 0) as integer)
            as integer
        ) as crisis_score,
        greatest(acled_fatalities, ucdp_deaths_best, coalesce(casualty_deaths_reported, 0)) as deaths_most_reported
    from by_election

),

final as (

    select
        cast(row_number() over (
            order by
                crisis_score desc, deaths_most_reported desc, last_signal_on desc nulls last,
                election_date desc, election_key asc
        ) as integer) as crisis_rank,
        crisis_score,
        election_key,
        country_iso3,
        election_date,
        election_type,
        listed_by,
        as_of_date,
        cast(datediff('day', election_date, as_of_date) as integer) as days_since_election,
        cast(deaths_most_reported as bigint) as deaths_most_reported,
        cast(acled_protest_events as bigint) as acled_protest_events,
        cast(acled_riot_events as bigint) as acled_riot_events,
        cast(acled_fatalities as bigint) as acled_fatalities,
        acled_attribution,
        cast(ucdp_events as bigint) as ucdp_events,
        cast(ucdp_deaths_best as bigint) as ucdp_deaths_best,
        cast(ucdp_deaths_low as bigint) as ucdp_deaths_low,
        cast(ucdp_deaths_high as bigint) as ucdp_deaths_high,
        cast(casualty_reports as bigint) as casualty_reports,
        cast(casualty_deaths_reported as bigint) as casualty_deaths_reported,
        cast(casualty_injured_reported as bigint) as casualty_injured_reported,
        cast(annulment_decisions as bigint) as annulment_decisions,
        cast(recount_decisions as bigint) as recount_decisions,
        cast(observer_statements as bigint) as observer_statements,
        cast(observer_negative_statements as bigint) as observer_negative_statements,
        cast(signal_kinds as varchar[]) as signal_kinds,
        cast(signal_sources as varchar[]) as signal_sources,
        first_signal_on,
        last_signal_on
    from scored

)

select * from final
