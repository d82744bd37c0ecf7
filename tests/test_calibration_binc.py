"""Back-test: synthetic raw extract -> clean_binc -> binc_figures vs the report's figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sofs_lib import config
from sofs_lib.clean_binc import clean_binc
from sofs_lib.indicators.profiles import binc_figures
from sofs_lib.synth.binc import write_binc_export

REFERENCE = config.REFERENCE_DIR / "report_figures.csv"


def _binc_rows() -> pd.DataFrame:
    """The Binc rows of the one reference file, with numeric value and tolerance."""
    ref = pd.read_csv(REFERENCE, dtype=str, keep_default_na=False)
    ref = ref[ref["source"] == "binc"].reset_index(drop=True)
    for column in ("value", "tolerance"):
        ref[column] = pd.to_numeric(ref[column])
    return ref


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("binc") / config.BINC_EXPORT_NAME
    write_binc_export(path, seed=config.DEFAULT_SEED)
    result = clean_binc(path, export_date=config.REPORT_BINC_DATE)
    figures = binc_figures(result)
    ref = _binc_rows()
    ref["synthetic"] = ref["id"].map(figures)
    ref["diff"] = ref["synthetic"] - ref["value"]
    ref["pass"] = ref["diff"].abs() <= ref["tolerance"] + 1e-9
    ref.attrs["computed"] = set(figures)
    return ref


def test_reference_file_has_the_agreed_columns_and_units():
    ref = _binc_rows()
    assert list(ref.columns) == [
        "id", "source", "description_nl", "description_en", "value", "unit", "n",
        "location", "tolerance", "note",
    ]  # fmt: skip
    assert set(ref["unit"]) <= {"pct", "mean", "count", "statistic"}
    assert ref["id"].is_unique and len(ref) >= 25
    assert (ref.loc[ref["unit"] == "count", "tolerance"] == 0).all()


def test_every_reference_figure_is_computed(table):
    assert set(table["id"]) <= table.attrs["computed"]
    assert not table["synthetic"].isna().any()


def test_every_figure_is_within_tolerance(table):
    lines = [f"{'figure':<40}{'report':>9}{'synthetic':>11}{'diff':>8}  pass"]
    for fid, value, synthetic, diff, ok in zip(
        table["id"], table["value"], table["synthetic"], table["diff"], table["pass"], strict=True
    ):
        lines.append(f"{fid:<40}{value:>9.2f}{synthetic:>11.2f}{diff:>8.2f}  {ok}")
    print("\n".join(lines))
    failed = table.loc[~table["pass"], ["id", "value", "synthetic"]]
    assert failed.empty, f"outside tolerance:\n{failed.to_string()}"
    assert not any(math.isnan(v) for v in table["synthetic"])
