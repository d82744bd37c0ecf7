"""Dashboards (served by Voila): the framework, the panels, the apps and their registry.

- :mod:`.spec` — the contract between panels, on-screen charts and downloads;
- :mod:`.selection`, :mod:`.lookups`, :mod:`.panels`, :mod:`.sentences` — from the release
  slice to what a panel shows, as data (no widgets; the download handler uses them);
- :mod:`.charts` (SVG), :mod:`.tables` (HTML), :mod:`.style` (CSS);
- one composite widget per file: :mod:`.panel`, :mod:`.controls`, :mod:`.headline`,
  :mod:`.navigation`, :mod:`.app` (the :class:`DashboardApp`);
- :mod:`.apps` — the five dashboards; :mod:`.registry` — the one list of dashboards and
  :func:`~.registry.resolve_panel` for the downloads.

Names are imported lazily, so ``import sofs_lib.dashboards.registry`` (the server) loads no
widget code.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "ALL": "selection",
    "Selection": "selection",
    "View": "selection",
    "ControlSpec": "selection",
    "PanelSpec": "panels",
    "PanelOutput": "panels",
    "share_panel": "panels",
    "distribution_panel": "panels",
    "trend_share_panel": "panels",
    "trend_mean_panel": "panels",
    "binc_share_panel": "panels",
    "cell_inputs": "panels",
    "EMPTY_MESSAGE": "panels",
    "ERROR_MESSAGE": "panels",
    "LOAD_ERROR_MESSAGE": "panels",
    "n_text": "lookups",
    "selection_message": "lookups",
    "share_rows": "lookups",
    "dist_rows": "lookups",
    "released_count": "lookups",
    "OTHERS_LABEL": "lookups",
    "GROUP": "lookups",
    "DashboardApp": "app",
    "Panel": "panel",
    "HeadlineSpec": "headline",
    "Definition": "apps",
    "fidelity_app": "apps",
    "partnership_app": "apps",
    "plan_b_app": "apps",
    "trends_app": "apps",
    "profile_app": "apps",
    "build_app": "apps",
    "source_note": "apps",
    "render_svg": "charts",
    "resolve_panel": "registry",
    "DASHBOARDS": "registry",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'sofs_lib.dashboards' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"sofs_lib.dashboards.{module}"), name)
    globals()[name] = value
    return value
