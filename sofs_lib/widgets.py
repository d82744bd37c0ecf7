"""ipywidgets dashboard apps for stakeholders (served by Voila, ``make dashboards``).

A dashboard notebook is two cells: a Dutch heading and ``fidelity_app()`` (or one of the
other four app functions at the bottom of this module). Each app is a :class:`DashboardApp`:

- **controls** on top: organisation (*Alle organisaties* or one organisation), closing year,
  status and case type; the Binc profile has its own (year, status);
- **panels** below, one per figure: a title, the figure in a fixed-size image, the *n* behind
  it, the suppressed table, and download links (table as CSV/XLSX, figure as PNG).

On a control change every panel looks its numbers up and swaps its image, table and texts
*in place*; all areas have fixed heights, so nothing jumps or flickers. Every number comes
from the **release** (``sofs_lib.release``): the slice of the signed-in identity
(``sofs_lib.access.current()``), already suppressed and audited. A dashboard kernel never
holds row-level data and computes no figure: it draws released tables
(``sofs_lib.figures``). Who sees what: ``docs/disclosure.md``.

A panel never shows a traceback: a selection that is too small shows the Dutch disclosure
message, and any error becomes a plain Dutch sentence while the details go to the log.
"""

from __future__ import annotations

import html
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sofs_lib import catalogue, config, downloads
from sofs_lib.dashboards import report_panels
from sofs_lib.errors import SofsInputError
from sofs_lib.formatting import fmt_date, fmt_int

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
    #: What the panel's output depends on (its release lookups), as a hashable key; a
    #: control change that leaves it unchanged reuses the finished panel. ``None``: the
    #: whole selection.
    inputs: Callable[[View], Any] | None = None


@dataclass(frozen=True)
class View:
    """What a builder gets: the role's released tables and the selection."""

    release: Any  #: a ``sofs_lib.release.Slice``
    selection: Selection
    min_cell: int
    cell_dims: tuple[str, ...] = ("closing_year", "status", "case_type")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def organisation(self) -> str | None:
        return self.selection.organisation

    def cell(self, population: str = "all", **override: Any) -> str | None:
        """The release key of the selection's cell; ``None`` when the population excludes
        the selected status (open trajectories in a closed-only figure)."""
        values = {d: getattr(self.selection, d, None) for d in self.cell_dims}
        values.update(override)
        if population in ("open", "closed") and "status" in values:
            if values["status"] not in (None, population):
                return None
            values["status"] = population
        return "|".join(ALL if values[d] is None else str(values[d]) for d in self.cell_dims)


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
    """A dropdown: the selection field it sets, its Dutch label, its levels in the release.

    ``options``: a function giving (label, value) pairs from the release slice (default:
    the levels the release offers, with *Alle* first); ``default``: the first value.
    """

    field: str
    label: str
    column: str
    options: Callable[[Any], list[tuple[str, Any]]] | None = None
    default: Any = None


DASHBOARD_CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec("organisation", catalogue.LABELS["organisation"], "organisation"),
    ControlSpec("closing_year", catalogue.LABELS["closing_year"], "closing_year"),
    ControlSpec("status", catalogue.LABELS["status"], "status"),
    ControlSpec("case_type", catalogue.LABELS["case_type"], "case_type"),
)

#: Environment variable limiting the organisation dropdown (comma-separated names).
ORGANISATIONS_ENV = "SOFS_ORGANISATIONS"


def visible_organisations() -> frozenset[str] | None:
    """The organisations a server may offer in the dropdown, or ``None`` for all
    (``SOFS_ORGANISATIONS="Naam"``; the role's slice limits it further)."""
    import os

    raw = os.environ.get(ORGANISATIONS_ENV, "").strip()
    if not raw:
        return None
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def control_options(release: Any, spec: ControlSpec) -> list[tuple[str, Any]]:
    """Dropdown options (Dutch label, value) from the levels of the role's release slice.

    Organisation: the agency gets *Alle organisaties* and every organisation; an
    organisation *Vlaanderen* and itself; the public *Vlaanderen* only."""
    from sofs_lib import access

    if spec.options is not None:
        return spec.options(release)
    if spec.field == "organisation":
        names = list(release.organisations)
        allowed = visible_organisations()
        if allowed is not None:
            names = [n for n in names if n in allowed]
        first = (
            catalogue.LABELS["all_organisations"]
            if release.role == access.AGENCY
            else catalogue.LABELS["flanders"]
        )
        return [(first, ALL), *((n, n) for n in names)]
    levels = list(release.levels.get(spec.field, []))
    options: list[tuple[str, Any]] = [("Alle", ALL)]
    if spec.field == "case_type":
        return options + [(catalogue.CASE_TYPES.get(k, k), k) for k in levels]
    if spec.field == "status":
        return options + [(catalogue.STATUS.get(k, k), k) for k in levels]
    if spec.field in ("closing_year", "year"):
        return options + [(str(v), int(v)) for v in levels]
    return options + [(str(v), v) for v in levels]


