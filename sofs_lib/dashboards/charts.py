"""A :class:`~sofs_lib.dashboards.spec.ChartSpec` drawn as SVG (pygal), for the screen.

- no JavaScript and no third-party request (``js=[]``; pygal's config ``<script>`` removed);
- no fixed size: the SVG has a ``viewBox`` only, so it scales with the window;
- one colour per role (:data:`spec.ROLE_COLOURS`) on every page;
- a hidden value is an empty slot labelled :data:`spec.HIDDEN`;
- data labels only on bars (one per bar, never on lines, where they would collide);
- ``role="img"``, ``aria-label``, ``<title>`` and ``<desc>`` carry the spec's text
  alternative.

Deterministic: the same spec gives the same bytes (pygal's random ids replaced).
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from functools import lru_cache

import pandas as pd

from sofs_lib.dashboards.spec import HIDDEN, ROLE_COLOURS, ChartSpec, format_value

FONT = '"Segoe UI", Roboto, Helvetica, Arial, sans-serif'
WIDTH = 640
BAR_HEIGHT = 18
PCT_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)  #: viewBox units per bar: tall charts for many items, short for few


@lru_cache(maxsize=8)
def _style(colours: tuple[str, ...]):
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1f2933",
        foreground_strong="#1f2933",
        foreground_subtle="#3e4c59",
        colors=colours,
        font_family=FONT,
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=12,
        legend_font_size=13,
        title_font_size=14,
        value_colors=("#1f2933",),
        opacity="1",
        opacity_hover="1",
        guide_stroke_color="#d9dee3",
        major_guide_stroke_color="#c2c9d1",
    )


def _series(data: pd.DataFrame) -> list[tuple[str, str]]:
    """(group, role) in display order."""
    seen = dict.fromkeys(zip(data["group"].astype(str), data["role"].astype(str), strict=True))
    return list(seen)


def _hidden_label(_value: object) -> str:
    return HIDDEN


def _blank(_value: object) -> str:
    return ""


def _formatter(fmt: str):
    return lambda v: format_value(v, fmt)  # noqa: E731


def _bars(spec: ChartSpec):
    import pygal

    data = spec.data
    items = list(dict.fromkeys(data["item"].astype(str)))
    series = _series(data)
    height = max(220, 60 + 22 * len(series) + BAR_HEIGHT * len(items) * max(1, len(series)))
    chart = pygal.HorizontalBar(
        **_common(spec, series, height),
        print_values=True,
        print_values_position="top",
        margin_right=56,
        range=(0, 1) if spec.value_format == "pct" else None,
    )
    if spec.value_format == "pct":
        chart.y_labels = list(PCT_TICKS)
    items = items[::-1]  # pygal draws the first label at the bottom: first item on top
    chart.x_labels = items
    by = {(str(r["item"]), str(r["group"])): r for r in data.to_dict("records")}
    several = len(series) > 1  # labels only where they cannot collide: one bar per item
    for group, _role in series:
        values = []
        for item in items:
            row = by.get((item, group))
            if row is None or (not bool(row["hidden"]) and pd.isna(row["value"])):
                values.append(None)
            elif bool(row["hidden"]):
                values.append({"value": 0, "formatter": _hidden_label, "label": f"{group}: verborgen"})
            else:
                value = {"value": float(row["value"]), "label": group}
                if several:
                    value["formatter"] = _blank
                values.append(value)
        chart.add(group, values)
    return chart


def _lines(spec: ChartSpec):
    import pygal

    data = spec.data
    xs = list(dict.fromkeys(data["x"].astype(str)))
    series = _series(data)
    chart = pygal.Line(**_common(spec, series, 420), print_values=False, dots_size=4,
                       show_only_major_dots=False, allow_interruptions=True,
                       range=(0, 1) if spec.value_format == "pct" else None)
    chart.x_labels = xs
    if spec.value_format == "pct":
        chart.y_labels = list(PCT_TICKS)
    by = {(str(r["x"]), str(r["group"])): r for r in data.to_dict("records")}
    for group, _role in series:
        values = []
        for x in xs:
            row = by.get((x, group))
            value, hidden = (float("nan"), False) if row is None else (row["value"], row["hidden"])
            values.append(None if bool(hidden) or pd.isna(value) else float(value))
        chart.add(group, values)
    return chart


def _ranges(spec: ChartSpec):
    """Per group a horizontal line from minimum to maximum, a small dot at the median and a
    large one at the mean (values as released; no quartiles are invented)."""
    import pygal

    data = spec.data
    series = _series(data)
    n = len(series)
    chart = pygal.XY(**_common(spec, series, 120 + 48 * n), print_values=False, stroke=True,
                     range=(0, n + 1), show_y_guides=False, dots_size=4)
    chart.stroke_style = {"width": 5}
    chart.y_labels = [{"label": g, "value": n - i} for i, (g, _r) in enumerate(series)]
    for i, (group, _role) in enumerate(series):
        row = data.loc[data["group"].astype(str) == group].iloc[0]
        y = n - i
        if bool(row["hidden"]) or pd.isna(row["median"]):
            chart.add(f"{group}: {HIDDEN}", [])
            continue
        points = [
            {"value": (float(row["min"]), y), "label": "minimum"},
            {"value": (float(row["median"]), y), "label": "mediaan"},
            {"value": (float(row["mean"]), y), "label": "gemiddelde", "node": {"r": 8}},
            {"value": (float(row["max"]), y), "label": "maximum"},
        ]
        points.sort(key=lambda p: p["value"][0])
        chart.add(group, points)
    return chart


def _common(spec: ChartSpec, series: list[tuple[str, str]], height: int) -> dict:
    colours = tuple(ROLE_COLOURS.get(role, ROLE_COLOURS["others"]) for _g, role in series)
    return {
        "js": [],
        "explicit_size": False,
        "width": WIDTH,
        "height": height,
        "style": _style(colours or (ROLE_COLOURS["flanders"],)),
        "show_legend": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 1,  # long organisation names are never cut off
        "truncate_legend": -1,
        "truncate_label": -1,
        "x_title": spec.x_label or None,
        "y_title": None,
        "value_formatter": _formatter(spec.value_format),
        "disable_xml_declaration": True,
        "no_data_text": "Geen gegevens",
        "margin": 12,
        "spacing": 8,
        "tooltip_border_radius": 0,
    }


_BUILDERS = {"bars": _bars, "lines": _lines, "ranges": _ranges}


def chart_id(spec: ChartSpec) -> str:
    """A stable id for the same spec (pygal otherwise writes a random one)."""
    digest = hashlib.sha1(spec.kind.encode() + spec.title.encode() + spec.data.to_csv(index=False).encode())
    return "sofs-chart-" + digest.hexdigest()[:12]


def render_svg(spec: ChartSpec) -> str:
    """The SVG markup of ``spec`` (a string to put in an ``ipywidgets.HTML``)."""
    chart = _BUILDERS[spec.kind](spec)
    svg = chart.render(is_unicode=True)
    return _finish(svg, spec)


def _finish(svg: str, spec: ChartSpec) -> str:
    uid = re.search(r'id="chart-([0-9a-f-]+)"', svg)
    stable = chart_id(spec)
    if uid:
        svg = svg.replace(f"chart-{uid.group(1)}", stable)
    svg = re.sub(r"<script\b[^>]*>.*?</script>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'<g class="plot tooltip-overlay".*?</g></g>', "", svg, flags=re.S)
    alt = spec.alt or spec.title
    title_id, desc_id = f"{stable}-title", f"{stable}-desc"
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{html.escape(alt, quote=True)}" '
        f'aria-labelledby="{title_id} {desc_id}" focusable="false" '
        'preserveAspectRatio="xMinYMin meet" style="width:100%;height:auto;display:block" ',
        1,
    )
    head = f'<title id="{title_id}">{html.escape(spec.title)}</title><desc id="{desc_id}">{html.escape(alt)}</desc>'
    svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + head, svg, count=1)
    return svg


def is_finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(float(value))
