"""`make docs`: dbt docs (models, columns, tests, lineage graph) as static files in data/docs/."""
from __future__ import annotations

import shutil
import sys

from ingestion.settings import Paths
from ingestion.transform import TransformError, run_dbt

if __name__ == "__main__":
    paths = Paths.from_env()
    args = ["docs", "generate", "--static"]
    if not paths.warehouse.exists():
        print(f"no warehouse at {paths.warehouse} yet: generating docs without the catalog (run `make run` first for column types)")
        args.append("--empty-catalog")
    try:
        run_dbt(paths, *args, echo=None)
    except TransformError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
    target = paths.data_dir / "dbt" / "target"
    paths.docs.mkdir(parents=True, exist_ok=True)
    for name in ("static_index.html", "index.html", "manifest.json", "catalog.json"):
        if (target / name).exists():
            shutil.copy2(target / name, paths.docs / name)
    print(f"dbt docs written to {paths.docs}/")
    print(f"  open {paths.docs / 'static_index.html'} in a browser (a single self-contained file),")
    print(f"  or serve them: python -m http.server --directory {paths.docs} 8081  → http://localhost:8081")
