"""The headline row of a dashboard: 3–5 key figures as tiles (own value, Flanders, the
difference in percentage points, the direction against the previous year, the n), looked up
from the release, and under them one generated Dutch sentence per panel.

:func:`headline_tiles` computes the tiles from a view (no widgets, also used by the report);
:class:`HeadlineRow` shows them, driven by its ``tiles`` and ``sentences`` traits.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import ipywidgets as W
import traitlets

from sofs_lib.dashboards.lookups import FLANDERS, POPULATION_TEXT, count_text
from sofs_lib.dashboards.selection import ALL, View
from sofs_lib.dashboards.sentences import pp_text
from sofs_lib.dashboards.spec import HIDDEN
from sofs_lib.formatting import fmt_pct


@dataclass(frozen=True)
class HeadlineSpec:
    """Which released share a dashboard's headline shows: ``measure`` (release key),
    ``item`` (one row of it; ``None``: the only/first row), ``population``, a Dutch
    ``label``, and the dimension the direction is read along (``closing_year``; Binc:
    ``year``)."""

    measure: str
    label: str
    population: str = "all"
    item: str | None = None
    year_dim: str = "closing_year"


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    detail: str
    role: str  #: own / flanders / diff / trend / n


def share_value(view: View, organisation: str | None, spec: HeadlineSpec, cell: str | None) -> tuple[float, bool]:
    """(share, hidden) of the headline item in a cell; NaN when absent."""
    if cell is None:
        return float("nan"), False
    rows = view.release.lookup("shares", spec.measure, organisation or ALL, cell)
    if spec.item is not None:
        rows = rows.loc[rows["item"].astype(str) == spec.item]
    if rows.empty:
        return float("nan"), False
    row = rows.iloc[0]
    hidden = str(row["num_flag"]) != "" or str(row["den_flag"]) != ""
    value = row["share"]
    return (float("nan") if hidden or value != value else float(value)), hidden


def _pct(value: float, hidden: bool) -> str:
    if hidden:
        return HIDDEN
    return "–" if math.isnan(value) else fmt_pct(value)


def _year_pair(view: View, spec: HeadlineSpec) -> tuple[str, str] | None:
    """(year, previous year): the selection's year (or the range's end, or the last
    released year) and the released year before it."""
    levels = [str(y) for y in view.release.levels.get(spec.year_dim, [])]
    chosen = getattr(view.selection, spec.year_dim, None)
    if chosen is None and spec.year_dim == "closing_year":
        chosen = view.selection.year_range()[1]
    year = str(chosen) if chosen is not None else (levels[-1] if levels else None)
    if year is None or year not in levels or levels.index(year) == 0:
        return None
    return year, levels[levels.index(year) - 1]


def headline_tiles(view: View, spec: HeadlineSpec) -> list[Tile]:
    """The tiles for this view: own value (an organisation chosen), Flanders, difference in
    percentage points, direction against the previous year, and the n."""
    cell = view.cell(spec.population)
    tiles: list[Tile] = []
    org = view.organisation
    fl, fl_hidden = share_value(view, None, spec, cell)
    own = own_hidden = None
    if org is not None:
        own, own_hidden = share_value(view, org, spec, cell)
        tiles.append(Tile(org, _pct(own, own_hidden), spec.label, "own"))
    tiles.append(Tile(FLANDERS, _pct(fl, fl_hidden), spec.label, "flanders"))
    if org is not None:
        hidden = bool(own_hidden or fl_hidden)
        diff = HIDDEN if hidden else pp_text((own or float("nan")) - fl)
        tiles.append(Tile("Verschil met Vlaanderen", diff, f"{org} t.o.v. {FLANDERS}, in procentpunt", "diff"))
    pair = _year_pair(view, spec)
    if pair is not None:
        tiles.append(_trend_tile(view, spec, org, *pair))
    what = POPULATION_TEXT.get(spec.population, "trajecten") if spec.year_dim == "closing_year" else "kinderen"
    tiles.append(Tile("Aantal", count_text(view, org, cell), f"{what} van {org or FLANDERS}", "n"))
    return tiles[:5]


def _trend_tile(view: View, spec: HeadlineSpec, org: str | None, year: str, previous: str) -> Tile:
    """The direction against the previous year, of the organisation when the release has
    its yearly values, else of Flanders (the Binc profile releases an organisation's
    children for every year together only): the tile then says so."""
    now_cell = view.cell(spec.population, **{spec.year_dim: year})
    before_cell = view.cell(spec.population, **{spec.year_dim: previous})
    now, h1 = share_value(view, org, spec, now_cell)
    before, h2 = share_value(view, org, spec, before_cell)
    whose, detail = org or FLANDERS, f"{year} t.o.v. {previous}"
    if org is not None and not (h1 or h2) and math.isnan(now) and math.isnan(before):
        now, h1 = share_value(view, None, spec, now_cell)
        before, h2 = share_value(view, None, spec, before_cell)
        whose, detail = FLANDERS, f"{detail}; per jaar enkel voor {FLANDERS}"
    if h1 or h2:
        value = HIDDEN
    elif math.isnan(now) or math.isnan(before):
        value = "–"
    else:
        arrow = "▲" if now - before > 0.0005 else ("▼" if now - before < -0.0005 else "=")
        value = f"{arrow} {pp_text(now - before)}"
    return Tile(f"Evolutie {whose}", value, detail, "trend")


def tiles_html(tiles: list[Tile]) -> str:
    parts = []
    for t in tiles:
        parts.append(
            f'<div class="sofs-tile sofs-tile-{t.role}" role="group" aria-label="{html.escape(t.label)}">'
            f'<div class="sofs-tile-label">{html.escape(t.label)}</div>'
            f'<div class="sofs-tile-value">{html.escape(t.value)}</div>'
            f'<div class="sofs-tile-detail">{html.escape(t.detail)}</div></div>'
        )
    return f'<div class="sofs-tiles">{"".join(parts)}</div>'


def sentences_html(sentences: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<li><strong>{html.escape(title)}</strong>: {html.escape(text)}</li>"
        for title, text in sentences
        if text
    )
    return f'<ul class="sofs-sentences" aria-label="Samenvatting">{items}</ul>' if items else ""


class HeadlineRow(traitlets.HasTraits):
    """Tiles on top, the panels' sentences under them."""

    tiles = traitlets.List()
    sentences = traitlets.List()

    def __init__(self) -> None:
        super().__init__()
        self.tiles_widget = W.HTML("")
        self.sentences_widget = W.HTML("")
        traitlets.dlink((self, "tiles"), (self.tiles_widget, "value"), tiles_html)
        traitlets.dlink((self, "sentences"), (self.sentences_widget, "value"), sentences_html)
        self.widget = W.VBox([self.tiles_widget, self.sentences_widget])
        self.widget.add_class("sofs-headline")
