"""The source registry (sources.yml): which publishers we pull, how, and what we may fetch.

Identifiers from configuration end up in file paths and SQL, so they are checked against a
strict pattern here, before anything else sees them. Every entry is validated against a schema
(pydantic): a misspelt key such as `max_byte` would otherwise be ignored and its limit silently
left at the default, so unknown keys and wrongly typed values are errors.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ingestion.settings import REGISTRY_FILE

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
FAMILIES = {"election_commission", "health_ministry", "observer_mission", "research_dataset",
            "event_feed", "report_feed", "election_calendar"}
FORMATS = {"json", "csv", "tsv"}
# parser -> the raw table(s) it writes; a research dataset's layouts may each have their own table
PARSERS: dict[str, str | tuple[str, ...]] = {
    "election_commission.elections": "elections",
    "election_commission.party_results": "party_results",
    "election_commission.decisions": "decisions",
    "health_ministry.bulletins": "casualty_bulletins",
    "observer_mission.statements": "observer_statements",
    "research.deco_events": ("deco_events",),
    "research.parlgov_elections": ("parlgov_election_classic", "parlgov_election_2024"),
    "research.pei_elections": ("pei_elections",),
    "research.nelda_elections": ("nelda_elections",),
    # live feeds, pulled by a protocol adapter (ingestion/feeds/) in pages grouped as one pull
    "feeds.acled": ("acled_events", "acled_deletions"),
    "feeds.ucdp": ("ucdp_events",),
    "feeds.reliefweb": ("reliefweb_reports",),
    "feeds.parline": ("parline_elections",),
}
# adapter -> the parser its pages need (ingestion/feeds/__init__.py holds the classes)
ADAPTERS = {"acled": "feeds.acled", "ucdp": "feeds.ucdp", "reliefweb": "feeds.reliefweb", "parline": "feeds.parline"}
ENABLE_ENV = "ECW_ENABLE_SOURCES"  # comma-separated ids of sources the registry leaves disabled
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
ENV_REF = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


class RegistryError(ValueError):
    """The registry file is malformed or names something we refuse to use."""


def check_identifier(value: str, what: str) -> str:
    """Refuse anything that is not a plain lower-case identifier (no paths, no SQL)."""
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise RegistryError(
            f"{what} {value!r} is not a valid identifier: expected lower-case letters, digits and "
            f"underscores, starting with a letter (pattern {IDENTIFIER.pattern})"
        )
    return value


@dataclass(frozen=True)
class Source:
    id: str
    family: str
    publisher: str
    url_template: str
    format: str
    parser: str
    schedule_notes: str = ""
    licence: str = ""
    citation: str = ""
    max_bytes: int = 10_000_000
    timeout_seconds: float = 30.0
    allowed_schemes: tuple[str, ...] = ("https",)
    redirect_hosts: tuple[str, ...] = ()
    auth_header: str | None = None
    auth_env: str | None = None
    auth_user_env: str | None = None  # a second credential (the account name of a password grant)
    complete: bool = True  # each payload is the source's whole current record set
    enabled: bool = True  # a disabled source is not fetched unless named in ECW_ENABLE_SOURCES
    download_url: str = ""  # the publisher's own URL where `url` points at the bundled snapshot
    adapter: str | None = None  # a protocol adapter (ingestion/feeds/) instead of one GET of `url`
    params: dict = field(default_factory=dict)  # the adapter's query settings (countries, window, page size...)
    extra: dict = field(default_factory=dict)  # always empty now: unknown registry keys are refused

    @property
    def raw_tables(self) -> tuple[str, ...]:
        tables = PARSERS[self.parser]
        return tables if isinstance(tables, tuple) else (tables,)

    @property
    def raw_table(self) -> str:
        return self.raw_tables[0]

    @property
    def is_tabular(self) -> bool:
        return self.parser.startswith("research.")

    @property
    def is_active(self) -> bool:
        """Fetched tonight: enabled in the registry, or named in ECW_ENABLE_SOURCES."""
        named = {part.strip() for part in os.environ.get(ENABLE_ENV, "").split(",")}
        return self.enabled or self.id in named

    @property
    def url(self) -> str:
        """The URL with ${ENV} references resolved; an unset variable is an error, not ''."""

        def resolve(match: re.Match) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise RegistryError(
                    f"source {self.id}: URL refers to ${{{name}}} but that environment variable is not set"
                )
            return os.environ[name]

        url = ENV_REF.sub(resolve, self.url_template)
        check_url_allowed(self, url)
        return url

    @property
    def extension(self) -> str:
        return self.format

    @property
    def is_feed(self) -> bool:
        return self.adapter is not None

    def user(self) -> str | None:
        """The account name for a password grant, from the environment only."""
        if not self.auth_user_env:
            return None
        value = os.environ.get(self.auth_user_env)
        if not value:
            raise RegistryError(f"source {self.id}: credential variable {self.auth_user_env} is not set")
        return value

    def secret(self) -> str | None:
        """The credential for this source, read from the environment only (never from the file)."""
        if not self.auth_env:
            return None
        value = os.environ.get(self.auth_env)
        if not value:
            raise RegistryError(f"source {self.id}: credential variable {self.auth_env} is not set")
        return value


def check_url_allowed(source: Source, url: str) -> None:
    """Only the schemes the entry allows; plain http only for a server on this machine."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in source.allowed_schemes:
        raise RegistryError(
            f"source {source.id}: URL scheme {scheme!r} of {redact_url(url)} is not allowed "
            f"(allowed: {', '.join(source.allowed_schemes)})"
        )
    if scheme == "http" and (parts.hostname or "") not in LOOPBACK_HOSTS:
        raise RegistryError(
            f"source {source.id}: plain http is only allowed for a loopback snapshot server, not {parts.hostname}"
        )


