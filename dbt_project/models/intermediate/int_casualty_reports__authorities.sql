{#- One row per authority as published: its family (the name without a trailing parenthesis,
    so one body's channels count as one authority) and its type, read from the name with the
    authority_types seed (first pattern in match order; the family first, the full name only
    when the family matches nothing). -#}
with

figures as (

    select distinct authority
    from {{ ref('stg_health_ministry__casualty_figures') }}

),

types as (

    select * from {{ ref('authority_types') }}

),

families as (

    select
        authority,
        trim(regexp_replace(authority, '\s*\([^)]*\)\s*$', '')) as authority_family
    from figures

),

matches as (

    select
        families.authority,
        types.authority_type,
        types.pattern as matched_pattern
    from families
    inner join types
        on
            regexp_matches(lower(families.authority_family), types.pattern)
            or regexp_matches(lower(families.authority), types.pattern)
    qualify row_number() over (
        partition by families.authority
        order by
            regexp_matches(lower(families.authority_family), types.pattern) desc,
            types.match_order asc
    ) = 1

),

final as (

    select
        families.authority,
        families.authority_family,
        coalesce(matches.authority_type, 'unclassified') as authority_type,
        matches.matched_pattern
    from families
    left join matches
        on families.authority = matches.authority

)

select * from final
