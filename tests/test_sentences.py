"""The generated Dutch sentence under each panel (``dashboards.sentences``): grammatical
for one item as for many, never repeating the panel's title, never a hidden value."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from sofs_lib.dashboards import sentences
from sofs_lib.dashboards.spec import HIDDEN

NAN = math.nan


def _bars(items: dict[str, tuple[float, float]], hidden: tuple[str, ...] = ()) -> pd.DataFrame:
    """Share rows of 'Org É' (own) and Vlaanderen for items {item: (own, flanders)}."""
    rows = []
    for who, role, pos in (("Org É", "own", 0), ("Vlaanderen", "flanders", 1)):
        for item, values in items.items():
            hide = item in hidden and role == "own"
            rows.append({"item": item, "group": who, "role": role,
                         "value": NAN if hide else values[pos], "hidden": hide})
    return pd.DataFrame(rows)


def test_two_items_of_which_one_is_shared_say_how_that_one_compares():
    rows = _bars({"Met plan": (0.80, 0.70), "Zonder plan": (0.60, NAN)})
    text = sentences.bars_sentence(rows, "netwerkberaad")
    assert "Voor ‘Met plan’ ligt het aandeel 10,0 procentpunt hoger dan in Vlaanderen." in text
    assert "van de 1 onderdelen" not in text


def test_one_shared_item_at_the_flemish_value_is_called_equal():
    rows = _bars({"Met plan": (0.70, 0.70), "Zonder plan": (0.60, NAN)})
    assert "is het aandeel gelijk aan dat in Vlaanderen" in sentences.bars_sentence(rows, "x")


def test_several_items_count_those_below_flanders_in_words():
    rows = _bars({"A": (0.2, 0.5), "B": (0.6, 0.5), "C": (0.9, 0.5)})
    text = sentences.bars_sentence(rows, "x")
    assert "het hoogst: C (90,0%)" in text and "het laagst: A (20,0%)" in text
    assert "Bij 1 van de 3 onderdelen ligt het aandeel lager dan in Vlaanderen." in text
    rows = _bars({"A": (0.6, 0.5), "B": (0.6, 0.5)})
    assert "Bij geen van de 2 onderdelen" in sentences.bars_sentence(rows, "x")


def test_a_hidden_value_is_never_put_in_words():
    rows = _bars({"A": (0.123, 0.5), "B": (0.6, 0.5)}, hidden=("A",))
    text = sentences.bars_sentence(rows, "x")
    assert "12,3" not in text and HIDDEN not in text
    assert text.startswith("Bij Org É is enkel ‘B’ zichtbaar: 60,0%.")


def test_items_at_one_value_are_not_called_highest_and_lowest():
    text = sentences.bars_sentence(_bars({"A": (1.0, 0.9), "B": (1.0, NAN)}), "x")
    assert text.startswith("Bij Org É is het aandeel bij elk getoond onderdeel 100,0%.")
    assert "het hoogst" not in text


def test_a_distribution_sentence_starts_with_whose_figures_not_with_the_title():
    rows = pd.DataFrame([
        {"group": "Org É", "role": "own", "mean": 6.94, "median": 6.0, "hidden": False},
        {"group": "Vlaanderen", "role": "flanders", "mean": 4.9, "median": 4.0, "hidden": False},
    ])
    text = sentences.ranges_sentence(rows, "Aantal netwerkberaden per traject", "netwerkberaden")
    assert text == ("Bij Org É gemiddeld 6,9 netwerkberaden (mediaan 6,0). "
                    "In Vlaanderen gemiddeld 4,9 netwerkberaden.")
    hidden = rows.assign(hidden=[True, False], mean=[NAN, 4.9])
    assert sentences.ranges_sentence(hidden, "t", "") == (
        "De cijfers van Org É zijn voor deze selectie verborgen.")


def _trend(values: dict[str, float], fmt: str = "pct", hidden: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = pd.DataFrame([
        {"x": x, "group": "Org É", "role": "own", "value": NAN if x in hidden else v,
         "hidden": x in hidden}
        for x, v in values.items()
    ])
    rows.attrs["value_format"] = fmt
    return rows


def test_a_trend_names_its_peak_between_the_ends_and_the_last_step_the_tile_shows():
    text = sentences.lines_sentence(_trend({"2031": 0.60, "2032": 0.952, "2033": 0.667}),
                                    "het aandeel")
    assert text == ("Bij Org É steeg het aandeel van 60,0% (2031) naar 66,7% (2033); het hoogst "
                    "in 2032 (95,2%). Tegenover 2032 is dat 28,5 procentpunt lager.")


def test_a_trend_of_two_years_is_one_clause_and_a_flat_one_says_so():
    assert sentences.lines_sentence(_trend({"2040": 0.5, "2041": 0.4}), "het aandeel") == (
        "Bij Org É daalde het aandeel van 50,0% (2040) naar 40,0% (2041).")
    assert sentences.lines_sentence(_trend({"2040": 0.5, "2041": 0.5}), "het aandeel") == (
        "Bij Org É was het aandeel 50,0% in 2040 en 50,0% in 2041.")


def test_a_trend_of_means_reads_in_units_and_skips_a_hidden_year():
    text = sentences.lines_sentence(
        _trend({"2040": 4.3, "2041": 2.0, "2042": 7.0, "2043": 10.0}, "dec1", hidden=("2042",)),
        "het gemiddelde aantal netwerkberaden",
    )
    assert text == ("Bij Org É steeg het gemiddelde aantal netwerkberaden van 4,3 (2040) naar "
                    "10,0 (2043); het laagst in 2041 (2,0). Tegenover 2041 is dat 8,0 hoger.")
    assert "7,0" not in text


def test_flanders_is_a_place_not_an_organisation():
    rows = _bars({"A": (0.2, 0.5), "B": (0.6, 0.4)})
    flanders = rows[rows["role"] == "flanders"]
    assert sentences.bars_sentence(flanders, "x").startswith("In Vlaanderen het hoogst: A (50,0%)")
    trend = _trend({"2040": 0.5, "2041": 0.4}).assign(group="Vlaanderen", role="flanders")
    assert sentences.lines_sentence(trend, "het aandeel").startswith("In Vlaanderen daalde")


#: What no generated sentence may contain: a missing value in words, "Bij Vlaanderen",
#: "van de 1 onderdelen", a doubled word, the same item called highest and lowest.
WRONG = re.compile(
    r"\bnan\b|\bNone\b|Bij Vlaanderen|van de 1 |\b(\w+) \1\b|  |\.\.|"
    r"hoogst: (.+?) \([^)]*\); het laagst: \2 \("
)


@pytest.mark.slow
def test_every_sentence_of_a_later_export_with_accented_names_reads_well(
    generated_release, monkeypatch
):
    """Every figure dashboard of another export (other years, names with accents), as the
    agency for an organisation beside Flanders and as an organisation, for the default
    selection and the first two values of each control."""
    from sofs_lib import access
    from sofs_lib.dashboards import apps, registry

    released = generated_release("accented")
    for name, value in released.env.items():
        monkeypatch.setenv(name, value)
    checked = 0
    for dashboard in registry.figure_dashboards(access.AGENCY):
        agency = apps.build_app(dashboard.key, identity=access.Identity("s", access.AGENCY, None))
        names = agency.release.organisations
        shown = [agency]
        if names and dashboard.key != "profiel":  # Profiel: one app for every role
            own = access.Identity("s", access.ORGANISATION, names[0])
            shown.append(apps.build_app(dashboard.key, identity=own))
        for app in shown:
            controls = app.controls
            defaults = {f: c.options[0][1] for f, c in controls.items()}
            organisations = [v for _, v in controls["organisation"].options] \
                if "organisation" in controls else [None]
            selections = [{}] + [{f: v} for f, c in controls.items() if f != "organisation"
                                 for _, v in c.options[1:3]]
            for org in dict.fromkeys(organisations[-1:]):  # an organisation (or its own view)
                for chosen in selections:
                    values = {**defaults, **chosen}
                    if "organisation" in controls:
                        values["organisation"] = org
                    app.select(**values)
                    for title, sentence in app.headline.sentences:
                        checked += 1
                        assert not WRONG.search(sentence), (dashboard.key, values, title, sentence)
                        assert sentence[0].isupper() and sentence.endswith("."), sentence
    assert checked > 200
