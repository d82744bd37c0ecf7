"""Safety plans beside network meetings and words & pictures (Fig. 10–11) and the number of
network meetings by adult plan, as tidy frames the release can sum.

The report's Fig. 10 and 11 (lines 5298–5316) compare how often a network meeting was
held and a words & pictures was read in closed trajectories *with* and *without* an adult
or child safety plan; the χ² tests behind them are ``fidelity.cooccurrence_test``. Here the
same cross tables (``fidelity.cooccurrence``) are read as shares: of the trajectories with
(without) the plan, the share that held the step — one share per plan and plan value, so
a dashboard can draw the figure and the release can suppress and audit its counts.
Trajectories with either value missing are left out, as the report's N per test shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sofs_lib.indicators import fidelity
from sofs_lib.indicators.derive import (
    Population,
    distribution_table,
    population_mask,
    prepare,
    shares_table,
)

#: The plans of Fig. 10–11, as keys of ``fidelity.COOCCURRENCE_VARIABLES``.
PLANS: tuple[str, ...] = ("safety_plan_adult", "safety_plan_child")
#: Inner key of a plan group: ``<plan>:yes`` (plan made) or ``<plan>:no`` (not made).
PLAN_GROUPS: tuple[str, ...] = tuple(f"{p}:{v}" for p in PLANS for v in ("yes", "no"))


def step_by_plan(
    df: pd.DataFrame,
    by: Sequence[str] = (),
    population: Population = "closed",
    step: str = "network_meeting_held",
) -> pd.DataFrame:
    """Share of trajectories that took ``step`` (``network_meeting_held`` for Fig. 10,
    ``words_pictures`` for Fig. 11), among those with and without each safety plan.

    Indicator ``<step>_by_plan``, inner key ``plan_group`` (``PLAN_GROUPS``). Numerator:
    step taken; denominator: trajectories of that plan group with both values registered
    (the cells of ``fidelity.cooccurrence(df, plan, step)``'s row).
    """
    step_col = fidelity.COOCCURRENCE_VARIABLES[step]
    plan_cols = [fidelity.COOCCURRENCE_VARIABLES[p] for p in PLANS]
    df = prepare(df, by, [step_col, *plan_cols], "step_by_plan")
    taken = df[step_col].astype("boolean")
    items = {}
    for plan, plan_col in zip(PLANS, plan_cols, strict=True):
        made = df[plan_col].astype("boolean")
        both = (made.notna() & taken.notna()).to_numpy(dtype=bool)
        for value, label in ((True, "yes"), (False, "no")):
            group = both & (made.fillna(not value).to_numpy(dtype=bool) == value)
            items[f"{plan}:{label}"] = taken.where(group, pd.NA)
    return shares_table(
        df,
        by,
        f"{step}_by_plan",
        items,
        key="plan_group",
        eligible=population_mask(df, population),
    )


def meetings_by_plan(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Number of network meetings with and without an adult safety plan (lines 5332–5346,
    the Mann–Whitney test ``fidelity.mann_whitney_by_adult_plan``).

    Indicator ``network_meetings_by_plan``, inner key ``plan_group``
    (``safety_plan_adult:yes`` / ``:no``): n, mean, sd, median, min, max over usable counts
    of trajectories whose adult plan is registered.
    """
    df = prepare(df, by, ["network_meetings", "safety_plan_adult_taken"], "meetings_by_plan")
    plan = df["safety_plan_adult_taken"].astype("boolean")
    meetings = pd.to_numeric(df["network_meetings"]).astype("Float64")
    items = {
        "safety_plan_adult:yes": meetings.where(plan.fillna(False).to_numpy(dtype=bool)),
        "safety_plan_adult:no": meetings.where((~plan).fillna(False).to_numpy(dtype=bool)),
    }
    return distribution_table(
        df,
        by,
        "network_meetings_by_plan",
        items,
        key="plan_group",
        eligible=population_mask(df, population),
    )
