"""A publisher's bulk CSV file, plain or the one CSV inside a zip, read as a stream of rows.

The stable UCDP GED release is a zip of about 30 MB holding a CSV of about 250 MB: the member is
decompressed and decoded while it is read, one row at a time, so the CSV is never whole in memory.
A file that cannot be read as such (not a zip, no CSV member or several, not UTF-8, broken
quoting) is a PayloadError naming the file, so the pull holding it is rejected, not half loaded.
"""
from __future__ import annotations

import csv
import io
import sys
import zipfile
from contextlib import contextmanager
from typing import Iterator

from ingestion.parsers.common import PayloadError

ZIP_MAGIC = b"PK\x03\x04"
csv.field_size_limit(min(sys.maxsize, 64 * 1024 * 1024))  # GED's source_original cells run long


def is_zip(body: bytes) -> bool:
    return body[:4] == ZIP_MAGIC


def _member(archive: zipfile.ZipFile, what: str) -> str:
    names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX/")]
    found = [n for n in names if n.lower().endswith(".csv")]
    if len(found) != 1:
        raise PayloadError(f"{what}: expected one .csv file in the zip, found {len(found)} "
                           f"({', '.join(names) or 'none'}); point the registry at the release's CSV download")
    return found[0]


def _rows(reader, what: str, name: str) -> Iterator[list[str]]:
    try:
        yield from reader
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, EOFError) as exc:
        raise PayloadError(f"{what}: {name} is unreadable after line {reader.line_num} ({exc}); "
                           "download the release again or report it to the publisher") from None


@contextmanager
def csv_rows(body: bytes, what: str, file_name: str) -> Iterator[tuple[str, Iterator[list[str]]]]:
    """(name of the CSV read, its rows as lists of cells, header first). `what` opens every error
    message (the source and the release); `file_name` is the downloaded file's name."""
    if is_zip(body):
        try:
            archive = zipfile.ZipFile(io.BytesIO(body))
        except zipfile.BadZipFile as exc:
            raise PayloadError(f"{what}: {file_name} is not a readable zip ({exc})") from None
        with archive:
            member = _member(archive, f"{what}: {file_name}")
            with archive.open(member) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
                name = f"{member} in {file_name}"
                yield name, _rows(csv.reader(text), what, name)
        return
    with io.TextIOWrapper(io.BytesIO(body), encoding="utf-8-sig", newline="") as text:
        yield file_name, _rows(csv.reader(text), what, file_name)
