{#- Every election in the registry, one row, with the crisis signals each source gives: rank all
    of them by crisis (election_crises keeps the 16 deep ones). A signal is on when any source
    says so: results annulled or cancelled, protests after the vote, people killed, observers
    alleging fraud, experts rating integrity low (PEI index below var('pei_low_integrity_below')). -#}
{%- set low_integrity = var('pei_low_integrity_below', 50) -%}
with

elections as (

    select * from {{ ref('dim_election') }}

),

countries as (

    select
        country_iso3,
        country_name
    from {{ ref('dim_country') }}

),

crises as (

    select * from {{ ref('election_crises') }}

),

deco as (

    select * from {{ ref('int_deco__election_deaths') }}

),

pei as (

    select
        election_key,
        max(pei_indexi) as pei_index,
        max(pei_indexi_lci) as pei_index_lci,
        max(pei_indexi_hci) as pei_index_hci
    from {{ ref('fct_election_integrity') }}
    where source = 'pei' and election_key is not null
    group by election_key

),

nelda as (

    select
        election_key,
        bool_or(nelda_post_election_riots) as nelda_post_election_riots,
        bool_or(
            coalesce(nelda_unfavourable_results_cancelled, false)
            or coalesce(nelda_favourable_results_cancelled, false)
        ) as nelda_results_cancelled,
        bool_or(nelda_civilian_deaths) as nelda_civilian_deaths,
        bool_or(nelda_western_monitors_alleged_fraud) as nelda_monitors_alleged_fraud
    from {{ ref('fct_election_integrity') }}
    where source = 'nelda' and election_key is not null
    group by election_key

),

allegations as (

    select
        election_key,
        count(*) > 0 as observers_alleged_fraud
    from {{ ref('fct_observer_allegations') }}
    where category in ('falsification', 'ballot_stuffing', 'tabulation_problems', 'vote_buying')
    group by election_key

),

thresholds as (

    select
        election_key,
        lists_passed,
        wasted_vote_pct,
        result_source as threshold_result_source
    from {{ ref('fct_threshold_outcomes') }}

),

disagreements as (

    select
        election_key,
        count(*) filter (where agreement = 'disagree') as questions_sources_disagree_on
    from {{ ref('fct_source_agreement') }}
    group by election_key

),

joined as (

    select
        elections.election_key,
        elections.country_iso3,
        countries.country_name,
        elections.election_date,
        elections.election_date_precision,
        elections.election_type,
        elections.round,
        elections.primary_source,
        elections.sources,
        elections.source_count,
        crises.annulled,
        crises.protest_start_date,
        crises.deaths_latest,
        coalesce(allegations.observers_alleged_fraud, false) as observers_alleged_fraud,
        deco.events as deco_events,
        deco.deaths_best as deco_deaths_best,
        deco.deaths_low as deco_deaths_low,
        deco.deaths_high as deco_deaths_high,
        pei.pei_index,
        pei.pei_index_lci,
        pei.pei_index_hci,
        nelda.nelda_post_election_riots,
        nelda.nelda_results_cancelled,
        nelda.nelda_civilian_deaths,
        nelda.nelda_monitors_alleged_fraud,
        elections.threshold_pct,
        thresholds.lists_passed,
        thresholds.wasted_vote_pct,
        thresholds.threshold_result_source,
        coalesce(disagreements.questions_sources_disagree_on, 0) as questions_sources_disagree_on
    from elections
    left join countries on elections.country_iso3 = countries.country_iso3
    left join crises on elections.election_key = crises.election_key
    left join deco on elections.election_key = deco.election_key
    left join pei on elections.election_key = pei.election_key
    left join nelda on elections.election_key = nelda.election_key
    left join allegations on elections.election_key = allegations.election_key
    left join thresholds on elections.election_key = thresholds.election_key
    left join disagreements on elections.election_key = disagreements.election_key

),

signals as (

    select
        *,
        coalesce(annulled, false) or coalesce(nelda_results_cancelled, false) as signal_annulled_or_cancelled,
        protest_start_date is not null or coalesce(nelda_post_election_riots, false) as signal_protests,
        coalesce(deaths_latest, 0) > 0 or coalesce(deco_deaths_best, 0) > 0 or coalesce(nelda_civilian_deaths, false)
            as signal_deaths,
        observers_alleged_fraud or coalesce(nelda_monitors_alleged_fraud, false) as signal_fraud_alleged,
        coalesce(pei_index < {{ low_integrity }}, false) as signal_low_integrity
    from joined

),

final as (

    select
        *,
        cast(signal_annulled_or_cancelled as integer) + cast(signal_protests as integer)
        + cast(signal_deaths as integer) + cast(signal_fraud_alleged as integer)
        + cast(signal_low_integrity as integer) as crisis_signals,
        list_filter([
            case when signal_annulled_or_cancelled then 'annulled or cancelled' end,
            case when signal_protests then 'protests' end,
            case when signal_deaths then 'deaths' end,
            case when signal_fraud_alleged then 'fraud alleged' end,
            case when signal_low_integrity then 'low integrity (PEI)' end
        ], lambda x: x is not null) as signal_list
    from signals

)

select * from final
