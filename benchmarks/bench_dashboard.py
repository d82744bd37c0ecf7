"""Benchmark: dashboard app start and control changes, per dashboard and role.

For each dashboard app (``sofs_lib.widgets``) and each role (``publiek``, ``organisatie``
bound to the release's first organisation, ``agentschap``) this builds the app from the
release in use (``sofs release``; built first when stale) exactly as a dashboard kernel
does, then changes each control (except the organisation) to two values not seen before,
timing each change until every panel is redrawn. Selections are new each time, so the
per-app cache of finished panels does not help (a change back to a seen selection is
reported separately).

Baseline, measured in the same process: building an empty page the same way, an
``ipywidgets.VBox`` holding one ``HTML`` and one ``Output``. Printed as seconds and as
ratios to that baseline. Targets (issue 9): first render within 1.5x an empty page served
the same way (measured end to end in ``tests/test_browser.py``) and a control change
<= 300 ms median.

    .venv/bin/python benchmarks/bench_dashboard.py
    .venv/bin/python benchmarks/bench_dashboard.py --apps fidelity_app --roles agentschap
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import ipywidgets as W

from sofs_lib import access, widgets
from sofs_lib.release import store

APPS = ("fidelity_app", "partnership_app", "plan_b_app", "trends_app", "profile_app")
ROLES = (access.PUBLIC, access.ORGANISATION, access.AGENCY)


def baseline(repeat: int = 25) -> float:
    """Median seconds to build an empty page: a VBox with one HTML and one Output."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = W.Output()
        box = W.VBox([W.HTML("<h3>leeg</h3>"), out])
        with out:
            pass
        times.append(time.perf_counter() - t0)
        box.close()
    return statistics.median(times)


def identity(role: str, manifest: dict) -> access.Identity:
    org = manifest["organisations"][0] if role == access.ORGANISATION else None
    return access.Identity(f"bench-{role}", role, org)


def measure(app_name: str, who: access.Identity) -> dict:
    t0 = time.perf_counter()
    app = getattr(widgets, app_name)(identity=who)
    start = time.perf_counter() - t0
    defaults = {f: d.value for f, d in app.controls.items() if f != "organisation"}
    changes = []
    for field, dropdown in app.controls.items():
        if field == "organisation":
            continue
        for _label, value in list(dropdown.options)[1:3]:
            t0 = time.perf_counter()
            app.select(**{field: value})
            changes.append(time.perf_counter() - t0)
            app.select(**{field: defaults[field]})  # back to a seen selection, not timed
    t0 = time.perf_counter()
    app.select(**defaults)
    seen = time.perf_counter() - t0
    return {"start": start, "changes": changes, "seen": seen, "panels": len(app.panels)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", nargs="+", default=list(APPS), choices=APPS)
    parser.add_argument("--roles", nargs="+", default=list(ROLES), choices=ROLES)
    args = parser.parse_args()

    t0 = time.perf_counter()
    folder = store.ensure_release()
    print(f"release ready in {time.perf_counter() - t0:.2f} s ({folder})")
    manifest = json.loads((folder / store.MANIFEST).read_text())
    widgets.fidelity_app(identity=access.Identity("bench", access.PUBLIC))  # imports, fonts
    base = baseline()
    print(f"baseline (empty VBox + Output): {base * 1000:.1f} ms")
    print(f"{'dashboard':<16} {'role':<12} {'panels':>6} {'start s':>8} {'x base':>8} "
          f"{'change ms (median)':>19} {'x base':>8} {'seen ms':>8}")
    medians = []
    for app_name in args.apps:
        for role in args.roles:
            if app_name == "profile_app" and role != access.PUBLIC:
                continue  # the Binc profile is the same Flemish slice for every role
            result = measure(app_name, identity(role, manifest))
            median = statistics.median(result["changes"]) if result["changes"] else 0.0
            medians.append(median)
            print(f"{app_name:<16} {role:<12} {result['panels']:>6} {result['start']:>8.2f} "
                  f"{result['start'] / base:>8.0f} {median * 1000:>19.0f} "
                  f"{median / base:>8.0f} {result['seen'] * 1000:>8.0f}", flush=True)
    if medians:
        print(f"median control change over all: {statistics.median(medians) * 1000:.0f} ms "
              f"(target <= 300 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
