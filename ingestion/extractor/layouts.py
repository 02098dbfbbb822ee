"""Layouts that are not prose: bulletin tables flattened to text, headlines, update stamps, place lists.

The sentence reader reads clauses. A flattened table ("Killed: 2 • Wounded: 37 | Arrested: 118", "3 dead / 41
injured", "Detained - 64 - Released - 21", "Injured: 27 (in ICU: 3)") is a row of label–value cells with no clause
marks between them, so each label would read across into its neighbour's number. `flatten` turns the cell marks into
clause breaks without moving any character (figures keep their offsets in the sentence) and blanks the numbers of
update stamps ("UPDATE 2-", "ОБНОВЛЕНО 2:"), which number a wire story, not people.

`settle_totals` reads a bare "Total: 56" / "Всего — 80" cell against the figures listed before it: over one metric
it is that metric's whole, and the list items it sums are its parts; over several metrics ("Dead: 2. Injured: 17.
Detained: 37. Total: 56.") it counts no one metric and is dropped.
"""
from __future__ import annotations

import re

# " • ", " | ", " · ", " / " between cells; a dash after a cell's number and before the next label-dash-number cell
# ("Detained - 64 - Released - 21"; not "из них 5 — в реанимации", where the dash is a copula)
_CELL_MARK = re.compile(r"(?<=\s)[•|·/▪►](?=\s)|(?<=\d)\s+([-–—])(?=\s+(?:[^\W\d]+\s+){0,2}[^\W\d]+\s+[-–—:]\s+\d)")
# a bracket holding labelled cells ("(hospitalised: 12, of them in ICU: 2)", "(в реанимации — 3)", "(dont hospitalisés : 12)")
_LABEL_BRACKET = re.compile(r"\((\s*(?:[^\W\d]+\.?\s+){0,4}[^\W\d]+\s*[:—–]\s*\d[^()]*)\)")
# a number that counts updates of a story, not people: "UPDATE 2-", "Update 3 (16:05):", "ОБНОВЛЕНО 2:"
_UPDATE_STAMP = re.compile(r"(?<!\w)(?:update|updated|обновлено|обновление|апдейт|actualización|actualizado|actualisation|"
                           r"mise à jour|atualização|atualizado|aktualizacja|aktualizácia)\s*(?:no\.?\s*|№\s*|n[º°]\s*|#)?(\d+)(?!\d)",
                           re.I)


def flatten(sentence: str) -> str:
    """The sentence with cell marks turned into ';' and update-stamp numbers blanked; same length, same offsets."""
    if not any(ch in sentence for ch in "•|·/▪►-–—(:") and not _UPDATE_STAMP.search(sentence):
        return sentence
    out = list(sentence)
    for m in _CELL_MARK.finditer(sentence):
        out[m.start(1) if m.group(1) else m.start()] = ";"
    for m in _LABEL_BRACKET.finditer(sentence):
        out[m.start()] = ";"
        out[m.end() - 1] = ";"
    for m in _UPDATE_STAMP.finditer(sentence):
        for i in range(m.start(1), m.end(1)):
            out[i] = " "
    return "".join(out)


# a cell that is a bare total: "Total: 56", "Всего — 80", "Итого: 80", "Total : 80", "Razem: 80", "Spolu: 80"
TOTAL_LABEL = re.compile(r"(?:^|[;.:,]\s*|\s)(?:total|totals|in total|grand total|всего|итого|en total|total general|"
                         r"au total|total général|no total|ao todo|razem|łącznie|ogółem|spolu|celkom|celkovo)\s*[:—–-]?\s*$",
                         re.I)


def settle_totals(drafts: list) -> list:
    """Drop a bare total over several metrics; make the listed figures a bare total sums its parts.

    `drafts` are (Draft, sentence start, sentence end, language) in reading order; a Draft read from a bare
    total cell carries cues["total label"]. The figures it is read against are those since the previous
    bare total in the same text block (its own sentence or the sentences right before it)."""
    keep, since = [], 0
    for draft, start, end, lang in drafts:
        if not draft.cues.get("total label"):
            keep.append((draft, start, end, lang))
            continue
        listed = [d for d, _, _, _ in keep[since:] if d.scope != "part" and not d.part_hint]
        if len({d.metric for d in listed}) >= 2:
            since = len(keep)
            continue  # "Dead: 2. Injured: 17. Detained: 37. Total: 56.": no one metric's count
        items = [d for d in listed if d.metric == draft.metric and d.scope == "total" and d.counted == draft.counted]
        if len(items) >= 2 and sum(d.value for d in items) == draft.value:
            for item in items:
                item.part_hint, item.whole = True, draft
                item.cues.setdefault("scope", "(part of the total after it)")
        keep.append((draft, start, end, lang))
        since = len(keep)
    return keep
