"""Durations (Fig. 12, module duration, plan B timing) on hand-computed frames."""

from __future__ import annotations

import math

import pytest

from sofs_lib.indicators import durations as du

try:
    from test_indicators_derive import make_frame
except ImportError:  # tests collected as a package
    from tests.test_indicators_derive import make_frame

M = 30.4375


@pytest.fixture
def df():
    # start 2022-01-01 for all
    return make_frame(
        [
            {
                "end_date": "2022-09-01",  # 243 days
                "safety_plan_adult_date": "2022-03-02",  # 60 days
                "plan_b_active_date": "2021-12-02",  # -30 days
            },
            {
                "end_date": "2023-01-01",  # 365 days
                "safety_plan_adult_date": "2022-01-31",  # 30 days
                "plan_b_active_date": "2022-04-01",  # 90 days
            },
            {"safety_plan_adult_date": "2021-12-02"},  # open, -30 days
            {"plan_b_active_date": "2022-01-01"},  # open, plan B on the start date
        ]
    )


def test_months_to_step_with_negative_values(df):
    out = du.months_to_steps(df)
    r = out[out["step"] == "safety_plan_adult"].iloc[0]
    assert r["n"] == 3
    assert r["mean"] == pytest.approx(20 / M)
    assert r["median"] == pytest.approx(30 / M)
    assert r["min"] == pytest.approx(-30 / M)
    assert r["max"] == pytest.approx(60 / M)
    undated = out[out["step"] == "mapping_internal"].iloc[0]
    assert undated["n"] == 0 and math.isnan(undated["mean"])
    assert len(out) == 10


def test_months_to_step_by_status(df):
    out = du.months_to_steps(df, by=["status"])
    r = out[(out["step"] == "safety_plan_adult") & (out["status"] == "open")].iloc[0]
    assert r["n"] == 1 and r["mean"] == pytest.approx(-30 / M)


def test_module_duration_of_closed(df):
    r = du.module_duration(df).iloc[0]
    assert r["n"] == 2
    assert r["mean"] == pytest.approx(304 / M)
    assert r["min"] == pytest.approx(243 / M)


def test_duration_guideline_shares(df):
    out = du.duration_guideline(df).set_index("indicator")
    assert out.loc["duration_at_most_8", ["numerator", "denominator"]].tolist() == [1, 2]
    assert out.loc["duration_over_8", "numerator"] == 1
    assert out.loc["duration_4_to_8", "numerator"] == 1


def test_plan_b_timing_and_share_at_or_before_start(df):
    t = du.plan_b_timing(df).iloc[0]
    assert t["n"] == 3
    assert t["mean"] == pytest.approx(20 / M)
    assert t["min"] == pytest.approx(-30 / M)
    s = du.plan_b_at_or_before_start(df).iloc[0]
    assert (s["numerator"], s["denominator"]) == (2, 3)


def test_empty_subset(df):
    r = du.module_duration(df.iloc[0:0]).iloc[0]
    assert r["n"] == 0 and math.isnan(r["mean"])
    s = du.duration_guideline(df.iloc[0:0])
    assert (s["denominator"] == 0).all() and s["share"].isna().all()
