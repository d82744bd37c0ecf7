"""Opvolglijst: an organisation's open trajectories that need following up, by Fiche ID.

Computed from the cleaned dashboard frame (``sofs_lib.datasets.load_dashboard`` /
``clean_dashboard``) at the export date (``config.export_date``). An *open* trajectory
(no end date) is listed when at least one of these reasons holds:

- ``no_meeting`` — no network meeting registered while the trajectory has run at least
  ``months`` months. Default: :data:`DEFAULT_MONTHS` = ⌈8 / 6⌉ = 2, from the report's
  guidelines (6 to 12 network meetings per trajectory, report line 5466; a trajectory of
  eight months, line 3345): reaching 6 meetings within 8 months means one every 1⅓ months, so a
  trajectory without any meeting after 2 months is already behind. ``SOFS_FOLLOWUP_MONTHS``
  or the ``months`` argument changes it. "Registered" means a count ≥ 1 or a date in the
  Netwerkberaden cell; a blank or unreadable cell counts as no meeting registered.
- ``steps_missing`` — SofS steps not (yet) registered as taken (which: ``steps_missing``).
- ``plan_b_empty`` — no plan B (network or residential) registered.
- ``consulent_missing`` — the consulent registered nothing: no consulent start date and no
  step in a consulent column.

Most urgent first (:func:`sort_most_urgent`): first the trajectories without a network
meeting, longest running first (the report's main gap: no network meeting in 8.5% of the
closed trajectories and ≥ 6 in only 32.9%, lines 483–485 and 5466); then the others by
the number of reasons (``urgency``), then longest running, then most steps missing; the
Fiche ID breaks ties. Nothing here assumes a year or a size.
"""

from __future__ import annotations

import math
import os
from datetime import date

import numpy as np
import pandas as pd

from sofs_lib.catalogue import (
    DURATION_GUIDELINE_MONTHS,
    NETWORK_MEETINGS_GUIDELINE,
    STEP_KEYS,
    STEP_LABELS,
)

#: Months without a network meeting after which an open trajectory is flagged.
DEFAULT_MONTHS: int = math.ceil(DURATION_GUIDELINE_MONTHS[1] / NETWORK_MEETINGS_GUIDELINE[0])
MONTHS_ENV = "SOFS_FOLLOWUP_MONTHS"
#: Average days per month (months since start = days / this).
DAYS_PER_MONTH = 365.25 / 12

#: Reason code -> Dutch label; ``{months}`` is filled in.
REASONS: dict[str, str] = {
    "no_meeting": "Geen netwerkberaad na {months} maanden",
    "steps_missing": "Stappen nog niet gezet",
    "plan_b_empty": "Plan B niet ingevuld",
    "consulent_missing": "Consulent niet geregistreerd",
}

#: How the Netwerkberaden cell was registered (cleaned ``network_meetings_kind``) -> Dutch.
MEETINGS_REGISTERED: dict[str, str] = {
    "date": "datum, geen aantal",
    "blank": "leeg",
    "invalid": "onleesbaar",
}

#: Columns of the list, in order (English keys; Dutch labels in :data:`LABELS`).
COLUMNS: tuple[str, ...] = (
    "rank",
    "trajectory_id",
    "start_date",
    "months_since_start",
    "network_meetings",
    "meetings_registered",
    "steps_missing_n",
    "steps_missing",
    "no_meeting",
    "plan_b_empty",
    "consulent_missing",
    "urgency",
    "reasons",
)
LABELS: dict[str, str] = {
    "rank": "Prioriteit",
    "trajectory_id": "Fiche ID",
    "start_date": "Startdatum CB",
    "months_since_start": "Maanden sinds start",
    "network_meetings": "Aantal netwerkberaden",
    "meetings_registered": "Netwerkberaden",
    "steps_missing_n": "Aantal ontbrekende stappen",
    "steps_missing": "Nog niet gezette stappen",
    "no_meeting": "Geen netwerkberaad",
    "plan_b_empty": "Plan B leeg",
    "consulent_missing": "Consulent niet geregistreerd",
    "urgency": "Aantal redenen",
    "reasons": "Redenen",
}


def followup_months(value: int | str | None = None) -> int:
    """``value``, else ``SOFS_FOLLOWUP_MONTHS``, else :data:`DEFAULT_MONTHS` (whole months ≥ 1)."""
    raw = value if value is not None else os.environ.get(MONTHS_ENV, "").strip() or None
    if raw is None:
        return DEFAULT_MONTHS
    try:
        months = int(str(raw).strip())
    except ValueError as exc:
        raise ValueError(f"{MONTHS_ENV} must be a whole number of months, got {raw!r}") from exc
    if months < 1:
        raise ValueError(f"{MONTHS_ENV} must be at least 1, got {months}")
    return months


def reason_labels(months: int) -> dict[str, str]:
    """Reason code -> Dutch label for this threshold."""
    return {code: text.format(months=months) for code, text in REASONS.items()}


def followup_list(
    data: pd.DataFrame, export_date: date, *, months: int | None = None
) -> pd.DataFrame:
    """The open trajectories of ``data`` with at least one reason, most urgent first.

    ``data``: cleaned dashboard rows of one organisation (for several, use
    :func:`by_organisation`: the list has no organisation column). ``export_date``: the
    day the export was taken (``config.export_date``). Columns :data:`COLUMNS`.
    """
    return _ranked(_candidates(data, export_date, months))[list(COLUMNS)]


