"""Model fidelity: which Signs of Safety steps were taken (report lines 5026–5080, 5207–5357).

Every function takes the cleaned dashboard frame (any subset), ``by`` grouping columns
and a ``population`` (``"all"``, ``"closed"`` or ``"open"``: the trajectories the report
takes the figure over; the default is the report's). Shares exclude missing values from
the denominator (line 5015), except ``all_steps`` which the report takes over all closed
trajectories (67/236, line 5053).

Statistical tests (χ², Mann–Whitney, logistic regression) come from ``sofs_lib.stats``
and return its result objects, which never raise: ``.ok`` / ``.reason`` say why a test
could not be computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from sofs_lib.catalogue import (
    CASE_TYPES,
    LABELS,
    NETWORK_MEETINGS_GUIDELINE,
    STEP_KEYS,
    STEP_LABELS,
)
from sofs_lib.errors import SofsInputError
from sofs_lib.indicators.derive import (
    Population,
    distribution_table,
    population_mask,
    prepare,
    shares_table,
)

#: Inner key used for the network meeting among the steps of Fig. 5.
NETWORK_MEETING_STEP = "network_meeting"
#: The eleven "steps" of Fig. 5 and lines 5045–5049: ten dated steps + network meeting held.
FIDELITY_STEPS: tuple[str, ...] = (*STEP_KEYS, NETWORK_MEETING_STEP)

#: Variables the co-occurrence tables (Fig. 10–11, lines 5298–5330) can cross.
COOCCURRENCE_VARIABLES: dict[str, str] = {
    "network_meeting_held": "network_meeting_held",
    "words_pictures": "words_pictures_taken",
    "safety_plan_adult": "safety_plan_adult_taken",
    "safety_plan_child": "safety_plan_child_taken",
}

#: Duration threshold (months) of the all-steps crosses (line 5057: "acht maanden of langer").
LONG_DURATION_MONTHS = 8.0


def _step_series(df: pd.DataFrame, step: str) -> pd.Series:
    if step == NETWORK_MEETING_STEP:
        return df["network_meeting_held"]
    return df[f"{step}_taken"]


def step_rates(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Share of trajectories in which each step was taken (Fig. 5, lines 5041–5066).

    Indicator ``step_taken``, inner key ``step`` (the ten steps of the catalogue, then
    ``network_meeting`` = at least one network meeting held). Numerator: step taken;
    denominator: step registered as taken or not taken (missing excluded, line 5015).
    Fig. 5 shows it for open and closed trajectories: ``by=["status"]``.
    """
    cols = [*(f"{k}_taken" for k in STEP_KEYS), "network_meeting_held"]
    df = prepare(df, by, cols, "step_rates")
    items = {step: _step_series(df, step) for step in FIDELITY_STEPS}
    return shares_table(
        df, by, "step_taken", items, key="step", eligible=population_mask(df, population)
    )


def _single_step(
    df: pd.DataFrame, by: Sequence[str], population: Population, step: str, indicator: str
) -> pd.DataFrame:
    df = prepare(df, by, [f"{step}_taken"], indicator)
    return shares_table(
        df,
        by,
        indicator,
        {step: df[f"{step}_taken"]},
        eligible=population_mask(df, population),
    )


