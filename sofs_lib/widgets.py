"""ipywidgets dashboard apps for stakeholders (served by Voila, ``make dashboards``).

A dashboard notebook is two cells: a Dutch heading and ``fidelity_app()`` (or one of the
other four app functions at the bottom of this module). Each app is a :class:`DashboardApp`:

- **controls** on top: organisation (*Alle organisaties* or one organisation), closing year,
  status and case type; the Binc profile has its own (year, status);
- **panels** below, one per figure: a title, the figure in a fixed-size image, the *n* behind
  it, the suppressed table, and download links (table as CSV/XLSX, figure as PNG).

On a control change every panel recomputes and swaps its image, table and texts *in place*;
all areas have fixed heights, so nothing jumps or flickers. What a panel shows comes from
the indicator functions (``sofs_lib.indicators``), the organisation comparison
(``sofs_lib.compare``: own organisation beside Flanders and the median and range of the
others, never another organisation's name or figures), disclosure control
(``sofs_lib.disclosure``) and the figures (``sofs_lib.figures``); nothing is computed here.

A panel never shows a traceback: a selection that is too small shows the Dutch disclosure
message, and any error becomes a plain Dutch sentence while the details go to the log.
"""

from __future__ import annotations

import html
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import ipywidgets as W
import pandas as pd
from matplotlib.figure import Figure

from sofs_lib import catalogue, config, downloads
from sofs_lib.errors import SofsInputError
from sofs_lib.formatting import fmt_date, fmt_int, sort_dutch

log = logging.getLogger(__name__)

#: The "no filter" value of every control.
ALL = "__alle__"
#: Pixel size of every figure image (figures.FIGSIZE at figures.DPI): fixed, so no jumps.
IMAGE_WIDTH, IMAGE_HEIGHT = 800, 450
TABLE_HEIGHT = 230
#: Selections whose finished panels each app keeps (least recently used dropped).
CACHE_SIZE = 24
#: Key in ``View.extra`` of the per-app cache of indicator tables.
INDICATOR_CACHE = "_indicator_cache"

ERROR_MESSAGE = (
    "Deze figuur kan op dit moment niet getoond worden. Kies een andere selectie of meld "
    "het probleem aan de beheerder van de dashboards."
)
LOAD_ERROR_MESSAGE = (
    "De gegevens van dit dashboard konden niet geladen worden. Meld dit aan de beheerder "
    "van de dashboards."
)
EMPTY_MESSAGE = "Geen trajecten in deze selectie."
SYNTHETIC_NOTE = "Let op: dit dashboard toont synthetische testgegevens, geen echte registraties."

_CSS = f"""
<style>
.sofs-app {{ font-family: "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1f2933; }}
.sofs-controls {{ background: #f5f6f7; border: 1px solid #d9dee3; border-radius: 6px;
  padding: 8px 12px; margin-bottom: 12px; }}
.sofs-panel {{ border: 1px solid #d9dee3; border-radius: 6px; padding: 8px 16px 12px 16px;
  margin-bottom: 16px; background: #fff; }}
.sofs-panel h3 {{ margin: 4px 0 2px 0; font-size: 17px; }}
.sofs-message {{ display: flex; align-items: center; justify-content: center;
  height: 100%; min-height: {IMAGE_HEIGHT}px; width: {IMAGE_WIDTH}px; background: #f5f6f7; color: #52606d;
  font-size: 15px; text-align: center; padding: 0 40px; box-sizing: border-box; }}
.sofs-n {{ font-size: 13px; color: #3e4c59; }}
.sofs-table table {{ border-collapse: collapse; font-size: 13px; }}
.sofs-table th, .sofs-table td {{ border-bottom: 1px solid #e4e7eb; padding: 2px 8px;
  text-align: right; }}
.sofs-table th:first-child, .sofs-table td:first-child {{ text-align: left; }}
.sofs-downloads {{ font-size: 13px; }}
.sofs-downloads a {{ color: #1d5f5d; }}
.sofs-note {{ font-size: 12px; color: #7b8794; }}
</style>
"""


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class Selection:
    """What the controls say; ``None`` means *all*."""

    organisation: str | None = None
    closing_year: int | None = None
    status: str | None = None
    case_type: str | None = None
    year: int | None = None  #: Binc: begeleidingsjaar
    variable: str | None = None  #: Binc: the Table 5 characteristic shown

    def describe(self) -> str:
        """The filters in Dutch, for the line under each figure."""
        parts = []
        if self.year is not None:
            parts.append(f"begeleidingsjaar {self.year}")
        if self.closing_year is not None:
            parts.append(f"afgesloten in {self.closing_year}")
        if self.status is not None:
            parts.append(catalogue.STATUS.get(self.status, self.status).lower())
        if self.case_type is not None:
            parts.append(f"typering {catalogue.CASE_TYPES.get(self.case_type, self.case_type)}")
        return ", ".join(parts)


def _value(raw: Any) -> Any:
    return None if raw == ALL else raw


def filter_frame(
    df: pd.DataFrame, selection: Selection, controls: Sequence[ControlSpec]
) -> pd.DataFrame:
    """Rows of ``df`` matching the selection's filters (organisation is never a filter).

    Vectorised boolean masks; a row with a missing value never matches a set filter.
    """
    mask = pd.Series(True, index=df.index)
    for spec in controls:
        wanted = getattr(selection, spec.field)
        if wanted is None or not spec.filter or spec.field == "organisation":
            continue
        if spec.apply is not None:
            mask &= spec.apply(df, wanted).fillna(False).astype(bool)
        elif spec.column in df.columns:
            mask &= (df[spec.column] == wanted).fillna(False).astype(bool)
    return df.loc[mask.to_numpy()]


# --------------------------------------------------------------------------- panels


@dataclass
class PanelOutput:
    """What one panel shows after an update.

    ``figure``: the figure (or ``None`` with a ``message``); ``table``: the suppressed
    table behind it, as people read it (``disclosure.Suppressed.display`` or any frame
    of display strings) — it is also what the CSV/XLSX downloads hold; ``n_text``: the
    *n* behind the figure, in Dutch; ``message``: shown instead of the figure.
    """

    figure: Figure | None = None
    table: pd.DataFrame | None = None
    n_text: str = ""
    message: str | None = None
    note: str | None = None


Builder = Callable[["View"], PanelOutput]