class DashboardApp:
    """Controls + panels; every control change looks each panel up in the release.

    ``release``: the role's slice (``sofs_lib.release.Slice``). ``title`` is not shown (the
    notebook's heading is) but names downloads and the report.
    """

    def __init__(
        self,
        title: str,
        release: Any,
        panels: Sequence[PanelSpec],
        *,
        controls: Sequence[ControlSpec] = DASHBOARD_CONTROLS,
        min_cell: int | None = None,
        source_note: str = "",
        load_error: str | None = None,
        extra: dict[str, Any] | None = None,
        unit: str = "trajecten",
        cell_dims: Sequence[str] = ("closing_year", "status", "case_type"),
    ):
        self.title = title
        self.unit = unit
        self.release = release
        self.cell_dims = tuple(cell_dims)
        self.min_cell = int(release.min_cell) if release is not None else int(min_cell or 5)
        self.control_specs = tuple(controls)
        self.extra = dict(extra or {})
        self.panels = [Panel(spec) for spec in panels]
        self.controls: dict[str, W.Dropdown] = {}
        for spec in self.control_specs:
            options = control_options(release, spec) if release is not None else [("Alle", ALL)]
            values = [v for _, v in options]
            default = spec.default if spec.default in values else options[0][1]
            if spec.field == "organisation" and getattr(release, "organisation", None) in values:
                default = release.organisation  # an organisation opens on its own figures
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
        # The release never changes within a kernel, so a selection's panels can be reused.
        self._cache: OrderedDict[tuple[str, Selection], Rendered] = OrderedDict()
        if load_error is not None or release is None:
            for dropdown in self.controls.values():
                dropdown.disabled = True
            for panel in self.panels:
                panel.show_error(load_error or LOAD_ERROR_MESSAGE)
            return
        for dropdown in self.controls.values():
            dropdown.observe(self._on_change, names="value")
        self.refresh()

    def panel_widgets(self) -> list[W.Widget]:
        return [panel.widget for panel in self.panels]

    # -- selection ------------------------------------------------------------------

    def selection(self) -> Selection:
        """The current control values as a :class:`Selection` (only offered values)."""
        values = {}
        for name, dropdown in self.controls.items():
            offered = {v for _, v in dropdown.options}
            value = dropdown.value if dropdown.value in offered else ALL
            values[name] = _value(value)
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
        """The role's release and the selection the builders get."""
        selection = self.selection()
        if selection.organisation is not None and selection.organisation not in set(
            self.release.organisations
        ):
            raise PermissionError("organisation not in this role's release")
        return View(
            release=self.release,
            selection=selection,
            min_cell=self.min_cell,
            cell_dims=self.cell_dims,
            extra=self.extra,
        )

    # -- drawing --------------------------------------------------------------------

    def refresh(self) -> None:
        """Look every panel up for the current selection and redraw it."""
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
            inputs = panel.spec.inputs(view) if panel.spec.inputs else view.selection
            key = (panel.spec.key, inputs)
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
        cell = view.cell()
        text = f"Selectie: {released_count(view, None, cell)} {self.unit}"
        if view.organisation is not None:
            text += f", waarvan {released_count(view, view.organisation, cell)} van uw organisatie"
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
# A builder looks its numbers up in the release slice and draws them: figure + table.

#: Hue column of comparison figures (own organisation / Flanders / the other organisations).
GROUP = "Groep"
#: Plan B kinds: a blank is "not filled in" (the catalogue's "none" is the case type "Geen").
PLAN_B_LABELS: dict[object, str] = dict(catalogue.PLAN_B_WITH_BLANK)
#: The other organisations together (Flanders minus the own organisation).
OTHERS_LABEL = "Andere organisaties samen"


def _labels(extra: dict[object, str] | None = None) -> dict[object, str]:
    labels: dict[object, str] = dict(catalogue.STEP_LABELS)
    labels.update(extra or {})
    return labels


