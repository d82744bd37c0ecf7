"""Feedback for the teams (role ``organisatie``, its own rows only).

- :mod:`.followup` — *Opvolglijst*: open trajectories to follow up, by Fiche ID, with the
  reasons (no network meeting after N months, steps not yet taken, plan B empty, consulent
  not registered), most urgent first;
- :mod:`.quality` — *Registratiekwaliteit*: what in the organisation's registrations the
  cleaner could not use, with counts, examples and the manual's advice.

:func:`organisation_feedback` computes both for every organisation of an export, in the
batch step that writes the release (``sofs release``): each organisation's files go into
its own slice only (``organisatie/<n>/followup.csv``, ``quality.csv``,
``quality_examples.csv``, ``feedback_about.csv``: export date and the months threshold), never into another's or into the publiek/agentschap slices.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from sofs_lib.feedback import followup, quality

#: File name (in an organisation's slice) -> what it holds.
FILES: dict[str, str] = {
    "followup": "followup.csv",
    "quality": "quality.csv",
    "quality_examples": "quality_examples.csv",
    "about": "feedback_about.csv",
}


def organisation_feedback(
    data: pd.DataFrame,
    result=None,
    source: Path | str | pd.DataFrame | None = None,
    *,
    export_date: date | None = None,
    months: int | None = None,
) -> dict[str, dict[str, pd.DataFrame]]:
    """Organisation -> {``followup``, ``quality``, ``quality_examples``, ``about``} frames.

    ``data``: the cleaned frame; ``result`` and ``source``: its cleaning result and the
    export it was cleaned from (both needed for Registratiekwaliteit; without them the
    quality frames are empty). ``export_date``: default the one ``data`` was loaded with
    (``attrs``), else the one in ``result``'s report, else ``config.export_date``.
    """
    if export_date is None:
        export_date = data.attrs.get("export_date")
    if export_date is None and result is not None:
        export_date = date.fromisoformat(result.report["export_date"])
    if export_date is None:
        from sofs_lib import config

        export_date = config.export_date("dashboard")
    months = followup.followup_months(months)
    lists = followup.by_organisation(data, export_date, months=months)
    about = pd.DataFrame(
        {"export_date": [pd.Timestamp(export_date).date().isoformat()], "followup_months": [months]}
    )
    checks: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    if result is not None and source is not None:
        items, examples = quality.assess(source, result, export_date=export_date)
        checks = quality.by_organisation(items, examples)
    out = {}
    for org in lists:
        own_items, own_examples = checks.get(org, (_empty_items(), _empty_examples()))
        out[org] = {
            "followup": lists[org],
            "quality": own_items,
            "quality_examples": own_examples,
            "about": about.copy(),
        }
    return out


def _empty_items() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in quality.ITEM_COLUMNS})


def _empty_examples() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in quality.EXAMPLE_COLUMNS})


__all__ = ["FILES", "followup", "organisation_feedback", "quality"]