@dataclass(frozen=True)
class Rendered:
    """A panel's finished on-screen state (what the selection cache keeps)."""

    output: PanelOutput
    png: bytes | None
    message: str | None
    n_html: str
    table_html: str
    downloads_html: str


@dataclass(frozen=True)
class PanelSpec:
    """One figure of a dashboard: a Dutch title and the function that fills it."""

    key: str
    title: str
    build: Builder
    description: str = ""
    height: int = IMAGE_HEIGHT  #: pixel height of the figure (figures.FIGSIZE_TALL: 600)


@dataclass(frozen=True)
class View:
    """What a builder gets: the filtered data (all organisations) and the selection."""

    data: pd.DataFrame
    selection: Selection
    min_cell: int
    extra: dict[str, Any] = field(default_factory=dict)
    #: names a subset builders derive from ``data`` (part of the indicator cache key)
    subset: str = ""

    @property
    def organisation(self) -> str | None:
        return self.selection.organisation


def table_html(table: pd.DataFrame | None) -> str:
    """The display table as HTML (escaped; no index)."""
    if table is None or table.empty:
        return ""
    return table.to_html(index=False, escape=True, border=0, na_rep="–")


class Panel:
    """The widgets of one figure; :meth:`show` swaps their content in place."""

    def __init__(self, spec: PanelSpec):
        self.spec = spec
        self.title = W.HTML(f"<h3>{html.escape(spec.title)}</h3>")
        self.description = W.HTML(
            f'<div class="sofs-n">{html.escape(spec.description)}</div>' if spec.description else ""
        )
        size = {"width": f"{IMAGE_WIDTH}px", "height": f"{spec.height}px"}
        self.image = W.Image(format="png", layout=W.Layout(object_fit="contain", **size))
        self.image.add_class("sofs-figure")
        self.message = W.HTML("", layout=W.Layout(display="none", **size))
        self.message.add_class("sofs-message-box")
        self.figure_box = W.Box(
            [self.image, self.message], layout=W.Layout(overflow="hidden", **size)
        )
        self.n_label = W.HTML("", layout=W.Layout(height="24px"))
        self.n_label.add_class("sofs-n-label")
        self.table = W.HTML(
            "",
            layout=W.Layout(height=f"{TABLE_HEIGHT}px", overflow="auto", width=f"{IMAGE_WIDTH}px"),
        )
        self.table.add_class("sofs-table")
        self.downloads = W.HTML("", layout=W.Layout(height="26px"))
        self.downloads.add_class("sofs-downloads-box")
        self.widget = W.VBox(
            [
                self.title,
                self.description,
                self.figure_box,
                self.n_label,
                self.table,
                self.downloads,
            ]
        )
        self.widget.add_class("sofs-panel")
        self.widget.add_class(f"sofs-panel-{spec.key}")
        self.last_png: bytes | None = None
        self.last_output: PanelOutput | None = None

    def render(
        self, output: PanelOutput, on_png: Callable[[bytes], None] | None = None
    ) -> Rendered:
        """The on-screen state of ``output``: PNG bytes or message, n, table, downloads.

        ``on_png`` gets the image as soon as it is drawn, before the downloads are built,
        so the figure on screen changes first.
        """
        png = None
        message = None
        if output.figure is not None and output.message is None:
            png = downloads.figure_png_bytes(output.figure)
            if on_png is not None:
                on_png(png)
        else:
            message = output.message or EMPTY_MESSAGE
        n_text = html.escape(output.n_text)
        if output.note:
            n_text += f' <span class="sofs-note">{html.escape(output.note)}</span>'
        table = output.table if message is None else None
        items = downloads.downloads_for(self.spec.title, table, png)
        return Rendered(
            output=output,
            png=png,
            message=message,
            n_html=f'<div class="sofs-n">{n_text}</div>',
            table_html=table_html(table),
            downloads_html=downloads.links_html(items),
        )

    def _show_png(self, png: bytes) -> None:
        self.image.value = png
        self.image.layout.display = None
        self.message.layout.display = "none"

    def show(self, output: PanelOutput | Rendered) -> Rendered:
        """Put ``output`` on screen, swapping values in place (the image first)."""
        if isinstance(output, Rendered):
            rendered = output
            if rendered.png is not None:
                self._show_png(rendered.png)
        else:
            rendered = self.render(output, on_png=self._show_png)
        self.last_output = rendered.output
        self.last_png = rendered.png
        if rendered.png is None:
            self._message(rendered.message or EMPTY_MESSAGE)
        self.n_label.value = rendered.n_html
        self.table.value = rendered.table_html
        self.downloads.value = rendered.downloads_html
        return rendered

    def _message(self, text: str) -> None:
        self.message.value = f'<div class="sofs-message">{html.escape(text)}</div>'
        self.message.layout.display = None
        self.image.layout.display = "none"

    def show_error(self, text: str = ERROR_MESSAGE) -> None:
        """A plain Dutch message instead of the figure; table and downloads emptied."""
        self.last_output = PanelOutput(message=text)
        self.last_png = None
        self._message(text)
        self.n_label.value = ""
        self.table.value = ""
        self.downloads.value = ""

    def texts(self) -> str:
        """Everything this panel shows as text (for tests: names must not leak)."""
        return " ".join(
            w.value for w in (self.title, self.message, self.n_label, self.table, self.downloads)
        )


# --------------------------------------------------------------------------- apps


@dataclass(frozen=True)
class ControlSpec:
    """A dropdown: the selection field it sets, its Dutch label, the data column.

    ``options``: a function giving (label, value) pairs from the data (default: the
    values of ``column``, with *Alle* first); ``apply``: a function giving the row mask
    of a value (default: equality on ``column``); ``filter`` False: the control only
    chooses what is shown (no rows are filtered); ``default``: the first value.
    """

    field: str
    label: str
    column: str
    options: Callable[[pd.DataFrame], list[tuple[str, Any]]] | None = None
    apply: Callable[[pd.DataFrame, Any], pd.Series] | None = None
    filter: bool = True
    default: Any = None


DASHBOARD_CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec("organisation", catalogue.LABELS["organisation"], "organisation"),
    ControlSpec("closing_year", catalogue.LABELS["closing_year"], "closing_year"),
    ControlSpec("status", catalogue.LABELS["status"], "status"),
    ControlSpec("case_type", catalogue.LABELS["case_type"], "case_type"),
)


