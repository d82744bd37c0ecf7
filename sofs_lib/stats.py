"""Statistical tests that reproduce SPSS 26 output, with APA reporting in English and Dutch.

The 2024 process evaluation ran its tests in SPSS 26 (report lines 5300–5330: χ² tests of
network meetings / words-and-pictures × safety plan, Mann–Whitney U tests of meetings and
network size, logistic regressions). This module gives the same numbers from
scipy/statsmodels, so that the analyses can be rerun and checked:

- :func:`chi2_independence` — CROSSTABS /STATISTICS=CHISQ PHI ("Chi-Square Tests" table);
- :func:`mann_whitney` — NPAR TESTS /M-W ("Ranks" and "Test Statistics" tables);
- :func:`logistic` — LOGISTIC REGRESSION /CATEGORICAL, indicator coding ("Omnibus Tests",
  "Model Summary", "Variables in the Equation");
- :func:`anova_oneway` — ONEWAY /STATISTICS WELCH ("ANOVA", "Robust Tests of Equality of
  Means"), plus η².

Every function returns a result object and never raises on bad data: when a test cannot be
computed, ``ok`` is False and ``reason`` says why in Dutch and English; ``.apa(lang)`` then
returns that reason. Missing values are dropped listwise per test (as SPSS does) and the
number of valid and dropped cases is reported (``n``, ``n_missing``).

APA style (7th ed.): test statistics with two decimals; p with three decimals and no
leading zero, ``p < .001`` below that; statistics bounded by one (r, V, φ, η², R²) without
leading zero. Dutch output uses a decimal comma (``p < ,001``) via babel (nl_BE), the same
formatting as :mod:`sofs_lib.formatting`. See ``docs/statistics.md`` for the SPSS
correspondences and the sources of the parity numbers in ``tests/test_stats_parity.py``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, Literal, NamedTuple

import numpy as np
import pandas as pd
from babel.numbers import format_decimal
from scipy import stats as sps
from scipy.stats.contingency import association

Lang = Literal["nl", "en"]

_LOCALES: dict[str, str] = {"nl": "nl_BE", "en": "en_US"}
_Z975 = float(sps.norm.ppf(0.975))


# --------------------------------------------------------------------------------------
# Reasons why a test cannot be computed (rules as data: one line per situation)
# --------------------------------------------------------------------------------------


class Reason(NamedTuple):
    """Why a test could not be computed, for a person: Dutch and English."""

    code: str
    nl: str
    en: str

    def text(self, lang: Lang = "nl") -> str:
        return self.en if lang == "en" else self.nl

    def __str__(self) -> str:
        return f"{self.nl} / {self.en}"


_REASONS: dict[str, tuple[str, str]] = {
    "length_mismatch": (
        "De invoer heeft ongelijke lengtes ({a} en {b} rijen); waarden kunnen niet gekoppeld worden.",
        "The inputs differ in length ({a} and {b} rows); values cannot be paired.",
    ),
    "no_valid_cases": (
        "Geen geldige waarnemingen: in elke rij ontbreekt minstens één waarde.",
        "No valid cases: every row has at least one missing value.",
    ),
    "one_category": (
        "'{var}' heeft maar één categorie ({value}) bij de geldige waarnemingen; "
        "er valt niets te vergelijken.",
        "'{var}' has only one category ({value}) among the valid cases; there is nothing to compare.",
    ),
    "not_numeric": (
        "{count} waarde(n) van '{var}' zijn geen getal (bv. {examples}); "
        "verbeter of verwijder ze eerst.",
        "{count} value(s) of '{var}' are not numbers (e.g. {examples}); correct or remove them first.",
    ),
    "fewer_than_two_groups": (
        "Er zijn minder dan twee groepen met geldige waarnemingen ({groups}); "
        "een vergelijking vraagt er minstens twee.",
        "Fewer than two groups have valid cases ({groups}); a comparison needs at least two.",
    ),
    "too_many_groups": (
        "De groepsvariabele heeft {k} waarden ({groups}); kies er twee met levels=(a, b).",
        "The grouping variable has {k} values ({groups}); choose two with levels=(a, b).",
    ),
    "empty_group": (
        "Groep '{group}' heeft geen geldige waarnemingen.",
        "Group '{group}' has no valid cases.",
    ),
    "no_variance": (
        "Alle waarden zijn gelijk ({value}); de toets kan niet berekend worden.",
        "All values are equal ({value}); the test cannot be computed.",
    ),
    "no_within_variance": (
        "Binnen elke groep zijn alle waarden gelijk; F is niet gedefinieerd.",
        "Within every group all values are equal; F is undefined.",
    ),
    "too_few_cases": (
        "Te weinig geldige waarnemingen ({n}) voor {k} groepen.",
        "Too few valid cases ({n}) for {k} groups.",
    ),
    "no_predictors": (
        "Geen predictoren opgegeven.",
        "No predictors given.",
    ),
    "unknown_column": (
        "Kolom(men) {columns} bestaan niet in X.",
        "Column(s) {columns} do not exist in X.",
    ),
    "outcome_not_binary": (
        "De afhankelijke variabele moet precies twee waarden hebben; gevonden: {values}.",
        "The dependent variable must have exactly two values; found: {values}.",
    ),
    "constant_predictor": (
        "Predictor '{var}' is constant ({value}) bij de geldige waarnemingen en kan niets voorspellen.",
        "Predictor '{var}' is constant ({value}) among the valid cases and cannot predict anything.",
    ),
    "collinear": (
        "De predictoren zijn lineair afhankelijk (bv. een kolom is een som van andere); "
        "laat er één weg.",
        "The predictors are linearly dependent (e.g. one column is a sum of others); drop one.",
    ),
    "perfect_separation": (
        "Perfecte scheiding: de predictoren voorspellen de uitkomst volledig, "
        "zodat de coëfficiënten oneindig worden (SPSS geeft dan onbetrouwbare schattingen).",
        "Perfect separation: the predictors predict the outcome perfectly, so the coefficients "
        "are infinite (SPSS then reports unreliable estimates).",
    ),
    "separation_in_category": (
        "Scheiding: bij {var} = {value} is de uitkomst altijd {outcome}, zodat de coëfficiënt "
        "van die categorie oneindig wordt; voeg categorieën samen of laat ze weg.",
        "Separation: where {var} = {value} the outcome is always {outcome}, so that category's "
        "coefficient is infinite; merge or drop categories.",
    ),
    "no_convergence": (
        "Het model convergeert niet na {iterations} iteraties; de schattingen zijn onbetrouwbaar.",
        "The model did not converge after {iterations} iterations; the estimates are unreliable.",
    ),
}


def _reason(code: str, **values: object) -> Reason:
    nl, en = _REASONS[code]
    return Reason(code, nl.format(**values), en.format(**values))


# --------------------------------------------------------------------------------------
# APA number formatting
# --------------------------------------------------------------------------------------


def fmt_stat(value: float, decimals: int = 2, lang: Lang = "nl") -> str:
    """A test statistic with fixed decimals: ``41.83`` (en) / ``41,83`` (nl)."""
    if value is None or not math.isfinite(float(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    # Half away from zero on the shortest decimal form, as SPSS displays (2.675 -> 2.68);
    # -0.004 shows as 0.00, not -0.00.
    shown = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if shown.is_zero():
        shown = abs(shown)
    return format_decimal(shown, format=pattern, locale=_LOCALES[lang])


def _strip_leading_zero(text: str) -> str:
    for sep in (".", ","):
        if text.startswith("0" + sep):
            return text[1:]
        if text.startswith("-0" + sep):
            return "-" + text[2:]
    return text


def fmt_bounded(value: float, decimals: int = 2, lang: Lang = "nl") -> str:
    """A statistic that cannot exceed one (r, V, φ, η², R²) without leading zero: ``.21``."""
    return _strip_leading_zero(fmt_stat(value, decimals, lang))


def fmt_p(p: float, lang: Lang = "nl") -> str:
    """APA p value: ``p < .001``, else ``p = .038`` (three decimals, no leading zero)."""
    if p is None or not math.isfinite(float(p)):
        return "p = –"
    if p < 0.001:
        return "p < " + _strip_leading_zero(fmt_stat(0.001, 3, lang))
    if round(p, 3) >= 1.0:
        return "p > " + _strip_leading_zero(fmt_stat(0.999, 3, lang))
    return "p = " + _strip_leading_zero(fmt_stat(p, 3, lang))


def fmt_n(n: int, lang: Lang = "nl") -> str:
    """A count with the language's thousands separator: ``1,872`` / ``1.872``."""
    return format_decimal(int(n), format="#,##0", locale=_LOCALES[lang])


