"""One panel on screen (a composite widget): title, description, figure (SVG) or message,
the n, one generated sentence, the full table, the denominator note and download links.

:func:`render` turns a :class:`PanelOutput` into finished markup (what the app's LRU cache
keeps); :class:`Panel` shows it by swapping widget values in place, driven by its
``rendered`` trait.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass

import ipywidgets as W
import traitlets

from sofs_lib.dashboards.panels import EMPTY_MESSAGE, ERROR_MESSAGE, PanelOutput, PanelSpec
from sofs_lib.dashboards.tables import table_html


@dataclass(frozen=True)
class Rendered:
    """A panel's finished on-screen state."""

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


class Panel(traitlets.HasTraits):
    """The widgets of one panel; setting :attr:`rendered` swaps their content in place."""

    rendered = traitlets.Instance(Rendered, allow_none=True)
    downloads_html = traitlets.Unicode("")

    def __init__(self, spec: PanelSpec):
        super().__init__()
        self.spec = spec
        self.title = W.HTML(f"<h2>{html.escape(spec.title)}</h2>")
        self.description = W.HTML(
            f'<p class="sofs-n">{html.escape(spec.description)}</p>' if spec.description else ""
        )
        self.chart = W.HTML("")
        self.chart.add_class("sofs-figure")
        self.message = W.HTML("", layout=W.Layout(display="none"))
        self.message.add_class("sofs-message-box")
        self.n_label = W.HTML("")
        self.n_label.add_class("sofs-n-label")
        self.sentence = W.HTML("")
        self.table = W.HTML("")
        self.table.add_class("sofs-table")
        self.downloads = W.HTML("")
        self.downloads.add_class("sofs-downloads-box")
        traitlets.dlink((self, "downloads_html"), (self.downloads, "value"))
        figure = W.VBox([self.chart, self.message, self.n_label, self.sentence])
        figure.add_class("sofs-figure")
        body = W.Box([figure, self.table])
        body.add_class("sofs-panel-body")
        self.widget = W.VBox([self.title, self.description, body, self.downloads])
        self.widget.add_class("sofs-panel")
        self.widget.add_class(f"sofs-panel-{spec.key}")

    @traitlets.observe("rendered")
    def _show(self, change: dict) -> None:
        rendered: Rendered | None = change["new"]
        if rendered is None:
            return
        if rendered.svg is not None:
            self.chart.value = rendered.svg
            self.chart.layout.display = None
            self.message.layout.display = "none"
        else:
            self._message(rendered.message or EMPTY_MESSAGE)
        self.n_label.value = rendered.n_html
        self.sentence.value = rendered.sentence_html
        self.table.value = rendered.table_html

    @property
    def last_output(self) -> PanelOutput | None:
        return None if self.rendered is None else self.rendered.output

    @property
    def last_svg(self) -> str | None:
        return None if self.rendered is None else self.rendered.svg

    def show(self, output: PanelOutput | Rendered) -> Rendered:
        rendered = output if isinstance(output, Rendered) else render(self.spec, output)
        self.rendered = rendered
        return rendered

    def _message(self, text: str) -> None:
        self.message.value = f'<div class="sofs-message" role="status">{html.escape(text)}</div>'
        self.message.layout.display = None
        self.chart.layout.display = "none"
        self.chart.value = ""

    def show_error(self, text: str = ERROR_MESSAGE) -> None:
        """A plain Dutch message instead of the figure; table, n and downloads emptied."""
        self.rendered = Rendered(PanelOutput(message=text), None, text, "", "", "")
        self.downloads_html = ""

    def texts(self) -> str:
        """Everything this panel shows as text (for tests: names must not leak)."""
        return " ".join(
            w.value
            for w in (self.title, self.chart, self.message, self.n_label, self.sentence,
                      self.table, self.downloads)
        )
