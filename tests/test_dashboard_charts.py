"""ChartSpec -> SVG: text alternative, hidden slot, role colours, no scripts."""

from __future__ import annotations

import re

import pandas as pd

from sofs_lib.dashboards import charts
from sofs_lib.dashboards.spec import HIDDEN, ROLE_COLOURS, ChartSpec


def _bars(hidden_second: bool = True) -> ChartSpec:
    data = pd.DataFrame(
        {
            "item": ["Stap A", "Stap A", "Stap A", "Stap B", "Stap B", "Stap B"],
            "group": ["Org X", "Vlaanderen", "Andere organisaties samen"] * 2,
            "role": ["own", "flanders", "others"] * 2,
            "value": [0.5, 0.4, 0.38, float("nan") if hidden_second else 0.2, 0.3, 0.29],
            "n": [10, 50, 40, 10, 50, 40],
            "hidden": [False, False, False, hidden_second, False, False],
        }
    )
    return ChartSpec("bars", "Gezette stappen", data, alt="Staafdiagram: bij Org X het hoogst Stap A.")


def test_svg_carries_the_text_alternative_as_aria_label_title_and_desc():
    svg = charts.render_svg(_bars())
    assert svg.startswith("<svg ")
    root = svg[: svg.index(">")]
    assert 'role="img"' in root
    assert 'aria-label="Staafdiagram: bij Org X het hoogst Stap A."' in root
    assert "<title" in svg and "<desc" in svg and "Gezette stappen</title>" in svg


def test_a_hidden_value_is_an_empty_slot_labelled_with_the_one_notation():
    svg = charts.render_svg(_bars(hidden_second=True))
    labels = re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)</text>', svg)
    assert HIDDEN in labels
    assert "–" not in labels and "verborgen" not in labels
    shown = charts.render_svg(_bars(hidden_second=False))
    assert HIDDEN not in re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)</text>', shown)


def test_each_group_is_drawn_in_the_colour_of_its_role():
    svg = charts.render_svg(_bars())
    for i, role in enumerate(["own", "flanders", "others"]):
        assert re.search(rf"\.color-{i}[^{{]*\{{[^}}]*{ROLE_COLOURS[role]}", svg, re.I), role
    # the same role keeps its colour when it is the first series (no own organisation)
    flanders_only = _bars().data.query("role == 'flanders'")
    svg = charts.render_svg(ChartSpec("bars", "T", flanders_only))
    assert re.search(rf"\.color-0[^{{]*\{{[^}}]*{ROLE_COLOURS['flanders']}", svg, re.I)


def test_svg_scales_with_the_window_and_runs_no_script():
    svg = charts.render_svg(_bars())
    root = svg[: svg.index(">")]
    assert "viewBox=" in root
    assert not re.search(r'\swidth="\d', root) and not re.search(r'\sheight="\d', root)
    assert "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_same_spec_gives_the_same_svg():
    assert charts.render_svg(_bars()) == charts.render_svg(_bars())


def test_lines_and_ranges_render_and_hide_what_is_hidden():
    lines = pd.DataFrame(
        {
            "x": ["2021", "2022", "2021", "2022"],
            "group": ["Org X", "Org X", "Vlaanderen", "Vlaanderen"],
            "role": ["own", "own", "flanders", "flanders"],
            "value": [0.5, float("nan"), 0.4, 0.45],
            "n": [10, 3, 50, 60],
            "hidden": [False, True, False, False],
        }
    )
    svg = charts.render_svg(ChartSpec("lines", "Evolutie", lines, alt="Lijn"))
    assert 'aria-label="Lijn"' in svg and "2022" in svg
    ranges = pd.DataFrame(
        {
            "group": ["Org X", "Vlaanderen"], "role": ["own", "flanders"], "n": [10, 50],
            "mean": [float("nan"), 6.1], "sd": [float("nan"), 1.0], "median": [float("nan"), 6.0],
            "min": [float("nan"), 1.0], "max": [float("nan"), 14.0], "hidden": [True, False],
        }
    )
    svg = charts.render_svg(ChartSpec("ranges", "Duurtijd", ranges, "dec1", alt="Spreiding"))
    assert f"Org X: {HIDDEN}" in svg


def _ranges(guideline=None) -> ChartSpec:
    data = pd.DataFrame(
        {
            "group": ["Org X", "Vlaanderen"], "role": ["own", "flanders"], "n": [30, 240],
            "mean": [7.2, 9.1], "sd": [2.0, 3.0], "median": [6.5, 8.4],
            "min": [1.0, 0.5], "max": [15.0, 26.0], "hidden": [False, False],
        }
    )
    return ChartSpec("ranges", "Duurtijd", data, "dec1", x_label="Maanden", guideline=guideline)


