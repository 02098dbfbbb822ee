"""Which language a sentence is in: script first, then lingua's n-gram models, stop words for short texts.

The candidates are the languages the extractor reads plus languages it does not read but that
election reporting comes in (German, Italian, Dutch, Turkish, Ukrainian, Belarusian, Kazakh, Czech,
Romanian, Hungarian, Swahili, Azerbaijani; Serbian, Kyrgyz, Georgian, Armenian, Arabic, Greek by their letters),
so that a text in one of those is refused rather than read with the wrong words. A language
with none of its casualty words in the sentence loses to a read language that has some. A sentence whose
best reading is a language not read still counts as read when a read language is a close second
(Slovak/Czech, Russian/Ukrainian share most words). Texts of fewer than three words fall back to stop
words, and to None: the caller then uses the language of the rest of the text.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

from ingestion.extractor.lexicon import LEXICONS

_STOPWORDS = {
    "en": "the of and were was have has people in to at by with that from said had been this are",
    "es": "el los las del que y personas en se por según fueron unas hasta con al una para han tras durante de la un pero dijo más fue",
    "pt": "os as do da dos das que e pessoas em não foram pelo ao são nos na uma para pela segundo após de mas ele disse ficaram com um foi mais pela polícia",
    "fr": "le les des du et personnes en sont ont été une dans selon par pour au aux lors été qui ne est il de la un a plus mais",
    "sk": "a sa v na že o ľudí sú bolo pri zo ich aj podľa boli ktorí počas",
    "pl": "w się i że na nie osób z do jest przez oraz według zostało zostały podczas",
    "de": "der die das und wurden ist sind nicht mit von den dem ein eine bei nach laut wurde auch sich",
    "it": "il della delle degli gli che sono stati è nel nella per una con dalla secondo anche",
    "nl": "de het een van zijn werden is niet met bij volgens naar ook dat",
    "tr": "ve bir bu ile için olarak kişi yaralandı gözaltına alındı öldü polis göre",
    "ro": "și au fost în din că pentru care cu persoane potrivit este",
    "cs": "a se v na že jsou bylo byli podle při lidí které také",
}
_SUPPORTED = ("en", "es", "pt", "fr", "sk", "pl", "ru")
_MARKS = {"sk": "ľĺŕôäťďňý", "pl": "łąęśźżńć", "pt": "ãõ", "es": "ñ¿¡", "fr": "èêëàùœîï", "de": "ßü", "tr": "ğış",
          "ro": "ășț", "cs": "ěřů"}
_STOPSETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_READ_WORDS = set().union(*(_STOPSETS[lang] for lang in ("en", "es", "pt", "fr", "sk", "pl")))
for _lang in ("de", "it", "nl", "tr", "ro", "cs"):
    _STOPSETS[_lang] -= _READ_WORDS  # only words no language read has count for a language not read
_CYRILLIC_ONLY = {"uk": "іїєґ", "be": "ўі", "kk": "әғқңөұүһі", "ky": "ңөү", "sr": "ђјљњћџ", "mn": "өү"}
# Look-alikes of a language read, told apart by what only they write: a letter the read language never uses, or a
# common word it spells otherwise (Ukrainian "ще", "під" for Russian "ещё", "под"; Czech "bylo", "lidí" for Slovak
# "bolo", "ľudí"). Two such marks, and more of them than of the read language's own, refuse the sentence.
_LOOKALIKES = {
    "uk": (re.compile(r"[іїєґ]|(?<!\w)(?:ще|що|та|під|від|які|який|яка|був|була|було|були|це|між|після|також|усі|всіх|"
                      r"серед|осіб|особи|загинул\w*|загиблих|поранен\w*|затриман\w*|затримал\w*|"
                      r"постраждал\w*|лікарн\w*)(?!\w)", re.I),
           re.compile(r"[ыэъё]|(?<!\w)(?:ещё|еще|что|под|от|которые|был|была|было|были|это|между|после|также|все|"
                      r"людей|погибл\w*|погибших|ранен\w*|задержан\w*|пострадавш\w*|больниц\w*)(?!\w)", re.I)),
    "be": (re.compile(r"[ўі]|(?<!\w)(?:яшчэ|што|пад|ад|гэта|пасля|таксама|загінул\w*|затрыман\w*|паранен\w*)(?!\w)", re.I),
           re.compile(r"[иъщ]|(?<!\w)(?:ещё|еще|что|под|от|это|после|также)(?!\w)", re.I)),
    "cs": (re.compile(r"[ěřů]|(?<!\w)(?:jsou|byl|byla|bylo|byli|byly|lidí|lidé|osob|policie|policisté|policistů|"
                      r"zraněn\w*|zadržen\w*|který|která|které|kteří|během|podle|více|nejméně|téměř|"
                      r"mezi|zemřel\w*)(?!\w)", re.I),
           re.compile(r"[äľĺŕô]|(?<!\w)(?:sú|bol|bola|bolo|boli|ľudí|ľudia|osôb|polícia|policajti|policajtov|"
                      r"zranen\w*|zadržan\w*|tiež|ktorý|ktorá|ktoré|ktorí|počas|podľa|viac|najmenej|takmer|medzi|"
                      r"zomrel\w*)(?!\w)", re.I)),
}
_LOOKALIKE_OF = {"ru": ("uk", "be"), "sk": ("cs",)}


def _lookalike(text: str, read: str) -> str | None:
    """The look-alike of language `read` the text is written in, on the evidence of its own letters and words."""
    for code in _LOOKALIKE_OF.get(read, ()):
        own, other = _LOOKALIKES[code]
        marks = len(own.findall(text))
        if marks >= 2 and marks > len(other.findall(text)):
            return code
    return None
_SCRIPTS = [("ka", "\u10a0", "\u10ff"), ("hy", "\u0530", "\u058f"), ("ar", "\u0600", "\u06ff"), ("el", "\u0370", "\u03ff"),
            ("he", "\u0590", "\u05ff"), ("zh", "\u4e00", "\u9fff"), ("am", "\u1200", "\u137f")]


def _letters_and_script(text: str) -> tuple[list[str], str | None]:
    """The text's letters and, for a non-Latin script that names a language, that language."""
    letters = [c for c in text if c.isalpha()]
    return letters, (_script(text, letters) if letters else None)


