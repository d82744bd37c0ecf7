"""Shortcuts taken for speed give the results of the long way round."""

from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest

from sofs_lib import calibration, datasets
from sofs_lib.clean_binc import join_sorted_groups

#: The themes the notebooks compare with the report (their ``report_comparison`` calls).
THEMES = [
    ("dash_organisations", "dash_orgs_without_consulent", "dash_cb_", "dash_consulent_"),
    ("dash_closed_20", "dash_trend"),
    ("dash_plan_b",),
    ("dash_mw", "dash_logit", "dash_duration"),
]


@pytest.fixture(scope="module")
def dashboard() -> pd.DataFrame:
    return datasets.load_dashboard()


@pytest.fixture(scope="module")
def every_figure(dashboard) -> dict:
    return calibration.dashboard_figures(dashboard)


def _same(a: calibration.Figure, b: calibration.Figure) -> bool:
    def eq(x: float, y: float) -> bool:
        return x == y or (math.isnan(x) and math.isnan(y))

    return (
        eq(a.value, b.value)
        and eq(a.p_value, b.p_value)
        and (a.direction_ok, a.computable, a.detail) == (b.direction_ok, b.computable, b.detail)
    )


@pytest.mark.parametrize("prefixes", THEMES, ids=lambda p: p[0])
def test_figures_of_one_theme_equal_those_computed_with_every_other(
    dashboard, every_figure, prefixes
):
    some = calibration.dashboard_figures(dashboard, prefixes)
    wanted = {fid for fid in every_figure if fid.startswith(prefixes)}
    assert wanted and wanted <= set(some)
    assert len(some) < len(every_figure)  # the other themes were not computed
    for fid in some:
        assert _same(some[fid], every_figure[fid]), fid


def test_joined_groups_equal_pandas_own_join():
    frame = pd.DataFrame(
        {
            "child": ["b", "a", "a", "c", "a", "b"],
            "link": [1, 2, 1, 1, 1, 1],
            "module": ["x", "y", "z", "w", "v", "u"],
        }
    ).sort_values(["child", "link"], kind="stable")
    expected = frame.groupby(["child", "link"], sort=True)["module"].agg(" + ".join)
    got = join_sorted_groups(frame, ["child", "link"], "module")
    assert got.tolist() == expected.tolist() == ["z + v", "y", "x + u", "w"]
    assert list(got.index) == list(expected.index)


def test_joining_no_rows_gives_no_groups():
    frame = pd.DataFrame({"child": [], "link": [], "module": []}, dtype="str")
    assert join_sorted_groups(frame, ["child", "link"], "module").empty


def test_joining_an_unsorted_frame_is_refused():
    frame = pd.DataFrame({"child": ["b", "a"], "link": [1, 1], "module": ["x", "y"]})
    with pytest.raises(ValueError, match="not sorted"):
        join_sorted_groups(frame, ["child", "link"], "module")


def test_loading_a_cleaned_export_or_the_figure_helpers_imports_no_plotting_or_schema_library():
    code = (
        "import sys\n"
        "from sofs_lib import calibration, clean_dashboard, datasets, figures, narrate\n"
        "heavy = [m for m in ('seaborn', 'matplotlib', 'pandera') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""
