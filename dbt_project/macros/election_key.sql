{#- The election key `<ISO3>-<YYYY>-<TYPE>` of a country's first election of a type in a year
    (by date) and `<ISO3>-<YYYY>-<TYPE>-<n>`, n = 2, 3..., for its later ones that year (BGR
    held three parliamentary elections in 2021). A window expression: use it in a select over
    one row per election (rows of one election, same date, get the same key). Elections with the
    same date and type in one country are one election. -#}
{% macro election_key(country_iso3, election_date, election_type) -%}
    {%- set year = "strftime(" ~ election_date ~ ", '%Y')" -%}
    {{ country_iso3 }} || '-' || {{ year }} || '-' || {{ election_type }}
    || coalesce(
        '-' || cast(nullif(dense_rank() over (
            partition by {{ country_iso3 }}, {{ year }}, {{ election_type }}
            order by {{ election_date }}
        ), 1) as varchar),
        ''
    )
{%- endmacro %}
