"""Property tests: any mix of the contract's value forms cleans without crashing and
keeps the accounting ``rows_clean + rows_quarantined + duplicates_collapsed = rows_in``.

Deterministic (``derandomize=True``, and the row mix is seeded by a drawn integer).
Hypothesis draws, per column, a small pool of cells from that column's value forms;
the rows mix those cells, with exact copies so duplicates occur. The frame test
generates ≥ 1,000 rows per run (``max_examples`` × rows per example).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from conftest import DASHBOARD_HEADER
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sofs_lib.clean_dashboard import clean_dashboard
from sofs_lib.schemas.dashboard import DASHBOARD_COLUMNS

EXPORT = date(2023, 10, 5)
ROWS_PER_EXAMPLE = 100
EXAMPLES = 12  # 12 × 100 = 1,200 generated rows per run
#: Shrinking these wide frames takes minutes; a failure prints the unshrunk example.
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
#: Distinct cell values hypothesis draws per column; the rows mix them (seeded).
POOL = 5

TEXT = st.text(
    alphabet=st.sampled_from("abcxXjaNEé 0123456789/-.,;:\"'\n\t"), min_size=0, max_size=12
)
DATES = st.dates(min_value=date(2009, 1, 1), max_value=date(2026, 12, 31))

#: Every form the contract lists for a date/step cell, plus junk.
DATE_CELL = st.one_of(
    DATES,
    st.datetimes(min_value=datetime(2009, 1, 1), max_value=datetime(2026, 12, 31)),
    DATES.map(lambda d: d.strftime("%d/%m/%Y")),
    DATES.map(lambda d: f"{d.day}-{d.month}-{d.year}"),
    DATES.map(lambda d: d.strftime("%d.%m.%y")),
    DATES.map(lambda d: d.isoformat()),
    DATES.map(lambda d: d.strftime("%d/%m/%Y 00:00:00")),
    st.integers(min_value=-5, max_value=60_000),
    st.integers(min_value=40_000, max_value=46_000).map(str),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["nee", "Nee", "neen", "NEE", "NEEN", "ja", "x", "X", "", "  ", None]),
    st.booleans(),
    TEXT,
)
COUNT_CELL = st.one_of(
    st.integers(min_value=-3, max_value=60_000),
    st.sampled_from(["4", " 4 ", "4.0", "4,0", "0", "12", "4,5", "", None, "nee", "veel"]),
    st.floats(allow_nan=True, allow_infinity=True),
    DATE_CELL,
)
CASE_CELL = st.one_of(
    st.sampled_from(["EM", "FM", "SM", "V", "IFG", "Geen", "verwaarlozing", " ifg ", "", "?"]),
    TEXT,
)
PLAN_CELL = st.one_of(st.sampled_from(["netwerk", "verblijf", "Netwerk ", "", "nee"]), TEXT)
ID_CELL = st.one_of(
    st.sampled_from(["F1", "F2", "F3", " F1 ", "", None]),
    st.integers(min_value=1, max_value=6),
    st.floats(min_value=1, max_value=4),
    TEXT,
)
ORG_CELL = st.one_of(st.sampled_from(["ORG01", "ORG02", "", None, " ORG01"]), TEXT)

COLUMN_STRATEGY = {
    "Organisatie": ORG_CELL,
    "Fiche ID": ID_CELL,
    "Typering casus": CASE_CELL,
    "Netwerk met aantal": COUNT_CELL,
    "Netwerkberaden": COUNT_CELL,
    "Plan B": PLAN_CELL,
}


def pools() -> st.SearchStrategy[dict[str, list[object]]]:
    """Per column a small pool of cells drawn from that column's value forms."""
    return st.fixed_dictionaries(
        {
            h: st.lists(COLUMN_STRATEGY.get(h, DATE_CELL), min_size=1, max_size=POOL)
            for h in DASHBOARD_HEADER
        }
    )


