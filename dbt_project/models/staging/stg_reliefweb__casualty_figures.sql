{#- Figures the derive stage read from ReliefWeb reports (derived.reliefweb_casualty_figures), one
    set per raw copy of a report (report_id, _payload_sha256). Only the copy
    stg_reliefweb__reports keeps (the report's newest edit) is kept, so a report seen on two pages
    or re-read after a count drift does not double its figures. Who published, the page and the
    country come from the report: the authority is its first listed source (ReliefWeb lists the
    publishing organisation first), and its ReliefWeb source type is kept when every source of the
    report has the same one (the raw row keeps the types as a set, not per source). -#}
with

figures as (

    select * from {{ source('derived', 'reliefweb_casualty_figures') }}

),

reports as (

    select * from {{ ref('stg_reliefweb__reports') }}

),

current_figures as (

    select
        figures.*,
        reports.report_url,
        reports.title,
        reports.source_names,
        reports.source_types,
        reports.primary_country_iso3,
        reports.created_at,
        reports.fetched_at
    from figures
    inner join reports
        on
            figures.report_id = reports.report_id
            and figures._payload_sha256 = reports.payload_sha256

),

renamed as (

    select
        -- ids
        'reliefweb:' || report_id || '#' || (figure_index + 1) as casualty_report_id,
        report_id,
        figure_index,

        -- who published it, about where
        coalesce(source_names ->> 0, 'unattributed (ReliefWeb report)') as authority,
        source_names,
        case when json_array_length(source_types) = 1 then source_types ->> 0 end as source_type,
        primary_country_iso3,

        -- figure
        {{ derived_figure_columns("'reliefweb:' || report_id") }},

        -- when it was reported
        cast(reported_from as timestamptz) as reported_from,
        cast(reported_to as timestamptz) as reported_to,
        reported_precision,

        -- provenance
        report_url,
        title as report_title,
        created_at as posted_at,
        extractor_version,
        _payload_sha256 as payload_sha256,
        fetched_at

    from current_figures

)

select * from renamed
