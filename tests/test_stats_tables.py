"""Behaviour of sofs_lib.stats_tables beyond the printed parity values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.multicomp import pairwise_tukeyhsd

from sofs_lib.stats import mann_whitney
from sofs_lib.stats_tables import (
    crosstab_cells,
    kruskal_wallis,
    mantel_haenszel,
    monte_carlo_p,
    odds_ratio_2x2,
    posthoc_means,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def hsb2() -> pd.DataFrame:
    return pd.read_csv(DATA / "hsb2.csv")


def test_cell_percentages_add_up_along_rows_and_columns():
    cells = crosstab_cells(pd.DataFrame([[5, 3, 0], [2, 7, 4]]))
    assert np.allclose(cells.row_share.sum(axis=1), 1)
    assert np.allclose(cells.column_share.sum(axis=0), 1)
    assert np.isclose(cells.total_share.to_numpy().sum(), 1)
    assert np.allclose(cells.expected.sum(axis=1), cells.row_totals)
    assert cells.n == 21


def test_a_table_with_one_column_has_no_residuals():
    cells = crosstab_cells(pd.DataFrame([[5], [2]]))
    assert cells.adj_residual.isna().all().all()
    assert not cells.significant().any().any()


def test_dunn_z_for_two_groups_equals_the_mann_whitney_z(hsb2):
    two = hsb2[hsb2["prog"].isin([1, 2])]
    kw = kruskal_wallis(two["write"], two["prog"])
    mw = mann_whitney(two["write"], two["prog"])
    assert np.isclose(abs(kw.pairwise["z"].iloc[0]), abs(mw.z))
    assert np.isclose(kw.h, mw.z**2)


def test_tukey_p_agrees_with_statsmodels(hsb2):
    ours = posthoc_means(hsb2["math"], hsb2["prog"])
    ref = pairwise_tukeyhsd(hsb2["math"], hsb2["prog"]).pvalues
    inside = (ours["tukey_p"] > 0.001) & (ours["tukey_p"] < 0.9)
    assert np.allclose(ours.loc[inside, "tukey_p"], ref[inside.to_numpy()], atol=5e-4)


def test_games_howell_p_agrees_with_the_exact_studentized_range(hsb2):
    ours = posthoc_means(hsb2["read"], hsb2["ses"])
    groups = [hsb2.loc[hsb2["ses"] == g, "read"].to_numpy() for g in (1, 2, 3)]
    a, b = groups[0], groups[1]
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    q = abs(a.mean() - b.mean()) / np.sqrt((va + vb) / 2)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    exact = sps.studentized_range.sf(q, 3, df)
    assert abs(ours["games_howell_p"].iloc[0] - min(max(exact, 0.001), 0.9)) < 5e-4


def test_kruskal_wallis_refuses_text_and_single_groups():
    assert kruskal_wallis(["a", "1"], [1, 2]).reason.code == "not_numeric"
    assert kruskal_wallis([1, 2, 3], [1, 1, 1]).reason.code == "fewer_than_two_groups"
    assert kruskal_wallis([2, 2, 2, 2], [1, 1, 2, 2]).reason.code == "no_variance"


def test_mantel_haenszel_needs_two_informative_2x2_layers():
    assert mantel_haenszel([np.ones((2, 3))]).reason.code == "not_2x2xk"
    res = mantel_haenszel([np.array([[3, 2], [1, 4]]), np.array([[0, 0], [2, 3]])])
    assert not res.ok and res.reason.code == "too_few_strata"
    assert res.strata["used"].tolist() == [True, False]


def test_monte_carlo_p_is_reproducible_and_close_to_the_exact_p():
    table = np.array([[3, 1], [1, 3]])
    assert monte_carlo_p(table) == monte_carlo_p(table)
    assert abs(monte_carlo_p(table) - sps.fisher_exact(table).pvalue) < 0.02


def test_odds_ratio_is_undefined_with_an_empty_cell():
    assert np.isnan(odds_ratio_2x2(np.array([[0, 3], [2, 4]]))[0])
    estimate, low, high = odds_ratio_2x2(np.array([[10, 5], [4, 12]]))
    assert estimate == pytest.approx(6.0)
    assert low < estimate < high