def _count_text(count: int, k: int) -> str:
    """A count people may see: ``<5`` from 1 to k-1 (disclosure rule 1)."""
    from sofs_lib.disclosure import suppressed_label

    return suppressed_label(k) if 1 <= count < k else fmt_int(count)


def _flagged(value: Any, flag: str, k: int) -> str:
    """A released count as shown: the number, ``<5`` (hidden, small) or ``x`` (hidden)."""
    from sofs_lib.disclosure import SECONDARY_LABEL, suppressed_label

    if flag == "<":
        return suppressed_label(k)
    if flag == "x":
        return SECONDARY_LABEL
    if value is None or pd.isna(value):
        return "0"
    return fmt_int(int(round(float(value))))


def _own(view: View, organisation: str | None) -> bool:
    """True when the viewer is this organisation (its own figures are shown in full)."""
    from sofs_lib import access

    return (
        organisation is not None
        and view.release.role == access.ORGANISATION
        and view.release.organisation == organisation
    )


def released_count(view: View, organisation: str | None, cell: str | None) -> str:
    """Units of a cell from the release: Flanders (``None``) or an organisation."""
    if cell is None:
        return "0"
    rows = view.release.lookup("counts", organisation or ALL, cell)
    if rows.empty:
        return "0"
    row = rows.iloc[0]
    return _flagged(row["n"], str(row["n_flag"]), view.min_cell)


def _count_value(view: View, organisation: str | None, cell: str | None) -> tuple[float, str]:
    if cell is None:
        return 0.0, ""
    rows = view.release.lookup("counts", organisation or ALL, cell)
    if rows.empty:
        return 0.0, ""
    return float(rows["n"].iloc[0]) if pd.notna(rows["n"].iloc[0]) else float("nan"), str(
        rows["n_flag"].iloc[0]
    )


_POPULATION_TEXT = {"all": "trajecten", "closed": "afgesloten trajecten", "open": "open trajecten"}


def n_text(view: View, population: str = "all") -> str:
    """The n behind a figure: trajectories of the population, own organisation and Flanders."""
    cell = view.cell(population)
    what = _POPULATION_TEXT.get(population, "trajecten")
    flanders = released_count(view, None, cell)
    if view.organisation is None:
        return f"n = {flanders} {what} in {catalogue.LABELS['flanders']}"
    own = released_count(view, view.organisation, cell)
    return f"n = {own} {what} van {view.organisation}; {flanders} in {catalogue.LABELS['flanders']}"


def selection_message(view: View, population: str = "all") -> str | None:
    """The Dutch message when the shown group's selection is empty or too small."""
    from sofs_lib.disclosure import NO_TRAJECTORIES_MESSAGE, too_few_message

    cell = view.cell(population)
    if cell is None:
        return NO_TRAJECTORIES_MESSAGE
    value, flag = _count_value(view, view.organisation, cell)
    if flag == "<":
        return too_few_message(view.min_cell)
    if flag == "x":
        return HIDDEN_SELECTION_MESSAGE
    if flag == "" and value == 0:
        return NO_TRAJECTORIES_MESSAGE
    others = view.organisation is not None and not _own(view, view.organisation)
    if others and flag == "" and 1 <= value < view.min_cell:
        return too_few_message(view.min_cell)
    return None


def _groups(view: View) -> list[tuple[str, str]]:
    """(label, organisation key) of the groups a panel compares."""
    groups = []
    if view.organisation is not None:
        groups.append((view.organisation, view.organisation))
    groups.append((catalogue.LABELS["flanders"], ALL))
    return groups


def share_rows(view: View, measure: str, cell: str) -> pd.DataFrame:
    """Long rows (item, group) of a share measure: numerator, denominator, share, flags,
    ``suppressed``; plus the other organisations together where both sides are shown."""
    frames = []
    for label, org in _groups(view):
        rows = view.release.lookup("shares", measure, org, cell)
        if rows.empty:
            continue
        frames.append(rows.assign(**{GROUP: label}))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    out["suppressed"] = (out["num_flag"] != "") | (out["den_flag"] != "")
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
                "suppressed": share.isna() & (merged["den_flag_f"] != ""),
            }
        )
        out = pd.concat([out, others], ignore_index=True)
    return out


def _share_text(value: Any, hidden: bool) -> str:
    from sofs_lib.formatting import MISSING, fmt_pct

    if hidden or value is None or pd.isna(value):
        return MISSING
    return fmt_pct(float(value), 1)


