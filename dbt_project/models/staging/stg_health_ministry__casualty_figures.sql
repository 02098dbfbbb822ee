{#- Figures come from the derive stage (derived.casualty_figures), one set per raw copy of a
    bulletin (bulletin_id, _payload_sha256). Only the copy staging considers current is kept: the
    figures are joined to their raw copy for its fetch time and coverage, and that copy to
    stg_health_ministry__casualty_bulletins on bulletin and payload, so a bulletin re-published
    unchanged does not double its figures and a bulletin staging leaves out takes its figures with
    it. Who reported, the election and the page come from the bulletin, never from the figure. -#}
with

figures as (

    select * from {{ source('derived', 'casualty_figures') }}

),

bulletin_copies as (

    -- one row per copy: a payload a publisher reverted to is loaded again, with the same records
    select distinct
        bulletin_id,
        _payload_sha256,
        coverage
    from {{ source('raw', 'casualty_bulletins') }}

),

bulletins as (

    select * from {{ ref('stg_health_ministry__casualty_bulletins') }}

),

current_figures as (

    select
        figures.*,
        bulletins.election_key,
        bulletins.authority,
        bulletins.timezone,
        bulletins.source_url,
        bulletins.loaded_from_source,
        bulletins.fetched_at,
        bulletins.published_at_is_approximate,
        bulletin_copies.coverage
    from figures
    inner join bulletin_copies
        on
            figures.bulletin_id = bulletin_copies.bulletin_id
            and figures._payload_sha256 = bulletin_copies._payload_sha256
    inner join bulletins
        on
            bulletin_copies.bulletin_id = bulletins.bulletin_id
            and bulletin_copies._payload_sha256 = bulletins.payload_sha256

),

renamed as (

    select
        -- ids
        bulletin_id || '#' || (figure_index + 1) as casualty_report_id,
        bulletin_id,
        figure_index,
        election_key,

        -- figure
        authority,
        {{ derived_figure_columns("bulletin_id") }},

        -- when it was reported
        cast(reported_from as timestamptz) as reported_from,
        cast(reported_to as timestamptz) as reported_to,
        reported_precision,
        published_at_is_approximate as reported_at_is_approximate,
        timezone,
        coalesce(coverage, 'overall') as coverage,

        -- provenance
        source_url,
        extractor_version,
        _payload_sha256 as payload_sha256,
        loaded_from_source,
        fetched_at

    from current_figures

)

select * from renamed
