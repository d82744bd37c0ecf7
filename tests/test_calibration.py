"""Back-test: every published figure of the report, recomputed from the committed synthetic
set through the cleaners, indicators and statistics, lies within its tolerance."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sofs_lib import config
from sofs_lib.calibration import (
    DIRECTION,
    NOT_JUDGED,
    NOT_SIGNIFICANT,
    REFERENCE,
    REFERENCE_COLUMNS,
    SIGNIFICANT,
    TABLE_COLUMNS,
    Figure,
    _judge,
    calibration_table,
    format_calibration_table,
    load_reference,
)
from sofs_lib.cli import main
from sofs_lib.errors import SofsInputError

UNITS = {"pct", "mean", "median", "min", "max", "count", "statistic", "test"}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    if not (config.SYNTHETIC_DIR / "MANIFEST.json").exists():
        pytest.fail("no committed synthetic set: run `make data`")
    return calibration_table()


def test_every_reference_figure_is_within_tolerance(table):
    print()
    print(format_calibration_table(table))
    judged = table[table["pass"].notna()]
    misses = judged[~judged["pass"].astype(bool)]
    assert misses.empty, "outside tolerance:\n" + misses.to_string()


def test_at_least_sixty_figures_are_judged(table):
    assert int(table["pass"].notna().sum()) >= 60
    assert int(table["id"].str.startswith("dash_").sum()) >= 45


def test_the_data_column_says_the_committed_set_is_synthetic(table):
    assert table.attrs["data_label"] == "synthetisch"
    assert "synthetisch" in format_calibration_table(table).splitlines()[0]


def test_every_figure_was_computed(table):
    uncomputed = table[table["data"].isna()]
    assert uncomputed.empty, uncomputed[["id", "detail"]].to_string()


def test_table_has_the_documented_columns(table):
    assert tuple(table.columns) == TABLE_COLUMNS
    assert str(table["pass"].dtype) == "boolean"


def test_reference_file_is_well_formed():
    ref = pd.read_csv(REFERENCE, dtype=str, keep_default_na=False)
    assert tuple(ref.columns) == REFERENCE_COLUMNS
    assert set(ref["source"]) == {"dashboard", "binc"}
    assert ref["id"].is_unique
    assert set(ref["unit"]) <= UNITS
    assert (ref["location"].str.strip() != "").all()
    tests = ref["unit"] == "test"
    assert set(ref.loc[tests, "tolerance"]) <= {SIGNIFICANT, NOT_SIGNIFICANT, DIRECTION}
    numeric = ref.loc[~tests & (ref["tolerance"] != NOT_JUDGED), "tolerance"].astype(float)
    assert (numeric >= 0).all()
    pct_tol = ref.loc[(ref["unit"] == "pct") & (ref["tolerance"] != NOT_JUDGED), "tolerance"]
    assert (pct_tol.astype(float) <= 5).all()
    # a figure left unjudged must say why
    assert (ref.loc[ref["tolerance"] == NOT_JUDGED, "note"].str.len() > 40).all()


def test_both_reference_files_load_with_unique_ids():
    ref = load_reference()
    assert ref["id"].is_unique
    assert set(ref["source"]) == {"dashboard", "binc"}
    assert ref["value"].notna().all()


def test_judge_fails_a_share_outside_its_tolerance():
    ref = pd.Series({"value": 28.4, "tolerance": "2"})
    assert _judge(ref, Figure(30.3))[2] is True
    assert _judge(ref, Figure(30.5))[2] is False
    assert _judge(ref, Figure(math.nan))[2] is False


def test_judge_requires_significance_and_direction():
    ref = pd.Series({"value": 41.83, "tolerance": SIGNIFICANT})
    assert _judge(ref, Figure(30.0, p_value=0.001, direction_ok=True))[2] is True
    assert _judge(ref, Figure(30.0, p_value=0.2, direction_ok=True))[2] is False
    assert _judge(ref, Figure(30.0, p_value=0.001, direction_ok=False))[2] is False
    assert _judge(ref, Figure(math.nan, computable=False))[2] is False


def test_judge_requires_non_significance_where_the_report_found_none():
    ref = pd.Series({"value": 1.27, "tolerance": NOT_SIGNIFICANT})
    assert _judge(ref, Figure(1.5, p_value=0.3))[2] is True
    assert _judge(ref, Figure(9.0, p_value=0.001))[2] is False


def test_unjudged_figure_is_shown_but_not_judged():
    ref = pd.Series({"value": 39.9, "tolerance": NOT_JUDGED})
    synthetic, difference, verdict, _ = _judge(ref, Figure(56.4))
    assert verdict is pd.NA
    assert synthetic == pytest.approx(56.4) and difference == pytest.approx(16.5)


def test_missing_data_folder_is_a_clear_message(tmp_path):
    with pytest.raises(SofsInputError, match="not found"):
        calibration_table(tmp_path / "nowhere")
    with pytest.raises(SofsInputError, match="no dashboard export"):
        calibration_table(tmp_path)


def test_cli_calibrate_reports_a_missing_export_without_traceback(tmp_path, capsys):
    assert main(["calibrate", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sofs: ") and "Traceback" not in err


def test_formatted_table_uses_dutch_numbers(table):
    text = format_calibration_table(table)
    assert "28,40" in text
    assert "niet beoordeeld" in text


@pytest.mark.slow
def test_calibration_does_not_hinge_on_the_default_seed(tmp_path):
    from sofs_lib.synth import write_synthetic

    write_synthetic(tmp_path, seed=5)
    other = calibration_table(tmp_path)
    judged = other[other["pass"].notna()]
    misses = judged[~judged["pass"].astype(bool)]
    assert misses.empty, misses.to_string()
