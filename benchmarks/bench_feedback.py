"""Benchmark: the feedback for the teams (Opvolglijst + Registratiekwaliteit) per export.

Target: the feedback adds a small fraction to ``sofs release`` — at most 1.5× the cost of
cleaning the export (it re-reads the raw export for the typed cells). Baseline, measured in
the same run on the same file: ``clean_dashboard`` of the export. Times are CPU seconds of
this process (``time.process_time``), so a busy shared machine does not distort them. Printed per size: the
follow-up lists of every organisation, the quality items (which re-read the raw export
and parse its cells with the cleaner's parsers), and both as a ratio to the baseline.

Generated exports (``write_dashboard_export``, CSV, seed fixed) of 370 and 20,000
trajectories; ``--n`` adds sizes.

    .venv/bin/python benchmarks/bench_feedback.py [--n 100000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path


def measure(n: int, folder: Path) -> dict[str, float]:
    from sofs_lib.clean_dashboard import clean_dashboard
    from sofs_lib.feedback import followup, quality
    from sofs_lib.synth.dashboard import write_dashboard_export

    export = date(2026, 6, 30)
    path = folder / f"dashboard_{n}.csv"
    write_dashboard_export(path, seed=3, n=n, export_date=export)
    t0 = time.process_time()
    result = clean_dashboard(path, export_date=export)
    clean = time.process_time() - t0
    t0 = time.process_time()
    lists = followup.by_organisation(result.data, export)
    follow = time.process_time() - t0
    t0 = time.process_time()
    items, _ = quality.assess(path, result, export_date=export)
    check = time.process_time() - t0
    return {"n": n, "clean": clean, "followup": follow, "quality": check,
            "orgs": len(lists), "items": int(items["count"].sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", default=[])
    args = parser.parse_args()
    sizes = [370, 20_000, *args.n]
    from sofs_lib.clean_dashboard import clean_dashboard  # noqa: F401  (import cost outside)
    from sofs_lib.feedback import followup, quality  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        measure(370, Path(tmp))  # warm-up: first-call costs (schema, parsers)
        print(f"{'n':>8} {'clean s':>8} {'followup s':>10} {'quality s':>9} "
              f"{'(f+q)/clean':>11} {'problems':>8}")
        for n in sizes:
            row = measure(n, Path(tmp))
            ratio = (row["followup"] + row["quality"]) / row["clean"]
            print(f"{n:>8} {row['clean']:>8.2f} {row['followup']:>10.2f} {row['quality']:>9.2f} "
                  f"{ratio:>11.2f} {row['items']:>8}")


if __name__ == "__main__":
    main()