def mix(pool: dict[str, list[object]], seed: int, rows: int) -> pd.DataFrame:
    """``rows`` rows whose cells are picked from the pools; ~10% exact copies of others."""
    rng = np.random.default_rng(seed)
    columns = {}
    for header, cells in pool.items():
        picks = rng.integers(0, len(cells), rows)
        columns[header] = [cells[i] for i in picks]
    # Most rows get a unique id in a known organisation, so cleaning has rows to keep.
    own_id = rng.random(rows) < 0.7
    columns["Fiche ID"] = [
        f"F{i}" if own else cell
        for i, (own, cell) in enumerate(zip(own_id, columns["Fiche ID"], strict=True))
    ]
    own_org = rng.random(rows) < 0.7
    columns["Organisatie"] = [
        f"ORG0{i % 3}" if own else cell
        for i, (own, cell) in enumerate(zip(own_org, columns["Organisatie"], strict=True))
    ]
    frame = pd.DataFrame(columns, columns=DASHBOARD_HEADER, dtype=object)
    copies = rng.choice(rows, size=rows // 10, replace=False)
    sources = rng.integers(0, rows, size=len(copies))
    frame.iloc[copies] = frame.iloc[sources].to_numpy()
    return frame


def frames(rows: int) -> st.SearchStrategy[pd.DataFrame]:
    return st.builds(mix, pools(), st.integers(0, 2**32 - 1), st.just(rows))


def non_blank_rows(frame: pd.DataFrame) -> int:
    def blank(value: object) -> bool:
        if value is None or (isinstance(value, float) and value != value):
            return True
        return isinstance(value, str) and not value.strip()

    return int((~frame.map(blank).all(axis=1)).sum())


def check_accounting(frame: pd.DataFrame, result) -> None:
    report = result.report
    assert report["rows_in"] == non_blank_rows(frame)
    assert (
        report["rows_clean"] + report["rows_quarantined"] + report["duplicates_collapsed"]
        == report["rows_in"]
    )
    data, quarantine = result.data, result.quarantine
    assert tuple(data.columns) == DASHBOARD_COLUMNS
    assert len(data) == report["rows_clean"] and len(quarantine) == report["rows_quarantined"]
    kept = set(data["source_row"].tolist())
    rejected = set(quarantine["source_row"].tolist())
    assert not kept & rejected
    assert len(kept) + len(rejected) + report["duplicates_collapsed"] == report["rows_in"]
    keys = list(zip(data["organisation"], data["trajectory_id"], strict=True))
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    phases=NO_SHRINK,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(frames(ROWS_PER_EXAMPLE))
def test_any_mix_of_value_forms_cleans_and_keeps_every_row_accounted(frame: pd.DataFrame) -> None:
    result = clean_dashboard(frame, export_date=EXPORT)
    check_accounting(frame, result)


@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    frames(8).map(lambda f: f.map(lambda v: "" if v is None else str(v))),
    st.sampled_from([(";", "cp1252"), (";", "utf-8-sig"), (",", "utf-8"), ("\t", "utf-8")]),
)
def test_any_text_export_reads_back_and_keeps_the_accounting(
    tmp_path_factory, frame: pd.DataFrame, dialect: tuple[str, str]
) -> None:
    sep, encoding = dialect
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=sep, index=False, lineterminator="\r\n")
    path = Path(tmp_path_factory.mktemp("csv")) / "export.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    result = clean_dashboard(path, export_date=EXPORT)
    assert result.report["separator"] == sep
    total = (
        result.report["rows_clean"]
        + result.report["rows_quarantined"]
        + result.report["duplicates_collapsed"]
    )
    assert total == result.report["rows_in"] <= len(frame)


def _write_workbook(path: Path, frame: pd.DataFrame) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, list(frame.columns))
    for r, row in enumerate(frame.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float) and np.isfinite(value) and abs(value) < 1e15:
                sheet.write_number(r, c, value)
            elif value is not None and not isinstance(value, float):
                sheet.write_string(r, c, str(value))
    workbook.close()


@settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(frames(10))
def test_any_workbook_export_keeps_the_accounting(tmp_path_factory, frame: pd.DataFrame) -> None:
    path = Path(tmp_path_factory.mktemp("xlsx")) / "export.xlsx"
    _write_workbook(path, frame)
    report = clean_dashboard(path, export_date=EXPORT).report
    assert report["format"] == "xlsx"
    total = report["rows_clean"] + report["rows_quarantined"] + report["duplicates_collapsed"]
    assert total == report["rows_in"] <= len(frame)
