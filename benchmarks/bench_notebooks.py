"""Benchmark: the six research notebooks on an export of 2,500 trajectories.

Generates a later export (``sofs synth --n 2500 --export-date 2025-10-01``, manifest
removed, as a real export arrives), points the notebooks at it with ``SOFS_DATA_DIR``
and executes the whole collection with ``sofs_lib.notebook_run`` (``-j`` kernels at once,
default 2 on this 2-core machine). Baseline, measured in the same run: a bare kernel
start — starting a ``python3`` kernel, running one empty cell and shutting it down — as
many times as there are notebooks, with the same parallelism. The ratio says what the
analyses cost on top of what any notebook collection pays for its kernels.

The collection runs three times: with the cache of cleaned exports off (``SOFS_CACHE=0``:
every kernel cleans the exports itself), with the cache on but empty (the first run on a
new export), and again with the cache warm (every later run).

    .venv/bin/python benchmarks/bench_notebooks.py            # n = 2,500
    .venv/bin/python benchmarks/bench_notebooks.py --n 500 -j 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sofs_lib import config  # noqa: E402
from sofs_lib.notebook_run import KERNEL_NAME, run_notebook  # noqa: E402
from sofs_lib.synth import write_synthetic  # noqa: E402


def _bare_kernel() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=120).execute()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2500)
    parser.add_argument("-j", type=int, default=2)
    args = parser.parse_args()
    notebooks = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        written = write_synthetic(
            tmp / "gen", seed=1, n_dashboard=args.n, export_date=date(2025, 10, 1)
        )
        real = tmp / "export"
        real.mkdir()
        for name, path in written.items():  # the exports and the kerndataset, no manifest
            if name != "manifest":
                shutil.copy(path, real / path.name)
        os.environ.update(
            SOFS_DATA_DIR=str(real),
            SOFS_EXPORT_DATE="2025-10-01",
            SOFS_BINC_EXPORT_DATE="2025-06-02",
        )

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.j) as pool:
            list(pool.map(lambda _: _bare_kernel(), notebooks))
        baseline = time.perf_counter() - t0

        runs = {}
        for label, cache in (("cache off", "0"), ("cache cold", "1"), ("cache warm", "1")):
            os.environ["SOFS_CACHE"] = cache
            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.j) as pool:
                results = list(
                    pool.map(lambda nb: run_notebook(nb, out_dir=tmp / "out"), notebooks)
                )
            runs[label] = (time.perf_counter() - t0, results)
            cached = sorted(p.name.split("-")[0] for p in (real / ".sofs-cache").glob("*.pkl"))
            print(f"{label}: {time.perf_counter() - t0:.1f} s, cache entries {cached}", flush=True)
    print(f"notebooks: {len(notebooks)} on {args.n:,} trajectories, {args.j} kernel(s) at once")
    print(f"bare kernel starts ({len(notebooks)}x): {baseline:6.1f} s")
    failed = []
    off = runs["cache off"][0]
    for label, (total, results) in runs.items():
        print(
            f"notebook collection, {label:<10}: {total:6.1f} s  "
            f"({total / baseline:.1f}x the bare kernels, {total / off:.2f}x cache off)"
        )
        for r in results:
            status = "" if r.ok else "  FAILED: " + str(r.error)
            print(f"  {r.source.name}: {r.seconds:5.1f} s{status}")
        failed += [r.source.name for r in results if not r.ok]
    print("target: the collection under 60 s on a 2-core machine")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
