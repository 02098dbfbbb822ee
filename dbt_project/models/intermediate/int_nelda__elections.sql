select 'nelda' as source, electionid as source_election_id, null::varchar as country_iso3, null::date as election_date,
  null::int as election_year, null::varchar as election_type, null::int as round, types as source_type
from {{ current_payload(source('raw', 'nelda_elections'), 'nelda') }}
