"""The figure the extractor returns, and the error for a language it does not read."""
from __future__ import annotations

from dataclasses import dataclass, field

METRICS = ("dead", "injured", "hospitalized", "icu", "discharged", "detained")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "up_to")
COUNTED = ("all", "protesters", "security_forces", "detainees", "journalists")
SCOPES = ("total", "part", "increment")


class UnsupportedLanguage(ValueError):
    """The text is in a language the extractor has no words for: reading it would invent or miss figures."""

    def __init__(self, detected: str, read: tuple[str, ...], where: str = "the text"):
        self.detected = detected
        self.read = read
        super().__init__(f"{where} is in language {detected!r}, which the casualty extractor does not read "
                         f"(it reads {', '.join(read)}); translate it or pass language= with one of those")


@dataclass(frozen=True)
class CasualtyFigure:
    metric: str                # one of METRICS
    value: int
    value_high: int | None     # upper end of a range ("10-15 injured"), else None
    qualifier: str             # one of QUALIFIERS
    evidence: str              # the sentence the figure came from, verbatim from the input
    counted: str = "all"       # who was counted, one of COUNTED
    scope: str = "total"       # total | part (of figure part_of) | increment (added to an earlier count)
    part_of: int | None = None  # index in the returned list of the figure this part belongs to
    language: str | None = None  # ISO 639-1 code the sentence was read as
    start: int = 0             # offsets of the evidence in the input text
    end: int = 0
    cues: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # the words that made it
