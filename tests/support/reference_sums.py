"""Reading the shared reference's researcher sums, for the tests that compare published figures with it."""
from __future__ import annotations

import re

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")


def sum_parts(row: dict) -> list[int] | None:
    """The parts of a figure the researcher added up ("5 criminal + 293 administrative" for 298).

    The parts are what the authority published; the sum is the researcher's, so a bulletin states the
    parts and never puts the sum in the authority's mouth.
    """
    value = int(row["value"])
    for segment in (row["qualifier"] or "").split(";"):
        if "+" not in segment:
            continue
        firsts = [_NUMBER.search(part) for part in segment.split("+")]
        parts = [int(m.group(0).replace(",", "")) for m in firsts if m]
        if len(parts) == len(firsts) and sum(parts) == value:
            return parts
    return None
