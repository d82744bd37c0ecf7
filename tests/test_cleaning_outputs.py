"""One output layer: no live formula in any written file, and a whole set of outputs or none."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import dashboard_frame, dashboard_row

from sofs_lib import cleaning
from sofs_lib.clean_binc import clean_binc_to_dir
from sofs_lib.clean_dashboard import clean_dashboard, write_clean
from sofs_lib.cli import main
from sofs_lib.downloads import table_csv_bytes, table_xlsx_bytes
from sofs_lib.errors import SofsInputError

ATTACKS = ["=cmd|' /C calc'!A0", "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1"]
HARMLESS = ["-5", "-2,5", "-3%", "-", "2023-10-05", "Organisatie A", "'t Ventiel", "a=b", ""]


@pytest.mark.parametrize("cell", ATTACKS)
def test_a_cell_that_would_be_a_formula_gets_a_leading_quote(cell):
    out = cleaning.neutralise(pd.Series([cell], dtype=object))
    assert out.iloc[0] == "'" + cell


@pytest.mark.parametrize("cell", HARMLESS)
def test_numbers_dates_and_plain_text_are_left_alone(cell):
    assert cleaning.neutralise(pd.Series([cell], dtype=object)).iloc[0] == cell


def test_numeric_columns_are_never_touched():
    values = pd.Series([-1, 2], dtype="Int64")
    assert cleaning.neutralise(values) is values


def _frame_with_formulas() -> pd.DataFrame:
    rows = [
        dashboard_row(**{"Organisatie": ATTACKS[0], "Fiche ID": "F1"}),
        dashboard_row(**{"Organisatie": "Org B", "Fiche ID": "+F2"}),
        dashboard_row(**{"Organisatie": "", "Fiche ID": "F3", "Plan B": "@SUM(1)"}),
    ]
    return dashboard_frame(rows)


def _all_cells(folder: Path) -> list[str]:
    cells: list[str] = []
    for path in folder.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        cells += [str(c) for c in frame.columns]
        cells += [str(v) for v in frame.to_numpy().ravel()]
    return cells


def test_cleaned_data_and_quarantine_carry_no_live_formula(tmp_path):
    result = clean_dashboard(_frame_with_formulas(), export_date="2023-10-05")
    write_clean(result, tmp_path)
    cells = _all_cells(tmp_path)
    assert "'" + ATTACKS[0] in cells  # kept, readable, but inert
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]


def test_cleaned_booleans_are_lowercase_and_dates_iso(tmp_path):
    result = clean_dashboard(
        dashboard_frame([dashboard_row(**{"W&P CB": "12/03/2022", "Einddatum": "01/06/2023"})]),
        export_date="2023-10-05",
    )
    write_clean(result, tmp_path)
    data = pd.read_csv(tmp_path / "dashboard.csv", dtype=str, keep_default_na=False)
    assert data.loc[0, "end_date"] == "2023-06-01"
    assert set(data["words_pictures_cb"]) <= {"true", "false", ""}


def test_downloads_write_formulas_as_inert_text():
    table = pd.DataFrame({"Organisatie": ATTACKS, "n": range(len(ATTACKS))})
    text = table_csv_bytes(table).decode("utf-8-sig")
    assert "\n=cmd" not in text and ";=cmd" not in text
    assert "'=cmd" in text
    book = openpyxl.load_workbook(io.BytesIO(table_xlsx_bytes(table)))
    sheet = book.active
    values = [sheet.cell(row=r, column=1) for r in range(2, len(ATTACKS) + 2)]
    assert all(cell.data_type == "s" for cell in values)
    assert all(str(cell.value).startswith("'") for cell in values)


def _write_set(folder: Path, tag: str) -> dict[str, Path]:
    return cleaning.write_outputs(folder, {"a.csv": f"a,{tag}\n", "b.json": f'"{tag}"\n'})


def test_the_atomic_writer_replaces_the_whole_set(tmp_path):
    _write_set(tmp_path, "old")
    _write_set(tmp_path, "new")
    assert (tmp_path / "a.csv").read_text() == "a,new\n"
    assert (tmp_path / "b.json").read_text() == '"new"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.json"]


def test_a_failing_write_leaves_the_previous_complete_set(tmp_path, monkeypatch):
    _write_set(tmp_path, "old")

    def disk_full(target: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    with pytest.raises(SofsInputError, match="No space left on device"):
        cleaning.write_outputs(tmp_path, {"a.csv": "a,new\n", "b.json": disk_full})
    assert (tmp_path / "a.csv").read_text() == "a,old\n"
    assert (tmp_path / "b.json").read_text() == '"old"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.json"]


def test_a_failing_move_rolls_back_the_files_already_moved(tmp_path, monkeypatch):
    _write_set(tmp_path, "old")
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 4:  # a.csv aside, a.csv in, b.json aside, b.json in: fails
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(cleaning.os, "replace", flaky)
    with pytest.raises(SofsInputError, match="previous outputs are unchanged"):
        _write_set(tmp_path, "new")
    monkeypatch.setattr(cleaning.os, "replace", real_replace)
    assert (tmp_path / "a.csv").read_text() == "a,old\n"
    assert (tmp_path / "b.json").read_text() == '"old"\n'


def test_a_folder_in_the_way_is_named_and_nothing_is_written(tmp_path):
    (tmp_path / "b.json").mkdir()
    with pytest.raises(SofsInputError, match="is a folder"):
        _write_set(tmp_path, "new")
    assert not (tmp_path / "a.csv").exists()


def test_sofs_clean_into_a_read_only_folder_exits_2_with_one_message(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "export.csv"
    dashboard_frame([dashboard_row()]).to_csv(raw, sep=";", index=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "dashboard.csv").write_text("previous\n")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(out))

    monkeypatch.setattr(cleaning.tempfile, "mkdtemp", read_only)
    code = main(["clean", "dashboard", str(raw), "--out", str(out), "--export-date", "2023-10-05"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("sofs: cannot write into") and "Read-only file system" in err
    assert "Traceback" not in err
    assert (out / "dashboard.csv").read_text() == "previous\n"


def test_both_cleaners_write_the_same_quarantine_layout_and_report_format(tmp_path):
    from sofs_lib import config

    clean_binc_to_dir(config.binc_export_path(config.SYNTHETIC_DIR), tmp_path / "binc")
    write_clean(clean_dashboard(_frame_with_formulas(), export_date="2023-10-05"), tmp_path / "d")
    binc_q = pd.read_csv(tmp_path / "binc" / "binc_quarantine.csv", dtype=str)
    dash_q = pd.read_csv(tmp_path / "d" / "dashboard_quarantine.csv", dtype=str)
    assert list(binc_q.columns[1:4]) == list(cleaning.QUARANTINE_FIXED)
    assert list(dash_q.columns[:3]) == list(cleaning.QUARANTINE_FIXED)
    assert not binc_q["reason"].str.fullmatch(r"[a-z_]+").any()  # Dutch text, not the code
    children = pd.read_csv(tmp_path / "binc" / "binc_children.csv", dtype=str)
    assert set(children["has_before"]) <= {"true", "false"}
    json.loads((tmp_path / "binc" / "binc_quality_report.json").read_text())
