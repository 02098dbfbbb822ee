"""Sentence boundaries with their offsets: a stop followed by a capital or digit, except after abbreviations."""
from __future__ import annotations

import re
from typing import Iterator

_ABBREVIATIONS = {"approx", "tys", "тыс", "чел", "mr", "mrs", "ms", "dr", "st", "no", "nr", "vs", "etc", "gen", "col",
                  "lt", "sgt", "prof", "ok", "ca", "cca", "tzv", "resp", "min", "max", "art", "p", "г", "гг", "ул",
                  "им", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc",
                  "jr", "sr", "ст", "mln", "млн", "sv", "č", "u.s", "a.m", "p.m", "ок", "incl", "m", "mme", "sra", "sr",
                  "dra", "aprox", "godz", "ok", "tj", "np", "ds", "gen", "płk", "kpt", "mjr", "gral", "av", "ul", "pl", "sz", "n°"}
_BREAK = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+|\n")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in text, whitespace trimmed."""
    start = 0
    for match in _BREAK.finditer(text):
        end = match.end()
        if match.group() != "\n":
            following = text[end:end + 1]
            if not following or not (following.isupper() or following.isdigit() or following in "\"'«“([¿¡"):
                continue
            if match.group().startswith("."):
                word = re.search(r"([\w.]+)$", text[start:match.start()])
                if word and word.group(1).lower() in _ABBREVIATIONS:
                    continue
        yield from _trimmed(text, start, match.start() + len(match.group().rstrip()))
        start = end
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end
