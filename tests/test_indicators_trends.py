"""Trends by closing year and the headline table, on hand-computed frames."""

from __future__ import annotations

import math
import time

import pytest

from sofs_lib.indicators import headline, trends

try:
    from test_indicators_derive import make_frame
except ImportError:  # tests collected as a package
    from tests.test_indicators_derive import make_frame


def closed(year: int, adult: bool, meetings: int) -> dict:
    return {
        "end_date": f"{year}-06-01",
        "start_date": f"{year - 1}-12-01",
        "network_meetings": meetings,
        "steps": {"safety_plan_adult": adult},
    }


@pytest.fixture
def df():
    return make_frame(
        [
            closed(2021, True, 2),
            closed(2021, False, 2),
            closed(2021, False, 4),
            closed(2021, False, 4),
            closed(2022, True, 5),
            closed(2022, True, 5),
            closed(2022, True, 7),
            closed(2022, False, 7),
            closed(2023, True, 8),
            closed(2023, True, 10),
            closed(2020, True, 30),
            {},
        ]
    )


def test_trend_shares_by_year(df):
    res = trends(df, years=(2021, 2022, 2023))
    assert res.years == (2021, 2022, 2023) and res.excluded == 1
    adult = res.shares[
        (res.shares["indicator"] == "step_taken") & (res.shares["key"] == "safety_plan_adult")
    ]
    assert adult["closing_year"].tolist() == [2021, 2022, 2023]
    assert adult["numerator"].tolist() == [1, 3, 2]
    assert adult["denominator"].tolist() == [4, 4, 2]


def test_trend_chi2_matches_hand_computation(df):
    res = trends(df, years=(2021, 2022, 2023))
    test = res.tests[
        (res.tests["indicator"] == "step_taken") & (res.tests["key"] == "safety_plan_adult")
    ]
    row = test.iloc[0]
    # expected counts 2.4/1.6, 2.4/1.6, 1.2/0.8 -> chi2 = 3.75 with df 2
    assert row["statistic"] == pytest.approx(3.75)
    assert row["df"] == "2" and row["n"] == 10 and row["ok"]
    assert row["apa"].startswith("χ²(2, N = 10) = 3,75")


def test_trend_anova_of_meetings(df):
    res = trends(df, years=(2021, 2022, 2023))
    row = res.tests[res.tests["indicator"] == "network_meetings"].iloc[0]
    # SSB = 50.4 (df 2), SSW = 10 (df 7): F = 25.2 / (10/7) = 17.64
    assert row["statistic"] == pytest.approx(17.64)
    assert row["df"] == "2, 7"
    means = res.means[res.means["indicator"] == "network_meetings"]
    assert means["mean"].tolist() == [3.0, 6.0, 9.0]


def test_trend_without_years_keeps_every_closing_year(df):
    res = trends(df)
    assert res.years == (2020, 2021, 2022, 2023) and res.excluded == 0


def test_untestable_trend_reports_reason_instead_of_raising(df):
    res = trends(df, years=(2022,))
    row = res.tests[res.tests["indicator"] == "network_meetings"].iloc[0]
    assert not row["ok"] and row["reason"]
    assert math.isnan(row["statistic"])


def test_plan_b_kind_is_one_test_over_the_kinds(df):
    res = trends(df, years=(2021, 2022, 2023))
    kinds = res.tests[res.tests["indicator"] == "plan_b_type_in_effect"]
    assert len(kinds) == 1


@pytest.fixture
def small():
    return make_frame(
        [
            {"end_date": "2023-01-01", "safety_goal_consulent": True, "plan_b_active": True},
            {
                "end_date": "2023-01-01",
                "network_meetings": 2,
                "plan_b_active": False,
                "steps": {"words_pictures": False},
            },
            {"steps": {"safety_goal": False}},
        ]
    )


def test_headline_figures(small):
    out = headline(small)
    got = {r.indicator: (r.numerator, r.denominator) for r in out.itertuples()}
    assert list(got) == [
        "all_steps",
        "words_pictures",
        "safety_plan_adult",
        "safety_plan_child",
        "meetings_6_plus",
        "plan_b_in_effect",
        "cb_safety_goal",
        "consulent_safety_goal",
    ]
    assert got == {
        "all_steps": (1, 2),
        "words_pictures": (1, 2),
        "safety_plan_adult": (2, 2),
        "safety_plan_child": (2, 2),
        "meetings_6_plus": (2, 3),
        "plan_b_in_effect": (1, 2),
        "cb_safety_goal": (2, 2),
        "consulent_safety_goal": (1, 2),
    }
    assert out.loc[0, "label"] == "Alle SofS-stappen gezet"
    assert out.loc[0, "population"] == "closed"


def test_headline_by_status_and_empty(small):
    out = headline(small, by=["status"])
    open_rows = out[out["status"] == "open"].set_index("indicator")
    assert open_rows.loc["all_steps", "denominator"] == 0
    assert math.isnan(open_rows.loc["all_steps", "share"])
    empty = headline(small.iloc[0:0])
    assert len(empty) == 8 and (empty["denominator"] == 0).all()


def test_headline_for_370_rows_is_fast():
    df = make_frame([{"end_date": "2023-01-01"} if i % 3 else {} for i in range(370)])
    headline(df)
    t0 = time.perf_counter()
    headline(df)
    assert time.perf_counter() - t0 < 1.0
