"""A :class:`~sofs_lib.dashboards.spec.ChartSpec` drawn as SVG markup, for the screen.

The dashboards draw three kinds of figure (horizontal bars, lines over closing years, and
ranges: minimum–maximum with median and mean). This module writes their SVG directly from
the spec, in about a millisecond per figure. (pygal drew them before at 40–50 ms per
figure: with 10–16 panels per dashboard that alone broke the 300 ms budget of a control
change; see ``benchmarks/bench_dashboard.py``, which prints both.)

- no JavaScript and no third-party request;
- no fixed size: the SVG has a ``viewBox`` only, so it scales with the window;
- one colour per role (:data:`spec.ROLE_COLOURS`) on every page, as ``.color-<i>`` classes
  scoped to the figure's id;
- a hidden value is an empty slot labelled :data:`spec.HIDDEN`;
- every bar carries its value label (one bar per row: labels never collide); lines carry
  none (they would), every point has a hover title instead;
- a guideline (e.g. a duration of 4 to 8 months) is a shaded band with its label;
- ``role="img"``, ``aria-label``, ``<title>`` and ``<desc>`` carry the spec's text
  alternative.

Deterministic: the same spec gives the same bytes (the id is a hash of the spec).
"""

from __future__ import annotations

import hashlib
import html
import math
import textwrap
from collections.abc import Sequence

import pandas as pd

from sofs_lib.dashboards.spec import HIDDEN, ROLE_COLOURS, ChartSpec, format_value, frame_records

