"""Cell statistics of cross tables, k-group tests and stratified 2×2 tests, as SPSS prints them.

The companions of :mod:`sofs_lib.stats` that :func:`sofs_lib.analysis.compare` needs:

- :func:`crosstab_cells` — CROSSTABS ``/CELLS=COUNT ROW COLUMN TOTAL EXPECTED RESID SRESID
  ASRESID``: counts, row / column / total percentages, expected counts, residuals and the
  adjusted standardised residuals that say *which* cells make a χ² significant (report
  Table 6: "drie types verschillen");
- :func:`kruskal_wallis` — NPAR TESTS ``/K-W`` ("Ranks", "Test Statistics"), with ε² and
  Dunn's pairwise comparisons (Bonferroni), as SPSS's nonparametric pairwise table;
- :func:`posthoc_means` — ONEWAY ``/POSTHOC=TUKEY GH``: Tukey HSD (Tukey–Kramer for unequal
  groups) and Games–Howell (unequal variances, the companion of Welch's F);
- :func:`mantel_haenszel` — CROSSTABS ``/STATISTICS=CMH(1)`` on a 2×2×K table: "Tests of
  Homogeneity of the Odds Ratio" (Breslow–Day, Tarone), "Tests of Conditional
  Independence" (Cochran, Mantel–Haenszel) and the "Mantel-Haenszel Common Odds Ratio
  Estimate".

As in :mod:`sofs_lib.stats`, result objects never raise on data: ``ok`` is False and
``reason`` says why (Dutch and English). Sources of the parity values are in
``tests/test_stats_tables_parity.py`` and ``docs/statistics.md``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats as sps

from sofs_lib.stats import (
    Lang,
    Reason,
    _as_series,
    _examples,
    _fmt_df,
    _is_missing,
    _label,
    _nan,
    _reason,
    _Result,
    _sort_key,
    _to_numeric,
    fmt_bounded,
    fmt_n,
    fmt_p,
    fmt_stat,
)

#: |adjusted residual| above this marks a cell (two-sided 5%, the usual reading of SPSS ASRESID).
Z_CRITICAL = 1.96


# --------------------------------------------------------------------------------------
# Cell statistics of a cross table (CROSSTABS /CELLS)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrosstabCells:
    """Every cell statistic SPSS CROSSTABS can print, as numeric frames (rows × columns).

    ``observed`` counts; ``row_share``, ``column_share``, ``total_share`` (0–1; "% within
    row/column/total"); ``expected`` = r·c/N; ``residual`` = O − E; ``std_residual`` =
    (O − E)/√E; ``adj_residual`` = (O − E)/√(E(1 − r/N)(1 − c/N)) (SPSS "Adjusted
    Residual", CROSSTABS algorithm). A residual is NaN where it is undefined (a table with
    one row or column). ``row_totals``, ``column_totals`` and ``n`` are the margins.
    """

    observed: pd.DataFrame
    expected: pd.DataFrame
    row_share: pd.DataFrame
    column_share: pd.DataFrame
    total_share: pd.DataFrame
    residual: pd.DataFrame
    std_residual: pd.DataFrame
    adj_residual: pd.DataFrame
    row_totals: pd.Series
    column_totals: pd.Series
    n: int

    def significant(self, z: float = Z_CRITICAL) -> pd.DataFrame:
        """True where |adjusted residual| > ``z`` (1,96: the cell differs at p < .05)."""
        return self.adj_residual.abs().gt(z).fillna(False)


def crosstab_cells(observed: pd.DataFrame | np.ndarray) -> CrosstabCells:
    """Cell statistics of a table of counts (rows × columns, no total row or column)."""
    frame = observed if isinstance(observed, pd.DataFrame) else pd.DataFrame(observed)
    o = frame.to_numpy(dtype=float)
    if o.ndim != 2 or np.isnan(o).any() or (o < 0).any():
        raise ValueError("crosstab_cells needs a 2-d table of non-negative counts")
    r = o.sum(axis=1, keepdims=True)
    c = o.sum(axis=0, keepdims=True)
    n = float(o.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        e = r * c / n if n > 0 else np.full_like(o, np.nan)
        resid = o - e
        std = resid / np.sqrt(e)
        adj = resid / np.sqrt(e * (1 - r / n) * (1 - c / n))
        row_share = np.where(r > 0, o / np.where(r > 0, r, 1), np.nan)
        col_share = np.where(c > 0, o / np.where(c > 0, c, 1), np.nan)
        total_share = o / n if n > 0 else np.full_like(o, np.nan)
    adj = np.where(np.isfinite(adj), adj, np.nan)
    std = np.where(np.isfinite(std), std, np.nan)

    def as_frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=frame.index, columns=frame.columns)

    return CrosstabCells(
        observed=frame.astype("int64") if np.all(o % 1 == 0) else frame,
        expected=as_frame(e),
        row_share=as_frame(row_share),
        column_share=as_frame(col_share),
        total_share=as_frame(total_share),
        residual=as_frame(resid),
        std_residual=as_frame(std),
        adj_residual=as_frame(adj),
        row_totals=pd.Series(r.ravel(), index=frame.index).astype("int64"),
        column_totals=pd.Series(c.ravel(), index=frame.columns).astype("int64"),
        n=int(n),
    )


def monte_carlo_p(
    observed: np.ndarray, *, n_resamples: int = 10_000, seed: int = 2_000_000
) -> float:
    """Monte Carlo p of Pearson's χ² with both margins fixed (SPSS Exact Tests ``/METHOD=MC``:
    10 000 tables, SPSS's default seed 2 000 000): the share of random tables with the same
    margins whose χ² is at least the observed one. The exact test for an R×C table whose
    expected counts are too small for the χ² approximation. Deterministic for a seed."""
    table = np.asarray(observed, dtype=np.int64)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    n_rows, n_cols = table.shape
    if n_rows < 2 or n_cols < 2:
        return float("nan")
    rows = np.repeat(np.arange(n_rows), table.sum(axis=1))
    cols = np.repeat(np.arange(n_cols), table.sum(axis=0))
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()

    def pearson(counts: np.ndarray) -> np.ndarray:
        return (((counts - expected) ** 2) / expected).sum(axis=(-2, -1))

    observed_stat = float(pearson(table.astype(float)))
    rng = np.random.default_rng(seed)
    hits = 0
    for start in range(0, n_resamples, 1_000):
        size = min(1_000, n_resamples - start)
        shuffled = rng.permuted(np.broadcast_to(cols, (size, cols.size)), axis=1)
        cells = rows * n_cols + shuffled + (np.arange(size) * n_rows * n_cols)[:, None]
        counts = np.bincount(cells.ravel(), minlength=size * n_rows * n_cols)
        stats_ = pearson(counts.reshape(size, n_rows, n_cols).astype(float))
        hits += int((stats_ >= observed_stat - 1e-9 * max(1.0, observed_stat)).sum())
    return hits / n_resamples


def odds_ratio_2x2(observed: np.ndarray) -> tuple[float, float, float]:
    """Odds ratio of a 2×2 table with its 95% Woolf CI (SPSS "Risk Estimate", first row /
    second row); NaN when a cell is 0 (SPSS prints nothing then either)."""
    from statsmodels.stats.contingency_tables import Table2x2

    o = np.asarray(observed, dtype=float)
    if o.shape != (2, 2) or (o == 0).any():
        return (float("nan"),) * 3
    table = Table2x2(o)
    low, high = table.oddsratio_confint()
    return float(table.oddsratio), float(low), float(high)


# --------------------------------------------------------------------------------------
# Kruskal–Wallis H (NPAR TESTS /K-W) with Dunn's pairwise comparisons
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class KruskalWallisResult(_Result):
    """Kruskal–Wallis H as SPSS NPAR TESTS /K-W prints it ("Kruskal-Wallis H" / "Chi-Square").

    ``h`` is corrected for ties (``scipy.stats.kruskal``), ``df`` = k − 1, ``p_value`` the
    asymptotic p. ``epsilon_squared`` = H/(N − 1) (Tomczak & Tomczak 2014). ``groups`` is
    the "Ranks" table (n, mean rank); ``pairwise`` Dunn's z tests of mean ranks with
    tie-corrected variance and Bonferroni-adjusted p ("Adj. Sig." of SPSS's pairwise
    comparisons).
    """

    h: float = field(default_factory=_nan)
    df: int = 0
    p_value: float = field(default_factory=_nan)
    epsilon_squared: float = field(default_factory=_nan)
    groups: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    pairwise: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    _scalar_fields: ClassVar[tuple[str, ...]] = ("h", "df", "p_value", "epsilon_squared")

    def _apa(self, lang: Lang) -> str:
        return (
            f"H({_fmt_df(self.df, lang)}, N = {fmt_n(self.n, lang)}) = "
            f"{fmt_stat(self.h, 2, lang)}, {fmt_p(self.p_value, lang)}, "
            f"ε² = {fmt_bounded(self.epsilon_squared, 2, lang)}"
        )


def _numeric_groups(
    values: Iterable[object] | pd.Series, groups: Iterable[Hashable] | pd.Series
) -> tuple[pd.DataFrame | None, Reason | None, int, int]:
    """Values and groups paired by position, missing dropped; or the reason it cannot be."""
    vs, gs = _as_series(values, "values"), _as_series(groups, "groups")
    if len(vs) != len(gs):
        return None, _reason("length_mismatch", a=len(vs), b=len(gs)), 0, 0
    num, bad = _to_numeric(vs)
    if bad.any():
        reason = _reason(
            "not_numeric", count=int(bad.sum()), var=vs.name, examples=_examples(vs[bad])
        )
        return None, reason, 0, 0
    valid = num.notna() & ~_is_missing(gs)
    n, n_missing = int(valid.sum()), int((~valid).sum())
    if n == 0:
        return None, _reason("no_valid_cases"), n, n_missing
    data = pd.DataFrame({"value": num[valid].to_numpy(), "group": gs[valid].to_numpy()})
    order = sorted(pd.unique(data["group"]), key=_sort_key)
    if len(order) < 2:
        reason = _reason("fewer_than_two_groups", groups=", ".join(map(_label, order)))
        return None, reason, n, n_missing
    data["group"] = pd.Categorical(data["group"], categories=order, ordered=True)
    return data, None, n, n_missing


def kruskal_wallis(
    values: Iterable[object] | pd.Series, groups: Iterable[Hashable] | pd.Series
) -> KruskalWallisResult:
    """Kruskal–Wallis H test of ``values`` across ``groups`` (SPSS NPAR TESTS /K-W).

    Cases with a missing value or group are dropped (``n_missing``). Groups in sorted order.
    """
    data, reason, n, n_missing = _numeric_groups(values, groups)
    if data is None:
        return KruskalWallisResult(ok=False, reason=reason, n=n, n_missing=n_missing)
    x = data["value"].to_numpy()
    if np.all(x == x[0]):
        return KruskalWallisResult(
            ok=False, reason=_reason("no_variance", value=_label(x[0])), n=n, n_missing=n_missing
        )
    order = list(data["group"].cat.categories)
    samples = [x[(data["group"] == g).to_numpy()] for g in order]
    test = sps.kruskal(*samples)
    ranks = sps.rankdata(x)
    codes = data["group"].cat.codes.to_numpy()
    counts = np.bincount(codes, minlength=len(order))
    mean_rank = np.bincount(codes, weights=ranks, minlength=len(order)) / counts
    table = pd.DataFrame({"group": [_label(g) for g in order], "n": counts, "mean_rank": mean_rank})
    # Dunn (1964): z = (R̄i − R̄j) / √((N(N+1)/12 − Σ(t³ − t)/(12(N − 1))) (1/ni + 1/nj))
    _, tie_counts = np.unique(x, return_counts=True)
    ties = float(((tie_counts**3) - tie_counts).sum())
    base = n * (n + 1) / 12.0 - ties / (12.0 * (n - 1))
    rows = []
    n_pairs = len(order) * (len(order) - 1) // 2
    for i in range(len(order)):
        for j in range(i + 1, len(order)):
            se = math.sqrt(base * (1 / counts[i] + 1 / counts[j]))
            diff = mean_rank[i] - mean_rank[j]
            z = diff / se
            p = 2 * sps.norm.sf(abs(z))
            rows.append((_label(order[i]), _label(order[j]), diff, se, z, p, min(1.0, p * n_pairs)))
    pairwise = pd.DataFrame(
        rows, columns=["group1", "group2", "rank_difference", "se", "z", "p_value", "p_adjusted"]
    )
    h = float(test.statistic)
    return KruskalWallisResult(
        n=n,
        n_missing=n_missing,
        h=h,
        df=len(order) - 1,
        p_value=float(test.pvalue),
        epsilon_squared=h / (n - 1),
        groups=table,
        pairwise=pairwise,
    )


# --------------------------------------------------------------------------------------
# Post-hoc comparisons of means (ONEWAY /POSTHOC=TUKEY GH)
# --------------------------------------------------------------------------------------


#: The studentized-range p values of the post-hoc tests lie in [PSTURNG_MIN, PSTURNG_MAX]:
#: statsmodels' ``psturng`` (Gleason 1999) clips there; within, it agrees with the exact
#: ``scipy.stats.studentized_range`` to about ±0.0005 and is a hundred times faster.
PSTURNG_MIN, PSTURNG_MAX = 0.001, 0.9


def _studentized_range_p(q: float, k: int, df: float) -> float:
    from statsmodels.stats.libqsturng import psturng

    if df < 2:  # outside psturng's table: the exact (slow) distribution
        p = float(sps.studentized_range.sf(q, k, df))
    else:
        p = float(np.asarray(psturng(q, k, df)).item())
    return float(np.clip(p, PSTURNG_MIN, PSTURNG_MAX))


def posthoc_means(
    values: Iterable[object] | pd.Series, groups: Iterable[Hashable] | pd.Series
) -> pd.DataFrame:
    """Pairwise mean differences with Tukey HSD and Games–Howell p values (SPSS "Multiple
    Comparisons"). Tukey (Tukey–Kramer for unequal n) assumes equal variances: q =
    |Δ|/√(MSE/2 · (1/nᵢ + 1/nⱼ)) on N − k df; Games–Howell does not: q = |Δ|/√((sᵢ²/nᵢ +
    sⱼ²/nⱼ)/2) on Welch's df, and is the post-hoc that goes with Welch's F. p values from
    the studentized range, reported within [0.001, 0.9] (``PSTURNG_MIN``/``MAX``: a p of
    0.9 means "0.9 or more"). Columns: ``group1, group2, mean_difference, tukey_p,
    games_howell_p``; empty when fewer than two groups have two or more cases."""
    columns = ["group1", "group2", "mean_difference", "tukey_p", "games_howell_p"]
    data, _reason_, _n, _m = _numeric_groups(values, groups)
    if data is None:
        return pd.DataFrame(columns=columns)
    order = list(data["group"].cat.categories)
    samples = [data.loc[data["group"] == g, "value"].to_numpy() for g in order]
    keep = [i for i, s in enumerate(samples) if len(s) >= 2]
    order = [order[i] for i in keep]
    samples = [samples[i] for i in keep]
    k = len(samples)
    if k < 2:
        return pd.DataFrame(columns=columns)
    sizes = np.array([len(s) for s in samples], dtype=float)
    means = np.array([s.mean() for s in samples])
    variances = np.array([s.var(ddof=1) for s in samples])
    df_within = float(sizes.sum() - k)
    mse = float(((sizes - 1) * variances).sum() / df_within)
    rows = []
    for i in range(k):
        for j in range(i + 1, k):
            diff = means[i] - means[j]
            se_tukey = math.sqrt(mse / 2.0 * (1 / sizes[i] + 1 / sizes[j]))
            tukey = (
                _studentized_range_p(abs(diff) / se_tukey, k, df_within)
                if se_tukey > 0
                else float("nan")
            )
            vi, vj = variances[i] / sizes[i], variances[j] / sizes[j]
            if vi + vj > 0:
                q = abs(diff) / math.sqrt((vi + vj) / 2.0)
                df = (vi + vj) ** 2 / (vi**2 / (sizes[i] - 1) + vj**2 / (sizes[j] - 1))
                gh = _studentized_range_p(q, k, df)
            else:
                gh = float("nan")
            rows.append((_label(order[i]), _label(order[j]), diff, tukey, gh))
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------------------
# Stratified 2×2 tables: Mantel–Haenszel and Breslow–Day (CROSSTABS /STATISTICS=CMH)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MantelHaenszelResult(_Result):
    """The three SPSS tables of CROSSTABS /STATISTICS=CMH(1) for a 2×2×K table.

    "Tests of Homogeneity of the Odds Ratio": ``breslow_day`` (and ``tarone``), df = K − 1,
    with p. "Tests of Conditional Independence": ``cochran`` (no continuity correction,
    variance n₁n₂m₁m₂/n³) and ``mantel_haenszel`` (continuity correction 0.5, variance
    n₁n₂m₁m₂/(n²(n − 1))), df = 1; ``cmh`` is the same statistic without the continuity
    correction (the CMH statistic of SAS PROC FREQ and Agresti). "Mantel-Haenszel Common Odds Ratio Estimate":
    ``odds_ratio`` with its 95% CI (Robins–Breslow–Greenland variance of ln OR) and the
    p of ln OR = 0. ``strata`` lists each layer's counts and odds ratio; ``strata_used`` the
    number of layers that carry information (at least two cases and both margins split);
    the others are left out, as their contribution is zero.
    """

    odds_ratio: float = field(default_factory=_nan)
    odds_ratio_lower: float = field(default_factory=_nan)
    odds_ratio_upper: float = field(default_factory=_nan)
    odds_ratio_p: float = field(default_factory=_nan)
    cochran: float = field(default_factory=_nan)
    cochran_p: float = field(default_factory=_nan)
    cmh: float = field(default_factory=_nan)
    cmh_p: float = field(default_factory=_nan)
    mantel_haenszel: float = field(default_factory=_nan)
    mantel_haenszel_p: float = field(default_factory=_nan)
    breslow_day: float = field(default_factory=_nan)
    breslow_day_p: float = field(default_factory=_nan)
    tarone: float = field(default_factory=_nan)
    tarone_p: float = field(default_factory=_nan)
    df_homogeneity: int = 0
    strata_used: int = 0
    strata: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    _scalar_fields: ClassVar[tuple[str, ...]] = (
        "odds_ratio",
        "odds_ratio_lower",
        "odds_ratio_upper",
        "odds_ratio_p",
        "cochran",
        "cochran_p",
        "cmh",
        "cmh_p",
        "mantel_haenszel",
        "mantel_haenszel_p",
        "breslow_day",
        "breslow_day_p",
        "tarone",
        "tarone_p",
        "df_homogeneity",
        "strata_used",
    )

    def _apa(self, lang: Lang) -> str:
        ci = "95%-BI" if lang == "nl" else "95% CI"
        sep = "; " if lang == "nl" else ", "
        return (
            f"χ²MH(1, N = {fmt_n(self.n, lang)}) = {fmt_stat(self.mantel_haenszel, 2, lang)}, "
            f"{fmt_p(self.mantel_haenszel_p, lang)}, ORMH = {fmt_stat(self.odds_ratio, 2, lang)}, "
            f"{ci} [{fmt_stat(self.odds_ratio_lower, 2, lang)}{sep}"
            f"{fmt_stat(self.odds_ratio_upper, 2, lang)}]"
        )

    def apa_homogeneity(self, lang: Lang = "nl") -> str:
        """Breslow–Day: ``χ²BD(2) = 0.16, p = .922``."""
        if not self.ok:
            return self.reason.text(lang) if self.reason else ""
        return (
            f"χ²BD({_fmt_df(self.df_homogeneity, lang)}) = {fmt_stat(self.breslow_day, 2, lang)}, "
            f"{fmt_p(self.breslow_day_p, lang)}"
        )


_MH_REASONS = {
    "not_2x2xk": (
        "Mantel–Haenszel vraagt per laag een 2×2-tabel; deze tabel is {shape}.",
        "Mantel–Haenszel needs a 2×2 table per layer; this table is {shape}.",
    ),
    "too_few_strata": (
        "Minder dan twee lagen met informatie (elke laag heeft twee rijen en twee kolommen "
        "met waarnemingen nodig); Mantel–Haenszel vergelijkt niets.",
        "Fewer than two layers carry information (each needs both rows and both columns "
        "observed); Mantel–Haenszel has nothing to combine.",
    ),
}


def _mh_reason(code: str, **values: object) -> Reason:
    nl, en = _MH_REASONS[code]
    return Reason(code, nl.format(**values), en.format(**values))


def mantel_haenszel(
    tables: Sequence[np.ndarray | pd.DataFrame], labels: Sequence[Hashable] | None = None
) -> MantelHaenszelResult:
    """Mantel–Haenszel and Breslow–Day for K 2×2 tables (one per layer).

    ``tables`` are 2×2 count tables (same row/column meaning in each layer), ``labels``
    name the layers. Statistics from ``statsmodels`` ``StratifiedTable`` (Breslow–Day
    ``test_equal_odds``, Tarone ``adjust=True``, MH ``test_null_odds(correction=True)``);
    Cochran's statistic as SPSS defines it (no correction, n³ variance).
    """
    from statsmodels.stats.contingency_tables import StratifiedTable

    arrays = [np.asarray(t, dtype=float) for t in tables]
    labels = list(labels) if labels is not None else list(range(1, len(arrays) + 1))
    for a in arrays:
        if a.shape != (2, 2):
            return MantelHaenszelResult(
                ok=False, reason=_mh_reason("not_2x2xk", shape="×".join(map(str, a.shape)))
            )
    rows = []
    informative = []
    for label, a in zip(labels, arrays, strict=True):
        n = a.sum()
        useful = n >= 2 and (a.sum(axis=0) > 0).all() and (a.sum(axis=1) > 0).all()
        (x11, x12), (x21, x22) = a
        with np.errstate(invalid="ignore", divide="ignore"):
            odds = (x11 * x22) / (x12 * x21) if x12 * x21 > 0 else float("nan")
        rows.append((_label(label), *(int(v) for v in a.ravel()), int(n), odds, bool(useful)))
        if useful:
            informative.append(a)
    strata = pd.DataFrame(
        rows, columns=["layer", "n11", "n12", "n21", "n22", "n", "odds_ratio", "used"]
    )
    n_total = int(sum(a.sum() for a in arrays))
    if len(informative) < 2:
        return MantelHaenszelResult(
            ok=False, reason=_mh_reason("too_few_strata"), n=n_total, strata=strata
        )
    st = StratifiedTable([a.copy() for a in informative])
    stack = np.stack(informative)
    a11 = stack[:, 0, 0]
    r1, r2 = stack[:, 0, :].sum(axis=1), stack[:, 1, :].sum(axis=1)
    c1, c2 = stack[:, :, 0].sum(axis=1), stack[:, :, 1].sum(axis=1)
    nk = stack.sum(axis=(1, 2))
    deviation = float((a11 - r1 * c1 / nk).sum())
    cochran = deviation**2 / float((r1 * r2 * c1 * c2 / nk**3).sum())
    mh = st.test_null_odds(correction=True)
    cmh = st.test_null_odds(correction=False)
    bd = st.test_equal_odds(adjust=False)
    tarone = st.test_equal_odds(adjust=True)
    low, high = st.oddsratio_pooled_confint()
    df_h = len(informative) - 1
    return MantelHaenszelResult(
        n=n_total,
        odds_ratio=float(st.oddsratio_pooled),
        odds_ratio_lower=float(low),
        odds_ratio_upper=float(high),
        odds_ratio_p=float(2 * sps.norm.sf(abs(st.logodds_pooled / st.logodds_pooled_se))),
        cochran=cochran,
        cochran_p=float(sps.chi2.sf(cochran, 1)),
        cmh=float(cmh.statistic),
        cmh_p=float(cmh.pvalue),
        mantel_haenszel=float(mh.statistic),
        mantel_haenszel_p=float(mh.pvalue),
        breslow_day=float(bd.statistic),
        breslow_day_p=float(sps.chi2.sf(bd.statistic, df_h)),
        tarone=float(tarone.statistic),
        tarone_p=float(sps.chi2.sf(tarone.statistic, df_h)),
        df_homogeneity=df_h,
        strata_used=len(informative),
        strata=strata,
    )
