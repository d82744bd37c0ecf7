"""Standalone HTML of every dashboard for *Alle organisaties*: ``make report``.

``python -m sofs_lib.report --out reports`` builds each dashboard app of the registry
(``sofs_lib.dashboards.registry``) exactly as its notebook does, with the controls on
*Alle organisaties* and no filters, and writes what the app shows — the notebook's heading,
the headline tiles, every panel's figure (inline SVG), the n behind it, its sentence and the
suppressed table — into one self-contained HTML file per dashboard, plus ``index.html``
linking them. No code, no
server, no JavaScript, no internet: a file people can mail or open from a share.

The output is deterministic for the same data (no timestamps; the source note and the
export's provenance are the only dates).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import nbformat

from sofs_lib import access, serve
from sofs_lib.dashboards import registry
from sofs_lib.dashboards.spec import HIDDEN_LEGEND
from sofs_lib.errors import SofsInputError

#: The dashboards by key (the registry's app factories).
APPS: dict[str, str] = {d.key: d.app for d in registry.DASHBOARDS}

_STYLE = """
body { font-family: "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1f2933;
  max-width: 900px; margin: 32px auto; padding: 0 20px; background: #f5f6f7; }
h1 { font-size: 26px; } h2 { font-size: 18px; margin: 4px 0; }
.sofs-panel { background: #fff; border: 1px solid #d9dee3; border-radius: 6px;
  padding: 10px 18px 14px 18px; margin-bottom: 18px; }
.sofs-panel svg, .sofs-panel img { width: 100%; height: auto; display: block; }
.sofs-tiles { display: flex; flex-wrap: wrap; gap: 12px; } .sofs-tile { flex: 1 1 160px;
  background: #fff; border: 1px solid #c2c9d1; border-radius: 6px; padding: 8px 12px; }
.sofs-tile-value { font-size: 24px; font-weight: 700; }
.sofs-message { background: #f5f6f7; color: #52606d; padding: 60px 20px; text-align: center; }
.sofs-n { font-size: 13px; color: #3e4c59; margin: 4px 0; }
.sofs-note { font-size: 13px; color: #3e4c59; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 2px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.sofs-downloads { font-size: 13px; } .sofs-downloads a { color: #1d5f5d; }
.sofs-selection { font-size: 14px; color: #3e4c59; }
footer { font-size: 12px; color: #7b8794; margin-top: 24px; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def notebook_heading(path: Path) -> str:
    """The notebook's markdown cells as HTML (its Dutch heading and lead)."""
    from nbconvert.filters.markdown import markdown2html

    nb = nbformat.read(path, as_version=4)
    text = "\n".join(markdown2html(c.source) for c in nb.cells if c.cell_type == "markdown")
    # nbconvert adds a "¶" permalink to every heading: noise in a file people read
    return re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", text)


def app_html(app) -> str:
    """What a :class:`sofs_lib.dashboards.DashboardApp` shows now, as static HTML (no
    download links: the files are made by the server for a signed-in visitor)."""
    parts = [f'<div class="sofs-selection">{app.status.value}</div>']
    parts.append(app.headline.tiles_widget.value)
    parts.append(app.headline.sentences_widget.value)
    for panel in app.panels:
        figure = panel.last_svg if panel.last_svg else panel.message.value
        parts.append(
            '<section class="sofs-panel">'
            f"<h2>{html.escape(panel.spec.title)}</h2>{panel.description.value}"
            f"{figure}{panel.n_label.value}{panel.sentence.value}{panel.table.value}"
            "</section>"
        )
    return "\n".join(parts)


def failed_panels(app) -> list[str]:
    """Keys of the panels that show an error message instead of their figure."""
    from sofs_lib.dashboards.panels import ERROR_MESSAGE, LOAD_ERROR_MESSAGE

    errors = (ERROR_MESSAGE, LOAD_ERROR_MESSAGE)
    return [
        p.spec.key for p in app.panels if p.last_output is None or p.last_output.message in errors
    ]


def render_dashboard(key: str, out_dir: Path, build: Callable | None = None) -> Path:
    """Build one dashboard's app for *Alle organisaties* and write ``<key>.html``.

    Raises :class:`SofsInputError` naming the panels that could not be drawn (the page
    is written anyway, with the Dutch message in their place).
    """
    dashboard = registry.get(key)
    if build is None:
        from sofs_lib import access

        # The published report is what the public role sees (Flanders only).
        public = access.Identity("rapport", access.PUBLIC)
        app = dashboard.factory()(identity=public)
    else:
        app = build()
    body = (
        f'<p><a href="index.html">← Alle dashboards</a></p>\n'
        f"{notebook_heading(serve.DASHBOARDS_DIR / dashboard.notebook)}\n"
        f"{app_html(app)}\n"
        "<footer>Statische weergave voor alle organisaties samen (Vlaanderen). "
        f"{html.escape(HIDDEN_LEGEND)}</footer>"
    )
    path = out_dir / f"{key}.html"
    path.write_text(_page(f"{dashboard.title} — Signs of Safety", body), encoding="utf-8")
    failed = failed_panels(app)
    if failed:
        raise SofsInputError(
            f"{key}: {len(failed)} panel(s) could not be drawn ({', '.join(failed)}); "
            f"see the log above. Written with a message in their place: {path}"
        )
    return path


def render_index(out_dir: Path, keys: Sequence[str]) -> Path:
    """``index.html``: the Dutch list of the rendered dashboards."""
    items = "\n".join(
        f'<li><a href="{d.key}.html"><strong>{html.escape(d.title)}</strong></a><br>'
        f"{html.escape(d.description)}</li>"
        for d in registry.DASHBOARDS
        if d.key in keys
    )
    body = (
        "<h1>Contextbegeleiding Signs of Safety</h1>\n"
        "<p>Dashboards voor alle organisaties samen, als bestanden zonder server.</p>\n"
        f'<ul style="line-height: 1.6">{items}</ul>'
    )
    path = out_dir / "index.html"
    path.write_text(_page("Dashboards contextbegeleiding Signs of Safety", body), encoding="utf-8")
    return path


def render_all(out_dir: Path, keys: Sequence[str] | None = None) -> list[Path]:
    """Render the chosen dashboards (default: every figure dashboard of the public role) and
    the index into ``out_dir``."""
    keys = list(keys) if keys else [d.key for d in registry.figure_dashboards(access.PUBLIC)]
    unknown = sorted(set(keys) - set(APPS))
    if unknown:
        raise SofsInputError(
            f"unknown dashboard(s): {', '.join(unknown)}; choose from {', '.join(APPS)}"
        )
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SofsInputError(f"cannot create output folder {out_dir}: {exc.strerror}") from exc
    serve._check_data()
    written, problems = [], []
    for key in keys:
        try:
            written.append(render_dashboard(key, out_dir))
        except SofsInputError as exc:
            problems.append(str(exc))
    written.append(render_index(out_dir, keys))
    if problems:
        raise SofsInputError("; ".join(problems))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sofs_lib.report",
        description="Render each dashboard for 'Alle organisaties' to standalone HTML.",
    )
    parser.add_argument("--out", default="reports", help="output folder (default: reports)")
    parser.add_argument("dashboards", nargs="*", help=f"subset of: {', '.join(APPS)}")
    args = parser.parse_args(argv)
    try:
        written = render_all(Path(args.out), args.dashboards)
    except SofsInputError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
