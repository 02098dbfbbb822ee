with

reports as (

    select * from {{ source('raw', 'reliefweb_reports') }}

),

-- duplicates across pages and re-reads after a drift: the newest edit of each report, newest fetch first
latest as (

    select *
    from reports
    qualify row_number() over (
        partition by report_id
        order by date_changed desc, cast(_fetched_at as timestamptz) desc, _payload_sha256 desc
    ) = 1

),

renamed as (

    select
        -- ids
        report_id,
        url as report_url,

        -- report
        title,
        cast(date_created as timestamptz) as created_at,
        cast(date_changed as timestamptz) as changed_at,
        source_names,
        source_types,
        upper(primary_country_iso3) as primary_country_iso3,
        country_iso3s,
        format_names,
        language_codes,
        body_text,

        -- provenance
        _payload_sha256 as payload_sha256,
        cast(_fetched_at as timestamptz) as fetched_at

    from latest

)

select * from renamed
