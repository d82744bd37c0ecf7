"""Benchmark: dashboard app start, control changes and chart rendering, per dashboard and role.

For each dashboard of the registry (``sofs_lib.dashboards.registry``) and each role
(``publiek``, ``organisatie`` bound to the release's first organisation, ``agentschap``) this
builds the app from the release in use (``sofs release``; built first when stale) exactly as
a dashboard kernel does, then changes each control (except the organisation) to two values
not seen before, timing each change until every panel is redrawn (in the kernel; the browser
test measures until the page settles). Selections are new each time, so the per-app cache
of finished panels does not help (a change back to a seen selection is reported separately).

Baselines, measured in the same process:
- an empty page built the same way (an ``ipywidgets.VBox`` holding one ``HTML`` and one
  ``Output``): app start is printed as a ratio to it;
- the 300 ms target of a control change (issue 9): the median change as a ratio to it;
- every chart the apps drew, rendered again as SVG (`charts.py`, what the dashboards show) and as
  a PNG with matplotlib (``sofs_lib.figures``, what the dashboards drew before): ms per chart
  and the ratio.

    .venv/bin/python benchmarks/bench_dashboard.py
    .venv/bin/python benchmarks/bench_dashboard.py --dashboards modelgetrouwheid --roles agentschap
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import ipywidgets as W
import pandas as pd

from sofs_lib import access
from sofs_lib.dashboards import registry
from sofs_lib.dashboards.charts import render_svg
from sofs_lib.release import store

ROLES = (access.PUBLIC, access.ORGANISATION, access.AGENCY)
TARGET_CHANGE_S = 0.300


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


def measure(key: str, who: access.Identity, charts: list) -> dict:
    t0 = time.perf_counter()
    app = registry.get(key).factory()(identity=who)
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
    for rendered in app._cache.values():
        if rendered.output.chart is not None:
            charts.append(rendered.output.chart)
    return {"start": start, "changes": changes, "seen": seen, "panels": len(app.panels)}


def matplotlib_png(chart) -> bytes:
    """The same chart the way the dashboards drew it before: sofs_lib.figures to PNG."""
    from sofs_lib import downloads, figures

    data = chart.data
    if chart.kind == "bars":
        frame = pd.DataFrame({"item": data["item"], "group": data["group"], "share": data["value"],
                              "denominator": data["n"], "numerator": data["value"] * data["n"],
                              "suppressed": data["hidden"]})
        fig = figures.share_bars(frame, "item", hue="group", title=chart.title,
                                 order=list(pd.unique(data["item"])),
                                 hue_order=list(pd.unique(data["group"])))
    elif chart.kind == "lines":
        frame = pd.DataFrame({"x": data["x"], "group": data["group"], "share": data["value"],
                              "denominator": data["n"], "numerator": data["value"] * data["n"],
                              "suppressed": data["hidden"]})
        fig = figures.trend_shares(frame, title=chart.title, x="x", hue="group")
    else:
        fig = figures.summary_ranges(data.drop(columns=["role", "hidden"]), "group", title=chart.title)
    return downloads.figure_png_bytes(fig)


def chart_times(charts: list, limit: int = 40) -> tuple[float, float]:
    """Median ms per chart: SVG and PNG (matplotlib), the same charts."""
    sample = charts[:limit]
    svg, png = [], []
    matplotlib_png(sample[0])  # imports and fonts, not timed
    for chart in sample:
        t0 = time.perf_counter()
        render_svg(chart)
        svg.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        try:
            matplotlib_png(chart)
        except Exception:  # a spec the old figures cannot draw: not compared
            svg.pop()
            continue
        png.append((time.perf_counter() - t0) * 1000)
    return statistics.median(svg), statistics.median(png)


def main() -> int:
    keys = [d.key for d in registry.DASHBOARDS if d.definition_ref]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboards", nargs="+", default=keys, choices=keys)
    parser.add_argument("--roles", nargs="+", default=list(ROLES), choices=ROLES)
    args = parser.parse_args()

    t0 = time.perf_counter()
    folder = store.ensure_release()
    print(f"release ready in {time.perf_counter() - t0:.2f} s ({folder})")
    manifest = json.loads((folder / store.MANIFEST).read_text())
    registry.get(keys[0]).factory()(identity=access.Identity("bench", access.PUBLIC))  # imports
    base = baseline()
    print(f"baseline (empty VBox + Output): {base * 1000:.1f} ms; change target "
          f"{TARGET_CHANGE_S * 1000:.0f} ms")
    print(f"{'dashboard':<18} {'role':<12} {'panels':>6} {'start s':>8} {'x empty':>8} "
          f"{'change ms (median)':>19} {'x target':>9} {'seen ms':>8}")
    medians, charts = [], []
    for key in args.dashboards:
        for role in args.roles:
            result = measure(key, identity(role, manifest), charts)
            median = statistics.median(result["changes"]) if result["changes"] else 0.0
            medians.append(median)
            print(f"{key:<18} {role:<12} {result['panels']:>6} {result['start']:>8.2f} "
                  f"{result['start'] / base:>8.0f} {median * 1000:>19.0f} "
                  f"{median / TARGET_CHANGE_S:>9.2f} {result['seen'] * 1000:>8.0f}", flush=True)
    if medians:
        overall = statistics.median(medians)
        print(f"median control change over all: {overall * 1000:.0f} ms = "
              f"{overall / TARGET_CHANGE_S:.2f} x the 300 ms target (in the kernel)")
    if charts:
        svg_ms, png_ms = chart_times(charts)
        print(f"per chart (median of {min(len(charts), 40)}): SVG {svg_ms:.1f} ms, matplotlib PNG "
              f"{png_ms:.1f} ms, ratio SVG/PNG {svg_ms / png_ms:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
