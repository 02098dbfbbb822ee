{#- The running counts of each series (election x metric x counted x authority family) in the order they
    became known. Only running totals (overall coverage, scope total) with a publication time belong to a
    series: a one-hospital or one-incident bulletin, a part ("5 of them") or an increment is not a
    running total, and an undated report cannot be
    placed in time. A report is known from the end of its publication interval (reported_to), so
    a report dated only by its day counts as known at the end of that day, never at midnight; it
    stops being the series' current figure when the next report of the series becomes known. Ties
    on reported_to are ordered as in int_casualty_reports__ranked (a report known to be from the
    evening comes after one known only by the day). -#}
with

reports as (

    select * from {{ ref('int_casualty_reports__ranked') }}
    where is_running_total and reported_to is not null

),

ordered as (

    select
        casualty_report_id,
        bulletin_id,
        election_key,
        metric,
        counted,
        authority_family,
        authority_type,
        authority,
        is_primary_authority,
        value,
        value_high,
        qualifier,
        evidence,
        reported_from,
        reported_to,
        reported_precision,
        timezone,
        source_url,
        reported_to as known_from,
        row_number() over series_in_time as series_position,
        lead(reported_to) over series_in_time as superseded_at,
        lag(value) over series_in_time as previous_value,
        max(value) over (
            series_in_time rows between unbounded preceding and 1 preceding
        ) as earlier_peak_value
    from reports
    window series_in_time as (
        partition by election_key, metric, counted, authority_family
        order by reported_to, reported_from, bulletin_position nulls first, casualty_report_id
    )

)

select * from ordered