def _fmt_df(df: float, lang: Lang) -> str:
    """Degrees of freedom: integers plainly, Welch's fractional df with two decimals."""
    if float(df).is_integer():
        return fmt_n(int(df), lang)
    return fmt_stat(df, 2, lang)


def _sep(lang: Lang) -> str:
    """Separator between two numbers in brackets: ``[1.17, 4.28]`` / ``[1,17; 4,28]``."""
    return "; " if lang == "nl" else ", "


# --------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------


def _as_series(values: object, name: str) -> pd.Series:
    """Any 1-d input as a positional Series (pairs are matched by position, like SPSS rows)."""
    if isinstance(values, pd.Series):
        out = values.reset_index(drop=True)
        return out if out.name is not None else out.rename(name)
    if isinstance(values, pd.Index):
        return pd.Series(values, name=values.name or name).reset_index(drop=True)
    return pd.Series(list(values) if not isinstance(values, np.ndarray) else values, name=name)


def _is_missing(s: pd.Series) -> pd.Series:
    """Missing as SPSS system-missing: NA/NaN/None, and blank strings in text columns."""
    missing = s.isna()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        text = s.astype("string").str.strip()
        missing = missing | text.eq("").fillna(False).astype(bool)
    return missing.astype(bool)


def _to_numeric(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Values as float; also the mask of present values that are not numbers (never dropped)."""
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        return s.astype("Float64").astype(float), pd.Series(False, index=s.index)
    missing = _is_missing(s)
    text = s.astype("string").str.strip().str.replace(",", ".", regex=False)
    num = pd.to_numeric(text.where(~missing), errors="coerce").astype(float)
    bad = num.isna() & ~missing
    return num, bad


def _examples(s: pd.Series, k: int = 3) -> str:
    return ", ".join(repr(v) for v in s.head(k).tolist())


def _label(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------------------
# Result base
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Result:
    """Shared behaviour: ``ok``/``reason``, APA text, dict and frame views."""

    ok: bool = True
    reason: Reason | None = None
    n: int = 0
    n_missing: int = 0

    _scalar_fields: ClassVar[tuple[str, ...]] = ()

    def apa(self, lang: Lang = "nl") -> str:
        """The APA sentence fragment, or the reason the test could not be computed."""
        if not self.ok:
            return self.reason.text(lang) if self.reason else ""
        return self._apa(lang)

    def _apa(self, lang: Lang) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def as_dict(self) -> dict[str, Any]:
        """Scalar results as plain Python values (JSON-friendly; NaN where not computed)."""
        out: dict[str, Any] = {
            "test": type(self).__name__,
            "ok": self.ok,
            "reason_code": self.reason.code if self.reason else None,
            "reason_nl": self.reason.nl if self.reason else None,
            "reason_en": self.reason.en if self.reason else None,
            "n": int(self.n),
            "n_missing": int(self.n_missing),
        }
        for name in self._scalar_fields:
            value = getattr(self, name)
            if isinstance(value, np.generic):
                value = value.item()
            out[name] = value
        return out


def _nan() -> float:
    return float("nan")


# --------------------------------------------------------------------------------------
# χ² test of independence (CROSSTABS)
# --------------------------------------------------------------------------------------

_CHI2_ROWS = {
    "pearson": ("Pearson Chi-Square", "Pearson chi-kwadraat"),
    "continuity": ("Continuity Correction", "Continuïteitscorrectie"),
    "likelihood_ratio": ("Likelihood Ratio", "Likelihood ratio"),
    "fisher": ("Fisher's Exact Test", "Exacte toets van Fisher"),
    "n_valid": ("N of Valid Cases", "Aantal geldige waarnemingen"),
}


@dataclass(frozen=True, kw_only=True)
class Chi2Result(_Result):
    """Pearson χ² test of independence, as SPSS CROSSTABS prints it.

    ``statistic``/``p_value`` are the "Pearson Chi-Square" row (no continuity correction).
    For a 2×2 table also ``continuity_statistic``/``continuity_p`` (Yates, SPSS's
    "Continuity Correction"), Fisher's exact p (two- and one-sided) and signed ``phi``.
    ``likelihood_ratio``/``likelihood_ratio_p`` for every table. The SPSS footnote is
    ``cells_expected_below_5``, ``share_expected_below_5`` and ``min_expected``.
    ``crosstab`` holds the observed counts (rows: x, columns: y, sorted).
    """

    statistic: float = field(default_factory=_nan)
    df: int = 0
    p_value: float = field(default_factory=_nan)
    cramers_v: float = field(default_factory=_nan)
    phi: float = field(default_factory=_nan)
    continuity_statistic: float = field(default_factory=_nan)
    continuity_p: float = field(default_factory=_nan)
    likelihood_ratio: float = field(default_factory=_nan)
    likelihood_ratio_p: float = field(default_factory=_nan)
    fisher_p: float = field(default_factory=_nan)
    fisher_p_one_sided: float = field(default_factory=_nan)
    cells_expected_below_5: int = 0
    share_expected_below_5: float = field(default_factory=_nan)
    min_expected: float = field(default_factory=_nan)
    crosstab: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    expected: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    _scalar_fields: ClassVar[tuple[str, ...]] = (
        "statistic",
        "df",
        "p_value",
        "cramers_v",
        "phi",
        "continuity_statistic",
        "continuity_p",
        "likelihood_ratio",
        "likelihood_ratio_p",
        "fisher_p",
        "fisher_p_one_sided",
        "cells_expected_below_5",
        "share_expected_below_5",
        "min_expected",
    )

    @property
    def is_2x2(self) -> bool:
        return self.crosstab.shape == (2, 2)

    def _apa(self, lang: Lang, effect: bool = False) -> str:
        text = (
            f"χ²({_fmt_df(self.df, lang)}, N = {fmt_n(self.n, lang)}) = "
            f"{fmt_stat(self.statistic, 2, lang)}, {fmt_p(self.p_value, lang)}"
        )
        if effect:
            if self.is_2x2:
                text += f", φ = {fmt_bounded(self.phi, 2, lang)}"
            else:
                text += f", V = {fmt_bounded(self.cramers_v, 2, lang)}"
        return text

    def apa(self, lang: Lang = "nl", *, effect: bool = False) -> str:
        """``χ²(1, N = 236) = 41.83, p < .001``; with ``effect=True`` φ (2×2) or Cramér's V."""
        if not self.ok:
            return self.reason.text(lang) if self.reason else ""
        return self._apa(lang, effect=effect)

    def footnote(self, lang: Lang = "nl") -> str:
        """SPSS's footnote under the Chi-Square Tests table."""
        if not self.ok:
            return ""
        count = self.cells_expected_below_5
        share = fmt_stat(100 * self.share_expected_below_5, 1, lang)
        minimum = fmt_stat(self.min_expected, 2, lang)
        if lang == "en":
            return (
                f"{count} cells ({share}%) have expected count less than 5. "
                f"The minimum expected count is {minimum}."
            )
        return (
            f"{count} cellen ({share}%) hebben een verwachte frequentie kleiner dan 5. "
            f"De kleinste verwachte frequentie is {minimum}."
        )

    def to_frame(self, lang: Lang = "nl") -> pd.DataFrame:
        """The SPSS "Chi-Square Tests" table: value, df, asymptotic and exact p per row."""
        idx = 0 if lang == "en" else 1
        nan = float("nan")
        rows = [("pearson", self.statistic, self.df, self.p_value, nan, nan)]
        if self.is_2x2:
            rows.append(
                ("continuity", self.continuity_statistic, self.df, self.continuity_p, nan, nan)
            )
        rows.append(
            ("likelihood_ratio", self.likelihood_ratio, self.df, self.likelihood_ratio_p, nan, nan)
        )
        if self.is_2x2:
            rows.append(("fisher", nan, nan, nan, self.fisher_p, self.fisher_p_one_sided))
        rows.append(("n_valid", float(self.n), nan, nan, nan, nan))
        frame = pd.DataFrame(
            rows,
            columns=["key", "value", "df", "p_value", "p_exact_two_sided", "p_exact_one_sided"],
        )
        frame.insert(1, "row", frame["key"].map(lambda k: _CHI2_ROWS[k][idx]))
        frame["df"] = frame["df"].astype("Int64")
        return frame


def chi2_independence(
    x: Iterable[Hashable] | pd.Series,
    y: Iterable[Hashable] | pd.Series,
    *,
    x_name: str | None = None,
    y_name: str | None = None,
) -> Chi2Result:
    """Pearson χ² test of independence between two categorical variables (SPSS CROSSTABS).

    Pairs with a missing value in either variable are dropped (``n`` valid, ``n_missing``
    dropped), as SPSS's "Case Processing Summary". Empty categories do not form a row or
    column. In the report these tests compare network meetings and words-and-pictures with
    the adult and child safety plans (lines 5305–5312; printed there as X2(N) = value, with
    N in the brackets instead of df).
    """
    xs, ys = _as_series(x, x_name or "x"), _as_series(y, y_name or "y")
    x_label, y_label = x_name or str(xs.name), y_name or str(ys.name)
    if len(xs) != len(ys):
        return Chi2Result(ok=False, reason=_reason("length_mismatch", a=len(xs), b=len(ys)))
    valid = ~(_is_missing(xs) | _is_missing(ys))
    n, n_missing = int(valid.sum()), int((~valid).sum())
    if n == 0:
        return Chi2Result(ok=False, reason=_reason("no_valid_cases"), n_missing=n_missing)
    table = pd.crosstab(xs[valid].rename(x_label), ys[valid].rename(y_label))
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    for axis, label in ((table.index, x_label), (table.columns, y_label)):
        if len(axis) < 2:
            reason = _reason("one_category", var=label, value=_label(axis[0]))
            return Chi2Result(ok=False, reason=reason, n=n, n_missing=n_missing, crosstab=table)

    observed = table.to_numpy(dtype=float)
    pearson = sps.chi2_contingency(observed, correction=False)
    lr = sps.chi2_contingency(observed, correction=False, lambda_="log-likelihood")
    expected = pearson.expected_freq
    below5 = int((expected < 5).sum())
    extra: dict[str, float] = {}
    if observed.shape == (2, 2):
        yates = sps.chi2_contingency(observed, correction=True)
        (a, b), (c, d) = observed
        margins = observed.sum(axis=1).prod() * observed.sum(axis=0).prod()
        less = sps.fisher_exact(observed, alternative="less").pvalue
        greater = sps.fisher_exact(observed, alternative="greater").pvalue
        extra = {
            "continuity_statistic": float(yates.statistic),
            "continuity_p": float(yates.pvalue),
            "phi": float((a * d - b * c) / math.sqrt(margins)),
            "fisher_p": float(sps.fisher_exact(observed).pvalue),
            "fisher_p_one_sided": float(min(less, greater)),
        }
    return Chi2Result(
        n=n,
        n_missing=n_missing,
        statistic=float(pearson.statistic),
        df=int(pearson.dof),
        p_value=float(pearson.pvalue),
        cramers_v=float(association(observed.astype(int), method="cramer")),
        likelihood_ratio=float(lr.statistic),
        likelihood_ratio_p=float(lr.pvalue),
        cells_expected_below_5=below5,
        share_expected_below_5=below5 / expected.size,
        min_expected=float(expected.min()),
        crosstab=table,
        expected=pd.DataFrame(expected, index=table.index, columns=table.columns),
        **extra,
    )


# --------------------------------------------------------------------------------------
# Mann–Whitney U (NPAR TESTS /M-W)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MannWhitneyResult(_Result):
    """Mann–Whitney U test as SPSS NPAR TESTS /M-W prints it.

    ``u`` is the smaller of U₁ and U₂ (SPSS prints min(U₁, U₂), so ``z`` is never positive);
    ``wilcoxon_w`` is the rank sum of the group that gives that smaller U — the group with the
    lower mean rank, whatever its size (the first group when both are equal) — so
    ``w = u + m(m+1)/2`` with m that group's size; ``z`` is the normal
    approximation corrected for ties, without continuity correction; ``p_value`` is the
    asymptotic two-sided p ("Asymp. Sig. (2-tailed)"); ``r = z/√N``. ``p_exact`` is the exact
    two-sided p (2 × one-sided, as SPSS's "Exact Sig. [2*(1-tailed Sig.)]") when there are no
    ties and N ≤ 40, else NaN. ``groups`` holds the SPSS "Ranks" table.
    """

    u: float = field(default_factory=_nan)
    wilcoxon_w: float = field(default_factory=_nan)
    z: float = field(default_factory=_nan)
    p_value: float = field(default_factory=_nan)
    p_exact: float = field(default_factory=_nan)
    r: float = field(default_factory=_nan)
    n1: int = 0
    n2: int = 0
    group1: object = None
    group2: object = None
    groups: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    _scalar_fields: ClassVar[tuple[str, ...]] = (
        "u",
        "wilcoxon_w",
        "z",
        "p_value",
        "p_exact",
        "r",
        "n1",
        "n2",
    )

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["group1"] = None if self.group1 is None else _label(self.group1)
        out["group2"] = None if self.group2 is None else _label(self.group2)
        return out

    def _apa(self, lang: Lang) -> str:
        return (
            f"U = {fmt_stat(self.u, 2, lang)}, z = {fmt_stat(self.z, 2, lang)}, "
            f"{fmt_p(self.p_value, lang)}, r = {fmt_bounded(self.r, 2, lang)}"
        )

    def to_frame(self, lang: Lang = "nl") -> pd.DataFrame:
        """SPSS "Ranks" table with the test statistics on every row (tidy form)."""
        frame = self.groups.copy()
        for name in ("u", "wilcoxon_w", "z", "p_value", "p_exact", "r"):
            frame[name] = getattr(self, name)
        return frame


def mann_whitney(
    values: Iterable[object] | pd.Series,
    groups: Iterable[Hashable] | pd.Series,
    *,
    levels: Sequence[Hashable] | None = None,
) -> MannWhitneyResult:
    """Mann–Whitney U test of ``values`` between two groups (SPSS NPAR TESTS /M-W).

    ``levels=(a, b)`` names the two groups as SPSS's ``BY g(a b)``; cases in other groups
    are then left out (counted in ``n_missing``), as SPSS does. Without ``levels`` the
    grouping variable must have exactly two values (sorted order). Cases with a missing
    value or group are dropped. Used in the report for network meetings and network size
    by presence of an adult safety plan (lines 5322–5330: U = 1850.00, z = −2.659, r = −.21).
    """
    vs, gs = _as_series(values, "values"), _as_series(groups, "groups")
    if len(vs) != len(gs):
        return MannWhitneyResult(ok=False, reason=_reason("length_mismatch", a=len(vs), b=len(gs)))
    num, bad = _to_numeric(vs)
    if bad.any():
        reason = _reason(
            "not_numeric", count=int(bad.sum()), var=vs.name, examples=_examples(vs[bad])
        )
        return MannWhitneyResult(ok=False, reason=reason)
    g_missing = _is_missing(gs)
    valid = num.notna() & ~g_missing
    if levels is not None:
        wanted = list(levels)
        if len(wanted) != 2:
            reason = _reason(
                "too_many_groups", k=len(wanted), groups=", ".join(map(_label, wanted))
            )
            return MannWhitneyResult(ok=False, reason=reason)
        valid = valid & gs.isin(wanted)
    n, n_missing = int(valid.sum()), int((~valid).sum())
    if n == 0:
        return MannWhitneyResult(ok=False, reason=_reason("no_valid_cases"), n_missing=n_missing)
    present = sorted(pd.unique(gs[valid]), key=_sort_key)
    if levels is None:
        if len(present) > 2:
            reason = _reason(
                "too_many_groups", k=len(present), groups=", ".join(map(_label, present))
            )
            return MannWhitneyResult(ok=False, reason=reason, n=n, n_missing=n_missing)
        wanted = present
    if len(present) < 2:
        absent = [g for g in wanted if g not in present]
        reason = (
            _reason("empty_group", group=_label(absent[0]))
            if absent
            else _reason("fewer_than_two_groups", groups=", ".join(map(_label, present)))
        )
        return MannWhitneyResult(ok=False, reason=reason, n=n, n_missing=n_missing)

    x = num[valid].to_numpy()
    g = gs[valid].to_numpy()
    a, b = wanted
    xa, xb = x[g == a], x[g == b]
    n1, n2 = len(xa), len(xb)
    if np.all(x == x[0]):
        return MannWhitneyResult(
            ok=False, reason=_reason("no_variance", value=_label(x[0])), n=n, n_missing=n_missing
        )
    ranks = sps.rankdata(x)
    rank_sum = np.array([ranks[g == a].sum(), ranks[g == b].sum()])
    test = sps.mannwhitneyu(
        xa, xb, alternative="two-sided", method="asymptotic", use_continuity=False
    )
    u1 = float(test.statistic)
    u = min(u1, n1 * n2 - u1)
    sigma = math.sqrt(sps.tiecorrect(ranks) * n1 * n2 * (n + 1) / 12.0)
    z = (u - n1 * n2 / 2.0) / sigma
    # SPSS's W is the rank sum of the group whose U is the smaller one (the lower mean
    # rank), not of the group with fewer cases: see docs/statistics.md.
    w = float(rank_sum[0] if u1 <= n1 * n2 - u1 else rank_sum[1])
    p_exact = float("nan")
    if n <= 40 and len(np.unique(x)) == n:
        p_exact = float(sps.mannwhitneyu(xa, xb, alternative="two-sided", method="exact").pvalue)
    table = pd.DataFrame(
        {
            "group": [_label(a), _label(b)],
            "n": [n1, n2],
            "mean_rank": rank_sum / np.array([n1, n2]),
            "sum_of_ranks": rank_sum,
        }
    )
    return MannWhitneyResult(
        n=n,
        n_missing=n_missing,
        u=u,
        wilcoxon_w=w,
        z=z,
        p_value=float(test.pvalue),
        p_exact=p_exact,
        r=z / math.sqrt(n),
        n1=n1,
        n2=n2,
        group1=a,
        group2=b,
        groups=table,
    )


def _sort_key(value: object) -> tuple[int, Any]:
    """Sort numbers before text, each in natural order (deterministic group order)."""
    if isinstance(value, bool | np.bool_):
        return (0, int(value))
    if isinstance(value, int | float | np.number):
        return (0, float(value))
    return (1, str(value))


# --------------------------------------------------------------------------------------
# One-way ANOVA with Welch's robust test (ONEWAY)
# --------------------------------------------------------------------------------------

_ANOVA_ROWS = {
    "between": ("Between Groups", "Tussen groepen"),
    "within": ("Within Groups", "Binnen groepen"),
    "total": ("Total", "Totaal"),
}


@dataclass(frozen=True, kw_only=True)
class AnovaResult(_Result):
    """One-way ANOVA as SPSS ONEWAY prints it, plus Welch's robust F and η².

    ``f``/``p_value`` with ``df_between``, ``df_within``; sums of squares ``ss_between``,
    ``ss_within``, ``ss_total``; ``eta_squared = ss_between/ss_total``. Welch's test
    ("Robust Tests of Equality of Means"): ``welch_f``, ``welch_df1``, ``welch_df2``,
    ``welch_p`` — NaN when a group has fewer than two cases or no variance (SPSS then
    prints no Welch row either). ``groups`` holds the SPSS "Descriptives" n/mean/sd.
    """

    f: float = field(default_factory=_nan)
    df_between: int = 0
    df_within: int = 0
    p_value: float = field(default_factory=_nan)
    ss_between: float = field(default_factory=_nan)
    ss_within: float = field(default_factory=_nan)
    ss_total: float = field(default_factory=_nan)
    eta_squared: float = field(default_factory=_nan)
    welch_f: float = field(default_factory=_nan)
    welch_df1: float = field(default_factory=_nan)
    welch_df2: float = field(default_factory=_nan)
    welch_p: float = field(default_factory=_nan)
    groups: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    _scalar_fields: ClassVar[tuple[str, ...]] = (
        "f",
        "df_between",
        "df_within",
        "p_value",
        "ss_between",
        "ss_within",
        "ss_total",
        "eta_squared",
        "welch_f",
        "welch_df1",
        "welch_df2",
        "welch_p",
    )

    @property
    def ms_between(self) -> float:
        return self.ss_between / self.df_between if self.df_between else float("nan")

    @property
    def ms_within(self) -> float:
        return self.ss_within / self.df_within if self.df_within else float("nan")

    def _apa(self, lang: Lang) -> str:
        return (
            f"F({_fmt_df(self.df_between, lang)}, {_fmt_df(self.df_within, lang)}) = "
            f"{fmt_stat(self.f, 2, lang)}, {fmt_p(self.p_value, lang)}, "
            f"η² = {fmt_bounded(self.eta_squared, 2, lang)}"
        )

    def apa_welch(self, lang: Lang = "nl") -> str:
        """Welch's robust test: ``Welch's F(2, 104.38) = 21.04, p < .001``."""
        if not self.ok:
            return self.reason.text(lang) if self.reason else ""
        if not math.isfinite(self.welch_f):
            return (
                "Welch's F is niet berekenbaar (een groep heeft minder dan twee waarnemingen "
                "of geen spreiding)."
                if lang == "nl"
                else "Welch's F cannot be computed (a group has fewer than two cases or no spread)."
            )
        return (
            f"Welch's F({_fmt_df(self.welch_df1, lang)}, {fmt_stat(self.welch_df2, 2, lang)}) = "
            f"{fmt_stat(self.welch_f, 2, lang)}, {fmt_p(self.welch_p, lang)}"
        )

    def to_frame(self, lang: Lang = "nl") -> pd.DataFrame:
        """The SPSS "ANOVA" table: sum of squares, df, mean square, F, p per source."""
        idx = 0 if lang == "en" else 1
        nan = float("nan")
        frame = pd.DataFrame(
            {
                "key": ["between", "within", "total"],
                "sum_of_squares": [self.ss_between, self.ss_within, self.ss_total],
                "df": [self.df_between, self.df_within, self.df_between + self.df_within],
                "mean_square": [self.ms_between, self.ms_within, nan],
                "f": [self.f, nan, nan],
                "p_value": [self.p_value, nan, nan],
            }
        )
        frame.insert(1, "source", frame["key"].map(lambda k: _ANOVA_ROWS[k][idx]))
        return frame


def anova_oneway(
    values: Iterable[object] | pd.Series,
    groups: Iterable[Hashable] | pd.Series,
) -> AnovaResult:
    """One-way ANOVA of ``values`` by ``groups`` (SPSS ONEWAY /STATISTICS WELCH).

    Cases with a missing value or group are dropped. The classic F comes from
    ``scipy.stats.f_oneway``; Welch's F from ``statsmodels.stats.oneway.anova_oneway``
    (``use_var="unequal"``), which is SPSS's "Robust Tests of Equality of Means". η² is
    SS_between / SS_total (SPSS MEANS /STATISTICS ANOVA "Eta Squared").
    """
    from statsmodels.stats.oneway import anova_oneway as sm_anova

    vs, gs = _as_series(values, "values"), _as_series(groups, "groups")
    if len(vs) != len(gs):
        return AnovaResult(ok=False, reason=_reason("length_mismatch", a=len(vs), b=len(gs)))
    num, bad = _to_numeric(vs)
    if bad.any():
        reason = _reason(
            "not_numeric", count=int(bad.sum()), var=vs.name, examples=_examples(vs[bad])
        )
        return AnovaResult(ok=False, reason=reason)
    valid = num.notna() & ~_is_missing(gs)
    n, n_missing = int(valid.sum()), int((~valid).sum())
    if n == 0:
        return AnovaResult(ok=False, reason=_reason("no_valid_cases"), n_missing=n_missing)
    data = pd.DataFrame({"value": num[valid].to_numpy(), "group": gs[valid].to_numpy()})
    order = sorted(pd.unique(data["group"]), key=_sort_key)
    k = len(order)
    if k < 2:
        reason = _reason("fewer_than_two_groups", groups=", ".join(map(_label, order)))
        return AnovaResult(ok=False, reason=reason, n=n, n_missing=n_missing)
    if n - k < 1:
        return AnovaResult(
            ok=False, reason=_reason("too_few_cases", n=n, k=k), n=n, n_missing=n_missing
        )

    desc = data.groupby("group", sort=False)["value"].agg(["count", "mean", "std", "var"])
    desc = desc.loc[order]
    grand = data["value"].mean()
    ss_between = float((desc["count"] * (desc["mean"] - grand) ** 2).sum())
    ss_within = float(
        ((data["value"] - data.groupby("group")["value"].transform("mean")) ** 2).sum()
    )
    ss_total = float(((data["value"] - grand) ** 2).sum())
    if ss_within <= 1e-12 * max(ss_total, 1.0):
        reason = (
            _reason("no_variance", value=_label(data["value"].iloc[0]))
            if ss_total == 0
            else (_reason("no_within_variance"))
        )
        return AnovaResult(ok=False, reason=reason, n=n, n_missing=n_missing)

    samples = [data.loc[data["group"] == g, "value"].to_numpy() for g in order]
    classic = sps.f_oneway(*samples)
    welch: dict[str, float] = {}
    if (desc["count"] >= 2).all() and (desc["var"] > 0).all():
        res = sm_anova(samples, use_var="unequal", welch_correction=True)
        welch = {
            "welch_f": float(res.statistic),
            "welch_df1": float(res.df_num),
            "welch_df2": float(res.df_denom),
            "welch_p": float(res.pvalue),
        }
    table = pd.DataFrame(
        {
            "group": [_label(g) for g in order],
            "n": desc["count"].astype(int).to_numpy(),
            "mean": desc["mean"].to_numpy(),
            "sd": desc["std"].to_numpy(),
        }
    )
    return AnovaResult(
        n=n,
        n_missing=n_missing,
        f=float(classic.statistic),
        df_between=k - 1,
        df_within=n - k,
        p_value=float(classic.pvalue),
        ss_between=ss_between,
        ss_within=ss_within,
        ss_total=ss_total,
        eta_squared=ss_between / ss_total,
        groups=table,
        **welch,
    )


# --------------------------------------------------------------------------------------
# Binary logistic regression (LOGISTIC REGRESSION)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LogisticResult(_Result):
    """Binary logistic regression as SPSS LOGISTIC REGRESSION (method Enter) prints it.

    ``coefficients`` is "Variables in the Equation": one row per term (``term`` as SPSS
    names it, e.g. ``rank(1)``; ``variable``; ``category`` for indicator terms) with ``b``,
    ``se``, ``wald``, ``df``, ``p_value``, ``exp_b``, ``ci_lower``, ``ci_upper`` (95% Wald
    interval of Exp(B)). A categorical predictor also gets an overall row (term = variable,
    df = categories − 1, Wald test of all its indicators) before its indicators, and the
    constant comes last, as in SPSS. Model: ``minus2ll`` (−2 Log likelihood),
    ``omnibus_chi2``/``omnibus_df``/``omnibus_p`` ("Omnibus Tests of Model Coefficients",
    Model row), ``cox_snell_r2``, ``nagelkerke_r2``. ``outcome_coding`` maps the original
    outcome values to 0/1 (SPSS's "Dependent Variable Encoding": the higher value is 1).
    """

    minus2ll: float = field(default_factory=_nan)
    minus2ll_null: float = field(default_factory=_nan)
    omnibus_chi2: float = field(default_factory=_nan)
    omnibus_df: int = 0
    omnibus_p: float = field(default_factory=_nan)
    cox_snell_r2: float = field(default_factory=_nan)
    nagelkerke_r2: float = field(default_factory=_nan)
    iterations: int = 0
    outcome_coding: dict[str, int] = field(default_factory=dict)
    coefficients: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    _scalar_fields: ClassVar[tuple[str, ...]] = (
        "minus2ll",
        "minus2ll_null",
        "omnibus_chi2",
        "omnibus_df",
        "omnibus_p",
        "cox_snell_r2",
        "nagelkerke_r2",
        "iterations",
    )

    def _apa(self, lang: Lang) -> str:
        return (
            f"χ²({_fmt_df(self.omnibus_df, lang)}, N = {fmt_n(self.n, lang)}) = "
            f"{fmt_stat(self.omnibus_chi2, 2, lang)}, {fmt_p(self.omnibus_p, lang)}, "
            f"Nagelkerke R² = {fmt_bounded(self.nagelkerke_r2, 2, lang)}"
        )

    def apa_term(self, term: str, lang: Lang = "nl") -> str:
        """One predictor: ``B = 0.80, SE = 0.33, Wald χ²(1) = 5.87, p = .015, OR = 2.24, 95% CI [1.17, 4.28]``."""
        if not self.ok:
            return self.reason.text(lang) if self.reason else ""
        rows = self.coefficients.loc[self.coefficients["term"] == term]
        if rows.empty:
            known = ", ".join(self.coefficients["term"])
            return (
                f"Term '{term}' zit niet in het model ({known})."
                if lang == "nl"
                else f"Term '{term}' is not in the model ({known})."
            )
        row = rows.iloc[0]
        wald = f"Wald χ²({_fmt_df(row['df'], lang)}) = {fmt_stat(row['wald'], 2, lang)}, {fmt_p(row['p_value'], lang)}"
        if pd.isna(row["b"]):
            return wald
        ci = "95%-BI" if lang == "nl" else "95% CI"
        return (
            f"B = {fmt_stat(row['b'], 2, lang)}, SE = {fmt_stat(row['se'], 2, lang)}, {wald}, "
            f"OR = {fmt_stat(row['exp_b'], 2, lang)}, {ci} "
            f"[{fmt_stat(row['ci_lower'], 2, lang)}{_sep(lang)}{fmt_stat(row['ci_upper'], 2, lang)}]"
        )

    def to_frame(self, lang: Lang = "nl") -> pd.DataFrame:
        """The SPSS "Variables in the Equation" table (``coefficients``)."""
        frame = self.coefficients.copy()
        if lang == "nl":
            frame["term"] = frame["term"].replace({"Constant": "Constante"})
        return frame

    def model_frame(self, lang: Lang = "nl") -> pd.DataFrame:
        """The SPSS "Model Summary" and omnibus test in one row."""
        return pd.DataFrame([{k: v for k, v in self.as_dict().items() if k in self._scalar_fields}])


def logistic(
    y: Iterable[object] | pd.Series,
    X: pd.DataFrame,
    *,
    categorical: Sequence[str] = (),
    reference: Literal["last", "first"] = "last",
    maxiter: int = 50,
) -> LogisticResult:
    """Binary logistic regression of ``y`` on the columns of ``X`` (SPSS LOGISTIC REGRESSION).

    Columns named in ``categorical`` — and every text, categorical or boolean column that is
    not numeric — get indicator (dummy) coding with the reference category ``last`` (SPSS
    default ``/CONTRAST (v)=Indicator``) or ``first`` (``Indicator(1)``); terms are named as
    SPSS does, ``var(1)``, ``var(2)``, …, and the ``category`` column says which value each
    stands for. Rows with a missing outcome or predictor are dropped listwise. The outcome
    must have two values; the higher (or ``True``) is coded 1. Fitted by maximum likelihood
    with ``statsmodels`` Logit (Newton–Raphson). The report uses this for network meetings
    and network size predicting an adult safety plan (lines 5331–5339).
    """
    # the model module alone: statsmodels.api also imports graphics and time series
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        PerfectSeparationError,
        PerfectSeparationWarning,
    )
    from statsmodels.tools.tools import add_constant

    if not isinstance(X, pd.DataFrame):
        X = pd.DataFrame(X)
    if X.shape[1] == 0:
        return LogisticResult(ok=False, reason=_reason("no_predictors"))
    unknown = [c for c in categorical if c not in X.columns]
    if unknown:
        return LogisticResult(
            ok=False, reason=_reason("unknown_column", columns=", ".join(map(str, unknown)))
        )
    ys = _as_series(y, "y")
    Xr = X.reset_index(drop=True)
    if len(ys) != len(Xr):
        return LogisticResult(ok=False, reason=_reason("length_mismatch", a=len(ys), b=len(Xr)))

    cat_cols = [
        c
        for c in Xr.columns
        if c in categorical
        or not pd.api.types.is_numeric_dtype(Xr[c].dtype)
        or pd.api.types.is_bool_dtype(Xr[c].dtype)
    ]
    num_cols = [c for c in Xr.columns if c not in cat_cols]
    numeric: dict[Hashable, pd.Series] = {}
    for c in num_cols:
        numeric[c] = Xr[c].astype("Float64").astype(float)
    missing = _is_missing(ys)
    for c in Xr.columns:
        missing = missing | (numeric[c].isna() if c in numeric else _is_missing(Xr[c]))
    valid = ~missing
    n, n_missing = int(valid.sum()), int(missing.sum())
    if n == 0:
        return LogisticResult(ok=False, reason=_reason("no_valid_cases"), n_missing=n_missing)

    yv = ys[valid]
    outcome_values = sorted(pd.unique(yv), key=_sort_key)
    if len(outcome_values) != 2:
        reason = _reason("outcome_not_binary", values=", ".join(map(_label, outcome_values)))
        return LogisticResult(ok=False, reason=reason, n=n, n_missing=n_missing)
    coding = {_label(outcome_values[0]): 0, _label(outcome_values[1]): 1}
    endog = (yv == outcome_values[1]).astype(float).to_numpy()

    design: dict[str, np.ndarray] = {}
    term_info: list[dict[str, object]] = []
    groups: dict[str, list[str]] = {}
    for c in Xr.columns:
        col = Xr.loc[valid, c]
        if c in numeric:
            values = numeric[c][valid].to_numpy()
            if np.all(values == values[0]):
                return LogisticResult(
                    ok=False,
                    reason=_reason("constant_predictor", var=c, value=_label(values[0])),
                    n=n,
                    n_missing=n_missing,
                )
            design[str(c)] = values
            term_info.append({"term": str(c), "variable": str(c), "category": pd.NA})
            continue
        cats = sorted(pd.unique(col), key=_sort_key)
        if len(cats) < 2:
            return LogisticResult(
                ok=False,
                reason=_reason("constant_predictor", var=c, value=_label(cats[0])),
                n=n,
                n_missing=n_missing,
            )
        outcome_range = pd.Series(endog).groupby(col.to_numpy()).agg(["min", "max"])
        pure = outcome_range.index[outcome_range["min"] == outcome_range["max"]]
        if len(pure):
            first = sorted(pure, key=_sort_key)[0]
            outcome = outcome_values[int(outcome_range.loc[first, "min"])]
            reason = _reason(
                "separation_in_category", var=c, value=_label(first), outcome=_label(outcome)
            )
            return LogisticResult(ok=False, reason=reason, n=n, n_missing=n_missing)
        kept = cats[:-1] if reference == "last" else cats[1:]
        names = []
        for i, cat in enumerate(kept, start=1):
            name = f"{c}({i})"
            design[name] = (col == cat).to_numpy(dtype=float)
            term_info.append({"term": name, "variable": str(c), "category": _label(cat)})
            names.append(name)
        groups[str(c)] = names

    exog_frame = pd.DataFrame(design)
    exog = add_constant(exog_frame.to_numpy(), has_constant="add")
    if np.linalg.matrix_rank(exog) < exog.shape[1]:
        return LogisticResult(ok=False, reason=_reason("collinear"), n=n, n_missing=n_missing)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = Logit(endog, exog)
            fit = model.fit(method="newton", maxiter=maxiter, disp=False)
        except (PerfectSeparationError, np.linalg.LinAlgError):
            return LogisticResult(
                ok=False, reason=_reason("perfect_separation"), n=n, n_missing=n_missing
            )
    kinds = {type(w.message) for w in caught} | {w.category for w in caught}
    fitted = fit.predict()
    separated = PerfectSeparationWarning in kinds or bool(
        np.all((fitted < 1e-8) | (fitted > 1 - 1e-8)) or np.any(~np.isfinite(fit.bse))
    )
    if separated or _quasi_separated(fit.params, fitted):
        return LogisticResult(
            ok=False, reason=_reason("perfect_separation"), n=n, n_missing=n_missing
        )
    if not fit.mle_retvals.get("converged", False) or ConvergenceWarning in kinds:
        reason = _reason("no_convergence", iterations=maxiter)
        return LogisticResult(ok=False, reason=reason, n=n, n_missing=n_missing)

    names = [*design.keys(), "Constant"]
    params = np.r_[fit.params[1:], fit.params[0]]
    bse = np.r_[fit.bse[1:], fit.bse[0]]
    wald = (params / bse) ** 2
    rows = pd.DataFrame(
        {
            "term": names,
            "variable": [*(t["variable"] for t in term_info), "Constant"],
            "category": pd.array([*(t["category"] for t in term_info), pd.NA], dtype="string"),
            "b": params,
            "se": bse,
            "wald": wald,
            "df": 1,
            "p_value": sps.chi2.sf(wald, 1),
            "exp_b": np.exp(params),
            "ci_lower": np.exp(params - _Z975 * bse),
            "ci_upper": np.exp(params + _Z975 * bse),
        }
    )
    rows.loc[rows["term"] == "Constant", ["ci_lower", "ci_upper"]] = np.nan
    overall = []
    for var, terms in groups.items():
        idx = [names.index(t) + 1 if t != "Constant" else 0 for t in terms]
        restriction = np.zeros((len(idx), exog.shape[1]))
        restriction[np.arange(len(idx)), idx] = 1.0
        test = fit.wald_test(restriction, scalar=True)
        overall.append(
            {
                "term": var,
                "variable": var,
                "category": pd.NA,
                "wald": float(test.statistic),
                "df": len(idx),
                "p_value": float(test.pvalue),
            }
        )
    if overall:
        # The overall row of a categorical predictor precedes its indicators, as in SPSS.
        parts = []
        ov = pd.DataFrame(overall)
        for var in rows["variable"].drop_duplicates():
            if var in groups:
                parts.append(ov.loc[ov["variable"] == var])
            parts.append(rows.loc[rows["variable"] == var])
        rows = pd.concat(parts, ignore_index=True)
    rows["df"] = rows["df"].astype("Int64")
    rows["category"] = rows["category"].astype("string")

    llf, llnull = float(fit.llf), float(fit.llnull)
    chi2 = 2.0 * (llf - llnull)
    cox_snell = 1.0 - math.exp(2.0 * (llnull - llf) / n)
    max_cs = 1.0 - math.exp(2.0 * llnull / n)
    return LogisticResult(
        n=n,
        n_missing=n_missing,
        minus2ll=-2.0 * llf,
        minus2ll_null=-2.0 * llnull,
        omnibus_chi2=chi2,
        omnibus_df=int(round(fit.df_model)),
        omnibus_p=float(sps.chi2.sf(chi2, fit.df_model)),
        cox_snell_r2=cox_snell,
        nagelkerke_r2=cox_snell / max_cs,
        iterations=int(fit.mle_retvals.get("iterations", 0)),
        outcome_coding=coding,
        coefficients=rows,
    )


