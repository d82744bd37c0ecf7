"""Partnership between contextbegeleider (CB) and consulent (report lines 5165–5196, Fig. 6).

Who registered which step: ``<step>_cb`` / ``<step>_consulent`` are true when that
person's column holds a date, ``ja`` or ``x``. The report reads presence as a share of the
trajectories in which the step was taken (CB 94.5% vs consulent 25.3% at the safety goal,
line 5169), and notes that in 5 of the 20 organisations consulents registered nothing at
all (line 5196) — so consulent presence is a lower bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sofs_lib.catalogue import STEP_KEYS
from sofs_lib.indicators.derive import (
    Population,
    distribution_table,
    population_mask,
    prepare,
    shares_table,
)

#: Who can register a step, in the order of Fig. 6.
PERSONS: tuple[str, ...] = ("cb", "consulent")


def step_presence(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """CB and consulent presence per step (Fig. 6, lines 5165–5175).

    Indicator ``presence``, inner keys ``step`` (catalogue order) and ``person``
    (``cb``, ``consulent``): trajectories where that person registered the step /
    trajectories where the step was taken (``<step>_taken`` true). Report, safety goal:
    CB 94.5%, consulent 25.3%.
    """
    cols = [f"{k}_{s}" for k in STEP_KEYS for s in ("taken", *PERSONS)]
    df = prepare(df, by, cols, "step_presence")
    elig = population_mask(df, population)
    tables = []
    for person in PERSONS:
        items = {}
        for key in STEP_KEYS:
            taken = df[f"{key}_taken"].fillna(False).to_numpy(dtype=bool)
            present = df[f"{key}_{person}"].fillna(False).astype("boolean")
            items[key] = present.where(taken, pd.NA)
        table = shares_table(df, by, "presence", items, key="step", eligible=elig)
        table.insert(table.columns.get_loc("step") + 1, "person", person)
        tables.append(table)
    out = pd.concat(tables, ignore_index=True)
    by_cols = [by] if isinstance(by, str) else list(by)
    order = {k: i for i, k in enumerate(STEP_KEYS)}
    out["_s"] = out["step"].map(order)
    out["_p"] = out["person"].map({p: i for i, p in enumerate(PERSONS)})
    out = out.sort_values([*by_cols, "_s", "_p"], kind="stable", na_position="last")
    return out.drop(columns=["_s", "_p"]).reset_index(drop=True)


def consulent_start_lag(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Consulent start relative to the CB start, in months (manual: both start dates).

    Indicator ``consulent_start_lag_months``: ``consulent_start_date − start_date``
    (positive: the consulent started later; lines 5400–5410 describe late appointments
    of consulents), n, mean, sd, median, min, max over trajectories with both dates.
    """
    df = prepare(df, by, ["consulent_start_lag_months"], "consulent_start_lag")
    return distribution_table(
        df,
        by,
        "consulent_start_lag_months",
        {"x": df["consulent_start_lag_months"]},
        eligible=population_mask(df, population),
    )


def consulent_start_order(
    df: pd.DataFrame, by: Sequence[str] = (), population: Population = "all"
) -> pd.DataFrame:
    """Whether the consulent started before, on, or after the CB start date.

    Indicators ``consulent_started_before_cb``, ``consulent_started_same_day`` and
    ``consulent_started_after_cb``, over trajectories with both start dates.
    """
    df = prepare(df, by, ["consulent_start_lag_days"], "consulent_start_order")
    lag = df["consulent_start_lag_days"].astype("Int64")
    elig = population_mask(df, population)
    tables = [
        shares_table(df, by, name, {"x": cond.astype("boolean")}, eligible=elig)
        for name, cond in (
            ("consulent_started_before_cb", lag < 0),
            ("consulent_started_same_day", lag == 0),
            ("consulent_started_after_cb", lag > 0),
        )
    ]
    return pd.concat(tables, ignore_index=True)


def consulent_registrations_by_organisation(df: pd.DataFrame) -> pd.DataFrame:
    """Per organisation: trajectories and consulent step registrations (line 5196).

    Columns ``organisation``, ``trajectories``, ``consulent_registrations`` (number of
    step cells a consulent filled, over all ten steps), ``consulent_trajectories``
    (trajectories with at least one) and ``no_consulent_registrations`` (bool). Meant for
    Flanders-level use; disclosure control is applied by the caller.
    """
    cols = ["organisation", *(f"{k}_consulent" for k in STEP_KEYS)]
    df = prepare(df, (), cols, "consulent_registrations_by_organisation")
    flags = (
        np.column_stack(
            [df[f"{k}_consulent"].fillna(False).to_numpy(dtype=bool) for k in STEP_KEYS]
        )
        if len(df)
        else np.zeros((0, len(STEP_KEYS)), dtype=bool)
    )
    work = pd.DataFrame(
        {
            "organisation": df["organisation"].to_numpy(),
            "trajectories": np.ones(len(df), dtype=np.int64),
            "consulent_registrations": flags.sum(axis=1).astype(np.int64),
            "consulent_trajectories": flags.any(axis=1).astype(np.int64),
        }
    )
    out = work.groupby("organisation", dropna=False, sort=True).sum().reset_index()
    out["no_consulent_registrations"] = out["consulent_registrations"] == 0
    return out


@dataclass(frozen=True)
class OrganisationsWithoutConsulent:
    """Organisations where consulents registered no step at all (line 5196: 5 of 20)."""

    count: int
    total: int
    organisations: tuple[str, ...]

    @property
    def share(self) -> float:
        """``count / total``; NaN when there are no organisations."""
        return self.count / self.total if self.total else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """One tidy share row (indicator ``organisations_without_consulent``)."""
        return pd.DataFrame(
            {
                "indicator": ["organisations_without_consulent"],
                "numerator": [self.count],
                "denominator": [self.total],
                "share": [self.share],
            }
        )


def organisations_without_consulent(df: pd.DataFrame) -> OrganisationsWithoutConsulent:
    """How many and which organisations have no consulent registration at all (line 5196)."""
    per_org = consulent_registrations_by_organisation(df)
    names = per_org.loc[per_org["no_consulent_registrations"], "organisation"]
    return OrganisationsWithoutConsulent(
        count=int(len(names)),
        total=int(len(per_org)),
        organisations=tuple(str(n) for n in names),
    )
