"""read_raw_table: workbooks and Belgian CSVs, headers, blank rows, structural errors."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_csv, write_xlsx

from sofs_lib.errors import SofsInputError
from sofs_lib.readers import normalise_header, raw_table_from_frame, read_raw_table

REQUIRED = ["Organisatie", "Fiche ID", "Startdatum CB"]


def test_xlsx_keeps_date_cells_typed_and_numbers_numeric(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "e.xlsx",
        [REQUIRED, ["ORG1", 12, date(2022, 3, 12)], ["ORG2", "F2", datetime(2022, 3, 13, 9)]],
    )
    table = read_raw_table(path, required=REQUIRED)
    assert table.file_format == "xlsx"
    cells = table.frame["Startdatum CB"].tolist()
    assert cells[0] == date(2022, 3, 12) or cells[0] == datetime(2022, 3, 12)
    assert isinstance(cells[1], datetime)
    assert table.frame["Fiche ID"].iloc[0] == 12
    assert table.frame["source_row"].tolist() == [2, 3]


def test_source_row_is_the_excel_row_number_with_blank_rows_skipped(tmp_path: Path) -> None:
    rows = [
        ["", "", ""],
        REQUIRED,
        ["ORG1", "F1", "01/06/2022"],
        ["", "", ""],
        ["ORG1", "F2", "nee"],
    ]
    path = write_xlsx(tmp_path / "e.xlsx", rows)
    table = read_raw_table(path, required=REQUIRED)
    assert table.header_row == 2
    assert table.frame["source_row"].tolist() == [3, 5]
    assert table.blank_rows_skipped == 1


def test_named_sheet_can_be_read(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "two.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Uitleg").write(0, 0, "niet dit blad")
    data = workbook.add_worksheet("Gegevens")
    for c, h in enumerate(REQUIRED):
        data.write(0, c, h)
    data.write_row(1, 0, ["ORG1", "F1", "01/06/2022"])
    workbook.close()
    table = read_raw_table(path, required=REQUIRED, sheet="gegevens")
    assert table.sheet == "Gegevens" and len(table.frame) == 1
    with pytest.raises(SofsInputError, match="no sheet called 'Elders'"):
        read_raw_table(path, required=REQUIRED, sheet="Elders")


@pytest.mark.parametrize(
    ("sep", "encoding"),
    [(";", "cp1252"), (";", "utf-8-sig"), (";", "utf-8"), (",", "utf-8"), ("\t", "utf-8-sig")],
)
def test_csv_encoding_and_separator_are_sniffed(tmp_path: Path, sep: str, encoding: str) -> None:
    rows = [[*REQUIRED, "Netwerk met aantal"], ["Organisatie één", "F1", "12/03/2022", "4,0"]]
    path = write_csv(tmp_path / "e.csv", rows, sep=sep, encoding=encoding)
    table = read_raw_table(path, required=REQUIRED)
    assert table.separator == sep
    assert table.frame["Organisatie"].iloc[0] == "Organisatie één"
    assert table.frame["Netwerk met aantal"].iloc[0] == "4,0"
    assert table.frame["source_row"].tolist() == [2]


def test_cp1252_text_with_decimal_comma_reads_with_semicolon(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(
        "Organisatie;Fiche ID;Startdatum CB\r\nCAW Oost-Vlaanderen – é;1,0;x\r\n".encode("cp1252")
    )
    table = read_raw_table(path, required=REQUIRED)
    assert table.encoding == "cp1252"
    assert table.frame["Organisatie"].iloc[0] == "CAW Oost-Vlaanderen – é"
    assert table.frame["Fiche ID"].iloc[0] == "1,0"


def test_utf16_unicode_text_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "e.txt"
    path.write_bytes(
        "Organisatie\tFiche ID\tStartdatum CB\r\nORG1\tF1\t12/03/2022\r\n".encode("utf-16")
    )
    table = read_raw_table(path, required=REQUIRED)
    assert table.separator == "\t" and table.frame["Fiche ID"].tolist() == ["F1"]


def test_quoted_csv_cells_keep_separators_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        'Organisatie;Fiche ID;Startdatum CB\n"ORG;1";F1;"12/03/2022\n15/03/2022"\nORG2;F2;x\n',
        encoding="utf-8",
    )
    table = read_raw_table(path, required=REQUIRED)
    assert table.frame["Organisatie"].tolist() == ["ORG;1", "ORG2"]
    assert table.frame["Startdatum CB"].iloc[0] == "12/03/2022\n15/03/2022"


def test_ragged_csv_rows_are_padded_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        "Organisatie;Fiche ID;Startdatum CB\nORG1;F1\nORG2;F2;x;;extra\n", encoding="utf-8"
    )
    table = read_raw_table(path, required=REQUIRED)
    assert table.frame["Fiche ID"].tolist() == ["F1", "F2"]
    assert table.frame["Startdatum CB"].tolist() == ["", "x"]


@pytest.mark.parametrize(
    "header",
    ["  organisatie ", "ORGANISATIE", "Organisatie\xa0", "fiche-id", "Fiche  id", "FICHE_ID"],
)
def test_headers_match_ignoring_case_spaces_and_dashes(header: str) -> None:
    wanted = {normalise_header("Organisatie"), normalise_header("Fiche ID")}
    assert normalise_header(header) in wanted


def test_aliases_map_onto_canonical_names(tmp_path: Path) -> None:
    rows = [["ORGANISATIE", "Fichenummer", " startdatum  cb "], ["ORG1", "F1", "x"]]
    path = write_csv(tmp_path / "e.csv", rows)
    table = read_raw_table(path, required=REQUIRED, aliases={"Fichenummer": "Fiche ID"})
    assert list(table.frame.columns) == [*REQUIRED, "source_row"]
    assert table.headers["Fiche ID"] == "Fichenummer"


def test_extra_columns_are_kept_under_their_own_name(tmp_path: Path) -> None:
    rows = [[*REQUIRED, "Opmerking"], ["ORG1", "F1", "x", "zie dossier"]]
    table = read_raw_table(write_csv(tmp_path / "e.csv", rows), required=REQUIRED)
    assert table.extra_columns == ["Opmerking"]
    assert table.frame["Opmerking"].iloc[0] == "zie dossier"


def test_two_columns_claiming_one_name_are_ambiguous(tmp_path: Path) -> None:
    rows = [[*REQUIRED, "fiche-id"], ["ORG1", "F1", "x", "F2"]]
    with pytest.raises(SofsInputError, match="ambiguous columns: 'Fiche ID'"):
        read_raw_table(write_csv(tmp_path / "e.csv", rows), required=REQUIRED)


def test_missing_required_columns_are_all_named(tmp_path: Path) -> None:
    rows = [["Organisatie", "Iets anders"], ["ORG1", "x"]]
    with pytest.raises(SofsInputError) as err:
        read_raw_table(write_csv(tmp_path / "e.csv", rows), required=REQUIRED)
    message = str(err.value)
    assert "'Fiche ID'" in message and "'Startdatum CB'" in message
    assert "'Organisatie'" not in message.split("missing")[1]


def test_first_row_of_data_is_reported_as_no_header(tmp_path: Path) -> None:
    rows = [["ORG1", "F1", "12/03/2022"], ["ORG2", "F2", "nee"]]
    with pytest.raises(SofsInputError, match="no header row") as err:
        read_raw_table(write_csv(tmp_path / "e.csv", rows), required=REQUIRED)
    assert "'Fiche ID'" in str(err.value)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b";;;\r\n;;\r\n", b"\xef\xbb\xbf"])
def test_empty_csv_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    with pytest.raises(SofsInputError, match="empty"):
        read_raw_table(path, required=REQUIRED)


def test_workbook_with_only_blank_cells_is_empty(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [["", ""]])
    with pytest.raises(SofsInputError, match="empty"):
        read_raw_table(path, required=REQUIRED)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("e.xlsx", b"%PDF-1.4\n" + b"\x00" * 100, "not a readable Excel workbook: it is a PDF"),
        ("e.xlsx", b"just some text\n", "not a readable Excel workbook"),
        ("e.csv", b"%PDF-1.4\n%\xe2\xe3", "not a text \\(CSV\\) export: it is a PDF"),
        ("e.csv", b"\x00\x01\x02binary\x00", "binary data"),
        ("e.docx", b"PK\x03\x04", "type '.docx' cannot be read"),
        ("e.pdf", b"%PDF-1.4", "type '.pdf' cannot be read"),
        ("e", b"Organisatie;Fiche ID", "no extension"),
    ],
)
def test_wrong_file_types_give_one_clear_message(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SofsInputError, match=expected):
        read_raw_table(path, required=REQUIRED)


def test_zip_or_word_file_renamed_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(SofsInputError, match="zip archive but not an Excel workbook"):
        read_raw_table(path, required=REQUIRED)


def test_csv_renamed_xlsx_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.xlsx", [REQUIRED, ["ORG1", "F1", "x"]])
    with pytest.raises(SofsInputError, match="not a readable Excel workbook"):
        read_raw_table(path, required=REQUIRED)


def test_missing_path_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SofsInputError, match="no file at"):
        read_raw_table(tmp_path / "nope.xlsx")
    with pytest.raises(SofsInputError, match="is a folder"):
        read_raw_table(tmp_path)


def test_frame_input_gets_excel_row_numbers_and_drops_blank_rows() -> None:
    frame = pd.DataFrame({"Organisatie": ["ORG1", "", "ORG2"], "Fiche ID": ["F1", " ", None]})
    table = raw_table_from_frame(frame, required=["Organisatie", "Fiche ID"])
    assert table.frame["source_row"].tolist() == [2, 4]
    assert table.blank_rows_skipped == 1


def test_title_row_above_the_header_is_skipped_not_counted(tmp_path: Path) -> None:
    rows = [["Dashboard SofS – export"], ["", "", ""], REQUIRED, ["ORG1", "F1", "x"]]
    table = read_raw_table(write_xlsx(tmp_path / "e.xlsx", rows), required=REQUIRED)
    assert table.header_row == 3 and table.preamble_rows_skipped == 1
    assert table.frame["source_row"].tolist() == [4]


def test_header_only_export_has_no_rows(tmp_path: Path) -> None:
    table = read_raw_table(write_csv(tmp_path / "e.csv", [REQUIRED]), required=REQUIRED)
    assert len(table.frame) == 0 and list(table.frame.columns) == [*REQUIRED, "source_row"]


def test_excel_sep_hint_line_sets_the_separator_and_is_not_a_row(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("sep=,\nOrganisatie,Fiche ID,Startdatum CB\nORG1,F1,x\n", encoding="utf-8")
    table = read_raw_table(path, required=REQUIRED)
    assert table.separator == "," and table.frame["source_row"].tolist() == [2]


def test_export_on_a_later_sheet_is_found_when_the_first_is_not_it(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "two.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Handleiding").write(0, 0, "Vul per traject één rij in")
    data = workbook.add_worksheet("Dashboard")
    data.write_row(0, 0, REQUIRED)
    data.write_row(1, 0, ["ORG1", "F1", "x"])
    workbook.close()
    table = read_raw_table(path, required=REQUIRED)
    assert table.sheet == "Dashboard" and table.frame["Fiche ID"].tolist() == ["F1"]


def test_workbook_without_the_export_on_any_sheet_reports_the_first_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [["Organisatie", "Iets"], ["ORG1", "x"]])
    with pytest.raises(SofsInputError, match="'Fiche ID', 'Startdatum CB'"):
        read_raw_table(path, required=REQUIRED)


def test_missing_column_message_suggests_a_misspelled_header(tmp_path: Path) -> None:
    rows = [["Organisatie", "Fishe ID", "Startdatum CB"], ["ORG1", "F1", "x"]]
    with pytest.raises(SofsInputError, match="Perhaps misspelled: 'Fishe ID' for 'Fiche ID'"):
        read_raw_table(write_csv(tmp_path / "e.csv", rows), required=REQUIRED)
