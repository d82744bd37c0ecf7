"""``sofs clean dashboard INPUT --out DIR`` on a workbook and a Belgian CSV."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import dashboard_row

from sofs_lib.cli import main

ROWS = [
    dashboard_row(**{"Fiche ID": "F1", "Mapping intern CB": date(2022, 7, 1), "Einddatum": "nee"}),
    dashboard_row(**{"Fiche ID": "F2", "Netwerkberaden": "12/03/2022", "Einddatum": "01/03/2023"}),
    dashboard_row(**{"Fiche ID": "F2", "Netwerkberaden": "12/03/2022", "Einddatum": "01/03/2023"}),
    dashboard_row(**{"Organisatie": "", "Fiche ID": "F9"}),
]


@pytest.mark.parametrize(
    ("name", "options"),
    [("export.xlsx", {}), ("export.csv", {"sep": ";", "encoding": "cp1252"})],
)
def test_clean_dashboard_command_writes_the_three_files(
    tmp_path: Path, export_file, capsys, name: str, options: dict
) -> None:
    rows = ROWS
    if name.endswith(".csv"):
        rows = [
            {k: (v.strftime("%d/%m/%Y") if hasattr(v, "year") else v) for k, v in r.items()}
            for r in ROWS
        ]
    source = export_file(rows, name, **options)
    out = tmp_path / "clean"
    status = main(
        ["clean", "dashboard", str(source), "--out", str(out), "--export-date", "2023-10-05"]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert "rows_in=4, rows_clean=2, rows_quarantined=1, duplicates_collapsed=1" in printed
    data = pd.read_csv(out / "dashboard.csv", dtype=str, keep_default_na=False)
    assert data["trajectory_id"].tolist() == ["F1", "F2"]
    assert data["mapping_internal_date"].tolist() == ["2022-07-01", ""]
    assert data["network_meeting_held"].tolist() == ["", "true"]
    assert data["status"].tolist() == ["open", "closed"]
    quarantine = pd.read_csv(out / "dashboard_quarantine.csv", dtype=str, keep_default_na=False)
    assert quarantine["source_row"].tolist() == ["5"]
    report = json.loads((out / "quality_report.json").read_text(encoding="utf-8"))
    assert report["export_date"] == "2023-10-05"
    assert report["format"] == ("xlsx" if name.endswith(".xlsx") else "csv")


def test_clean_command_on_a_non_export_prints_one_message_and_writes_nothing(
    tmp_path: Path, capsys
) -> None:
    source = tmp_path / "notes.docx"
    source.write_bytes(b"PK\x03\x04 not really")
    out = tmp_path / "clean"
    status = main(["clean", "dashboard", str(source), "--out", str(out)])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("sofs: ") and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_clean_command_names_missing_columns(tmp_path: Path, capsys) -> None:
    source = tmp_path / "export.csv"
    source.write_text("Organisatie;Fiche ID;Einddatum\nORG1;F1;nee\n", encoding="cp1252")
    status = main(["clean", "dashboard", str(source), "--out", str(tmp_path / "clean")])
    assert status == 2
    err = capsys.readouterr().err
    assert "'Startdatum CB'" in err and "'Plan B in werking'" in err
    assert not (tmp_path / "clean").exists()