def control_options(df: pd.DataFrame, spec: ControlSpec) -> list[tuple[str, Any]]:
    """Dropdown options (Dutch label, value) from the values present in the data."""
    if spec.options is not None:
        return spec.options(df)
    first = catalogue.LABELS["all_organisations"] if spec.field == "organisation" else "Alle"
    options: list[tuple[str, Any]] = [(first, ALL)]
    if spec.column not in df.columns:
        return options
    values = pd.Series(df[spec.column].dropna().unique())
    if spec.field == "case_type":
        order = [k for k in catalogue.CASE_TYPES if k in set(values)]
        return options + [(catalogue.CASE_TYPES[k], k) for k in order]
    if spec.field == "status":
        order = [k for k in catalogue.STATUS if k in set(values)]
        return options + [(catalogue.STATUS[k], k) for k in order]
    if pd.api.types.is_numeric_dtype(values):
        return options + [(str(int(v)), int(v)) for v in sorted(values)]
    names = sort_dutch(values.astype(str))
    if spec.field == "organisation":
        allowed = visible_organisations()
        if allowed is not None:
            names = [n for n in names if n in allowed]
    return options + [(n, n) for n in names]


#: Environment variable limiting the organisation dropdown (comma-separated names).
ORGANISATIONS_ENV = "SOFS_ORGANISATIONS"


def visible_organisations() -> frozenset[str] | None:
    """The organisations a server may offer in the dropdown, or ``None`` for all.

    A server for one organisation sets ``SOFS_ORGANISATIONS="Naam"``: its people then
    see only *Alle organisaties* and their own, not even the list of the others' names.
    """
    import os

    raw = os.environ.get(ORGANISATIONS_ENV, "").strip()
    if not raw:
        return None
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


class DashboardApp:
    """Controls + panels; recomputes every panel when a control changes.

    ``data``: the frame the builders read (cleaned + derived); ``filter_columns``: the
    selection fields applied as row filters before the builders run (organisation is
    never a filter: builders compare it with the rest). ``title`` is not shown (the
    notebook's heading is) but names downloads and the report.
    """

    def __init__(
        self,
        title: str,
        data: pd.DataFrame | None,
        panels: Sequence[PanelSpec],
        *,
        controls: Sequence[ControlSpec] = DASHBOARD_CONTROLS,
        min_cell: int | None = None,
        source_note: str = "",
        load_error: str | None = None,
        extra: dict[str, Any] | None = None,
        unit: str = "trajecten",
    ):
        self.title = title
        self.unit = unit
        self.data = data if data is not None else pd.DataFrame()
        try:
            self.min_cell = config.min_cell() if min_cell is None else int(min_cell)
        except ValueError:  # a bad SOFS_MIN_CELL: show nothing rather than guess
            log.exception("%s: invalid disclosure threshold", title)
            self.min_cell, load_error = 5, LOAD_ERROR_MESSAGE
        self.control_specs = tuple(controls)
        self.extra = dict(extra or {})
        self.panels = [Panel(spec) for spec in panels]
        self.controls: dict[str, W.Dropdown] = {}
        for spec in self.control_specs:
            options = control_options(self.data, spec)
            default = spec.default if spec.default is not None else options[0][1]
            dropdown = W.Dropdown(
                options=options,
                value=default,
                description=spec.label,
                style={"description_width": "initial"},
                layout=W.Layout(width="auto", margin="0 18px 0 0"),
            )
            dropdown.add_class(f"sofs-control-{spec.field}")
            self.controls[spec.field] = dropdown
        self.status = W.HTML("", layout=W.Layout(height="22px"))
        self.status.add_class("sofs-status")
        header = W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap"))
        header.add_class("sofs-controls")
        note = W.HTML(
            f'<div class="sofs-note">{html.escape(source_note)}</div>' if source_note else ""
        )
        self.widget = W.VBox([W.HTML(_CSS), header, self.status, note, *self.panel_widgets()])
        self.widget.add_class("sofs-app")
        self.last_refresh_seconds: float | None = None
        self.refresh_count = 0
        # The data never changes within a kernel, so a selection's panels can be reused.
        self._cache: OrderedDict[tuple[str, Selection], Rendered] = OrderedDict()
        if load_error is not None:
            for dropdown in self.controls.values():
                dropdown.disabled = True
            for panel in self.panels:
                panel.show_error(load_error)
            return
        for dropdown in self.controls.values():
            dropdown.observe(self._on_change, names="value")
        self.refresh()

    def panel_widgets(self) -> list[W.Widget]:
        return [panel.widget for panel in self.panels]

    # -- selection ------------------------------------------------------------------

    def selection(self) -> Selection:
        """The current control values as a :class:`Selection`."""
        values = {name: _value(dropdown.value) for name, dropdown in self.controls.items()}
        return Selection(**{k: v for k, v in values.items() if k in Selection.__annotations__})

    def select(self, **values: Any) -> None:
        """Set controls by field (``organisation="Org 3"``); ``None`` means all. One refresh."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise SofsInputError(f"no control(s) {', '.join(unknown)} on this dashboard")
        self._hold = True
        try:
            for name, value in values.items():
                self.controls[name].value = ALL if value is None else value
        finally:
            self._hold = False
        self.refresh()

    _hold = False

    def _on_change(self, _change: dict) -> None:
        if not self._hold:
            self.refresh()

    def view(self) -> View:
        """The filtered data and the selection the builders get."""
        selection = self.selection()
        data = filter_frame(self.data, selection, self.control_specs)
        if "organisation" not in self.controls:
            selection = replace(selection, organisation=None)
        return View(data=data, selection=selection, min_cell=self.min_cell, extra=self.extra)

    # -- drawing --------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute and redraw every panel for the current selection."""
        started = time.perf_counter()
        try:
            view = self.view()
        except Exception:  # a stakeholder must never see a traceback
            log.exception("%s: selection failed", self.title)
            for panel in self.panels:
                panel.show_error()
            return
        self.status.value = f'<div class="sofs-n">{html.escape(self._status_text(view))}</div>'
        for panel in self.panels:
            key = (panel.spec.key, view.selection)
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                panel.show(cached)
                continue
            try:
                rendered = panel.show(panel.spec.build(view))
            except Exception:
                log.exception("%s / %s: panel failed", self.title, panel.spec.key)
                panel.show_error()
                continue
            self._cache[key] = rendered
            while len(self._cache) > CACHE_SIZE * max(len(self.panels), 1):
                self._cache.popitem(last=False)
        self.refresh_count += 1
        self.last_refresh_seconds = time.perf_counter() - started

    def _status_text(self, view: View) -> str:
        what = view.selection.describe()
        # Counts from 1 to k-1 read "<5" here too (disclosure rule 1), for Flanders and own.
        n = len(view.data)
        text = f"Selectie: {_count_text(n, view.min_cell)} {self.unit}"
        if view.organisation is not None and "organisation" in view.data.columns:
            own = int((view.data["organisation"] == view.organisation).sum())
            text += f", waarvan {_count_text(own, view.min_cell)} van uw organisatie"
        return text + (f" ({what})" if what else "")

    def texts(self) -> str:
        """Every text the app shows (status and panels), for tests."""
        return " ".join([self.status.value, *(p.texts() for p in self.panels)])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)


