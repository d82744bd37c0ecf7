"""Downloads that carry their meaning: XLSX numbers and sheets, CSV caption, PNG resolution and
caption, file names; built from the contract types (``sofs_lib.dashboards.spec``)."""

from __future__ import annotations

import csv
import io
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image

from sofs_lib import downloads
from sofs_lib.dashboards.spec import (
    HIDDEN,
    HIDDEN_LEGEND,
    ROLE_COLOURS,
    ChartSpec,
    DownloadMeta,
    TableSpec,
)
from sofs_lib.errors import SofsInputError

FORMULA_ORG = "=HYPERLINK(\"http://x\";\"klik\")"


def _meta(**over) -> DownloadMeta:
    fields = dict(
        dashboard="modelgetrouwheid",
        dashboard_title="Modelgetrouwheid",
        panel="stappen",
        panel_title="Gezette stappen",
        selection="Organisatie Ö-Noord, afgesloten in 2031",
        n_text="n = 57 afgesloten trajecten",
        source="synthetische testgegevens",
        export_date=date(2032, 2, 29),
        organisation="Organisatie Ö-Noord",
    )
    fields.update(over)
    return DownloadMeta(**fields)


def _table(org: str = "Organisatie Ö-Noord") -> TableSpec:
    frame = pd.DataFrame(
        {
            "Stap": ["Woord- en beeldverhaal", "@Netwerk", "Plan B"],
            org: [0.284, np.nan, 0.9],
            "Vlaanderen": [0.31, 0.5, np.nan],
            "n": [1234.0, 3.0, 60.0],
        }
    )
    hidden = pd.DataFrame(
        {
            "Stap": [False, False, False],
            org: [False, True, False],
            "Vlaanderen": [False, False, False],
            "n": [False, True, False],
        }
    )
    return TableSpec(frame, hidden, {"Stap": "text", org: "pct", "Vlaanderen": "pct", "n": "int"})


def _bars() -> ChartSpec:
    rows = []
    for i, item in enumerate(["Woord- en beeldverhaal", "Netwerkberaad"]):
        for group, role in (("Uw organisatie", "own"), ("Vlaanderen", "flanders")):
            hidden = i == 1 and role == "own"
            rows.append(
                {"item": item, "group": group, "role": role,
                 "value": np.nan if hidden else 0.2 + 0.3 * i, "n": 40, "hidden": hidden}
            )
    return ChartSpec("bars", "Gezette stappen", pd.DataFrame(rows), alt="Aandeel per stap.")


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


# --- file names ------------------------------------------------------------------------------


def test_file_name_holds_dashboard_panel_selection_and_export_date():
    assert downloads.filename(_meta(), "xlsx") == (
        "modelgetrouwheid_stappen_organisatie-o-noord_afgesloten-2031_export-2032-02-29.xlsx"
    )


def test_file_name_is_ascii_and_inert_for_any_organisation_name():
    meta = _meta(organisation=FORMULA_ORG, selection=f"{FORMULA_ORG}, status \"open\"; rm -rf /")
    name = downloads.filename(meta, "csv")
    assert name.isascii() and name.endswith(".csv")
    assert not set(name) - set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


def test_file_name_without_organisation_or_export_date():
    meta = _meta(organisation=None, selection="Vlaanderen", export_date=None)
    assert downloads.filename(meta, "png") == "modelgetrouwheid_stappen_vlaanderen.png"


def test_file_name_refuses_an_unknown_format():
    with pytest.raises(SofsInputError):
        downloads.filename(_meta(), "exe")


