{#- What the Kyrgyz health ministry had published by noon Bishkek time on 6 October 2020: one row
    per metric. Run it with `dbt show --profiles-dir . --select casualty_figures_as_of_example`;
    `dbt compile` writes the plain SQL to target/compiled/analyses/. -#}
select
    metric,
    value,
    qualifier,
    known_from_local,
    as_of
from {{ casualty_figures_as_of('2020-10-06 12:00 Asia/Bishkek') }}
where
    election_key = 'KGZ-2020-PARL'
    and is_primary_authority
    and counted = 'all'
order by metric