def source_note(frame: pd.DataFrame, date_key: str = "dashboard_export_date") -> str:
    """The Dutch line about the data: export date (``5 oktober 2023``) and, for the
    synthetic set, a warning that the figures are not real."""
    from pathlib import Path

    from sofs_lib import datasets

    export = frame.attrs.get("export_date")
    source = frame.attrs.get("source_path")
    if export is None and source:
        try:
            export = datasets.export_date_for(Path(source), date_key)
        except (OSError, ValueError):
            export = None
    parts = []
    if export is not None:
        parts.append(f"Gegevens geëxporteerd op {fmt_date(export)}.")
    if frame.attrs.get("provenance") == "synthetic":
        parts.append(SYNTHETIC_NOTE)
    return " ".join(parts)


# --------------------------------------------------------------------------- builders
# A builder turns a View into a PanelOutput with the library's functions:
# indicator (by organisation and for Flanders) -> compare -> figure + display table.

#: Hue column of comparison figures (own organisation / Flanders / median of the others).
GROUP = "Groep"
#: Plan B kinds: a blank is "not filled in" (the catalogue's "none" is the case type "Geen").
PLAN_B_LABELS: dict[object, str] = dict(catalogue.PLAN_B_WITH_BLANK)


def _labels(extra: dict[object, str] | None = None) -> dict[object, str]:
    labels: dict[object, str] = dict(catalogue.STEP_LABELS)
    labels.update(extra or {})
    return labels


def _count_text(count: int, k: int) -> str:
    """A count people may see: ``<5`` from 1 to k-1 (disclosure rule 1)."""
    from sofs_lib.disclosure import suppressed_label

    return suppressed_label(k) if 1 <= count < k else fmt_int(count)


def _population(view: View, population: str) -> pd.DataFrame:
    if population == "all" or "status" not in view.data.columns:
        return view.data
    return view.data.loc[(view.data["status"] == population).fillna(False).astype(bool)]


_POPULATION_TEXT = {"all": "trajecten", "closed": "afgesloten trajecten", "open": "open trajecten"}


def n_text(view: View, population: str = "all") -> str:
    """The n behind a figure: trajectories of the population, own organisation and Flanders."""
    rows = _population(view, population)
    what = _POPULATION_TEXT.get(population, "trajecten")
    text = f"n = {_count_text(len(rows), view.min_cell)} {what} in {catalogue.LABELS['flanders']}"
    if view.organisation is not None and "organisation" in rows.columns:
        own = int((rows["organisation"] == view.organisation).sum())
        text = (
            f"n = {_count_text(own, view.min_cell)} {what} van {view.organisation}; "
            f"{_count_text(len(rows), view.min_cell)} in {catalogue.LABELS['flanders']}"
        )
    return text


def selection_counts(view: View) -> dict[str, int]:
    """Trajectories per organisation in the selection, plus *Alle organisaties*."""
    counts = {str(k): int(v) for k, v in view.data["organisation"].value_counts().items()}
    counts[catalogue.LABELS["all_organisations"]] = len(view.data)
    return counts


def compare_indicator(
    view: View,
    indicator: Callable[..., pd.DataFrame],
    by: Sequence[str] = (),
    **kwargs: Any,
):
    """``indicator`` by organisation and for Flanders, then ``compare.compare_organisation``.

    ``by``: extra grouping both sides share (``closing_year`` for trends).
    """
    from sofs_lib import compare

    value = kwargs.pop("value", None)
    # The indicator tables depend on the filters, not on the organisation shown: switching
    # organisation (the common change) reuses them.
    filters = replace(view.selection, organisation=None)
    key = (indicator, tuple(by), tuple(sorted(kwargs.items())), filters, view.subset)
    cache = view.extra.setdefault(INDICATOR_CACHE, OrderedDict())
    if key in cache:
        by_org, flanders = cache[key]
        cache.move_to_end(key)
    else:
        by_org = indicator(view.data, by=["organisation", *by], **kwargs)
        flanders = indicator(view.data, by=list(by), **kwargs)
        cache[key] = (by_org, flanders)
        while len(cache) > 4 * CACHE_SIZE:
            cache.popitem(last=False)
    return compare.compare_organisation(
        by_org,
        flanders,
        view.organisation,
        value=value,
        min_cell=view.min_cell,
        selection_n=selection_counts(view),
    )


def display_table(
    comparison,
    labels: dict[object, str] | None = None,
    order: Sequence[object] | None = None,
    category: str | None = None,
) -> pd.DataFrame:
    """The comparison's display table with Dutch key labels and headers.

    Rows follow ``order`` on ``category`` (catalogue order) when given; a constant
    ``indicator`` column is dropped (the panel title names it).
    """
    from sofs_lib import compare, figures

    labels = labels or _labels()
    table = comparison.display.copy()
    if order is not None and category in comparison.values.columns:
        rank = {v: i for i, v in enumerate(order)}
        position = comparison.values[category].map(rank).fillna(len(rank)).to_numpy()
        table = table.iloc[position.argsort(kind="stable")].reset_index(drop=True)
    key_cols = [
        c
        for c in table.columns
        if c in comparison.values.columns and c not in compare.VALUE_COLUMNS
    ]
    for col in key_cols:
        if col == "indicator" and table[col].nunique() <= 1:
            table = table.drop(columns=[col])
            continue
        table[col] = [figures.value_label(v, labels) for v in table[col]]
    renames = {c: figures.column_label(c) for c in key_cols if c in table.columns}
    renames["indicator"] = "Indicator"
    return table.rename(columns=renames)