def test_a_very_long_selection_keeps_the_export_date_in_the_name():
    meta = _meta(selection=", ".join(f"filter nummer {i}" for i in range(40)))
    name = downloads.filename(meta, "xlsx")
    assert len(name) < 200 and name.endswith("_export-2032-02-29.xlsx")


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_numbers_are_numbers_with_dutch_number_formats_and_hidden_cells_read_x():
    book = _book(downloads.xlsx_bytes(_table(), _meta()))
    sheet = book[downloads.TABLE_SHEET]
    assert [c.value for c in sheet[1]] == ["Stap", "Organisatie Ö-Noord", "Vlaanderen", "n"]
    share = sheet["B2"]
    assert share.data_type == "n" and share.value == pytest.approx(0.284)
    assert share.number_format == "0.0%"
    count = sheet["D2"]
    assert count.data_type == "n" and count.value == 1234 and count.number_format == "#,##0"
    assert sheet["B3"].value == HIDDEN and sheet["D3"].value == HIDDEN
    assert sheet["C4"].value == "–"  # no value, not hidden


def test_xlsx_has_autofilter_frozen_header_and_column_widths():
    sheet = _book(downloads.xlsx_bytes(_table(), _meta()))[downloads.TABLE_SHEET]
    assert sheet.auto_filter.ref == "A1:D4"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("Woord- en beeldverhaal")


def test_xlsx_describes_itself_on_a_second_sheet():
    book = _book(downloads.xlsx_bytes(_table(), _meta(), _bars()))
    assert book.sheetnames[:2] == [downloads.TABLE_SHEET, downloads.ABOUT_SHEET]
    about = {row[0].value: row[1].value for row in book[downloads.ABOUT_SHEET].iter_rows()}
    assert about["Dashboard"] == "Modelgetrouwheid"
    assert about["Onderdeel"] == "Gezette stappen"
    assert about["Selectie"] == "Organisatie Ö-Noord, afgesloten in 2031"
    assert about["Aantal"] == "n = 57 afgesloten trajecten"
    assert about["Bron"] == "synthetische testgegevens"
    assert about["Exportdatum"] == "29 februari 2032"
    assert about["Verborgen waarden"] == HIDDEN_LEGEND
    assert about["Wat de figuur toont"] == "Aandeel per stap."


def test_xlsx_figure_sheet_keeps_the_figure_numbers_and_hides_what_the_figure_hides():
    sheet = _book(downloads.xlsx_bytes(_table(), _meta(), _bars()))[downloads.CHART_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Onderdeel", "Groep", "Waarde", "n")
    assert rows[1][2] == pytest.approx(0.2) and sheet["C2"].number_format == "0.0%"
    hidden_row = [r for r in rows[1:] if r[0] == "Netwerkberaad" and r[1] == "Uw organisatie"][0]
    assert hidden_row[2] == HIDDEN


def test_xlsx_text_never_becomes_a_formula():
    book = _book(downloads.xlsx_bytes(_table(org=FORMULA_ORG), _meta(organisation=FORMULA_ORG)))
    sheet = book[downloads.TABLE_SHEET]
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
    assert sheet["B1"].value == "'" + FORMULA_ORG
    assert sheet["A3"].value == "'@Netwerk"
    about = book[downloads.ABOUT_SHEET]
    assert all(
        not str(c.value).startswith(("=", "+", "@"))
        for row in about.iter_rows()
        for c in row
        if c.value is not None
    )


def test_xlsx_is_the_same_bytes_for_the_same_input():
    assert downloads.xlsx_bytes(_table(), _meta()) == downloads.xlsx_bytes(_table(), _meta())


def test_xlsx_of_something_that_is_not_a_table_spec_says_so():
    with pytest.raises(SofsInputError, match="TableSpec"):
        downloads.xlsx_bytes(pd.DataFrame({"a": [1]}), _meta())  # type: ignore[arg-type]


# --- CSV -------------------------------------------------------------------------------------


def test_csv_is_belgian_excel_with_the_display_values_then_the_caption():
    data = downloads.csv_bytes(_table(), _meta())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    table_part, caption_part = text.split("\r\n\r\n", 1)
    lines = table_part.split("\r\n")
    assert lines[0] == "Stap;Organisatie Ö-Noord;Vlaanderen;n"
    assert lines[1] == "Woord- en beeldverhaal;28,4%;31,0%;1.234"
    assert lines[2] == "'@Netwerk;x;50,0%;x"
    assert "Selectie;Organisatie Ö-Noord, afgesloten in 2031" in caption_part
    assert "Bron;synthetische testgegevens" in caption_part
    assert "Exportdatum;29 februari 2032" in caption_part
    assert HIDDEN_LEGEND in caption_part


def test_csv_without_caption_is_the_table_alone():
    text = downloads.csv_bytes(_table(), _meta(), caption=False).decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str)
    assert len(frame) == 3 and "Bron" not in text


