"""A dashboard on screen: navigation, controls, headline row, legend and panels.

Wiring (traitlets): the :class:`Controls`' ``selection`` trait drives a redraw; the app's
``busy`` trait shows the busy line; each :class:`Panel`'s ``rendered`` trait swaps its
content; the :class:`HeadlineRow`'s ``tiles``/``sentences`` traits fill the headline.

Every number comes from the release slice of the signed-in identity
(``sofs_lib.access.current()``); widgets only display. A redraw reuses every panel whose
release inputs did not change and keeps finished panels in an LRU cache. Quick successive
control changes are debounced (a generation counter): only the last selection is drawn.
"""

from __future__ import annotations

import html
import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import traitlets
from ipywidgets.widgets.widget_string import HTMLStyle

from sofs_lib.dashboards.controls import Controls
from sofs_lib.dashboards.headline import HeadlineRow, HeadlineSpec, headline_tiles
from sofs_lib.dashboards.lookups import count_text
from sofs_lib.dashboards.navigation import navigation
from sofs_lib.dashboards.panel import Panel, Rendered, render
from sofs_lib.dashboards.panels import ERROR_MESSAGE, LOAD_ERROR_MESSAGE, PanelSpec
from sofs_lib.dashboards.selection import (
    ALL,
    DASHBOARD_CONTROLS,
    ControlSpec,
    Selection,
    View,
)
from sofs_lib.dashboards.spec import DOWNLOAD_FORMATS, HIDDEN_LEGEND, download_url
from sofs_lib.dashboards.style import CSS
from sofs_lib.errors import SofsInputError

log = logging.getLogger(__name__)

#: Finished panels kept per panel (least recently used dropped).
CACHE_SIZE = 24
#: Seconds a control change waits for the next one before drawing (quick clicks: one redraw).
DEBOUNCE_S = 0.04
#: A change that comes this long after the previous one is drawn at once (no debounce wait:
#: one ordinary click is not kept waiting for a second that does not come).
QUIET_S = 0.25
BUSY_TEXT = "Bezig met bijwerken…"
DOWNLOAD_LABELS = {"xlsx": "Tabel (Excel)", "csv": "Tabel (CSV)", "png": "Figuur (PNG)"}
#: Relative to ``<base>voila/render/<notebook>``: the server's download handler.
DOWNLOAD_BASE = "../../"


def downloads_html(dashboard: str, panel: str, selection: Selection) -> str:
    """Links to the server-rendered downloads of one panel for this selection."""
    import os

    base = os.environ.get("SOFS_BASE_URL") or DOWNLOAD_BASE
    links = [
        f'<a href="{html.escape(download_url(dashboard, panel, fmt, selection.as_query(), base))}" '
        f'download>{DOWNLOAD_LABELS[fmt]}</a>'
        for fmt in DOWNLOAD_FORMATS
    ]
    return f'<div class="sofs-downloads">Downloaden: {"".join(links)}</div>'


