"""One panel on screen: title, description, figure (SVG) or message, the n, one generated
sentence, the full table, the denominator note and download links.

:func:`render` turns a :class:`PanelOutput` into finished markup (what the app's LRU cache
keeps); :class:`Panel` shows it as one HTML widget, rewritten when its ``rendered`` trait
changes.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass

import ipywidgets as W
import traitlets
from ipywidgets.widgets.widget_string import HTMLStyle

from sofs_lib.dashboards.panels import EMPTY_MESSAGE, ERROR_MESSAGE, PanelOutput, PanelSpec
from sofs_lib.dashboards.tables import table_html


@dataclass(frozen=True, eq=False)
class Rendered:
    """A panel's finished on-screen state (compared by identity: the cache hands out the
    same object for the same inputs, and comparing frames field by field costs more than
    the redraw it would save)."""

    output: PanelOutput
    svg: str | None
    message: str | None
    n_html: str
    sentence_html: str
    table_html: str
    svg_ms: float = 0.0


def _figure_markup(output: PanelOutput, title: str) -> str | None:
    if output.chart is not None:
        from sofs_lib.dashboards.charts import render_svg

        return render_svg(output.chart)
    if output.figure is not None:  # a matplotlib figure from a panel of the old framework
        import base64

        from sofs_lib import downloads

        png = base64.b64encode(downloads.figure_png_bytes(output.figure)).decode("ascii")
        return f'<img alt="{html.escape(title)}" src="data:image/png;base64,{png}" style="width:100%;height:auto">'
    return None


def render(spec: PanelSpec, output: PanelOutput) -> Rendered:
    """The on-screen markup of ``output`` (figure as SVG, or the message)."""
    started = time.perf_counter()
    svg = None if output.message is not None else _figure_markup(output, spec.title)
    svg_ms = (time.perf_counter() - started) * 1000
    message = None if svg is not None else (output.message or EMPTY_MESSAGE)
    n_html = f'<p class="sofs-n">{html.escape(output.n_text)}</p>' if output.n_text else ""
    sentence = (
        f'<p class="sofs-sentence">{html.escape(output.sentence)}</p>'
        if output.sentence and message is None
        else ""
    )
    table = ""
    if message is None:
        table = table_html(output.table_spec(), spec.title)
        if output.note:
            table += f'<p class="sofs-note">{html.escape(output.note)}</p>'
    return Rendered(output, svg, message, n_html, sentence, table, svg_ms)


class Part:
    """One part of a panel's markup (title, figure, n, sentence, table, downloads...): its
    current ``value``, as the ``ipywidgets.HTML`` it once was, without being a widget."""

    __slots__ = ("value",)

    def __init__(self, value: str = ""):
        self.value = value

    def __repr__(self) -> str:
        return f"Part({self.value[:40]!r})"


class Panel(traitlets.HasTraits):
    """One panel on screen: **one** ``ipywidgets.HTML`` whose markup holds title,
    description, figure or message, n, sentence, table and download links. Setting
    :attr:`rendered` (or :attr:`downloads_html`) rewrites it in one message to the browser.

    (A widget per part cost ten widgets per panel: 160 on a 16-panel page, each a model and
    a view the browser builds on the first render and a message on every redraw.)"""

    rendered = traitlets.Instance(Rendered, allow_none=True)
    downloads_html = traitlets.Unicode("")

    def __init__(self, spec: PanelSpec, shared: tuple[W.Layout, HTMLStyle] | None = None):
        """``shared``: a layout and a style for the widget, shared by the panels of one app
        (panels never change them; each of its own would be two more widget models, two
        more messages and views for every panel on the first render)."""
        super().__init__()
        self.spec = spec
        self._shared = shared
        self._widget: W.HTML | None = None
        self.title = Part(f"<h2>{html.escape(spec.title)}</h2>")
        self.description = Part(
            f'<p class="sofs-n">{html.escape(spec.description)}</p>' if spec.description else ""
        )
        self.chart = Part()
        self.message = Part()
        self.n_label = Part()
        self.sentence = Part()
        self.table = Part()
        self.downloads = Part()

    @property
    def widget(self) -> W.HTML:
        """The panel's one widget, made on first use with the markup shown by then: an app
        draws its panels before it shows them, so the first render reaches the browser as
        the widget's state, not as a second message rewriting an empty one."""
        if self._widget is None:
            layout, style = self._shared or (None, None)
            extra = {"layout": layout, "style": style} if self._shared else {}
            self._widget = W.HTML(
                self._markup(),
                _dom_classes=("sofs-panel", f"sofs-panel-{self.spec.key}"),
                **extra,
            )
        return self._widget

    def _markup(self) -> str:
        figure = self.chart.value if self.chart.value else self.message.value
        table = f'<div class="sofs-table">{self.table.value}</div>' if self.table.value else ""
        downloads = (
            f'<div class="sofs-downloads-box">{self.downloads.value}</div>' if self.downloads.value else ""
        )
        return (
            f"{self.title.value}{self.description.value}"
            f'<div class="sofs-panel-body"><div class="sofs-figure">{figure}'
            f"{self.n_label.value}{self.sentence.value}</div>{table}</div>{downloads}"
        )

    def _update(self) -> None:
        if self._widget is None:
            return  # made later, with the markup of then
        markup = self._markup()
        if self._widget.value != markup:
            self._widget.value = markup

    @traitlets.observe("rendered")
    def _show(self, change: dict) -> None:
        rendered: Rendered | None = change["new"]
        if rendered is None:
            return
        if rendered.svg is not None:
            self.chart.value = rendered.svg
            self.message.value = ""
        else:
            self._set_message(rendered.message or EMPTY_MESSAGE)
        self.n_label.value = rendered.n_html
        self.sentence.value = rendered.sentence_html
        self.table.value = rendered.table_html
        self._update()

    @traitlets.observe("downloads_html")
    def _show_downloads(self, change: dict) -> None:
        self.downloads.value = change["new"]
        self._update()

    @property
    def last_output(self) -> PanelOutput | None:
        return None if self.rendered is None else self.rendered.output

    @property
    def last_svg(self) -> str | None:
        return None if self.rendered is None else self.rendered.svg

    def show(self, output: PanelOutput | Rendered, downloads_html: str | None = None) -> Rendered:
        """Show ``output`` (and, when given, these download links) in one update."""
        rendered = output if isinstance(output, Rendered) else render(self.spec, output)
        with self.hold_trait_notifications():
            if downloads_html is not None:
                self.downloads.value = downloads_html
            self.rendered = rendered
            if downloads_html is not None:
                self.downloads_html = downloads_html
        return rendered

    def _set_message(self, text: str) -> None:
        self.message.value = f'<div class="sofs-message" role="status">{html.escape(text)}</div>'
        self.chart.value = ""

    def show_error(self, text: str = ERROR_MESSAGE) -> None:
        """A plain Dutch message instead of the figure; table, n and downloads emptied."""
        self.rendered = Rendered(PanelOutput(message=text), None, text, "", "", "")
        self.downloads_html = ""

    def texts(self) -> str:
        """Everything this panel shows as text (for tests: names must not leak)."""
        return self.widget.value if self._widget is not None else self._markup()
