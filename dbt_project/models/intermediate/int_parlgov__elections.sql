select distinct 'parlgov' as source, election_id as source_election_id, country_name_short as country_iso3,
  cast(election_date as date) as election_date, year(cast(election_date as date)) as election_year,
  case election_type when 'parliament' then 'PARL' when 'ep' then 'EP' end as election_type, null::int as round, election_type as source_type
from {{ current_payload(source('raw', 'parlgov_election_classic'), 'parlgov') }}