def _guess_from_words(text: str) -> str | None:
    """Stop words and accents: the guess for texts too short for n-gram models."""
    letters, script = _letters_and_script(text)
    if not letters or script:
        return script
    lower = text.lower()
    if sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.3:
        return "ru"
    words = re.findall(r"[^\W\d_]+", lower)
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPSETS.items()}
    scores["ru"] = 0
    for lang, chars in _MARKS.items():
        scores[lang] += 2 * sum(lower.count(c) for c in chars)
    if "ç" in lower:
        scores["pt"] += 1
        scores["fr"] += 1
    if re.search(r"[a-z]['’](?:[aeiouéèh])", lower):
        scores["fr"] += 2  # l'hôpital, d'entre, n'a
    supported = max(_SUPPORTED[:-1], key=lambda lang: scores[lang])
    other = max((lang for lang in scores if lang not in _SUPPORTED), key=lambda lang: scores[lang])
    if scores[other] >= 2 and scores[other] > scores[supported] + 1:
        return other  # refused only on clear evidence: a short sentence shares words across languages
    return supported if scores[supported] > 0 else None


def is_supported(code: str | None) -> bool:
    return code in _SUPPORTED


_CANDIDATES = [Language.ENGLISH, Language.RUSSIAN, Language.SPANISH, Language.FRENCH, Language.PORTUGUESE, Language.POLISH,
               Language.SLOVAK, Language.GERMAN, Language.ITALIAN, Language.DUTCH, Language.TURKISH, Language.UKRAINIAN,
               Language.BELARUSIAN, Language.KAZAKH, Language.CZECH, Language.ROMANIAN, Language.HUNGARIAN,
               Language.SWAHILI, Language.AZERBAIJANI]
_CLOSE_SECOND = 0.25
_SURE = 0.9  # an n-gram reading this confident is not overturned by one casualty word of another language
_FAST = {"en", "es", "pt", "fr", "ru"}  # pl/sk always go to the models: Czech shares their words  # a read language this likely wins over a language not read


# the casualty words of each language read: evidence that outweighs n-grams on a short sentence
_CUES = {code: re.compile(r"(?<!\w)(?:" + "|".join([p for _, _, p in lex.METRICS] + list(lex.GROUPS.values()) + [lex.PERSONS])
                          + r")(?!\w)", re.I) for code, lex in LEXICONS.items()}


@lru_cache(maxsize=1)
def _detector():
    # low accuracy mode: trigram models only, ~0.3 ms a sentence and half a second to load
    return LanguageDetectorBuilder.from_languages(*_CANDIDATES).with_low_accuracy_mode().build()


def _script(text: str, letters: list[str]) -> str | None:
    if all(c < "\u0370" for c in letters):
        return None  # Latin script: the n-grams decide
    for code, low, high in _SCRIPTS:
        if sum(low <= c <= high for c in letters) / len(letters) > 0.3:
            return code
    lower = text.lower()
    if sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.3:
        for code, chars in _CYRILLIC_ONLY.items():
            if sum(lower.count(c) for c in chars) >= 2 and not (code == "be" and "ў" not in lower):
                return code
    return None


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the best guess (possibly a language not read), or None when nothing fits."""
    code = _detect(text)
    return (_lookalike(text, code) or code) if code in _LOOKALIKE_OF else code


def _detect(text: str) -> str | None:
    letters, script = _letters_and_script(text)
    if not letters or script:
        return script
    if len(re.findall(r"[^\W\d_]{2,}", text)) < 3:
        hits = {code: len(regex.findall(text)) for code, regex in _CUES.items()}
        guess = _guess_from_words(text)
        if max(hits.values()) and not hits.get(guess):
            return max(hits, key=hits.get)  # "Zadržali 5 novinárov.": the casualty word says which language
        return guess
    hits = [code for code, regex in _CUES.items() if regex.search(text)]
    if len(hits) == 1 and hits[0] in _FAST and _guess_from_words(text) == hits[0]:
        return hits[0]  # one language's casualty words and stop words agree: no need for the n-gram models
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value == 0:
        return _guess_from_words(text)
    top = values[0].language.iso_code_639_1.name.lower()
    if top not in _CUES or not _CUES[top].search(text):
        hits = {code: len(regex.findall(text)) for code, regex in _CUES.items() if code != top}
        best = max(hits, key=hits.get)
        # "Fatalities: 10 (8 protesters, ...)": the casualty words decide; but a sure reading of a language not read
        # keeps it against one cognate or loanword ("Demonstranten", "manifestanti", Italian "morte")
        loanword = top not in _CUES and values[0].value >= _SURE and (hits[best] < 2 or _guess_from_words(text) == top)
        if hits[best] and not loanword:
            return best
    if top not in _SUPPORTED:
        runner_up = next((v for v in values if v.language.iso_code_639_1.name.lower() in _SUPPORTED), None)
        if runner_up is not None and runner_up.value >= _CLOSE_SECOND:
            return runner_up.language.iso_code_639_1.name.lower()
    return top
