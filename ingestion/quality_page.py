"""Our own offline page of a gate run: data/quality/<run>/index.html, a "latest" entry, pruning.

GX's Data Docs (data/quality/<run>/docs/) load their scripts and styles from CDNs, so offline
their index is blank. This page is built from what the gate wrote (gate.json and the GX
validation result `<suite>.json` of each suite) with inline CSS only and a CSP that forbids
fetching anything, so it opens from disk with no network. GX's Data Docs stay as they are.

"latest": `data/quality/latest` is a symlink to the newest run's folder and
`data/quality/latest.html` a small redirect page to its index (for file systems or browsers
that do not follow the link); both are replaced atomically (written aside, then renamed).

Pruning policy: a run folder (a folder holding gate.json) is kept when it is one of the newest
N runs (by gate.json's modification time; N = 20, ECW_QUALITY_KEEP_RUNS overrides it) or when
its gate ran in the last 7 days; older folders are deleted. The run just written is never
deleted. Anything in data/quality that is not a run folder is left alone.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, StrictUndefined

KEEP_RUNS_ENV = "ECW_QUALITY_KEEP_RUNS"
DEFAULT_KEEP_RUNS = 20
KEEP_DAYS = 7
LATEST = "latest"
LATEST_PAGE = "latest.html"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 1.5rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
.pass{color:#0a6b2a}.fail{color:#a4001d}.verdict{font-size:1.2rem;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}code{font-size:.9em;word-break:break-all}
.meta{color:#555}ul.keys{margin:0;padding-left:1.1rem}
"""

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{{ csp | safe }}">
<link rel="icon" href="data:,">
<title>Quality gate {{ run }}: {{ "passed" if success else "failed" }}</title>
<style>{{ css | safe }}</style>
</head>
<body>
<h1>Quality gate, run {{ run }}</h1>
<p class="verdict {{ 'pass' if success else 'fail' }}">{{ "Passed" if success else "Failed" }}:
{{ suites | length }} suite(s), {{ failures | length }} failure(s).</p>
<p class="meta">Warehouse <code>{{ warehouse }}</code> · baseline (last published marts):
{% if baseline %}<code>{{ baseline }}</code>{% else %}none (first run: the drop rules were skipped){% endif %}
{% if docs %} · GX Data Docs: <a href="docs/index.html">docs/index.html</a> (needs a network for its scripts){% endif %}</p>
{% if failures %}
<h2 id="failures">Failures</h2>
<table>
<tr><th>Suite</th><th>Rule</th><th>Table.column</th><th>Rows</th><th>What</th><th>First keys</th><th>Fix</th></tr>
{% for f in failures %}
<tr class="failure"><td>{{ f.suite }}</td><td>{{ f.rule or f.expectation }}</td>
<td><code>{{ f.table }}{% if f.column %}.{{ f.column }}{% endif %}</code></td>
<td>{{ f.unexpected_count if f.unexpected_count is not none else "" }}</td><td>{{ f.detail }}</td>
<td>{% if f["keys"] %}<ul class="keys">{% for k in f["keys"] %}<li><code>{{ k }}</code></li>{% endfor %}</ul>{% endif %}</td>
<td>{{ f.fix }}</td></tr>
{% endfor %}
</table>
{% endif %}
<h2>Suites</h2>
{% for s in suites %}
<section class="suite" id="suite-{{ s.name }}">
<h2>{{ s.name }} <span class="{{ 'pass' if s.success else 'fail' }}">{{ "pass" if s.success else "fail" }}</span></h2>
{% if s.expectations %}
<table>
<tr><th>Expectation</th><th>Column</th><th>Result</th><th>Unexpected</th><th>Description</th></tr>
{% for e in s.expectations %}
<tr><td>{{ e.type }}</td><td>{{ e.column or "" }}</td>
<td class="{{ 'pass' if e.success else 'fail' }}">{{ "pass" if e.success else "fail" }}</td>
<td>{{ e.unexpected if e.unexpected is not none else "" }}</td><td>{{ e.description }}</td></tr>
{% endfor %}
</table>
{% else %}
<p class="fail">No validation result: the suite did not run (see its failures above).</p>
{% endif %}
</section>
{% endfor %}
<p class="meta">Written by ingestion/quality_page.py from gate.json and the GX validation results in this folder.</p>
</body>
</html>
"""

REDIRECT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp | safe }}">
<meta http-equiv="refresh" content="0; url={{ target }}">
<title>Latest quality gate run</title></head>
<body><p><a href="{{ target }}">Latest quality gate run: {{ run }}</a></p></body></html>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _expectations(validation: dict) -> list[dict]:
    """Each expectation of a GX validation result: type, column, pass/fail, unexpected count."""
    rows = []
    for result in validation.get("results") or []:
        config = result.get("expectation_config") or {}
        kwargs, meta = config.get("kwargs") or {}, config.get("meta") or {}
        outcome = result.get("result") or {}
        rows.append({
            "type": config.get("type") or config.get("expectation_type") or "?",
            "column": kwargs.get("column") or meta.get("column"),
            "success": bool(result.get("success")),
            "unexpected": outcome.get("unexpected_count", outcome.get("observed_value")),
            "description": kwargs.get("description") or config.get("description") or "",
        })
    return rows


def write_page(results_dir: Path) -> Path:
    """index.html of one run folder, from its gate.json and `<suite>.json` files."""
    gate = json.loads((results_dir / "gate.json").read_text(encoding="utf-8"))
    failures = gate.get("failures") or []
    failed_suites = {f.get("suite") for f in failures}
    suites = []
    for name in gate.get("suites") or []:
        path = results_dir / f"{name}.json"
        expectations = _expectations(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else []
        suites.append({"name": name, "expectations": expectations,
                       "success": bool(expectations) and name not in failed_suites
                       and all(e["success"] for e in expectations)})
    html = _ENV.from_string(TEMPLATE).render(
        csp=CSP, css=CSS, run=results_dir.name, success=bool(gate.get("success")), suites=suites,
        failures=failures, warehouse=gate.get("warehouse"), baseline=gate.get("published_baseline"),
        docs=gate.get("docs"))
    return _atomic_write(results_dir / "index.html", html)


def _atomic_write(path: Path, text: str) -> Path:
    aside = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    aside.write_text(text, encoding="utf-8")
    os.replace(aside, path)
    return path


def update_latest(results_dir: Path) -> None:
    """Point quality/latest and quality/latest.html at `results_dir`, each by one rename."""
    quality = results_dir.parent
    link = quality / f".{LATEST}.{os.getpid()}.tmp"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(results_dir.name, target_is_directory=True)
    os.replace(link, quality / LATEST)
    page = _ENV.from_string(REDIRECT).render(csp=CSP, target=f"{results_dir.name}/index.html", run=results_dir.name)
    _atomic_write(quality / LATEST_PAGE, page)


def keep_runs() -> int:
    raw = os.environ.get(KEEP_RUNS_ENV, "").strip()
    if not raw:
        return DEFAULT_KEEP_RUNS
    value = int(raw)
    if value < 1:
        raise ValueError(f"{KEEP_RUNS_ENV}={raw}: keep at least 1 run")
    return value


def prune(quality: Path, current: Path | None = None, keep: int | None = None,
          days: float = KEEP_DAYS, now: float | None = None) -> list[Path]:
    """Delete run folders outside the policy (module docstring); return the deleted folders."""
    keep = keep_runs() if keep is None else keep
    now = time.time() if now is None else now
    runs = [p for p in quality.iterdir() if p.is_dir() and not p.is_symlink() and (p / "gate.json").is_file()]
    runs.sort(key=lambda p: (p / "gate.json").stat().st_mtime, reverse=True)
    current = current.resolve() if current else None
    deleted = []
    for index, run in enumerate(runs):
        recent = now - (run / "gate.json").stat().st_mtime <= days * 86400
        if index < keep or recent or run.resolve() == current:
            continue
        shutil.rmtree(run)
        deleted.append(run)
    return deleted


@dataclass(frozen=True)
class PageOutcome:
    page: Path
    pruned: list[Path]


def publish_run_page(results_dir: Path) -> PageOutcome:
    """After a gate run (pass or fail): its page, quality/latest, then pruning."""
    page = write_page(results_dir)
    update_latest(results_dir)
    return PageOutcome(page, prune(results_dir.parent, current=results_dir))
