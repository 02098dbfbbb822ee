"""The text-wide pass: sentences, their language, the reading of each, and which whole a part belongs to."""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Iterator

from ingestion.extractor.attach import Draft, mentions, read_sentence
from ingestion.extractor.figure import CasualtyFigure, UnsupportedLanguage
from ingestion.extractor.language import detect_language, is_supported
from ingestion.extractor.layouts import flatten, settle_totals
from ingestion.extractor.lexicon import ANY_GROUP, LANGUAGES, PERSON_NOUNS
from ingestion.extractor.sentences import sentences

_BRACKET = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# a bracket that breaks a figure down by group ("(9 civilians, 3 officers)") is read, as parts
_BREAKDOWN = re.compile(rf"\d[\d\s.,]*\s+(?:\w+\s+)?(?:{ANY_GROUP}|{PERSON_NOUNS})(?!\w)|(?<!\w)(?:including|incl\.|в том числе|"
                        rf"из них|dont|de ell[oa]s|incluidos|incluindo|w tym|z toho|of them|of whom|d['’]entre eux|deles|delas|z nich|"
                        rf"entre ell[oa]s|entre eles|parmi eux|среди них)(?!\w)", re.I)
_NUMBER_BEFORE = re.compile(r"\d\s+(?:[^\W\d]+\s+)?$")


def _mask(sentence: str, lang: str | None = None) -> tuple[str, list[tuple[int, int]]]:
    """Blank out (...) and [...] glosses and clock times; keep breakdowns, and say where they are."""
    masked, parts = sentence, []
    for _ in range(3):
        def blank(m: re.Match[str]) -> str:
            inner = m.group()[1:-1]
            # a count of another metric ("Injured: 41 (12 hospitalised)"): a number, then its metric word
            counted = any(ch.isdigit() for ch in inner) and \
                any(x.metric and _NUMBER_BEFORE.search(inner, 0, x.start) for x in mentions(inner, lang))
            if _BREAKDOWN.search(m.group()):
                parts.append((m.start(), m.end()))
                # "Heridos: 52 (de ellos 8 policías)": a breakdown opened by a word is a clause of its own
                return ("," if inner.lstrip()[:1].isalpha() else " ") + inner + ","
            if counted:
                return ";" + inner + ";"  # its own clause, read as its own figure
            return " " * len(m.group())
        new = _BRACKET.sub(blank, masked)
        if new == masked:
            break
        masked = new
    return masked, parts


def _language_of(text: str, language: str | None) -> tuple[str | None, list[tuple[int, int, str]]]:
    """(the language read, [(start, end, language of each sentence)]); raises on a language not read."""
    spans = list(sentences(text))
    if language:
        code = language.lower().split("-")[0].split("_")[0]
        if code not in LANGUAGES:
            raise UnsupportedLanguage(code, LANGUAGES, "the text (language given by the caller)")
        return code, [(s, e, code) for s, e in spans]
    detected = [(s, e, detect_language(text[s:e])) for s, e in spans]
    supported = [code for _, _, code in detected if is_supported(code)]
    if not supported:
        whole = detect_language(text) if len(spans) > 1 else (detected[0][2] if detected else None)
        if whole is not None:
            raise UnsupportedLanguage(whole, LANGUAGES)
        main = "en"  # no letters to tell: digits and punctuation read the same in every lexicon
    else:
        main = max(set(supported), key=lambda code: (supported.count(code), code == supported[0]))
    return main, [(s, e, code if is_supported(code) else main) for s, e, code in detected]


def extract_figures(text: str, language: str | None = None) -> list[CasualtyFigure]:
    """Every casualty figure stated in `text`, in reading order, each with its sentence as evidence.

    `language` (ISO 639-1) fixes the language of every sentence; without it each sentence's language
    is detected. Raises UnsupportedLanguage for a language the extractor has no words for.
    """
    _, spans = _language_of(text, language)
    drafts: list[tuple[Draft, int, int, str]] = []
    previous_metric, earlier_report = None, False
    for start, end, lang in spans:
        masked, parts = _mask(flatten(text[start:end]), lang)
        superseded: list[str] = []
        read = read_sentence(masked, lang, previous_metric, parts, superseded, earlier_report)
        earlier_report = earlier_report or any(draft.provisional for draft in read)
        for draft in read:
            drafts.append((draft, start, end, lang))
            previous_metric = draft.metric
        if not read and superseded:
            previous_metric = superseded[-1]
    return _settle_parts(text, _drop_superseded(settle_totals(drafts)))


