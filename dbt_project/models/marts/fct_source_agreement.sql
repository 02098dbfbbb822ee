{#- Per election and question, each source's answer side by side, and whether they agree
    (seed agreement_questions says when numbers and dates agree). Only elections that two or more
    sources address are here. -#}
with

answers as (

    select * from {{ ref('int_election_answers') }}

),

questions as (

    select * from {{ ref('agreement_questions') }}

),

shared_elections as (

    select election_key
    from answers
    group by election_key
    having count(distinct source) >= 2

),

grouped as (

    select
        answers.election_key,
        answers.question,
        questions.kind,
        count(distinct answers.source) as sources_answering,
        list(distinct answers.source order by answers.source) as sources,
        max(case when answers.source = 'commission' then answers.answer end) as commission_answer,
        max(case when answers.source = 'parlgov' then answers.answer end) as parlgov_answer,
        max(case when answers.source = 'nelda' then answers.answer end) as nelda_answer,
        max(case when answers.source = 'pei' then answers.answer end) as pei_answer,
        max(case when answers.source = 'deco' then answers.answer end) as deco_answer,
        count(distinct answers.answer_flag) as distinct_flags,
        min(answers.answer_value) as min_value,
        max(answers.answer_value) as max_value,
        max(answers.answer_low) as max_low,
        min(answers.answer_high) as min_high,
        date_diff('day', min(answers.answer_date), max(answers.answer_date)) as days_apart,
        any_value(questions.tolerance_abs) as tolerance_abs,
        any_value(questions.tolerance_rel) as tolerance_rel,
        string_agg(answers.source || ': ' || answers.evidence, '; ' order by answers.source) as evidence
    from answers
    inner join shared_elections
        on answers.election_key = shared_elections.election_key
    inner join questions
        on answers.question = questions.question
    group by answers.election_key, answers.question, questions.kind

),

final as (

    select
        election_key,
        question,
        kind,
        sources_answering,
        sources,
        commission_answer,
        parlgov_answer,
        nelda_answer,
        pei_answer,
        deco_answer,
        case
            when sources_answering = 1 then 'single source'
            when kind = 'flag' then case when distinct_flags = 1 then 'agree' else 'disagree' end
            when kind = 'date' then case when days_apart <= coalesce(tolerance_abs, 0) then 'agree' else 'disagree' end
            when
                max_value - min_value <= coalesce(tolerance_abs, 0)
                or (tolerance_rel is not null and max_value - min_value <= tolerance_rel * max_value)
                or max_low <= min_high
                then 'agree'
            else 'disagree'
        end as agreement,
        case
            when sources_answering = 1 then null
            when kind = 'date' and days_apart > 0 then 'dates ' || days_apart || ' day(s) apart'
            when
                kind = 'number' and max_value > min_value
                then 'figures from ' || {{ number_text('min_value') }} || ' to ' || {{ number_text('max_value') }}
        end as difference,
        evidence
    from grouped

)

select * from final
