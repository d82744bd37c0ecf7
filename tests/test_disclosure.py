"""Disclosure control: primary and secondary suppression, the selection rule, downloads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sofs_lib.disclosure import (
    SECONDARY_LABEL,
    check_selection,
    protect,
    suppress_distribution,
    suppress_indicator,
    suppress_shares,
    suppress_table,
    too_few_message,
)
from sofs_lib.errors import SofsInputError


def _with_totals(cells: pd.DataFrame) -> pd.DataFrame:
    table = cells.assign(Totaal=cells.sum(axis=1))
    table.loc["Totaal"] = table.sum(axis=0)
    return table


def _groups(table: pd.DataFrame) -> list[tuple[list[tuple[str, str]], tuple[str, str]]]:
    """Every margin group of a table with a Totaal row and column, as (members, total)."""
    rows, cols = list(table.index), list(table.columns)
    groups = []
    for r in rows:
        groups.append(([(r, c) for c in cols if c != "Totaal"], (r, "Totaal")))
    for c in cols:
        groups.append(([(r, c) for r in rows if r != "Totaal"], ("Totaal", c)))
    return groups


def recoverable_by_subtraction(table: pd.DataFrame, hidden: pd.DataFrame) -> list[tuple]:
    """Hidden cells a reader gets as (visible total − visible cells) in one row/column."""
    found = []
    for members, total in _groups(table):
        cells = [*members, total]
        hidden_cells = [cell for cell in cells if hidden.loc[cell]]
        if len(hidden_cells) == 1:
            cell = hidden_cells[0]
            visible = sum(int(table.loc[m]) for m in members if not hidden.loc[m])
            derived = visible if cell == total else int(table.loc[total]) - visible
            if derived == int(table.loc[cell]):
                found.append(cell)
    return found


def determined_cells(table: pd.DataFrame, hidden: pd.DataFrame) -> list[tuple]:
    """Hidden cells fixed by the visible cells through any combination of the equations."""
    hidden_cells = [(r, c) for r in table.index for c in table.columns if hidden.loc[r, c]]
    if not hidden_cells:
        return []
    pos = {cell: i for i, cell in enumerate(hidden_cells)}
    rows = []
    for members, total in _groups(table):
        row = np.zeros(len(hidden_cells))
        for m in members:
            if m in pos:
                row[pos[m]] += 1
        if total in pos:
            row[pos[total]] -= 1
        rows.append(row)
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    fixed = []
    for cell, i in pos.items():
        unit = np.zeros(len(hidden_cells))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            fixed.append(cell)
    return fixed


# --- primary suppression ---------------------------------------------------------------


def test_counts_one_to_four_show_as_below_threshold_and_zero_is_shown():
    table = pd.DataFrame({"n": [0, 1, 2, 3, 4, 5, 12]}, index=list("abcdefg"))
    result = suppress_table(table, min_cell=5)
    assert result.display["n"].tolist() == ["0", "<5", "<5", "<5", "<5", "5", "12"]
    assert result.hidden["n"].tolist() == [False, True, True, True, True, False, False]
    assert result.values["n"].isna().tolist() == result.hidden["n"].tolist()


def test_share_hidden_when_numerator_suppressed():
    frame = pd.DataFrame(
        {"step": ["a", "b"], "numerator": [3, 20], "denominator": [40, 40], "share": [0.075, 0.5]}
    )
    result = suppress_shares(frame, min_cell=5)
    assert result.display.loc[0, "numerator"] == "<5"
    assert result.display.loc[0, "share"] == "–"
    assert result.display.loc[0, "denominator"] == "40"
    assert result.display.loc[1, "share"] == "50,0%"
    assert bool(result.hidden.loc[0, "share"]) and pd.isna(result.values.loc[0, "share"])


def test_share_hidden_when_denominator_below_threshold_even_with_zero_numerator():
    frame = pd.DataFrame({"step": ["a"], "numerator": [0], "denominator": [4], "share": [0.0]})
    result = suppress_shares(frame, min_cell=5)
    assert result.display.iloc[0].tolist() == ["a", "0", "<5", "–"]
    assert result.hidden.loc[0, "share"]


def test_share_with_zero_denominator_is_undefined_not_hidden():
    frame = pd.DataFrame({"step": ["a"], "numerator": [0], "denominator": [0]})
    result = suppress_shares(frame, min_cell=5)
    assert result.display.loc[0, "share"] == "–"
    assert not result.hidden.loc[0, "share"]


def test_small_not_taken_count_hides_numerator_and_share():
    # 48 of 50 taken reveals that 2 families did not get the step
    frame = pd.DataFrame({"step": ["a"], "numerator": [48], "denominator": [50]})
    result = suppress_shares(frame, min_cell=5)
    assert result.display.iloc[0].tolist() == ["a", SECONDARY_LABEL, "50", "–"]
    relaxed = suppress_shares(frame, min_cell=5, complement=False)
    assert relaxed.display.loc[0, "share"] == "96,0%"


# --- secondary suppression ---------------------------------------------------------------


def test_single_hidden_cell_in_row_gets_a_complement_shown_as_x():
    cells = pd.DataFrame({"open": [3, 10, 20], "closed": [12, 8, 30]}, index=["EM", "FM", "V"])
    result = suppress_table(_with_totals(cells), total_row="Totaal", total_col="Totaal", min_cell=5)
    assert result.display.loc["EM", "open"] == "<5"
    hidden = result.hidden
    assert hidden.loc["EM"].sum() >= 2 and hidden["open"].sum() >= 2
    secondary = hidden & (result.display != "<5")
    assert (result.display[secondary] == SECONDARY_LABEL).sum().sum() == secondary.sum().sum()


def test_no_hidden_cell_is_recoverable_from_a_visible_total():
    cells = pd.DataFrame(
        {"EM": [2, 15, 9, 30], "FM": [11, 1, 14, 22], "V": [20, 25, 0, 4]},
        index=["2021", "2022", "2023", "2024"],
    )
    table = _with_totals(cells)
    result = suppress_table(table, total_row="Totaal", total_col="Totaal", min_cell=5)
    assert recoverable_by_subtraction(table, result.hidden) == []
    assert determined_cells(table, result.hidden) == []
    for r, c in [("2021", "EM"), ("2022", "FM"), ("2024", "V")]:
        assert result.display.loc[r, c] == "<5"


def test_recovery_checker_finds_a_primary_only_pattern():
    cells = pd.DataFrame({"open": [3, 10], "closed": [12, 8]}, index=["EM", "FM"])
    table = _with_totals(cells)
    primary_only = (table >= 1) & (table < 5)
    assert recoverable_by_subtraction(table, primary_only) == [("EM", "open"), ("EM", "open")]


def test_cell_fixed_through_several_groups_gets_more_protection():
    # two hidden 2x2 blocks joined by one hidden cell: every row and column has two or
    # more hidden cells, yet rows 0-1 minus columns 0-1 give the joining cell (1, 2)
    cells = pd.DataFrame(np.full((4, 4), 10), index=list("abcd"), columns=list("ABCD"))
    table = _with_totals(cells)
    n_cols = table.shape[1]
    start = np.zeros(table.size, dtype=bool)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        start[r * n_cols + c] = True
    groups = []
    for r in range(5):
        groups.append((tuple(r * n_cols + c for c in range(4)), r * n_cols + 4))
    for c in range(5):
        groups.append((tuple(r * n_cols + c for r in range(4)), 4 * n_cols + c))
    as_frame = pd.DataFrame(start.reshape(5, 5), index=table.index, columns=table.columns)
    assert ("b", "C") in determined_cells(table, as_frame)
    hidden = protect(table.to_numpy().ravel(), start, groups)
    after = pd.DataFrame(hidden.reshape(5, 5), index=table.index, columns=table.columns)
    assert determined_cells(table, after) == []
    assert bool(hidden[start].all())


def test_total_rows_across_organisations_form_margin_groups():
    frame = pd.DataFrame(
        {
            "organisation": ["A", "B", "C", "Vlaanderen"],
            "numerator": [3, 10, 20, 33],
            "denominator": [20, 30, 40, 90],
        }
    )
    result = suppress_shares(frame, min_cell=5, total=("organisation", "Vlaanderen"))
    hidden_num = result.hidden["numerator"]
    assert hidden_num.iloc[0]
    assert hidden_num.sum() >= 2  # Vlaanderen − B − C no longer gives A's 3


def test_totals_that_do_not_add_up_are_refused():
    table = pd.DataFrame({"a": [3, 10], "Totaal": [14, 10]}, index=["x", "y"])
    with pytest.raises(SofsInputError, match="do not add up"):
        suppress_table(table, total_col="Totaal", min_cell=5)


# --- selection rule -----------------------------------------------------------------------


def test_selection_with_four_trajectories_shows_nothing_and_says_why():
    frame = pd.DataFrame({"step": ["a"], "numerator": [2], "denominator": [4]})
    result = suppress_shares(frame, min_cell=5, selection_n=4)
    assert not result.ok
    assert result.display.empty and result.values.empty
    assert result.message == (
        "Te weinig trajecten (minder dan 5) in deze selectie om cijfers te tonen."
    )


def test_empty_selection_says_there_are_no_trajectories():
    check = check_selection(0, 5)
    assert not check.ok and check.message == "Geen trajecten in deze selectie."
    assert check_selection(5, 5).ok


def test_count_table_selection_defaults_to_grand_total():
    cells = pd.DataFrame({"open": [1, 2], "closed": [0, 1]}, index=["EM", "V"])
    result = suppress_table(_with_totals(cells), total_row="Totaal", total_col="Totaal", min_cell=5)
    assert not result.ok and "minder dan 5" in result.message


# --- threshold ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "expected"),
    [(3, ["0", "<3", "<3", "3", "4", "9"]), (5, ["0", "<5", "<5", "<5", "<5", "9"]),
     (10, ["0", "<10", "<10", "<10", "<10", "<10"])],
)  # fmt: skip
def test_threshold_is_configurable(k, expected):
    table = pd.DataFrame({"n": [0, 1, 2, 3, 4, 9]})
    assert suppress_table(table, min_cell=k).display["n"].tolist() == expected
    assert too_few_message(k) == (
        f"Te weinig trajecten (minder dan {k}) in deze selectie om cijfers te tonen."
    )


def test_threshold_defaults_to_environment(monkeypatch):
    monkeypatch.setenv("SOFS_MIN_CELL", "3")
    table = pd.DataFrame({"n": [2, 4]})
    result = suppress_table(table)
    assert result.min_cell == 3 and result.display["n"].tolist() == ["<3", "4"]


def test_invalid_threshold_is_refused():
    with pytest.raises(SofsInputError, match="min_cell"):
        suppress_table(pd.DataFrame({"n": [1]}), min_cell=0)


# --- distributions, dispatch, downloads, input checks ------------------------------------------


def test_distribution_with_few_trajectories_hides_every_statistic():
    frame = pd.DataFrame(
        {
            "organisation": ["A", "B"],
            "n": [4, 12],
            "mean": [3.25, 5.5],
            "median": [3.0, 5.0],
            "min": [1.0, 0.0],
            "max": [6.0, 19.0],
        }
    )
    result = suppress_indicator(frame, min_cell=5)
    assert result.display.iloc[0].tolist() == ["A", "<5", "–", "–", "–", "–"]
    assert result.display.iloc[1].tolist() == ["B", "12", "5,5", "5,0", "0,0", "19,0"]
    assert result.values.iloc[0, 1:].isna().all()


def test_downloads_carry_the_suppressed_values(tmp_path):
    frame = pd.DataFrame({"step": ["a", "b"], "numerator": [3, 20], "denominator": [40, 40]})
    result = suppress_shares(frame, min_cell=5)
    csv = pd.read_csv(result.write(tmp_path / "t.csv"), sep=";", dtype=str, encoding="utf-8-sig")
    assert csv["numerator"].tolist() == ["<5", "20"]
    xlsx = pd.read_excel(result.write(tmp_path / "t.xlsx"), dtype=str, engine="calamine")
    assert xlsx["share"].tolist() == ["–", "50,0%"]
    refused = suppress_shares(frame, min_cell=5, selection_n=2)
    text = (refused.write(tmp_path / "r.csv")).read_text(encoding="utf-8-sig")
    assert "Te weinig trajecten" in text and "3" not in text


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"trajectory_id": ["1"], "numerator": [1], "denominator": [1]}),
        pd.DataFrame({"end_date": pd.to_datetime(["2023-01-01"]), "numerator": [1],
                      "denominator": [1]}),
        pd.DataFrame({"organisation": ["A", "A"], "numerator": [1, 0], "denominator": [1, 1]}),
        pd.DataFrame({"organisation": ["A"], "numerator": [1.5], "denominator": [3]}),
    ],
    ids=["trajectory-ids", "dates", "repeated-keys", "fractional-count"],
)  # fmt: skip
def test_row_level_or_non_count_input_is_refused(frame):
    with pytest.raises(SofsInputError):
        suppress_shares(frame, min_cell=5)


def test_same_input_gives_same_output():
    cells = pd.DataFrame({"a": [2, 9, 14], "b": [7, 3, 11], "c": [8, 6, 1]}, index=list("xyz"))
    table = _with_totals(cells)
    first = suppress_table(table, total_row="Totaal", total_col="Totaal", min_cell=5)
    second = suppress_table(table, total_row="Totaal", total_col="Totaal", min_cell=5)
    pd.testing.assert_frame_equal(first.display, second.display)


# --- property ------------------------------------------------------------------------------------

small_counts = st.integers(0, 40).map(lambda v: v if v > 8 else v % 6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    n_rows=st.integers(1, 4),
    n_cols=st.integers(2, 4),
    k=st.sampled_from([3, 5, 10]),
)
def test_property_no_hidden_cell_equals_total_minus_visible(data, n_rows, n_cols, k):
    values = data.draw(st.lists(small_counts, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    cells = pd.DataFrame(
        np.array(values).reshape(n_rows, n_cols),
        index=[f"r{i}" for i in range(n_rows)],
        columns=[f"c{j}" for j in range(n_cols)],
    )
    table = _with_totals(cells)
    result = suppress_table(table, total_row="Totaal", total_col="Totaal", min_cell=k)
    if not result.ok:
        assert int(table.loc["Totaal", "Totaal"]) < k
        return
    hidden = result.hidden
    small = (table >= 1) & (table < k)
    assert bool((hidden | ~small).all().all())
    for members, total in _groups(table):
        cells_in_group = [*members, total]
        hidden_cells = [c for c in cells_in_group if hidden.loc[c]]
        if len(hidden_cells) == 1:
            visible = sum(int(table.loc[m]) for m in members if not hidden.loc[m])
            cell = hidden_cells[0]
            derived = visible if cell == total else int(table.loc[total]) - visible
            assert derived != int(table.loc[cell])
    assert determined_cells(table, hidden) == []
    assert (result.values.isna() == hidden).all().all()


def test_categories_summing_to_a_denominator_protect_the_small_category():
    table = pd.DataFrame(
        {"EM": [2, 6], "FM": [10, 7], "V": [12, 9], "n": [24, 22]}, index=["A", "B"]
    )
    result = suppress_table(table, total_col="n", min_cell=5)
    assert result.display.loc["A"].tolist() == ["<5", SECONDARY_LABEL, "12", "24"]
    assert result.display.loc["B"].tolist() == ["6", "7", "9", "22"]


def test_distribution_share_columns_are_percentages():
    frame = pd.DataFrame({"indicator": ["m"], "n": [30], "mean": [5.0], "share_6_plus": [0.329]})
    result = suppress_distribution(frame, min_cell=5)
    assert result.display.iloc[0].tolist() == ["m", "30", "5,0", "32,9%"]


def _fixed_unknowns(equations: list[dict[str, float]], unknowns: list[str]) -> set[str]:
    """Unknowns whose value a reader gets from linear equations over the known cells."""
    if not unknowns:
        return set()
    pos = {u: i for i, u in enumerate(unknowns)}
    rows = [[eq.get(u, 0.0) for u in unknowns] for eq in equations]
    a = np.array([r for r in rows if any(r)] or [[0.0] * len(unknowns)])
    rank = np.linalg.matrix_rank(a)
    fixed = set()
    for u, i in pos.items():
        unit = np.zeros(len(unknowns))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            fixed.add(u)
    return fixed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pairs=st.lists(
        st.tuples(small_counts, small_counts).map(lambda p: (min(p), max(p))),
        min_size=2,
        max_size=6,
    ),
    k=st.sampled_from([3, 5, 10]),
)
def test_property_share_table_with_total_row_reveals_no_hidden_count(pairs, k):
    orgs = [f"org{i}" for i in range(len(pairs))]
    num = [p[0] for p in pairs] + [sum(p[0] for p in pairs)]
    den = [p[1] for p in pairs] + [sum(p[1] for p in pairs)]
    frame = pd.DataFrame({"organisation": [*orgs, "Vlaanderen"], "numerator": num,
                          "denominator": den})  # fmt: skip
    result = suppress_shares(frame, min_cell=k, total=("organisation", "Vlaanderen"))
    hide_num = result.hidden["numerator"].tolist()
    hide_den = result.hidden["denominator"].tolist()
    rows = range(len(frame))
    # what a reader does not know: hidden counts, and "not taken" unless both are shown
    unknown = {f"num{i}" for i in rows if hide_num[i]} | {f"den{i}" for i in rows if hide_den[i]}
    unknown |= {f"comp{i}" for i in rows if hide_num[i] or hide_den[i]}
    total = len(frame) - 1
    equations = [{f"num{i}": 1.0, f"comp{i}": 1.0, f"den{i}": -1.0} for i in rows]
    for part in ("num", "den", "comp"):
        eq = {f"{part}{i}": 1.0 for i in range(total)}
        eq[f"{part}{total}"] = -1.0
        equations.append(eq)
    equations = [{u: c for u, c in eq.items() if u in unknown} for eq in equations]
    fixed = _fixed_unknowns(equations, sorted(unknown))
    assert fixed == set()
    # every small count is hidden, and so is every small "not taken" behind a shown share
    for i in rows:
        assert hide_num[i] or not (1 <= num[i] < k)
        assert hide_den[i] or not (1 <= den[i] < k)
        if not (hide_num[i] or hide_den[i]):
            assert not (1 <= den[i] - num[i] < k)
            assert result.display.loc[i, "share"] != "–" or den[i] == 0


def test_figure_frame_flags_rows_with_a_hidden_value():
    frame = pd.DataFrame({"case_type": ["EM", None], "numerator": [3, 20], "denominator": [40, 40]})
    result = suppress_shares(frame, min_cell=5)
    figure = result.figure_frame()
    assert figure["suppressed"].tolist() == [True, False]
    assert pd.isna(figure.loc[0, "share"]) and figure.loc[1, "share"] == pytest.approx(0.5)
    assert result.display["case_type"].tolist() == ["EM", "–"]


def test_categories_that_split_one_denominator_protect_each_other():
    # Plan B at the start: netwerk 5, verblijf 2, niet ingevuld 5 of 12 open trajectories.
    # Hiding only "verblijf" would leave it recoverable as 12 - 5 - 5.
    frame = pd.DataFrame(
        {
            "indicator": ["plan_b_at_start"] * 3,
            "plan_b": ["network", "residential", "none"],
            "numerator": [5, 2, 5],
            "denominator": [12, 12, 12],
        }
    )
    frame["share"] = frame["numerator"] / frame["denominator"]
    result = suppress_shares(frame, complement=False, min_cell=5)
    hidden = result.hidden["numerator"].tolist()
    assert hidden[1]
    assert sum(hidden) >= 2, "a second category must be hidden with the small one"


def test_steps_with_their_own_denominators_are_not_treated_as_a_partition():
    frame = pd.DataFrame(
        {
            "step": ["a", "b"],
            "numerator": [9, 12],
            "denominator": [10, 20],
        }
    )
    frame["share"] = frame["numerator"] / frame["denominator"]
    result = suppress_shares(frame, complement=False, min_cell=5)
    assert not result.hidden["share"].any()