def _drop_superseded(drafts: list[tuple[Draft, int, int, str]]) -> list[tuple[Draft, int, int, str]]:
    """A corrected figure ("The toll has now been revised to 35.") replaces the earlier figures of its metric
    and group ("The ministry earlier reported 40 dead."): only the new figure is a published count. A correction
    that names its old figure ("the toll of the March riots was corrected from 12 to 14") replaces only that one:
    the other figures of the text may count other events. A figure given as an earlier report ("Un premier bilan
    faisait état de 5 morts.") is replaced by a later sentence's total of its metric and group."""
    dropped: set[int] = set()
    for j, (later, later_start, _, _) in enumerate(drafts):
        if later.scope == "total" and not later.part_hint and not later.provisional:
            # "Initial reports said 9 people were in intensive care. The hospital later put the number at 13."
            dropped.update(i for i, (earlier, start, _, _) in enumerate(drafts[:j])
                           if earlier.provisional and start < later_start and earlier.metric == later.metric and
                           earlier.counted == later.counted)
        if not later.corrects:
            continue
        for i in range(j):
            earlier = drafts[i][0]
            if earlier.metric == later.metric and earlier.counted == later.counted and earlier.scope == "total" and \
                    not earlier.part_hint and not earlier.whole and (not later.old_values or earlier.value in later.old_values):
                dropped.add(i)
    if not dropped:
        return drafts
    keep = [d for i, d in enumerate(drafts) if i not in dropped]
    kept = {id(d) for d, _, _, _ in keep}
    for draft, _, _, _ in keep:
        if draft.whole is not None and id(draft.whole) not in kept:
            draft.whole = None
    return keep


def _settle_parts(text: str, drafts: list[tuple[Draft, int, int, str]]) -> list[CasualtyFigure]:
    """A part candidate is a part of its explicit whole or of the latest earlier figure of its metric."""
    index = {id(d): i for i, (d, _, _, _) in enumerate(drafts)}
    figures = []
    for i, (draft, start, end, lang) in enumerate(drafts):
        scope, part_of = draft.scope, None
        if scope == "increment" and not _added_to(draft, drafts, i):
            scope = "total"  # "one died, another 14 were injured": other people, not more of an earlier count
        if draft.part_hint and draft.scope == "total":
            whole = draft.whole
            if whole is None or whole.metric != draft.metric:
                whole = next((d for d, _, _, _ in reversed(drafts[:i])
                              if d.metric == draft.metric and d.scope != "part" and not d.part_hint and d.value > 0), None)
            if whole is not None and whole.metric == draft.metric and whole is not draft:
                scope, part_of = "part", index[id(whole)]
        counted = draft.counted
        if draft.anaphoric and i:
            # "103 officers were injured, of which 28 were hospitalized": the people of the whole, else of the figure before
            counted = figures[part_of].counted if part_of is not None else drafts[i - 1][0].counted
        figures.append(CasualtyFigure(draft.metric, draft.value, draft.value_high, draft.qualifier, text[start:end],
                                      counted=counted, scope=scope, part_of=part_of, language=lang,
                                      start=start, end=end, cues=dict(draft.cues)))
    return figures


def _added_to(draft: Draft, drafts: list[tuple[Draft, int, int, str]], i: int) -> bool:
    """An increment needs a count of its metric to add to, unless nothing at all is counted before it."""
    sentence = drafts[i][1]
    if any(d.metric == draft.metric for d, _, _, _ in drafts[:i]):
        return True
    if any(d.metric == draft.metric for d, start, _, _ in drafts[i + 1:] if start == sentence):
        return True
    return not drafts[:i]  # "Three were treated at the scene. In hospital: two more": other people, another metric


def figures_as_records(text: str, language: str | None = None, explain: bool = False) -> Iterator[dict]:
    for figure in extract_figures(text, language):
        record: dict[str, object] = {"metric": figure.metric, "value": figure.value, "qualifier": figure.qualifier,
                                     "counted": figure.counted, "scope": figure.scope, "evidence": figure.evidence,
                                     "evidence_start": figure.start, "evidence_end": figure.end,
                                     "language": figure.language}
        if figure.value_high is not None:
            record["value_high"] = figure.value_high
        if figure.part_of is not None:
            record["part_of"] = figure.part_of
        if explain:
            record["cues"] = figure.cues
        yield record


def figures_as_json_lines(text: str, reported_at: str | date | datetime | None = None,
                          language: str | None = None, explain: bool = False) -> Iterator[str]:
    """One JSON object per figure, for `ecw extract-casualties` and other line-oriented consumers."""
    stamp = reported_at.isoformat() if isinstance(reported_at, (date, datetime)) else reported_at
    for record in figures_as_records(text, language, explain):
        if stamp is not None:
            record["reported_at"] = stamp
        yield json.dumps(record, ensure_ascii=False)