def share_table(
    view: View,
    rows: pd.DataFrame,
    key: str,
    labels: dict[object, str],
    order: Sequence[object] | None = None,
    key_header: str | None = None,
) -> pd.DataFrame:
    """The Dutch table of a share panel: item, own share and n, Flanders share and n, and
    the other organisations together (an organisation's view)."""
    from sofs_lib import figures

    items = list(pd.unique(rows["item"]))
    if order is not None:
        rank = {str(v): i for i, v in enumerate(order)}
        items.sort(key=lambda v: rank.get(str(v), len(rank)))
    header = key_header or figures.column_label(key)
    table: dict[str, list[str]] = {header: [figures.value_label(_item_value(i), labels) for i in items]}
    for label, _org in _groups(view):
        part = rows.loc[rows[GROUP] == label].set_index("item")
        table[label] = [
            _share_text(part["share"].get(i), bool(part["suppressed"].get(i, True)))
            if i in part.index
            else "–"
            for i in items
        ]
        table[f"{catalogue.LABELS['n']} {label}"] = [
            _flagged(part["denominator"].get(i), str(part["den_flag"].get(i, "")), view.min_cell)
            if i in part.index
            else "0"
            for i in items
        ]
    if view.organisation is not None:
        part = rows.loc[rows[GROUP] == OTHERS_LABEL].set_index("item")
        table[OTHERS_LABEL] = [
            _share_text(part["share"].get(i), False) if i in part.index else "–" for i in items
        ]
    return pd.DataFrame(table).astype("str")


def _item_value(item: Any) -> Any:
    """Closing years come back from the release as text; labels want the number."""
    text = str(item)
    return int(text) if text.isdigit() else item


def share_panel(
    key: str,
    title: str,
    population: str = "all",
    *,
    category: str | None = None,
    order: Sequence[object] | None = None,
    labels: dict[object, str] | None = None,
    tall: bool = False,
    description: str = "",
) -> PanelSpec:
    """A panel of a share measure: own organisation vs Flanders vs the others together.

    ``key``: the measure in the release (``sofs_lib.release.measures.MEASURES``);
    ``category``: the inner key (``step``, ``plan_b``...) or ``None`` (the ``indicator``)."""
    from sofs_lib import figures

    figsize = figures.FIGSIZE_TALL if tall else figures.FIGSIZE
    names = _labels(labels)
    if order is None and category is not None:
        order = figures.DEFAULT_ORDERS.get(category)

    def build(view: View) -> PanelOutput:
        n = n_text(view, population)
        message = selection_message(view, population)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        rows = share_rows(view, key, view.cell(population))
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        cat = category or "indicator"
        frame = rows.rename(columns={"item": cat})
        frame["share"] = frame["share"].where(~frame["suppressed"])
        hues = [h for h in [g for g, _ in _groups(view)] + [OTHERS_LABEL] if h in set(frame[GROUP])]
        fig = figures.share_bars(
            frame[[cat, GROUP, "numerator", "denominator", "share", "suppressed"]],
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
            table=share_table(view, rows, cat, names, order),
            n_text=n,
            note=_note(view, rows),
        )

    return PanelSpec(key, title, build, description, height=int(figsize[1] * figures.DPI),
                     inputs=_cell_inputs(population))


def _cell_inputs(population: str) -> Callable[[View], Any]:
    """A dashboard panel's inputs: the organisation and the release cell of its population
    (a status change that leaves the cell alone, e.g. *Alle* to *Afgesloten* in a panel of
    closed trajectories, reuses the panel)."""

    def inputs(view: View) -> Any:
        return (view.organisation, view.cell(population))

    return inputs


def _note(view: View, rows: pd.DataFrame) -> str | None:
    if rows.empty or not bool(rows["suppressed"].any()):
        return None
    return HIDDEN_NOTE


HIDDEN_SELECTION_MESSAGE = (
    "De cijfers van deze selectie zijn verborgen: samen met andere selecties zouden ze "
    "kleine aantallen trajecten verraden."
)
HIDDEN_NOTE = (
    "Verborgen ('<5', 'x', '–'): te weinig trajecten of te weinig andere organisaties om het "
    "cijfer te tonen zonder een gezin of een organisatie herkenbaar te maken."
)

DIST_HEADERS = {
    "n": "n",
    "mean": "Gemiddelde",
    "sd": "SD",
    "median": "Mediaan",
    "min": "Minimum",
    "max": "Maximum",
}


