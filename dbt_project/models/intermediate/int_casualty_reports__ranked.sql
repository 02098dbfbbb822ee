{#- Every casualty figure with its authority's family and type, its recency rank within its
    series, and whether its authority is the election's primary one for the metric and group.
    A series is election x metric x who was counted (counted) x scope x authority family: police
    officers injured are never a revision of everyone injured, and a part ("5 of them seriously")
    or an increment ("another 5") is never a running total.
    Rules (the front page's "latest" columns read the primary authority's rank-1 report):
    - recency_rank 1 = latest report of the series (coverage 'overall' first: a one-hospital or
      one-incident bulletin ranks after the running counts): reported_to desc, then reported_from
      desc (a report known to be from the evening beats one known only by its day), then the
      bulletin's position in its payload, then the figure id; undated reports come last.
    - primary authority, per election x metric x counted: a family with a dated overall running
      total first (an undated report cannot be the latest); then the best-ranked authority type for the metric (seed authority_type_ranks: the
      health system for the dead and injured, the police for detentions); within the type, a
      family of primary figures (a ministry's bulletins) before one machine-read from a secondary
      source (ReliefWeb reports: their own families, int_casualty_reports__authorities), however
      recent; then the family whose latest running total is the most recent (an equally official
      body's later figure is never hidden behind one that merely published more often); then the
      most bulletins; then the family listed first. A secondary figure can thus be the latest only
      where no primary figure of its authority type, or of a better-ranked one, exists. -#}
with

figures as (

    select * from {{ ref('int_casualty_reports__figures') }}

),

authorities as (

    select * from {{ ref('int_casualty_reports__authorities') }}

),

type_ranks as (

    select * from {{ ref('authority_type_ranks') }}

),

typed as (

    select
        figures.*,
        authorities.authority_family,
        authorities.authority_type,
        coalesce(type_ranks.type_rank, 99) as authority_type_rank,
        (figures.scope = 'total' and figures.coverage = 'overall') as is_running_total
    from figures
    left join authorities
        on
            figures.authority = authorities.authority
            and figures.is_secondary_source = authorities.is_secondary_source
    left join type_ranks
        on
            figures.metric = type_ranks.metric
            and authorities.authority_type = type_ranks.authority_type

),

families as (

    select
        election_key,
        metric,
        counted,
        authority_family,
        min(authority_type_rank) as authority_type_rank,
        bool_and(is_secondary_source) as authority_is_secondary,
        count(distinct bulletin_id) as authority_report_count,
        bool_or(is_running_total and reported_to is not null) as authority_has_running_total,
        max(reported_to) filter (where is_running_total) as authority_last_reported_until,
        min(bulletin_position) as authority_first_position
    from typed
    group by election_key, metric, counted, authority_family

),

primary_authorities as (

    select
        *,
        row_number() over (
            partition by election_key, metric, counted
            order by
                authority_has_running_total desc,
                authority_type_rank asc,
                authority_is_secondary asc,
                authority_last_reported_until desc nulls last,
                authority_report_count desc,
                authority_first_position asc nulls last,
                authority_family asc
        ) = 1 as is_primary_authority
    from families

),

ranked as (

    select
        typed.*,
        primary_authorities.authority_report_count,
        primary_authorities.is_primary_authority,
        row_number() over (
            partition by typed.election_key, typed.metric, typed.counted, typed.scope, typed.authority_family
            order by
                (typed.coverage = 'overall') desc,
                typed.reported_to desc nulls last,
                typed.reported_from desc nulls last,
                typed.bulletin_position desc nulls last,
                typed.casualty_report_id desc
        ) as recency_rank
    from typed
    inner join primary_authorities
        on
            typed.election_key = primary_authorities.election_key
            and typed.metric = primary_authorities.metric
            and typed.counted = primary_authorities.counted
            and typed.authority_family = primary_authorities.authority_family

)

select * from ranked
