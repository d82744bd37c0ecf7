"""Plan B at the start and in effect (Fig. 9) on hand-computed frames."""

from __future__ import annotations

import math

import pytest

from sofs_lib.errors import SofsInputError
from sofs_lib.indicators import plan_b as pb

try:
    from test_indicators_derive import make_frame
except ImportError:  # tests collected as a package
    from tests.test_indicators_derive import make_frame

CLOSED = "2023-01-01"


@pytest.fixture
def df():
    return make_frame(
        [
            {"plan_b": "network"},
            {"plan_b": "residential"},
            {},
            {},
            {"end_date": CLOSED, "plan_b": "network", "plan_b_active": True},
            {"end_date": CLOSED, "plan_b": "residential", "plan_b_active": True},
            {"end_date": CLOSED, "plan_b_active": True},
            {"end_date": CLOSED, "plan_b": "network", "plan_b_active": False},
            {"end_date": CLOSED},
        ]
    )


def test_plan_b_at_start_counts_blank_in_denominator(df):
    out = pb.plan_b_at_start(df).set_index("plan_b")
    assert out.index.tolist() == ["network", "residential", "none"]
    assert out["numerator"].tolist() == [1, 1, 2]
    assert out["denominator"].tolist() == [4, 4, 4]


def test_plan_b_in_effect_excludes_blank(df):
    r = pb.plan_b_in_effect(df).iloc[0]
    assert (r["numerator"], r["denominator"], r["share"]) == (3, 4, 0.75)


def test_plan_b_type_among_in_effect(df):
    out = pb.plan_b_type_in_effect(df).set_index("plan_b")
    assert out["numerator"].tolist() == [1, 1, 1]
    assert out["denominator"].tolist() == [3, 3, 3]


def test_plan_b_by_status_and_empty_group(df):
    out = pb.plan_b_in_effect(df, by=["status"]).set_index("status")
    assert out.loc["open", "denominator"] == 0 and math.isnan(out.loc["open", "share"])
    assert out.loc["closed", "numerator"] == 3


def test_unknown_plan_b_kind_is_refused(df):
    df.loc[0, "plan_b"] = "boot"
    with pytest.raises(SofsInputError, match="boot"):
        pb.plan_b_at_start(df)


def test_grouping_by_the_inner_key_is_refused(df):
    with pytest.raises(SofsInputError, match="inner key"):
        pb.plan_b_at_start(df, by=["plan_b"])


def test_by_may_be_a_single_column_name(df):
    out = pb.plan_b_in_effect(df, by="status")
    assert out["status"].tolist() == ["closed", "open"]


def test_unknown_status_is_refused(df):
    df["status"] = df["status"].astype(object)
    df.loc[0, "status"] = "lopend"
    with pytest.raises(SofsInputError, match="lopend"):
        pb.plan_b_at_start(df)
