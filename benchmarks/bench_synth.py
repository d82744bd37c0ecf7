"""Benchmark: the synthetic dashboard export at n = 1,000,000 trajectories.

Times ``write_dashboard_export`` (simulation + Belgian CSV) and reads its peak resident
memory (``resource.getrusage``), each run in a fresh Python process so that one run's
memory does not hide in the next. The baseline is measured in the same run: the same call
at n = 10,000, scaled linearly by ``n / 10,000``; a time ratio near 1 means the generator
scales linearly. Absolute numbers are printed too (budget at n = 1,000,000: < 60 s and
< 4 GB).

    .venv/bin/python benchmarks/bench_synth.py                 # 10,000 and 1,000,000
    .venv/bin/python benchmarks/bench_synth.py --n 200000      # a smaller run
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BASELINE_N = 10_000

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from sofs_lib.synth.dashboard import write_dashboard_export
n, path = int(sys.argv[1]), Path(sys.argv[2])
write_dashboard_export(path.with_name("warmup.csv"), seed=1, n=2000)  # imports, date tables
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
write_dashboard_export(path, seed=20231005, n=n)
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1e3, "start_mb": base / 1e3,
                  "file_mb": path.stat().st_size / 1e6}))
"""


def measure(n: int, folder: Path) -> dict[str, float]:
    """Seconds, peak resident memory (MB) and file size (MB) of one export of ``n`` rows."""
    path = folder / f"dashboard_{n}.csv"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(n), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    path.unlink(missing_ok=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="trajectories (default 1e6)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = measure(BASELINE_N, Path(tmp))
        run = measure(args.n, Path(tmp))
    scale = args.n / BASELINE_N
    for name, m, n in (("baseline", base, BASELINE_N), ("run", run, args.n)):
        print(
            f"{name:8s} n = {n:>9,}: {m['seconds']:7.2f} s, peak RSS {m['peak_mb']:6.0f} MB "
            f"(after imports {m['start_mb']:.0f} MB), file {m['file_mb']:.1f} MB"
        )
    time_ratio = run["seconds"] / (base["seconds"] * scale)
    per_k = 1e3 * (run["peak_mb"] - run["start_mb"]) / args.n
    print(f"time ratio:   run / (baseline x {scale:,.0f}) = {time_ratio:.2f}")
    print(f"memory ratio: peak RSS run / baseline = {run['peak_mb'] / base['peak_mb']:.1f}")
    print(f"memory per 1,000 trajectories above the imports: {per_k:.2f} MB")
    ok_time = "ok" if run["seconds"] < 60 else "OVER"
    ok_mem = "ok" if run["peak_mb"] < 4000 else "OVER"
    print(f"budget at n = {args.n:,}: < 60 s {ok_time}; < 4 GB {ok_mem}")


if __name__ == "__main__":
    main()
