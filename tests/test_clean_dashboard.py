"""clean_dashboard: one test per cleaning rule of the contract, plus the written files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import DASHBOARD_HEADER, dashboard_frame, dashboard_row, write_csv, write_xlsx

from sofs_lib.clean_dashboard import (
    DATA_FILE,
    QUARANTINE_FILE,
    REPORT_FILE,
    clean_dashboard,
    clean_dashboard_to_dir,
    write_clean,
)
from sofs_lib.errors import SofsInputError
from sofs_lib.schemas.dashboard import DASHBOARD_COLUMNS

EXPORT = date(2023, 10, 5)


def clean(*rows: dict) -> pd.DataFrame:
    return clean_dashboard(dashboard_frame(rows), export_date=EXPORT).data


def one(**cells: object) -> pd.Series:
    data = clean(dashboard_row(**cells))
    assert len(data) == 1
    return data.iloc[0]


# --------------------------------------------------------------------------- columns


def test_cleaned_frame_has_contract_and_extra_columns_in_order() -> None:
    data = clean(dashboard_row())
    assert tuple(data.columns) == DASHBOARD_COLUMNS
    for key in ("mapping_internal", "safety_plan_child"):
        assert {f"{key}_taken", f"{key}_date", f"{key}_cb", f"{key}_consulent"} <= set(data)
    assert data["source_row"].tolist() == [2]


# --------------------------------------------------------------------------- status


def test_end_date_makes_closed_and_blank_or_nee_open() -> None:
    data = clean(
        dashboard_row(**{"Fiche ID": "A", "Einddatum": "01/02/2023"}),
        dashboard_row(**{"Fiche ID": "B", "Einddatum": ""}),
        dashboard_row(**{"Fiche ID": "C", "Einddatum": "nee"}),
    )
    assert data["status"].tolist() == ["closed", "open", "open"]
    assert data["end_date"].iloc[0] == pd.Timestamp("2023-02-01")


def test_implausible_end_date_is_emptied_so_the_trajectory_is_open() -> None:
    row = one(**{"Einddatum": "01/02/2030"})
    assert pd.isna(row["end_date"]) and row["status"] == "open"


# --------------------------------------------------------------------------- case type


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("EM", "EM"),
        ("fm", "FM"),
        (" SM ", "SM"),
        ("V", "V"),
        ("IFG", "IFG"),
        ("Geen", "none"),
        ("emotioneel misbruik", "EM"),
        ("Fysiek misbruik", "FM"),
        ("seksueel misbruik", "SM"),
        ("Verwaarlozing", "V"),
        ("intrafamiliaal  geweld", "IFG"),
        ("geen", "none"),
    ],
)
def test_case_type_codes_and_dutch_words(typed: str, code: str) -> None:
    assert one(**{"Typering casus": typed})["case_type"] == code


def test_unknown_case_type_is_empty_and_counted_never_dropped() -> None:
    result = clean_dashboard(
        dashboard_frame([dashboard_row(**{"Typering casus": "armoede"})]), export_date=EXPORT
    )
    assert len(result.data) == 1 and pd.isna(result.data["case_type"].iloc[0])
    assert result.report["problems"]["unknown_case_types"] == 1


# --------------------------------------------------------------------------- steps


def test_step_with_a_date_in_either_column_is_taken_at_the_earliest_date() -> None:
    row = one(**{"Veiligheidsdoel CB": "12/03/2022", "Veiligheidsdoel consulent": "01/03/2022"})
    assert row["safety_goal_taken"] is True or row["safety_goal_taken"] == True  # noqa: E712
    assert row["safety_goal_date"] == pd.Timestamp("2022-03-01")
    assert bool(row["safety_goal_cb"]) and bool(row["safety_goal_consulent"])


@pytest.mark.parametrize("word", ["ja", "x", "X"])
def test_ja_or_x_means_taken_without_a_date(word: str) -> None:
    row = one(**{"W&P CB": word})
    assert bool(row["words_pictures_taken"]) and pd.isna(row["words_pictures_date"])
    assert bool(row["words_pictures_cb"]) and not bool(row["words_pictures_consulent"])


def test_nee_in_one_column_and_blank_in_the_other_is_not_taken() -> None:
    row = one(**{"3 huizen CB": "nee", "3 huizen consulent": ""})
    assert row["three_houses_taken"] == False  # noqa: E712
    assert not bool(row["three_houses_cb"]) and not bool(row["three_houses_consulent"])


def test_nee_and_a_date_is_taken_by_the_one_with_the_date() -> None:
    row = one(**{"Traject CB": "NEE", "Traject consulent": "2022-05-01"})
    assert bool(row["timeline_taken"])
    assert not bool(row["timeline_cb"]) and bool(row["timeline_consulent"])


def test_both_blank_leaves_taken_empty_and_the_person_flags_false() -> None:
    row = one()
    assert pd.isna(row["mapping_family_taken"])
    assert row["mapping_family_cb"] == False  # noqa: E712
    assert row["mapping_family_consulent"] == False  # noqa: E712


def test_step_dated_before_the_start_date_is_kept_and_counted() -> None:
    rows = [dashboard_row(**{"Startdatum CB": "01/06/2022", "Mapping intern CB": "01/03/2022"})]
    result = clean_dashboard(dashboard_frame(rows), export_date=EXPORT)
    assert result.data["mapping_internal_date"].iloc[0] == pd.Timestamp("2022-03-01")
    assert result.report["problems"]["steps_before_start"] == 1


def test_implausible_step_date_is_emptied_counted_and_treated_as_blank() -> None:
    rows = [dashboard_row(**{"Gevaarsboodschap CB": "01/01/2012", "Startdatum CB": "01/01/2099"})]
    result = clean_dashboard(dashboard_frame(rows), export_date=EXPORT)
    row = result.data.iloc[0]
    assert pd.isna(row["danger_statement_date"]) and pd.isna(row["danger_statement_taken"])
    assert pd.isna(row["start_date"])
    assert result.report["problems"]["implausible_dates"] == 2
    assert result.report["columns"]["danger_statement_cb"]["implausible"] == 1


def test_unreadable_step_cell_is_counted_as_invalid_date() -> None:
    rows = [dashboard_row(**{"Veiligheidsschaal CB": "binnenkort"})]
    result = clean_dashboard(dashboard_frame(rows), export_date=EXPORT)
    assert pd.isna(result.data["safety_scale_taken"].iloc[0])
    assert result.report["problems"]["invalid_dates"] == 1


def test_excel_serial_in_a_step_column_is_a_date() -> None:
    row = one(**{"Kindversie veiligheidsplan consulent": "44562"})
    assert row["safety_plan_child_date"] == pd.Timestamp("2022-01-01")


# --------------------------------------------------------------------------- network


@pytest.mark.parametrize(("typed", "count"), [("4", 4), (" 4 ", 4), ("4.0", 4), ("4,0", 4), (4, 4)])
def test_network_meetings_count_forms(typed: object, count: int) -> None:
    row = one(**{"Netwerkberaden": typed})
    assert row["network_meetings"] == count
    assert bool(row["network_meeting_held"]) and row["network_meetings_kind"] == "count"


def test_zero_meetings_is_not_held() -> None:
    row = one(**{"Netwerkberaden": "0"})
    assert row["network_meetings"] == 0 and row["network_meeting_held"] == False  # noqa: E712


def test_blank_meetings_leaves_held_empty() -> None:
    row = one(**{"Netwerkberaden": ""})
    assert pd.isna(row["network_meetings"]) and pd.isna(row["network_meeting_held"])
    assert row["network_meetings_kind"] == "blank"


@pytest.mark.parametrize(
    "typed",
    [
        "12/03/2022",
        "2022-03-12",
        "12/03/2022; 15/04/2022",
        "12/03/2022\n15/04/2022",
        date(2022, 3, 12),
        44632,
    ],
)
def test_date_or_dates_in_the_meetings_column_mark_meeting_held(typed: object) -> None:
    result = clean_dashboard(
        dashboard_frame([dashboard_row(**{"Netwerkberaden": typed})]), export_date=EXPORT
    )
    row = result.data.iloc[0]
    assert pd.isna(row["network_meetings"]) and bool(row["network_meeting_held"])
    assert row["network_meetings_kind"] == "date"
    assert result.report["problems"]["network_meetings_dates"] == 1


def test_text_in_meetings_column_is_invalid_with_held_unknown() -> None:
    result = clean_dashboard(
        dashboard_frame([dashboard_row(**{"Netwerkberaden": "veel"})]), export_date=EXPORT
    )
    row = result.data.iloc[0]
    assert row["network_meetings_kind"] == "invalid" and pd.isna(row["network_meeting_held"])
    assert result.report["problems"]["invalid_network_meetings"] == 1


def test_network_size_counts_and_invalid_text() -> None:
    data = clean(
        dashboard_row(**{"Fiche ID": "A", "Netwerk met aantal": "3,0"}),
        dashboard_row(**{"Fiche ID": "B", "Netwerk met aantal": "drie"}),
    )
    assert data["network_size"].iloc[0] == 3 and pd.isna(data["network_size"].iloc[1])


# --------------------------------------------------------------------------- plan B


@pytest.mark.parametrize(
    ("typed", "code"),
    [("netwerk", "network"), ("Netwerk", "network"), ("verblijf", "residential"), ("", None)],
)
def test_plan_b_kinds(typed: str, code: str | None) -> None:
    value = one(**{"Plan B": typed})["plan_b"]
    assert (pd.isna(value) and code is None) or value == code


def test_unknown_plan_b_word_is_empty_and_counted() -> None:
    result = clean_dashboard(
        dashboard_frame([dashboard_row(**{"Plan B": "oma"})]), export_date=EXPORT
    )
    assert pd.isna(result.data["plan_b"].iloc[0])
    assert result.report["problems"]["unknown_plan_b"] == 1


@pytest.mark.parametrize(
    ("typed", "active", "when"),
    [
        ("12/03/2022", True, pd.Timestamp("2022-03-12")),
        ("ja", True, None),
        ("nee", False, None),
        ("", None, None),
    ],
)
def test_plan_b_active_and_its_date(typed: str, active: bool | None, when) -> None:
    row = one(**{"Plan B in werking": typed})
    if active is None:
        assert pd.isna(row["plan_b_active"])
    else:
        assert bool(row["plan_b_active"]) is active
    assert (pd.isna(row["plan_b_active_date"]) and when is None) or row[
        "plan_b_active_date"
    ] == when


# --------------------------------------------------------------------------- identity


def test_rows_without_organisation_or_id_are_quarantined_with_original_values() -> None:
    rows = [
        dashboard_row(**{"Organisatie": "", "Netwerkberaden": "4,0"}),
        dashboard_row(**{"Fiche ID": "  "}),
        dashboard_row(**{"Organisatie": "", "Fiche ID": ""}),
        dashboard_row(**{"Fiche ID": "OK"}),
    ]
    result = clean_dashboard(dashboard_frame(rows), export_date=EXPORT)
    assert result.data["trajectory_id"].tolist() == ["OK"]
    q = result.quarantine
    assert q["source_row"].tolist() == [2, 3, 4]
    assert q["reason_code"].tolist() == [
        "missing_organisation",
        "missing_trajectory_id",
        "missing_organisation_and_trajectory_id",
    ]
    assert q["reason"].iloc[0] == "Organisatie ontbreekt"
    assert q["Netwerkberaden"].iloc[0] == "4,0"
    assert q["Fiche ID"].iloc[1] == "  "
    assert set(DASHBOARD_HEADER) <= set(q.columns)


def test_exact_duplicates_collapse_on_cleaned_values() -> None:
    a = dashboard_row(
        **{"Netwerkberaden": "4", "Mapping intern CB": "12/03/2022", "Plan B": "netwerk"}
    )
    b = dashboard_row(
        **{"Netwerkberaden": "4,0", "Mapping intern CB": "12-3-22", "Plan B": " Netwerk"}
    )
    result = clean_dashboard(dashboard_frame([a, b, a]), export_date=EXPORT)
    assert len(result.data) == 1 and result.data["source_row"].iloc[0] == 2
    assert result.report["duplicates_collapsed"] == 2
    assert result.report["rows_quarantined"] == 0


def test_rows_sharing_an_id_but_disagreeing_are_all_quarantined() -> None:
    a = dashboard_row(**{"Netwerkberaden": "4"})
    b = dashboard_row(**{"Netwerkberaden": "5"})
    other = dashboard_row(**{"Fiche ID": "F2"})
    result = clean_dashboard(dashboard_frame([a, other, b, a]), export_date=EXPORT)
    assert result.data["trajectory_id"].tolist() == ["F2"]
    q = result.quarantine
    assert q["source_row"].tolist() == [2, 4, 5]
    assert set(q["reason_code"]) == {"conflicting_duplicate"}
    assert "(rijen 2, 4, 5; verschil in: Netwerkberaden)" in q["reason"].iloc[0]
    assert result.report["duplicates_collapsed"] == 0


def test_unparsed_cells_compare_on_their_text_for_duplicates() -> None:
    a = dashboard_row(**{"Typering casus": "armoede"})
    b = dashboard_row(**{"Typering casus": "ARMOEDE "})
    c = dashboard_row(**{"Typering casus": "verslaving"})
    assert len(clean_dashboard(dashboard_frame([a, b]), export_date=EXPORT).data) == 1
    result = clean_dashboard(dashboard_frame([a, c]), export_date=EXPORT)
    assert len(result.quarantine) == 2


def test_same_id_in_two_organisations_is_two_trajectories() -> None:
    data = clean(dashboard_row(**{"Organisatie": "A"}), dashboard_row(**{"Organisatie": "B"}))
    assert data["organisation"].tolist() == ["A", "B"]


def test_numeric_id_and_its_text_are_the_same_trajectory() -> None:
    result = clean_dashboard(
        dashboard_frame(
            [dashboard_row(**{"Fiche ID": 12.0}), dashboard_row(**{"Fiche ID": " 12 "})]
        ),
        export_date=EXPORT,
    )
    assert result.data["trajectory_id"].tolist() == ["12"]
    assert result.report["duplicates_collapsed"] == 1


def test_output_is_sorted_by_organisation_then_trajectory_id() -> None:
    data = clean(
        dashboard_row(**{"Organisatie": "B", "Fiche ID": "1"}),
        dashboard_row(**{"Organisatie": "A", "Fiche ID": "2"}),
        dashboard_row(**{"Organisatie": "A", "Fiche ID": "1"}),
    )
    assert list(zip(data["organisation"], data["trajectory_id"], strict=True)) == [
        ("A", "1"),
        ("A", "2"),
        ("B", "1"),
    ]


def test_accounting_invariant_holds_and_blank_rows_are_not_counted() -> None:
    blank = dict.fromkeys(DASHBOARD_HEADER, "")
    rows = [dashboard_row(), dashboard_row(), blank, dashboard_row(**{"Organisatie": ""})]
    report = clean_dashboard(dashboard_frame(rows), export_date=EXPORT).report
    assert report["rows_in"] == 3 and report["blank_rows_skipped"] == 1
    assert report["rows_clean"] + report["rows_quarantined"] + report["duplicates_collapsed"] == 3


# --------------------------------------------------------------------------- files


def test_written_files_follow_the_contract(tmp_path: Path) -> None:
    rows = [
        dashboard_row(
            **{
                "Einddatum": "01/02/2023",
                "Mapping intern CB": "12/03/2022",
                "Netwerkberaden": "4,0",
                "Plan B in werking": "nee",
            }
        ),
        dashboard_row(**{"Organisatie": ""}),
    ]
    result = clean_dashboard(dashboard_frame(rows), export_date=EXPORT)
    paths = write_clean(result, tmp_path / "out")
    text = paths["data"].read_text(encoding="utf-8")
    header, line = text.splitlines()[:2]
    assert header.split(",") == list(DASHBOARD_COLUMNS)
    cells = dict(zip(header.split(","), line.split(","), strict=True))
    assert cells["end_date"] == "2023-02-01" and cells["status"] == "closed"
    assert (
        cells["mapping_internal_taken"] == "true" and cells["mapping_internal_date"] == "2022-03-12"
    )
    assert cells["mapping_family_taken"] == "" and cells["mapping_family_cb"] == "false"
    assert cells["network_meetings"] == "4" and cells["plan_b_active"] == "false"
    assert cells["consulent_start_date"] == ""
    quarantine = pd.read_csv(paths["quarantine"], dtype=str, keep_default_na=False)
    assert quarantine["source_row"].tolist() == ["3"]
    assert quarantine["reason"].tolist() == ["Organisatie ontbreekt"]
    report = json.loads(paths["report"].read_text(encoding="utf-8"))
    for key in ("rows_in", "rows_clean", "rows_quarantined", "duplicates_collapsed", "problems"):
        assert key in report
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [DATA_FILE, QUARANTINE_FILE, REPORT_FILE]
    )


def test_csv_export_in_cp1252_cleans_like_the_workbook(tmp_path: Path, export_file) -> None:
    rows = [
        dashboard_row(**{"Organisatie": "Org é", "Mapping intern CB": date(2022, 3, 12)}),
        dashboard_row(**{"Fiche ID": "F2", "Netwerkberaden": 3}),
    ]
    xlsx = clean_dashboard(export_file(rows, "e.xlsx"), export_date=EXPORT).data
    as_text = [
        {k: (v.strftime("%d/%m/%Y") if hasattr(v, "year") else v) for k, v in r.items()}
        for r in rows
    ]
    csv = clean_dashboard(export_file(as_text, "e.csv"), export_date=EXPORT).data
    pd.testing.assert_frame_equal(
        xlsx.drop(columns="source_row"), csv.drop(columns="source_row"), check_dtype=True
    )


def test_nothing_is_written_when_the_file_is_not_an_export(tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "e.csv", [["Organisatie", "Fiche ID"], ["A", "1"]])
    out = tmp_path / "out"
    with pytest.raises(SofsInputError, match="missing") as err:
        clean_dashboard_to_dir(bad, out, export_date=EXPORT)
    assert "'Startdatum CB'" in str(err.value) and "'Kindversie veiligheidsplan consulent'" in str(
        err.value
    )
    assert not out.exists()


def test_header_aliases_are_accepted(tmp_path: Path) -> None:
    header = [
        {
            "Fiche ID": "Fiche-ID",
            "3 huizen CB": "Drie huizen CB",
            "Organisatie": " ORGANISATIE ",
        }.get(h, h)
        for h in DASHBOARD_HEADER
    ]
    row = dashboard_row(**{"3 huizen CB": "ja"})
    path = write_csv(tmp_path / "e.csv", [header, [row[h] for h in DASHBOARD_HEADER]])
    data = clean_dashboard(path, export_date=EXPORT).data
    assert bool(data["three_houses_taken"].iloc[0])


def test_export_with_only_a_header_writes_empty_files(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "e.csv", [DASHBOARD_HEADER])
    result = clean_dashboard_to_dir(source, tmp_path / "out", export_date=EXPORT)
    assert result.report["rows_in"] == 0 and result.data.empty
    written = pd.read_csv(tmp_path / "out" / DATA_FILE, dtype=str)
    assert list(written.columns) == list(DASHBOARD_COLUMNS) and written.empty


def test_header_aliases_never_point_two_ways() -> None:
    from sofs_lib.clean_dashboard import ALIASES, HEADERS
    from sofs_lib.readers import normalise_header

    targets: dict[str, str] = {normalise_header(h): h for h in HEADERS}
    for alias, target in ALIASES.items():
        assert target in HEADERS, alias
        assert targets.setdefault(normalise_header(alias), target) == target, alias


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.pdf", b"%PDF-1.4", "cannot be read"),
        ("export.xlsx", b"%PDF-1.4 renamed", "not a readable Excel workbook"),
        ("export.csv", b"", "empty"),
        ("export.csv", b"ORG1;F1;12/03/2022\r\nORG2;F2;nee\r\n", "no header row"),
        ("export.csv", b"Organisatie;Fiche ID\r\nORG1;F1\r\n", "columns are missing"),
    ],
)
def test_structural_errors_stop_with_one_message_and_write_nothing(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "out"
    with pytest.raises(SofsInputError, match=message):
        clean_dashboard_to_dir(source, out, export_date=EXPORT)
    assert not out.exists()


def test_export_date_accepts_iso_text_and_refuses_nonsense() -> None:
    frame = dashboard_frame([dashboard_row(**{"Einddatum": "01/02/2023"})])
    assert clean_dashboard(frame, export_date="2023-01-31").data["status"].tolist() == ["open"]
    with pytest.raises(SofsInputError, match="export date"):
        clean_dashboard(frame, export_date="gisteren")


def test_same_meeting_date_typed_two_ways_is_an_exact_duplicate() -> None:
    a = dashboard_row(**{"Netwerkberaden": "12/03/2022"})
    b = dashboard_row(**{"Netwerkberaden": date(2022, 3, 12)})
    c = dashboard_row(**{"Netwerkberaden": "13/03/2022"})
    assert (
        clean_dashboard(dashboard_frame([a, b]), export_date=EXPORT).report["duplicates_collapsed"]
        == 1
    )
    assert len(clean_dashboard(dashboard_frame([a, c]), export_date=EXPORT).quarantine) == 2


def test_quarantine_keeps_export_columns_named_like_its_own_apart(tmp_path: Path) -> None:
    header = [*DASHBOARD_HEADER, "reason", "Opmerking", "Opmerking"]
    row = dashboard_row(**{"Organisatie": ""})
    cells = [row[h] for h in DASHBOARD_HEADER] + ["eigen reden", "een", "twee"]
    source = write_csv(tmp_path / "e.csv", [header, cells])
    q = clean_dashboard(source, export_date=EXPORT).quarantine
    assert q["reason"].tolist() == ["Organisatie ontbreekt"]
    assert q["export reason"].tolist() == ["eigen reden"]
    assert q["Opmerking"].tolist() == ["een"] and q["Opmerking (2)"].tolist() == ["twee"]


def test_extra_column_named_like_an_alias_does_not_block_the_contract_header(
    tmp_path: Path,
) -> None:
    header = ["Organisatiecode", "Startdatum", *DASHBOARD_HEADER]
    row = dashboard_row(**{"Organisatie": "Org X", "Startdatum CB": "02/02/2022"})
    source = write_csv(tmp_path / "e.csv", [header, ["X01", "01/01/2019", *row.values()]])
    result = clean_dashboard(source, export_date=EXPORT)
    assert result.data["organisation"].tolist() == ["Org X"]
    assert result.data["start_date"].tolist() == [pd.Timestamp("2022-02-02")]
    assert {"Organisatiecode", "Startdatum"} <= set(result.report["extra_columns"])


def test_two_aliases_of_one_column_without_the_contract_header_stay_ambiguous(
    tmp_path: Path,
) -> None:
    header = [h for h in DASHBOARD_HEADER if h != "Startdatum CB"]
    header += ["Startdatum", "Startdatum traject"]
    source = write_csv(tmp_path / "e.csv", [header])
    with pytest.raises(SofsInputError, match="ambiguous"):
        clean_dashboard(source, export_date=EXPORT)


def test_workbook_saved_under_another_excel_extension_is_read(tmp_path: Path) -> None:
    row = dashboard_row(**{"Fiche ID": "F7"})
    source = write_xlsx(tmp_path / "e.xlsx", [DASHBOARD_HEADER, list(row.values())])
    renamed = source.rename(tmp_path / "e.xls")
    assert clean_dashboard(renamed, export_date=EXPORT).data["trajectory_id"].tolist() == ["F7"]


def test_csv_named_like_a_workbook_is_called_a_text_file(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "e.xlsx", [DASHBOARD_HEADER])
    with pytest.raises(SofsInputError, match="is a text file"):
        clean_dashboard_to_dir(source, tmp_path / "out", export_date=EXPORT)
    assert not (tmp_path / "out").exists()


def test_empty_file_message_reads_as_a_sentence(tmp_path: Path) -> None:
    source = tmp_path / "e.csv"
    source.write_bytes(b"")
    with pytest.raises(SofsInputError, match="expected a dashboard export"):
        clean_dashboard(source, export_date=EXPORT)


@pytest.mark.parametrize("typed", ["31/12/9999", date(9999, 12, 31), 2958465, "12.03.3022"])
def test_far_future_end_date_is_implausible_not_a_crash(typed: object) -> None:
    result = clean_dashboard(
        dashboard_frame([dashboard_row(**{"Einddatum": typed, "Traject CB": typed})]),
        export_date=EXPORT,
    )
    row = result.data.iloc[0]
    assert pd.isna(row["end_date"]) and row["status"] == "open"
    assert pd.isna(row["timeline_date"])
    assert result.report["problems"]["implausible_dates"] == 2


def test_workbook_with_an_open_ended_9999_date_cell_cleans(tmp_path: Path) -> None:
    row = dashboard_row(**{"Einddatum": date(9999, 12, 31), "Netwerkberaden": date(9999, 12, 31)})
    source = write_xlsx(tmp_path / "e.xlsx", [DASHBOARD_HEADER, list(row.values())])
    data = clean_dashboard(source, export_date=EXPORT).data
    assert data["status"].tolist() == ["open"] and pd.isna(data["network_meeting_held"].iloc[0])
