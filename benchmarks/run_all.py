"""Run every benchmark (``make bench``); each prints ratios against its own baseline.

No benchmark asserts a time: they measure and print. Pass ``--quick`` for smaller sizes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    runs = [
        ["bench_synth.py"] + (["--n", "100000"] if quick else []),
        ["bench_clean.py"] + (["--n", "100000"] if quick else []),
        ["bench_indicators.py"] + (["--rows", "370", "100000"] if quick else []),
        ["bench_audit.py"],

        ["bench_release.py"] + (["--rows", "20000"] if quick else []),
        ["bench_dashboard.py"] + (["--apps", "fidelity_app", "profile_app"] if quick else []),
        ["bench_visitors.py"] + (["--visitors", "3", "--repeat", "1"] if quick else []),
        ["bench_downloads.py"] + (["--repeat", "3"] if quick else []),
    ]
    failed = 0
    for script, *args in runs:
        print(f"\n=== {script} {' '.join(args)}".rstrip(), flush=True)
        done = subprocess.run([sys.executable, str(HERE / script), *args])
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
