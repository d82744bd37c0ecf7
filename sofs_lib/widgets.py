"""Old import path of the dashboard framework; everything moved to :mod:`sofs_lib.dashboards`.

Kept as a thin re-export so panels written against ``sofs_lib.widgets`` keep working; new
code imports from ``sofs_lib.dashboards`` (see its docstring for what lives where).

The apps show the release slice of the signed-in identity (``access.current()`` in a
dashboard kernel), never row-level data.
"""

from __future__ import annotations

from sofs_lib.dashboards.app import DashboardApp, downloads_html
from sofs_lib.dashboards.apps import (
    BINC_CONTROLS,
    SYNTHETIC_NOTE,
    Definition,
    dashboard_release,
    fidelity_app,
    partnership_app,
    plan_b_app,
    profile_app,
    source_note,
    trends_app,
)
from sofs_lib.dashboards.lookups import (
    GROUP,
    HIDDEN_SELECTION_MESSAGE,
    OTHERS_LABEL,
    dist_rows,
    n_text,
    released_count,
    selection_message,
    share_rows,
)
from sofs_lib.dashboards.panel import Panel, Rendered
from sofs_lib.dashboards.panels import (
    EMPTY_MESSAGE,
    ERROR_MESSAGE,
    LOAD_ERROR_MESSAGE,
    PLAN_B_LABELS,
    PanelOutput,
    PanelSpec,
    binc_share_panel,
    cell_inputs,
    distribution_panel,
    share_panel,
    trend_mean_panel,
    trend_share_panel,
)
from sofs_lib.dashboards.selection import (
    ALL,
    DASHBOARD_CONTROLS,
    ORGANISATIONS_ENV,
    ControlSpec,
    Selection,
    View,
    control_options,
    visible_organisations,
)

_cell_inputs = cell_inputs
_dashboard_release = dashboard_release

__all__ = [
    "ALL", "BINC_CONTROLS", "DASHBOARD_CONTROLS", "EMPTY_MESSAGE", "ERROR_MESSAGE", "GROUP",
    "HIDDEN_SELECTION_MESSAGE", "LOAD_ERROR_MESSAGE", "ORGANISATIONS_ENV", "OTHERS_LABEL",
    "PLAN_B_LABELS", "SYNTHETIC_NOTE", "ControlSpec", "DashboardApp", "Definition", "Panel",
    "PanelOutput", "PanelSpec", "Rendered", "Selection", "View", "binc_share_panel",
    "cell_inputs", "control_options", "dist_rows", "distribution_panel", "downloads_html",
    "fidelity_app", "n_text", "partnership_app", "plan_b_app", "profile_app",
    "released_count", "selection_message", "share_panel", "share_rows", "source_note",
    "trend_mean_panel", "trend_share_panel", "trends_app", "visible_organisations",
]
