"""One organisation beside Flanders and beside the other organisations, without naming them.

The report's stakeholders want "their own figures beside the global ones" (report lines
5140–5200, 6185–6200; DOMAIN.md). :func:`compare_organisation` builds that view from any
indicator frame computed ``by=["organisation"]`` plus the same indicator for Flanders:

- the selected organisation's own value (after disclosure control, :mod:`sofs_lib.disclosure`);
- the Flemish total, hidden where Flanders minus the organisation would reveal a small
  count of the others (the viewer knows their own figures, so subtraction is the attack);
- the median and range (min–max) of the *other* organisations. Only organisations whose own
  base (denominator, or ``n`` for distributions) reaches the threshold count. With fewer
  than :data:`MIN_ORGANISATIONS_RANGE` such organisations the range is hidden (an extreme
  of one or two organisations *is* an organisation's figure), with fewer than
  :data:`MIN_ORGANISATIONS_MEDIAN` the median too (the median of one is its figure).

No other organisation's name or individual figure ever leaves this module. With
"Alle organisaties" selected the view holds the Flemish total and the distribution over all
qualifying organisations, again without names.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sofs_lib.catalogue import LABELS
from sofs_lib.disclosure import (
    DISTRIBUTION_STATS,
    SECONDARY_LABEL,
    assert_aggregate,
    check_selection,
    format_values,
    resolve_min_cell,
    suppress_distribution,
    suppress_shares,
)
from sofs_lib.errors import SofsInputError
from sofs_lib.formatting import MISSING

#: Fewest qualifying organisations for which the range (min–max) is shown.
MIN_ORGANISATIONS_RANGE = 3
#: Fewest qualifying organisations for which the median is shown.
MIN_ORGANISATIONS_MEDIAN = 2

#: Dutch texts of this view; catalogue labels where the catalogue has them.
TEXT: dict[str, str] = {
    "flanders": LABELS["flanders"],
    "all_organisations": LABELS["all_organisations"],
    "median_others": LABELS["median_others"],
    "range_others": LABELS["range_others"],
    "n_others": "Aantal andere organisaties",
    "median_all": "Mediaan organisaties",
    "range_all": "Spreiding organisaties",
    "n_all": "Aantal organisaties",
    "n": LABELS["n"],
    "range_hidden": (
        "Spreiding niet getoond waar minder dan {m} organisaties genoeg trajecten "
        "(minstens {k}) hebben: het hoogste of laagste cijfer zou dan dat van één "
        "organisatie zijn."
    ),
    "median_hidden": (
        "Mediaan niet getoond waar minder dan {m} organisaties genoeg trajecten "
        "(minstens {k}) hebben."
    ),
    "flanders_hidden": (
        "Cijfer voor Vlaanderen verborgen waar Vlaanderen min de eigen organisatie een "
        "aantal van minder dan {k} bij de andere organisaties zou tonen."
    ),
}

#: English names of the ``values`` columns -> the ``display`` header key.
VALUE_COLUMNS: tuple[str, ...] = (
    "own",
    "own_n",
    "flanders",
    "flanders_n",
    "median_others",
    "min_others",
    "max_others",
    "n_others",
)


@dataclass(frozen=True)
class Comparison:
    """The comparison view of one selection.

    ``display``: Dutch headers and nl_BE strings (keys, own value and base, Flanders value
    and base, median, range, number of qualifying organisations). ``hidden``: True where
    disclosure control hid a value (same shape as ``display``). ``values``: the numbers
    behind it with stable English columns (:data:`VALUE_COLUMNS`; ``own*`` absent for
    "Alle organisaties"), NA where hidden. ``ok`` False: nothing is shown, ``message``
    says why. ``notes``: Dutch sentences explaining hidden cells.
    """

    selection: str
    display: pd.DataFrame
    hidden: pd.DataFrame
    values: pd.DataFrame
    min_cell: int
    ok: bool = True
    message: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _spec(frame: pd.DataFrame, value: str | None) -> tuple[str, str, list[str], str]:
    """(kind, base column, value columns, compared value) of an indicator frame."""
    if {"numerator", "denominator"} <= set(frame.columns):
        return "share", "denominator", ["numerator", "denominator", "share"], value or "share"
    if "n" in frame.columns:
        stats = [c for c in frame.columns if c in DISTRIBUTION_STATS or c.startswith("share")]
        chosen = value or "mean"
        if chosen not in frame.columns:
            raise SofsInputError(f"the indicator has no column {chosen!r} to compare")
        return "distribution", "n", ["n", *dict.fromkeys([*stats, chosen])], chosen
    raise SofsInputError(
        "not an indicator table: expected numerator/denominator/share or n/mean/median columns"
    )


def _fmt_values(kind: str, values: pd.Series, hidden: pd.Series, decimals: int) -> list[str]:
    numbers = pd.to_numeric(pd.Series(values)).astype("Float64")
    return format_values(
        numbers.to_numpy(dtype=float, na_value=np.nan),
        np.asarray(hidden, dtype=bool),
        percent=kind == "share",
        decimals=decimals,
    )


def compare_organisation(
    by_org: pd.DataFrame,
    flanders: pd.DataFrame,
    organisation: str | None,
    *,
    org_col: str = "organisation",
    value: str | None = None,
    min_cell: int | None = None,
    selection_n: int | Mapping[Hashable, int] | None = None,
    complement: bool = True,
    decimals: int = 1,
) -> Comparison:
    """The view of ``organisation`` (None or "Alle organisaties": the overview).

    ``by_org``: an indicator frame computed ``by=[org_col, ...]``; ``flanders``: the same
    indicator without ``org_col``. The other columns (``indicator``, ``step``...) are keys
    matched between the two. ``value``: the compared column (``share`` for shares,
    default ``mean`` for distributions). ``selection_n``: trajectories in the selection,
    an int or a mapping organisation -> count (default: the largest base of the
    selection, a lower bound). ``complement``: treat the not-taken count of a share as a
    cell (see :func:`sofs_lib.disclosure.suppress_shares`). Returns a :class:`Comparison`.
    """
    k = resolve_min_cell(min_cell)
    if org_col not in by_org.columns:
        raise SofsInputError(f"the indicator frame has no {org_col!r} column")
    kind, base, value_cols, chosen = _spec(by_org, value)
    keys = [c for c in by_org.columns if c not in (org_col, *value_cols)]
    assert_aggregate(by_org, [base], [org_col, *keys])
    assert_aggregate(flanders, [base], [c for c in keys if c in flanders.columns])
    f_keys = [c for c in flanders.columns if c not in value_cols and c in by_org.columns]
    if sorted(f_keys) != sorted(keys) or org_col in flanders.columns:
        raise SofsInputError(
            f"the Flanders frame must have the same keys ({', '.join(keys) or 'none'}) "
            f"without {org_col!r}"
        )
    missing = [c for c in value_cols if c not in flanders.columns]
    if missing:
        raise SofsInputError(f"the Flanders frame lacks {', '.join(missing)}")

    overview = organisation is None or organisation == TEXT["all_organisations"]
    selection = TEXT["all_organisations"] if overview else str(organisation)
    own_rows = by_org.iloc[0:0] if overview else by_org[by_org[org_col] == organisation]
    n_sel = _selection_n(selection_n, selection, flanders if overview else own_rows, base)
    check = check_selection(n_sel, k)

    layout = _layout(keys, selection, overview)
    if not check.ok:
        return Comparison(
            selection,
            display=pd.DataFrame({h: pd.Series(dtype="str") for h in [*keys, *layout.values()]}),
            hidden=pd.DataFrame({h: pd.Series(dtype=bool) for h in [*keys, *layout.values()]}),
            values=pd.DataFrame(
                {c: pd.Series(dtype="Float64") for c in [*keys, *_value_columns(overview)]}
            ),
            min_cell=k,
            ok=False,
            message=check.message,
        )

    suppress = suppress_shares if kind == "share" else suppress_distribution
    extra: dict[str, object] = (
        {"share": chosen, "complement": complement}
        if kind == "share"
        else {"stats": value_cols[1:]}
    )
    grid = flanders[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
    grid = grid.sort_values(keys).reset_index(drop=True) if keys else grid

    # Flanders after its own disclosure control.
    f_sup = suppress(flanders, keys=keys, min_cell=k, **extra)
    f_idx = _align(grid, flanders, keys)
    out = grid.copy()
    flag = pd.DataFrame(False, index=grid.index, columns=[*keys, *layout.values()])
    shown = pd.DataFrame(index=grid.index)
    if keys:
        shown[keys] = grid[keys].astype("str")
    f_val = _column(f_sup.values, chosen, f_idx)
    f_n = _column(f_sup.values, base, f_idx)
    f_hide = _column(f_sup.hidden, chosen, f_idx, fill=False).astype(bool)
    f_n_hide = _column(f_sup.hidden, base, f_idx, fill=False).astype(bool)
    f_n_text = _column(f_sup.display, base, f_idx, fill=MISSING)

    notes: list[str] = []
    if not overview:
        o_sup = suppress(own_rows.drop(columns=[org_col]), keys=keys, min_cell=k, **extra)
        o_idx = _align(grid, own_rows, keys)
        out["own"] = _column(o_sup.values, chosen, o_idx)
        out["own_n"] = _column(o_sup.values, base, o_idx)
        own_hide = _column(o_sup.hidden, chosen, o_idx, fill=False).astype(bool)
        own_n_hide = _column(o_sup.hidden, base, o_idx, fill=False).astype(bool)
        shown[layout["own"]] = _fmt_values(kind, out["own"], own_hide, decimals)
        shown[layout["own_n"]] = _column(o_sup.display, base, o_idx, fill="0")
        flag[layout["own"]], flag[layout["own_n"]] = own_hide, own_n_hide
        # Flanders minus own = the others pooled; a small pooled count must not show.
        differencing = _small_difference(flanders, own_rows, grid, keys, kind, k, complement)
        if bool((differencing & ~(f_hide & f_n_hide)).any()):
            notes.append(TEXT["flanders_hidden"].format(k=k))
        f_n_text = f_n_text.mask(differencing & ~f_n_hide, SECONDARY_LABEL)
        f_hide = f_hide | differencing
        f_n_hide = f_n_hide | differencing

    out["flanders"] = f_val.mask(f_hide)
    out["flanders_n"] = f_n.mask(f_n_hide)
    shown[layout["flanders"]] = _fmt_values(kind, f_val, f_hide, decimals)
    shown[layout["flanders_n"]] = f_n_text
    flag[layout["flanders"]], flag[layout["flanders_n"]] = f_hide, f_n_hide

    # Distribution over the qualifying other organisations, names dropped right here.
    others = by_org if overview else by_org[by_org[org_col] != organisation]
    stats = _spread(
        others, keys, base, chosen, k, grid, shares=kind == "share", complement=complement
    )
    n_q = stats["n"].astype(int)
    hide_median = n_q < MIN_ORGANISATIONS_MEDIAN
    hide_range = n_q < MIN_ORGANISATIONS_RANGE
    out["median_others"] = stats["median"].mask(hide_median)
    hide_min = hide_range | stats["min_hidden"]
    hide_max = hide_range | stats["max_hidden"]
    out["min_others"] = stats["min"].mask(hide_min)
    out["max_others"] = stats["max"].mask(hide_max)
    out["n_others"] = n_q.astype("Int64")
    shown[layout["median_others"]] = _fmt_values(kind, stats["median"], hide_median, decimals)
    low = pd.Series(_fmt_values(kind, stats["min"], hide_min, decimals), index=grid.index)
    high = pd.Series(_fmt_values(kind, stats["max"], hide_max, decimals), index=grid.index)
    # An extreme that is a suppressed organisation's figure reads "verborgen".
    low = low.mask(~hide_range & stats["min_hidden"], LABELS["hidden_share"])
    high = high.mask(~hide_range & stats["max_hidden"], LABELS["hidden_share"])
    shown[layout["range_others"]] = (low + " – " + high).where(~hide_range, MISSING)
    shown[layout["n_others"]] = n_q.astype("str")
    flag[layout["median_others"]] = hide_median & (n_q > 0)
    flag[layout["range_others"]] = (hide_min | hide_max) & (n_q > 0)
    if bool((hide_range & (n_q > 0)).any()):
        notes.append(TEXT["range_hidden"].format(m=MIN_ORGANISATIONS_RANGE, k=k))
    if bool((hide_median & (n_q > 0)).any()):
        notes.append(TEXT["median_hidden"].format(m=MIN_ORGANISATIONS_MEDIAN, k=k))

    headers = [*keys, *layout.values()]
    display = shown.reindex(columns=headers).astype("str")
    hidden = flag.reindex(columns=headers).astype(bool)
    values = out.reindex(columns=[*keys, *_value_columns(overview)])
    for col in _value_columns(overview):
        values[col] = pd.array(values[col], dtype="Int64" if col.endswith("_n") else "Float64")
    values["n_others"] = pd.array(n_q, dtype="Int64")
    return Comparison(selection, display, hidden, values, k, True, None, tuple(notes))


def _value_columns(overview: bool) -> list[str]:
    return [c for c in VALUE_COLUMNS if not (overview and c.startswith("own"))]


def _layout(keys: Sequence[str], selection: str, overview: bool) -> dict[str, str]:
    """English value column -> Dutch display header (range is one display column)."""
    layout: dict[str, str] = {}
    if not overview:
        layout["own"] = selection
        layout["own_n"] = f"{TEXT['n']} {selection}"
    layout["flanders"] = TEXT["flanders"]
    layout["flanders_n"] = f"{TEXT['n']} {TEXT['flanders']}"
    suffix = "all" if overview else "others"
    layout["median_others"] = TEXT[f"median_{suffix}"]
    layout["range_others"] = TEXT[f"range_{suffix}"]
    layout["n_others"] = TEXT[f"n_{suffix}"]
    return layout


def _selection_n(
    selection_n: int | Mapping[Hashable, int] | None,
    selection: str,
    rows: pd.DataFrame,
    base: str,
) -> int:
    if isinstance(selection_n, Mapping):
        return int(selection_n.get(selection, 0))
    if selection_n is not None:
        return int(selection_n)
    if rows.empty:
        return 0
    return int(pd.to_numeric(rows[base]).max())


def _align(grid: pd.DataFrame, rows: pd.DataFrame, keys: Sequence[str]) -> pd.Series:
    """For each grid row, the position of the matching row in ``rows`` (-1 when absent)."""
    positions = rows.reset_index(drop=True).reset_index(names="_pos")
    if not keys:
        pos = positions["_pos"].iloc[0] if len(positions) else -1
        return pd.Series([pos] * len(grid), index=grid.index)
    merged = grid.merge(positions[[*keys, "_pos"]], on=list(keys), how="left")
    return merged["_pos"].fillna(-1).astype(int).set_axis(grid.index)


def _column(frame: pd.DataFrame, col: str, idx: pd.Series, fill: object = pd.NA) -> pd.Series:
    """``frame[col]`` picked by position ``idx`` (``fill`` where -1)."""
    source = frame[col].reset_index(drop=True)
    picked = source.reindex(idx.where(idx >= 0, -1).to_numpy())
    picked.index = idx.index
    return picked.where(idx.to_numpy() >= 0, fill)


def _small_difference(
    flanders: pd.DataFrame,
    own: pd.DataFrame,
    grid: pd.DataFrame,
    keys: Sequence[str],
    kind: str,
    k: int,
    complement: bool,
) -> pd.Series:
    """True where Flanders minus the organisation leaves a count from 1 to k-1 for the
    others pooled (their denominator, numerator or not-taken count; ``n`` for
    distributions)."""
    cols = ["numerator", "denominator"] if kind == "share" else ["n"]
    parts = {}
    for col in cols:
        f = _column(flanders, col, _align(grid, flanders, keys), 0)
        o = _column(own, col, _align(grid, own, keys), 0)
        parts[col] = pd.to_numeric(f).astype(float) - pd.to_numeric(o).astype(float)
    if kind == "share" and complement:
        parts["complement"] = parts["denominator"] - parts["numerator"]
    small = pd.Series(False, index=grid.index)
    for diff in parts.values():
        if bool((diff < 0).any()):
            raise SofsInputError("the organisation's counts exceed the Flemish totals")
        small = small | ((diff >= 1) & (diff < k))
    return small


def _spread(
    others: pd.DataFrame,
    keys: Sequence[str],
    base: str,
    value: str,
    k: int,
    grid: pd.DataFrame,
    *,
    shares: bool = False,
    complement: bool = True,
) -> pd.DataFrame:
    """Median, min, max and count of ``value`` over organisations whose base reaches k.

    For shares, an extreme (min or max) that belongs to an organisation whose own share is
    hidden in its own view — a numerator, or with ``complement`` a not-taken count, from 1
    to k-1 — is hidden here too (``min_hidden`` / ``max_hidden``), so a suppressed figure
    never surfaces as "the lowest/highest of the others". The median stays over every
    qualifying organisation, so it is not biased toward the extremes.
    """
    qualifying = others[pd.to_numeric(others[base]) >= k]
    qualifying = qualifying[pd.to_numeric(qualifying[value]).notna()]
    if shares:
        num = pd.to_numeric(qualifying["numerator"]).astype(float)
        small = (num >= 1) & (num < k)
        if complement:
            rest = pd.to_numeric(qualifying[base]).astype(float) - num
            small = small | ((rest >= 1) & (rest < k))
        visible = qualifying[~small]
    else:
        visible = qualifying
    base_stats = _spread_stats(qualifying, keys, value, grid)
    seen = _spread_stats(visible, keys, value, grid)
    base_stats["min_hidden"] = ~(base_stats["min"] == seen["min"])
    base_stats["max_hidden"] = ~(base_stats["max"] == seen["max"])
    return base_stats


def _spread_stats(
    qualifying: pd.DataFrame, keys: Sequence[str], value: str, grid: pd.DataFrame
) -> pd.DataFrame:
    vals = pd.to_numeric(qualifying[value]).astype(float)
    if keys:
        grouped = vals.groupby([qualifying[c] for c in keys], sort=True)
        agg = grouped.agg(["median", "min", "max", "count"]).reset_index()
        agg = grid.merge(agg, on=list(keys), how="left")
    else:
        agg = pd.DataFrame(
            {
                "median": [vals.median()],
                "min": [vals.min()],
                "max": [vals.max()],
                "count": [len(vals)],
            }
        )
    return pd.DataFrame(
        {
            "median": agg["median"].astype(float).to_numpy(),
            "min": agg["min"].astype(float).to_numpy(),
            "max": agg["max"].astype(float).to_numpy(),
            "n": np.nan_to_num(agg["count"].astype(float).to_numpy(), nan=0.0),
        },
        index=grid.index,
    )
