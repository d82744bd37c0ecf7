"""Benchmark: indicator functions on 370 and 1,000,000 trajectories.

Builds a cleaned dashboard frame (contract columns and dtypes) with numpy — no cleaner,
no files — and times the indicators against a baseline measured in the same run on the
same frame: a plain ``df.groupby("organisation")[<numeric columns>].mean()``. Prints
seconds (best of ``--repeat``) and the ratio to the baseline, so the numbers compare
across machines.

    .venv/bin/python benchmarks/bench_indicators.py            # 370 and 1,000,000 rows
    .venv/bin/python benchmarks/bench_indicators.py --rows 100000
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from sofs_lib import indicators as ind
from sofs_lib.catalogue import CASE_TYPES, STEP_KEYS


def cleaned_frame(n: int, seed: int = 20231005) -> pd.DataFrame:
    """A synthetic cleaned dashboard frame of ``n`` rows (vectorised, deterministic)."""
    rng = np.random.default_rng(seed)
    day0 = np.datetime64("2021-05-01")
    start_days = rng.integers(0, 800, n)
    start = day0 + start_days.astype("timedelta64[D]")
    closed = rng.random(n) < 0.64
    duration = rng.integers(60, 600, n)
    end = np.where(closed, start + duration.astype("timedelta64[D]"), np.datetime64("NaT"))

    def dates(p_missing: float, low: int, high: int) -> np.ndarray:
        offset = rng.integers(low, high, n).astype("timedelta64[D]")
        return np.where(rng.random(n) < p_missing, np.datetime64("NaT"), start + offset)

    def flag(p_true: float, p_na: float) -> pd.Series:
        values = pd.Series(rng.random(n) < p_true, dtype="boolean")
        return values.mask(rng.random(n) < p_na)

    data: dict[str, object] = {
        "organisation": pd.Series(
            np.char.add("org", rng.integers(1, 21, n).astype(str)), dtype="str"
        ),
        "trajectory_id": pd.Series(np.arange(n).astype(str), dtype="str"),
        "start_date": pd.Series(start, dtype="datetime64[s]"),
        "consulent_start_date": pd.Series(dates(0.3, -30, 60), dtype="datetime64[s]"),
        "end_date": pd.Series(end, dtype="datetime64[s]"),
        "status": pd.Series(np.where(closed, "closed", "open"), dtype="str"),
        "case_type": pd.Series(rng.choice(list(CASE_TYPES), n), dtype="str"),
        "network_size": pd.array(rng.integers(0, 13, n), dtype="Int64"),
        "network_meetings": pd.Series(rng.integers(0, 20, n), dtype="Int64").mask(
            rng.random(n) < 0.3
        ),
        "network_meeting_held": flag(0.85, 0.1),
        "plan_b": pd.Series(rng.choice(["network", "residential", None], n), dtype="str"),
        "plan_b_active": flag(0.47, 0.2),
        "plan_b_active_date": pd.Series(dates(0.6, -150, 450), dtype="datetime64[s]"),
    }
    for key in STEP_KEYS:
        data[f"{key}_taken"] = flag(0.75, 0.05)
        data[f"{key}_date"] = pd.Series(dates(0.2, -90, 600), dtype="datetime64[s]")
        data[f"{key}_cb"] = flag(0.9, 0.0).fillna(False)
        data[f"{key}_consulent"] = flag(0.3, 0.0).fillna(False)
    data["source_row"] = pd.array(np.arange(2, n + 2), dtype="Int64")
    return pd.DataFrame(data)


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run(n: int, repeat: int) -> list[tuple[str, float]]:
    df = cleaned_frame(n)
    numeric = ["network_size", "network_meetings"]
    derived = ind.add_derived(df)
    cases: list[tuple[str, Callable[[], object]]] = [
        (
            "baseline groupby(organisation).mean()",
            lambda: df.groupby("organisation")[numeric].mean(),
        ),
        ("add_derived", lambda: ind.add_derived(df)),
        ("headline", lambda: ind.headline(df)),
        ("headline by organisation", lambda: ind.headline(df, by=["organisation"])),
        ("step_rates by status", lambda: ind.step_rates(derived, by=["status"])),
        ("step_presence by organisation", lambda: ind.step_presence(derived, by=["organisation"])),
        (
            "months_to_steps by organisation",
            lambda: ind.months_to_steps(derived, by=["organisation"]),
        ),
        (
            "plan_b_at_start by organisation",
            lambda: ind.plan_b_at_start(derived, by=["organisation"]),
        ),
        ("trends (tables + tests)", lambda: ind.trends(derived)),
    ]
    return [(name, best_of(fn, repeat)) for name, fn in cases]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[370, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    ind.trends(cleaned_frame(400))  # warm-up: imports scipy/statsmodels once
    for n in args.rows:
        results = run(n, args.repeat)
        base = results[0][1]
        print(f"\nindicators, {n:,} rows (best of {args.repeat})")
        print(f"{'case':40s} {'seconds':>9s} {'× baseline':>11s}")
        for name, seconds in results:
            print(f"{name:40s} {seconds:9.4f} {seconds / base:11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
