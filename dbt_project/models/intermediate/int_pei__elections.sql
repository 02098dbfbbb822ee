select 'pei' as source, election as source_election_id, iso as country_iso3, try_cast(date as date) as election_date,
  try_cast(try_cast(year as double) as int) as election_year,
  case when office = '1.0' then 'PRES' else 'PARL' end as election_type,
  try_cast(regexp_extract(election, '_[A-Z]([0-9])$', 1) as int) as round, office as source_type
from {{ current_payload(source('raw', 'pei_elections'), 'pei') }}
