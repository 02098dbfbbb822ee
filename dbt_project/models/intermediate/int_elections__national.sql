{#- The registry's national elections with a known day: the elections a country-dated signal can
    belong to. The crisis watch watches them (int_crisis_watch__signals) and a ReliefWeb report's
    casualty figures are attached to them (int_casualty_reports__figures), by one rule: a European
    Parliament election is not one country's national vote, and an election known only by its
    year or month has no day to count the aftermath from. -#}
select
    election_key,
    country_iso3,
    election_date,
    election_type
from {{ ref('dim_election') }}
where
    election_date_precision = 'day'
    and coalesce(election_type, '') <> 'european parliament'
