with

reports as (

    select * from {{ ref('int_casualty_reports__ranked') }}

),

-- the registry's elections (a ReliefWeb report may belong to any national election of dim_election)
elections as (

    select election_key from {{ ref('dim_election') }}

),

final as (

    select
        reports.election_key,
        reports.reported_from as reported_at,
        reports.authority,
        reports.metric,
        reports.value,
        reports.qualifier,
        reports.source_url,
        reports.evidence,
        reports.casualty_report_id,
        reports.bulletin_id,
        reports.value_high,
        reports.reported_to as reported_until,
        reports.reported_precision,
        reports.reported_at_is_approximate,
        reports.timezone,
        reports.coverage,
        reports.is_primary_authority,
        reports.authority_family,
        reports.counted,
        reports.scope,
        reports.part_of_report_id,
        reports.extractor_version,
        reports.authority_type,
        reports.authority_type_rank,
        reports.document_kind,
        reports.is_secondary_source
    from reports
    inner join elections
        on reports.election_key = elections.election_key

)

select * from final
