"""Durations: time from the start of a trajectory to each step, module duration and
plan B timing (report lines 5363–5430, Fig. 12).

Months are days / 30.4375 (``sofs_lib.indicators.derive.DAYS_PER_MONTH``), measured from
``start_date`` (the start at the contextbegeleider). Negative months mean the date lies
before the start — kept, because the report shows these are real (lines 5375, 5395).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sofs_lib.catalogue import DURATION_GUIDELINE_MONTHS, STEP_KEYS
from sofs_lib.indicators.derive import (
    Population,
    distribution_table,
    population_mask,
    prepare,
    shares_table,
)


def months_to_steps(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Months from the start to each step (Fig. 12, lines 5363–5375).

    Indicator ``months_to_step``, inner key ``step`` (the ten steps in catalogue order):
    n (steps with a date), mean, sd, median, min, max. Report: adult safety plan after
    7.6 months on average, from −3 to 22. The network meetings are not in Fig. 12 (no
    dates, line 5430) and not here.
    """
    cols = [f"{k}_months" for k in STEP_KEYS]
    df = prepare(df, by, cols, "months_to_steps")
    items = {k: df[f"{k}_months"] for k in STEP_KEYS}
    return distribution_table(
        df, by, "months_to_step", items, key="step", eligible=population_mask(df, population)
    )


def module_duration(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Module duration from start to end date in months (line 5383: mean 9.2 months).

    Indicator ``duration_months``: n, mean, sd, median, min, max over trajectories with
    both dates (closed ones; an open trajectory has no end date).
    """
    df = prepare(df, by, ["duration_months"], "module_duration")
    return distribution_table(
        df,
        by,
        "duration_months",
        {"x": df["duration_months"]},
        eligible=population_mask(df, population),
    )


def duration_guideline(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Duration against the 4–8 month guideline (lines 5383–5385, 5492).

    Over trajectories with a known duration: ``duration_at_most_8`` (≤ 8 months, report
    60.2%), ``duration_over_8`` (> 8 months, 39.8%) and ``duration_4_to_8`` (within the
    guideline, 4–8 months inclusive). Note the all-steps cross (line 5057) uses "8 months
    or longer" instead; see ``fidelity.all_steps_by_duration``.
    """
    df = prepare(df, by, ["duration_months"], "duration_guideline")
    low, high = DURATION_GUIDELINE_MONTHS
    months = df["duration_months"]
    known = months.notna()
    elig = population_mask(df, population)

    def flag(cond: pd.Series) -> pd.Series:
        return cond.astype("boolean").where(known, pd.NA)

    tables = [
        shares_table(df, by, name, {"x": flag(cond)}, eligible=elig)
        for name, cond in (
            ("duration_at_most_8", months <= high),
            ("duration_over_8", months > high),
            ("duration_4_to_8", (months >= low) & (months <= high)),
        )
    ]
    return pd.concat(tables, ignore_index=True)


def plan_b_timing(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Months from the start until plan B took effect (line 5385: mean 3.6, −5 to 15).

    Indicator ``plan_b_active_months``: n (trajectories with a plan B date), mean, sd,
    median, min, max.
    """
    df = prepare(df, by, ["plan_b_active_months"], "plan_b_timing")
    return distribution_table(
        df,
        by,
        "plan_b_active_months",
        {"x": df["plan_b_active_months"]},
        eligible=population_mask(df, population),
    )


def plan_b_at_or_before_start(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Plan B took effect on or before the start date (line 5387: 21%).

    Indicator ``plan_b_at_or_before_start``: plan B date ≤ start date / trajectories with
    both dates ("voor of gelijktijdig met de startdatum": the focus is a return home).
    """
    df = prepare(df, by, ["plan_b_active_months"], "plan_b_at_or_before_start")
    months = df["plan_b_active_months"]
    flag = (months <= 0).astype("boolean").where(months.notna(), pd.NA)
    return shares_table(
        df, by, "plan_b_at_or_before_start", {"x": flag}, eligible=population_mask(df, population)
    )
