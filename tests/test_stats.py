"""Behaviour of sofs_lib.stats: APA text (en/nl), SPSS conventions, and bad input.

Expected values are worked out by hand in the comments (formulas as in the SPSS 26
algorithms), not copied from the code under test. Parity with published SPSS output is in
tests/test_stats_parity.py.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sofs_lib.stats import (
    anova_oneway,
    chi2_independence,
    fmt_bounded,
    fmt_n,
    fmt_p,
    fmt_stat,
    logistic,
    mann_whitney,
)

DATA = Path(__file__).parent / "data"


def _table(cells: list[list[int]]) -> tuple[list[str], list[str]]:
    """Two columns of labels whose crosstab is ``cells`` (rows r0.., columns c0..)."""
    x: list[str] = []
    y: list[str] = []
    for i, row in enumerate(cells):
        for j, count in enumerate(row):
            x += [f"r{i}"] * count
            y += [f"c{j}"] * count
    return x, y


# --- APA number formatting -------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "en", "nl"),
    [
        (0.0004, "p < .001", "p < ,001"),
        (0.00099, "p < .001", "p < ,001"),
        (0.0384, "p = .038", "p = ,038"),
        (0.05, "p = .050", "p = ,050"),
        (0.9996, "p > .999", "p > ,999"),
    ],
)
def test_p_values_follow_apa_without_leading_zero(p: float, en: str, nl: str) -> None:
    assert fmt_p(p, "en") == en
    assert fmt_p(p, "nl") == nl


def test_numbers_use_decimal_comma_in_dutch_and_drop_leading_zero_when_bounded() -> None:
    assert fmt_stat(41.832, 2, "en") == "41.83"
    assert fmt_stat(41.832, 2, "nl") == "41,83"
    assert fmt_bounded(-0.2134, 2, "en") == "-.21"
    assert fmt_bounded(0.2134, 2, "nl") == ",21"
    assert fmt_n(1872, "en") == "1,872"
    assert fmt_n(1872, "nl") == "1.872"


# --- χ² ----------------------------------------------------------------------------------


def test_chi2_2x2_gives_pearson_yates_phi_and_apa_in_both_languages() -> None:
    # [[30, 10], [10, 30]], N = 80, all margins 40: Pearson = 80·(900−100)²/40⁴ = 20.00;
    # Yates (SPSS "Continuity Correction") = 80·(|800| − 40)²/40⁴ = 18.05; φ = 800/1600 = .50.
    x, y = _table([[30, 10], [10, 30]])
    res = chi2_independence(x, y)
    assert res.ok and res.is_2x2
    assert res.statistic == pytest.approx(20.0)
    assert res.continuity_statistic == pytest.approx(18.05)
    assert res.phi == pytest.approx(0.5)
    assert res.cramers_v == pytest.approx(0.5)
    assert res.df == 1 and res.n == 80
    assert 0 < res.fisher_p < 0.001
    assert res.fisher_p_one_sided == pytest.approx(res.fisher_p / 2, rel=1e-6)
    assert res.apa("en") == "χ²(1, N = 80) = 20.00, p < .001"
    assert res.apa("nl") == "χ²(1, N = 80) = 20,00, p < ,001"
    assert res.apa("en", effect=True) == "χ²(1, N = 80) = 20.00, p < .001, φ = .50"


def test_chi2_phi_is_signed_as_in_spss() -> None:
    # Swapping the columns turns ad − bc = 800 into −800.
    x, y = _table([[10, 30], [30, 10]])
    assert chi2_independence(x, y).phi == pytest.approx(-0.5)


def test_chi2_footnote_counts_cells_with_expected_count_below_five() -> None:
    # [[1, 4], [5, 2]]: margins 5/7 and 6/6, N = 12: expected 2.5, 2.5, 3.5, 3.5.
    x, y = _table([[1, 4], [5, 2]])
    res = chi2_independence(x, y)
    assert res.cells_expected_below_5 == 4
    assert res.share_expected_below_5 == 1.0
    assert res.min_expected == pytest.approx(2.5)
    assert res.footnote("en") == (
        "4 cells (100.0%) have expected count less than 5. The minimum expected count is 2.50."
    )
    assert res.footnote("nl") == (
        "4 cellen (100,0%) hebben een verwachte frequentie kleiner dan 5. "
        "De kleinste verwachte frequentie is 2,50."
    )


def test_chi2_larger_table_reports_cramers_v_and_no_2x2_rows() -> None:
    x, y = _table([[10, 5, 5], [5, 10, 5]])
    res = chi2_independence(x, y)
    assert res.df == 2
    assert math.isnan(res.fisher_p) and math.isnan(res.phi)
    assert res.apa("en", effect=True).endswith(f"V = {fmt_bounded(res.cramers_v, 2, 'en')}")
    assert list(res.to_frame("en")["row"]) == [
        "Pearson Chi-Square",
        "Likelihood Ratio",
        "N of Valid Cases",
    ]
    assert list(res.crosstab.columns) == ["c0", "c1", "c2"]


def test_chi2_drops_pairs_with_a_missing_value_and_reports_them() -> None:
    x, y = _table([[30, 10], [10, 30]])
    x += [None, "r0", float("nan"), "  "]
    y += ["c0", None, "c1", "c1"]
    res = chi2_independence(pd.Series(x, dtype=object), pd.Series(y, dtype=object))
    assert (res.n, res.n_missing) == (80, 4)
    assert res.statistic == pytest.approx(20.0)


def test_chi2_to_frame_in_dutch_has_spss_rows_for_2x2() -> None:
    x, y = _table([[30, 10], [10, 30]])
    frame = chi2_independence(x, y).to_frame("nl")
    assert list(frame["key"]) == ["pearson", "continuity", "likelihood_ratio", "fisher", "n_valid"]
    assert frame.loc[frame["key"] == "n_valid", "value"].item() == 80
    assert frame.loc[0, "row"] == "Pearson chi-kwadraat"


@pytest.mark.parametrize(
    ("x", "y", "code"),
    [
        (["a", "b", "a"], ["u", "v"], "length_mismatch"),
        ([None, None], ["u", None], "no_valid_cases"),
        (["a", "a", "a"], ["u", "v", "u"], "one_category"),
        (["a", "b", "a"], ["u", "u", "u"], "one_category"),
        ([], [], "no_valid_cases"),
    ],
)
def test_chi2_bad_input_returns_reason_instead_of_raising(x: list, y: list, code: str) -> None:
    res = chi2_independence(pd.Series(x, dtype=object), pd.Series(y, dtype=object))
    assert not res.ok
    assert res.reason is not None and res.reason.code == code
    assert res.apa("nl") == res.reason.nl and res.apa("en") == res.reason.en
    assert res.reason.nl != res.reason.en
    assert math.isnan(res.statistic)
    assert json.loads(json.dumps(res.as_dict(), allow_nan=True))["ok"] is False


def test_chi2_one_category_reason_names_the_variable_and_value() -> None:
    res = chi2_independence(pd.Series(["ja"] * 3, name="plan"), pd.Series(["x", "y", "x"]))
    assert "'plan'" in res.reason.nl and "ja" in res.reason.en


# --- Mann–Whitney ------------------------------------------------------------------------


def test_mann_whitney_reports_spss_u_w_z_and_r() -> None:
    # a = 10, 11, 12 (ranks 6–8, sum 21); b = 1–5 (ranks 1–5, sum 15).
    # U_a = 21 − 6 = 15, U_b = 15 − 15 = 0 → U = 0. W is the rank sum of b (the group with
    # the lower mean rank, although it is the larger group): 15.
    # σ = √(3·5·9/12) = √11.25; z = (0 − 7.5)/σ = −2.236; r = z/√8 = −.79.
    values = [10, 11, 12, 1, 2, 3, 4, 5]
    groups = ["a"] * 3 + ["b"] * 5
    res = mann_whitney(values, groups)
    assert res.ok
    assert (res.u, res.wilcoxon_w) == (0.0, 15.0)
    assert res.z == pytest.approx(-7.5 / math.sqrt(11.25))
    assert res.r == pytest.approx(res.z / math.sqrt(8))
    assert res.p_exact == pytest.approx(2 / math.comb(8, 3))
    assert res.groups["sum_of_ranks"].tolist() == [21.0, 15.0]
    assert res.apa("en") == "U = 0.00, z = -2.24, p = .025, r = -.79"
    assert res.apa("nl") == "U = 0,00, z = -2,24, p = ,025, r = -,79"


def test_mann_whitney_w_belongs_to_group_with_lower_mean_rank_like_spss_book_example() -> None:
    """SPSS output in Marques de Sá, *Applied Statistics Using SPSS, STATISTICA, MATLAB and R*
    (2007), Tables 5.19–5.20 (wine data, ASP by TYPE): group 1 n = 30, rank sum 1203.5;
    group 2 n = 37, rank sum 1074.5; SPSS prints U = 371.5, W = 1074.5 — the rank sum of
    the larger group, which has the lower mean rank (IBM's syntax reference says "rank sum
    of the smaller group", which this output contradicts). Same rule here: the smaller group
    has the higher values."""
    rng = np.random.default_rng(7)
    high = rng.normal(10, 1, 4)
    low = rng.normal(8, 1, 9)
    res = mann_whitney(np.r_[high, low], ["s"] * 4 + ["l"] * 9, levels=("s", "l"))
    sums = dict(zip(res.groups["group"], res.groups["sum_of_ranks"], strict=True))
    assert res.wilcoxon_w == sums["l"]
    assert res.u == pytest.approx(sums["l"] - 9 * 10 / 2)


def test_mann_whitney_z_is_tie_corrected_and_never_positive() -> None:
    # Ties: values 1,1,2,2,3 | 2,3,3,4,4. Pooled ranks: 1.5,1.5,4,4,7 | 4,7,7,9.5,9.5.
    # R₁ = 18, U₁ = 18 − 15 = 3, U = min(3, 22) = 3.
    # Tie groups of size 2, 3, 3, 2: Σ(t³ − t) = 6 + 24 + 24 + 6 = 60;
    # σ² = 5·5/(10·9) · ((1000 − 10)/12 − 60/12) = 25/90 · 77.5; z = (3 − 12.5)/σ.
    a, b = [1, 1, 2, 2, 3], [2, 3, 3, 4, 4]
    expected_z = (3 - 12.5) / math.sqrt(25 / 90 * 77.5)
    for values, groups in ((a + b, [0] * 5 + [1] * 5), (b + a, [0] * 5 + [1] * 5)):
        res = mann_whitney(values, groups)
        assert res.u == 3.0
        assert res.z == pytest.approx(expected_z)
        assert math.isnan(res.p_exact)  # ties: SPSS's exact p is not comparable


def test_mann_whitney_levels_select_two_groups_and_count_the_rest_as_excluded() -> None:
    values = [1, 2, 3, 4, 5, 6, 7]
    groups = [0, 0, 1, 1, 2, 2, None]
    res = mann_whitney(values, groups, levels=(0, 1))
    assert res.ok and (res.n, res.n_missing) == (4, 3)
    unresolved = mann_whitney(values, groups)
    assert not unresolved.ok and unresolved.reason.code == "too_many_groups"
    assert "levels=(a, b)" in unresolved.apa("nl")


def test_mann_whitney_reads_decimal_commas_but_refuses_text() -> None:
    ok = mann_whitney(pd.Series(["1,5", "2", "3,5", "4"]), [0, 0, 1, 1])
    assert ok.ok and ok.n == 4
    bad = mann_whitney(pd.Series(["1", "twee", "3", "4"]), [0, 0, 1, 1])
    assert not bad.ok and bad.reason.code == "not_numeric"
    assert "'twee'" in bad.apa("en")


@pytest.mark.parametrize(
    ("values", "groups", "levels", "code"),
    [
        ([1, 2, 3], [0, 0, 0], None, "fewer_than_two_groups"),
        ([1, 2, 3], [0, 0, 0], (0, 1), "empty_group"),
        ([np.nan, np.nan], [0, 1], None, "no_valid_cases"),
        ([4, 4, 4, 4], [0, 0, 1, 1], None, "no_variance"),
        ([1, 2], [0, 1, 1], None, "length_mismatch"),
    ],
)
def test_mann_whitney_bad_input_returns_reason(
    values: list, groups: list, levels: tuple | None, code: str
) -> None:
    res = mann_whitney(values, groups, levels=levels)
    assert not res.ok and res.reason.code == code
    assert res.apa("en") == res.reason.en
    assert math.isnan(res.u)


# --- One-way ANOVA -------------------------------------------------------------------------


def test_anova_gives_sums_of_squares_eta_squared_and_apa() -> None:
    # Groups (1,2,3), (4,5,6), (7,8,9): means 2, 5, 8; grand mean 5.
    # SS_between = 3·(9 + 0 + 9) = 54; SS_within = 3·2 = 6; F = (54/2)/(6/6) = 27.
    res = anova_oneway([1, 2, 3, 4, 5, 6, 7, 8, 9], ["a"] * 3 + ["b"] * 3 + ["c"] * 3)
    assert (res.ss_between, res.ss_within, res.ss_total) == pytest.approx((54, 6, 60))
    assert res.f == pytest.approx(27.0)
    assert res.eta_squared == pytest.approx(0.9)
    assert res.apa("en") == "F(2, 6) = 27.00, p = .001, η² = .90"
    assert res.apa("nl") == "F(2, 6) = 27,00, p = ,001, η² = ,90"


def test_anova_welch_matches_welch_1951_formula() -> None:
    rng = np.random.default_rng(3)
    samples = [rng.normal(0, 1, 12), rng.normal(0.8, 3, 20), rng.normal(0.3, 0.5, 8)]
    res = anova_oneway(np.concatenate(samples), np.repeat([1, 2, 3], [12, 20, 8]))
    # Welch (1951): w = n/s², weighted mean m̄, A = Σw(m − m̄)²/(k − 1),
    # Λ = Σ(1 − w/Σw)²/(n − 1); F = A/(1 + 2(k − 2)Λ/(k² − 1)); df2 = (k² − 1)/(3Λ).
    n = np.array([len(s) for s in samples])
    m = np.array([s.mean() for s in samples])
    w = n / np.array([s.var(ddof=1) for s in samples])
    k = 3
    mbar = (w * m).sum() / w.sum()
    lam = ((1 - w / w.sum()) ** 2 / (n - 1)).sum()
    f = ((w * (m - mbar) ** 2).sum() / (k - 1)) / (1 + 2 * (k - 2) * lam / (k**2 - 1))
    assert res.welch_f == pytest.approx(f)
    assert res.welch_df1 == 2
    assert res.welch_df2 == pytest.approx((k**2 - 1) / (3 * lam))
    assert res.apa_welch("en").startswith("Welch's F(2, ")


def test_anova_welch_not_computable_with_a_single_case_group_but_f_is() -> None:
    res = anova_oneway([1, 2, 3, 4, 5, 9], ["a", "a", "b", "b", "b", "c"])
    assert res.ok and math.isfinite(res.f)
    assert math.isnan(res.welch_f)
    assert "niet berekenbaar" in res.apa_welch("nl")


def test_anova_drops_missing_values_and_groups() -> None:
    values = pd.Series([1, 2, 3, 4, 5, 6, None, 7], dtype="Float64")
    groups = pd.Series(["a", "a", "a", "b", "b", "b", "b", pd.NA], dtype="string")
    res = anova_oneway(values, groups)
    assert (res.n, res.n_missing) == (6, 2)
    assert res.groups["n"].tolist() == [3, 3]


@pytest.mark.parametrize(
    ("values", "groups", "code"),
    [
        ([1, 2, 3], ["a", "a", "a"], "fewer_than_two_groups"),
        ([1, 2], ["a", "b"], "too_few_cases"),
        ([5, 5, 5, 5], ["a", "a", "b", "b"], "no_variance"),
        ([1, 1, 2, 2], ["a", "a", "b", "b"], "no_within_variance"),
        ([None, None], ["a", "b"], "no_valid_cases"),
        (["1", "x", "3", "4"], ["a", "a", "b", "b"], "not_numeric"),
    ],
)
def test_anova_bad_input_returns_reason(values: list, groups: list, code: str) -> None:
    res = anova_oneway(pd.Series(values, dtype=object), groups)
    assert not res.ok and res.reason.code == code
    assert res.apa("nl") == res.reason.nl
    assert res.apa_welch("en") == res.reason.en


# --- Logistic regression -------------------------------------------------------------------


def test_logistic_model_summary_and_apa(tmp_path: Path) -> None:
    binary = pd.read_csv(DATA / "binary.csv")
    res = logistic(binary["admit"], binary[["gre", "gpa", "rank"]], categorical=["rank"])
    # Cox & Snell R² = 1 − exp(−χ²/N); Nagelkerke = CS / (1 − exp(−(−2LL₀)/N)).
    cs = 1 - math.exp(-res.omnibus_chi2 / 400)
    assert res.cox_snell_r2 == pytest.approx(cs)
    assert res.nagelkerke_r2 == pytest.approx(cs / (1 - math.exp(-res.minus2ll_null / 400)))
    assert res.minus2ll_null - res.minus2ll == pytest.approx(res.omnibus_chi2)
    assert res.apa("en") == "χ²(5, N = 400) = 41.46, p < .001, Nagelkerke R² = .14"
    assert res.apa("nl") == "χ²(5, N = 400) = 41,46, p < ,001, Nagelkerke R² = ,14"
    assert res.apa_term("gpa", "en") == (
        "B = 0.80, SE = 0.33, Wald χ²(1) = 5.87, p = .015, OR = 2.23, 95% CI [1.17, 4.28]"
    )
    assert res.apa_term("gpa", "nl") == (
        "B = 0,80, SE = 0,33, Wald χ²(1) = 5,87, p = ,015, OR = 2,23, 95%-BI [1,17; 4,28]"
    )
    assert res.apa_term("rank", "en") == "Wald χ²(3) = 20.90, p < .001"
    assert "niet in het model" in res.apa_term("ses", "nl")
    row = res.coefficients.set_index("term").loc["gpa"]
    assert row["ci_lower"] == pytest.approx(math.exp(row["b"] - 1.959964 * row["se"]), rel=1e-6)
    assert res.to_frame("nl")["term"].iloc[-1] == "Constante"
    assert res.outcome_coding == {"0": 0, "1": 1}


def test_logistic_text_predictor_gets_indicator_coding_with_last_category_as_reference() -> None:
    rng = np.random.default_rng(11)
    kind = rng.choice(["EM", "FM", "SM"], 120)
    x = rng.normal(size=120)
    y = rng.random(120) < 1 / (1 + np.exp(-(0.5 * x + (kind == "EM"))))
    res = logistic(pd.Series(y), pd.DataFrame({"kind": kind, "x": x}))
    assert res.ok
    coef = res.coefficients
    assert list(coef["term"]) == ["kind", "kind(1)", "kind(2)", "x", "Constant"]
    assert list(coef["category"].fillna("-")) == ["-", "EM", "FM", "-", "-"]
    assert res.outcome_coding == {"False": 0, "True": 1}


def test_logistic_drops_rows_listwise_and_reports_them() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=60)
    y = (rng.random(60) < 1 / (1 + np.exp(-x))).astype(float)
    x_missing = x.copy()
    x_missing[:3] = np.nan
    y[3] = np.nan
    res = logistic(y, pd.DataFrame({"x": x_missing}))
    assert (res.n, res.n_missing) == (56, 4)


def _separated() -> tuple[list[int], pd.DataFrame]:
    return [0, 0, 0, 0, 1, 1, 1, 1], pd.DataFrame({"x": [1, 2, 3, 4, 5, 6, 7, 8]})


@pytest.mark.parametrize(
    ("y", "X", "kwargs", "code"),
    [
        (*_separated(), {}, "perfect_separation"),
        ([0, 1, 0, 1, 1], pd.DataFrame({"x": [3, 3, 3, 3, 3]}), {}, "constant_predictor"),
        (
            [0, 1, 0, 1, 1, 0],
            pd.DataFrame({"a": [1, 2, 3, 4, 5, 7], "b": [2, 4, 6, 8, 10, 14]}),
            {},
            "collinear",
        ),
        ([0, 1, 2, 1, 0], pd.DataFrame({"x": [1, 2, 3, 4, 5]}), {}, "outcome_not_binary"),
        ([1, 1, 1, 1], pd.DataFrame({"x": [1, 2, 3, 4]}), {}, "outcome_not_binary"),
        ([None, None], pd.DataFrame({"x": [1, 2]}), {}, "no_valid_cases"),
        ([0, 1], pd.DataFrame(index=[0, 1]), {}, "no_predictors"),
        ([0, 1, 0], pd.DataFrame({"x": [1, 2, 3]}), {"categorical": ["rank"]}, "unknown_column"),
        ([0, 1, 0], pd.DataFrame({"x": ["a", "a", "a"]}), {}, "constant_predictor"),
        ([0, 1], pd.DataFrame({"x": [1, 2, 3]}), {}, "length_mismatch"),
    ],
)
def test_logistic_bad_input_returns_reason(
    y: list, X: pd.DataFrame, kwargs: dict, code: str
) -> None:
    res = logistic(pd.Series(y, dtype=object), X, **kwargs)
    assert not res.ok and res.reason.code == code
    assert res.apa("en") == res.reason.en and res.apa("nl") == res.reason.nl
    assert res.apa_term("x", "nl") == res.reason.nl
    assert math.isnan(res.minus2ll)


def test_logistic_constant_predictor_reason_names_it() -> None:
    res = logistic([0, 1, 0, 1], pd.DataFrame({"netwerk": [2, 2, 2, 2], "x": [1, 2, 3, 5]}))
    assert "'netwerk'" in res.reason.nl and "(2)" in res.reason.en


def test_results_as_dict_are_json_serialisable() -> None:
    x, y = _table([[30, 10], [10, 30]])
    for res in (
        chi2_independence(x, y),
        mann_whitney([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1]),
        anova_oneway([1, 2, 3, 4, 5, 7], [0, 0, 1, 1, 2, 2]),
        logistic([0, 1, 0, 1, 1, 0, 1, 0], pd.DataFrame({"x": [1, 2, 3, 4, 5, 6, 7, 2]})),
    ):
        data = json.loads(json.dumps(res.as_dict()))
        assert data["ok"] is True and data["reason_code"] is None
        assert data["n"] == res.n


def test_logistic_category_with_a_single_outcome_is_named_as_separation() -> None:
    kind = ["EM", "EM", "EM", "FM", "FM", "FM", "SM", "SM", "SM", "FM", "SM", "EM"]
    y = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1]  # every EM trajectory has outcome 1
    res = logistic(y, pd.DataFrame({"case_type": kind}))
    assert not res.ok and res.reason.code == "separation_in_category"
    assert "case_type = EM" in res.reason.nl and "always 1" in res.reason.en


def test_values_that_round_to_zero_lose_their_minus_sign() -> None:
    assert fmt_bounded(-0.004, 2, "en") == ".00"
    assert fmt_stat(-0.0004, 3, "nl") == "0,000"
    assert fmt_stat(-0.006, 2, "en") == "-0.01"


def test_displayed_values_round_half_away_from_zero_like_spss() -> None:
    assert fmt_stat(2.675, 2, "en") == "2.68"
    assert fmt_stat(-2.665, 2, "nl") == "-2,67"
    assert fmt_p(0.0385, "en") == "p = .039"
