"""Casualty figures from prose: every researched quote yields its figure, and no figure is invented.

The reference quotes are read from ../shared at run time (never copied here); the other cases
use our own wording.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from ingestion.parsers.casualty_text import METRICS, QUALIFIERS, CasualtyFigure, extract_figures, figures_as_json_lines

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "casualty_reports.csv"
MISSING_REFERENCE = f"reference file {REFERENCE} is absent (it lives outside the repo, in ../shared/reference)"

# Rows whose figure the quoted sentence alone does not state, keyed by
# (election_key, metric, value, sha1 of the quoted sentence, first 10 hex digits).
UNDERIVABLE = {
    ("KGZ-2020-PARL", "hospitalized", 88, "40dda864f9"):
        "the sentence gives the 88 as injured; that they are in hospital comes from the source (one hospital's count)",
    ("KEN-2007-PRES", "dead", 616, "843629c429"):
        "the quote is only the second sentence, whose bare figure takes its metric from the sentence before it",
    ("MWI-2019-PRES", "dead", 1, "091c5bc343"):
        "the victim is named, not counted: no number is expressed, so a 1 would be invented",
    ("GEO-2024-PARL", "detained", 298, "3b7bf6c6a6"):
        "298 is the researcher's sum of the stated 5 and 293",
    ("ARM-2008-PRES", "dead", 10, "4fd4d9b53b"):
        "10 is the researcher's sum of the stated 8 and 2",
    ("VEN-2024-PRES", "dead", 27, "cb63a05d63"):
        "27 is the researcher's sum of the stated 25 and a further two",
}
# Rows whose qualifier note says approximate while the sentence states the number plainly.
QUALIFIER_FROM_CONTEXT = {
    ("KEN-2007-PRES", "dead", 1200, "6240f49a4c"): "the sentence states 1,200 plainly; 'approx.' is the researcher's judgement",
    ("BLR-2020-PRES", "detained", 7000, "300a33c5f1"): "the sentence states the thousands plainly; 'approx.' is the researcher's judgement",
}
# How the reference's free-text qualifier notes begin, and what they mean.
NOTE_QUALIFIERS = [("at least", "at_least"), ("more than", "more_than"), ("'over'", "more_than"),
                   ("over", "more_than"), ("about", "about"), ("approx", "about"), ("'some'", "about"),
                   ("'as high as'", "up_to")]


def _reference_rows() -> list[tuple[int, dict]]:
    if not REFERENCE.exists():
        return []
    with REFERENCE.open(newline="", encoding="utf-8") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def _key(row: dict) -> tuple[str, str, int, str]:
    digest = hashlib.sha1(row["quoted_sentence"].encode("utf-8")).hexdigest()[:10]
    return row["election_key"], row["metric"], int(row["value"]), digest


def _params(rows, known_gaps: dict, only=lambda row: True):
    if not REFERENCE.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=MISSING_REFERENCE), id="no-reference")]
    params = []
    for line, row in rows:
        if not only(row):
            continue
        marks = []
        if _key(row) in known_gaps:
            marks = [pytest.mark.xfail(strict=True, reason=known_gaps[_key(row)])]
        params.append(pytest.param(line, row, marks=marks,
                                   id=f"line{line}-{row['election_key']}-{row['metric']}-{row['value']}"))
    return params


def _note_qualifier(note: str) -> str | None:
    note = note.strip().lower()
    return next((q for prefix, q in NOTE_QUALIFIERS if note.startswith(prefix)), None)


ROWS = _reference_rows()


# --- an independent reading of which numbers a sentence expresses -------------------------
_SMALL = {
    1: "one a an un una um uma uno jeden jedna jedného jednego один одна одного first",
    2: "two dos dois duas dva dve dvaja dvoch dwa dwie dwóch два две двое двух second",
    3: "three tres três tri troch trzy trzech три трое трех трёх third",
    4: "four cuatro quatro štyri štyroch cztery czterech четыре четверо четырех",
    5: "five cinco päť piatich pięć pięciu пять пятеро пяти",
    6: "six seis šesť sześć шесть", 7: "seven siete sete sedem siedem семь семеро",
    8: "eight ocho oito osem osiem восемь", 9: "nine nueve nove deväť dziewięć девять",
    10: "ten diez dez desať dziesięć десять", 20: "twenty veinte vinte двадцать", 30: "thirty treinta trinta тридцать",
    100: "hundred сто cien cem sto",
}
_WORD_VALUES = {word: value for value, words in _SMALL.items() for word in words.split()}
_THOUSAND = r"(?:thousand|mil|tys\.?|тыс\.?|тысяч[аи]?|tysięcy|tisíc)"


def expressed_values(sentence: str) -> set[int]:
    """Every value the sentence spells out: digits with any separator, number words, thousands."""
    values: set[int] = set()
    for m in re.finditer(rf"(\d+(?:[,. \u00a0\u202f]\d{{3}})*(?:[.,]\d+)?)(\s*{_THOUSAND}(?!\w))?", sentence, re.I):
        raw, digits = m.group(1), int(re.sub(r"\D", "", m.group(1)))
        values.add(digits)
        if m.group(2):
            decimal = re.fullmatch(r"(\d+)[.,](\d{1,2})", raw)
            values.add(round(float(".".join(decimal.groups())) * 1000) if decimal else digits * 1000)
    words = re.findall(r"[^\W\d_]+", sentence.lower())
    for i, word in enumerate(words):
        if word in _WORD_VALUES:
            value = _WORD_VALUES[word]
            values.add(value)
            if i + 1 < len(words) and re.fullmatch(_THOUSAND, words[i + 1]):
                values.add(value * 1000)
    for tens, unit in re.findall(r"(\w+)-(\w+)", sentence.lower()):
        if tens in _WORD_VALUES and unit in _WORD_VALUES:
            values.add(_WORD_VALUES[tens] + _WORD_VALUES[unit])
    if re.search(r"one and a half hundred|полторы сотни", sentence, re.I):
        values.add(150)
    # vague plurals stand for the smallest number they imply (CORPUS_CONVENTIONS.md)
    for pattern, value in ((r"dozens", 24), (r"hundreds|stovky|setki|сотни|cientos|centenares|centaines|centenas", 200),
                           (r"thousands|tisíce|tysiące|тысячи|miles|milliers|milhares", 2000),
                           (r"десятки|decenas|dizaines|dezenas|dziesiątki|desiatky", 20), (r"scores of", 40)):
        if re.search(pattern, sentence, re.I):
            values.add(value)
    return values


def test_expressed_values_reads_separators_and_words():
    assert {1218, 4201, 6700, 27000, 6000, 1500} <= expressed_values(
        "1,218 and 4.201 and 6 700 and 27 000 and 6 tys. and 1,5 тыс.")
    assert {3000, 25, 2, 150} <= expressed_values("three thousand, twenty-five, dvoch, полторы сотни")
    assert 298 not in expressed_values("Five people, and 293 others")


# --- the reference quotes ------------------------------------------------------------------
@pytest.mark.parametrize("line,row", _params(ROWS, UNDERIVABLE))
def test_reference_figure_is_extracted(line, row):
    figures = extract_figures(row["quoted_sentence"])
    found = {(f.metric, f.value) for f in figures}
    assert (row["metric"], int(row["value"])) in found, (
        f"{REFERENCE.name} line {line}: expected {row['metric']} {row['value']} from the quoted sentence, got {sorted(found)}")


@pytest.mark.parametrize("line,row", _params(ROWS, QUALIFIER_FROM_CONTEXT, only=lambda r: _note_qualifier(r["qualifier"])))
def test_reference_qualifier_maps(line, row):
    expected = _note_qualifier(row["qualifier"])
    figures = [f for f in extract_figures(row["quoted_sentence"])
               if (f.metric, f.value) == (row["metric"], int(row["value"]))]
    assert figures, f"{REFERENCE.name} line {line}: no {row['metric']} {row['value']} figure to check"
    assert expected in {f.qualifier for f in figures}, (
        f"{REFERENCE.name} line {line}: note {row['qualifier']!r} means {expected}, got {[f.qualifier for f in figures]}")


def _distinct_sentences():
    if not REFERENCE.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=MISSING_REFERENCE), id="no-reference")]
    seen: dict[str, int] = {}
    for line, row in ROWS:
        seen.setdefault(row["quoted_sentence"], line)
    return [pytest.param(line, sentence, id=f"line{line}") for sentence, line in seen.items()]


@pytest.mark.parametrize("line,sentence", _distinct_sentences())
def test_reference_figures_are_not_invented(line, sentence):
    expressed = expressed_values(sentence)
    for figure in extract_figures(sentence):
        assert figure.metric in METRICS and figure.qualifier in QUALIFIERS
        if figure.value == 0:
            assert figure.cues.get("negation"), f"{REFERENCE.name} line {line}: a zero without a negation: {figure}"
            continue
        assert figure.value in expressed, f"{REFERENCE.name} line {line}: {figure} is not a number the sentence states"
        if figure.value_high is not None:
            assert figure.value_high in expressed, f"{REFERENCE.name} line {line}: range end of {figure} not stated"
        assert figure.evidence in sentence, f"{REFERENCE.name} line {line}: evidence is not verbatim"


# --- our own wording -----------------------------------------------------------------------
def _triples(text: str, language: str | None = None) -> list[tuple[str, int, str]]:
    return [(f.metric, f.value, f.qualifier) for f in extract_figures(text, language)]


def test_russian_ministry_bulletin():
    text = "По состоянию на 15:00 за медицинской помощью обратились 686 человек, госпитализированы 164, в реанимации семь."
    assert _triples(text) == [("injured", 686, "exact"), ("hospitalized", 164, "exact"), ("icu", 7, "exact")]


def test_russian_bulletin_with_discharges_and_a_death():
    text = ("Всего 911 человек обратились за медицинской помощью, из них 705 выписаны, госпитализированы 205 человек, "
            "пятеро находятся в реанимации. Один человек скончался.")
    figures = extract_figures(text)
    assert [(f.metric, f.value) for f in figures] == [
        ("injured", 911), ("discharged", 705), ("hospitalized", 205), ("icu", 5), ("dead", 1)]
    assert figures[-1].evidence == "Один человек скончался."


def test_russian_qualifiers_and_number_words():
    text = "В столкновениях погибли два человека, более 500 пострадали, около 400 задержаны, не менее 30 выписаны."
    assert _triples(text) == [("dead", 2, "exact"), ("injured", 500, "more_than"), ("detained", 400, "about"),
                              ("discharged", 30, "at_least")]
    assert _triples("Полторы сотни пострадавших госпитализированы.") == [("hospitalized", 150, "about")]
    assert _triples("Около 1,5 тыс. человек обратились за медицинской помощью, сто госпитализированы.") == [
        ("injured", 1500, "about"), ("hospitalized", 100, "exact")]


def test_spanish_and_portuguese():
    assert _triples("Al menos 14 personas murieron y unas 90 resultaron heridas el 3 de mayo.") == [
        ("dead", 14, "at_least"), ("injured", 90, "about")]
    assert _triples("Más de 2.000 detenidos desde el 29 de julio, según la ONG.") == [("detained", 2000, "more_than")]
    assert _triples("Dos policías fallecieron y un manifestante murió.", "es") == [("dead", 2, "exact"), ("dead", 1, "exact")]
    assert _triples("Pelo menos 30 mortos e cerca de 200 feridos em 5 de novembro de 2024.") == [
        ("dead", 30, "at_least"), ("injured", 200, "about")]
    assert _triples("Foram registadas 4.201 detenções e 586 pessoas baleadas.") == [
        ("detained", 4201, "exact"), ("injured", 586, "exact")]


def test_thousands_separators_and_abbreviations():
    assert _triples("6 700 people were detained; 27 000 were arrested in all.") == [
        ("detained", 6700, "exact"), ("detained", 27000, "exact")]
    assert _triples("As of the evening, 1,218 people had sought medical help.") == [("injured", 1218, "exact")]
    assert _triples("Policja zatrzymała ponad 2 tys. osób, a 3 osoby zginęły.") == [
        ("detained", 2000, "more_than"), ("dead", 3, "exact")]
    assert _triples("The count of arrests reached 1.5 thousand.") == [("detained", 1500, "exact")]


def test_number_words():
    assert _triples("Police detained three thousand people and twenty-five were injured.") == [
        ("detained", 3000, "exact"), ("injured", 25, "exact")]
    assert _triples("Ministerstvo hovorilo o 40 zranených a dvoch obetiach, päť ľudí je v nemocnici.") == [
        ("injured", 40, "exact"), ("dead", 2, "exact"), ("hospitalized", 5, "exact")]
    assert _triples("Over a thousand protesters have been arrested.") == [("detained", 1000, "more_than")]


def test_ambiguous_words_follow_the_language():
    assert _triples("Ten people were killed.", "en") == [("dead", 10, "exact")]
    assert _triples("Ten muž zomrel v nemocnici.", "sk") == []
    assert _triples("Zatrzymano do 50 osób.", "pl") == [("detained", 50, "up_to")]


def test_ranges():
    figures = extract_figures("Between 10 and 15 people were killed, and 20-30 were injured. Police held 40 to 60.")
    assert [(f.metric, f.value, f.value_high) for f in figures] == [("dead", 10, 15), ("injured", 20, 30)]
    assert [(f.value, f.value_high) for f in extract_figures("От 10 до 15 человек задержаны.")] == [(10, 15)]
    assert _triples("The death toll rose from 10 to 15.") == [("dead", 15, "exact")]


def test_dates_times_ages_and_percentages_are_not_figures():
    assert _triples("On October 9, 2020 three people died at 15:00.") == [("dead", 3, "exact")]
    assert _triples("During clashes on 9-13 August, 80 officers were injured.") == [("injured", 80, "exact")]
    assert _triples("Since 21 Oct, 14 people were arrested.") == [("detained", 14, "exact")]
    assert _triples("A 45-year-old woman was killed on 12 March 2008.") == [("dead", 1, "exact")]
    assert _triples("About 40% of the injured were hospitalized.") == []
    assert _triples("They were detained for 24 hours.") == []


def test_negations_increments_and_breakdowns():
    assert _triples("No officer died during the march.") == []
    assert _triples("No one was killed, but 12 people were injured.") == [("dead", 0, "exact"), ("injured", 12, "exact")]
    increment, total = extract_figures("Officials reported 13 more deaths; the death toll is now at least 40.")
    assert (increment.metric, increment.value, increment.scope) == ("dead", 13, "increment")
    assert (total.metric, total.value, total.qualifier, total.scope) == ("dead", 40, "at_least", "total")
    assert [(f.metric, f.value, f.counted, f.scope, f.part_of) for f in extract_figures("Deaths: 12 (9 civilians, 3 officers)")] == [
        ("dead", 12, "all", "total", None), ("dead", 9, "protesters", "part", 0), ("dead", 3, "security_forces", "part", 0)]
    assert _triples("Some 2,000 people were displaced and 30 killed.") == [("dead", 30, "exact")]


def test_qualifiers():
    assert _triples("Nearly 600 people were injured and up to 50 were arrested.") == [
        ("injured", 600, "about"), ("detained", 50, "up_to")]
    assert _triples("Opposition groups say as many as 70 people may have died.") == [("dead", 70, "up_to")]
    assert _triples("Over 4,000 protesters were arrested; 20 or more died.") == [
        ("detained", 4000, "more_than"), ("dead", 20, "at_least")]


def test_metric_follows_the_predicate_not_the_group_noun():
    assert _triples("Over 30 detainees needed treatment in hospital.") == [("hospitalized", 30, "more_than")]
    assert _triples("Of the 300 victims, 40 were hospitalized and 6 needed intensive care.") == [
        ("hospitalized", 40, "exact"), ("icu", 6, "exact")]
    assert _triples("Twelve patients were moved out of the ICU.") == []


def test_partitives_and_inclusions():
    assert _triples("The ministry said 3 of the 10 injured remain in intensive care.") == [
        ("icu", 3, "exact"), ("injured", 10, "exact")]
    assert _triples("Из 300 пострадавших 40 госпитализированы.") == [("injured", 300, "exact"), ("hospitalized", 40, "exact")]
    assert _triples("25 de los 100 heridos siguen hospitalizados.") == [("hospitalized", 25, "exact"), ("injured", 100, "exact")]
    whole, part = extract_figures("A total of 12 people, including 3 police officers, were injured.")
    assert (whole.metric, whole.value, whole.counted, whole.scope) == ("injured", 12, "all", "total")
    assert (part.metric, part.value, part.counted, part.scope, part.part_of) == ("injured", 3, "security_forces", "part", 0)


def test_word_dates_possessives_and_phrasings():
    assert _triples("Since the twenty-first of May, 9 people have died.") == [("dead", 9, "exact")]
    assert _triples("Hasta el cinco de mayo, 60 personas resultaron heridas.") == [("injured", 60, "exact")]
    assert _triples("Reports of a soldier's death circulated, and 6 people died.") == [("dead", 6, "exact")]
    assert _triples("Officials say about 3,000 people were arrested.") == [("detained", 3000, "about")]
    assert _triples("Some 50 of those arrested were treated in hospital.") == [("hospitalized", 50, "about")]
    assert _triples("Forty people hurt in the clashes were admitted to the regional hospital.") == [
        ("hospitalized", 40, "exact")]
    assert _triples("С начала беспорядков в медицинские организации обратились 420 человек.") == [("injured", 420, "exact")]
    assert _triples("Un miembro de la Guardia Nacional murió en Caracas.", "es") == [("dead", 1, "exact")]


def test_context_figure_takes_the_previous_metric():
    figures = extract_figures("The clashes killed 1,100 people. Police gave a figure of 600.")
    assert [(f.metric, f.value, f.evidence) for f in figures] == [
        ("dead", 1100, "The clashes killed 1,100 people."), ("dead", 600, "Police gave a figure of 600.")]


def test_evidence_is_the_verbatim_sentence():
    text = "Approx. 30 people were hurt.  Later,\tfive died in hospital!\nArrests: 106"
    figures = extract_figures(text)
    assert [(f.metric, f.value, f.evidence) for f in figures] == [
        ("injured", 30, "Approx. 30 people were hurt."), ("dead", 5, "Later,\tfive died in hospital!"),
        ("detained", 106, "Arrests: 106")]
    assert all(f.evidence in text for f in figures)
    assert figures[0].qualifier == "about"


def test_figures_are_frozen_values():
    figure = extract_figures("Five people died.")[0]
    assert figure == CasualtyFigure("dead", 5, None, "exact", "Five people died.", counted="all", scope="total",
                                    part_of=None, language="en", start=0, end=17)
    with pytest.raises(AttributeError):
        figure.value = 6  # type: ignore[misc]


def test_json_lines():
    text = "Госпитализированы 164 человека. От 10 до 15 человек задержаны."
    lines = list(figures_as_json_lines(text, reported_at="2020-10-06T15:00"))
    records = [json.loads(line) for line in lines]
    common = {"counted": "all", "scope": "total", "language": "ru", "reported_at": "2020-10-06T15:00"}
    assert records == [
        {"metric": "hospitalized", "value": 164, "qualifier": "exact", "evidence": "Госпитализированы 164 человека.",
         "evidence_start": 0, "evidence_end": 31, **common},
        {"metric": "detained", "value": 10, "qualifier": "exact", "evidence": "От 10 до 15 человек задержаны.",
         "value_high": 15, "evidence_start": 32, "evidence_end": 62, **common},
    ]
    assert text[records[1]["evidence_start"]:records[1]["evidence_end"]] == records[1]["evidence"]
    assert "Госпитализированы" in lines[0]  # readable, not \u-escaped
    assert [json.loads(line) for line in figures_as_json_lines("Two were killed.")] == [
        {"metric": "dead", "value": 2, "qualifier": "exact", "counted": "all", "scope": "total",
         "evidence": "Two were killed.", "evidence_start": 0, "evidence_end": 16, "language": "en"}]


def test_who_was_counted_is_read_from_the_text():
    def counted(text, language=None):
        return [(f.metric, f.value, f.counted, f.scope) for f in extract_figures(text, language)]
    assert counted("20 police officers were injured.") == [("injured", 20, "security_forces", "total")]
    assert counted("Пострадали 14 сотрудников милиции.") == [("injured", 14, "security_forces", "total")]
    assert counted("Resultaron heridos 9 policías y 30 manifestantes.") == [
        ("injured", 9, "security_forces", "total"), ("injured", 30, "protesters", "total")]
    assert counted("Twelve MIA employees sought medical help.") == [("injured", 12, "security_forces", "total")]
    assert counted("Two detainees died in custody.") == [("dead", 2, "detainees", "total")]
    assert counted("Three journalists were detained; 2,000 detainees remain in custody.")[0] == (
        "detained", 3, "journalists", "total")
    assert counted("Of the 30 hospitalised, 12 are police officers.") == [
        ("hospitalized", 30, "all", "total"), ("hospitalized", 12, "security_forces", "part")]


def test_interface_version_and_unsupported_language():
    from ingestion.parsers.casualty_text import EXTRACTOR_VERSION, UnsupportedLanguage
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION
    assert issubclass(UnsupportedLanguage, ValueError)
    with pytest.raises(UnsupportedLanguage, match=r"'de'.*reads en, es, pt, fr, ru, pl, sk"):
        extract_figures("Bei den Protesten wurden nach Angaben der Polizei 45 Menschen verletzt und 12 festgenommen.")
    with pytest.raises(UnsupportedLanguage, match="'tr'"):
        extract_figures("Five people died.", language="tr")
    figure = extract_figures("Five people died.", language="en")[0]
    assert (figure.language, figure.start, figure.end, figure.cues["number"], figure.cues["metric"]) == (
        "en", 0, 17, "Five", "died")


def _read(text, language=None):
    return [(f.metric, f.value, f.value_high, f.qualifier, f.counted, f.scope, f.part_of)
            for f in extract_figures(text, language)]


def test_revisions_keep_only_the_new_figure():
    assert _read("Officials lowered the toll from 40 to 35.") == [("dead", 35, None, "exact", "all", "total", None)]
    assert _read("Минздрав снизил число погибших с 12 до 9.") == [("dead", 9, None, "exact", "all", "total", None)]
    assert _read("Le bilan a été revu à la hausse, de 30 à 45 blessés.") == [
        ("injured", 45, None, "exact", "all", "total", None)]
    assert _read("The figure was corrected to 9 dead, not 12.") == [("dead", 9, None, "exact", "all", "total", None)]


def test_zero_for_everyone_but_nothing_for_a_sub_group():
    assert _read("Nadie murió; 14 personas fueron detenidas.") == [
        ("dead", 0, None, "exact", "all", "total", None), ("detained", 14, None, "exact", "all", "total", None)]
    assert _read("Quinze personnes ont été blessées, aucune d'entre elles grièvement.") == [
        ("injured", 15, None, "exact", "all", "total", None)]
    assert _read("Погибших нет, пострадали 9 человек.")[0] == ("dead", 0, None, "exact", "all", "total", None)


def test_denials_drop_the_denied_number_only():
    assert _read("Police denied that 3,000 people were detained.") == []
    assert _read("O ministério desmentiu que houvesse 20 mortos e confirmou 2.") == [
        ("dead", 2, None, "exact", "all", "total", None)]


def test_increments_and_parts():
    assert _read("Another 5 people were hospitalised, bringing the total to 20.") == [
        ("hospitalized", 5, None, "exact", "all", "increment", None), ("hospitalized", 20, None, "exact", "all", "total", None)]
    assert _read("Один человек погиб, ещё 14 получили ранения.")[1][5] == "total"  # other people, not more of a count
    assert _read("103 police officers were injured, of which 28 were hospitalized.") == [
        ("injured", 103, None, "exact", "security_forces", "total", None),
        ("hospitalized", 28, None, "exact", "security_forces", "total", None)]
    assert _read("Les heurts ont fait 3 morts et 45 blessés, dont 11 gendarmes.")[2] == (
        "injured", 11, None, "exact", "security_forces", "part", 1)


def test_vague_plurals_and_collectives():
    assert _read("Des centaines de personnes ont été interpellées.") == [
        ("detained", 200, None, "at_least", "all", "total", None)]
    assert _read("Una decena de policías resultaron heridos.") == [
        ("injured", 10, None, "about", "security_forces", "total", None)]
    assert _read("Задержаны более тысячи человек.") == [("detained", 1000, None, "more_than", "all", "total", None)]


def test_a_correction_in_a_later_sentence_supersedes_the_earlier_figure():
    assert _read("The ministry first reported 52 dead. The toll was later revised down to 47.") == [
        ("dead", 47, None, "exact", "all", "total", None)]
    assert _read("Police said 210 people were detained. That figure was corrected to 198 on Monday.") == [
        ("detained", 198, None, "exact", "all", "total", None)]
    assert _read("Ранее сообщалось о 64 пострадавших. Затем эта цифра была уточнена до 59.") == [
        ("injured", 59, None, "exact", "all", "total", None)]
    assert _read("La préfecture avait annoncé 75 interpellations. Le bilan a ensuite été ramené à 68.") == [
        ("detained", 68, None, "exact", "all", "total", None)]
    assert _read("Число раненых пересмотрено в сторону увеличения — с 31 до 36.") == [
        ("injured", 36, None, "exact", "all", "total", None)]
    # a count that rose is not a correction: both figures stand
    assert [f[1] for f in _read("Two people died on Friday. By Sunday the toll had risen to 6.")] == [2, 6]
    # a correction of another metric leaves the first figure alone
    assert _read("Eighteen people were injured. The death toll was corrected to 3.") == [
        ("injured", 18, None, "exact", "all", "total", None), ("dead", 3, None, "exact", "all", "total", None)]


def test_russian_and_french_police_and_ministry_prose():
    assert _read("В больницы столицы доставлены 27 человек.") == [("hospitalized", 27, None, "exact", "all", "total", None)]
    assert _read("Погибли 4 военнослужащих и 6 гражданских лиц.") == [
        ("dead", 4, None, "exact", "security_forces", "total", None), ("dead", 6, None, "exact", "protesters", "total", None)]
    assert _read("Число задержанных участников шествия превысило 700.") == [
        ("detained", 700, None, "more_than", "protesters", "total", None)]
    assert _read("Задержаны более тысячи двухсот человек.") == [("detained", 1200, None, "more_than", "all", "total", None)]
    assert _read("Ранения получили два десятка человек.") == [("injured", 20, None, "about", "all", "total", None)]
    assert _read("Dix-sept personnes ont été hospitalisées, dont trois en réanimation.") == [
        ("hospitalized", 17, None, "exact", "all", "total", None), ("icu", 3, None, "exact", "all", "total", None)]
    assert _read("Six journalistes ont été blessés, deux d'entre eux grièvement.")[1] == (
        "injured", 2, None, "exact", "journalists", "part", 0)
    assert _read("Aucune victime n'est à déplorer.") == [("dead", 0, None, "exact", "all", "total", None)]
    assert _read("Les violences ont fait 30 victimes, dont quatre morts.") == [("dead", 4, None, "exact", "all", "total", None)]


def test_polish_and_slovak_vocabulary():
    assert _read("Do szpitala trafiło 9 rannych.") == [("hospitalized", 9, None, "exact", "all", "total", None)]
    assert _read("Pomocy medycznej udzielono 33 osobom.") == [("injured", 33, None, "exact", "all", "total", None)]
    assert _read("V nemocnici zostáva 6 zranených, dvaja sú v kritickom stave.") == [
        ("hospitalized", 6, None, "exact", "all", "total", None), ("hospitalized", 2, None, "exact", "all", "part", 0)]
    assert _read("Ľahké zranenia utrpelo 15 ľudí.") == [("injured", 15, None, "exact", "all", "total", None)]


def test_a_count_that_fell_or_a_reporting_verb_is_not_a_correction():
    assert [f[1] for f in _read("Вчера в больницах находились 35 человек. Сегодня число госпитализированных снизилось до 20.")] == [35, 20]
    assert [f[1] for f in _read("Задержаны 40 человек, уточнили в МВД. Позднее задержаны ещё 6.")] == [40, 6]
    assert _read("Ранее сообщалось о 19 погибших. Позже данные уточнили: погибли 17 человек.") == [
        ("dead", 17, None, "exact", "all", "total", None)]
    assert _read("Le bilan est de 3 morts, et non de 5 comme annoncé initialement.") == [
        ("dead", 3, None, "exact", "all", "total", None)]


def test_a_colon_list_of_groups_breaks_the_figure_down():
    assert _read("Всего пострадали 120 человек: 95 участников акции и 25 сотрудников полиции.") == [
        ("injured", 120, None, "exact", "all", "total", None),
        ("injured", 95, None, "exact", "protesters", "part", 0),
        ("injured", 25, None, "exact", "security_forces", "part", 0)]
    assert _read("Injured: 45; detained: 12 protesters.") == [
        ("injured", 45, None, "exact", "all", "total", None), ("detained", 12, None, "exact", "protesters", "total", None)]
