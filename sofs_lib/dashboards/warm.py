"""What a pooled dashboard kernel does before any visitor arrives: code, no data.

A pooled kernel (``sofs_lib.server.kernels.SofsKernelManager``) belongs to nobody until a
signed-in page takes it; then the page binds it to that visitor and the dashboard's cells load
that visitor's release slice. Whatever the first page would otherwise pay for *code* is done
here beforehand (``pool_warm_code`` in ``dashboards/voila.json`` calls :func:`warm_up`):

- importing the modules an app imports only when it is built (the release store, the
  feedback lists, the app framework, the SVG charts...);
- loading babel's nl-BE number formats;
- drawing one throw-away SVG chart of each kind and formatting placeholder values;
- moving every object made so far (modules, classes, caches: they live as long as the
  kernel) out of the garbage collector's reach (``gc.freeze``). A full collection during a
  visitor's redraw then scans only what the page made: about 43,000 objects instead of
  112,000 in a Modelgetrouwheid kernel, and none of the 100–160 ms full collections that
  hit one organisation change in twenty before.

Nothing here reads an export, a release or an identity: :func:`warm_up` refuses to run in a
kernel that is already bound (a page's kernel), so it can never touch a visitor's figures.
"""

from __future__ import annotations

import gc
import importlib
import logging

log = logging.getLogger(__name__)

#: Imported by an app only when it is built (``apps.build_app`` and what it calls).
MODULES = (
    "sofs_lib.release",
    "sofs_lib.release.store",
    "sofs_lib.release.impact_measures",
    "sofs_lib.feedback",
    "sofs_lib.disclosure",
    "sofs_lib.datasets",
    "sofs_lib.kerndataset",
    "sofs_lib.kerndataset.clean",
    "sofs_lib.kerndataset.data",
    "sofs_lib.kerndataset.instrument",
    "sofs_lib.synth",
    "sofs_lib.dashboards.app",
    "sofs_lib.dashboards.charts",
    "sofs_lib.dashboards.controls",
    "sofs_lib.dashboards.navigation",
    "sofs_lib.dashboards.panel",
    "sofs_lib.dashboards.registry",
    "sofs_lib.dashboards.style",
    "sofs_lib.dashboards.tables",
)


def _placeholder_charts() -> list:
    """One chart of each kind from made-up values (labels say so; never shown)."""
    import pandas as pd

    from sofs_lib.dashboards.spec import ChartSpec

    bars = pd.DataFrame(
        {
            "item": ["a", "a", "b", "b"],
            "group": ["x", "y", "x", "y"],
            "role": ["own", "flanders", "own", "flanders"],
            "value": [0.25, 0.5, float("nan"), 0.75],
            "n": [4, 8, 0, 12],
            "hidden": [False, False, True, False],
        }
    )
    lines = bars.rename(columns={"item": "x"})
    ranges = pd.DataFrame(
        {
            "group": ["x", "y"],
            "role": ["own", "flanders"],
            "n": [10, 20],
            "mean": [4.5, 5.5],
            "sd": [1.0, 2.0],
            "median": [4.0, 5.0],
            "min": [1.0, 2.0],
            "max": [9.0, 11.0],
            "hidden": [False, False],
        }
    )
    return [
        ChartSpec("bars", "warm-up", bars, "pct"),
        ChartSpec("lines", "warm-up", lines, "int"),
        ChartSpec("ranges", "warm-up", ranges, "dec1", guideline=(4.0, 8.0)),
    ]


def warm_up() -> None:
    """Import, load and draw once what the first page would otherwise wait for (no data,
    no identity). Failures are logged and ignored: a cold kernel still works."""
    from sofs_lib import access

    if access.current() not in (access.LOCAL, access.UNBOUND_SERVED):
        raise PermissionError("warm_up runs only in a kernel not bound to anyone")
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional part must not stop the pool
            log.warning("warm-up: cannot import %s", name, exc_info=True)
    try:
        from sofs_lib.dashboards.charts import render_svg
        from sofs_lib.dashboards.spec import format_value

        for chart in _placeholder_charts():
            render_svg(chart)
        for fmt in ("pct", "int", "dec1"):
            format_value(0.125, fmt)
    except Exception:
        log.warning("warm-up: drawing the placeholder charts failed", exc_info=True)
    gc.collect()  # the warm-up's own garbage first: a frozen cycle is never collected
    gc.freeze()


__all__ = ["MODULES", "warm_up"]
