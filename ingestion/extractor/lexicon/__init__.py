"""Per-language word lists, merged into the compiled patterns the extractor reads with.

Each language module names, for its language: the metric cues (verb = binds a number right next to
it, noun = also across linking words), the predicates that own a number without counting casualties,
the group nouns that say who was counted, qualifier phrases, negators, denials, increment and part
markers, severity words and revision verbs. A sentence is read with the metric cues of its language,
of its close neighbour (es/pt, pl/sk) and of English; qualifiers, negators and the other markers follow
the sentence's language (with English), so that "no" or "do" mean what they mean there.
"""
from __future__ import annotations

import re
from types import ModuleType

from ingestion.extractor.lexicon import en, es, fr, pl, pt, ru, sk

LEXICONS: dict[str, ModuleType] = {"en": en, "es": es, "pt": pt, "fr": fr, "ru": ru, "pl": pl, "sk": sk}
LANGUAGES = tuple(LEXICONS)
VERB, NOUN = "verb", "noun"


def _word(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I)


METRIC_RES_BY_LANGUAGE: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
for _code, _lex in LEXICONS.items():
    METRIC_RES_BY_LANGUAGE[_code] = [(metric, kind, _word(pattern)) for metric, kind, pattern in _lex.METRICS]
    METRIC_RES_BY_LANGUAGE[_code].append(("", VERB, _word(_lex.NON_CASUALTY)))
METRIC_RES = [entry for entries in METRIC_RES_BY_LANGUAGE.values() for entry in entries]
# a sentence is read with its language's cues, its close neighbour's and English (quoted terms, loanwords)
NEIGHBOURS = {"en": ("en",), "es": ("es", "pt", "en"), "pt": ("pt", "es", "en"), "fr": ("fr", "en"), "ru": ("ru", "en"),
              "pl": ("pl", "sk", "en"), "sk": ("sk", "pl", "en")}


def metric_res(lang: str | None) -> list[tuple[str, str, re.Pattern[str]]]:
    if lang not in NEIGHBOURS:
        return METRIC_RES
    return [entry for code in NEIGHBOURS[lang] for entry in METRIC_RES_BY_LANGUAGE[code]]

PERSON_NOUNS = "|".join(lex.PERSONS for lex in LEXICONS.values())
GROUP_NOUNS = {group: "|".join(lex.GROUPS[group] for lex in LEXICONS.values())
               for group in ("security_forces", "protesters", "journalists", "detainees")}
GROUP_RES = {group: _word(pattern) for group, pattern in GROUP_NOUNS.items()}
ANY_GROUP = "|".join(GROUP_NOUNS.values())


def per_language(attribute: str) -> dict[str, re.Pattern[str]]:
    """One compiled alternation per language for a marker list (NEGATORS, DENIALS, ...)."""
    return {code: re.compile(getattr(lex, attribute), re.I) for code, lex in LEXICONS.items()}


def qualifier_phrases() -> dict[str, list[tuple[str, str]]]:
    """language -> [(qualifier, phrase)], longest phrase first."""
    table = {}
    for code, lex in LEXICONS.items():
        pairs = [(q, p) for q, phrases in lex.QUALIFIERS.items() for p in phrases]
        table[code] = sorted(pairs, key=lambda qp: -len(qp[1]))
    return table
