{#- Pairs of figures for the same election, metric and group counted from two different authority families
    published on the same local day, side by side (never summed), with a flag when no single count
    could satisfy both wordings (macros/casualty_figure_bounds.sql). Only running counts published
    with day precision or finer are paired: a report known only by its month or year cannot be
    said to be simultaneous with another. -#}
with

reports as (

    select
        *,
        cast(timezone(timezone, reported_from) as date) as first_local_day,
        cast(timezone(timezone, reported_to) as date) as last_local_day,
        {{ figure_lower_bound('value', 'value_high', 'qualifier') }} as lower_bound,
        {{ figure_upper_bound('value', 'value_high', 'qualifier') }} as upper_bound
    from {{ ref('int_casualty_reports__ranked') }}
    where
        coverage = 'overall'
        and scope = 'total'
        and reported_to is not null
        and reported_precision in ('minute', 'part_of_day', 'day')

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

pairs as (

    select
        one.election_key,
        one.metric,
        one.counted,
        greatest(one.first_local_day, other.first_local_day) as reported_on,
        one.authority_family as authority_family_a,
        one.value as value_a,
        one.qualifier as qualifier_a,
        other.authority_family as authority_family_b,
        other.value as value_b,
        other.qualifier as qualifier_b,
        one.lower_bound > other.upper_bound or other.lower_bound > one.upper_bound as disagree,
        other.value - one.value as difference_b_minus_a,
        one.value_high as value_high_a,
        other.value_high as value_high_b,
        one.is_primary_authority as is_primary_authority_a,
        one.authority as authority_a,
        other.authority as authority_b,
        one.reported_from as reported_at_a,
        one.reported_to as reported_until_a,
        other.reported_from as reported_at_b,
        other.reported_to as reported_until_b,
        one.timezone,
        one.casualty_report_id as casualty_report_id_a,
        other.casualty_report_id as casualty_report_id_b,
        one.source_url as source_url_a,
        other.source_url as source_url_b
    from reports as one
    inner join reports as other
        on
            one.election_key = other.election_key
            and one.metric = other.metric
            and one.counted = other.counted
            and one.authority_family != other.authority_family
            and one.first_local_day <= other.last_local_day
            and one.last_local_day >= other.first_local_day
            and (
                (one.is_primary_authority and not other.is_primary_authority)
                or (
                    one.is_primary_authority = other.is_primary_authority
                    and one.authority_family < other.authority_family
                )
            )

),

final as (

    select pairs.*
    from pairs
    inner join elections
        on pairs.election_key = elections.election_key

)

select * from final
