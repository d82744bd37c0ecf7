"""Set-up time from a fresh clone: the locked install against the unlocked pip install.

    .venv/bin/python benchmarks/bench_install.py [--dashboards] [--skip-baseline]

Clones this repository's HEAD into temporary folders and times, each with its own empty
package cache unless said otherwise:

- ``locked, cold``: ``make install`` (the pinned uv from PyPI, then ``uv sync --locked``),
  with an empty ``XDG_CACHE_HOME`` (uv's and pip's caches, the pinned uv);
- ``locked, warm``: the same in a second fresh clone, that cache kept from the first;
- ``baseline``: the recipe before the lock, ``python -m venv .venv`` and
  ``pip install -e ".[dev]"``, empty pip cache.

``--dashboards`` times ``make dashboards`` until the landing page answers instead of
``make install`` (the server is stopped after; no baseline: the old recipe is gone from the
Makefile). Wall time depends on what else the machine
runs, so the baseline is measured in the same run and the ratios are what to compare; CPU
seconds (user + system of the children) are printed beside. Downloads several hundred MB
from PyPI; not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clone(parent: Path, name: str) -> Path:
    target = parent / name
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    return target


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def _until_landing_page(cmd: list[str], cwd: Path, env: dict[str, str], port: int) -> None:
    log = open(cwd / "bench-dashboards.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        while True:
            if server.poll() is not None:
                sys.exit(f"{' '.join(cmd)} stopped; see {cwd / 'bench-dashboards.log'}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


def measure(
    label: str,
    clone: Path,
    steps: list[list[str]],
    env: dict[str, str],
    dashboards_port: int | None,
) -> tuple[str, float, float]:
    start_wall, start_cpu = time.perf_counter(), _cpu()
    for i, step in enumerate(steps):
        if dashboards_port is not None and i == len(steps) - 1:
            _until_landing_page(step, clone, env, dashboards_port)
        else:
            _run(step, clone, env)
    wall, cpu = time.perf_counter() - start_wall, _cpu() - start_cpu
    print(f"{label:<16} {wall:7.1f} s wall {cpu:7.1f} s CPU", flush=True)
    return label, wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboards", action="store_true", help="until the landing page answers")
    parser.add_argument("--skip-baseline", action="store_true", help="locked install only")
    args = parser.parse_args()
    python = os.environ.get("PYTHON", "python3")
    results = []
    with tempfile.TemporaryDirectory(prefix="sofs-bench-install-") as tmp:
        tmp_path = Path(tmp)
        drop = ("UV", "VIRTUAL_ENV", "UV_CACHE_DIR", "PIP_CACHE_DIR", "XDG_CACHE_HOME")
        base_env = {k: v for k, v in os.environ.items() if k not in drop}
        # One empty per-user cache (uv's and pip's packages, the pinned uv) for both runs.
        locked_env = {**base_env, "XDG_CACHE_HOME": str(tmp_path / "cache")}

        def target(env: dict[str, str]) -> tuple[list[str], int | None]:
            if not args.dashboards:
                return ["make", "install"], None
            port = _free_port()
            env["VOILA_PORT"] = str(port)
            return ["make", "dashboards", f"VOILA_PORT={port}"], port

        what = "make dashboards" if args.dashboards else "make install"
        print(
            f"fresh clone of {ROOT.name} HEAD, {what}; {os.cpu_count()} cores, "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        for label in ("locked, cold", "locked, warm"):
            clone = _clone(tmp_path, label.replace(", ", "-"))
            step, port = target(locked_env)
            results.append(measure(label, clone, [step], locked_env, port))
        if not args.skip_baseline and not args.dashboards:
            clone = _clone(tmp_path, "baseline")
            env = {**base_env, "XDG_CACHE_HOME": str(tmp_path / "cache-baseline")}
            steps = [
                [python, "-m", "venv", ".venv"],
                [".venv/bin/python", "-m", "pip", "install", "--quiet", "-e", ".[dev]"],
            ]
            results.append(measure("baseline (pip)", clone, steps, env, None))
    if not args.skip_baseline and not args.dashboards:
        base_wall, base_cpu = results[-1][1], results[-1][2]
        for label, wall, cpu in results[:-1]:
            print(
                f"{label:<16} {base_wall / wall:5.1f}x faster than the baseline "
                f"(CPU {base_cpu / cpu:4.1f}x)"
            )
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
