"""Benchmark: auditing the whole evaluation report (about 10,800 lines) with ``sofs audit``.

Target: under 10 seconds on the 2-core machine. Each step runs in a fresh process, beside a
baseline measured in the same run on the same file: reading the text and splitting it into
lines and sentences (``parse.read_document`` + ``Document.sentences``), i.e. what looking at
the text alone costs. Printed: the audit itself (all rules, text in memory), the whole CLI
run (imports, reading, rules, CSV + HTML) and both as a ratio to the baseline.

The report is found as the tests find it (``SOFS_REPORT_TEXT`` or ``../shared/seed``); when
it is absent, the committed excerpts are repeated to the report's length.

    .venv/bin/python benchmarks/bench_audit.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, sys, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
from sofs_lib.audit.parse import read_document
if mode == "baseline":
    t0 = time.perf_counter()
    doc = read_document(path)
    n = len(doc.sentences)
    seconds = time.perf_counter() - t0
else:
    from sofs_lib.audit import audit_files
    t0 = time.perf_counter()
    result = audit_files([path])
    n = len(result.findings)
    seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "n": n, "lines": len(read_document(path).lines)}))
"""


def _report_text(tmp: Path) -> tuple[Path, str]:
    sys.path.insert(0, str(ROOT))
    from sofs_lib import config

    path = config.report_text_path()
    if path.exists():
        return path, "the evaluation report"
    excerpt = (ROOT / "tests" / "data" / "audit" / "seed_excerpts.txt").read_text("utf-8")
    lines = excerpt.splitlines()
    text = "\n".join((lines * (10_800 // len(lines) + 1))[:10_800])
    out = tmp / "report.txt"
    out.write_text(text, "utf-8")
    return out, "committed excerpts repeated to 10,800 lines (report text not found)"


def _child(mode: str, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path, what = _report_text(Path(tmp))
        base = _child("baseline", path)
        audit = _child("audit", path)
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sofs_lib",
                "audit",
                str(path),
                "--figures",
                "--out",
                str(Path(tmp) / "out"),
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        cli = time.perf_counter() - t0
    print(f"text: {what}, {base['lines']} lines")
    print(f"baseline (read + split into lines and sentences): {base['seconds']:.3f} s")
    print(
        f"audit, all rules ({audit['n']} statements checked): {audit['seconds']:.2f} s "
        f"= {audit['seconds'] / base['seconds']:.0f}x baseline"
    )
    print(
        f"sofs audit --figures --out (whole CLI run incl. imports): {cli:.2f} s "
        f"= {cli / base['seconds']:.0f}x baseline (target < 10 s)"
    )


if __name__ == "__main__":
    main()
