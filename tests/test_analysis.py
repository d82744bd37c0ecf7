"""compare(): an indicator across groups, on the indicator's own population and denominator."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from sofs_lib.analysis import compare, indicators
from sofs_lib.clean_dashboard import clean_dashboard
from sofs_lib.datasets import load_binc_result, load_dashboard
from sofs_lib.errors import SofsInputError
from sofs_lib.indicators import fidelity, plan_b
from sofs_lib.indicators.registry import INDICATORS
from sofs_lib.organisations import add_organisation_attributes, organisation_types
from sofs_lib.synth.dashboard import write_dashboard_export


@pytest.fixture(scope="module")
def dashboard() -> pd.DataFrame:
    return load_dashboard()


@pytest.fixture(scope="module")
def other_export(tmp_path_factory) -> pd.DataFrame:
    """A differently seeded, smaller synthetic export: nothing may be tuned to the committed one."""
    path = tmp_path_factory.mktemp("synth") / "dashboard.xlsx"
    write_dashboard_export(path, seed=11, n=150)
    return clean_dashboard(path).data


@pytest.fixture(scope="module")
def typed_other(other_export) -> pd.DataFrame:
    return _with_types(other_export)


def _with_types(df: pd.DataFrame) -> pd.DataFrame:
    """Every organisation gets a VZB type (round robin over three types)."""
    names = sorted(df["organisation"].dropna().unique())
    types = list(organisation_types())[:3]
    mapping = pd.DataFrame(
        {"organisation": names, "organisation_type": [types[i % 3] for i in range(len(names))]}
    )
    return add_organisation_attributes(df, mapping)


def _counts(cmp, layer=None) -> pd.DataFrame:
    block = next(b for b in cmp.layers if b.layer == layer)
    return block.cells.observed


def test_headline_question_uses_the_indicators_own_denominator(dashboard):
    """Child safety plan by closing year: the table's 'yes' column and row totals are the
    indicator's numerators and denominators, over closed trajectories only."""
    cmp = compare(dashboard, "safety_plan_child", by="closing_year")
    own = fidelity.safety_plan_child(dashboard, ["closing_year"]).dropna(subset=["closing_year"])
    own = own[own["denominator"] > 0].set_index("closing_year")
    counts = _counts(cmp)
    assert counts[True].to_dict() == own["numerator"].to_dict()
    assert counts.sum(axis=1).to_dict() == own["denominator"].to_dict()
    assert cmp.population == "closed"
    assert cmp.n_population == int((dashboard["status"] == "closed").sum())
    assert cmp.n_valid + cmp.n_missing_outcome + cmp.n_missing_group == cmp.n_population


#: Indicators built per step (months to a step, CB / consulent presence) share one
#: reference builder each: two steps stand for all ten.
_PER_STEP = ("months_to_", "cb_", "consulent_")
_CHECKED = [
    n
    for n, d in INDICATORS.items()
    if d.frame == "dashboard"
    and (not n.startswith(_PER_STEP) or n.endswith(("_mapping_internal", "_safety_plan_adult")))
]


@pytest.mark.parametrize("name", _CHECKED)
def test_every_registered_indicator_matches_its_function_on_another_export(typed_other, name):
    """The registry's row-level form reproduces each indicator function (compare checks it
    and raises otherwise), also on an export it was not written against."""
    kind = INDICATORS[name].kind
    by = "network_meeting_held" if kind == "distribution" else "organisation_type"
    cmp = compare(typed_other, name, by=by)
    assert cmp.n_valid > 0


def test_layers_give_a_table_per_layer_a_total_and_mantel_haenszel(dashboard):
    cmp = compare(dashboard, "safety_plan_adult", by="network_meeting_held", layer="closing_year")
    years = sorted(int(y) for y in dashboard["end_date"].dt.year.dropna().unique())
    assert [b.layer for b in cmp.layers] == [*years, None]
    per_layer = sum(_counts(cmp, y) for y in years)
    assert per_layer.equals(_counts(cmp, None))
    assert list(_counts(cmp, None).index) == [True, False]  # yes before no
    mh = cmp.mantel_haenszel
    assert mh.ok and mh.strata_used == len(years)
    assert "Breslow–Day" in cmp.tests()["Toets"].tolist()


