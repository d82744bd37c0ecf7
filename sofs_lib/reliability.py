"""Scale reliability and paired change, as SPSS 26 prints them (kerndataset, report §4.3).

- :func:`cronbach_alpha` — RELIABILITY /MODEL=ALPHA /STATISTICS=DESCRIPTIVE SCALE CORR
  /SUMMARY=TOTAL: "Reliability Statistics" (Cronbach's α, α based on standardized items),
  "Item Statistics" and "Item-Total Statistics" (scale mean and variance if item deleted,
  corrected item-total correlation = item–rest correlation, squared multiple correlation,
  α if item deleted). Cases with any missing item are left out (SPSS's default
  /MISSING=EXCLUDE, listwise over the items of the scale).
- :func:`wilcoxon_signed_rank` — NPAR TESTS /WILCOXON=first WITH second (PAIRED): the
  "Ranks" table (negative ranks: second < first) and the "Test Statistics" z, from the normal
  approximation on the smaller rank sum, corrected for ties, without continuity correction
  (so z is never positive), with its asymptotic two-sided p.
- :func:`floor_ceiling` — per item the share of valid answers at the lowest and highest
  answer option (not an SPSS table; a plain count).

Like :mod:`sofs_lib.stats`, nothing here raises on bad data: ``ok`` is False and ``reason``
says why (Dutch and English). Parity with printed SPSS output: ``tests/test_reliability.py``
(sources cited there and in ``docs/statistics.md``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

Lang = Literal["nl", "en"]

_REASONS: dict[str, tuple[str, str]] = {
    "too_few_items": (
        "Een schaal heeft minstens twee items nodig (gegeven: {k}).",
        "A scale needs at least two items (given: {k}).",
    ),
    "too_few_cases": (
        "Te weinig volledige antwoorden ({n}) om de betrouwbaarheid te berekenen "
        "(minstens 2 nodig).",
        "Too few complete responses ({n}) to compute reliability (at least 2 needed).",
    ),
    "not_numeric": (
        "{count} waarde(n) in '{var}' zijn geen getal (bv. {examples}).",
        "{count} value(s) in '{var}' are not numbers (e.g. {examples}).",
    ),
    "no_variance": (
        "De totaalscore varieert niet: α is niet gedefinieerd.",
        "The total score does not vary: α is undefined.",
    ),
    "length_mismatch": (
        "De twee metingen hebben ongelijke lengtes ({a} en {b}); ze kunnen niet gekoppeld worden.",
        "The two measurements differ in length ({a} and {b}); they cannot be paired.",
    ),
    "no_pairs": (
        "Geen enkel paar met twee geldige metingen.",
        "No pair with two valid measurements.",
    ),
    "no_differences": (
        "Alle {n} paren zijn gelijk: er is geen verschil om te toetsen.",
        "All {n} pairs are equal: there is no difference to test.",
    ),
}


def _reason(code: str, **values: object):
    from sofs_lib.stats import Reason  # lazy: sofs_lib.stats re-exports this module

    nl, en = _REASONS[code]
    return Reason(code, nl.format(**values), en.format(**values))


def _fmt():
    from sofs_lib import stats

    return stats.fmt_stat, stats.fmt_bounded, stats.fmt_p, stats.fmt_n


def _numeric_frame(items: pd.DataFrame) -> tuple[pd.DataFrame, object]:
    """Items as floats; a reason when a present value is not a number."""
    out = {}
    for column in items.columns:
        values = items[column]
        if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
            out[column] = values.astype("Float64").astype(float)
            continue
        text = values.astype("str").str.strip().str.replace(",", ".", regex=False)
        blank = values.isna() | text.eq("")
        number = pd.to_numeric(text.where(~blank), errors="coerce")
        bad = number.isna() & ~blank
        if bad.any():
            examples = ", ".join(repr(v) for v in values[bad].head(3).tolist())
            return pd.DataFrame(), _reason(
                "not_numeric", count=int(bad.sum()), var=column, examples=examples
            )
        out[column] = number.astype(float)
    return pd.DataFrame(out, index=items.index), None


# --------------------------------------------------------------------------------------
# Cronbach's α (RELIABILITY /MODEL=ALPHA)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AlphaResult:
    """Cronbach's α with SPSS's item tables.

    ``alpha``: Cronbach's α; ``alpha_standardized``: "Cronbach's Alpha Based on
    Standardized Items" (from the mean inter-item correlation); ``n``: complete cases used,
    ``n_excluded``: cases left out for a missing item; ``items``: one row per item with
    ``mean``, ``sd``, ``n`` ("Item Statistics") and ``scale_mean_if_deleted``,
    ``scale_variance_if_deleted``, ``corrected_item_total`` (item–rest correlation),
    ``squared_multiple_correlation``, ``alpha_if_deleted`` ("Item-Total Statistics").
    """

    ok: bool = True
    reason: Any = None
    n: int = 0
    n_excluded: int = 0
    n_items: int = 0
    alpha: float = float("nan")
    alpha_standardized: float = float("nan")
    mean_inter_item_correlation: float = float("nan")
    scale_mean: float = float("nan")
    scale_variance: float = float("nan")
    items: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def apa(self, lang: Lang = "nl") -> str:
        """``α = .84 (10 items, N = 120)``, or the reason it could not be computed."""
        if not self.ok:
            return self.reason.text(lang) if self.reason else ""
        _, fmt_bounded, _, fmt_n = _fmt()
        return (
            f"α = {fmt_bounded(self.alpha, 2, lang)} ({fmt_n(self.n_items, lang)} items, "
            f"N = {fmt_n(self.n, lang)})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "reason_code": self.reason.code if self.reason else None,
            "n": self.n,
            "n_excluded": self.n_excluded,
            "n_items": self.n_items,
            "alpha": self.alpha,
            "alpha_standardized": self.alpha_standardized,
            "mean_inter_item_correlation": self.mean_inter_item_correlation,
        }


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = cov.sum()
    return float(k / (k - 1) * (1 - np.trace(cov) / total)) if total > 0 else float("nan")


def cronbach_alpha(items: pd.DataFrame) -> AlphaResult:
    """Cronbach's α of the columns of ``items`` (one row per respondent), as SPSS prints it.

    Respondents with a missing answer on any item are left out (listwise, SPSS default).
    Variances are sample variances (n − 1). The corrected item-total correlation is the
    Pearson correlation of an item with the sum of the *other* items; α if item deleted is α
    of the remaining k − 1 items on the same respondents. An item without variance leaves
    the standardized α and its correlations undefined (NaN), as in SPSS.
    """
    items = pd.DataFrame(items)
    k = items.shape[1]
    if k < 2:
        return AlphaResult(ok=False, reason=_reason("too_few_items", k=k), n_items=k)
    numeric, problem = _numeric_frame(items)
    if problem is not None:
        return AlphaResult(ok=False, reason=problem, n_items=k)
    complete = numeric.notna().all(axis=1)
    data = numeric[complete].to_numpy(dtype=float)
    n, excluded = len(data), int((~complete).sum())
    if n < 2:
        return AlphaResult(
            ok=False, reason=_reason("too_few_cases", n=n), n=n, n_excluded=excluded, n_items=k
        )
    cov = np.cov(data, rowvar=False, ddof=1)
    total = data.sum(axis=1)
    if cov.sum() <= 0:
        return AlphaResult(
            ok=False, reason=_reason("no_variance"), n=n, n_excluded=excluded, n_items=k
        )
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    off = corr[~np.eye(k, dtype=bool)]
    rbar = float(off.mean()) if np.isfinite(off).all() else float("nan")
    alpha_std = k * rbar / (1 + (k - 1) * rbar) if math.isfinite(rbar) else float("nan")
    try:
        smc = 1 - 1 / np.diag(np.linalg.inv(corr)) if np.isfinite(corr).all() else None
    except np.linalg.LinAlgError:
        smc = None
    rows = []
    for j, name in enumerate(items.columns):
        rest = total - data[:, j]
        keep = [i for i in range(k) if i != j]
        r_rest = (
            float(np.corrcoef(data[:, j], rest)[0, 1])
            if sd[j] > 0 and rest.std() > 0
            else float("nan")
        )
        rows.append(
            {
                "item": name,
                "mean": float(data[:, j].mean()),
                "sd": float(sd[j]),
                "n": n,
                "scale_mean_if_deleted": float(rest.mean()),
                "scale_variance_if_deleted": float(rest.var(ddof=1)),
                "corrected_item_total": r_rest,
                "squared_multiple_correlation": float(smc[j]) if smc is not None else float("nan"),
                "alpha_if_deleted": _alpha(cov[np.ix_(keep, keep)]) if k > 2 else float("nan"),
            }
        )
    return AlphaResult(
        n=n,
        n_excluded=excluded,
        n_items=k,
        alpha=_alpha(cov),
        alpha_standardized=float(alpha_std),
        mean_inter_item_correlation=rbar,
        scale_mean=float(total.mean()),
        scale_variance=float(total.var(ddof=1)),
        items=pd.DataFrame(rows),
    )


# --------------------------------------------------------------------------------------
# Wilcoxon signed-rank test (NPAR TESTS /WILCOXON ... (PAIRED))
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class WilcoxonResult:
    """Wilcoxon signed-rank test of ``second − first`` as SPSS prints it.

    ``n``: pairs with both values; ``n_missing``: pairs left out; ``n_negative`` /
    ``n_positive`` / ``n_ties``: second < first / second > first / equal (the "Ranks" table,
    with ``mean_rank_*`` and ``sum_ranks_*``); ``z``: normal approximation on the smaller
    rank sum (ties corrected, no continuity correction), so never positive — SPSS's footnote
    says which sum it is based on (``based_on``); ``p_value``: asymptotic two-sided p;
    ``r = z/√n`` (n = all valid pairs, ties included); ``median_first``/``median_second``.
    """

    ok: bool = True
    reason: Any = None
    n: int = 0
    n_missing: int = 0
    n_negative: int = 0
    n_positive: int = 0
    n_ties: int = 0
    mean_rank_negative: float = float("nan")
    mean_rank_positive: float = float("nan")
    sum_ranks_negative: float = float("nan")
    sum_ranks_positive: float = float("nan")
    z: float = float("nan")
    p_value: float = float("nan")
    r: float = float("nan")
    based_on: str = ""
    median_first: float = float("nan")
    median_second: float = float("nan")

    def apa(self, lang: Lang = "nl") -> str:
        """``z = −0.90, p = .366, r = −.06 (N = 200)``, or the reason."""
        if not self.ok:
            return self.reason.text(lang) if self.reason else ""
        fmt_stat, fmt_bounded, fmt_p, fmt_n = _fmt()
        return (
            f"z = {fmt_stat(self.z, 2, lang)}, {fmt_p(self.p_value, lang)}, "
            f"r = {fmt_bounded(self.r, 2, lang)} (N = {fmt_n(self.n, lang)})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in (
                "ok", "n", "n_missing", "n_negative", "n_positive", "n_ties",
                "sum_ranks_negative", "sum_ranks_positive", "z", "p_value", "r",
                "based_on", "median_first", "median_second",
            )
        } | {"reason_code": self.reason.code if self.reason else None}  # fmt: skip


def wilcoxon_signed_rank(
    first: Iterable[object] | pd.Series, second: Iterable[object] | pd.Series
) -> WilcoxonResult:
    """Wilcoxon signed-rank test of paired measurements (SPSS NPAR TESTS /WILCOXON).

    Pairs are matched by position; a pair with a missing value is left out (counted).
    Used in the kerndataset for the change in network size and in the number of people
    the child can turn to between closure and +6/+12 months (Table 11).
    """
    a = pd.Series(list(first) if not isinstance(first, pd.Series) else first.to_numpy())
    b = pd.Series(list(second) if not isinstance(second, pd.Series) else second.to_numpy())
    if len(a) != len(b):
        return WilcoxonResult(ok=False, reason=_reason("length_mismatch", a=len(a), b=len(b)))
    frame, problem = _numeric_frame(pd.DataFrame({"eerste meting": a, "tweede meting": b}))
    if problem is not None:
        return WilcoxonResult(ok=False, reason=problem)
    valid = frame.notna().all(axis=1)
    x = frame.loc[valid, "eerste meting"].to_numpy()
    y = frame.loc[valid, "tweede meting"].to_numpy()
    n, n_missing = len(x), int((~valid).sum())
    if n == 0:
        return WilcoxonResult(ok=False, reason=_reason("no_pairs"), n_missing=n_missing)
    diff = y - x
    nonzero = diff[diff != 0]
    m = len(nonzero)
    common = {
        "n": n,
        "n_missing": n_missing,
        "n_negative": int((diff < 0).sum()),
        "n_positive": int((diff > 0).sum()),
        "n_ties": int((diff == 0).sum()),
        "median_first": float(np.median(x)),
        "median_second": float(np.median(y)),
    }
    if m == 0:
        return WilcoxonResult(ok=False, reason=_reason("no_differences", n=n), **common)
    # Imported here: scoring (and so this module) is imported by the Impact dashboard's
    # kernel, which must not pay scipy.stats' seconds of import for a test it never runs.
    from scipy import stats as sps

    ranks = sps.rankdata(np.abs(nonzero))
    neg, pos = float(ranks[nonzero < 0].sum()), float(ranks[nonzero > 0].sum())
    _, tie_counts = np.unique(np.abs(nonzero), return_counts=True)
    variance = m * (m + 1) * (2 * m + 1) / 24 - float((tie_counts**3 - tie_counts).sum()) / 48
    smaller = min(neg, pos)
    z = (smaller - m * (m + 1) / 4) / math.sqrt(variance) if variance > 0 else float("nan")
    return WilcoxonResult(
        **common,
        mean_rank_negative=neg / common["n_negative"] if common["n_negative"] else 0.0,
        mean_rank_positive=pos / common["n_positive"] if common["n_positive"] else 0.0,
        sum_ranks_negative=neg,
        sum_ranks_positive=pos,
        z=float(z),
        p_value=float(2 * sps.norm.sf(abs(z))) if math.isfinite(z) else float("nan"),
        r=float(z / math.sqrt(n)),
        based_on="positive ranks" if pos < neg else "negative ranks",
    )


# --------------------------------------------------------------------------------------
# Floor and ceiling
# --------------------------------------------------------------------------------------


def floor_ceiling(items: pd.DataFrame, minimum: float, maximum: float) -> pd.DataFrame:
    """Per item: valid answers ``n``, and the share at the lowest (``floor_share``) and the
    highest (``ceiling_share``) answer option. Missing answers are left out of ``n``;
    ``NaN`` shares for an item nobody answered."""
    rows = []
    for column in items.columns:
        values = pd.to_numeric(items[column], errors="coerce").dropna()
        n = int(len(values))
        rows.append(
            {
                "item": column,
                "n": n,
                "floor_n": int((values == minimum).sum()),
                "ceiling_n": int((values == maximum).sum()),
                "floor_share": float((values == minimum).mean()) if n else float("nan"),
                "ceiling_share": float((values == maximum).mean()) if n else float("nan"),
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "AlphaResult",
    "WilcoxonResult",
    "cronbach_alpha",
    "floor_ceiling",
    "wilcoxon_signed_rank",
]