class DashboardApp(traitlets.HasTraits):
    """Controls + headline + panels; every control change looks each panel up in the release.

    ``release``: the role's slice (``sofs_lib.release.store.Slice``). ``key``: the registry
    key (download links, navigation); ``nav``: (key, notebook, title) of the dashboards
    this role may open; ``intro``: one line saying what the dashboard shows."""

    busy = traitlets.Bool(False)

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
        key: str | None = None,
        headline: HeadlineSpec | None = None,
        nav: list[tuple[str, str, str]] | None = None,
        intro: str = "",
    ):
        super().__init__()
        self.title = title
        self.key = key or title.lower().split()[0]
        self.unit = unit
        self.release = release
        self.cell_dims = tuple(cell_dims)
        self.min_cell = int(release.min_cell) if release is not None else int(min_cell or 5)
        self.extra = dict(extra or {})
        self.headline_spec = headline
        shared = (W.Layout(), HTMLStyle())  # one layout and style for all panels
        self.panels = [Panel(spec, shared) for spec in panels]
        self.control_bar = Controls(release, controls)
        self.controls = self.control_bar.dropdowns
        self.status = W.HTML("", _dom_classes=("sofs-status",))
        self.busy_line = W.HTML(
            f'<div class="sofs-busy" role="status" aria-live="polite">{BUSY_TEXT}</div>',
            layout=W.Layout(visibility="hidden"),
        )
        traitlets.dlink((self, "busy"), (self.busy_line.layout, "visibility"),
                        lambda b: "visible" if b else "hidden")
        self.headline = HeadlineRow()
        texts = []
        if intro:
            texts.append(f'<p class="sofs-intro">{html.escape(intro)}</p>')
        if source_note:
            texts.append(f'<p class="sofs-intro">{html.escape(source_note)}</p>')
        texts.append(f'<p class="sofs-legend">{html.escape(HIDDEN_LEGEND)}</p>')
        head = [W.HTML(CSS)]
        if nav:
            head.append(navigation(self.key, nav))
        head += [W.HTML("".join(texts)), self.control_bar.widget, self.busy_line, self.status,
                 self.headline.widget]
        self.last_refresh_seconds: float | None = None
        self.refresh_count = 0
        self.svg_ms: list[float] = []
        self._cache: OrderedDict[tuple[str, Any], Rendered] = OrderedDict()
        self._generation = 0
        self._timer: Any = None
        # The panels are drawn before their widgets exist (Panel.widget): the first render
        # goes to the browser once, as the widgets' state.
        if load_error is not None or release is None:
            self.control_bar.disabled = True
            for panel in self.panels:
                panel.show_error(load_error or LOAD_ERROR_MESSAGE)
        else:
            self.control_bar.observe(self._on_change, names="selection")
            self.refresh()
        self.widget = W.VBox([*head, *self.panel_widgets()], _dom_classes=("sofs-app",))

    def panel_widgets(self) -> list[W.Widget]:
        return [panel.widget for panel in self.panels]

    # -- selection ------------------------------------------------------------------

    def selection(self) -> Selection:
        return self.control_bar.read()

    def select(self, **values: Any) -> None:
        """Set controls by field (``organisation="Org 3"``); ``None`` means all. One redraw,
        now (no debounce)."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise SofsInputError(f"no control(s) {', '.join(unknown)} on this dashboard")
        self._direct = True
        try:
            self.control_bar.set(**values)
        finally:
            self._direct = False
        self.refresh()

    _direct = False
    _last_change = float("-inf")

    def _on_change(self, _change: dict) -> None:
        """A control changed: busy at once; draw now when the previous change was more than
        :data:`QUIET_S` ago, else after :data:`DEBOUNCE_S` unless another change comes first
        (quick successive changes: only the last selection is drawn)."""
        if self._direct:
            return
        self._generation += 1
        generation = self._generation
        self.busy = True
        loop = _running_loop()
        if loop is None:
            self.refresh()
            return
        if self._timer is not None:
            self._timer.cancel()
        now = loop.time()
        delay = 0.0 if now - self._last_change >= QUIET_S else DEBOUNCE_S
        self._last_change = now
        self._timer = loop.call_later(delay, self._refresh_if_current, generation)

    def _refresh_if_current(self, generation: int) -> None:
        if generation == self._generation:
            self.refresh()

    def view(self) -> View:
        """The role's release and the selection the builders get."""
        selection = self.selection()
        if selection.organisation is not None and selection.organisation not in set(
            self.release.organisations
        ):
            raise PermissionError("organisation not in this role's release")
        return View(self.release, selection, self.min_cell, self.cell_dims, self.extra)

    # -- drawing --------------------------------------------------------------------

    def refresh(self) -> None:
        """Look every panel up for the current selection and redraw it."""
        started = time.perf_counter()
        self.busy = True
        try:
            self._draw()
        finally:
            self.busy = False
            self.refresh_count += 1
            self.last_refresh_seconds = time.perf_counter() - started

    def _draw(self) -> None:
        try:
            view = self.view()
        except Exception:  # a stakeholder must never see a traceback
            log.exception("%s: selection failed", self.title)
            for panel in self.panels:
                panel.show_error()
            return
        self.status.value = f'<p class="sofs-status-text">{html.escape(self._status_text(view))}</p>'
        if self.headline_spec is not None:
            try:
                self.headline.tiles = headline_tiles(view, self.headline_spec)
            except Exception:
                log.exception("%s: headline failed", self.title)
                self.headline.tiles = []
        sentences = []
        for panel in self.panels:
            rendered = self._panel(panel, view)
            if rendered is None:
                panel.show_error(ERROR_MESSAGE)
                continue
            links = ""
            if rendered.message is None:
                links = downloads_html(self.key, panel.spec.key, view.selection)
                sentences.append((panel.spec.title, rendered.output.sentence))
            panel.show(rendered, links)  # one message to the browser per changed panel
        self.headline.sentences = sentences

    def _panel(self, panel: Panel, view: View) -> Rendered | None:
        """The finished panel for ``view``: from the cache, or built and rendered now
        (``None`` when that fails; logged, never shown as a traceback)."""
        inputs = panel.spec.inputs(view) if panel.spec.inputs else view.selection
        key = (panel.spec.key, inputs)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        try:
            rendered = render(panel.spec, panel.spec.build(view))
        except Exception:
            log.exception("%s / %s: panel failed", self.title, panel.spec.key)
            return None
        self.svg_ms.append(rendered.svg_ms)
        self._cache[key] = rendered
        while len(self._cache) > CACHE_SIZE * max(len(self.panels), 1):
            self._cache.popitem(last=False)
        return rendered

    def _status_text(self, view: View) -> str:
        what = view.selection.describe()
        cell = view.cell()
        text = f"Selectie: {count_text(view, None, cell)} {self.unit}"
        if view.organisation is not None:
            text += f", waarvan {count_text(view, view.organisation, cell)} van {view.organisation}"
        return text + (f" ({what})" if what else "")

    def texts(self) -> str:
        """Every text the app shows (status, headline and panels), for tests."""
        return " ".join([
            self.status.value, self.headline.tiles_widget.value,
            self.headline.sentences_widget.value, *(p.texts() for p in self.panels),
        ])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)


def _running_loop():
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


__all__ = ["ALL", "DashboardApp", "downloads_html"]
