"""Plan B: defined at the start, and taking effect (report lines 5257–5295, Fig. 9).

Plan B is where the child goes if it cannot stay home: in the network (``network``) or a
residential module (``residential``). ``plan_b`` is the kind defined at the start;
``plan_b_active`` says whether plan B took effect (true/false, NA when blank).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sofs_lib.catalogue import PLAN_B
from sofs_lib.errors import SofsInputError
from sofs_lib.indicators.derive import Population, population_mask, prepare, shares_table

#: Inner key for a blank plan B kind.
NO_TYPE = "none"
#: Inner keys of the plan B kind tables: the catalogue kinds, then blank.
PLAN_B_KEYS: tuple[str, ...] = (*PLAN_B, NO_TYPE)


def _kind_items(df: pd.DataFrame) -> dict[str, pd.Series]:
    kind = df["plan_b"].to_numpy(dtype=object)
    blank = pd.isna(kind)
    items = {k: pd.Series(kind == k, index=df.index, dtype="boolean") for k in PLAN_B}
    known = np.logical_or.reduce([item.to_numpy(dtype=bool) for item in items.values()])
    unknown = ~(known | blank)
    if unknown.any():
        raise SofsInputError(
            f"column plan_b holds unknown kinds {sorted({str(v) for v in kind[unknown]})[:3]}; "
            f"expected {', '.join(PLAN_B)} or empty"
        )
    items[NO_TYPE] = pd.Series(blank, index=df.index, dtype="boolean")
    return items


def plan_b_at_start(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "open"
) -> pd.DataFrame:
    """Plan B defined at the start, by kind, in open trajectories (Fig. 9, lines 5271–5281).

    Indicator ``plan_b_at_start``, inner key ``plan_b`` (``network``, ``residential``,
    ``none`` = left blank). The denominator is *every* trajectory of the population: a
    blank is a finding here, not a missing value (report: 27.6% network, 22.4%
    residential, the other half blank — some on purpose, line 5279).
    """
    df = prepare(df, by, ["plan_b"], "plan_b_at_start")
    return shares_table(
        df,
        by,
        "plan_b_at_start",
        _kind_items(df),
        key="plan_b",
        eligible=population_mask(df, population),
    )


def plan_b_in_effect(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Plan B took effect (line 5285: 46.7% of closed trajectories).

    Indicator ``plan_b_in_effect``: ``plan_b_active`` true / registered (true or false;
    blank excluded, line 5015).
    """
    df = prepare(df, by, ["plan_b_active"], "plan_b_in_effect")
    return shares_table(
        df,
        by,
        "plan_b_in_effect",
        {"x": df["plan_b_active"]},
        eligible=population_mask(df, population),
    )


def plan_b_type_in_effect(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "closed"
) -> pd.DataFrame:
    """Kind of plan B among trajectories where it took effect (lines 5285–5287).

    Indicator ``plan_b_type_in_effect``, inner key ``plan_b`` (``network``,
    ``residential``, ``none`` = no kind registered); denominator: every trajectory of the
    population with plan B in effect. Report: 49.4% network, 44.2% residential (the rest
    has no kind).
    """
    df = prepare(df, by, ["plan_b", "plan_b_active"], "plan_b_type_in_effect")
    active = df["plan_b_active"].fillna(False).to_numpy(dtype=bool)
    return shares_table(
        df,
        by,
        "plan_b_type_in_effect",
        _kind_items(df),
        key="plan_b",
        eligible=population_mask(df, population) & active,
    )
