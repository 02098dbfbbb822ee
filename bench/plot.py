"""`python -m bench.plot`: time and peak memory against rows, from every bench/results/*-sf*.json,
into bench/results/scaling.png (one point per results file; the newest file of each SF wins)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def latest_per_sf(folder: Path) -> list[dict]:
    newest: dict[float, dict] = {}
    for path in sorted(folder.glob("*-sf*.json")):  # names start with the date: later files win
        result = json.loads(path.read_text(encoding="utf-8"))
        if "full_run" in result:
            newest[result["sf"]] = result
    return [newest[sf] for sf in sorted(newest)]


def plot(folder: Path = RESULTS, out: Path | None = None) -> Path | None:
    results = latest_per_sf(folder)
    if not results:
        print(f"no results in {folder}", file=sys.stderr)
        return None
    out = out or folder / "scaling.png"
    rows = [sum(r["full_run"]["stages"]["load"].get("sources", {}).get(s, {}).get("rows_loaded", 0)
                for s in r["full_run"]["stages"]["load"].get("sources", {})) for r in results]
    stages = list(results[-1]["full_run"]["stages"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for stage in stages:
        left.plot(rows, [r["full_run"]["stages"].get(stage, {}).get("seconds") for r in results], marker="o", label=stage)
    left.plot(rows, [r["full_run"]["seconds"] for r in results], marker="s", color="black", label="whole run")
    right.plot(rows, [r["full_run"]["peak_rss_bytes"] / 2**30 for r in results], marker="s", color="black",
               label="peak RSS, process tree")
    for axis, label in ((left, "seconds"), (right, "GiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("raw rows loaded (SYNTHETIC payloads)")
        axis.set_ylabel(label)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    for r, n in zip(results, rows):
        left.annotate(f"SF{r['sf']:g}", (n, r["full_run"]["seconds"]), fontsize=8, xytext=(3, 3),
                      textcoords="offset points")
    left.set_title("time per stage")
    right.set_title("peak memory")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    print(f"wrote {out}")
    return out


if __name__ == "__main__":
    plot(Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS)
