"""Own organisation beside Flanders and the anonymous distribution of the others."""

from __future__ import annotations

import pandas as pd
import pytest

from sofs_lib.compare import compare_organisation
from sofs_lib.errors import SofsInputError

NAMES = ["De Zonnebloem", "Het Anker", "Kompas", "De Brug", "Oase", "Klein Huis"]


def _by_org(counts: dict[str, tuple[int, int]], steps=("mapping_family",)) -> pd.DataFrame:
    rows = [
        {"organisation": org, "indicator": "step_rate", "step": step, "numerator": num,
         "denominator": den, "share": num / den if den else float("nan")}
        for org, (num, den) in counts.items()
        for step in steps
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _flanders(by_org: pd.DataFrame) -> pd.DataFrame:
    total = by_org.groupby(["indicator", "step"], as_index=False)[["numerator", "denominator"]]
    total = total.sum()
    return total.assign(share=total["numerator"] / total["denominator"])


COUNTS = {
    "De Zonnebloem": (12, 20),  # 60%
    "Het Anker": (9, 30),  # 30%
    "Kompas": (20, 25),  # 80%
    "De Brug": (10, 40),  # 25%
    "Oase": (15, 30),  # 50%
    "Klein Huis": (4, 4),  # 100%, but only 4 trajectories
}


def _all_text(result) -> str:
    parts = [*map(str, result.display.columns), *map(str, result.display.to_numpy().ravel())]
    parts += [*map(str, result.values.columns), *map(str, result.values.to_numpy().ravel())]
    parts += [result.selection, result.message or "", *result.notes]
    return "\n".join(parts)


@pytest.mark.parametrize("selected", [*NAMES, None, "Alle organisaties"])
def test_no_other_organisation_name_appears_in_any_output(selected):
    by_org = _by_org(COUNTS, steps=("mapping_family", "three_houses"))
    result = compare_organisation(by_org, _flanders(by_org), selected, min_cell=5)
    text = _all_text(result)
    for name in NAMES:
        if name != selected:
            assert name not in text


def test_own_view_shows_own_value_flanders_and_median_range_of_qualifying_others():
    by_org = _by_org(COUNTS)
    result = compare_organisation(by_org, _flanders(by_org), "De Zonnebloem", min_cell=5)
    row = result.display.iloc[0]
    assert row["De Zonnebloem"] == "60,0%"
    assert row["n De Zonnebloem"] == "20"
    assert row["Vlaanderen"] == "47,0%"  # 70/149 (Klein Huis counts in the total)
    # others that qualify: 30%, 80%, 25%, 50% (Klein Huis has < 5 trajectories)
    assert row["Mediaan andere organisaties"] == "40,0%"
    assert row["Spreiding andere organisaties"] == "25,0% – 80,0%"
    assert row["Aantal andere organisaties"] == "4"
    values = result.values.iloc[0]
    assert values["max_others"] == pytest.approx(0.8) and values["n_others"] == 4


def test_no_individual_figure_of_another_organisation_in_the_values():
    by_org = _by_org(COUNTS)
    result = compare_organisation(by_org, _flanders(by_org), "Kompas", min_cell=5)
    figures = set(result.values[["median_others", "flanders"]].round(6).iloc[0].tolist())
    others = {round(n / d, 6) for org, (n, d) in COUNTS.items() if org != "Kompas"}
    # the range is allowed (four organisations qualify); median and total are not single figures
    assert figures.isdisjoint(others)


@pytest.mark.parametrize(("n_others", "range_shown", "median_shown"), [(1, False, False),
                         (2, False, True), (3, True, True)])  # fmt: skip
def test_range_needs_three_qualifying_others(n_others, range_shown, median_shown):
    names = ["De Zonnebloem", "Het Anker", "Kompas", "De Brug"][: n_others + 1]
    by_org = _by_org({name: COUNTS[name] for name in names})
    result = compare_organisation(by_org, _flanders(by_org), "De Zonnebloem", min_cell=5)
    row = result.display.iloc[0]
    assert (row["Spreiding andere organisaties"] != "–") is range_shown
    assert (row["Mediaan andere organisaties"] != "–") is median_shown
    assert pd.isna(result.values.loc[0, "min_others"]) is not range_shown
    if not range_shown:
        assert any("Spreiding niet getoond" in note for note in result.notes)
        assert bool(result.hidden.loc[0, "Spreiding andere organisaties"])


def test_organisation_with_four_trajectories_shows_nothing_and_says_why():
    by_org = _by_org(COUNTS)
    result = compare_organisation(by_org, _flanders(by_org), "Klein Huis", min_cell=5)
    assert not result.ok
    assert result.display.empty and result.values.empty
    assert result.message == (
        "Te weinig trajecten (minder dan 5) in deze selectie om cijfers te tonen."
    )


def test_selection_size_can_be_given_per_organisation():
    by_org = _by_org(COUNTS)
    sizes = {"De Zonnebloem": 3}
    result = compare_organisation(
        by_org, _flanders(by_org), "De Zonnebloem", min_cell=5, selection_n=sizes
    )
    assert not result.ok and "minder dan 5" in result.message


def test_own_small_count_passes_through_disclosure():
    counts = dict(COUNTS, **{"De Zonnebloem": (3, 20)})
    by_org = _by_org(counts)
    result = compare_organisation(by_org, _flanders(by_org), "De Zonnebloem", min_cell=5)
    assert result.display.loc[0, "De Zonnebloem"] == "–"
    assert bool(result.hidden.loc[0, "De Zonnebloem"])
    assert pd.isna(result.values.loc[0, "own"])


def test_flanders_hidden_when_subtracting_own_reveals_a_small_count():
    # Flanders minus De Zonnebloem leaves 3 trajectories at the others
    by_org = _by_org({"De Zonnebloem": (12, 20), "Het Anker": (1, 3)})
    result = compare_organisation(by_org, _flanders(by_org), "De Zonnebloem", min_cell=5)
    row = result.display.iloc[0]
    assert row["Vlaanderen"] == "–" and row["n Vlaanderen"] == "x"
    assert pd.isna(result.values.loc[0, "flanders"])
    assert any("Vlaanderen min de eigen organisatie" in note for note in result.notes)


def test_overview_shows_flanders_and_distribution_without_names():
    by_org = _by_org(COUNTS)
    result = compare_organisation(by_org, _flanders(by_org), None, min_cell=5)
    assert result.selection == "Alle organisaties"
    assert list(result.display.columns) == [
        "indicator",
        "step",
        "Vlaanderen",
        "n Vlaanderen",
        "Mediaan organisaties",
        "Spreiding organisaties",
        "Aantal organisaties",
    ]
    row = result.display.iloc[0]
    assert row["Spreiding organisaties"] == "25,0% – 80,0%"
    assert row["Mediaan organisaties"] == "50,0%"
    assert row["Aantal organisaties"] == "5"


@pytest.mark.parametrize(("k", "qualifying"), [(3, 5), (5, 4), (10, 4), (25, 3)])
def test_threshold_decides_which_organisations_count(k, qualifying):
    by_org = _by_org(COUNTS)
    result = compare_organisation(by_org, _flanders(by_org), "Het Anker", min_cell=k)
    assert result.ok
    assert int(result.values.loc[0, "n_others"]) == qualifying
    assert result.min_cell == k


def test_distribution_indicator_compares_means():
    by_org = pd.DataFrame(
        {
            "organisation": NAMES[:5],
            "indicator": ["network_meetings"] * 5,
            "n": [10, 12, 8, 20, 6],
            "mean": [4.0, 5.5, 3.0, 7.26, 6.0],
            "median": [4.0, 5.0, 3.0, 7.0, 6.0],
        }
    )
    flanders = pd.DataFrame(
        {"indicator": ["network_meetings"], "n": [56], "mean": [5.4], "median": [5.0]}
    )
    result = compare_organisation(by_org, flanders, "Het Anker", min_cell=5)
    row = result.display.iloc[0]
    assert row["Het Anker"] == "5,5"
    assert row["Vlaanderen"] == "5,4"
    assert row["Spreiding andere organisaties"] == "3,0 – 7,3"
    assert row["Mediaan andere organisaties"] == "5,0"


def test_mismatched_flanders_keys_are_refused():
    by_org = _by_org(COUNTS)
    flanders = _flanders(by_org).drop(columns=["step"])
    with pytest.raises(SofsInputError, match="same keys"):
        compare_organisation(by_org, flanders, "Oase", min_cell=5)


def test_row_level_input_is_refused():
    by_org = _by_org(COUNTS).assign(trajectory_id="x")
    with pytest.raises(SofsInputError, match="row-level"):
        compare_organisation(by_org, _flanders(_by_org(COUNTS)), "Oase", min_cell=5)


def test_small_not_taken_count_hides_own_share_unless_complement_is_off():
    counts = dict(COUNTS, **{"De Zonnebloem": (19, 20)})
    by_org = _by_org(counts)
    strict = compare_organisation(by_org, _flanders(by_org), "De Zonnebloem", min_cell=5)
    assert strict.display.loc[0, "De Zonnebloem"] == "–"
    relaxed = compare_organisation(
        by_org, _flanders(by_org), "De Zonnebloem", min_cell=5, complement=False
    )
    assert relaxed.display.loc[0, "De Zonnebloem"] == "95,0%"


def test_notes_are_empty_when_nothing_was_hidden():
    by_org = _by_org(COUNTS)
    result = compare_organisation(by_org, _flanders(by_org), "Oase", min_cell=5)
    assert result.notes == ()
    assert not result.hidden.to_numpy().any()


@pytest.mark.parametrize("selected", ["De Brug", None])
def test_values_are_missing_exactly_where_display_hides(selected):
    counts = dict(COUNTS, **{"De Brug": (2, 40)})
    by_org = _by_org(counts, steps=("mapping_family", "three_houses"))
    result = compare_organisation(by_org, _flanders(by_org), selected, min_cell=5)
    pairs = [("Vlaanderen", "flanders"), ("n Vlaanderen", "flanders_n")]
    if selected:
        pairs += [(selected, "own"), (f"n {selected}", "own_n")]
    for header, column in pairs:
        assert (result.hidden[header] == result.values[column].isna()).all()
    if selected:
        assert result.hidden[selected].all()


def test_flanders_mean_hidden_when_subtracting_own_leaves_few_trajectories():
    by_org = pd.DataFrame(
        {"organisation": ["De Brug", "Oase"], "indicator": ["m", "m"], "n": [30, 2],
         "mean": [4.0, 9.0], "median": [4.0, 9.0]}
    )  # fmt: skip
    flanders = pd.DataFrame({"indicator": ["m"], "n": [32], "mean": [4.3125], "median": [4.0]})
    result = compare_organisation(by_org, flanders, "De Brug", min_cell=5)
    assert result.display.loc[0, "Vlaanderen"] == "–"
    assert result.display.loc[0, "n Vlaanderen"] == "x"
    assert "Oase" not in _all_text(result) and "9,0" not in _all_text(result)


def test_organisation_without_rows_in_the_selection_says_there_are_none():
    by_org = _by_org(COUNTS)
    result = compare_organisation(by_org, _flanders(by_org), "Onbekend", min_cell=5)
    assert not result.ok and result.message == "Geen trajecten in deze selectie."


def test_overview_of_a_tiny_selection_shows_nothing():
    by_org = _by_org({"De Brug": (1, 2), "Oase": (0, 1)})
    result = compare_organisation(by_org, _flanders(by_org), None, min_cell=5)
    assert not result.ok and "minder dan 5" in result.message


def test_own_counts_above_flanders_are_refused():
    by_org = _by_org(COUNTS)
    flanders = _flanders(by_org).assign(numerator=1, denominator=5, share=0.2)
    with pytest.raises(SofsInputError, match="exceed"):
        compare_organisation(by_org, flanders, "De Brug", min_cell=5)


def test_a_share_hidden_in_its_own_view_never_becomes_the_range_of_the_others():
    counts = {
        "Noord": (3, 10),  # 30%, from 3 taken: hidden in its own view (the minimum)
        "Oost": (9, 10),  # 90%, 1 not taken: hidden in its own view (the maximum)
        "Zuid": (10, 20),
        "West": (12, 20),
        "Midden": (14, 20),
        "Kust": (15, 30),
    }
    by_org = _by_org(counts)
    result = compare_organisation(by_org, _flanders(by_org), "Kust", min_cell=5)
    # The median stays over all five qualifying others (unbiased): 60%.
    assert int(result.values.loc[0, "n_others"]) == 5
    assert result.values.loc[0, "median_others"] == pytest.approx(0.6)
    assert pd.isna(result.values.loc[0, "min_others"])
    assert pd.isna(result.values.loc[0, "max_others"])
    text = _all_text(result)
    assert "30,0%" not in text and "90,0%" not in text
    assert result.display.loc[0, "Spreiding andere organisaties"] == "verborgen – verborgen"