def by_organisation(
    data: pd.DataFrame, export_date: date, *, months: int | None = None
) -> dict[str, pd.DataFrame]:
    """Organisation name -> its follow-up list (every organisation of ``data``, also those
    with nothing to follow up); computed once for all organisations, then split."""
    rows = _ranked(_candidates(data, export_date, months), by="organisation")
    orgs = sorted(data["organisation"].dropna().astype("str").unique())
    parts = dict(tuple(rows.groupby("organisation", sort=False))) if len(rows) else {}
    empty = rows.iloc[0:0]
    return {
        o: parts.get(o, empty)[list(COLUMNS)].reset_index(drop=True) for o in orgs
    }


def _candidates(data: pd.DataFrame, export_date: date, months: int | None) -> pd.DataFrame:
    """Every open trajectory with its reasons (``urgency`` > 0 only), unsorted."""
    months = followup_months(months)
    open_rows = data.loc[data["status"].astype("str").eq("open").to_numpy()]
    export = pd.Timestamp(export_date)
    days = (export - open_rows["start_date"]).dt.days
    since = (days / DAYS_PER_MONTH).astype("Float64").round(1)
    held = open_rows["network_meeting_held"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    no_meeting = ~held & (since >= months).fillna(False).to_numpy(dtype=bool)

    def matrix(part: str) -> np.ndarray:
        if not len(open_rows):
            return np.zeros((0, len(STEP_KEYS)), dtype=bool)
        return np.column_stack(
            [open_rows[f"{k}_{part}"].astype("boolean").fillna(False).to_numpy(dtype=bool)
             for k in STEP_KEYS]
        )

    taken = matrix("taken")
    missing_n = (~taken).sum(axis=1)
    labels = np.array([STEP_LABELS[k] for k in STEP_KEYS], dtype=object)
    missing_text = ["; ".join(labels[~row]) for row in taken]
    plan_b_empty = open_rows["plan_b"].isna().to_numpy()
    consulent_missing = open_rows["consulent_start_date"].isna().to_numpy() & ~matrix(
        "consulent"
    ).any(axis=1)

    flags = {
        "no_meeting": no_meeting,
        "steps_missing": missing_n > 0,
        "plan_b_empty": plan_b_empty,
        "consulent_missing": consulent_missing,
    }
    texts = reason_labels(months)
    urgency = sum(f.astype(int) for f in flags.values())
    reasons = [
        "; ".join(texts[c] for c in REASONS if flags[c][i]) for i in range(len(open_rows))
    ]
    out = pd.DataFrame(
        {
            "organisation": open_rows["organisation"].astype("str").to_numpy(),
            "trajectory_id": open_rows["trajectory_id"].astype("str").to_numpy(),
            "start_date": pd.to_datetime(open_rows["start_date"]).astype("datetime64[ns]").to_numpy(),
            "months_since_start": since.to_numpy(),
            "network_meetings": open_rows["network_meetings"].astype("Int64").to_numpy(),
            "meetings_registered": pd.array(_registered(open_rows), dtype="str"),
            "steps_missing_n": missing_n.astype("int64"),
            "steps_missing": pd.array(missing_text, dtype="str"),
            "no_meeting": no_meeting,
            "plan_b_empty": plan_b_empty,
            "consulent_missing": consulent_missing,
            "urgency": np.asarray(urgency, dtype="int64"),
            "reasons": pd.array(reasons, dtype="str"),
        }
    )
    out = out.loc[out["urgency"].to_numpy() > 0].reset_index(drop=True)
    out["network_meetings"] = out["network_meetings"].astype("Int64")
    out["months_since_start"] = out["months_since_start"].astype("Float64")
    return out


def _ranked(rows: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Most urgent first (within ``by``), with ``rank`` 1, 2, … (per ``by``)."""
    rows = sort_most_urgent(rows, first=by).reset_index(drop=True)
    if by is None:
        rank = np.arange(1, len(rows) + 1, dtype="int64")
    else:
        rank = rows.groupby(by, sort=False).cumcount().to_numpy(dtype="int64") + 1
    rows.insert(0, "rank", rank)
    return rows


def _registered(rows: pd.DataFrame) -> list[str]:
    """The count as text, else how the Netwerkberaden cell was filled in."""
    count = rows["network_meetings"].astype("Int64")
    if "network_meetings_kind" in rows.columns:
        kind = rows["network_meetings_kind"].astype("str").fillna("blank")
    else:
        kind = pd.Series("blank", index=rows.index, dtype="str")
    return [
        str(int(c)) if pd.notna(c) else MEETINGS_REGISTERED.get(str(k), "leeg")
        for c, k in zip(count, kind, strict=True)
    ]


def sort_most_urgent(frame: pd.DataFrame, first: str | None = None) -> pd.DataFrame:
    """No network meeting first (longest running first), then the number of reasons,
    months since start, steps missing (all high first); Fiche ID breaks ties. ``first``:
    a column to group by before all that (e.g. ``organisation``)."""
    months = frame["months_since_start"].astype("Float64").fillna(-1.0)
    no = frame["no_meeting"].astype(bool)
    keyed = frame.assign(_no=no, _late=months.where(no, -1.0), _months=months)
    keys = ["_no", "_late", "urgency", "_months", "steps_missing_n", "trajectory_id"]
    ascending = [False, False, False, False, False, True]
    if first is not None:
        keys, ascending = [first, *keys], [True, *ascending]
    keyed = keyed.sort_values(keys, ascending=ascending, kind="stable")
    return keyed.drop(columns=["_no", "_late", "_months"])
