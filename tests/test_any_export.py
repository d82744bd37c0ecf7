"""Any export, any period: later and cumulative generated exports, one export-date rule,
a calibration that never crashes, trends over every closing year, and sentences that
agree with their tables."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import GENERATED_EXPORTS, LATER_NAMES

from sofs_lib import calibration, config, figures, narrate
from sofs_lib import indicators as ind
from sofs_lib.cli import main
from sofs_lib.datasets import load_binc_result, load_dashboard_result
from sofs_lib.errors import SofsInputError
from sofs_lib.formatting import sort_dutch
from sofs_lib.synth import write_synthetic

LATER = date(2025, 10, 1)


@pytest.fixture(scope="module")
def later(generated_export) -> Path:
    """A later export with new organisation names (shared by the session; never written to)."""
    return generated_export("later")


@pytest.fixture(scope="module")
def cumulative(generated_export) -> Path:
    """A cumulative export over closing years 2021–2025 (shared by the session)."""
    return generated_export("cumulative")


def _as_real(folder: Path, tmp_path: Path) -> Path:
    """The exports without their manifest: what a researcher's real export looks like."""
    real = tmp_path / "real"
    real.mkdir()
    for path in folder.glob("*.xlsx"):
        shutil.copy(path, real / path.name)
    return real


def _dashboard(folder: Path) -> pd.DataFrame:
    return ind.add_derived(load_dashboard_result(config.dashboard_export_path(folder)).data)


# --------------------------------------------------------------------------- generator


def test_a_later_export_closes_in_later_years_with_the_given_organisations(later):
    df = _dashboard(later)
    closed = df[df["status"] == "closed"]
    assert sorted(closed["closing_year"].unique()) == [2023, 2024, 2025]
    assert df["end_date"].max() < pd.Timestamp(LATER)
    assert set(df["organisation"]) == set(LATER_NAMES)
    assert len(df) == GENERATED_EXPORTS["later"]["n_dashboard"]


def test_a_cumulative_export_holds_every_closing_year_once(cumulative):
    df = _dashboard(cumulative)
    closed = df[df["status"] == "closed"]
    assert sorted(closed["closing_year"].unique()) == [2021, 2022, 2023, 2024, 2025]
    assert len(df) == GENERATED_EXPORTS["cumulative"]["n_dashboard"]
    assert not df.duplicated(["organisation", "trajectory_id"]).any()


def test_binc_grows_with_n_and_moves_with_the_export_date(tmp_path):
    write_synthetic(tmp_path, seed=5, n_dashboard=740, export_date=LATER)
    binc = load_binc_result(config.binc_export_path(tmp_path))
    assert len(binc.children) == 2 * 368
    assert binc.modules["start_date"].max() < pd.Timestamp(LATER)
    assert binc.modules["start_date"].dt.year.max() == 2025


def test_generator_options_are_checked_with_one_message(tmp_path, capsys):
    assert main(["synth", "--out", str(tmp_path), "--start", "2026-01-01",
                 "--export-date", "2025-01-01"]) == 2  # fmt: skip
    assert "must lie before" in capsys.readouterr().err
    names = tmp_path / "names.txt"
    names.write_text("Een\nEen\n", encoding="utf-8")
    assert main(["synth", "--out", str(tmp_path / "x"), "--org-names", str(names)]) == 2
    assert "differ" in capsys.readouterr().err


# --------------------------------------------------------------------------- export date


def test_the_export_date_rule_is_argument_then_environment_then_manifest_then_today(
    later, tmp_path, monkeypatch
):
    dash = config.dashboard_export_path(later)
    monkeypatch.delenv("SOFS_EXPORT_DATE", raising=False)
    monkeypatch.delenv("SOFS_BINC_EXPORT_DATE", raising=False)
    assert config.resolve_export_date("dashboard", path=dash) == (LATER, "manifest")
    monkeypatch.setenv("SOFS_EXPORT_DATE", "2025-12-31")
    assert config.resolve_export_date("dashboard", path=dash) == (date(2025, 12, 31), "environment")
    assert config.resolve_export_date("dashboard", "2025-11-01", dash)[1] == "argument"
    # the Binc date has its own variable
    binc = config.binc_export_path(later)
    assert config.resolve_export_date("binc", path=binc)[1] == "manifest"
    monkeypatch.setenv("SOFS_BINC_EXPORT_DATE", "2025-06-01")
    assert config.export_date("binc", path=binc) == date(2025, 6, 1)
    monkeypatch.delenv("SOFS_EXPORT_DATE")
    real = _as_real(later, tmp_path)
    assert config.resolve_export_date("dashboard", path=config.dashboard_export_path(real)) == (
        date.today(),
        "today",
    )


