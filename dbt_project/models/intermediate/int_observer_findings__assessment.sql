{#- The polarity of each statement's overall verdict, read from its assessment (the findings text
    when there is no assessment). Rules:
    - cues: the phrases of seed assessment_cues, plus any allegation (allegation_taxonomy) named in
      the verdict itself, which counts as a negative cue ("credible allegations of vote buying");
    - where a positive and a negative cue overlap, the longer phrase wins: "not credible" is
      negative although it contains "credible", "no evidence of fraud" positive although it
      contains "fraud" (each cue is located at its first occurrence);
    - positive and negative cues -> mixed; only positive -> positive; only negative -> negative;
      no cue -> NULL (not guessed).
    Allegations found only in the findings text do not change the verdict: missions often report
    what others alleged (the opposition, detainees), which is not their own assessment. -#}
with

statements as (

    select
        statement_id,
        coalesce(assessment, statement_text) as verdict
    from {{ ref('stg_observer_mission__statements') }}

),

cues as (

    select
        polarity,
        pattern
    from {{ ref('assessment_cues') }}
    union all
    select
        'negative' as polarity,
        pattern
    from {{ ref('allegation_taxonomy') }}

),

matches as (

    select
        statements.statement_id,
        statements.verdict,
        cues.polarity,
        regexp_extract(statements.verdict, cues.pattern, 0, 'i') as cue_phrase
    from statements
    cross join cues
    where regexp_matches(statements.verdict, cues.pattern, 'i')

),

located as (

    select
        statement_id,
        polarity,
        cue_phrase,
        strpos(lower(verdict), lower(cue_phrase)) as cue_start,
        length(cue_phrase) as cue_length
    from matches
    where cue_phrase != ''

),

surviving as (

    select located.*
    from located
    where not exists (
        select 1
        from located as longer
        where
            longer.statement_id = located.statement_id
            and longer.polarity != located.polarity
            and longer.cue_length > located.cue_length
            and longer.cue_start <= located.cue_start
            and longer.cue_start + longer.cue_length >= located.cue_start + located.cue_length
    )

),

polarity as (

    select
        statement_id,
        list(distinct cue_phrase order by cue_phrase) filter (where polarity = 'positive') as positive_cues,
        list(distinct cue_phrase order by cue_phrase) filter (where polarity = 'negative') as negative_cues
    from surviving
    group by statement_id

),

final as (

    select
        statements.statement_id,
        case
            when len(polarity.positive_cues) > 0 and len(polarity.negative_cues) > 0 then 'mixed'
            when len(polarity.positive_cues) > 0 then 'positive'
            when len(polarity.negative_cues) > 0 then 'negative'
        end as assessment_category,
        coalesce(polarity.positive_cues, cast([] as varchar[])) as positive_cues,
        coalesce(polarity.negative_cues, cast([] as varchar[])) as negative_cues
    from statements
    left join polarity
        on statements.statement_id = polarity.statement_id

)

select * from final
