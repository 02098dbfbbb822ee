{#- How fresh each source's data in the marts is. A source whose fetch or payload fails keeps
    its last good payload in use, so its data_fetched_at stops advancing: that is its staleness. -#}
with

payloads as (

    select
        source,
        payload_sha256,
        cast(fetched_at as timestamptz) as fetched_at,
        cast(loaded_at as timestamptz) as loaded_at,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_quarantined as bigint) as rows_quarantined
    from {{ source('raw', 'loaded_payloads') }}

),

-- staging keeps each record's latest fetch, so the newest payload that loaded rows is in use
in_use as (

    select *
    from payloads
    where rows_loaded > 0
    qualify row_number() over (partition by source order by fetched_at desc, payload_sha256 desc) = 1

),

latest as (

    select
        source,
        payload_sha256
    from payloads
    qualify row_number() over (partition by source order by fetched_at desc, payload_sha256 desc) = 1

),

totals as (

    select
        source,
        count(*) as payloads_loaded,
        max(loaded_at) as last_loaded_at
    from payloads
    group by source

),

final as (

    select
        -- `source` is a keyword, but it is the registry id's name in raw and in the contract
        cast(totals.source as varchar) as source,  -- noqa: RF04
        cast(in_use.payload_sha256 as varchar) as payload_sha256,
        in_use.fetched_at as data_fetched_at,
        totals.last_loaded_at,
        coalesce(latest.payload_sha256 = in_use.payload_sha256, false) as latest_payload_in_use,
        cast(totals.payloads_loaded as bigint) as payloads_loaded,
        in_use.rows_loaded,
        in_use.rows_quarantined
    from totals
    left join in_use on totals.source = in_use.source
    left join latest on totals.source = latest.source

)

select * from final
