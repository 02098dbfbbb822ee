{#- Daily snapshots: for every local calendar day from an election's first to its last known
    running-count report (at most 120 days after the first), the figure each series had as of the
    end of that day. A series appears from the day its first report became known. Days are counted
    in the election's time zone (that of its reports). -#}
with

running_counts as (

    select * from {{ ref('int_casualty_reports__running_counts') }}

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

election_spans as (

    select
        running_counts.election_key,
        min(running_counts.timezone) as election_timezone,
        cast(min(timezone(running_counts.timezone, running_counts.known_from)) as date) as first_day,
        cast(max(timezone(running_counts.timezone, running_counts.known_from)) as date) as last_day
    from running_counts
    inner join elections
        on running_counts.election_key = elections.election_key
    group by running_counts.election_key

),

calendar as (

    select
        election_key,
        election_timezone,
        cast(unnest(generate_series(
            first_day,
            least(last_day, first_day + {{ var('casualty_daily_max_days', 120) }}),
            interval 1 day
        )) as date) as snapshot_date
    from election_spans

),

days as (

    select
        election_key,
        election_timezone,
        snapshot_date,
        timezone(election_timezone, cast(snapshot_date + 1 as timestamp)) - interval 1 microsecond as as_of
    from calendar

),

final as (

    select
        days.election_key,
        running_counts.metric,
        running_counts.authority_family,
        running_counts.counted,
        days.snapshot_date,
        days.as_of,
        running_counts.value,
        running_counts.qualifier,
        running_counts.value_high,
        running_counts.reported_from as reported_at,
        running_counts.known_from as reported_until,
        running_counts.reported_precision,
        cast(
            days.snapshot_date - cast(timezone(days.election_timezone, running_counts.known_from) as date) as integer
        ) as days_since_report,
        running_counts.is_primary_authority,
        days.election_timezone as timezone,
        running_counts.casualty_report_id,
        running_counts.source_url
    from days
    inner join running_counts
        on
            days.election_key = running_counts.election_key
            and {{ is_known_as_of('days.as_of', 'running_counts') }}

)

select * from final
