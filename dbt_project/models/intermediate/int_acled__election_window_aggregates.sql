{#- Country-day aggregates of ACLED events: the only form in which ACLED data may leave the
    warehouse (ACLED's terms). Join to elections on country_iso3 and a window of event_date. -#}
with

events as (

    select * from {{ ref('stg_acled__events') }}

),

codes as (

    select
        code,
        country_iso3,
        valid_from,
        valid_to
    from {{ ref('country_codes') }}
    where system = 'iso_numeric'

),

resolved as (

    select
        events.*,
        codes.country_iso3
    from events
    inner join codes
        on
            lpad(events.acled_iso_numeric, 3, '0') = codes.code
            and (codes.valid_from is null or cast(codes.valid_from as varchar) <= cast(events.event_date as varchar))
            and (codes.valid_to is null or cast(codes.valid_to as varchar) >= cast(events.event_date as varchar))

),

aggregated as (

    select
        country_iso3,
        event_date,
        event_type,
        count(*) as events,
        sum(fatalities) as fatalities,
        max(fetched_at) as last_fetched_at
    from resolved
    group by country_iso3, event_date, event_type

)

select
    *,
    cast('Armed Conflict Location & Event Data (ACLED); acleddata.com' as varchar) as attribution
from aggregated