def test_an_export_date_that_is_not_a_date_is_named(monkeypatch):
    monkeypatch.setenv("SOFS_EXPORT_DATE", "1/10/2025")
    with pytest.raises(SofsInputError, match="SOFS_EXPORT_DATE is not a date"):
        config.export_date("dashboard")


# --------------------------------------------------------------------------- calibration


def test_calibration_of_another_period_compares_without_judging_or_crashing(later):
    table = calibration.calibration_table(later)
    assert table["pass"].isna().all()
    assert table.attrs["data_label"].startswith("synthetisch, export 1 oktober 2025")
    absent = table.set_index("id").loc["dash_closed_2021"]
    assert absent["detail"].startswith("niet in deze data")
    assert "dash_closed_2024" not in set(table["id"])  # the report has no 2024: none invented
    text = calibration.format_calibration_table(table)
    assert "niet de periode van het rapport" in text and "MIS" not in text


def test_sofs_calibrate_on_a_real_looking_export_names_the_file_and_date(
    later, tmp_path, monkeypatch, capsys
):
    real = _as_real(later, tmp_path)
    monkeypatch.setenv("SOFS_EXPORT_DATE", "2025-10-01")
    monkeypatch.setenv("SOFS_BINC_EXPORT_DATE", "2025-06-02")
    assert main(["calibrate", "--data", str(real)]) == 0
    out = capsys.readouterr().out
    assert "dashboard_export.xlsx, export 1 oktober 2025" in out
    assert "synthetisch" not in out and "Traceback" not in out
    assert "0 passed, 0 failed" in out


def test_a_figure_with_an_empty_population_reads_niet_te_berekenen(later):
    df = load_dashboard_result(config.dashboard_export_path(later)).data
    only_open = df[df["status"] == "open"]
    only_open.attrs.update(df.attrs)
    shown = calibration.report_comparison(only_open, prefixes=("dash_safety_plan", "dash_trend"))
    column = next(c for c in shown.columns if c.startswith("Deze data"))
    assert (shown[column] == "niet te berekenen").any()
    reasons = shown.loc[shown[column] == "niet te berekenen", "Opmerking"]
    assert reasons.str.startswith("niet te berekenen:").all()


# --------------------------------------------------------------------------- trends, sorting


def test_trends_cover_every_closing_year_by_default(cumulative):
    df = _dashboard(cumulative)
    trend = ind.trends(df)
    assert trend.years == (2021, 2022, 2023, 2024, 2025)
    assert trend.excluded == 0


def test_organisations_sort_the_dutch_way():
    assert sort_dutch(["Zon", "'t Ventiel", "Émile", "Anker", "vzw Uil"]) == [
        "Anker",
        "Émile",
        "'t Ventiel",
        "vzw Uil",
        "Zon",
    ]


# --------------------------------------------------------------------------- narrative


PCT = re.compile(r"\d+(?:\.\d{3})*,\d%")


def _table_text(table: pd.DataFrame) -> str:
    return " ".join(map(str, table.to_numpy().ravel()))


def test_sentences_about_the_steps_quote_their_table(cumulative):
    df = _dashboard(cumulative)
    steps = ind.step_rates(df, by=["status"])
    sentence = narrate.step_extremes(steps)
    table = _table_text(figures.share_table(steps, "step", by=["status"]))
    assert PCT.findall(sentence)
    assert all(p in table for p in PCT.findall(sentence))


def test_trend_sentences_quote_the_trend_table_and_its_tests(cumulative):
    trend = ind.trends(_dashboard(cumulative))
    sentence = narrate.trend_takeaways(trend)
    table = _table_text(figures.trend_table(trend.shares, tests=trend.tests))
    table += _table_text(figures.trend_table(trend.means, tests=trend.tests))
    assert "2021" in sentence and "2025" in sentence
    assert all(p in table for p in PCT.findall(sentence))
    for test in re.findall(r"\((χ²[^)]*\)|F\([^)]*\)[^)]*)\)", sentence):
        assert test.split(",")[0] in table


def test_direction_words_follow_the_numbers():
    shares = pd.DataFrame(
        {
            "closing_year": [2030, 2031],
            "indicator": "plan_b_type_in_effect",
            "key": "network",
            "numerator": [2, 9],
            "denominator": [10, 10],
            "share": [0.2, 0.9],
        }
    )
    text = narrate.plan_b_kinds_by_year(shares)
    assert "verschillend van jaar tot jaar" in text and "2030: 20,0%" in text
    empty = narrate.plan_b_kinds_by_year(shares.iloc[0:0])
    assert "niet te berekenen" in empty
