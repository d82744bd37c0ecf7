"""Parity of sofs_lib.reliability with printed SPSS output on published datasets.

- Cronbach's α: the ten-case, five-item example of D. J. Denis, *Applied Univariate,
  Bivariate, and Multivariate Statistics Using Python/SPSS* (Wiley), section on coefficient
  alpha: data and the SPSS RELIABILITY output (``/MODEL=ALPHA /STATISTICS=DESCRIPTIVE SCALE
  CORR /SUMMARY=TOTAL``) printed in the book (text seen at
  https://livelib.biz/read_928329/p38 and /p39). Data copied to
  ``tests/data/denis_alpha_items.csv``.
- Wilcoxon signed-rank: hsb2 (``tests/data/hsb2.csv``), ``npar test /wilcoxon = write with
  read (paired)`` in UCLA OARC's "What statistical analysis should I use? (SPSS)": z = −.903,
  Asymp. Sig. = .366; and three five-pair SPSS outputs posted at
  https://www.physicsforums.com/threads/reporting-the-results-of-a-wilcoxon-matched-pair-test.599932/
  (Z = −0.94, p = .345; Z = −2.023, p = .043; the first prints "Z = −1.438" but p = .138 and
  the poster's own sentence say −1.48: a transposition typo, so only p is compared there).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sofs_lib.reliability import cronbach_alpha, floor_ceiling, wilcoxon_signed_rank

DATA = Path(__file__).parent / "data"


def printed(value: float, decimals: int) -> float:
    return float(f"{value:.{decimals}f}")


@pytest.fixture(scope="module")
def denis() -> pd.DataFrame:
    return pd.read_csv(DATA / "denis_alpha_items.csv")


def test_alpha_and_standardized_alpha_match_denis_spss_output(denis):
    res = cronbach_alpha(denis)
    assert res.ok and res.n == 10 and res.n_items == 5
    assert printed(res.alpha, 3) == 0.633
    assert printed(res.alpha_standardized, 3) == 0.691
    assert res.apa("nl") == "α = ,63 (5 items, N = 10)"


def test_item_statistics_match_denis_spss_output(denis):
    items = cronbach_alpha(denis).items.set_index("item")
    assert [printed(v, 4) for v in items["mean"]] == [7.3, 8.8, 9.1, 9.4, 7.0]
    assert [printed(v, 5) for v in items["sd"]] == [2.71006, 5.05085, 4.74810, 2.71621, 3.80058]


def test_item_total_statistics_match_denis_spss_output(denis):
    items = cronbach_alpha(denis).items.set_index("item")
    expected = {  # scale mean, scale variance, corrected r, SMC, alpha if deleted
        "Item_1": (34.3, 108.900, 0.712, 0.726, 0.478),
        "Item_2": (32.8, 80.400, 0.558, 0.841, 0.476),
        "Item_3": (32.5, 88.278, 0.512, 0.448, 0.507),
        "Item_4": (32.2, 104.844, 0.796, 0.776, 0.445),
        "Item_5": (34.6, 164.267, -0.228, 0.541, 0.824),
    }
    for item, (mean, var, r, smc, alpha) in expected.items():
        row = items.loc[item]
        assert printed(row["scale_mean_if_deleted"], 4) == mean
        assert printed(row["scale_variance_if_deleted"], 3) == var
        assert printed(row["corrected_item_total"], 3) == r
        assert printed(row["squared_multiple_correlation"], 3) == smc
        assert printed(row["alpha_if_deleted"], 3) == alpha


def test_alpha_without_item_5_matches_denis_rerun(denis):
    res = cronbach_alpha(denis.drop(columns="Item_5"))
    assert printed(res.alpha, 3) == 0.824
    assert printed(res.alpha_standardized, 3) == 0.863


def test_alpha_leaves_out_respondents_with_a_missing_item(denis):
    with_gap = denis.astype("Float64")
    extra = pd.DataFrame([[1, None, 3, 4, 5]], columns=denis.columns, dtype="Float64")
    res = cronbach_alpha(pd.concat([with_gap, extra], ignore_index=True))
    assert res.n == 10 and res.n_excluded == 1
    assert printed(res.alpha, 3) == 0.633


def test_alpha_reports_a_reason_instead_of_raising():
    one_item = cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))
    assert not one_item.ok and one_item.reason.code == "too_few_items"
    text = cronbach_alpha(pd.DataFrame({"a": [1, "x", 3], "b": [1, 2, 3]}))
    assert not text.ok and "'x'" in text.apa("nl")
    flat = cronbach_alpha(pd.DataFrame({"a": [2, 2, 2], "b": [3, 3, 3]}))
    assert not flat.ok and flat.reason.code == "no_variance"


def test_wilcoxon_write_with_read_matches_ucla_spss_output():
    hsb2 = pd.read_csv(DATA / "hsb2.csv")
    res = wilcoxon_signed_rank(hsb2["write"], hsb2["read"])
    assert res.ok and res.n == 200
    assert printed(res.z, 3) == -0.903
    assert printed(res.p_value, 3) == 0.366
    assert res.n_ties == 15 and res.n_negative + res.n_positive == 185


@pytest.mark.parametrize(
    ("pre", "post", "z", "p"),
    [
        ([39.0, 30.7, 58.7, 48.2, 53.4], [41.4, 31.1, 54.6, 50.9, 58.2], -0.94, 0.345),
        ([29.8, 23.7, 18.1, 12.5, 16.1], [52.6, 34.0, 57.7, 48.2, 35.3], -2.023, 0.043),
        ([1.98, 1.09, 2.18, 1.13, 1.23], [1.56, 2.49, 2.94, 1.29, 2.38], None, 0.138),
    ],
)
def test_wilcoxon_small_samples_match_posted_spss_output(pre, post, z, p):
    res = wilcoxon_signed_rank(pre, post)
    assert res.ok
    if z is not None:
        assert printed(res.z, len(str(z).split(".")[1])) == z
    assert printed(res.p_value, 3) == p


def test_wilcoxon_ranks_table_counts_directions_and_drops_incomplete_pairs():
    res = wilcoxon_signed_rank([1, 2, 3, 4, None, 5], [2, 2, 5, 1, 3, 9])
    assert (res.n, res.n_missing) == (5, 1)
    assert (res.n_negative, res.n_positive, res.n_ties) == (1, 3, 1)
    assert res.z <= 0
    assert res.based_on == "negative ranks"


def test_wilcoxon_without_any_difference_says_so():
    res = wilcoxon_signed_rank([1, 2, 3], [1, 2, 3])
    assert not res.ok and res.reason.code == "no_differences"
    assert "gelijk" in res.apa("nl")


def test_floor_and_ceiling_shares_count_valid_answers_only():
    frame = pd.DataFrame({"a": [1, 1, 5, 3, np.nan], "b": [5, 5, 5, 5, 5]})
    out = floor_ceiling(frame, 1, 5).set_index("item")
    assert out.loc["a", "n"] == 4
    assert out.loc["a", "floor_share"] == 0.5 and out.loc["a", "ceiling_share"] == 0.25
    assert out.loc["b", "ceiling_share"] == 1.0
