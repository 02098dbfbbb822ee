{#- What each source says about each election, one row per election, question and source: the
    questions of fct_source_agreement (seed agreement_questions). A source that does not address a
    question gives no row: silence is not "no". -#}
-- noqa: disable=AL03,AL08
with

matches as (

    select * from {{ ref('int_elections__source_matches') }}
    where election_key is not null

),

crises as (

    select * from {{ ref('election_crises') }}

),

-- every source dates the election it has
dates as (

    select
        election_key,
        'election_date' as question,
        source,
        strftime(election_date, '%Y-%m-%d') as answer,
        cast(null as boolean) as answer_flag,
        cast(null as double) as answer_value,
        cast(null as double) as answer_low,
        cast(null as double) as answer_high,
        election_date as answer_date,
        source || ' ' || source_election_id as evidence
    from matches
    where election_date is not null

),

commission_flags as (

    select
        election_key,
        'annulled_or_cancelled' as question,
        annulled as answer_flag,
        'election_crises.annulled (commission decisions)' as evidence
    from crises
    where annulled is not null
    union all
    -- a protest start date is a yes; no date is silence, not a no
    select
        election_key,
        'post_election_protests',
        true,
        'election_crises.protest_start_date'
    from crises
    where protest_start_date is not null
    union all
    select
        election_key,
        'deaths_reported',
        deaths_latest > 0,
        'election_crises.deaths_latest'
    from crises
    where deaths_latest is not null
    union all
    select
        election_key,
        'observers_alleged_fraud',
        count(*) > 0,
        'fct_observer_allegations'
    from {{ ref('fct_observer_allegations') }}
    where category in ('falsification', 'ballot_stuffing', 'tabulation_problems', 'vote_buying')
    group by election_key

),

commission_numbers as (

    select
        election_key,
        'deaths_count' as question,
        cast(deaths_latest as double) as answer_value,
        'election_crises.deaths_latest (' || coalesce(deaths_latest_authority, 'authority not named') || ')' as evidence
    from crises
    where deaths_latest is not null
    union all
    select
        election_key,
        'turnout_pct',
        turnout_pct,
        'dim_election.turnout_pct'
    from {{ ref('int_elections__conformed') }}
    where turnout_pct is not null

),

-- NELDA's coding: a yes or a no is an answer, unclear and n/a are not
nelda as (

    select * from {{ ref('fct_election_integrity') }}
    where source = 'nelda' and election_key is not null

),

nelda_flags as (

    select
        election_key,
        'annulled_or_cancelled' as question,
        coalesce(nelda_unfavourable_results_cancelled, false) or coalesce(nelda_favourable_results_cancelled, false)
            as answer_flag,
        'nelda32 / nelda34 (results cancelled)' as evidence
    from nelda
    where nelda_unfavourable_results_cancelled is not null or nelda_favourable_results_cancelled is not null
    union all
    select
        election_key,
        'post_election_protests',
        nelda_post_election_riots,
        'nelda29'
    from nelda
    where nelda_post_election_riots is not null
    union all
    select
        election_key,
        'deaths_reported',
        nelda_civilian_deaths,
        'nelda33 (civilian deaths)'
    from nelda
    where nelda_civilian_deaths is not null
    union all
    select
        election_key,
        'observers_alleged_fraud',
        nelda_western_monitors_alleged_fraud,
        'nelda47 (Western monitors)'
    from nelda
    where nelda_western_monitors_alleged_fraud is not null

),

-- one answer per election and question: a source with several rounds on one election says yes
-- when any round does
nelda_answers as (

    select
        election_key,
        question,
        bool_or(answer_flag) as answer_flag,
        string_agg(distinct evidence, '; ') as evidence
    from nelda_flags
    group by election_key, question

),

lists_passed as (

    select
        election_key,
        result_source as source,
        cast(lists_passed as double) as answer_value
    from {{ ref('fct_threshold_outcomes') }}
    where lists_passed is not null

),

-- DECO codes only lethal events: an election with linked events had deaths; one without is silence
deco as (

    select * from {{ ref('int_deco__election_deaths') }}

),

answers as (

    select * from dates
    union all
    select
        election_key,
        'deaths_reported',
        'deco',
        'yes',
        true,
        null,
        null,
        null,
        null,
        events || ' DECO event(s) linked by the election window'
    from deco

    union all
    select
        election_key,
        'deaths_count',
        'deco',
        deaths_best || ' (low ' || deaths_low || ', high ' || deaths_high || ')',
        null,
        deaths_best,
        deaths_low,
        deaths_high,
        null,
        'sum of best/low/high over ' || events || ' linked DECO event(s)'
    from deco
    union all
    select
        election_key,
        question,
        'nelda',
        case when answer_flag then 'yes' else 'no' end,
        answer_flag,
        null,
        null,
        null,
        null,
        evidence
    from nelda_answers
    union all
    select
        election_key,
        'lists_passed_threshold',
        source,
        {{ number_text('answer_value') }},
        null,
        answer_value,
        answer_value,
        answer_value,
        null,
        'fct_threshold_outcomes.lists_passed (' || source || ' results)'
    from lists_passed
    union all
    select
        election_key,
        question,
        'commission' as source,
        case when answer_flag then 'yes' else 'no' end as answer,
        answer_flag,
        null,
        null,
        null,
        null,
        evidence
    from commission_flags
    union all
    select
        election_key,
        question,
        'commission' as source,
        {{ number_text('answer_value') }},
        null,
        answer_value,
        answer_value,
        answer_value,
        null,
        evidence
    from commission_numbers

)

select * from answers