def test_adjusted_residual_marks_cells_beyond_196(dashboard):
    cmp = compare(dashboard, "safety_plan_adult", by="network_meeting_held")
    z = cmp.layers[0].cells.adj_residual
    shown = cmp.table()
    residual_rows = shown[shown["Statistiek"] == "Gecorrigeerd residu (z)"]
    marked = residual_rows[["Ja", "Nee"]].apply(lambda c: c.str.endswith("*")).to_numpy()
    assert (marked == (z.abs() > 1.96).to_numpy()).all()
    assert "1,96" in " ".join(cmp.notes())


def test_rows_without_a_group_are_counted_not_dropped(dashboard):
    df = _with_types(dashboard)
    df.loc[df["organisation"] == df["organisation"].iloc[0], "organisation_type"] = pd.NA
    cmp = compare(df, "safety_plan_child", by="organisation_type")
    assert cmp.n_missing_group > 0
    assert "zonder Organisatietype" in cmp.case_summary()["Opmerking"].iloc[2]


def test_distribution_gets_rank_and_mean_tests_with_posthoc(dashboard):
    cmp = compare(dashboard, "network_meetings", by="closing_year")
    block = cmp.layers[0]
    assert {"kruskal_wallis", "anova", "welch"} <= set(block.results)
    k = len(block.descriptives)
    assert len(cmp.posthoc()) == k * (k - 1) // 2
    assert block.descriptives["n"].sum() == block.n
    two = compare(dashboard, "network_size", by="network_meeting_held")
    assert "mann_whitney" in two.layers[0].results


def test_categorical_indicator_crosses_all_categories(dashboard):
    cmp = compare(dashboard, "plan_b_at_start", by="case_type")
    own = plan_b.plan_b_at_start(dashboard, ["case_type"]).dropna(subset=["case_type"])
    assert _counts(cmp).to_numpy().sum() == own.groupby("case_type")["denominator"].first().sum()
    assert cmp.population == "open"


def test_safe_hides_small_cells_and_withholds_tests(dashboard):
    cmp = compare(dashboard, "safety_plan_child", by="organisation", safe=True, min_cell=5)
    counts = _counts(cmp)
    shown = cmp.table()
    count_rows = shown[shown["Statistiek"] == "Aantal"].iloc[:-1]
    small = (counts > 0) & (counts < 5)
    assert small.to_numpy().any()
    assert (count_rows[["Ja", "Nee"]].to_numpy()[small.to_numpy()] == "<5").all()
    assert cmp.layers[0].withheld
    assert "Niet getoond" in cmp.tests()["APA"].iloc[0]
    assert "Niet getoond" in cmp.summary()
    open_cmp = compare(dashboard, "safety_plan_child", by="status", population="all", safe=True)
    assert not open_cmp.layers[0].withheld


def test_safe_refuses_a_selection_below_the_threshold(dashboard):
    tiny = dashboard[dashboard["status"] == "closed"].head(3)
    cmp = compare(tiny, "safety_plan_adult", by="organisation", safe=True, min_cell=5)
    assert cmp.message and "minder dan 5" in cmp.message
    assert cmp.table().iloc[0, 0] == cmp.message