def _group_labels(comparison) -> tuple[str, str, str]:
    from sofs_lib import compare

    overview = "own" not in comparison.values.columns
    median = compare.TEXT["median_all" if overview else "median_others"]
    return comparison.selection, compare.TEXT["flanders"], median


def share_figure_frame(comparison, key: str) -> pd.DataFrame:
    """Comparison values -> tidy rows (key, group) with numerator/denominator/share.

    The own organisation and Flanders carry their counts (numerator = share × base,
    exact since share = numerator / base); the median of the other organisations has a
    share only. Hidden cells are flagged ``suppressed`` so figures draw ``<5``.
    """
    own_label, fl_label, med_label = _group_labels(comparison)
    values, hidden = comparison.values, comparison.hidden
    parts = []
    columns = [("own", "own_n", own_label), ("flanders", "flanders_n", fl_label)]
    for share_col, n_col, label in columns:
        if share_col not in values.columns:
            continue
        share = values[share_col].astype("Float64")
        base = values[n_col].astype("Float64")
        parts.append(
            pd.DataFrame(
                {
                    key: values[key].to_numpy(),
                    GROUP: label,
                    "numerator": (share * base)
                    .round()
                    .to_numpy(dtype=float, na_value=float("nan")),
                    "denominator": base.to_numpy(dtype=float, na_value=float("nan")),
                    "share": share.to_numpy(dtype=float, na_value=float("nan")),
                    "suppressed": hidden[label].to_numpy(dtype=bool),
                }
            )
        )
    median = values["median_others"].astype("Float64")
    parts.append(
        pd.DataFrame(
            {
                key: values[key].to_numpy(),
                GROUP: med_label,
                "numerator": float("nan"),
                "denominator": float("nan"),
                "share": median.to_numpy(dtype=float, na_value=float("nan")),
                "suppressed": False,
            }
        )
    )
    return pd.concat(parts, ignore_index=True)


def share_panel(
    key: str,
    title: str,
    indicator: Callable[..., pd.DataFrame],
    *,
    category: str | None = None,
    population: str = "all",
    order: Sequence[object] | None = None,
    labels: dict[object, str] | None = None,
    tall: bool = False,
    description: str = "",
) -> PanelSpec:
    """A panel of a share indicator: own organisation vs Flanders vs median of the others.

    ``category``: the indicator's inner key (``step``, ``plan_b``...) or ``None`` for
    indicators without one (then the ``indicator`` id is the category). ``tall``: the
    taller fixed figure size, for many categories.
    """
    from sofs_lib import figures

    figsize = figures.FIGSIZE_TALL if tall else figures.FIGSIZE
    names = _labels(labels)
    if order is None and category is not None:
        order = figures.DEFAULT_ORDERS.get(category)

    def build(view: View) -> PanelOutput:
        comparison = compare_indicator(view, indicator, population=population)
        n = n_text(view, population)
        if not comparison.ok:
            return PanelOutput(message=comparison.message, n_text=n)
        cat = category or "indicator"
        frame = share_figure_frame(comparison, cat)
        hues = [h for h in _group_labels(comparison) if h in set(frame[GROUP])]
        fig = figures.share_bars(
            frame,
            cat,
            hue=GROUP,
            title=title,
            order=order,
            hue_order=hues,
            labels=names,
            figsize=figsize,
        )
        return PanelOutput(
            figure=fig,
            table=display_table(comparison, names, order=order, category=cat),
            n_text=n,
            note=" ".join(comparison.notes) or None,
        )

    return PanelSpec(key, title, build, description, height=int(figsize[1] * figures.DPI))


def distribution_panel(
    key: str,
    title: str,
    indicator: Callable[..., pd.DataFrame],
    *,
    population: str = "all",
    xlabel: str | None = None,
    guideline: tuple[float, float] | None = None,
    description: str = "",
) -> PanelSpec:
    """A panel of a distribution indicator (months, counts).

    Figure: mean, median and min–max of the own organisation and of Flanders (each after
    disclosure control). Table: the comparison of means with the median and range of
    the other organisations' means.
    """

    def build(view: View) -> PanelOutput:
        from sofs_lib import disclosure, figures

        comparison = compare_indicator(view, indicator, population=population)
        n = n_text(view, population)
        if not comparison.ok:
            return PanelOutput(message=comparison.message, n_text=n)
        own_label, fl_label, _ = _group_labels(comparison)
        groups = [(fl_label, view.data)]
        if view.organisation is not None:
            own = view.data.loc[(view.data["organisation"] == view.organisation).to_numpy()]
            groups.insert(0, (own_label, own))
        rows = []
        for label, data in groups:
            stats = indicator(data, population=population)
            suppressed = disclosure.suppress_distribution(
                stats, keys=[c for c in stats.columns if c == "indicator"], min_cell=view.min_cell
            )
            row = suppressed.values.drop(columns=["indicator"], errors="ignore").iloc[[0]]
            rows.append(row.assign(**{GROUP: label}))
        frame = pd.concat(rows, ignore_index=True)
        for col in ("n", "mean", "median", "min", "max", "sd"):
            if col in frame.columns:
                frame[col] = frame[col].astype("Float64").astype(float)
        fig = figures.summary_ranges(
            frame,
            GROUP,
            title=title,
            order=[g for g, _ in groups],
            xlabel=xlabel,
            guideline=guideline,
            figsize=figures.FIGSIZE,
        )
        return PanelOutput(
            figure=fig,
            table=display_table(comparison),
            n_text=n,
            note=" ".join(comparison.notes) or None,
        )

    return PanelSpec(key, title, build, description)


def _closed_with_year(view: View) -> View:
    data = view.data
    keep = (data["status"] == "closed").fillna(False).astype(bool) & data["closing_year"].notna()
    return replace(view, data=data.loc[keep.to_numpy()], subset="closed_with_year")


