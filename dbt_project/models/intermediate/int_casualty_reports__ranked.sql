{#- Orders each authority's reports of a metric from latest to earliest and marks the election's
    primary authority per metric, so "latest" never jumps between authorities that count
    different things (a health ministry's patients vs the police's injured officers).
    Rules:
    - authority_family: the authority without a trailing parenthesis ("Ministry of Health (via
      Sputnik)" -> "Ministry of Health"), so one body's channels count as one authority.
    - recency_rank 1 = latest report among the running counts (scope 'total' and coverage
      'overall'; a sub-count or an increment, then a one-hospital or one-incident bulletin, ranks
      after them): reported_to desc, then reported_from desc (a report known
      to be from the evening beats one known only by its day), then the bulletin's position in
      its payload, then the figure id; undated reports come last.
    - primary authority: the family with the most reports (bulletins) of the metric; ties go to
      a family with a dated report (an undated one has no "latest"), then to the family with the
      most figures on the election (a ministry reporting dead, injured and hospitalized over one
      official reporting injured officers), then to the family whose latest report is the most
      recent, then to the one listed first. -#}
with

figures as (

    select * from {{ ref('stg_health_ministry__casualty_figures') }}

),

bulletins as (

    select
        bulletin_id,
        position_in_payload
    from {{ ref('stg_health_ministry__casualty_bulletins') }}

),

with_family as (

    select
        figures.*,
        trim(regexp_replace(figures.authority, '\s*\([^)]*\)\s*$', '')) as authority_family,
        bulletins.position_in_payload as bulletin_position
    from figures
    left join bulletins
        on figures.bulletin_id = bulletins.bulletin_id

),

authorities as (

    select
        election_key,
        metric,
        authority_family,
        count(distinct bulletin_id) as authority_report_count,
        bool_or(reported_to is not null) as authority_has_dated_report,
        max(reported_to) as authority_last_reported_until,
        min(bulletin_position) as authority_first_position
    from with_family
    group by election_key, metric, authority_family

),

authority_coverage as (

    select
        election_key,
        authority_family,
        count(*) as authority_figure_count
    from with_family
    group by election_key, authority_family

),

primary_authorities as (

    select
        authorities.*,
        row_number() over (
            partition by authorities.election_key, authorities.metric
            order by
                authorities.authority_report_count desc,
                authorities.authority_has_dated_report desc,
                authority_coverage.authority_figure_count desc,
                authorities.authority_last_reported_until desc nulls last,
                authorities.authority_first_position asc nulls last,
                authorities.authority_family asc
        ) = 1 as is_primary_authority
    from authorities
    inner join authority_coverage
        on
            authorities.election_key = authority_coverage.election_key
            and authorities.authority_family = authority_coverage.authority_family

),

ranked as (

    select
        with_family.*,
        primary_authorities.authority_report_count,
        primary_authorities.is_primary_authority,
        row_number() over (
            partition by with_family.election_key, with_family.metric, with_family.authority_family
            order by
                (with_family.scope = 'total') desc,
                (with_family.coverage = 'overall') desc,
                with_family.reported_to desc nulls last,
                with_family.reported_from desc nulls last,
                with_family.bulletin_position desc nulls last,
                with_family.casualty_report_id desc
        ) as recency_rank
    from with_family
    inner join primary_authorities
        on
            with_family.election_key = primary_authorities.election_key
            and with_family.metric = primary_authorities.metric
            and with_family.authority_family = primary_authorities.authority_family

)

select * from ranked