def test_english_output_and_excel_export(dashboard, tmp_path):
    cmp = compare(dashboard, "words_pictures", by="closing_year", lang="en")
    assert cmp.title() == "Words and pictures × Closing year"
    assert "Adjusted residual" in cmp.table()["Statistic"].tolist()
    path = cmp.to_excel(tmp_path / "x.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert {"Summary", "Table", "Tests", "Notes"} <= set(sheets)
    assert "Pearson χ²" in sheets["Tests"]["Test"].tolist()
    assert "<h4>" in cmp._repr_html_()
    assert "Pearson" in str(cmp)


def test_dutch_numbers_use_decimal_commas(dashboard):
    text = str(compare(dashboard, "words_pictures", by="closing_year"))
    assert "%" in text and "," in text
    assert "χ²(" in text and "p " in text


def test_table_6_vzb_type_by_status_on_binc():
    children = load_binc_result().children
    cmp = compare(children, "vzb_type", by="status")
    res = cmp.layers[0].results["chi2"]
    known = children["status"].notna() & children["vzb_type"].notna()
    assert res.ok and res.n == int(known.sum()) == cmp.n_valid
    assert cmp.layers[0].cells.significant().any().any()


def test_bad_requests_get_one_clear_message(dashboard):
    with pytest.raises(SofsInputError, match="Did you mean 'safety_plan_child'"):
        compare(dashboard, "safety_plan_chld", by="closing_year")
    with pytest.raises(SofsInputError, match="add_organisation_attributes"):
        compare(dashboard, "safety_plan_child", by="organisation_type")
    with pytest.raises(SofsInputError, match="different"):
        compare(dashboard, "safety_plan_child", by="closing_year", layer="closing_year")
    with pytest.raises(SofsInputError, match="own outcome"):
        compare(dashboard, "case_type", by="case_type")


def test_a_registry_that_drifts_from_its_indicator_is_caught(dashboard, monkeypatch):
    from dataclasses import replace

    drift = replace(
        INDICATORS["safety_plan_child"],
        outcome=lambda df: df["safety_plan_adult_taken"].astype("boolean"),
    )
    monkeypatch.setitem(INDICATORS, "safety_plan_child", drift)
    with pytest.raises(RuntimeError, match="does not match"):
        compare(dashboard, "safety_plan_child", by="closing_year")


def test_indicator_list_names_kind_and_population():
    table = indicators()
    assert set(table["kind"]) == {"share", "categorical", "distribution"}
    row = table.set_index("indicator").loc["safety_plan_child"]
    assert row["population"] == "closed"
    assert np.all(table["label"].str.len() > 0)


def test_missing_type_warning_does_not_break_compare(dashboard):
    names = sorted(dashboard["organisation"].unique())
    mapping = pd.DataFrame({"organisation": names[:2], "organisation_type": ["Pleegzorg", "CKG"]})
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        df = add_organisation_attributes(dashboard, mapping)
    cmp = compare(df, "all_steps", by="organisation_type")
    assert cmp.n_missing_group > 0


def test_safe_layers_cannot_be_recovered_as_total_minus_other_layers(dashboard):
    cmp = compare(
        dashboard, "safety_plan_adult", by="organisation", layer="closing_year", safe=True
    )
    total = next(b for b in cmp.layers if b.layer is None)
    layers = [b for b in cmp.layers if b.layer is not None]
    rows = list(total.cells.observed.index)
    any_hidden = False
    for i, org in enumerate(rows):
        for j in range(3):  # yes, no, row total
            hidden = [bool(total.hidden.iat[i, j])]
            for block in layers:
                if org in block.cells.observed.index:
                    r = list(block.cells.observed.index).index(org)
                    hidden.append(bool(block.hidden.iat[r, j]))
            any_hidden |= any(hidden)
            assert sum(hidden) != 1, (org, j)
    assert any_hidden
    for block in cmp.layers:  # and within each block, no row or column with one hidden cell
        mask = block.hidden.to_numpy()
        assert not (mask.sum(axis=1) == 1).any() and not (mask.sum(axis=0) == 1).any()


def test_compare_by_closing_year_agrees_with_the_trends_tests(dashboard):
    """The trends section's χ² and ANOVA (report lines 5433–5540) and compare() are two
    routes to the same test; they must give the same statistic and N."""
    from sofs_lib.indicators import trends

    tests = trends(dashboard).tests.set_index(["indicator", "key"], drop=False)
    pairs = {
        "safety_plan_adult": ("step_taken", "safety_plan_adult"),
        "all_steps": ("all_steps", None),
        "plan_b_type_in_effect": ("plan_b_type_in_effect", None),
        "network_meetings": ("network_meetings", None),
    }
    for name, (indicator, key) in pairs.items():
        row = tests[(tests["indicator"] == indicator) & (tests["key"].fillna("") == (key or ""))]
        assert len(row) == 1, name
        population = "closed"
        cmp = compare(dashboard, name, by="closing_year", population=population)
        result = cmp.layers[0].results["chi2" if row["test"].item() == "chi2" else "anova"]
        value = result.statistic if row["test"].item() == "chi2" else result.f
        assert value == pytest.approx(row["statistic"].item()), name
        assert result.n == row["n"].item(), name