def redact_url(url: str) -> str:
    """Drop user info and query strings (where tokens hide) before a URL reaches a log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _AuthEntry(_Strict):
    header: str | None = None
    env: str | None = None
    user_env: str | None = None


class _SourceEntry(_Strict):
    """One `sources:` entry as written in the file; the keys are the file's, not Source's."""

    id: str
    family: str
    publisher: str
    url: str
    format: str
    parser: str
    schedule_notes: str = ""
    licence: str = ""
    citation: str = ""
    max_bytes: int = Field(10_000_000, gt=0)
    timeout_seconds: float = Field(30.0, gt=0)
    allowed_schemes: list[str] = ["https"]
    redirect_hosts: list[str] = []
    auth: _AuthEntry | None = None
    complete: bool = True
    enabled: bool = True
    download_url: str = ""
    adapter: str | None = None
    params: dict = {}


_KEYS = {(): sorted(_SourceEntry.model_fields), ("auth",): sorted(_AuthEntry.model_fields)}


def _describe(error: dict) -> str:
    """One pydantic error as registry words: the key, what was expected, what was found."""
    location = tuple(str(part) for part in error["loc"])
    name = ".".join(location)
    if error["type"] == "extra_forbidden":
        known = _KEYS.get(location[:-1], [])
        guess = difflib.get_close_matches(location[-1], known, n=1)
        hint = f"did you mean {guess[0]!r}?" if guess else f"known keys: {', '.join(known)}"
        return f"unknown key {name!r} ({hint})"
    found = error.get("input")
    expected = re.sub(r"^Input should be ", "expected ", error["msg"])
    return f"{name}: {expected}, got {found!r} ({type(found).__name__})"


def _source_from(entry: dict, position: int) -> Source:
    if not isinstance(entry, dict):
        raise RegistryError(f"sources[{position}] must be a mapping, got {type(entry).__name__}")
    missing = [k for k in ("id", "family", "publisher", "url", "format", "parser") if not entry.get(k)]
    if missing:
        typos = [f"unknown key {k!r} (did you mean {guess[0]!r}?)" for k in entry if k not in _SourceEntry.model_fields
                 and (guess := difflib.get_close_matches(str(k), missing, n=1))]
        raise RegistryError(f"sources[{position}] ({entry.get('id', '?')}): missing {', '.join(missing)}"
                            + "".join(f"; {t}" for t in typos))
    name = entry["id"] if isinstance(entry["id"], str) and IDENTIFIER.match(entry["id"]) else f"sources[{position}]"
    try:
        parsed = _SourceEntry.model_validate(entry)
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())
        raise RegistryError(f"source {name}: {problems}") from None
    source_id = check_identifier(parsed.id, f"sources[{position}].id")
    if parsed.family not in FAMILIES:
        raise RegistryError(f"source {source_id}: unknown family {parsed.family!r} (expected one of {sorted(FAMILIES)})")
    if parsed.format not in FORMATS:
        raise RegistryError(f"source {source_id}: unknown format {parsed.format!r} (expected one of {sorted(FORMATS)})")
    if parsed.parser not in PARSERS:
        raise RegistryError(f"source {source_id}: unknown parser {parsed.parser!r} (expected one of {sorted(PARSERS)})")
    if parsed.adapter is not None and ADAPTERS.get(parsed.adapter) != parsed.parser:
        raise RegistryError(f"source {source_id}: adapter {parsed.adapter!r} is not one of {sorted(ADAPTERS)} "
                            f"or does not go with parser {parsed.parser!r} (expected {ADAPTERS.get(parsed.adapter)!r})")
    if parsed.adapter is None and parsed.parser.startswith("feeds."):
        raise RegistryError(f"source {source_id}: parser {parsed.parser!r} reads pages of a feed; name its `adapter`")
    given = parsed.model_dump(exclude_unset=True, exclude={"id", "url", "auth", "allowed_schemes", "redirect_hosts"})
    return Source(
        **given,
        id=source_id,
        url_template=parsed.url,
        allowed_schemes=tuple(s.lower() for s in parsed.allowed_schemes),
        redirect_hosts=tuple(parsed.redirect_hosts),
        auth_header=parsed.auth.header if parsed.auth else None,
        auth_env=parsed.auth.env if parsed.auth else None,
        auth_user_env=parsed.auth.user_env if parsed.auth else None,
    )


def load_registry(path: Path | None = None) -> list[Source]:
    """Parse and validate the registry; duplicate ids are an error.

    ECW_REGISTRY is read at call time (not only at import), so a process that sets it after
    importing us, such as a test or a wrapper script, gets the file it names.
    """
    path = Path(path or os.environ.get("ECW_REGISTRY") or REGISTRY_FILE)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"cannot read source registry {path}: {exc}") from exc
    entries = (document or {}).get("sources")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"source registry {path}: expected a non-empty list under 'sources'")
    sources = [_source_from(entry, i) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise RegistryError(f"source registry {path}: duplicate source id {source.id!r}")
        seen.add(source.id)
    return sources


def active_sources(path: Path | None = None) -> list[Source]:
    """The sources tonight's run fetches (a disabled one still has its raw tables and marts)."""
    return [source for source in load_registry(path) if source.is_active]


def get_source(source_id: str, path: Path | None = None) -> Source:
    check_identifier(source_id, "source id")
    for source in load_registry(path):
        if source.id == source_id:
            return source
    raise RegistryError(f"no source {source_id!r} in the registry")
