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
from sofs_lib.dashboards.spec import HIDDEN, as_float, frame_records
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


def records(release: Any, name: str, *key: str) -> list[dict]:
    """Rows of release table ``name`` for a key, as plain dicts: the same rows as
    ``release.lookup`` without a pandas frame per lookup (a redraw does dozens). The
    table's columns are taken out as arrays once per slice."""
    indexed = getattr(release, "_indexed", None)
    if indexed is None:  # any other slice-like object: its own lookup
        return release.lookup(name, *key).to_dict("records")
    cache = release.__dict__.setdefault("_dashboard_columns", {})
    if name not in cache:
        table, index = indexed(name)
        cache[name] = ({c: table[c].to_numpy() for c in table.columns}, index)
    columns, index = cache[name]
    found = index.get(key)
    if found is None:
        return []
    return [{c: values[i] for c, values in columns.items()} for i in found]


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
    rows = records(view.release, "counts", organisation or ALL, cell)
    if not rows:
        return 0.0, False
    hidden = str(rows[0]["n_flag"]) != ""
    value = rows[0]["n"]
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
    """The Dutch message when the shown group's selection is empty or too small.

    A count hidden only to protect another cell (flag ``x``: it is not small itself) gets
    no message: the panel shows every number the role's release shows for the selection,
    each with its own flag, and its n line reads ``x``. The release was audited with all of
    them visible, so hiding the whole panel would protect nothing and only hide figures the
    role may see."""
    from sofs_lib.disclosure import NO_TRAJECTORIES_MESSAGE, too_few_message

    cell = view.cell(population)
    if cell is None:
        return NO_TRAJECTORIES_MESSAGE
    rows = records(view.release, "counts", view.organisation or ALL, cell)
    if not rows:
        return NO_TRAJECTORIES_MESSAGE
    flag = str(rows[0]["n_flag"])
    value = rows[0]["n"]
    if flag == "<":
        return too_few_message(view.min_cell)
    if flag != "":
        return None
    if pd.isna(value) or float(value) == 0:
        return NO_TRAJECTORIES_MESSAGE
    others = view.organisation is not None and not is_own(view, view.organisation)
    if others and 1 <= float(value) < view.min_cell:
        return too_few_message(view.min_cell)
    return None


def nothing_released(view: View, population: str, rows: pd.DataFrame) -> str | None:
    """:data:`HIDDEN_SELECTION_MESSAGE` when the selected group's count is hidden to protect
    another cell (``x``) and none of the group's ``rows`` in this panel is visible either: a
    panel of nothing but ``x`` says why in one line instead. ``None`` otherwise."""
    cell = view.cell(population)
    found = records(view.release, "counts", view.organisation or ALL, cell) if cell else []
    if not found or str(found[0]["n_flag"]) in ("", "<"):
        return None
    mine = rows[rows[ROLE] == ("own" if view.organisation is not None else "flanders")]
    return HIDDEN_SELECTION_MESSAGE if mine.empty or mine["hidden"].astype(bool).all() else None


SHARE_COLUMNS = ("item", "numerator", "denominator", "num_flag", "den_flag", "share")


def share_records(view: View, measure: str, cell: str | None) -> list[dict]:
    """:func:`share_rows` as plain records (one per item and group), the fast path."""
    if cell is None:
        return []
    nan = float("nan")
    per_group: list[list[dict]] = []
    for label, org, role in groups(view):
        part = records(view.release, "shares", measure, org, cell)
        if not part:
            continue
        for r in part:
            r[GROUP], r[ROLE] = label, role
            r["hidden"] = str(r["num_flag"]) != "" or str(r["den_flag"]) != ""
            if r["hidden"]:
                r["share"] = nan
        per_group.append(part)
    out = [r for part in per_group for r in part]
    if view.organisation is not None and len(per_group) == 2:
        flanders = {r["item"]: r for r in per_group[1]}
        for own in per_group[0]:
            fl = flanders.get(own["item"])
            if fl is None:
                continue
            num = float(fl["numerator"]) - float(own["numerator"])
            den = float(fl["denominator"]) - float(own["denominator"])
            share = num / den if den > 0 and not np.isnan(num) else nan
            out.append({
                "item": own["item"], "numerator": num, "denominator": den, "num_flag": "",
                "den_flag": "", "share": share, GROUP: OTHERS_LABEL, ROLE: "others",
                "hidden": bool(np.isnan(share) and (np.isnan(den) or np.isnan(num))),
            })
    return out


def share_rows(view: View, measure: str, cell: str | None) -> pd.DataFrame:
    """Long rows (item, group) of a share measure: numerator, denominator, share,
    ``hidden``, group label and role; plus the other organisations together where the own
    organisation and Flanders are both shown (Flanders minus the own organisation, both as
    released). Hidden shares are NaN."""
    records = share_records(view, measure, cell)
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


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
            rows = records(view.release, "dists", measure, org, cell)
            if not rows:
                continue
            row = dict(rows[0])
            row.update({GROUP: label, ROLE: role, label_col: value, "hidden": str(row["n_flag"]) != ""})
            parts.append(row)
    return pd.DataFrame.from_records(parts) if parts else pd.DataFrame()


def with_others_mean(rows: pd.DataFrame, label_col: str) -> pd.DataFrame:
    """Distribution rows with, per ``label_col`` value where both the own organisation and
    Flanders are shown, the other organisations together: their n (Flanders' minus the
    own) and mean (from the two shown sums n × mean). Their median, SD and range cannot be
    derived from released numbers and stay empty; when either group is hidden, so are the
    others."""
    if rows.empty or ROLE not in rows.columns:
        return rows
    records = frame_records(rows)
    own = {r[label_col]: r for r in records if r[ROLE] == "own"}
    out = list(records)
    for r in records:
        if r[ROLE] != "flanders" or r[label_col] not in own:
            continue
        mine = own[r[label_col]]
        n_fl, n_own = as_float(r.get("n")), as_float(mine.get("n"))
        hidden = bool(r["hidden"]) or bool(mine["hidden"]) or np.isnan(n_fl) or np.isnan(n_own)
        n = n_fl - n_own
        if not hidden and n <= 0:
            continue  # no other organisation has a value here
        nan = float("nan")
        mean = nan if hidden else (n_fl * as_float(r["mean"]) - n_own * as_float(mine["mean"])) / n
        out.append({
            **{k: nan for k in r if k in ("n", "mean", "sd", "median", "min", "max")},
            label_col: r[label_col], GROUP: OTHERS_LABEL, ROLE: "others",
            "n": nan if hidden else n, "mean": mean, "n_flag": "", "hidden": hidden,
        })
    return pd.DataFrame.from_records(out)


def trend_years(view: View) -> list[str]:
    """The closing years a trend panel shows: the selection's range (default: all)."""
    levels = [str(y) for y in view.release.levels.get("closing_year", [])]
    if view.selection.closing_year is not None:
        return [str(view.selection.closing_year)]
    lo, hi = view.selection.year_range()
    return [y for y in levels if (lo is None or int(y) >= lo) and (hi is None or int(y) <= hi)]
