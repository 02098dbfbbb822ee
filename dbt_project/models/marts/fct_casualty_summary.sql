{#- One row per series (election x metric x counted x authority family) with a dated running count: its
    first, peak and latest figure, how often it was revised and how much it grew. Only running
    counts (overall coverage, dated) enter first/peak/latest; partial-coverage and undated figures
    of the same family are counted beside them. -#}
with

running_counts as (

    select * from {{ ref('int_casualty_reports__running_counts') }}

),

all_reports as (

    select * from {{ ref('int_casualty_reports__ranked') }}

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

series as (

    select
        election_key,
        metric,
        counted,
        authority_family,
        bool_or(is_primary_authority) as is_primary_authority,
        min(timezone) as timezone,
        count(*) as running_count_reports,
        arg_min(casualty_report_id, series_position) as first_report_id,
        arg_max(casualty_report_id, series_position) as latest_report_id,
        arg_min(casualty_report_id, [-value, series_position]) as peak_report_id,
        bool_or(value < earlier_peak_value) as has_drop
    from running_counts
    group by election_key, metric, counted, authority_family

),

other_reports as (

    select
        election_key,
        metric,
        counted,
        authority_family,
        cast(count_if(coverage = 'partial') as bigint) as partial_reports,
        cast(count_if(coverage = 'overall' and reported_to is null) as bigint) as undated_reports
    from all_reports
    where scope = 'total'
    group by election_key, metric, counted, authority_family

),

final as (

    select
        series.election_key,
        series.metric,
        series.authority_family,
        series.counted,
        series.is_primary_authority,
        first_report.value as first_value,
        first_report.qualifier as first_qualifier,
        first_report.reported_from as first_reported_at,
        first_report.reported_to as first_reported_until,
        peak_report.value as peak_value,
        peak_report.qualifier as peak_qualifier,
        peak_report.reported_from as peak_reported_at,
        peak_report.reported_to as peak_reported_until,
        latest_report.value as latest_value,
        latest_report.qualifier as latest_qualifier,
        latest_report.reported_from as latest_reported_at,
        latest_report.reported_to as latest_reported_until,
        series.running_count_reports - 1 as revisions,
        latest_report.value - first_report.value as growth_first_to_latest,
        round(100.0 * (latest_report.value - first_report.value) / nullif(first_report.value, 0), 1) as growth_pct,
        coalesce(series.has_drop, false) as has_drop,
        series.running_count_reports,
        other_reports.partial_reports,
        other_reports.undated_reports,
        series.timezone,
        latest_report.source_url as latest_source_url
    from series
    inner join elections
        on series.election_key = elections.election_key
    inner join running_counts as first_report
        on series.first_report_id = first_report.casualty_report_id
    inner join running_counts as peak_report
        on series.peak_report_id = peak_report.casualty_report_id
    inner join running_counts as latest_report
        on series.latest_report_id = latest_report.casualty_report_id
    left join other_reports
        on
            series.election_key = other_reports.election_key
            and series.metric = other_reports.metric
            and series.counted = other_reports.counted
            and series.authority_family = other_reports.authority_family

)

select * from final
