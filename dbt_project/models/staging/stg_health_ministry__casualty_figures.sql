{#- A bulletin's figures come as a set: all rows of the latest payload that carried the
    bulletin are kept, so a re-published bulletin does not double its figures. -#}
with

source as (

    select * from {{ rows_of_current_records(
        source('raw', 'casualty_figures'), source('raw', 'casualty_bulletins'), ['bulletin_id']
    ) }}

),

latest_payload_per_bulletin as (

    select *
    from source
    qualify dense_rank() over (
        partition by bulletin_id
        order by _fetched_at desc, _payload_sha256 desc
    ) = 1

),

renamed as (

    select
        -- ids
        bulletin_id || '#' || row_number() over (
            partition by bulletin_id
            order by {{ record_position('_record_locator') }}, _record_locator, metric, value, evidence
        ) as casualty_report_id,
        bulletin_id,
        election_key,

        -- figure
        authority,
        metric,
        cast(value as bigint) as value,
        cast(value_high as bigint) as value_high,
        qualifier,
        evidence,

        -- when it was reported
        cast(reported_from as timestamptz) as reported_from,
        cast(reported_to as timestamptz) as reported_to,
        reported_precision,
        timezone,
        coalesce(coverage, 'overall') as coverage,

        -- provenance
        source_url,
        _source as loaded_from_source,
        cast(_fetched_at as timestamptz) as fetched_at

    from latest_payload_per_bulletin

)

select * from renamed