def trend_share_panel(
    key: str,
    title: str,
    indicator: Callable[..., pd.DataFrame],
    *,
    description: str = "",
) -> PanelSpec:
    """A share by closing year (report lines 5433–5540): one line each for the own
    organisation, Flanders and the median of the other organisations. Closed
    trajectories only, as the report."""
    from sofs_lib import figures

    def build(view: View) -> PanelOutput:
        closed = _closed_with_year(view)
        n = n_text(view, "closed")
        comparison = compare_indicator(closed, indicator, by=["closing_year"], population="closed")
        if not comparison.ok:
            return PanelOutput(message=comparison.message, n_text=n)
        frame = share_figure_frame(comparison, "closing_year")
        hues = [h for h in _group_labels(comparison) if h in set(frame[GROUP])]
        frame["share"] = frame["share"].where(~frame["suppressed"])
        fig = figures.trend_shares(frame, title=title, x="closing_year", hue=GROUP, hue_order=hues)
        return PanelOutput(
            figure=fig,
            table=display_table(comparison, _labels(), order=None, category="closing_year"),
            n_text=n,
            note=" ".join(comparison.notes) or None,
        )

    return PanelSpec(key, title, build, description)


def trend_mean_panel(
    key: str,
    title: str,
    indicator: Callable[..., pd.DataFrame],
    *,
    ylabel: str | None = None,
    description: str = "",
) -> PanelSpec:
    """A mean by closing year: the line of the own organisation (or of Flanders for
    *Alle organisaties*), the table compares it with Flanders and the other organisations."""
    from sofs_lib import disclosure, figures

    def build(view: View) -> PanelOutput:
        closed = _closed_with_year(view)
        n = n_text(view, "closed")
        comparison = compare_indicator(closed, indicator, by=["closing_year"], population="closed")
        if not comparison.ok:
            return PanelOutput(message=comparison.message, n_text=n)
        data = closed.data
        whose = catalogue.LABELS["flanders"]
        if view.organisation is not None:
            data = data.loc[(data["organisation"] == view.organisation).to_numpy()]
            whose = view.organisation
        stats = indicator(data, by=["closing_year"], population="closed")
        shown = disclosure.suppress_distribution(
            stats, keys=["closing_year", "indicator"], min_cell=view.min_cell
        ).values
        for col in ("n", "mean", "sd", "median", "min", "max"):
            if col in shown.columns:
                shown[col] = shown[col].astype("Float64").astype(float)
        shown["n"] = stats["n"].where(stats["n"] >= view.min_cell)
        fig = figures.trend_means(
            shown.drop(columns=["sd"], errors="ignore"),
            title=f"{title}: {whose}",
            x="closing_year",
            ylabel=ylabel,
        )
        return PanelOutput(
            figure=fig,
            table=display_table(comparison, _labels(), category="closing_year"),
            n_text=n,
            note=" ".join(comparison.notes) or None,
        )

    return PanelSpec(key, title, build, description)


# --------------------------------------------------------------------------- the five apps


def _never_raise(title: str):
    """Decorate an app function: any error while building becomes an app that shows the
    Dutch load message (Voila would otherwise print an English error box)."""
    import functools

    def decorate(build: Callable[..., DashboardApp]) -> Callable[..., DashboardApp]:
        @functools.wraps(build)
        def wrapper(*args: Any, **kwargs: Any) -> DashboardApp:
            try:
                return build(*args, **kwargs)
            except Exception:
                log.exception("building the %s dashboard failed", title)
                return DashboardApp(
                    title,
                    None,
                    [
                        PanelSpec(
                            "fout", title, lambda view: PanelOutput(message=LOAD_ERROR_MESSAGE)
                        )
                    ],
                    load_error=LOAD_ERROR_MESSAGE,
                )

        return wrapper

    return decorate


def _dashboard_frame(data: pd.DataFrame | None) -> tuple[pd.DataFrame | None, str, str | None]:
    """The cleaned dashboard frame with derived columns, its source note, or a load error."""
    from sofs_lib.indicators.derive import add_derived

    try:
        if data is None:
            from sofs_lib import datasets

            data = datasets.load_dashboard()
        return add_derived(data), source_note(data), None
    except Exception:
        log.exception("loading the dashboard export failed")
        return None, "", LOAD_ERROR_MESSAGE


def _presence(person: str) -> Callable[..., pd.DataFrame]:
    """``partnership.step_presence`` for one person (CB or consulent), person column dropped."""
    from sofs_lib.indicators import partnership

    def indicator(df: pd.DataFrame, by: Sequence[str] = (), population: str = "all"):
        table = partnership.step_presence(df, by=by, population=population)
        keep = (table["person"] == person).to_numpy()
        return table.loc[keep].drop(columns=["person"]).reset_index(drop=True)

    return indicator


def _key_plans(df: pd.DataFrame, by: Sequence[str] = (), population: str = "closed"):
    """W&P, adult and child safety plan in one frame (lines 5058–5065), ``indicator`` as key."""
    from sofs_lib.indicators import fidelity

    return pd.concat(
        [
            fidelity.words_pictures(df, by, population),
            fidelity.safety_plan_adult(df, by, population),
            fidelity.safety_plan_child(df, by, population),
        ],
        ignore_index=True,
    )


KEY_PLANS_ORDER = ("words_pictures", "safety_plan_adult", "safety_plan_child")


@_never_raise("Modelgetrouwheid")
def fidelity_app(data: pd.DataFrame | None = None, *, min_cell: int | None = None) -> DashboardApp:
    """Modelgetrouwheid: which steps were taken (Fig. 5, lines 5036–5120, 5196–5230), network
    meetings (lines 5200–5230) and module duration (lines 5376–5377)."""
    from sofs_lib.indicators import durations, fidelity

    frame, note, error = _dashboard_frame(data)
    panels = [
        share_panel(
            "stappen",
            "Gezette Signs of Safety-stappen",
            fidelity.step_rates,
            category="step",
            tall=True,
            description="Aandeel trajecten waarin de stap gezet werd (ontbrekend niet meegeteld).",
        ),
        share_panel(
            "alle_stappen",
            "Alle stappen gezet (afgesloten trajecten)",
            fidelity.all_steps,
            population="closed",
            description="De tien stappen en minstens één netwerkberaad (rapport: 28,4%).",
        ),
        share_panel(
            "plannen",
            "Woord- en beeldverhaal en veiligheidsplannen (afgesloten trajecten)",
            _key_plans,
            population="closed",
            order=KEY_PLANS_ORDER,
        ),
        share_panel(
            "richtlijn_netwerkberaden",
            "Netwerkberaden volgens de richtlijn (6 tot 12)",
            fidelity.network_meetings_guideline,
            description="Over trajecten met een ingevuld aantal netwerkberaden.",
        ),
        distribution_panel(
            "aantal_netwerkberaden",
            "Aantal netwerkberaden per traject",
            fidelity.network_meetings_distribution,
            xlabel="Aantal netwerkberaden",
        ),
        distribution_panel(
            "duurtijd",
            "Duurtijd van de module (afgesloten trajecten)",
            durations.module_duration,
            population="closed",
            xlabel="Maanden van start tot einde (richtlijn: 4 tot 8)",
            guideline=catalogue.DURATION_GUIDELINE_MONTHS,
            description="Rapport: gemiddeld 9,2 maanden; 60,2% duurde hoogstens 8 maanden.",
        ),
    ]
    return DashboardApp(
        "Modelgetrouwheid", frame, panels, min_cell=min_cell, source_note=note, load_error=error
    )


