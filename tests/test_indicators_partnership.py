"""CB / consulent partnership (Fig. 6) on hand-computed frames."""

from __future__ import annotations

import math

import pytest

from sofs_lib.indicators import partnership as pa

try:
    from test_indicators_derive import make_frame
except ImportError:  # tests collected as a package
    from tests.test_indicators_derive import make_frame


@pytest.fixture
def df():
    return make_frame(
        [
            {
                "organisation": "A",
                "safety_goal_consulent": True,
                "consulent_start_date": "2022-01-11",
            },
            {"organisation": "A", "consulent_start_date": "2021-12-22"},
            {
                "organisation": "B",
                "steps": {"safety_goal": False},
                "safety_goal_cb": False,
                "consulent_start_date": "2022-01-01",
            },
            {"organisation": "B", "steps": {"safety_goal": None}, "safety_goal_cb": False},
        ]
    )


def pick(out, **keys):
    mask = True
    for k, v in keys.items():
        mask = mask & (out[k] == v)
    sel = out[mask]
    assert len(sel) == 1
    return sel.iloc[0]


def test_presence_is_share_of_trajectories_with_the_step_taken(df):
    out = pa.step_presence(df)
    cb = pick(out, step="safety_goal", person="cb")
    co = pick(out, step="safety_goal", person="consulent")
    assert (cb["numerator"], cb["denominator"]) == (2, 2)
    assert (co["numerator"], co["denominator"], co["share"]) == (1, 2, 0.5)
    assert len(out) == 20
    assert out["step"].iloc[0] == "mapping_internal" and out["person"].iloc[1] == "consulent"


def test_presence_by_organisation(df):
    out = pa.step_presence(df, by=["organisation"])
    b = pick(out, organisation="B", step="safety_goal", person="cb")
    assert b["denominator"] == 0 and math.isnan(b["share"])
    b_map = pick(out, organisation="B", step="mapping_internal", person="cb")
    assert (b_map["numerator"], b_map["denominator"]) == (2, 2)


def test_organisations_without_consulent(df):
    res = pa.organisations_without_consulent(df)
    assert (res.count, res.total, res.organisations) == (1, 2, ("B",))
    assert res.share == 0.5
    frame = res.to_frame()
    assert frame.loc[0, "numerator"] == 1 and frame.loc[0, "denominator"] == 2
    per_org = pa.consulent_registrations_by_organisation(df)
    assert per_org["consulent_registrations"].tolist() == [1, 0]
    assert per_org["trajectories"].tolist() == [2, 2]


def test_no_organisations_gives_nan_share(df):
    res = pa.organisations_without_consulent(df.iloc[0:0])
    assert res.total == 0 and math.isnan(res.share)


def test_consulent_start_lag_and_order(df):
    lag = pa.consulent_start_lag(df).iloc[0]
    assert lag["n"] == 3
    assert lag["mean"] == pytest.approx(0.0)
    assert lag["max"] == pytest.approx(10 / 30.4375)
    order = pa.consulent_start_order(df).set_index("indicator")
    assert order["numerator"].tolist() == [1, 1, 1]
    assert order["denominator"].tolist() == [3, 3, 3]
