"""Benchmark: building the release (every panel × every selection × every role, audited).

Times :func:`sofs_lib.release.build_release` (dashboard cube, suppression and attack; no
files) on the committed synthetic set and on generated cleaned frames of ``--rows``
trajectories, against a baseline measured in the same run on the same frame: one
``groupby`` of the four control columns with ``size()``. Prints seconds and the ratio.
Target (issue 9): under 60 s at 100,000 trajectories.

    .venv/bin/python benchmarks/bench_release.py                # synthetic set and 100,000
    .venv/bin/python benchmarks/bench_release.py --rows 20000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_indicators import cleaned_frame  # noqa: E402

from sofs_lib import datasets  # noqa: E402
from sofs_lib.indicators.derive import add_derived  # noqa: E402
from sofs_lib.release import build_release  # noqa: E402

DIMS = ["organisation", "closing_year", "status", "case_type"]


def run(label: str, frame) -> None:
    derived = add_derived(frame)
    t0 = time.perf_counter()
    derived.groupby(DIMS, dropna=False).size()
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    release = build_release(derived, min_cell=5, binc=False)
    seconds = time.perf_counter() - t0
    audit = release.dashboard_pattern.audit
    cells = len(release.dashboard.cube.cells)
    print(
        f"{label:32s} {seconds:8.2f} s   {seconds / base:10.0f} × baseline ({base:.4f} s)   "
        f"{cells} cells × {len(release.dashboard.registry.quantities)} quantities, "
        f"secondary {audit.get('vlaanderen', {}).get('secondary', 0)}"
        f"+{audit.get('agentschap', {}).get('secondary', 0)}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000])
    args = parser.parse_args(argv)
    print("release build (dashboard cube, all roles, audited), best of 1")
    run("committed synthetic set", datasets.load_dashboard())
    for n in args.rows:
        run(f"generated, {n:,} trajectories", cleaned_frame(n))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
