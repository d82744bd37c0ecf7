"""Independent recomputation of the headline figures from the cleaned ``dashboard.csv``.

Plain pandas on the contract columns, no ``sofs_lib.indicators``: if an indicator and
this file disagree with the report, one of them has the definition wrong. Each figure
must lie within 2 points of the report (lines 5053–5075, 5169, 5285, 5445–5449, 5466).
"""

from __future__ import annotations

import pandas as pd
import pytest

from sofs_lib import config
from sofs_lib.clean_dashboard import clean_dashboard_to_dir

STEPS = (
    "mapping_internal",
    "mapping_family",
    "three_houses",
    "danger_statement",
    "safety_goal",
    "safety_scale",
    "timeline",
    "words_pictures",
    "safety_plan_adult",
    "safety_plan_child",
)
TOLERANCE = 2.0


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> pd.DataFrame:
    export = config.dashboard_export_path(config.SYNTHETIC_DIR)
    out = tmp_path_factory.mktemp("clean")
    clean_dashboard_to_dir(export, out, export_date=config.REPORT_EXPORT_DATE)
    frame = pd.read_csv(out / "dashboard.csv", dtype=str, keep_default_na=False)
    return frame


def _flag(series: pd.Series) -> pd.Series:
    """'true'/'false'/'' as True/False/NA."""
    return series.str.strip().str.lower().map({"true": True, "false": False}).astype("boolean")


def _pct_known(series: pd.Series) -> float:
    """Taken / (taken + not taken): missings out of the denominator (report line 5015)."""
    flags = _flag(series).dropna()
    return 100.0 * flags.astype(bool).sum() / len(flags)


@pytest.fixture(scope="module")
def closed(clean) -> pd.DataFrame:
    return clean[clean["status"] == "closed"]


def test_cleaned_csv_has_the_report_population(clean, closed):
    assert len(clean) == 370
    assert len(closed) == 236


def test_all_steps_over_all_closed(closed):
    taken = pd.concat([_flag(closed[f"{k}_taken"]).fillna(False) for k in STEPS], axis=1)
    held = _flag(closed["network_meeting_held"]).fillna(False)
    all_steps = taken.all(axis=1) & held
    assert 100.0 * all_steps.sum() / len(closed) == pytest.approx(28.4, abs=TOLERANCE)


@pytest.mark.parametrize(
    ("step", "report"),
    [("words_pictures", 77.2), ("safety_plan_adult", 68.1), ("safety_plan_child", 52.7)],
)
def test_step_share_of_closed(closed, step, report):
    assert _pct_known(closed[f"{step}_taken"]) == pytest.approx(report, abs=TOLERANCE)


def test_six_or_more_meetings_among_usable_counts(clean):
    counts = pd.to_numeric(clean["network_meetings"].str.strip(), errors="coerce").dropna()
    assert 100.0 * (counts >= 6).mean() == pytest.approx(32.9, abs=TOLERANCE)


def test_plan_b_in_effect_of_closed(closed):
    assert _pct_known(closed["plan_b_active"]) == pytest.approx(46.7, abs=TOLERANCE)


@pytest.mark.parametrize(("year", "report"), [(2021, 43.3), (2022, 72.5), (2023, 73.9)])
def test_adult_plan_by_closing_year(closed, year, report):
    in_year = closed[closed["end_date"].str.slice(0, 4) == str(year)]
    assert _pct_known(in_year["safety_plan_adult_taken"]) == pytest.approx(report, abs=TOLERANCE)


@pytest.mark.parametrize(("person", "report"), [("cb", 94.5), ("consulent", 25.3)])
def test_presence_at_the_safety_goal(clean, person, report):
    taken = _flag(clean["safety_goal_taken"]).fillna(False).astype(bool)
    present = _flag(clean.loc[taken, f"safety_goal_{person}"]).fillna(False).astype(bool)
    assert 100.0 * present.mean() == pytest.approx(report, abs=TOLERANCE)
