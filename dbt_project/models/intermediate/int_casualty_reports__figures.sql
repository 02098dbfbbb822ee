{#- Every casualty figure the derive stage read, in one shape, with where it was read:
    - a ministry's bulletin (document_kind 'bulletin'): the authority's own statement, a primary
      source; election, authority, coverage and page from the bulletin;
    - a ReliefWeb report (document_kind 'reliefweb_report', is_secondary_source): machine-read from
      a secondary source; the authority is the report's source, the page its URL, and the election
      the national election of its primary country whose aftermath the report's day falls in, by
      the crisis watch's rule (int_elections__national; the window is
      var('crisis_watch_days_after', 90) days from election day): the latest such election held on
      or before that day (ties: the first key). A report of a country with no election in that
      window has no election and stays in stg_reliefweb__casualty_figures only (an election only
      Parline's calendar has is a registry election: int_parline__elections).
      A report's figures are a running count of their own (coverage 'overall'); that they may be
      a relayed count of another body is what is_secondary_source says. -#}
with

bulletin_figures as (

    select * from {{ ref('stg_health_ministry__casualty_figures') }}

),

bulletins as (

    select
        bulletin_id,
        position_in_payload
    from {{ ref('stg_health_ministry__casualty_bulletins') }}

),

report_figures as (

    select * from {{ ref('stg_reliefweb__casualty_figures') }}

),

elections as (

    select * from {{ ref('int_elections__national') }}

),

report_elections as (

    select
        report_figures.casualty_report_id,
        elections.election_key
    from report_figures
    inner join elections
        on
            report_figures.primary_country_iso3 = elections.country_iso3
            and cast(report_figures.reported_from as date) between elections.election_date
            and elections.election_date + cast({{ var('crisis_watch_days_after', 90) }} as integer)
    qualify row_number() over (
        partition by report_figures.casualty_report_id
        order by elections.election_date desc, elections.election_key asc
    ) = 1

),

from_bulletins as (

    select
        bulletin_figures.casualty_report_id,
        bulletin_figures.bulletin_id,
        bulletin_figures.election_key,
        bulletin_figures.authority,
        bulletin_figures.metric,
        bulletin_figures.value,
        bulletin_figures.value_high,
        bulletin_figures.qualifier,
        bulletin_figures.counted,
        bulletin_figures.scope,
        bulletin_figures.part_of_report_id,
        bulletin_figures.evidence,
        bulletin_figures.language,
        bulletin_figures.reported_from,
        bulletin_figures.reported_to,
        bulletin_figures.reported_precision,
        bulletin_figures.reported_at_is_approximate,
        bulletin_figures.timezone,
        bulletin_figures.coverage,
        bulletin_figures.source_url,
        bulletin_figures.extractor_version,
        bulletin_figures.loaded_from_source,
        bulletin_figures.fetched_at,
        bulletins.position_in_payload as bulletin_position,
        'bulletin' as document_kind,
        false as is_secondary_source,
        cast(null as varchar) as reliefweb_source_type
    from bulletin_figures
    left join bulletins
        on bulletin_figures.bulletin_id = bulletins.bulletin_id

),

from_reports as (

    select
        report_figures.casualty_report_id,
        'reliefweb:' || report_figures.report_id as bulletin_id,
        report_elections.election_key,
        report_figures.authority,
        report_figures.metric,
        report_figures.value,
        report_figures.value_high,
        report_figures.qualifier,
        report_figures.counted,
        report_figures.scope,
        report_figures.part_of_report_id,
        report_figures.evidence,
        report_figures.language,
        report_figures.reported_from,
        report_figures.reported_to,
        report_figures.reported_precision,
        false as reported_at_is_approximate,
        'UTC' as timezone,
        'overall' as coverage,
        report_figures.report_url as source_url,
        report_figures.extractor_version,
        'reliefweb_reports' as loaded_from_source,
        report_figures.fetched_at,
        cast(null as integer) as bulletin_position,
        'reliefweb_report' as document_kind,
        true as is_secondary_source,
        report_figures.source_type as reliefweb_source_type
    from report_figures
    inner join report_elections
        on report_figures.casualty_report_id = report_elections.casualty_report_id

)

select * from from_bulletins
union all
select * from from_reports
