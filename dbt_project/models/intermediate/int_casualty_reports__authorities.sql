{#- One row per authority as published and where its figures were read (a bulletin, or a ReliefWeb
    report: is_secondary_source): its family (the name without a trailing parenthesis, so one
    body's channels count as one authority) and its type, read from the name with the
    authority_types seed (first pattern in match order; the family first, the full name only when
    the family matches nothing). A ReliefWeb source no pattern places takes the type of its
    ReliefWeb source type (seed reliefweb_source_types), when the report gives one. Figures
    machine-read from ReliefWeb form a family of their own, "<family> via ReliefWeb": they never
    revise, or stand in a series with, the bulletins of a body of the same name. -#}
with

figures as (

    select
        authority,
        is_secondary_source,
        min(reliefweb_source_type) as reliefweb_source_type
    from {{ ref('int_casualty_reports__figures') }}
    group by authority, is_secondary_source

),

types as (

    select * from {{ ref('authority_types') }}

),

source_types as (

    select * from {{ ref('reliefweb_source_types') }}

),

families as (

    select
        authority,
        is_secondary_source,
        reliefweb_source_type,
        trim(regexp_replace(authority, '\s*\([^)]*\)\s*$', '')) as name_family
    from figures

),

matches as (

    select
        families.authority,
        families.is_secondary_source,
        types.authority_type,
        types.pattern as matched_pattern
    from families
    inner join types
        on
            regexp_matches(lower(families.name_family), types.pattern)
            or regexp_matches(lower(families.authority), types.pattern)
    qualify row_number() over (
        partition by families.authority, families.is_secondary_source
        order by
            regexp_matches(lower(families.name_family), types.pattern) desc,
            types.match_order asc
    ) = 1

),

final as (

    select
        families.authority,
        families.is_secondary_source,
        families.name_family || case when families.is_secondary_source then ' via ReliefWeb' else '' end
            as authority_family,
        coalesce(matches.authority_type, source_types.authority_type, 'unclassified') as authority_type,
        matches.matched_pattern,
        families.reliefweb_source_type
    from families
    left join matches
        on
            families.authority = matches.authority
            and families.is_secondary_source = matches.is_secondary_source
    left join source_types
        on families.reliefweb_source_type = source_types.source_type

)

select * from final
