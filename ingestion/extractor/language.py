"""Which language a sentence is in: script first, then accents and stop words.

Scores the languages the extractor reads against a few it does not (German, Italian, Dutch, Turkish,
Romanian, Czech, Ukrainian, Belarusian, Kazakh, Kyrgyz, Georgian, Armenian, Arabic...), so that a text
in one of those is refused rather than read with the wrong words. Short texts with no stop word give
None: the caller then uses the language of the rest of the text.
"""
from __future__ import annotations

import re

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
_SCRIPTS = [("ka", "\u10a0", "\u10ff"), ("hy", "\u0530", "\u058f"), ("ar", "\u0600", "\u06ff"), ("el", "\u0370", "\u03ff"),
            ("he", "\u0590", "\u05ff"), ("zh", "\u4e00", "\u9fff"), ("am", "\u1200", "\u137f")]


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the best guess (possibly a language not read), or None when nothing fits."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    for code, low, high in _SCRIPTS:
        if sum(low <= c <= high for c in letters) / len(letters) > 0.3:
            return code
    lower = text.lower()
    if sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.3:
        for code, chars in _CYRILLIC_ONLY.items():
            if sum(lower.count(c) for c in chars) >= 2 and not (code == "be" and "ў" not in lower):
                return code
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