def dist_rows(view: View, measure: str, cells: Sequence[tuple[Any, str]], label_col: str) -> pd.DataFrame:
    """Distribution rows (one per label, cell) for the view's groups."""
    parts = []
    for label, org in _groups(view):
        for value, cell in cells:
            rows = view.release.lookup("dists", measure, org, cell)
            if rows.empty:
                continue
            parts.append(rows.iloc[[0]].assign(**{GROUP: label, label_col: value}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def dist_table(view: View, rows: pd.DataFrame, first: str, header: str) -> pd.DataFrame:
    from sofs_lib.formatting import MISSING, fmt_number

    out: dict[str, list[str]] = {header: [str(v) for v in rows[first]]}
    out["n"] = [
        _flagged(v, str(f), view.min_cell) for v, f in zip(rows["n"], rows["n_flag"], strict=True)
    ]
    for col in ("mean", "sd", "median", "min", "max"):
        out[DIST_HEADERS[col]] = [
            MISSING if pd.isna(v) else fmt_number(float(v), 1) for v in rows[col]
        ]
    return pd.DataFrame(out).astype("str")


def distribution_panel(
    key: str,
    title: str,
    population: str = "all",
    *,
    xlabel: str | None = None,
    guideline: tuple[float, float] | None = None,
    description: str = "",
) -> PanelSpec:
    """A panel of a distribution (months, counts): mean, median and min–max of the own
    organisation and of Flanders, as released."""

    def build(view: View) -> PanelOutput:
        from sofs_lib import figures

        n = n_text(view, population)
        message = selection_message(view, population)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        rows = dist_rows(view, key, [(None, view.cell(population))], "_")
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        frame = rows[[GROUP, "n", "mean", "sd", "median", "min", "max"]].copy()
        fig = figures.summary_ranges(
            frame,
            GROUP,
            title=title,
            order=[g for g, _ in _groups(view)],
            xlabel=xlabel,
            guideline=guideline,
            figsize=figures.FIGSIZE,
        )
        hidden = bool((rows["n_flag"] != "").any())
        return PanelOutput(
            figure=fig,
            table=dist_table(view, rows, GROUP, GROUP),
            n_text=n,
            note=HIDDEN_NOTE if hidden else None,
        )

    return PanelSpec(key, title, build, description, inputs=_cell_inputs(population))


def _years(view: View) -> list[str]:
    if view.selection.closing_year is not None:
        return [str(view.selection.closing_year)]
    return list(view.release.levels.get("closing_year", []))


def trend_share_panel(key: str, title: str, *, description: str = "") -> PanelSpec:
    """A share by closing year (report lines 5433–5540): one line each for the own
    organisation, Flanders and the other organisations together. Closed trajectories."""
    from sofs_lib import figures

    def build(view: View) -> PanelOutput:
        n = n_text(view, "closed")
        message = selection_message(view, "closed")
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        parts = []
        for year in _years(view):
            cell = view.cell("closed", closing_year=year)
            rows = share_rows(view, key, cell)
            if not rows.empty:
                parts.append(rows.assign(closing_year=int(year)))
        if not parts:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        rows = pd.concat(parts, ignore_index=True)
        frame = rows.copy()
        frame["share"] = frame["share"].where(~frame["suppressed"])
        hues = [h for h in [g for g, _ in _groups(view)] + [OTHERS_LABEL] if h in set(frame[GROUP])]
        fig = figures.trend_shares(
            frame[["closing_year", GROUP, "numerator", "denominator", "share", "suppressed"]],
            title=title,
            x="closing_year",
            hue=GROUP,
            hue_order=hues,
        )
        table_rows = rows.assign(item=rows["closing_year"].astype("str"))
        return PanelOutput(
            figure=fig,
            table=share_table(view, table_rows, "closing_year", _labels()),
            n_text=n,
            note=_note(view, rows),
        )

    return PanelSpec(key, title, build, description, inputs=_cell_inputs("closed"))


def trend_mean_panel(key: str, title: str, *, ylabel: str | None = None, description: str = "") -> PanelSpec:
    """A mean by closing year: the line of the own organisation (or of Flanders); the table
    gives both, per year."""
    from sofs_lib import figures

    def build(view: View) -> PanelOutput:
        n = n_text(view, "closed")
        message = selection_message(view, "closed")
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        cells = [(int(y), view.cell("closed", closing_year=y)) for y in _years(view)]
        rows = dist_rows(view, key, cells, "closing_year")
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        whose = view.organisation or catalogue.LABELS["flanders"]
        line = rows.loc[rows[GROUP] == whose, ["closing_year", "n", "mean", "median", "min", "max"]]
        fig = figures.trend_means(line.reset_index(drop=True), title=f"{title}: {whose}", x="closing_year", ylabel=ylabel)
        table = dist_table(view, rows.assign(label=rows[GROUP] + " " + rows["closing_year"].astype(str)), "label", "Groep en jaar")
        hidden = bool((rows["n_flag"] != "").any())
        return PanelOutput(figure=fig, table=table, n_text=n, note=HIDDEN_NOTE if hidden else None)

    return PanelSpec(key, title, build, description, inputs=_cell_inputs("closed"))
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



def _dashboard_release(
    data: pd.DataFrame | None,
    keys: Sequence[str],
    min_cell: int | None = None,
    identity: Any = None,
) -> tuple[Any, str, str | None]:
    """The identity's release slice, its source note, or a load error.

    Without ``data``: the release of the export in use (built first when missing or
    stale), read from disk — no row-level data enters this kernel. With ``data`` (a
    researcher's own frame, tests): a release of these panels built in memory."""
    from sofs_lib import release
    from sofs_lib.release.measures import MEASURES

    try:
        if data is None:
            chosen = release.load_slice(identity)
            note = chosen.note
            return chosen, note, None
        try:
            k = config.min_cell() if min_cell is None else int(min_cell)
        except ValueError:  # a bad SOFS_MIN_CELL: show nothing rather than guess
            log.exception("invalid disclosure threshold")
            return None, "", LOAD_ERROR_MESSAGE
        built = release.build_release(
            data, min_cell=k, measures=[MEASURES[key] for key in keys], binc=False
        )
        return built.slice(identity), source_note(data), None
    except Exception:
        log.exception("loading the dashboard release failed")
        return None, "", LOAD_ERROR_MESSAGE


def _app(title: str, data, panels: list[PanelSpec], min_cell, identity) -> DashboardApp:
    chosen, note, error = _dashboard_release(data, [p.key for p in panels], min_cell, identity)
    return DashboardApp(title, chosen, panels, min_cell=min_cell, source_note=note, load_error=error)


KEY_PLANS_ORDER = ("words_pictures", "safety_plan_adult", "safety_plan_child")


@_never_raise("Modelgetrouwheid")
def fidelity_app(
    data: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None
) -> DashboardApp:
    """Modelgetrouwheid: which steps were taken (Fig. 5, lines 5036–5120, 5196–5230), network
    meetings (lines 5200–5230) and module duration (lines 5376–5377)."""
    panels = [
        share_panel(
            "stappen",
            "Gezette Signs of Safety-stappen",
            category="step",
            tall=True,
            description="Aandeel trajecten waarin de stap gezet werd (ontbrekend niet meegeteld).",
        ),
        share_panel(
            "alle_stappen",
            "Alle stappen gezet (afgesloten trajecten)",
            "closed",
            description="De tien stappen en minstens één netwerkberaad (rapport: 28,4%).",
        ),
        share_panel(
            "plannen",
            "Woord- en beeldverhaal en veiligheidsplannen (afgesloten trajecten)",
            "closed",
            order=KEY_PLANS_ORDER,
        ),
        share_panel(
            "richtlijn_netwerkberaden",
            "Netwerkberaden volgens de richtlijn (6 tot 12)",
            description="Over trajecten met een ingevuld aantal netwerkberaden.",
        ),
        distribution_panel(
            "aantal_netwerkberaden",
            "Aantal netwerkberaden per traject",
            xlabel="Aantal netwerkberaden",
        ),
        distribution_panel(
            "duurtijd",
            "Duurtijd van de module (afgesloten trajecten)",
            "closed",
            xlabel="Maanden van start tot einde (richtlijn: 4 tot 8)",
            guideline=catalogue.DURATION_GUIDELINE_MONTHS,
            description="Rapport: gemiddeld 9,2 maanden; 60,2% duurde hoogstens 8 maanden.",
        ),
    ]
    panels += report_panels.fidelity_extra()
    return _app("Modelgetrouwheid", data, panels, min_cell, identity)


@_never_raise("Partnerschap")
def partnership_app(
    data: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None
) -> DashboardApp:
    """Partnerschap: CB and consulent presence per step (Fig. 6, lines 5140–5200)."""
    panels = [
        share_panel(
            "aanwezig_cb",
            "Contextbegeleider aanwezig bij de stap",
            category="step",
            tall=True,
            description="Aandeel van de trajecten waarin de stap gezet werd.",
        ),
        share_panel(
            "aanwezig_consulent",
            "Consulent aanwezig bij de stap",
            category="step",
            tall=True,
            description="Aandeel van de trajecten waarin de stap gezet werd.",
        ),
        distribution_panel(
            "start_consulent",
            "Start van de consulent ten opzichte van de start bij de contextbegeleider",
            xlabel="Maanden (negatief: de consulent startte eerder)",
        ),
    ]
    return _app("Partnerschap", data, panels, min_cell, identity)


@_never_raise("Plan B")
def plan_b_app(
    data: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None
) -> DashboardApp:
    """Plan B: kind at the start and whether it took effect (Fig. 9, lines 5236–5262, 5378)."""
    panels = [
        share_panel(
            "plan_b_start",
            "Plan B bij de start (open trajecten)",
            "open",
            category="plan_b",
            labels=PLAN_B_LABELS,
        ),
        share_panel("plan_b_werking", "Plan B in werking (afgesloten trajecten)", "closed"),
        share_panel(
            "plan_b_soort",
            "Soort plan B dat in werking trad (afgesloten trajecten)",
            "closed",
            category="plan_b",
            labels=PLAN_B_LABELS,
        ),
        distribution_panel(
            "plan_b_timing",
            "Maanden van de start tot plan B in werking",
            xlabel="Maanden na de start (negatief: vóór de start)",
        ),
    ]
    panels += report_panels.plan_b_extra()
    return _app("Plan B", data, panels, min_cell, identity)


@_never_raise("Evolutie")
def trends_app(
    data: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None
) -> DashboardApp:
    """Evolutie: key figures by closing year (report lines 5410–5540)."""
    panels = [
        trend_share_panel(
            "evolutie_plan_volwassenen", "Veiligheidsplan volwassenen per jaar van afsluiting"
        ),
        trend_share_panel("evolutie_plan_kind", "Veiligheidsplan kindversie per jaar van afsluiting"),
        trend_share_panel("evolutie_wp", "Woord- en beeldverhaal per jaar van afsluiting"),
        trend_share_panel("evolutie_plan_b", "Plan B in werking per jaar van afsluiting"),
        trend_mean_panel(
            "evolutie_netwerkberaden",
            "Gemiddeld aantal netwerkberaden per jaar van afsluiting",
            ylabel="Aantal netwerkberaden",
        ),
    ]
    return _app("Evolutie", data, panels, min_cell, identity)


# --------------------------------------------------------------------------- Binc profile

#: Dutch headers of a Flemish share table (no organisation comparison: Binc profile).
SHARE_HEADERS = {
    "category": "Categorie",
    "numerator": "Aantal",
    "denominator": "Totaal",
    "share": catalogue.LABELS["share"],
    "year": "Begeleidingsjaar",
}


def _binc_variables(_release: Any = None) -> list[tuple[str, Any]]:
    from sofs_lib.indicators import profiles

    return [
        ("Geslacht", "sex"),
        *((label, key) for key, label in profiles.TABLE5_VARIABLES.items()),
    ]


BINC_CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec("year", "Begeleidingsjaar", "year"),
    ControlSpec("status", catalogue.LABELS["status"], "status"),
    ControlSpec("variable", "Kenmerk", "variable", options=_binc_variables, default="sex"),
)


def n_children_text(view: View) -> str:
    return f"n = {released_count(view, None, view.cell())} kinderen"


def binc_share_panel(
    key: str, title: str, *, measure: Callable[[View], str] | None = None, label: Callable[[View], str] | None = None,
    description: str = "",
) -> PanelSpec:
    """A Flemish share table of the Binc children (Table 5 form), as released."""
    from sofs_lib import figures

    def build(view: View) -> PanelOutput:
        n = n_children_text(view)
        message = selection_message(view)
        if message is not None:
            return PanelOutput(message=message.replace("trajecten", "kinderen"), n_text=n)
        name = measure(view) if measure else key
        rows = view.release.lookup("shares", name, ALL, view.cell())
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        rows = rows.assign(suppressed=(rows["num_flag"] != "") | (rows["den_flag"] != ""))
        frame = rows.rename(columns={"item": "category"})
        frame["share"] = frame["share"].where(~frame["suppressed"])
        fig = figures.share_bars(
            frame[["category", "numerator", "denominator", "share", "suppressed"]],
            "category",
            title=label(view) if label else title,
            order=list(pd.unique(frame["category"])),
            figsize=figures.FIGSIZE_TALL,
        )
        shown = pd.DataFrame(
            {
                SHARE_HEADERS["category"]: frame["category"].astype("str"),
                SHARE_HEADERS["numerator"]: [
                    _flagged(v, f, view.min_cell) for v, f in zip(rows["numerator"], rows["num_flag"], strict=True)
                ],
                SHARE_HEADERS["denominator"]: [
                    _flagged(v, f, view.min_cell) for v, f in zip(rows["denominator"], rows["den_flag"], strict=True)
                ],
                SHARE_HEADERS["share"]: [
                    _share_text(v, h) for v, h in zip(rows["share"], rows["suppressed"], strict=True)
                ],
            }
        ).astype("str")
        return PanelOutput(figure=fig, table=shown, n_text=n, note=_note(view, rows))

    def inputs(view: View) -> Any:
        return (measure(view) if measure else key, view.cell())

    return PanelSpec(key, title, build, description, height=600, inputs=inputs)


def _variable_panel() -> PanelSpec:
    """The Table 5 characteristic chosen in the *Kenmerk* control."""

    def measure(view: View) -> str:
        return f"kenmerk:{view.selection.variable or 'sex'}"

    def label(view: View) -> str:
        variable = view.selection.variable or "sex"
        return dict((v, k) for k, v in _binc_variables()).get(variable, variable)

    return binc_share_panel(
        "kenmerk",
        "Kenmerken van kind en gezin (tabel 5)",
        measure=measure,
        label=label,
        description="Kies het kenmerk bovenaan; aandelen over alle kinderen, ook 'Niet van "
        "toepassing' en 'Missing'.",
    )


def _age_panel() -> PanelSpec:
    """Age at entry per begeleidingsjaar (Table 5, line 4525), as released."""
    from sofs_lib import figures

    def build(view: View) -> PanelOutput:
        n = n_children_text(view)
        message = selection_message(view)
        if message is not None:
            return PanelOutput(message=message.replace("trajecten", "kinderen"), n_text=n)
        years = (
            [str(view.selection.year)]
            if view.selection.year is not None
            else list(view.release.levels.get("year", []))
        )
        parts = []
        for year in years:
            rows = view.release.lookup("dists", "leeftijd", ALL, view.cell(year=year))
            if not rows.empty:
                parts.append(rows.iloc[[0]].assign(year=year))
        if not parts:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        rows = pd.concat(parts, ignore_index=True)
        values = rows[["year", "n", "mean", "sd", "median", "min", "max"]].copy()
        fig = figures.summary_ranges(
            values, "year", title="Leeftijd bij instroom per begeleidingsjaar", xlabel="Jaar"
        )
        table = dist_table(view, rows, "year", "Begeleidingsjaar")
        hidden = bool((rows["n_flag"] != "").any())
        return PanelOutput(figure=fig, table=table, n_text=n, note=HIDDEN_NOTE if hidden else None)

    return PanelSpec("leeftijd", "Leeftijd bij instroom", build, inputs=lambda view: view.cell())


@_never_raise("Profiel (Binc)")
def profile_app(
    children: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None
) -> DashboardApp:
    """Profiel (Binc): who the children and families are (report lines 4438–4985).

    Flemish figures only, the same for every role: the Binc extract is not shown per
    organisation. Controls: begeleidingsjaar, status of the last link, Table 5 characteristic.
    """
    from sofs_lib import release

    panels = [
        _variable_panel(),
        _age_panel(),
        binc_share_panel("pleegzorg", "Pleegzorg op een bepaald moment in het traject"),
    ]
    panels += report_panels.profile_extra()
    try:
        if children is None:
            chosen = release.load_slice(identity, profile=True)
            note, error = chosen.note, None
        else:
            k = config.min_cell() if min_cell is None else int(min_cell)
            built = release.build_profile(children, min_cell=k)
            chosen, note, error = built.slice(identity, profile=True), source_note(children, "binc_export_date"), None
    except Exception:
        log.exception("loading the Binc release failed")
        chosen, note, error = None, "", LOAD_ERROR_MESSAGE
    return DashboardApp(
        "Profiel (Binc)",
        chosen,
        panels,
        controls=BINC_CONTROLS,
        unit="kinderen",
        min_cell=min_cell,
        source_note=note,
        load_error=error,
        cell_dims=("year", "status"),
    )
