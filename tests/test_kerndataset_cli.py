"""``sofs kerndataset template|clean|schedule`` as a person uses them."""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sofs_lib import config
from sofs_lib.cli import main
from sofs_lib.kerndataset import instrument as ins
from sofs_lib.kerndataset.clean import clean_kerndataset

DASHBOARD = config.SYNTHETIC_DIR / "dashboard_export.xlsx"
KERN = config.SYNTHETIC_DIR / "kerndataset.xlsx"
SURVEY = config.SYNTHETIC_DIR / "kerndataset_enquete.csv"


def test_template_command_writes_a_workbook(tmp_path, capsys):
    out = tmp_path / "sub" / "k.xlsx"
    assert main(["kerndataset", "template", "--out", str(out)]) == 0
    assert "werkmap geschreven" in capsys.readouterr().out
    assert {"Afronding", "6 maanden", "12 maanden"} <= set(load_workbook(out).sheetnames)


def test_template_command_refuses_a_non_xlsx_name(tmp_path, capsys):
    assert main(["kerndataset", "template", "--out", str(tmp_path / "k.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_clean_and_schedule_commands_on_the_synthetic_set(tmp_path, capsys):
    out = tmp_path / "clean"
    status = main(
        ["kerndataset", "clean", str(KERN), "--survey", str(SURVEY), "--dashboard",
         str(DASHBOARD), "--export-date", "2023-10-05", "--out", str(out)]
    )  # fmt: skip
    assert status == 0
    report = json.loads((out / "kerndataset_quality_report.json").read_text())
    assert report["rows_clean"] + report["rows_quarantined"] + report["rows_merged"] + report[
        "rows_without_answers"
    ] == report["rows_in"]
    data = pd.read_csv(out / "kerndataset.csv")
    assert set(data["moment"]) == set(ins.MOMENTS)
    capsys.readouterr()
    organisation = sorted(data["organisation"].unique())[0]
    status = main(
        ["kerndataset", "schedule", str(KERN), "--dashboard", str(DASHBOARD), "--organisation",
         organisation, "--today", "2022-06-01", "--months", "3"]
    )  # fmt: skip
    assert status == 0
    printed = capsys.readouterr().out
    listed = [line.split()[2] for line in printed.splitlines()[1:] if line.strip()]
    consent = data[data["moment"].eq("closure") & data["organisation"].eq(organisation)]
    consent = consent.set_index("trajectory_id")["has_consent"]
    assert listed and all(bool(consent[f]) for f in listed)


def test_clean_command_on_a_file_that_is_not_a_workbook_exits_2(tmp_path, capsys):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    status = main(
        ["kerndataset", "clean", str(bad), "--dashboard", str(DASHBOARD), "--out", str(tmp_path / "o")]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "notes.xlsx" in err
    assert not (tmp_path / "o").exists()


CELL = st.one_of(
    st.sampled_from(["Akkoord", "akkoord ", "Akk.", "4", "zeker", "", "Ja", "nee", "?", "3"]),
    st.integers(-2, 9),
    st.text(alphabet="abcAKk. 0123", max_size=6),
)


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    st.lists(
        st.tuples(st.sampled_from(["F1", "F2", "F3", "F9", ""]), st.sampled_from(["A", "B", ""]),
                  CELL, CELL, CELL),  # fmt: skip
        min_size=1,
        max_size=25,
    )
)
def test_any_mix_of_rows_keeps_the_accounting(rows):
    dashboard = pd.DataFrame(
        {"organisation": ["A", "A", "A"], "trajectory_id": ["F1", "F2", "F3"],
         "status": ["closed"] * 3, "end_date": pd.to_datetime(["2022-01-01"] * 3)}
    )  # fmt: skip
    frame = pd.DataFrame(
        [{"Fiche ID": f, "Organisatie": o, "O1": a, "K2": b, "Aantal netwerkfiguren": c}
         for f, o, a, b, c in rows]  # fmt: skip
    ).astype(object)
    res = clean_kerndataset({"closure": frame}, dashboard=dashboard, export_date=pd.Timestamp("2023-10-05").date())
    r = res.report
    assert r["rows_clean"] + r["rows_quarantined"] + r["rows_merged"] + r["rows_without_answers"] == r["rows_in"]
    assert r["rows_in"] + r["blank_rows_skipped"] == len(rows)
    assert not res.data.duplicated(["organisation", "trajectory_id", "moment"]).any()
    assert set(res.data["trajectory_id"]) <= {"F1", "F2", "F3"}