def words_pictures(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Words & pictures read to the children and network (line 5063: 77.2% of closed).

    Indicator ``words_pictures``: W&P taken / W&P registered (taken or not).
    """
    return _single_step(df, by, population, "words_pictures", "words_pictures")


def safety_plan_adult(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Adult safety plan made (line 5073: 68.1% of closed).

    Indicator ``safety_plan_adult``: plan taken / plan registered (taken or not).
    """
    return _single_step(df, by, population, "safety_plan_adult", "safety_plan_adult")


def safety_plan_child(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Child version of the safety plan made (line 5075: 52.7% of closed).

    Indicator ``safety_plan_child``: plan taken / plan registered (taken or not).
    """
    return _single_step(df, by, population, "safety_plan_child", "safety_plan_child")


def all_steps(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """All Signs of Safety steps taken (line 5053: 28.4% = 67/236 of closed).

    "All steps" are the ten dated steps taken and at least one network meeting held —
    the steps the dashboard registers, listed on lines 5045–5049. The denominator is *every*
    trajectory of the population (67/236 uses all 236 closed): a step without
    registration counts as not taken. Indicator ``all_steps``.
    """
    df = prepare(df, by, ["all_steps"], "all_steps")
    return shares_table(
        df,
        by,
        "all_steps",
        {"all_steps": df["all_steps"].fillna(False)},
        eligible=population_mask(df, population),
    )


def all_steps_by_duration(
    df: pd.DataFrame,
    by: Sequence[str] = (),
    population: Population = "closed",
    months: float = LONG_DURATION_MONTHS,
) -> pd.DataFrame:
    """All steps crossed with a duration of at least ``months`` (lines 5053–5059).

    Two indicators, over trajectories of the population with a known duration:

    - ``long_duration_among_all_steps``: of the trajectories that took all steps, the
      share that lasted ≥ 8 months (report: 79.1%);
    - ``all_steps_among_long_duration``: of the trajectories that lasted ≥ 8 months, the
      share that took all steps (report: 39.9%).

    Duration in months of 30.4375 days (``derive``), "acht maanden of langer" = ≥ 8.

    The report's two figures cannot both hold with its own duration figures: 79.1% of
    67 is 53 trajectories, and 53 / 39.9% implies 133 trajectories of ≥ 8 months, while
    line 5383 says only 39.8% (94 of 236) lasted longer than 8 months. Data that match
    79.1% and 39.8% give about 56% here; the calibration should flag, not force, this.
    """
    df = prepare(df, by, ["all_steps", "duration_months"], "all_steps_by_duration")
    elig = population_mask(df, population)
    duration = df["duration_months"]
    known = duration.notna().to_numpy(dtype=bool)
    long = pd.Series(duration >= months, dtype="boolean").where(known, pd.NA)
    steps = df["all_steps"].fillna(False).astype("boolean")
    first = shares_table(
        df,
        by,
        "long_duration_among_all_steps",
        {"x": long},
        eligible=elig & steps.to_numpy(dtype=bool),
    )
    second = shares_table(
        df,
        by,
        "all_steps_among_long_duration",
        {"x": steps.where(known, pd.NA)},
        eligible=elig & long.fillna(False).to_numpy(dtype=bool),
    )
    return _concat([first, second], by)


def network_meeting_held(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """At least one network meeting held (Fig. 5 "netwerkberaden"; Fig. 7, lines 5207–5225).

    Indicator ``network_meeting_held``: held (a count ≥ 1 or a date in the cell) / cell
    filled. A blank cell is missing (11.9% of closed, line 5225).
    """
    df = prepare(df, by, ["network_meeting_held"], "network_meeting_held")
    return shares_table(
        df,
        by,
        "network_meeting_held",
        {"x": df["network_meeting_held"]},
        eligible=population_mask(df, population),
    )


def network_meetings_guideline(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Network meetings against the 6–12 guideline (line 5466: 32.9% held six or more).

    Over trajectories with a usable count (``network_meetings`` not missing; a date
    typed in the cell is no count). Indicators ``meetings_6_plus`` (≥ 6),
    ``meetings_6_to_12`` (6–12, within the guideline) and ``meetings_over_12`` (> 12).
    """
    df = prepare(df, by, ["network_meetings"], "network_meetings_guideline")
    low, high = NETWORK_MEETINGS_GUIDELINE
    count = df["network_meetings"].astype("Int64")
    elig = population_mask(df, population)
    tables = [
        shares_table(df, by, name, {"x": cond.astype("boolean")}, eligible=elig)
        for name, cond in (
            ("meetings_6_plus", count >= low),
            ("meetings_6_to_12", (count >= low) & (count <= high)),
            ("meetings_over_12", count > high),
        )
    ]
    return _concat(tables, by)


def network_meetings_distribution(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Number of network meetings per trajectory (Fig. 7, line 5217: 0–19, mean 5, median 4).

    Indicator ``network_meetings``: n, mean, sd, median, min, max over usable counts.
    """
    df = prepare(df, by, ["network_meetings"], "network_meetings_distribution")
    return distribution_table(
        df,
        by,
        "network_meetings",
        {"x": df["network_meetings"]},
        eligible=population_mask(df, population),
    )


def network_size_distribution(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Number of non-professional network persons (Fig. 8, line 5231: 0–12, mean/median 4).

    Indicator ``network_size``: n, mean, sd, median, min, max over filled counts.
    """
    df = prepare(df, by, ["network_size"], "network_size_distribution")
    return distribution_table(
        df,
        by,
        "network_size",
        {"x": df["network_size"]},
        eligible=population_mask(df, population),
    )


def case_types(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Distribution of the case type (Fig. 4, lines 5026–5034, 5095–5120; n = 370).

    Indicator ``case_type_share``, inner key ``case_type`` (``EM FM SM V IFG none`` in
    catalogue order): trajectories of that type / trajectories with a case type
    (unknown excluded).
    """
    by = [by] if isinstance(by, str) else list(by)
    if "case_type" in by:
        raise SofsInputError("case_types: cannot group by case_type itself")
    df = prepare(df, by, ["case_type"], "case_types")
    ctype = df["case_type"].to_numpy(dtype=object)
    known = ~pd.isna(ctype)
    hits = {code: ctype == code for code in CASE_TYPES}
    unknown = known & ~np.logical_or.reduce(list(hits.values()))
    if unknown.any():
        raise SofsInputError(
            f"column case_type holds unknown codes {sorted({str(v) for v in ctype[unknown]})[:3]}; "
            f"expected one of {', '.join(CASE_TYPES)}"
        )
    items = {
        code: pd.Series(hit, index=df.index, dtype="boolean").where(known, pd.NA)
        for code, hit in hits.items()
    }
    return shares_table(
        df,
        by,
        "case_type_share",
        items,
        key="case_type",
        eligible=population_mask(df, population),
    )


def plans_without_steps(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Safety plans made without a network meeting or without W&P (lines 5320–5330).

    Among trajectories with the plan made (and the other step registered):
    ``adult_plan_without_meeting`` (report: 4.1%), ``adult_plan_without_words_pictures``
    (9.7%), and the same for the child version ("een gelijkaardige bevinding").
    """
    cols = [
        "safety_plan_adult_taken",
        "safety_plan_child_taken",
        "network_meeting_held",
        "words_pictures_taken",
    ]
    df = prepare(df, by, cols, "plans_without_steps")
    elig = population_mask(df, population)
    tables = []
    for plan, plan_col in (
        ("adult", "safety_plan_adult_taken"),
        ("child", "safety_plan_child_taken"),
    ):
        with_plan = elig & df[plan_col].fillna(False).to_numpy(dtype=bool)
        for what, col in (
            ("meeting", "network_meeting_held"),
            ("words_pictures", "words_pictures_taken"),
        ):
            tables.append(
                shares_table(
                    df,
                    by,
                    f"{plan}_plan_without_{what}",
                    {"x": ~df[col].astype("boolean")},
                    eligible=with_plan,
                )
            )
    return _concat(tables, by)


def cooccurrence(
    df: pd.DataFrame,
    row: str,
    col: str,
    by: Sequence[str] = (),
    population: Population = "closed",
) -> pd.DataFrame:
    """Cross table of two taken/not-taken variables (Fig. 10–11, lines 5298–5330).

    ``row`` and ``col`` are keys of ``COOCCURRENCE_VARIABLES`` (``network_meeting_held``,
    ``words_pictures``, ``safety_plan_adult``, ``safety_plan_child``). Trajectories with
    either value missing are left out, as the report's N per test shows (236, 209, 233,
    207). Returns the ``by`` columns, ``indicator`` (``"<row>_x_<col>"``), ``row_value``
    and ``col_value`` (True/False), ``n`` (count), and ``row_share`` (n over its row total,
    NaN when that is 0). All four cells are always present.
    """
    by = [by] if isinstance(by, str) else list(by)
    for name in (row, col):
        if name not in COOCCURRENCE_VARIABLES:
            raise SofsInputError(
                f"cooccurrence: unknown variable {name!r}; choose from "
                f"{', '.join(COOCCURRENCE_VARIABLES)}"
            )
    rcol, ccol = COOCCURRENCE_VARIABLES[row], COOCCURRENCE_VARIABLES[col]
    df = prepare(df, by, [rcol, ccol], "cooccurrence")
    elig = population_mask(df, population)
    r = df[rcol].astype("boolean")
    c = df[ccol].astype("boolean")
    both = (r.notna() & c.notna()).to_numpy(dtype=bool) & elig
    rv = r.fillna(False).to_numpy(dtype=bool)
    cv = c.fillna(False).to_numpy(dtype=bool)
    cells = {
        f"{a}{b}": pd.Series(both & (rv == a) & (cv == b), index=df.index, dtype="boolean")
        for a in (True, False)
        for b in (True, False)
    }
    counts = shares_table(df, by, f"{row}_x_{col}", cells, key="_cell")
    cell = counts.pop("_cell")
    counts["row_value"] = cell.str.startswith("True")
    counts["col_value"] = cell.str.endswith("True")
    counts["n"] = counts.pop("numerator")
    counts = counts.drop(columns=["denominator", "share"])
    row_total = counts.groupby([*by, "row_value"], dropna=False, sort=False)["n"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        counts["row_share"] = np.where(
            row_total > 0, counts["n"] / row_total.where(row_total > 0, 1), np.nan
        )
    return counts[[*by, "indicator", "row_value", "col_value", "n", "row_share"]]


def _variable_label(name: str) -> str:
    """The Dutch label people read for a co-occurrence variable (catalogue)."""
    return LABELS[name] if name in LABELS else STEP_LABELS[name]


def _paired(
    df: pd.DataFrame, rcol: str, ccol: str, elig: np.ndarray
) -> tuple[pd.Series, pd.Series]:
    r = df[rcol].astype("boolean")
    c = df[ccol].astype("boolean")
    keep = elig & (r.notna() & c.notna()).to_numpy(dtype=bool)
    return r[keep].astype(bool), c[keep].astype(bool)


def cooccurrence_test(
    df: pd.DataFrame, row: str, col: str, population: Population = "closed"
) -> Any:
    """χ² test of independence behind a co-occurrence table (lines 5306–5316).

    The report prints e.g. "X2(236) = 41.83" for network meeting × adult plan: the number
    in brackets is N, the test has df = 1. Returns the ``sofs_lib.stats`` result.
    """
    from sofs_lib import stats

    for name in (row, col):
        if name not in COOCCURRENCE_VARIABLES:
            raise SofsInputError(
                f"cooccurrence_test: unknown variable {name!r}; choose from "
                f"{', '.join(COOCCURRENCE_VARIABLES)}"
            )
    rcol, ccol = COOCCURRENCE_VARIABLES[row], COOCCURRENCE_VARIABLES[col]
    df = prepare(df, (), [rcol, ccol], "cooccurrence_test")
    x, y = _paired(df, rcol, ccol, population_mask(df, population))
    return stats.chi2_independence(x, y, x_name=_variable_label(row), y_name=_variable_label(col))


#: The four tests of lines 5306–5316: (step, plan).
SAFETY_PLAN_TESTS: tuple[tuple[str, str], ...] = (
    ("network_meeting_held", "safety_plan_adult"),
    ("network_meeting_held", "safety_plan_child"),
    ("words_pictures", "safety_plan_adult"),
    ("words_pictures", "safety_plan_child"),
)


def safety_plan_tests(
    df: pd.DataFrame, population: Population = "closed"
) -> dict[tuple[str, str], Any]:
    """The report's four χ² tests (lines 5306–5316) as ``{(step, plan): result}``."""
    return {pair: cooccurrence_test(df, *pair, population=population) for pair in SAFETY_PLAN_TESTS}


def _by_adult_plan(
    df: pd.DataFrame, value_col: str, population: Population
) -> tuple[pd.Series, pd.Series]:
    plan = df["safety_plan_adult_taken"].astype("boolean")
    values = pd.to_numeric(df[value_col]).astype("Float64")
    keep = population_mask(df, population) & (plan.notna() & values.notna()).to_numpy(dtype=bool)
    return values[keep].astype("float64"), plan[keep].astype(bool)


def mann_whitney_by_adult_plan(
    df: pd.DataFrame, variable: str = "network_meetings", population: Population = "closed"
) -> Any:
    """Mann–Whitney U of ``network_meetings`` or ``network_size`` by adult plan (lines 5332–5346).

    Report, closed trajectories: meetings U = 1850.00, z = −2.659, r = −.21; network
    persons U = 637.50, z = −2.11, r = −.21. Returns the ``sofs_lib.stats`` result.
    """
    from sofs_lib import stats

    if variable not in ("network_meetings", "network_size"):
        raise SofsInputError(
            f"mann_whitney_by_adult_plan: variable must be network_meetings or network_size, "
            f"got {variable!r}"
        )
    df = prepare(df, (), [variable, "safety_plan_adult_taken"], "mann_whitney_by_adult_plan")
    values, groups = _by_adult_plan(df, variable, population)
    return stats.mann_whitney(values, groups)


def logistic_adult_plan(
    df: pd.DataFrame, variable: str = "network_meetings", population: Population = "closed"
) -> Any:
    """Logistic regression of adult plan made on ``variable`` (lines 5347–5357).

    Report, closed trajectories: meetings β = 0.13, Exp(β) = 1.14, −2LL = 102.38; network
    persons β = 0.26, Exp(β) = 1.30, −2LL = 178.00 (one predictor per model). Returns the
    ``sofs_lib.stats`` result.
    """
    from sofs_lib import stats

    if variable not in ("network_meetings", "network_size"):
        raise SofsInputError(
            f"logistic_adult_plan: variable must be network_meetings or network_size, "
            f"got {variable!r}"
        )
    df = prepare(df, (), [variable, "safety_plan_adult_taken"], "logistic_adult_plan")
    values, plan = _by_adult_plan(df, variable, population)
    return stats.logistic(plan.astype("int64"), values.to_frame(variable))


def _concat(tables: list[pd.DataFrame], by: Sequence[str]) -> pd.DataFrame:
    """Stack indicator tables, keeping indicator order within each group."""
    return pd.concat(tables, ignore_index=True)