FONT = '"Segoe UI", Roboto, Helvetica, Arial, sans-serif'
WIDTH = 640
#: viewBox units per bar: tall charts for many items, short for few.
BAR_HEIGHT = 18
PCT_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
TEXT = "#1f2933"
MUTED = "#3e4c59"
GRID = "#d9dee3"
BAND = "#f6ead9"
FONT_SIZE = 13
#: Average advance of a character at :data:`FONT_SIZE` (for wrapping and label room).
CHAR_W = 7.0
LINE_H = 16
LEGEND_ROW = 20


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    """A coordinate: one decimal, no trailing zeros (short and deterministic)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _series(data: pd.DataFrame) -> list[tuple[str, str]]:
    """(group, role) in display order."""
    groups = [str(g) for g in data["group"].tolist()]
    roles = [str(r) for r in data["role"].tolist()]
    return list(dict.fromkeys(zip(groups, roles, strict=True)))


def _colour(role: str) -> str:
    return ROLE_COLOURS.get(role, ROLE_COLOURS["others"])


def _wrap(text: str, chars: int, max_lines: int = 3) -> list[str]:
    """``text`` in lines of at most ``chars`` characters (the last one shortened with …)."""
    lines = textwrap.wrap(text, max(chars, 8), break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(chars - 1, 1)].rstrip() + "…"
    return lines


def _text(x: float, y: float, text: str, *, cls: str = "", anchor: str = "start",
          size: int | None = None, fill: str | None = None, weight: str | None = None) -> str:
    attrs = [f'x="{_num(x)}"', f'y="{_num(y)}"']
    if cls:
        attrs.append(f'class="{cls}"')
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if size is not None:
        attrs.append(f'font-size="{size}"')
    if fill is not None:
        attrs.append(f'fill="{fill}"')
    if weight is not None:
        attrs.append(f'font-weight="{weight}"')
    return f"<text {' '.join(attrs)}>{_esc(text)}</text>"


def _multiline(x: float, y: float, lines: Sequence[str], *, anchor: str = "end",
               cls: str = "label") -> str:
    """Lines of text centred vertically on ``y``."""
    top = y - (len(lines) - 1) * LINE_H / 2 + 4.5
    if len(lines) == 1:
        return _text(x, top, lines[0], cls=cls, anchor=anchor)
    spans = "".join(
        f'<tspan x="{_num(x)}" y="{_num(top + i * LINE_H)}">{_esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text class="{cls}"{extra}>{spans}</text>'


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``lo``–``hi`` (steps of 1, 2, 2.5 or 5 × 10^k)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-12)
    start = math.floor(lo / step + 1e-9) * step
    stop = math.ceil(hi / step - 1e-9) * step
    n = round((stop - start) / step)
    return [round(start + i * step, 10) for i in range(n + 1)]


def _tick_label(value: float, value_format: str) -> str:
    if value_format == "pct":
        return format_value(value, "pct").replace(",0%", "%")
    if float(value).is_integer():
        return format_value(value, "int")
    return format_value(value, "dec1")


class _Scale:
    """Value → x (or y) in viewBox units."""

    def __init__(self, lo: float, hi: float, start: float, end: float):
        self.lo, self.hi, self.start, self.end = lo, hi, start, end

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo or 1.0
        return self.start + (float(value) - self.lo) / span * (self.end - self.start)


def _legend(entries: Sequence[tuple[str, str | None]], top: float, left: float = 12) -> tuple[str, float]:
    """One entry per row (long organisation names are never cut off): a colour square
    (``None``: no square) and the name. Returns markup and the height used."""
    parts = ['<g class="legend">']
    for i, (name, colour_class) in enumerate(entries):
        y = top + i * LEGEND_ROW
        x = left
        if colour_class is not None:
            parts.append(f'<rect class="{colour_class}" x="{_num(x)}" y="{_num(y)}" width="12" height="12"/>')
            x += 18
        parts.append(_text(x, y + 11, name, cls="legend-text"))
    parts.append("</g>")
    return "".join(parts), len(entries) * LEGEND_ROW


def _x_axis(scale: _Scale, ticks: Sequence[float], top: float, bottom: float,
            value_format: str) -> str:
    """Vertical grid lines at the ticks and their labels under the plot."""
    parts = ['<g class="axis">']
    for tick in ticks:
        x = scale(tick)
        parts.append(f'<line class="grid" x1="{_num(x)}" x2="{_num(x)}" y1="{_num(top)}" y2="{_num(bottom)}"/>')
        parts.append(_text(x, bottom + 16, _tick_label(tick, value_format), cls="tick", anchor="middle"))
    parts.append("</g>")
    return "".join(parts)


def _point_title(group: str, item: str, value: object, n: object, value_format: str) -> str:
    text = f"{group} – {item}: {format_value(value, value_format)}"
    if isinstance(n, int | float) and math.isfinite(float(n)):
        text += f" (n = {format_value(n, 'int')})"
    return f"<title>{_esc(text)}</title>"


# --------------------------------------------------------------------------- bars


def _bars(spec: ChartSpec) -> tuple[str, float]:
    data = spec.data
    items = list(dict.fromkeys(str(i) for i in data["item"].tolist()))
    series = _series(data)
    index = {group: i for i, (group, _role) in enumerate(series)}
    by = {(str(r["item"]), str(r["group"])): r for r in frame_records(data)}
    label_chars = int(WIDTH * 0.36 / CHAR_W)
    wrapped = {item: _wrap(item, label_chars) for item in items}
    longest = max((len(line) for lines in wrapped.values() for line in lines), default=4)
    label_w = min(max(longest * CHAR_W, 60), WIDTH * 0.36)
    left, right = 12 + label_w + 8, WIDTH - 60
    values = [float(v) for v in data["value"].tolist() if pd.notna(v)]
    if spec.value_format == "pct":
        ticks = list(PCT_TICKS)
    else:
        ticks = nice_ticks(0.0, max(values, default=1.0) or 1.0)
    scale = _Scale(ticks[0], ticks[-1], left, right)
    bar_h = BAR_HEIGHT if len(series) > 1 else BAR_HEIGHT + 4
    top = 8.0
    y = top
    rows = []
    for item in items:
        block = max(len(series) * bar_h, len(wrapped[item]) * LINE_H) + 10
        rows.append(_multiline(left - 8, y + block / 2, wrapped[item]))
        bars_top = y + (block - len(series) * bar_h) / 2
        for group, _role in series:
            row = by.get((item, group))
            i = index[group]
            bar_y = bars_top + i * bar_h
            if row is None or (not bool(row["hidden"]) and pd.isna(row["value"])):
                continue
            if bool(row["hidden"]):
                rows.append(
                    f'<g class="bar hidden"><title>{_esc(f"{group} – {item}: verborgen")}</title>'
                    + _text(left + 4, bar_y + bar_h / 2 + 4.5, HIDDEN, cls="value hidden")
                    + "</g>"
                )
                continue
            value = float(row["value"])
            end = scale(max(min(value, ticks[-1]), ticks[0]))
            rows.append(
                f'<g class="bar"><rect class="color-{i}" x="{_num(left)}" y="{_num(bar_y + 1)}" '
                f'width="{_num(max(end - left, 0.0))}" height="{_num(bar_h - 2)}"/>'
                + _point_title(group, item, value, row.get("n"), spec.value_format)
                + _text(end + 4, bar_y + bar_h / 2 + 4.5, format_value(value, spec.value_format),
                        cls="value")
                + "</g>"
            )
        y += block
    bottom = y
    parts = [_x_axis(scale, ticks, top, bottom, spec.value_format), *rows]
    parts.append(f'<line class="axis-line" x1="{_num(left)}" x2="{_num(left)}" y1="{_num(top)}" y2="{_num(bottom)}"/>')
    y = bottom + 24
    if spec.x_label:
        parts.append(_text((left + right) / 2, y + 8, spec.x_label, cls="axis-title", anchor="middle"))
        y += 22
    legend, used = _legend([(group, f"color-{index[group]}") for group, _r in series], y + 6)
    parts.append(legend)
    return "".join(parts), y + 6 + used + 6


# --------------------------------------------------------------------------- lines


def _lines(spec: ChartSpec) -> tuple[str, float]:
    data = spec.data
    xs = list(dict.fromkeys(str(x) for x in data["x"].tolist()))
    series = _series(data)
    by = {(str(r["x"]), str(r["group"])): r for r in frame_records(data)}
    shown = [float(v) for v, h in zip(data["value"].tolist(), data["hidden"].tolist(), strict=True)
             if pd.notna(v) and not bool(h)]
    if spec.value_format == "pct":
        ticks = list(PCT_TICKS)
    else:
        ticks = nice_ticks(min(0.0, min(shown, default=0.0)), max(shown, default=1.0) or 1.0)
    left, right, top, bottom = 64.0, WIDTH - 24.0, 12.0, 292.0
    yscale = _Scale(ticks[0], ticks[-1], bottom, top)
    step = (right - left) / max(len(xs), 1)
    xpos = {x: left + step * (i + 0.5) for i, x in enumerate(xs)}
    parts = ['<g class="axis">']
    for tick in ticks:
        y = yscale(tick)
        parts.append(f'<line class="grid" x1="{_num(left)}" x2="{_num(right)}" y1="{_num(y)}" y2="{_num(y)}"/>')
        parts.append(_text(left - 8, y + 4.5, _tick_label(tick, spec.value_format), cls="tick", anchor="end"))
    for x, pos in xpos.items():
        parts.append(_text(pos, bottom + 18, x, cls="tick", anchor="middle"))
    parts.append("</g>")
    # A hidden value is no point on the plot (where an x would read as a low value): it is
    # an x below the year's tick, in its series' colour, one row per series with one.
    hidden_rows = [i for i, (group, _r) in enumerate(series)
                   if any(bool(by[(x, group)]["hidden"]) for x in xs if (x, group) in by)]
    for i, (group, _role) in enumerate(series):
        segments: list[list[tuple[float, float]]] = [[]]
        dots = []
        hidden_at = []
        for x in xs:
            row = by.get((x, group))
            if row is None or bool(row["hidden"]) or pd.isna(row["value"]):
                if row is not None and bool(row["hidden"]):
                    hidden_at.append(x)
                if segments[-1]:
                    segments.append([])
                continue
            point = (xpos[x], yscale(float(row["value"])))
            segments[-1].append(point)
            dots.append(
                f'<circle class="color-{i}" cx="{_num(point[0])}" cy="{_num(point[1])}" r="4.5">'
                + _point_title(group, x, float(row["value"]), row.get("n"), spec.value_format)
                + "</circle>"
            )
        parts.append(f'<g class="series series-{i}">')
        for segment in segments:
            if len(segment) > 1:
                path = " ".join(f"{'M' if j == 0 else 'L'}{_num(px)} {_num(py)}"
                                for j, (px, py) in enumerate(segment))
                parts.append(f'<path class="line color-{i}" d="{path}"/>')
        parts.extend(dots)
        for x in hidden_at:
            row = hidden_rows.index(i)
            parts.append(
                f'<g class="hidden"><title>{_esc(f"{group} – {x}: verborgen")}</title>'
                + _text(xpos[x], bottom + 36 + row * 16, HIDDEN,
                        cls=f"value hidden color-text-{i}", anchor="middle")
                + "</g>"
            )
        parts.append("</g>")
    y = bottom + 30 + 16 * len(hidden_rows)
    if spec.x_label:
        parts.append(_text((left + right) / 2, y + 8, spec.x_label, cls="axis-title", anchor="middle"))
        y += 22
    legend, used = _legend([(group, f"color-{i}") for i, (group, _r) in enumerate(series)], y + 6)
    parts.append(legend)
    return "".join(parts), y + 6 + used + 6


# --------------------------------------------------------------------------- ranges


def _ranges(spec: ChartSpec) -> tuple[str, float]:
    """Per group a horizontal line from minimum to maximum, a small open dot at the median
    and a large one at the mean (values as released; no quartiles are invented)."""
    data = spec.data
    series = _series(data)
    records = {str(r["group"]): r for r in frame_records(data)}
    label_chars = int(WIDTH * 0.3 / CHAR_W)
    wrapped = {group: _wrap(group, label_chars, 2) for group, _r in series}
    longest = max((len(line) for lines in wrapped.values() for line in lines), default=4)
    label_w = min(max(longest * CHAR_W, 60), WIDTH * 0.3)
    left, right = 12 + label_w + 10, WIDTH - 24.0
    values: list[float] = []
    for group, _role in series:
        row = records[group]
        if not bool(row["hidden"]):
            values += [float(row[c]) for c in ("min", "max", "mean", "median") if pd.notna(row[c])]
    band = spec.guideline
    if band is not None:
        values += [float(band[0]), float(band[1])]
    lo = min(values, default=0.0)
    ticks = nice_ticks(min(lo, 0.0) if lo >= 0 else lo, max(values, default=1.0))
    scale = _Scale(ticks[0], ticks[-1], left, right)
    top = 26.0 if band is not None else 10.0
    row_h = 40.0
    bottom = top + row_h * max(len(series), 1)
    parts = []
    if band is not None:
        x0, x1 = scale(band[0]), scale(band[1])
        label = (f"richtlijn: {format_value(band[0], 'int')} tot {format_value(band[1], 'int')}")
        parts.append(
            f'<g class="guideline"><rect x="{_num(x0)}" y="{_num(top)}" width="{_num(x1 - x0)}" '
            f'height="{_num(bottom - top)}"/>' + _text((x0 + x1) / 2, top - 8, label, cls="guideline-text",
                                                       anchor="middle") + "</g>"
        )
    parts.append(_x_axis(scale, ticks, top, bottom, "dec1"))
    for i, (group, _role) in enumerate(series):
        row = records[group]
        mid = top + row_h * (i + 0.5)
        parts.append(_multiline(left - 10, mid, wrapped[group]))
        if not bool(row["hidden"]) and pd.isna(row["median"]) and pd.notna(row["mean"]):
            # the others together: a mean from released sums, no median or range
            mean_x = scale(float(row["mean"]))
            title = f"{group}: gemiddelde {format_value(row['mean'], 'dec1')}"
            if pd.notna(row.get("n")):
                title += f" (n = {format_value(row['n'], 'int')})"
            parts.append(
                f'<g class="range mean-only"><title>{_esc(title)}</title>'
                f'<circle class="color-{i}" cx="{_num(mean_x)}" cy="{_num(mid)}" r="8"/>'
                "</g>"
            )
            continue
        if bool(row["hidden"]) or pd.isna(row["median"]):
            parts.append(
                f'<g class="range hidden"><title>{_esc(f"{group}: {HIDDEN} (verborgen)")}</title>'
                + _text(left + 4, mid + 4.5, HIDDEN, cls="value hidden") + "</g>"
            )
            continue
        lo_x, hi_x = scale(float(row["min"])), scale(float(row["max"]))
        mean_x, median_x = scale(float(row["mean"])), scale(float(row["median"]))
        fmt = "dec1"
        title = (f"{group}: gemiddelde {format_value(row['mean'], fmt)}, mediaan "
                 f"{format_value(row['median'], fmt)}, minimum {format_value(row['min'], fmt)}, "
                 f"maximum {format_value(row['max'], fmt)}")
        if pd.notna(row.get("n")):
            title += f" (n = {format_value(row['n'], 'int')})"
        parts.append(
            f'<g class="range"><title>{_esc(title)}</title>'
            f'<line class="range-line color-{i}" x1="{_num(lo_x)}" x2="{_num(hi_x)}" '
            f'y1="{_num(mid)}" y2="{_num(mid)}"/>'
            f'<circle class="color-{i}" cx="{_num(mean_x)}" cy="{_num(mid)}" r="8"/>'
            f'<circle class="median" cx="{_num(median_x)}" cy="{_num(mid)}" r="4"/>'
            "</g>"
        )
    y = bottom + 24
    if spec.x_label:
        parts.append(_text((left + right) / 2, y + 8, spec.x_label, cls="axis-title", anchor="middle"))
        y += 22
    # The groups are named beside their rows (a hidden one reads x there): the key explains
    # the marks only.
    parts.append(_text(12, y + 14, "● gemiddelde   ○ mediaan   — minimum tot maximum",
                       cls="legend-text"))
    return "".join(parts), y + 24


_BUILDERS = {"bars": _bars, "lines": _lines, "ranges": _ranges}


def chart_id(spec: ChartSpec) -> str:
    """A stable id for the same spec."""
    content = repr((spec.kind, spec.title, spec.guideline, spec.value_format,
                    [(c, spec.data[c].tolist()) for c in spec.data.columns]))
    digest = hashlib.sha1(content.encode())
    return "sofs-chart-" + digest.hexdigest()[:12]


def _style(uid: str, series: Sequence[tuple[str, str]]) -> str:
    scope = f"#{uid}"
    rules = [
        f"{scope} text{{font-family:{FONT};font-size:{FONT_SIZE}px;fill:{TEXT}}}",
        f"{scope} .tick,{scope} .axis-title{{fill:{MUTED}}}",
        f"{scope} .value{{font-size:12px}}",
        f"{scope} .value.hidden{{font-weight:700}}",
        f"{scope} .grid{{stroke:{GRID};stroke-width:1}}",
        f"{scope} .axis-line{{stroke:#9aa5b1;stroke-width:1}}",
        f"{scope} .guideline rect{{fill:{BAND}}}",
        f"{scope} .guideline-text{{font-size:12px;fill:{MUTED}}}",
    ]
    for i, (_group, role) in enumerate(series):
        colour = _colour(role)
        rules.append(f"{scope} .color-{i}{{fill:{colour};stroke:{colour}}}")
        rules.append(f"{scope} .color-text-{i}{{fill:{colour}}}")
    rules += [
        f"{scope} rect[class^=color-]{{stroke:none}}",
        f"{scope} .line{{fill:none;stroke-width:3}}",
        f"{scope} .range-line{{stroke-width:5}}",
        f"{scope} .median{{fill:#ffffff;stroke:{TEXT};stroke-width:2}}",
    ]
    return "<style>" + "".join(rules) + "</style>"


def render_svg(spec: ChartSpec) -> str:
    """The SVG markup of ``spec`` (a string to put in an ``ipywidgets.HTML``)."""
    body, height = _BUILDERS[spec.kind](spec)
    uid = chart_id(spec)
    alt = spec.alt or spec.title
    title_id, desc_id = f"{uid}-title", f"{uid}-desc"
    return (
        f'<svg role="img" aria-label="{_esc(alt)}" aria-labelledby="{title_id} {desc_id}" '
        f'xmlns="http://www.w3.org/2000/svg" id="{uid}" class="sofs-chart sofs-chart-{spec.kind}" '
        f'viewBox="0 0 {WIDTH} {_num(math.ceil(height))}" focusable="false" '
        'preserveAspectRatio="xMinYMin meet" style="width:100%;height:auto;display:block">'
        f'<title id="{title_id}">{_esc(spec.title)}</title><desc id="{desc_id}">{_esc(alt)}</desc>'
        f"{_style(uid, _series(spec.data))}"
        f'<rect class="background" x="0" y="0" width="{WIDTH}" height="{_num(math.ceil(height))}" fill="#ffffff"/>'
        f"{body}</svg>"
    )

