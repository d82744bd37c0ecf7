"""Value parsers: every typed form of the contract, and the kind each cell gets."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from sofs_lib.values import (
    KINDS,
    cell_text,
    normalise_id,
    parse_counts,
    parse_date_lists,
    parse_dates,
    parse_words,
)

EXPORT = date(2023, 10, 5)


def one_date(cell: object, export_date: date = EXPORT) -> tuple[object, str]:
    parsed = parse_dates(pd.Series([cell], dtype=object), export_date=export_date)
    return parsed.values.iloc[0], str(parsed.kind.iloc[0])


@pytest.mark.parametrize(
    "cell",
    [
        date(2022, 3, 12),
        datetime(2022, 3, 12, 14, 30),
        pd.Timestamp("2022-03-12"),
        44632,
        44632.0,
        44632.6,
        "44632",
        "44632.0",
        "44632,0",
        "12/03/2022",
        "12-3-2022",
        "12.03.22",
        "12/3/22",
        "2022-03-12",
        "2022/03/12",
        "12/03/2022 00:00:00",
        "12/03/2022 14:30",
        "2022-03-12 00:00:00",
        "2022-03-12T14:30:00",
        " 12/03/2022 ",
        "12 maart 2022",
        "12-mrt-2022",
    ],
)
def test_every_date_form_parses_day_first_to_the_same_day(cell: object) -> None:
    value, kind = one_date(cell)
    assert kind == "date"
    assert value == pd.Timestamp("2022-03-12")


def test_text_dates_are_day_first_not_month_first() -> None:
    value, kind = one_date("03/12/2022")
    assert (kind, value) == ("date", pd.Timestamp("2022-12-03"))


@pytest.mark.parametrize("cell", ["nee", "Nee", "NEE", "neen", "NEEN", " nee "])
def test_nee_in_every_spelling_is_no(cell: str) -> None:
    value, kind = one_date(cell)
    assert kind == "no" and pd.isna(value)


@pytest.mark.parametrize("cell", ["ja", "Ja", "x", "X", " x "])
def test_ja_and_x_mean_done_without_a_date(cell: str) -> None:
    value, kind = one_date(cell)
    assert kind == "yes" and pd.isna(value)


@pytest.mark.parametrize("cell", ["", "   ", None, np.nan, pd.NaT, "\xa0"])
def test_blank_cells_are_blank(cell: object) -> None:
    value, kind = one_date(cell)
    assert kind == "blank" and pd.isna(value)


@pytest.mark.parametrize("cell", ["misschien", "31/02/2022", "12/13/2022", "12/03", True, "?"])
def test_unreadable_or_impossible_dates_are_invalid(cell: object) -> None:
    value, kind = one_date(cell)
    assert kind == "invalid" and pd.isna(value)


@pytest.mark.parametrize("cell", ["31/12/2014", "01/01/2010", date(2014, 6, 1), "06/10/2023"])
def test_dates_before_2015_or_after_the_export_date_are_implausible(cell: object) -> None:
    value, kind = one_date(cell)
    assert kind == "implausible" and pd.isna(value)


def test_plausibility_window_includes_its_bounds() -> None:
    assert one_date("01/01/2015")[1] == "date"
    assert one_date("05/10/2023")[1] == "date"


def test_export_date_none_means_today() -> None:
    future = date.today().replace(year=date.today().year + 1)
    assert parse_dates(pd.Series([future], dtype=object)).kind.iloc[0] == "implausible"
    assert parse_dates(pd.Series(["01/06/2022"])).kind.iloc[0] == "date"


def test_parsed_keeps_index_and_counts_kinds_in_fixed_order() -> None:
    cells = pd.Series(["nee", "12/03/2022", "", "x", "foo"], index=[10, 11, 12, 13, 14])
    parsed = parse_dates(cells, export_date=EXPORT)
    assert list(parsed.values.index) == [10, 11, 12, 13, 14]
    assert parsed.values.dtype == "datetime64[ns]"
    assert parsed.counts() == {"blank": 1, "date": 1, "no": 1, "yes": 1, "invalid": 1}
    assert list(parsed.kind.cat.categories) == list(KINDS)


def test_str_dtype_column_parses_like_object_column() -> None:
    cells = ["12/03/2022", "nee", "", "44632"]
    as_str = parse_dates(pd.Series(cells, dtype="str"), export_date=EXPORT)
    as_obj = parse_dates(pd.Series(cells, dtype=object), export_date=EXPORT)
    pd.testing.assert_series_equal(as_str.values, as_obj.values)
    assert as_str.kind.tolist() == as_obj.kind.tolist()


@pytest.mark.parametrize("cell", ["4", " 4 ", "4.0", "4,0", "4,00", 4, 4.0, "+4"])
def test_every_count_form_is_four(cell: object) -> None:
    parsed = parse_counts(pd.Series([cell], dtype=object))
    assert parsed.kind.iloc[0] == "count"
    assert parsed.values.iloc[0] == 4
    assert parsed.values.dtype == "Int64"


@pytest.mark.parametrize("cell", ["4,5", "-1", -1, 2.5, "vier", "12/03/2022", "4 personen"])
def test_fractions_negatives_and_text_are_not_counts(cell: object) -> None:
    parsed = parse_counts(pd.Series([cell], dtype=object))
    assert parsed.kind.iloc[0] == "invalid"
    assert pd.isna(parsed.values.iloc[0])


def test_count_above_maximum_is_implausible() -> None:
    parsed = parse_counts(pd.Series(["7", "700"]), maximum=500)
    assert parsed.kind.tolist() == ["count", "implausible"]
    assert parsed.values.tolist()[0] == 7 and pd.isna(parsed.values.iloc[1])


def test_zero_is_a_count_and_blank_is_blank() -> None:
    parsed = parse_counts(pd.Series(["0", "", None], dtype=object))
    assert parsed.kind.tolist() == ["count", "blank", "blank"]
    assert parsed.values.iloc[0] == 0


def test_several_dates_in_one_cell_give_the_earliest() -> None:
    cells = pd.Series(["15/04/2022; 12/03/2022", "12/03/2022 en 15/04/2022", "12-3-22\n1-4-22"])
    parsed = parse_date_lists(cells, export_date=EXPORT)
    assert parsed.kind.tolist() == ["date", "date", "date"]
    assert (parsed.values == pd.Timestamp("2022-03-12")).all()


def test_date_list_without_any_plausible_date_is_implausible_or_invalid() -> None:
    cells = pd.Series(["01/01/2010, 01/02/2010", "geen idee", ""])
    parsed = parse_date_lists(cells, export_date=EXPORT)
    assert parsed.kind.tolist() == ["implausible", "invalid", "invalid"]
    assert parsed.values.isna().all()


def test_words_map_through_vocabulary_case_and_space_insensitive() -> None:
    cells = pd.Series(["EM", " emotioneel   misbruik ", "GEEN", "foo", "", "nee"], dtype=object)
    parsed = parse_words(cells, {"em": "EM", "emotioneel misbruik": "EM", "geen": "none"})
    assert parsed.values.tolist()[:3] == ["EM", "EM", "none"]
    assert parsed.values.iloc[3:].isna().all()
    assert parsed.kind.tolist() == ["value", "value", "value", "invalid", "blank", "no"]


def test_ids_are_trimmed_and_whole_numbers_lose_point_zero() -> None:
    cells = pd.Series([12.0, " A12 ", "", None, "12", "x  y"], dtype=object)
    assert normalise_id(cells).tolist()[:2] == ["12", "A12"]
    ids = normalise_id(cells)
    assert ids.iloc[2:4].isna().all()
    assert ids.iloc[4] == "12" and ids.iloc[5] == "x y"


def test_cell_text_shows_cells_as_a_person_saw_them() -> None:
    cells = pd.Series([" a ", 4.0, 4.5, date(2022, 1, 2), datetime(2022, 1, 2, 10, 5), None])
    assert cell_text(cells.astype(object)).tolist() == [
        " a ",
        "4",
        "4.5",
        "2022-01-02",
        "2022-01-02 10:05:00",
        "",
    ]


def test_repeated_values_are_parsed_once_but_every_cell_gets_its_result() -> None:
    cells = pd.Series(["12/03/2022", "nee"] * 5000 + ["x"])
    parsed = parse_dates(cells, export_date=EXPORT)
    assert parsed.counts() == {"date": 5000, "no": 5000, "yes": 1}


def test_boolean_cell_does_not_change_how_a_count_of_one_reads() -> None:
    parsed = parse_counts(pd.Series([True, 1, False, 0], dtype=object))
    assert parsed.kind.tolist() == ["invalid", "count", "invalid", "count"]
    assert parsed.values.iloc[1] == 1 and parsed.values.iloc[3] == 0
    assert cell_text(pd.Series([True, 1], dtype=object)).tolist() == ["TRUE", "1"]
