"""Fidelity indicators pinned on a six-row frame with hand-computed answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sofs_lib.errors import SofsInputError
from sofs_lib.indicators import fidelity as fi

try:
    from test_indicators_derive import make_frame
except ImportError:  # tests collected as a package
    from tests.test_indicators_derive import make_frame


@pytest.fixture
def df() -> pd.DataFrame:
    # start 2022-01-01 for all; durations in days: C1 334, C2 151, C3 424, C4 120
    return make_frame(
        [
            {"trajectory_id": "C1", "end_date": "2022-12-01", "case_type": "EM"},
            {
                "trajectory_id": "C2",
                "end_date": "2022-06-01",
                "network_meetings": 2,
                "steps": {"words_pictures": False},
            },
            {
                "trajectory_id": "C3",
                "end_date": "2023-03-01",
                "network_meetings": None,
                "case_type": None,
                "steps": {"words_pictures": None, "safety_plan_adult": False},
            },
            {"trajectory_id": "C4", "end_date": "2022-05-01", "network_meetings": 13},
            {"trajectory_id": "O1", "case_type": "V", "steps": {"words_pictures": False}},
            {"trajectory_id": "O2", "organisation": "B"},
        ]
    )


def row(out: pd.DataFrame, **keys) -> pd.Series:
    mask = pd.Series(True, index=out.index)
    for k, v in keys.items():
        mask &= out[k] == v
    assert mask.sum() == 1, out
    return out[mask].iloc[0]


def test_words_pictures_of_closed_excludes_missing(df):
    r = words = fi.words_pictures(df).iloc[0]
    assert (r["numerator"], r["denominator"]) == (2, 3)
    assert words["share"] == pytest.approx(2 / 3)


def test_all_steps_over_every_closed_trajectory(df):
    r = fi.all_steps(df).iloc[0]
    assert (r["numerator"], r["denominator"], r["share"]) == (2, 4, 0.5)


def test_all_steps_crossed_with_eight_months(df):
    out = fi.all_steps_by_duration(df)
    a = row(out, indicator="long_duration_among_all_steps")
    b = row(out, indicator="all_steps_among_long_duration")
    assert (a["numerator"], a["denominator"]) == (1, 2)
    assert (b["numerator"], b["denominator"]) == (1, 2)


def test_step_rates_by_status(df):
    out = fi.step_rates(df, by=["status"])
    assert set(out["step"]) == set(fi.FIDELITY_STEPS)
    wp_closed = row(out, status="closed", step="words_pictures")
    wp_open = row(out, status="open", step="words_pictures")
    assert (wp_closed["numerator"], wp_closed["denominator"]) == (2, 3)
    assert (wp_open["numerator"], wp_open["denominator"]) == (1, 2)
    meeting = row(out, status="closed", step="network_meeting")
    assert (meeting["numerator"], meeting["denominator"]) == (4, 4)
    assert list(out.columns) == ["status", "indicator", "step", "numerator", "denominator", "share"]


def test_group_without_closed_trajectories_reads_zero_over_zero(df):
    out = fi.safety_plan_adult(df, by=["organisation"])
    a = row(out, organisation="A")
    b = row(out, organisation="B")
    assert (a["numerator"], a["denominator"]) == (3, 4)
    assert b["denominator"] == 0 and math.isnan(b["share"])


def test_empty_subset_does_not_crash(df):
    empty = df.iloc[0:0]
    r = fi.safety_plan_child(empty).iloc[0]
    assert r["denominator"] == 0 and math.isnan(r["share"])
    assert fi.step_rates(empty, by=["organisation"]).empty
    d = fi.network_meetings_distribution(empty).iloc[0]
    assert d["n"] == 0 and math.isnan(d["mean"])


def test_meetings_guideline_over_usable_counts(df):
    out = fi.network_meetings_guideline(df)
    assert row(out, indicator="meetings_6_plus")[["numerator", "denominator"]].tolist() == [4, 5]
    assert row(out, indicator="meetings_6_to_12")["numerator"] == 3
    assert row(out, indicator="meetings_over_12")["numerator"] == 1


def test_meetings_and_network_size_distribution(df):
    d = fi.network_meetings_distribution(df).iloc[0]
    assert (d["n"], d["mean"], d["median"], d["min"], d["max"]) == (5, 6.6, 6.0, 2.0, 13.0)
    s = fi.network_size_distribution(df, population="closed").iloc[0]
    assert (s["n"], s["mean"], s["sd"]) == (4, 4.0, 0.0)


def test_network_meeting_held_excludes_blank(df):
    df.loc[df["trajectory_id"] == "O1", "network_meeting_held"] = pd.NA
    df.loc[df["trajectory_id"] == "O2", "network_meeting_held"] = False
    r = fi.network_meeting_held(df).iloc[0]
    assert (r["numerator"], r["denominator"]) == (4, 5)


def test_plans_without_meeting_or_words_pictures(df):
    out = fi.plans_without_steps(df)
    assert row(out, indicator="adult_plan_without_meeting")[
        ["numerator", "denominator"]
    ].tolist() == [0, 3]
    assert row(out, indicator="adult_plan_without_words_pictures")[
        ["numerator", "denominator"]
    ].tolist() == [1, 3]
    assert row(out, indicator="child_plan_without_words_pictures")[
        ["numerator", "denominator"]
    ].tolist() == [1, 3]


def test_cooccurrence_cells(df):
    out = fi.cooccurrence(df, "words_pictures", "safety_plan_adult")
    assert len(out) == 4
    n = {(r.row_value, r.col_value): r.n for r in out.itertuples()}
    assert n == {(True, True): 2, (True, False): 0, (False, True): 1, (False, False): 0}
    assert row(out, row_value=False, col_value=True)["row_share"] == 1.0


def test_cooccurrence_unknown_variable_is_named(df):
    with pytest.raises(SofsInputError, match="unknown variable 'plan'"):
        fi.cooccurrence(df, "plan", "safety_plan_adult")


def test_case_types_over_known_types(df):
    out = fi.case_types(df)
    assert out["case_type"].tolist() == ["EM", "FM", "SM", "V", "IFG", "none"]
    assert out["denominator"].unique().tolist() == [5]
    assert out["numerator"].tolist() == [1, 0, 0, 1, 3, 0]


def test_case_types_refuses_grouping_by_itself(df):
    with pytest.raises(SofsInputError):
        fi.case_types(df, by=["case_type"])


def test_grouping_by_closing_year_derives_it(df):
    out = fi.safety_plan_adult(df, by=["closing_year"])
    y22 = row(out, closing_year=2022)
    y23 = row(out, closing_year=2023)
    assert (y22["numerator"], y22["denominator"]) == (3, 3)
    assert (y23["numerator"], y23["denominator"]) == (0, 1)


def test_unknown_grouping_column_is_named(df):
    with pytest.raises(SofsInputError, match="regio"):
        fi.words_pictures(df, by=["regio"])


def test_unknown_population_is_refused(df):
    with pytest.raises(SofsInputError, match="population"):
        fi.words_pictures(df, population="gesloten")


def stats_frame():
    def closed(meetings, size, adult, **extra):
        return {
            "end_date": "2023-01-01",
            "network_meetings": meetings,
            "network_size": size,
            "steps": {"safety_plan_adult": adult},
            **extra,
        }

    return make_frame(
        [
            closed(3, 5, True),
            closed(5, 2, True),
            closed(1, 1, False),
            closed(2, 6, False),
            closed(None, 3, True),  # no usable count: out of the meetings test
            closed(4, 4, None),  # plan unknown: out of every test
            {"network_meetings": 0, "steps": {"safety_plan_adult": True}},  # open
        ]
    )


def test_mann_whitney_uses_closed_with_both_values():
    res = fi.mann_whitney_by_adult_plan(stats_frame())
    # adult plan [3, 5] vs none [1, 2]: complete separation, U = 0
    assert res.ok and res.n == 4 and res.u == 0.0
    size = fi.mann_whitney_by_adult_plan(stats_frame(), variable="network_size")
    # plan [5, 2, 3] vs none [1, 6]: 6 beats all three, 1 none -> U = min(3, 3) = 3
    assert size.n == 5 and size.u == 3.0


def test_logistic_counts_closed_complete_cases():
    res = fi.logistic_adult_plan(stats_frame(), variable="network_size")
    assert res.n == 5
    assert "network_size" in res.coefficients["term"].tolist()


def test_chi2_of_perfect_association_equals_n():
    rows = [
        {"end_date": "2023-01-01", "steps": {"words_pictures": v, "safety_plan_adult": v}}
        for v in (True, True, True, False, False, False)
    ]
    res = fi.cooccurrence_test(make_frame(rows), "words_pictures", "safety_plan_adult")
    assert res.ok and res.df == 1 and res.n == 6
    assert res.statistic == pytest.approx(6.0)


def test_untestable_chi2_says_why_instead_of_raising(df):
    res = fi.cooccurrence_test(df.iloc[0:0], "words_pictures", "safety_plan_adult")
    assert not res.ok and res.reason is not None


def test_bad_variable_for_tests_is_refused(df):
    with pytest.raises(SofsInputError, match="network_size"):
        fi.mann_whitney_by_adult_plan(df, variable="age")


def test_unknown_case_type_code_is_named(df):
    df["case_type"] = df["case_type"].astype(object)
    df.loc[0, "case_type"] = "XX"
    with pytest.raises(SofsInputError, match="XX"):
        fi.case_types(df)
