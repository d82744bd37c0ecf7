"""`sofs audit FILE... [--out DIR]`: table, CSV and HTML; one plain message on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sofs_lib import calibration
from sofs_lib.audit import COLUMNS, audit_files
from sofs_lib.cli import main
from sofs_lib.errors import SofsInputError

ROOT = Path(__file__).resolve().parents[1]
EXCERPTS = ROOT / "tests" / "data" / "audit" / "seed_excerpts.txt"


def test_audit_writes_csv_and_html_with_the_required_columns(tmp_path, capsys):
    assert main(["audit", str(EXCERPTS), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "decision error" in printed and "statements checked" in printed
    table = pd.read_csv(tmp_path / "out" / "audit.csv", encoding="utf-8-sig", dtype=str)
    assert tuple(table.columns) == COLUMNS
    assert {"ok", "inconsistent", "decision error", "not checkable"} <= set(table["verdict"])
    page = (tmp_path / "out" / "audit.html").read_text("utf-8")
    assert "Wat nagekeken moet worden" in page and "beslissingsfout" in page


def test_audit_output_is_deterministic(tmp_path):
    for run in ("a", "b"):
        assert main(["audit", str(EXCERPTS), "--out", str(tmp_path / run)]) == 0
    for name in ("audit.csv", "audit.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"\x81\x8d\x8f\x90\x9d tekst", "encoding"),
    ],
)
def test_unreadable_file_ends_in_one_plain_message_and_exit_2(tmp_path, content, words):
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "sofs_lib", "audit", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr
    assert not (tmp_path / "out").exists()


def test_text_without_statements_ends_in_one_plain_message_and_exit_2(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("Hallo.\nGeen enkel cijfer in deze tekst.\n", "utf-8")
    assert main(["audit", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no statistical results" in err
    assert not (tmp_path / "out").exists()


def test_figure_table_is_audited_from_the_calibration_reference(tmp_path, monkeypatch):
    table = tmp_path / "report_figures.csv"
    table.write_text(
        "id,source,description_nl,description_en,value,unit,n,location,tolerance,note\n"
        "a_open,x,Open,Open,31.3,pct,368,r. 1,2,\n"
        "a_closed,x,Afgesloten,Closed,68.5,pct,368,r. 1,2,\n"
        "b_share,x,Aandeel,Share,12.7,pct,368,r. 2,2,\n"
        "c_share,x,Aandeel,Share,28.4,pct,236,r. 3,2,\n",
        "utf-8",
    )
    monkeypatch.setattr(calibration, "REFERENCE", table)
    found = audit_files([EXCERPTS], figure_table=True).findings
    rows = found[found["file"] == "report_figures.csv"]
    verdict = dict(zip(rows["reported"], rows["verdict"], strict=True))
    assert verdict["31.3 + 68.5 = 99,8"] == "inconsistent"
    assert verdict["12.7% van n = 368"] == "inconsistent"
    assert verdict["28.4% van n = 236"] == "ok"


def test_notebook_table_is_dutch_with_problems_first(tmp_path, monkeypatch):
    monkeypatch.setenv("SOFS_REPORT_TEXT", str(EXCERPTS))
    from sofs_lib.audit import audit_report

    result = audit_report(figure_table=False)
    table = result.problem_table
    assert list(table.columns)[:3] == ["bestand", "regel", "uitspraak zoals afgedrukt"]
    assert table["oordeel"].iloc[0] == "beslissingsfout"
    assert "klopt" not in set(table["oordeel"])
    assert "p herberekend uit de toetsingsgrootheid" in set(result.table["controle"])
    monkeypatch.setenv("SOFS_REPORT_TEXT", str(tmp_path / "missing.txt"))
    with pytest.raises(SofsInputError, match="SOFS_REPORT_TEXT"):
        audit_report()