def test_csv_neutralises_a_formula_in_the_caption_too():
    text = downloads.csv_bytes(_table(), _meta(organisation=FORMULA_ORG)).decode("utf-8-sig")
    rows = {r[0]: r[1] for r in csv.reader(io.StringIO(text), delimiter=";") if len(r) == 2}
    assert rows["Organisatie"] == "'" + FORMULA_ORG


# --- PNG -------------------------------------------------------------------------------------


def test_png_is_print_resolution_with_the_caption_drawn_and_in_its_metadata():
    meta = _meta()
    figure = downloads.png_figure(_bars(), meta)
    drawn = " ".join(t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")))
    assert "Selectie: Organisatie Ö-Noord, afgesloten in 2031" in drawn
    assert "n = 57 afgesloten trajecten" in drawn
    assert "Bron: synthetische testgegevens" in drawn
    assert HIDDEN in drawn and "x = verborgen" in drawn
    image = Image.open(io.BytesIO(downloads.png_bytes(_bars(), meta)))
    assert image.info["dpi"][0] >= 199.5
    assert image.width >= 1600
    assert "Selectie: Organisatie Ö-Noord" in image.info["Description"]
    assert image.info["Comment"] == "Aandeel per stap."


def test_png_bars_use_the_role_colours():
    from matplotlib.colors import to_hex
    from matplotlib.patches import Rectangle

    figure = downloads.png_figure(_bars(), _meta())
    colours = {
        to_hex(p.get_facecolor())
        for p in figure.axes[0].patches
        if isinstance(p, Rectangle) and p.get_width() > 0
    }
    assert colours == {ROLE_COLOURS["own"], ROLE_COLOURS["flanders"]}


@pytest.mark.parametrize("kind", ["lines", "ranges"])
def test_png_of_lines_and_ranges_label_hidden_values_x(kind):
    if kind == "lines":
        data = pd.DataFrame(
            [
                {"x": str(2040 + k), "group": g, "role": r, "value": 0.3 + 0.1 * k, "n": 30,
                 "hidden": k == 1 and r == "own"}
                for k in range(3)
                for g, r in (("Uw organisatie", "own"), ("Vlaanderen", "flanders"))
            ]
        )
        chart = ChartSpec("lines", "Trend", data)
    else:
        data = pd.DataFrame(
            [
                {"group": "Uw organisatie", "role": "own", "n": 30, "mean": 8.2, "sd": 1.0,
                 "median": 7.5, "min": 1.0, "max": 15.0, "hidden": False},
                {"group": "Andere organisaties", "role": "others", "n": np.nan, "mean": np.nan,
                 "sd": np.nan, "median": np.nan, "min": np.nan, "max": np.nan, "hidden": True},
            ]
        )
        chart = ChartSpec("ranges", "Duurtijd", data, value_format="dec1", guideline=(4, 8))
    figure = downloads.png_figure(chart, _meta())
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert HIDDEN in texts
    assert Image.open(io.BytesIO(downloads.png_bytes(chart, _meta()))).info["dpi"][0] >= 199.5


def test_png_below_print_resolution_is_refused():
    with pytest.raises(SofsInputError, match="200 dpi"):
        downloads.png_bytes(_bars(), _meta(), dpi=100)


def test_render_dispatches_by_format_and_says_when_a_panel_has_no_figure():
    assert downloads.render("csv", _table(), None, _meta()).startswith(b"\xef\xbb\xbf")
    with pytest.raises(SofsInputError, match="geen figuur"):
        downloads.render("png", _table(), None, _meta())
