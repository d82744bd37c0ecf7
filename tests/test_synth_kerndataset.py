"""The synthetic kerndataset: deterministic, cleanable, and shaped as the brief asks."""

from __future__ import annotations

from datetime import date

import pytest

from sofs_lib.clean_dashboard import clean_dashboard
from sofs_lib.kerndataset import scoring
from sofs_lib.kerndataset.clean import clean_kerndataset
from sofs_lib.kerndataset.followup import followup_schedule
from sofs_lib.synth import sha256_of
from sofs_lib.synth.dashboard import write_dashboard_export
from sofs_lib.synth.kerndataset import write_kerndataset

SEED, N = 7, 240  # deliberately not the committed set's seed and size
EXPORT = date(2023, 10, 5)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kern")
    write_dashboard_export(folder / "dashboard_export.xlsx", seed=SEED, n=N)
    files = write_kerndataset(folder, seed=SEED, n=N)
    dashboard = clean_dashboard(folder / "dashboard_export.xlsx", export_date=EXPORT).data
    result = clean_kerndataset(
        files["kerndataset"],
        survey_exports=[files["kerndataset_survey"]],
        dashboard=dashboard,
        export_date=EXPORT,
    )
    return folder, files, dashboard, result


def test_same_seed_writes_identical_files(generated, tmp_path):
    _, files, _, _ = generated
    again = write_kerndataset(tmp_path, seed=SEED, n=N)
    for name, path in files.items():
        assert sha256_of(again[name]) == sha256_of(path)


def test_alpha_of_every_subscale_lies_between_point_75_and_point_93(generated):
    *_, result = generated
    for subscale in scoring.SUBSCALES:
        alpha = scoring.subscale_reliability(result.data, subscale)
        assert alpha.ok, subscale
        assert 0.75 <= alpha.alpha <= 0.93, (subscale, alpha.alpha)


def test_consent_in_most_but_not_all_families_and_attrition_over_time(generated):
    *_, result = generated
    data = result.data
    closure = data[data["moment"].eq("closure")]
    share = closure["has_consent"].mean()
    assert 0.6 < share < 0.95
    counts = data["moment"].value_counts()
    assert counts["closure"] > counts["6m"] > counts["12m"] > 0
    assert data["O1"].isna().any()  # missing answers


def test_typing_mistakes_are_mapped_counted_or_quarantined(generated):
    *_, result = generated
    report = result.report
    forms = {m["form"] for m in report["answer_mappings"]}
    assert {"variant", "number", "case_or_spacing"} <= forms
    assert report["quarantine_reasons"].get("unknown_trajectory", 0) >= 1
    assert report["rows_merged"] >= 1
    assert report["rows_clean"] + report["rows_quarantined"] + report["rows_merged"] + report[
        "rows_without_answers"
    ] == report["rows_in"]


def test_schedule_on_generated_data_lists_only_families_with_consent(generated):
    _, _, dashboard, result = generated
    consent = result.data[result.data["moment"].eq("closure")].set_index(
        ["organisation", "trajectory_id"]
    )["has_consent"]
    for organisation in sorted(dashboard["organisation"].unique()):
        schedule = followup_schedule(
            dashboard, result.data, organisation=organisation, today="2022-01-01",
            months_ahead=24, include_overdue=True,
        )  # fmt: skip
        for fiche in schedule["trajectory_id"]:
            assert bool(consent[(organisation, fiche)])