def _quasi_separated(params: np.ndarray, fitted: np.ndarray) -> bool:
    """Separation shows as huge coefficients with fitted probabilities of exactly 0 or 1."""
    return bool(
        np.nanmax(np.abs(params)) > 25 and np.mean((fitted < 1e-10) | (fitted > 1 - 1e-10)) > 0
    )


__all__ = [
    "AnovaResult",
    "Chi2Result",
    "LogisticResult",
    "MannWhitneyResult",
    "Reason",
    "anova_oneway",
    "chi2_independence",
    "fmt_bounded",
    "fmt_n",
    "fmt_p",
    "fmt_stat",
    "logistic",
    "mann_whitney",
]

from sofs_lib.reliability import cronbach_alpha, floor_ceiling, wilcoxon_signed_rank  # noqa: E402,F401,I001


# Cross-table cell statistics, k-group tests and stratified 2×2 tests live in
# sofs_lib.stats_tables (imported lazily there to keep this module importable on its own).
def __getattr__(name: str) -> Any:
    from sofs_lib import stats_tables

    if name in ("crosstab_cells", "kruskal_wallis", "posthoc_means", "mantel_haenszel"):
        return getattr(stats_tables, name)
    raise AttributeError(f"module 'sofs_lib.stats' has no attribute {name!r}")