@_never_raise("Partnerschap")
def partnership_app(
    data: pd.DataFrame | None = None, *, min_cell: int | None = None
) -> DashboardApp:
    """Partnerschap: CB and consulent presence per step (Fig. 6, lines 5140–5200)."""
    from sofs_lib.indicators import partnership

    frame, note, error = _dashboard_frame(data)
    panels = [
        share_panel(
            "aanwezig_cb",
            "Contextbegeleider aanwezig bij de stap",
            _presence("cb"),
            category="step",
            tall=True,
            description="Aandeel van de trajecten waarin de stap gezet werd.",
        ),
        share_panel(
            "aanwezig_consulent",
            "Consulent aanwezig bij de stap",
            _presence("consulent"),
            category="step",
            tall=True,
            description="Aandeel van de trajecten waarin de stap gezet werd.",
        ),
        distribution_panel(
            "start_consulent",
            "Start van de consulent ten opzichte van de start bij de contextbegeleider",
            partnership.consulent_start_lag,
            xlabel="Maanden (negatief: de consulent startte eerder)",
        ),
    ]
    return DashboardApp(
        "Partnerschap", frame, panels, min_cell=min_cell, source_note=note, load_error=error
    )


@_never_raise("Plan B")
def plan_b_app(data: pd.DataFrame | None = None, *, min_cell: int | None = None) -> DashboardApp:
    """Plan B: kind at the start and whether it took effect (Fig. 9, lines 5236–5262, 5378)."""
    from sofs_lib.indicators import durations
    from sofs_lib.indicators import plan_b as plan_b_ind

    frame, note, error = _dashboard_frame(data)
    panels = [
        share_panel(
            "plan_b_start",
            "Plan B bij de start (open trajecten)",
            plan_b_ind.plan_b_at_start,
            category="plan_b",
            population="open",
            labels=PLAN_B_LABELS,
        ),
        share_panel(
            "plan_b_werking",
            "Plan B in werking (afgesloten trajecten)",
            plan_b_ind.plan_b_in_effect,
            population="closed",
        ),
        share_panel(
            "plan_b_soort",
            "Soort plan B dat in werking trad (afgesloten trajecten)",
            plan_b_ind.plan_b_type_in_effect,
            category="plan_b",
            population="closed",
            labels=PLAN_B_LABELS,
        ),
        distribution_panel(
            "plan_b_timing",
            "Maanden van de start tot plan B in werking",
            durations.plan_b_timing,
            xlabel="Maanden na de start (negatief: vóór de start)",
        ),
    ]
    return DashboardApp(
        "Plan B", frame, panels, min_cell=min_cell, source_note=note, load_error=error
    )


@_never_raise("Evolutie")
def trends_app(data: pd.DataFrame | None = None, *, min_cell: int | None = None) -> DashboardApp:
    """Evolutie: key figures by closing year (report lines 5410–5540)."""
    from sofs_lib.indicators import fidelity
    from sofs_lib.indicators import plan_b as plan_b_ind

    frame, note, error = _dashboard_frame(data)
    panels = [
        trend_share_panel(
            "evolutie_plan_volwassenen",
            "Veiligheidsplan volwassenen per jaar van afsluiting",
            fidelity.safety_plan_adult,
        ),
        trend_share_panel(
            "evolutie_plan_kind",
            "Veiligheidsplan kindversie per jaar van afsluiting",
            fidelity.safety_plan_child,
        ),
        trend_share_panel(
            "evolutie_wp",
            "Woord- en beeldverhaal per jaar van afsluiting",
            fidelity.words_pictures,
        ),
        trend_share_panel(
            "evolutie_plan_b",
            "Plan B in werking per jaar van afsluiting",
            plan_b_ind.plan_b_in_effect,
        ),
        trend_mean_panel(
            "evolutie_netwerkberaden",
            "Gemiddeld aantal netwerkberaden per jaar van afsluiting",
            fidelity.network_meetings_distribution,
            ylabel="Aantal netwerkberaden",
        ),
    ]
    return DashboardApp(
        "Evolutie", frame, panels, min_cell=min_cell, source_note=note, load_error=error
    )


# --------------------------------------------------------------------------- Binc profile

#: Dutch headers of a Flemish share table (no organisation comparison: Binc profile).
SHARE_HEADERS = {
    "category": "Categorie",
    "numerator": "Aantal",
    "denominator": "Totaal",
    "share": catalogue.LABELS["share"],
    "year": "Begeleidingsjaar",
}


def _binc_years(children: pd.DataFrame) -> list[tuple[str, Any]]:
    first = children["sofs_first_year"].dropna().astype(int)
    last = children["sofs_last_year"].dropna().astype(int)
    if first.empty:
        return [("Alle", ALL)]
    years = range(int(first.min()), int(last.max()) + 1)
    return [("Alle", ALL), *((str(y), y) for y in years)]


def _active_in_year(children: pd.DataFrame, year: int) -> pd.Series:
    """Children with a CB SofS module in begeleidingsjaar ``year`` (profiles.children_by_year)."""
    first = children["sofs_first_year"].astype("Float64")
    last = children["sofs_last_year"].astype("Float64")
    return (first <= year) & (last >= year)


def _binc_variables(_children: pd.DataFrame) -> list[tuple[str, Any]]:
    from sofs_lib.indicators import profiles

    return [
        ("Geslacht", "sex"),
        *((label, key) for key, label in profiles.TABLE5_VARIABLES.items()),
    ]


BINC_CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec("year", "Begeleidingsjaar", "year", options=_binc_years, apply=_active_in_year),
    ControlSpec("status", catalogue.LABELS["status"], "status"),
    ControlSpec(
        "variable", "Kenmerk", "variable", options=_binc_variables, filter=False, default="sex"
    ),
)


