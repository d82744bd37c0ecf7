"""The synthetic dashboard export: deterministic, calibrated quotas, messy as documented,
and still exactly n trajectories after cleaning."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sofs_lib.catalogue import STEP_KEYS
from sofs_lib.clean_dashboard import clean_dashboard
from sofs_lib.cli import main
from sofs_lib.errors import SofsInputError
from sofs_lib.synth.dashboard import (
    HEADERS,
    ORGS_WITHOUT_CONSULENT,
    simulate_truth,
    write_dashboard_export,
)

EXPORT = date(2023, 10, 5)
SEED = 20231005


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def xlsx_370(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "dashboard_export.xlsx"
    write_dashboard_export(path, seed=SEED, n=370)
    return path


@pytest.fixture(scope="module")
def raw_370(xlsx_370) -> pd.DataFrame:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(xlsx_370)).get_sheet_by_index(0).to_python()
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


@pytest.fixture(scope="module")
def cleaned_370(xlsx_370):
    return clean_dashboard(xlsx_370, export_date=EXPORT)


def _all_steps(truth) -> np.ndarray:
    held = np.where(
        truth.meetings_kind == 1, True, (truth.meetings_kind == 0) & (truth.meetings > 0)
    )
    taken = np.all([truth.step_state[k] == 1 for k in STEP_KEYS], axis=0)
    return truth.closed & taken & held


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_workbook(xlsx_370, tmp_path):
    again = tmp_path / "again.xlsx"
    write_dashboard_export(again, seed=SEED, n=370)
    assert _sha(again) == _sha(xlsx_370)


def test_other_seed_gives_other_workbook(xlsx_370, tmp_path):
    other = tmp_path / "other.xlsx"
    write_dashboard_export(other, seed=SEED + 1, n=370)
    assert _sha(other) != _sha(xlsx_370)


def test_csv_is_belgian_excel_csv_with_the_contract_header(tmp_path):
    path = tmp_path / "dashboard_export.csv"
    write_dashboard_export(path, seed=3, n=370)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    header = raw[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert header.split(";") == list(HEADERS)
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame.shape[1] == len(HEADERS)
    assert len(frame) > 370  # duplicates, unusable and blank rows come on top
    ends = frame["Einddatum"]
    assert ends.str.fullmatch(r"\d\d/\d\d/\d{4}").sum() > 150  # date cells saved day-first


def test_csv_and_xlsx_clean_to_the_same_trajectories(tmp_path, cleaned_370):
    path = tmp_path / "dashboard_export.csv"
    write_dashboard_export(path, seed=SEED, n=370)
    from_csv = clean_dashboard(path, export_date=EXPORT).data
    keys = ["organisation", "trajectory_id"]
    a = cleaned_370.data.sort_values(keys).reset_index(drop=True)
    b = from_csv.sort_values(keys).reset_index(drop=True)
    cols = [
        "organisation",
        "trajectory_id",
        "start_date",
        "end_date",
        "status",
        "case_type",
        "network_meetings",
        "plan_b",
        "safety_plan_adult_taken",
        "safety_plan_adult_date",
    ]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)


# --------------------------------------------------------------------------- calibration quotas


@pytest.mark.parametrize("seed", [0, 7, SEED])
def test_default_size_has_report_counts_for_any_seed(seed):
    truth = simulate_truth(seed, 370)
    assert int(truth.closed.sum()) == 236
    assert np.bincount(truth.year[truth.closed]).tolist() == [43, 139, 54]
    assert int(_all_steps(truth).sum()) == 67
    assert len(np.unique(truth.org)) == 20


def test_counts_scale_with_n():
    truth = simulate_truth(1, 3700)
    assert int((~truth.closed).sum()) == 1340
    assert np.bincount(truth.year[truth.closed]).tolist() == [430, 1390, 540]
    assert int(_all_steps(truth).sum()) == 670


def test_organisations_differ_in_size_and_some_have_few_closed_trajectories():
    truth = simulate_truth(SEED, 370)
    sizes = np.bincount(truth.org, minlength=20)
    closed = np.bincount(truth.org[truth.closed], minlength=20)
    assert sizes.max() >= 8 * sizes.min()
    assert (closed < 5).sum() >= 2


def test_five_organisations_never_register_for_the_consulent():
    truth = simulate_truth(SEED, 370)
    any_consulent = np.zeros(len(truth.org), dtype=bool)
    for key in STEP_KEYS:
        any_consulent |= truth.step_consulent[key]
    registering = np.unique(truth.org[any_consulent])
    assert set(range(20)) - set(registering.tolist()) == set(ORGS_WITHOUT_CONSULENT)


def test_steps_and_plan_b_can_be_dated_before_the_start():
    truth = simulate_truth(SEED, 370)
    adult = truth.step_state["safety_plan_adult"] == 1
    months = (truth.step_date["safety_plan_adult"][adult] - truth.start[adult]) / 30.4375
    assert months.min() == pytest.approx(-3.0, abs=0.05)
    active = truth.plan_b_active == 1
    pb = (truth.plan_b_date[active] - truth.start[active]) / 30.4375
    assert pb.min() == pytest.approx(-5.0, abs=0.05)


def test_no_step_is_dated_after_the_end_or_the_export():
    truth = simulate_truth(SEED, 370)
    export = (np.datetime64(EXPORT, "D") - np.datetime64("1970-01-01", "D")).astype(int)
    horizon = np.where(truth.closed, truth.end, export - 1)
    for key in STEP_KEYS:
        taken = truth.step_state[key] == 1
        assert (truth.step_date[key][taken] <= horizon[taken]).all(), key


# --------------------------------------------------------------------------- the mess


def test_raw_export_holds_every_typing_variant_of_the_contract(raw_370):
    cells = raw_370.drop(columns=["Organisatie", "Fiche ID"]).to_numpy().ravel()
    texts = {c for c in cells if isinstance(c, str)}
    numbers = [c for c in cells if isinstance(c, float | int) and not isinstance(c, bool)]
    assert {"nee", "Nee", "neen", "NEE", " nee "} <= texts
    assert {"ja", "x"} & texts
    assert any(len(t) == 10 and t[2] == "/" for t in texts)  # 12/03/2022
    assert any(t.count("-") == 2 and len(t) < 10 for t in texts)  # 2-3-2022
    assert any(t.count(".") == 2 and len(t) == 8 for t in texts)  # 12.03.22
    assert any(len(t) == 10 and t[4] == "-" for t in texts)  # 2022-03-12
    assert {" 4 ", "4.0"} & texts or any(t.strip().isdigit() and t != t.strip() for t in texts)
    assert any(t.endswith(".0") for t in texts)
    assert any(n > 40000 for n in numbers)  # Excel serial typed as a number
    assert {"intrafamiliaal geweld", "Verwaarlozing"} & texts
    assert any(";" in t or ", " in t for t in texts)  # several meeting dates in one cell
    dates = [c for c in cells if isinstance(c, date)]
    assert len(dates) > 0.5 * len(cells) * 0.3  # most dates are real Excel date cells


def test_about_a_quarter_of_meeting_cells_hold_dates(cleaned_370):
    kind = cleaned_370.data["network_meetings_kind"]
    assert 0.2 <= (kind == "date").mean() <= 0.3


def test_extra_rows_come_on_top_and_cleaning_keeps_exactly_n(cleaned_370):
    data, report = cleaned_370.data, cleaned_370.report
    assert len(data) == 370
    assert data["status"].value_counts().to_dict() == {"closed": 236, "open": 134}
    assert report["duplicates_collapsed"] >= 1
    assert report["rows_quarantined"] >= 4
    reasons = cleaned_370.quarantine["reason"].str.lower()
    assert reasons.str.contains("ontbreekt").sum() >= 2
    assert reasons.str.contains("meer").sum() >= 2  # conflicting duplicates, both quarantined
    assert (
        report["rows_in"]
        == report["rows_clean"] + report["rows_quarantined"] + report["duplicates_collapsed"]
    )


def test_plan_b_is_blank_in_half_the_open_trajectories(cleaned_370):
    open_ = cleaned_370.data[cleaned_370.data["status"] == "open"]
    assert open_["plan_b"].isna().mean() == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("n", [20, 57])
def test_small_exports_still_clean_to_n_trajectories(tmp_path, n):
    path = tmp_path / "small.xlsx"
    write_dashboard_export(path, seed=11, n=n)
    result = clean_dashboard(path, export_date=EXPORT)
    assert len(result.data) == n
    assert result.data["organisation"].nunique() == 20


# --------------------------------------------------------------------------- bad input


def test_wrong_suffix_is_refused_with_a_message(tmp_path):
    with pytest.raises(SofsInputError, match=r"\.xlsx or \.csv"):
        write_dashboard_export(tmp_path / "export.txt", seed=1, n=370)


def test_large_workbook_is_refused_in_favour_of_csv(tmp_path):
    with pytest.raises(SofsInputError, match="csv"):
        write_dashboard_export(tmp_path / "big.xlsx", seed=1, n=60_000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "-1"], "seed"),
        (["--n", "5"], "--n"),
        (["--n", "6000000"], "--n"),
    ],
)
def test_cli_synth_rejects_bad_seed_and_size(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main(["synth", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sofs: ") and message in err
    assert not out.exists()


def test_cli_synth_rejects_a_file_as_output_folder(tmp_path, capsys):
    target = tmp_path / "a_file"
    target.write_text("not a folder")
    assert main(["synth", "--out", str(target)]) == 2
    assert "not a folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- properties

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), n=st.integers(20, 3000))
def test_any_seed_and_size_gives_a_consistent_truth(seed, n):
    truth = simulate_truth(seed, n)
    closed = truth.closed
    assert int((~closed).sum()) == int(np.floor(n * 134 / 370 + 0.5))
    assert np.bincount(truth.org, minlength=20).min() >= 1
    export = (np.datetime64(EXPORT, "D") - np.datetime64("1970-01-01", "D")).astype(int)
    assert (truth.end[closed] < export).all() and (truth.start < export).all()
    assert (truth.start[closed] < truth.end[closed]).all()
    horizon = np.where(closed, truth.end, export - 1)
    for key in STEP_KEYS:
        taken = truth.step_state[key] == 1
        assert (truth.step_date[key][taken] <= horizon[taken]).all()
        # a registered person implies the step was taken
        assert not (truth.step_cb[key] & ~taken).any()
        assert not (truth.step_consulent[key] & ~taken).any()
    counts = truth.meetings[truth.meetings_kind == 0]
    assert ((counts >= 0) & (counts <= 19)).all()
    sizes = truth.network_size[truth.network_size >= 0]
    assert ((sizes >= 0) & (sizes <= 12)).all()
    active = truth.plan_b_active == 1
    months = (truth.plan_b_date[active] - truth.start[active]) / 30.4375
    assert (months >= -5.02).all() and (months <= 15.02).all()  # whole days