def test_a_guideline_is_a_shaded_band_between_its_bounds_with_its_label():
    svg = charts.render_svg(_ranges(guideline=(4, 8)))
    band = re.search(r'<g class="guideline"><rect x="([-0-9.]+)" y="[-0-9.]+" width="([-0-9.]+)"', svg)
    assert band, "no band"
    assert "richtlijn: 4 tot 8" in svg
    # The band lies where 4 and 8 are on the axis: ticks 0, 5, 10 … give the scale.
    ticks = {float(v): float(x) for x, v in re.findall(
        r'<line class="grid" x1="([-0-9.]+)"[^>]*/><text [^>]*class="tick"[^>]*>([0-9]+)</text>', svg)}
    per_unit = (ticks[10.0] - ticks[0.0]) / 10
    assert abs(float(band.group(1)) - (ticks[0.0] + 4 * per_unit)) < 0.2
    assert abs(float(band.group(2)) - 4 * per_unit) < 0.2
    assert 'class="guideline"' not in charts.render_svg(_ranges())


def test_ranges_put_mean_and_median_where_the_values_are():
    svg = charts.render_svg(_ranges())
    ticks = {float(v): float(x) for x, v in re.findall(
        r'<line class="grid" x1="([-0-9.]+)"[^>]*/><text [^>]*class="tick"[^>]*>([0-9]+)</text>', svg)}
    per_unit = (ticks[10.0] - ticks[0.0]) / 10
    means = [float(x) for x in re.findall(r'<circle class="color-\d" cx="([-0-9.]+)"[^>]*r="8"', svg)]
    medians = [float(x) for x in re.findall(r'<circle class="median" cx="([-0-9.]+)"', svg)]
    assert [round((m - ticks[0.0]) / per_unit, 1) for m in means] == [7.2, 9.1]
    assert [round((m - ticks[0.0]) / per_unit, 1) for m in medians] == [6.5, 8.4]
    assert "gemiddelde 7,2, mediaan 6,5, minimum 1,0, maximum 15,0 (n = 30)" in svg


def test_bar_length_is_the_share_and_every_bar_says_its_value_in_dutch():
    svg = charts.render_svg(_bars(hidden_second=False))
    widths = [float(w) for w in re.findall(r'<g class="bar"><rect class="color-\d" x="[-0-9.]+" y="[-0-9.]+" width="([-0-9.]+)"', svg)]
    ticks = {v: float(x) for x, v in re.findall(
        r'<line class="grid" x1="([-0-9.]+)"[^>]*/><text [^>]*class="tick"[^>]*>([0-9]+%)</text>', svg)}
    full = ticks["100%"] - ticks["0%"]
    assert [round(w / full, 2) for w in widths] == [0.5, 0.4, 0.38, 0.2, 0.3, 0.29]
    labels = re.findall(r'<text[^>]*class="value"[^>]*>([^<]*)</text>', svg)
    assert labels == ["50,0%", "40,0%", "38,0%", "20,0%", "30,0%", "29,0%"]


def test_a_hidden_point_of_a_line_breaks_the_line_and_reads_x():
    data = pd.DataFrame(
        {
            "x": ["J1", "J2", "J3"], "group": ["Org X"] * 3, "role": ["own"] * 3,
            "value": [0.5, float("nan"), 0.6], "n": [10, 3, 12], "hidden": [False, True, False],
        }
    )
    svg = charts.render_svg(ChartSpec("lines", "Evolutie", data))
    assert svg.count('<path class="line') == 0  # two single points: nothing to join
    assert svg.count("<circle") == 2
    assert re.findall(r'<text[^>]*class="value hidden[^"]*"[^>]*>([^<]*)</text>', svg) == [HIDDEN]
    # below the axis (under the year), not on the plot where it would read as a low value
    mark_y = float(re.search(r'<text x="[^"]*" y="([^"]*)"[^>]*class="value hidden', svg).group(1))
    tick_y = max(float(y) for y in re.findall(r'<text x="[^"]*" y="([^"]*)"[^>]*class="tick"', svg))
    assert mark_y > tick_y


def test_long_labels_wrap_instead_of_running_off_the_figure():
    data = _bars().data.assign(item=lambda d: d["item"].map({
        "Stap A": "Contextbegeleiding i.f.v. veiligheidsplanning SofS (+ vorm van verblijf)",
        "Stap B": "Kort"}))
    svg = charts.render_svg(ChartSpec("bars", "T", data))
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert len(spans) >= 2 and all(len(s) <= int(charts.WIDTH * 0.36 / charts.CHAR_W) for s in spans)
    assert " ".join(spans) == "Contextbegeleiding i.f.v. veiligheidsplanning SofS (+ vorm van verblijf)"


def test_nice_ticks_cover_the_values_in_round_steps():
    assert charts.nice_ticks(0, 19) == [0, 5, 10, 15, 20]
    assert charts.nice_ticks(-1.48, 0) == [-1.5, -1.0, -0.5, 0.0]
    assert charts.nice_ticks(-5, 15.01) == [-10, 0, 10, 20]
    assert charts.nice_ticks(0.0, 0.0) == [0.0, 0.25, 0.5, 0.75, 1.0]