def n_children_text(view: View) -> str:
    return f"n = {_count_text(len(view.data), view.min_cell)} kinderen"


def binc_share_panel(
    key: str,
    title: str,
    indicator: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    description: str = "",
) -> PanelSpec:
    """A Flemish share table of the Binc children (Table 5 form), after disclosure control.

    ``indicator(children)`` returns a ``category_shares``-like frame; the selection rule
    applies to the number of children in the selection.
    """
    from sofs_lib import disclosure, figures

    def build(view: View) -> PanelOutput:
        n = n_children_text(view)
        table = indicator(view.data)
        keys = [c for c in table.columns if c not in ("numerator", "denominator", "share")]
        suppressed = disclosure.suppress_shares(
            table, keys=keys, min_cell=view.min_cell, selection_n=len(view.data)
        )
        if not suppressed.ok:
            return PanelOutput(message=suppressed.message, n_text=n)
        frame = suppressed.values.assign(suppressed=suppressed.hidden["share"].to_numpy())
        order = list(pd.unique(frame["category"]))
        fig = figures.share_bars(
            frame,
            "category",
            title=title,
            order=order,
            figsize=figures.FIGSIZE_TALL,
        )
        shown = suppressed.display.drop(
            columns=[c for c in ("indicator", "variable", "variable_nl") if c in keys]
        ).rename(columns=SHARE_HEADERS)
        return PanelOutput(figure=fig, table=shown, n_text=n)

    return PanelSpec(key, title, build, description, height=600)


def _variable_panel() -> PanelSpec:
    """The Table 5 characteristic chosen in the *Kenmerk* control."""
    from sofs_lib import disclosure, figures
    from sofs_lib.indicators import profiles

    def build(view: View) -> PanelOutput:
        variable = view.selection.variable or "sex"
        label = dict((v, k) for k, v in _binc_variables(view.data)).get(variable, variable)
        n = n_children_text(view)
        table = profiles.category_shares(view.data, variable)
        keys = [c for c in table.columns if c not in ("numerator", "denominator", "share")]
        suppressed = disclosure.suppress_shares(
            table, keys=keys, min_cell=view.min_cell, selection_n=len(view.data)
        )
        if not suppressed.ok:
            return PanelOutput(message=suppressed.message, n_text=n)
        frame = suppressed.values.assign(suppressed=suppressed.hidden["share"].to_numpy())
        fig = figures.share_bars(
            frame,
            "category",
            title=label,
            order=list(pd.unique(frame["category"])),
            figsize=figures.FIGSIZE_TALL,
        )
        shown = suppressed.display.drop(columns=["indicator", "variable"]).rename(
            columns=SHARE_HEADERS
        )
        return PanelOutput(figure=fig, table=shown, n_text=n)

    return PanelSpec(
        "kenmerk",
        "Kenmerken van kind en gezin (tabel 5)",
        build,
        "Kies het kenmerk bovenaan; aandelen over alle kinderen, ook 'Niet van toepassing' "
        "en 'Missing'.",
        height=600,
    )


def _age_panel() -> PanelSpec:
    """Age at entry per begeleidingsjaar (Table 5, line 4525), after disclosure control."""
    from sofs_lib import disclosure, figures
    from sofs_lib.indicators import profiles

    def build(view: View) -> PanelOutput:
        n = n_children_text(view)
        check = disclosure.check_selection(len(view.data), view.min_cell)
        if not check.ok:
            return PanelOutput(message=check.message, n_text=n)
        stats = profiles.age_by_year(view.data)
        if view.selection.year is not None:
            stats = stats.loc[(stats["year"] == view.selection.year).to_numpy()]
        stats = stats.reset_index(drop=True)
        suppressed = disclosure.suppress_distribution(
            stats, keys=["indicator", "year"], min_cell=view.min_cell
        )
        values = suppressed.values.drop(columns=["indicator"])
        for col in ("n", "mean", "sd", "median", "min", "max"):
            values[col] = values[col].astype("Float64").astype(float)
        values["year"] = values["year"].astype(int).astype(str)
        fig = figures.summary_ranges(
            values, "year", title="Leeftijd bij instroom per begeleidingsjaar", xlabel="Jaar"
        )
        shown = suppressed.display.drop(columns=["indicator"]).rename(
            columns={
                "year": "Begeleidingsjaar",
                "n": "n",
                "mean": "Gemiddelde",
                "sd": "SD",
                "median": "Mediaan",
                "min": "Minimum",
                "max": "Maximum",
            }
        )
        return PanelOutput(figure=fig, table=shown, n_text=n)

    return PanelSpec("leeftijd", "Leeftijd bij instroom", build)


def _binc_children(
    children: pd.DataFrame | None,
) -> tuple[pd.DataFrame | None, str, str | None]:
    try:
        if children is None:
            from sofs_lib import datasets

            children = datasets.load_binc_result().children
        if "sofs_first_year" not in children.columns:
            raise SofsInputError("the Binc children frame lacks sofs_first_year")
        keep = (
            children["n_sofs_modules"].fillna(0).astype(int) > 0
            if ("n_sofs_modules" in children.columns)
            else pd.Series(True, index=children.index)
        )
        return children.loc[keep.to_numpy()], source_note(children, "binc_export_date"), None
    except Exception:
        log.exception("loading the Binc extract failed")
        return None, "", LOAD_ERROR_MESSAGE


@_never_raise("Profiel (Binc)")
def profile_app(
    children: pd.DataFrame | None = None, *, min_cell: int | None = None
) -> DashboardApp:
    """Profiel (Binc): who the children and families are (report lines 4438–4985).

    Flemish figures only: the Binc extract is not shown per organisation. Controls:
    begeleidingsjaar, status of the last link, and the Table 5 characteristic.
    """
    from sofs_lib.indicators import profiles

    frame, note, error = _binc_children(children)

    def foster(children: pd.DataFrame) -> pd.DataFrame:
        table = profiles.foster_care(children)
        return table.loc[(table["indicator"] == "foster_care").to_numpy()].reset_index(drop=True)

    panels = [
        _variable_panel(),
        _age_panel(),
        binc_share_panel("pleegzorg", "Pleegzorg op een bepaald moment in het traject", foster),
    ]
    return DashboardApp(
        "Profiel (Binc)",
        frame,
        panels,
        controls=BINC_CONTROLS,
        unit="kinderen",
        min_cell=min_cell,
        source_note=note,
        load_error=error,
    )
