"""ChartSpec -> SVG (pygal): text alternative, hidden slot, role colours, no scripts."""

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
