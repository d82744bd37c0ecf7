"""Release lookups behind every panel: counts, shares and distributions of the groups a
panel compares (own organisation, Flanders, the other organisations together).

Every number comes from the role's release slice; the only arithmetic is on numbers that
slice already shows (the others together = Flanders minus the own organisation, a
denominator without "niet van toepassing"), so nothing new is disclosed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from sofs_lib import catalogue
from sofs_lib.dashboards.selection import ALL, View
from sofs_lib.dashboards.spec import HIDDEN
from sofs_lib.formatting import fmt_int

#: Column naming the group of a long row (own organisation / Flanders / the others).
GROUP = "Groep"
ROLE = "role"
#: The other organisations together (Flanders minus the own organisation).
OTHERS_LABEL = "Andere organisaties samen"
FLANDERS = catalogue.LABELS["flanders"]

HIDDEN_SELECTION_MESSAGE = (
    "De cijfers van deze selectie zijn verborgen: samen met andere selecties zouden ze "
    "kleine aantallen trajecten verraden."
)
POPULATION_TEXT = {"all": "trajecten", "closed": "afgesloten trajecten", "open": "open trajecten"}


def is_own(view: View, organisation: str | None) -> bool:
    """True when the viewer is this organisation (its own figures are shown in full)."""
    from sofs_lib import access

    return (
        organisation is not None
        and view.release.role == access.ORGANISATION
        and view.release.organisation == organisation
    )


def groups(view: View) -> list[tuple[str, str, str]]:
    """(label, organisation key, role) of the groups a panel compares."""
    out = []
    if view.organisation is not None:
        out.append((view.organisation, view.organisation, "own"))
    out.append((FLANDERS, ALL, "flanders"))
    return out


def count(view: View, organisation: str | None, cell: str | None) -> tuple[float, bool]:
    """(units, hidden) of a cell: Flanders (``None``) or an organisation; 0 when absent."""
    if cell is None:
        return 0.0, False
    rows = view.release.lookup("counts", organisation or ALL, cell)
    if rows.empty:
        return 0.0, False
    hidden = str(rows["n_flag"].iloc[0]) != ""
    value = rows["n"].iloc[0]
    return (float("nan") if hidden or pd.isna(value) else float(value)), hidden


def count_text(view: View, organisation: str | None, cell: str | None) -> str:
    value, hidden = count(view, organisation, cell)
    return HIDDEN if hidden else fmt_int(value)


def released_count(view: View, organisation: str | None, cell: str | None) -> str:
    """Units of a cell as shown (a hidden count reads :data:`spec.HIDDEN`)."""
    return count_text(view, organisation, cell)


def n_text(view: View, population: str = "all", unit: str | None = None) -> str:
    """The n behind a figure: units of the population, own organisation and Flanders."""
    cell = view.cell(population)
    what = unit or POPULATION_TEXT.get(population, "trajecten")
    flanders = count_text(view, None, cell)
    if view.organisation is None:
        return f"n = {flanders} {what} in {FLANDERS}"
    own = count_text(view, view.organisation, cell)
    return f"n = {own} {what} van {view.organisation}; {flanders} in {FLANDERS}"


def selection_message(view: View, population: str = "all") -> str | None:
    """The Dutch message when the shown group's selection is empty or too small."""
    from sofs_lib.disclosure import NO_TRAJECTORIES_MESSAGE, too_few_message

    cell = view.cell(population)
    if cell is None:
        return NO_TRAJECTORIES_MESSAGE
    rows = view.release.lookup("counts", view.organisation or ALL, cell)
    if rows.empty:
        return NO_TRAJECTORIES_MESSAGE
    flag = str(rows["n_flag"].iloc[0])
    value = rows["n"].iloc[0]
    if flag == "<":
        return too_few_message(view.min_cell)
    if flag != "":
        return HIDDEN_SELECTION_MESSAGE
    if pd.isna(value) or float(value) == 0:
        return NO_TRAJECTORIES_MESSAGE
    others = view.organisation is not None and not is_own(view, view.organisation)
    if others and 1 <= float(value) < view.min_cell:
        return too_few_message(view.min_cell)
    return None


def share_rows(view: View, measure: str, cell: str | None) -> pd.DataFrame:
    """Long rows (item, group) of a share measure: numerator, denominator, share,
    ``hidden``, group label and role; plus the other organisations together where the own
    organisation and Flanders are both shown."""
    if cell is None:
        return pd.DataFrame()
    frames = []
    for label, org, role in groups(view):
        rows = view.release.lookup("shares", measure, org, cell)
        if rows.empty:
            continue
        frames.append(rows.assign(**{GROUP: label, ROLE: role}))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    out["hidden"] = (out["num_flag"] != "") | (out["den_flag"] != "")
    out["share"] = out["share"].where(~out["hidden"])
    if view.organisation is not None and len(frames) == 2:
        own, fl = frames[0].reset_index(drop=True), frames[1].reset_index(drop=True)
        merged = own.merge(fl, on="item", suffixes=("_o", "_f"))
        num = merged["numerator_f"] - merged["numerator_o"]
        den = merged["denominator_f"] - merged["denominator_o"]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = (num / den).where(den > 0)
        others = pd.DataFrame(
            {
                "item": merged["item"],
                "numerator": num,
                "denominator": den,
                "share": share,
                "num_flag": "",
                "den_flag": "",
                GROUP: OTHERS_LABEL,
                ROLE: "others",
                "hidden": share.isna() & (den.isna() | num.isna()),
            }
        )
        out = pd.concat([out, others], ignore_index=True)
    return out


def without_item(rows: pd.DataFrame, item: str) -> pd.DataFrame:
    """Share rows with ``item`` (e.g. "Niet van toepassing") left out of the denominator:
    each group's denominator minus that item's numerator; hidden when that one is."""
    out = []
    for _, part in rows.groupby(GROUP, sort=False):
        drop = part.loc[part["item"] == item]
        rest = part.loc[part["item"] != item].copy()
        if drop.empty:
            out.append(rest)
            continue
        minus = drop["numerator"].iloc[0]
        den = rest["denominator"] - minus
        with np.errstate(invalid="ignore", divide="ignore"):
            rest["share"] = (rest["numerator"] / den).where(den > 0)
        rest["denominator"] = den
        rest["hidden"] = rest["hidden"] | bool(drop["hidden"].iloc[0]) | rest["share"].isna()
        rest["share"] = rest["share"].where(~rest["hidden"])
        out.append(rest)
    return pd.concat(out, ignore_index=True) if out else rows


def dist_rows(
    view: View, measure: str, cells: Sequence[tuple[Any, str | None]], label_col: str
) -> pd.DataFrame:
    """Distribution rows (one per label, cell) for the view's groups; ``hidden`` set."""
    parts = []
    for label, org, role in groups(view):
        for value, cell in cells:
            if cell is None:
                continue
            rows = view.release.lookup("dists", measure, org, cell)
            if rows.empty:
                continue
            parts.append(rows.iloc[[0]].assign(**{GROUP: label, ROLE: role, label_col: value}))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out["hidden"] = out["n_flag"] != ""
    return out


def trend_years(view: View) -> list[str]:
    """The closing years a trend panel shows: the selection's range (default: all)."""
    levels = [str(y) for y in view.release.levels.get("closing_year", [])]
    if view.selection.closing_year is not None:
        return [str(view.selection.closing_year)]
    lo, hi = view.selection.year_range()
    return [y for y in levels if (lo is None or int(y) >= lo) and (hi is None or int(y) <= hi)]
