"""Derived columns and the shared table builders (sofs_lib.indicators.derive).

Also holds ``make_frame``, the small cleaned-frame builder the other indicator tests use.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sofs_lib.catalogue import STEP_KEYS
from sofs_lib.errors import SofsInputError
from sofs_lib.indicators.derive import (
    DAYS_PER_MONTH,
    add_derived,
    distribution_table,
    shares_table,
)

_DATES = ["start_date", "consulent_start_date", "end_date", "plan_b_active_date"]


def make_frame(rows: list[dict]) -> pd.DataFrame:
    """A cleaned dashboard frame (contract dtypes) from compact row specs.

    Defaults: organisation ``A``, start 2022-01-01, open, every step taken by the CB
    only without a date, meeting held with count 6, network size 4, case type IFG,
    plan B blank. ``steps={key: True/False/None}`` overrides ``K_taken``; any contract
    column can be given directly (dates as ISO strings).
    """
    records = []
    for i, spec in enumerate(rows):
        spec = dict(spec)
        steps = spec.pop("steps", {})
        rec: dict = {
            "organisation": "A",
            "trajectory_id": f"T{i:03d}",
            "start_date": "2022-01-01",
            "consulent_start_date": None,
            "end_date": None,
            "case_type": "IFG",
            "network_size": 4,
            "network_meetings": 6,
            "network_meeting_held": True,
            "plan_b": None,
            "plan_b_active": None,
            "plan_b_active_date": None,
            "source_row": i + 2,
        }
        for key in STEP_KEYS:
            rec[f"{key}_taken"] = steps.get(key, True)
            rec[f"{key}_date"] = None
            rec[f"{key}_cb"] = True
            rec[f"{key}_consulent"] = False
        rec.update(spec)
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    if df.empty:
        df = pd.DataFrame(columns=list(make_frame([{}]).columns))
    for col in [*_DATES, *(f"{k}_date" for k in STEP_KEYS)]:
        df[col] = pd.to_datetime(df[col])
    df["status"] = np.where(df["end_date"].notna(), "closed", "open")
    df["status"] = df["status"].astype("str")
    for col in ["network_meeting_held", "plan_b_active", *(f"{k}_taken" for k in STEP_KEYS)]:
        df[col] = df[col].astype("boolean")
    for key in STEP_KEYS:
        for who in ("cb", "consulent"):
            df[f"{key}_{who}"] = df[f"{key}_{who}"].astype("boolean")
    for col in ("network_size", "network_meetings", "source_row"):
        df[col] = df[col].astype("Int64")
    for col in ("organisation", "trajectory_id", "case_type", "plan_b"):
        df[col] = df[col].astype("str")
        df.loc[df[col].isin(["None", "nan"]), col] = None
    return df


def test_duration_is_days_over_mean_month():
    df = add_derived(make_frame([{"start_date": "2022-01-01", "end_date": "2022-09-01"}]))
    assert df.loc[0, "duration_months"] == pytest.approx(243 / 30.4375)
    assert DAYS_PER_MONTH == 30.4375
    assert df.loc[0, "closing_year"] == 2022


def test_open_trajectory_has_no_closing_year_or_duration():
    df = add_derived(make_frame([{}]))
    assert df["closing_year"].isna().all()
    assert math.isnan(df.loc[0, "duration_months"])


def test_step_dated_before_start_gives_negative_months():
    df = add_derived(
        make_frame([{"start_date": "2022-04-01", "safety_plan_adult_date": "2022-01-01"}])
    )
    assert df.loc[0, "safety_plan_adult_months"] == pytest.approx(-90 / 30.4375)
    assert math.isnan(df.loc[0, "mapping_internal_months"])


def test_plan_b_and_consulent_lag():
    df = add_derived(
        make_frame(
            [
                {
                    "start_date": "2022-01-01",
                    "plan_b_active_date": "2022-01-31",
                    "consulent_start_date": "2022-01-11",
                }
            ]
        )
    )
    assert df.loc[0, "plan_b_active_months"] == pytest.approx(30 / 30.4375)
    assert df.loc[0, "consulent_start_lag_days"] == 10
    assert df.loc[0, "consulent_start_lag_months"] == pytest.approx(10 / 30.4375)


def test_all_steps_needs_every_step_and_a_meeting():
    df = add_derived(
        make_frame(
            [
                {},
                {"steps": {"three_houses": False}},
                {"steps": {"three_houses": None}},
                {"network_meeting_held": None, "network_meetings": None},
                {"network_meeting_held": False, "network_meetings": 0},
            ]
        )
    )
    assert df["all_steps"].tolist() == [True, False, False, False, False]
    assert df["all_steps"].dtype == "boolean"


def test_add_derived_does_not_modify_input():
    df = make_frame([{"end_date": "2023-01-01"}])
    add_derived(df)
    assert "closing_year" not in df.columns


def test_missing_contract_column_is_named():
    df = make_frame([{}]).drop(columns=["end_date", "safety_goal_date"])
    with pytest.raises(SofsInputError, match="end_date, safety_goal_date"):
        add_derived(df)


def test_dates_as_text_are_read_and_garbage_is_refused():
    df = make_frame([{"end_date": "2023-03-01"}])
    df["end_date"] = pd.Series(["2023-03-01"], dtype="str")
    assert add_derived(df).loc[0, "closing_year"] == 2023
    df["end_date"] = pd.Series(["soon"], dtype="str")
    with pytest.raises(SofsInputError, match="end_date"):
        add_derived(df)


def test_not_a_frame_is_refused():
    with pytest.raises(SofsInputError, match="DataFrame"):
        add_derived([1, 2, 3])


def test_shares_table_excludes_missing_and_groups():
    df = pd.DataFrame({"g": ["a", "a", "a", "b", "b"]})
    flag = pd.Series([True, False, None, None, None], dtype="boolean")
    out = shares_table(df, ["g"], "x", {"x": flag})
    assert out["g"].tolist() == ["a", "b"]
    assert out["numerator"].tolist() == [1, 0]
    assert out["denominator"].tolist() == [2, 0]
    assert out.loc[0, "share"] == 0.5
    assert math.isnan(out.loc[1, "share"])


def test_shares_table_empty_frame_gives_zero_over_zero():
    df = pd.DataFrame({"g": pd.Series([], dtype="str")})
    out = shares_table(df, [], "x", {"x": pd.Series([], dtype="boolean")})
    assert len(out) == 1
    assert out.loc[0, "denominator"] == 0
    assert math.isnan(out.loc[0, "share"])


def test_distribution_table_hand_computed():
    df = pd.DataFrame({"g": ["a", "a", "a", "b"]})
    out = distribution_table(df, ["g"], "v", {"v": pd.Series([1.0, 3.0, None, 7.0])})
    a = out[out["g"] == "a"].iloc[0]
    assert (a["n"], a["mean"], a["median"], a["min"], a["max"]) == (2, 2.0, 2.0, 1.0, 3.0)
    assert a["sd"] == pytest.approx(math.sqrt(2))
    b = out[out["g"] == "b"].iloc[0]
    assert b["n"] == 1 and math.isnan(b["sd"])


def test_group_with_missing_key_is_kept_not_dropped():
    df = pd.DataFrame({"g": pd.Series(["a", None], dtype="str")})
    out = shares_table(df, ["g"], "x", {"x": pd.Series([True, True], dtype="boolean")})
    assert out["denominator"].sum() == 2


def test_distribution_table_agrees_with_pandas_groupby():
    rng = np.random.default_rng(7)
    n = 500
    g = pd.Series(rng.choice(["a", "b", "c", None], n), dtype="str")
    v = pd.Series(rng.integers(-5, 20, n), dtype="Float64").mask(rng.random(n) < 0.2)
    elig = rng.random(n) < 0.8
    df = pd.DataFrame({"g": g})
    out = distribution_table(df, ["g"], "v", {"v": v}, eligible=elig)
    ref = (
        pd.DataFrame({"g": g, "v": v.astype("float64").where(elig)})
        .groupby("g", dropna=False)["v"]
        .agg(["count", "mean", "std", "median", "min", "max"])
    )
    assert out["g"].tolist()[:3] == ["a", "b", "c"] and pd.isna(out["g"].iloc[3])
    got = out.set_index("g")[["n", "mean", "sd", "median", "min", "max"]].to_numpy(dtype=float)
    np.testing.assert_allclose(got, ref.to_numpy(dtype=float), rtol=1e-12)


def test_shares_table_agrees_with_pandas_groupby():
    rng = np.random.default_rng(8)
    n = 400
    g = pd.Series(rng.choice(["x", "y"], n), dtype="str")
    flag = pd.Series(rng.random(n) < 0.4, dtype="boolean").mask(rng.random(n) < 0.25)
    out = shares_table(pd.DataFrame({"g": g}), ["g"], "f", {"f": flag})
    ref = pd.DataFrame({"g": g, "f": flag}).groupby("g")["f"].agg(["sum", "count"])
    assert out["numerator"].tolist() == ref["sum"].astype(int).tolist()
    assert out["denominator"].tolist() == ref["count"].astype(int).tolist()


_flags = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]), st.sampled_from([True, False, None]), st.booleans()
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(_flags)
def test_grouped_shares_add_up_to_the_ungrouped_share(rows):
    groups = pd.Series([r[0] for r in rows], dtype="str")
    flag = pd.Series([r[1] for r in rows], dtype="boolean")
    elig = np.array([r[2] for r in rows], dtype=bool)
    df = pd.DataFrame({"g": groups})
    total = shares_table(df, [], "x", {"x": flag}, eligible=elig).iloc[0]
    grouped = shares_table(df, ["g"], "x", {"x": flag}, eligible=elig)
    assert grouped["numerator"].sum() == total["numerator"]
    assert grouped["denominator"].sum() == total["denominator"]
    assert (grouped["numerator"] <= grouped["denominator"]).all()
    assert total["denominator"] == int((flag.notna().to_numpy() & elig).sum())
    assert sorted(grouped["g"]) == sorted(set(groups))


def test_item_of_the_wrong_length_is_refused():
    df = pd.DataFrame({"g": ["a", "b", "c"]})
    with pytest.raises(SofsInputError, match="2 values for a table of 3 rows"):
        shares_table(df, [], "x", {"x": pd.Series([True, False], dtype="boolean")})
