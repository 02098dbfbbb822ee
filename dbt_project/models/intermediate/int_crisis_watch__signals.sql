{#- The crisis watch, long: one row per election in the watch window x signal kind x source x day.
    The window is the elections whose day lies within var('crisis_watch_days_after', 90) days before
    and var('crisis_watch_days_before', 30) days after the reference day var('crisis_watch_as_of')
    (default: today); a signal counts from election day to the reference day. ACLED reaches this
    model only as its country-day aggregates (ACLED's terms: its rows stay private). -#}
{%- set as_of = var('crisis_watch_as_of', none) -%}
with

params as (

    select
        {% if as_of %}cast('{{ as_of }}' as date){% else %}current_date{% endif %} as as_of_date,
        cast({{ var('crisis_watch_days_after', 90) }} as integer) as days_after,
        cast({{ var('crisis_watch_days_before', 30) }} as integer) as days_before

),

-- national elections with a known day (int_elections__national: the rule every country-dated signal
-- uses); an election only IPU Parline's calendar has yet is in the registry too (int_parline__elections)
registry as (

    select
        national_elections.election_key,
        national_elections.country_iso3,
        national_elections.election_date,
        national_elections.election_type,
        case when dim_election.sources = ['parline'] then 'parline' else 'registry' end as listed_by
    from {{ ref('int_elections__national') }} as national_elections
    inner join {{ ref('dim_election') }} as dim_election
        on national_elections.election_key = dim_election.election_key

),

elections as (

    select
        candidates.*,
        params.as_of_date
    from registry as candidates
    cross join params
    where
        candidates.election_date between params.as_of_date - params.days_after
        and params.as_of_date + params.days_before

),

acled as (

    select
        elections.election_key,
        case aggregates.event_type when 'Riots' then 'acled_riots' else 'acled_protests' end as signal_kind,
        'acled' as source,
        aggregates.event_date as signal_date,
        cast(aggregates.events as bigint) as events,
        cast(aggregates.fatalities as bigint) as deaths,
        cast(null as bigint) as deaths_low,
        cast(null as bigint) as deaths_high,
        cast(null as bigint) as injured,
        aggregates.event_type as detail,
        cast(null as varchar) as source_url,
        aggregates.attribution
    from elections
    inner join {{ ref('int_acled__election_window_aggregates') }} as aggregates
        on
            elections.country_iso3 = aggregates.country_iso3
            and aggregates.event_date between elections.election_date and elections.as_of_date
    where aggregates.event_type in ('Protests', 'Riots')

),

gw as (

    select
        code,
        country_iso3,
        valid_from,
        valid_to
    from {{ ref('country_codes') }}
    where system = 'gw'

),

ucdp_events as (

    select
        ucdp.*,
        gw.country_iso3
    from {{ ref('stg_ucdp__events') }} as ucdp
    inner join gw
        on
            cast(ucdp.country_gw as varchar) = gw.code
            and (gw.valid_from is null or cast(gw.valid_from as varchar) <= cast(ucdp.date_start as varchar))
            and (gw.valid_to is null or cast(gw.valid_to as varchar) >= cast(ucdp.date_start as varchar))

),

ucdp as (

    select
        elections.election_key,
        'ucdp_events' as signal_kind,
        'ucdp_ged' as source,
        ucdp_events.date_start as signal_date,
        count(*) as events,
        sum(ucdp_events.deaths_best) as deaths,
        sum(ucdp_events.deaths_low) as deaths_low,
        sum(ucdp_events.deaths_high) as deaths_high,
        cast(null as bigint) as injured,
        'UCDP ' || string_agg(distinct ucdp_events.ucdp_version, ', ' order by ucdp_events.ucdp_version)
        || case when bool_or(ucdp_events.is_candidate) then ' (candidate events)' else '' end as detail,
        cast(null as varchar) as source_url,
        cast(null as varchar) as attribution
    from elections
    inner join ucdp_events
        on
            elections.country_iso3 = ucdp_events.country_iso3
            and ucdp_events.date_start between elections.election_date and elections.as_of_date
    group by elections.election_key, ucdp_events.date_start

),

-- the highest figure each authority reported on a day (a later bulletin restates, never adds);
-- figures machine-read from ReliefWeb reports are their authority's "<name> via ReliefWeb"
casualties as (

    select
        elections.election_key,
        'casualty_reports' as signal_kind,
        reports.authority || case when reports.is_secondary_source then ' via ReliefWeb' else '' end as source,
        cast(reports.reported_at as date) as signal_date,
        count(distinct reports.casualty_report_id) as events,
        max(reports.value) filter (where reports.metric = 'dead') as deaths,
        cast(null as bigint) as deaths_low,
        max(coalesce(reports.value_high, reports.value)) filter (where reports.metric = 'dead') as deaths_high,
        max(reports.value) filter (where reports.metric = 'injured') as injured,
        string_agg(distinct reports.authority_type, ', ' order by reports.authority_type)
        || case when reports.is_secondary_source then ' (machine-read from ReliefWeb)' else '' end as detail,
        min(reports.source_url) as source_url,
        cast(null as varchar) as attribution
    from elections
    inner join {{ ref('fct_casualty_reports') }} as reports
        on
            elections.election_key = reports.election_key
            and cast(reports.reported_at as date) between elections.election_date and elections.as_of_date
    where
        reports.scope is distinct from 'part'
        and reports.metric in ('dead', 'injured')
    group by elections.election_key, reports.authority, reports.is_secondary_source, cast(reports.reported_at as date)

),

decisions as (

    select
        elections.election_key,
        case when decisions.decision_type = 'recount' then 'recount' else 'annulment' end as signal_kind,
        coalesce(decisions.decided_by, 'election commission') as source,
        decisions.decided_on as signal_date,
        count(*) as events,
        cast(null as bigint) as deaths,
        cast(null as bigint) as deaths_low,
        cast(null as bigint) as deaths_high,
        cast(null as bigint) as injured,
        string_agg(distinct decisions.decision_type, ', ' order by decisions.decision_type) as detail,
        min(decisions.source_url) as source_url,
        cast(null as varchar) as attribution
    from elections
    inner join {{ ref('stg_election_commission__decisions') }} as decisions
        on
            elections.election_key = decisions.election_key
            and decisions.decided_on between elections.election_date and elections.as_of_date
    where decisions.decision_type in ('annulment', 'partial_annulment', 'annulment_disputed', 'recount')
    group by 1, 2, 3, 4  -- noqa: AM06

),

observers as (

    select
        elections.election_key,
        case
            when findings.assessment_category = 'negative' then 'observer_negative'
            else 'observer_statement'
        end as signal_kind,
        findings.organization as source,
        findings.published_on as signal_date,
        count(*) as events,
        cast(null as bigint) as deaths,
        cast(null as bigint) as deaths_low,
        cast(null as bigint) as deaths_high,
        cast(null as bigint) as injured,
        string_agg(distinct coalesce(findings.assessment_category, 'unclassified'), ', ') as detail,
        min(findings.source_url) as source_url,
        cast(null as varchar) as attribution
    from elections
    inner join {{ ref('fct_observer_findings') }} as findings
        on
            elections.election_key = findings.election_key
            and findings.published_on between elections.election_date and elections.as_of_date
    group by 1, 2, 3, 4  -- noqa: AM06

),

signals as (

    select * from acled
    union all
    select * from ucdp
    union all
    select * from casualties
    union all
    select * from decisions
    union all
    select * from observers

)

select
    elections.election_key,
    elections.country_iso3,
    elections.election_date,
    elections.election_type,
    elections.listed_by,
    elections.as_of_date,
    signals.signal_kind,
    signals.source,
    signals.signal_date,
    cast(signals.events as bigint) as events,
    cast(signals.deaths as bigint) as deaths,
    cast(signals.deaths_low as bigint) as deaths_low,
    cast(signals.deaths_high as bigint) as deaths_high,
    cast(signals.injured as bigint) as injured,
    signals.detail,
    signals.source_url,
    signals.attribution
from elections
left join signals
    on elections.election_key = signals.election_key
