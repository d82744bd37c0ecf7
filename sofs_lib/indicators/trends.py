"""Trends by closing year (report lines 5433–5540, "Evolutie in trajecten").

The report compares closed trajectories by the year they closed (2021 n = 43, 2022
n = 139, 2023 n = 54; 2020 left out because it holds one trajectory, line 5435) with a
χ² test for shares (adult plan χ²(2) = 10.15, child plan, W&P, plan B in network) and a
one-way ANOVA for means (network meetings F(2,145) = 6.21, network figures
F(2,205) = 1.27). ``trends`` does this for every fidelity figure.

The shares come from the same indicator functions as everywhere else, grouped by
``closing_year``; each χ² is computed from exactly the counts in that table (year ×
taken / not taken; year × kind for the plan B kind), so the test and the percentages can
never disagree. Note: the report prints χ²(4) for the child plan, which a year ×
yes/no table cannot give (df = 2); here every yes/no figure has df = years − 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sofs_lib.errors import SofsInputError
from sofs_lib.indicators.derive import population_mask, prepare
from sofs_lib.indicators.durations import duration_guideline, module_duration
from sofs_lib.indicators.fidelity import (
    all_steps,
    network_meetings_distribution,
    network_meetings_guideline,
    network_size_distribution,
    step_rates,
)
from sofs_lib.indicators.plan_b import plan_b_in_effect, plan_b_type_in_effect

YEAR = "closing_year"

#: Share indicators whose inner categories partition one denominator: one χ² over the
#: year × category table instead of one per category.
CATEGORICAL_SHARES: frozenset[str] = frozenset({"plan_b_type_in_effect"})

#: Means compared with ANOVA: indicator id -> column of the cleaned/derived frame.
MEAN_VARIABLES: dict[str, str] = {
    "network_meetings": "network_meetings",
    "network_size": "network_size",
    "duration_months": "duration_months",
}


@dataclass(frozen=True)
class TrendResult:
    """Fidelity figures by closing year with their tests.

    - ``shares``: ``closing_year, indicator, key, numerator, denominator, share``
      (``key`` is the step or plan B kind, NA for single figures);
    - ``means``: ``closing_year, indicator, n, mean, sd, median, min, max``;
    - ``tests``: one row per test: ``indicator, key, test`` (``chi2``/``anova``), ``n``,
      ``statistic``, ``df`` (text, ``"2"`` or ``"2, 145"``), ``p_value``, ``ok``,
      ``reason`` (Dutch, empty when ok) and ``apa`` (Dutch APA text);
    - ``results``: the ``sofs_lib.stats`` result objects by ``(indicator, key)``;
    - ``years``: the closing years compared; ``excluded``: closed trajectories left out
      because their closing year is not among them.
    """

    shares: pd.DataFrame
    means: pd.DataFrame
    tests: pd.DataFrame
    results: dict[tuple[str, str | None], Any] = field(repr=False)
    years: tuple[int, ...] = ()
    excluded: int = 0


def closed_in_years(
    df: pd.DataFrame, years: Sequence[int] | None = None
) -> tuple[pd.DataFrame, tuple[int, ...], int]:
    """Closed trajectories whose closing year is in ``years`` (all closing years if None).

    Returns the subset (with derived columns), the years and how many closed trajectories
    fell outside them.
    """
    df = prepare(df, [YEAR], ["status", "network_meetings", "network_size"], "trends")
    closed = df[population_mask(df, "closed")]
    present = sorted(int(y) for y in closed[YEAR].dropna().unique())
    if years is None:
        chosen = tuple(present)
    else:
        try:
            chosen = tuple(sorted({int(y) for y in years}))
        except (TypeError, ValueError) as exc:
            raise SofsInputError(f"years must be whole years such as 2021, got {years!r}") from exc
    keep = closed[YEAR].isin(list(chosen)).fillna(False).to_numpy(dtype=bool)
    return closed[keep], chosen, int((~keep).sum())


def _share_tables(sub: pd.DataFrame) -> pd.DataFrame:
    by = [YEAR]
    tables = [
        step_rates(sub, by, population="closed").rename(columns={"step": "key"}),
        all_steps(sub, by),
        network_meetings_guideline(sub, by, population="closed"),
        plan_b_in_effect(sub, by),
        plan_b_type_in_effect(sub, by).rename(columns={"plan_b": "key"}),
        duration_guideline(sub, by),
    ]
    out = pd.concat(tables, ignore_index=True)
    out["key"] = out["key"].astype("str") if "key" in out else pd.NA
    out.loc[out["key"].isin(["nan", "None", "<NA>"]), "key"] = None
    cols = [YEAR, "indicator", "key", "numerator", "denominator", "share"]
    return out[cols]


def _mean_tables(sub: pd.DataFrame) -> pd.DataFrame:
    by = [YEAR]
    tables = [
        network_meetings_distribution(sub, by, population="closed"),
        network_size_distribution(sub, by, population="closed"),
        module_duration(sub, by),
    ]
    return pd.concat(tables, ignore_index=True)


def _expand(
    years: np.ndarray, counts: np.ndarray, codes: np.ndarray, categories: list[str]
) -> tuple[pd.Series, pd.Series]:
    """Raw (year, outcome) pairs from a table of counts, for the χ² test.

    The outcome is categorical (built from codes): the labels people read, cheap to cross.
    """
    counts = counts.astype(np.int64)
    outcome = pd.Categorical.from_codes(np.repeat(codes, counts), categories=categories)
    return (
        pd.Series(np.repeat(years, counts), name="Jaar van afsluiting"),
        pd.Series(outcome, name="uitkomst"),
    )


def _chi2_from_table(group: pd.DataFrame, categorical: bool) -> Any:
    from sofs_lib import stats

    years = group[YEAR].to_numpy(dtype=np.int64)
    if categorical:
        labels = group["key"].astype(str).tolist()
        cats = list(dict.fromkeys(labels))
        codes = np.array([cats.index(v) for v in labels], dtype=np.int64)
        x, y = _expand(years, group["numerator"].to_numpy(), codes, cats)
    else:
        num = group["numerator"].to_numpy()
        den = group["denominator"].to_numpy()
        both_years = np.concatenate([years, years])
        both_counts = np.concatenate([num, den - num])
        codes = np.repeat(np.array([0, 1], dtype=np.int64), len(group))
        x, y = _expand(both_years, both_counts, codes, ["ja", "nee"])
    return stats.chi2_independence(x, y, x_name="Jaar van afsluiting", y_name="uitkomst")


def _test_row(indicator: str, key: str | None, kind: str, res: Any) -> dict[str, Any]:
    if kind == "chi2":
        statistic = getattr(res, "statistic", float("nan"))
        dof = str(res.df) if res.ok else ""
    else:
        statistic = getattr(res, "f", float("nan"))
        dof = f"{res.df_between}, {res.df_within}" if res.ok else ""
    return {
        "indicator": indicator,
        "key": key,
        "test": kind,
        "n": int(res.n),
        "statistic": float(statistic) if res.ok else float("nan"),
        "df": dof,
        "p_value": float(res.p_value) if res.ok else float("nan"),
        "ok": bool(res.ok),
        "reason": "" if res.ok or res.reason is None else res.reason.nl,
        "apa": res.apa("nl"),
    }


def trends(df: pd.DataFrame, years: Sequence[int] | None = None) -> TrendResult:
    """Every fidelity figure of closed trajectories by closing year, with χ² / ANOVA.

    ``years`` picks the closing years to compare (the report left out its first closing
    year, which had a single trajectory); ``None`` compares every closing year present.
    Shares: step rates (each step, and ``network_meeting`` = a meeting held), all steps,
    meetings ≥ 6 / 6–12 / > 12, plan B in effect, plan B kind among those in effect,
    duration ≤ 8 / > 8 / 4–8 months. Means: network meetings, network size, module
    duration. A test that cannot be computed (one year, no variation) has ``ok`` False
    and a reason; it never raises.
    """
    from sofs_lib import stats

    sub, chosen, excluded = closed_in_years(df, years)
    shares = _share_tables(sub)
    means = _mean_tables(sub)
    rows: list[dict[str, Any]] = []
    results: dict[tuple[str, str | None], Any] = {}
    keys = shares[["indicator", "key"]].drop_duplicates()
    for indicator, key in keys.itertuples(index=False):
        key = None if pd.isna(key) else key
        if indicator in CATEGORICAL_SHARES:
            if (indicator, None) in results:
                continue
            group = shares[shares["indicator"] == indicator]
            res = _chi2_from_table(group, categorical=True)
            results[(indicator, None)] = res
            rows.append(_test_row(indicator, None, "chi2", res))
            continue
        mask = shares["indicator"] == indicator
        mask &= shares["key"].isna() if key is None else shares["key"] == key
        res = _chi2_from_table(shares[mask], categorical=False)
        results[(indicator, key)] = res
        rows.append(_test_row(indicator, key, "chi2", res))
    for indicator, column in MEAN_VARIABLES.items():
        values = pd.to_numeric(sub[column]).astype("Float64").reset_index(drop=True)
        groups = sub[YEAR].astype("Int64").reset_index(drop=True)
        res = stats.anova_oneway(values, groups)
        results[(indicator, None)] = res
        rows.append(_test_row(indicator, None, "anova", res))
    tests = pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "key",
            "test",
            "n",
            "statistic",
            "df",
            "p_value",
            "ok",
            "reason",
            "apa",
        ],
    )
    return TrendResult(
        shares=shares, means=means, tests=tests, results=results, years=chosen, excluded=excluded
    )
