"""Benchmark: cleaning a dashboard export of 1,000,000 trajectories.

Writes a synthetic Belgian CSV (``;``, UTF-8 with BOM) of ``--n`` rows, then times
``clean_dashboard`` on it in a fresh process, beside a baseline measured in the same run on
the same file: a bare ``pandas.read_csv`` of it as text (``dtype=str``), i.e. what reading
alone costs. The ratio says how much the whole cleaning path (header matching, every value
form, duplicates, quarantine, schema check) costs on top of reading. Peak resident memory
is read with ``resource.getrusage``.

    .venv/bin/python benchmarks/bench_clean.py              # n = 1,000,000
    .venv/bin/python benchmarks/bench_clean.py --n 100000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
import pandas as pd
mode, path = sys.argv[1], Path(sys.argv[2])
t0 = time.perf_counter()
if mode == "baseline":
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    rows = len(frame)
else:
    from sofs_lib.clean_dashboard import clean_dashboard
    result = clean_dashboard(path, export_date=date(2023, 10, 5))
    rows = result.report["rows_in"]
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1e3, "rows": rows}))
"""


def _run(mode: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(path)], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="trajectories (default 1e6)")
    args = parser.parse_args()

    from sofs_lib.synth.dashboard import write_dashboard_export

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dashboard_export.csv"
        write_dashboard_export(path, seed=20231005, n=args.n)
        size_mb = path.stat().st_size / 1e6
        base = _run("baseline", path)
        clean = _run("clean", path)
    print(f"cleaning a {args.n:,}-trajectory CSV ({size_mb:.0f} MB, {clean['rows']:,} data rows)")
    print(f"{'case':<28}{'seconds':>10}{'× baseline':>12}{'peak MB':>10}")
    print(f"{'baseline: read_csv as text':<28}{base['seconds']:>10.2f}{1:>12.1f}{base['peak_mb']:>10.0f}")
    ratio = clean["seconds"] / base["seconds"]
    print(f"{'clean_dashboard':<28}{clean['seconds']:>10.2f}{ratio:>12.1f}{clean['peak_mb']:>10.0f}")


if __name__ == "__main__":
    main()
