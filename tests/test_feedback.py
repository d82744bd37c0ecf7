"""Feedback for the teams: the follow-up rules, the registration-quality counts, and the
two apps per role (sofs_lib.feedback, sofs_lib.dashboards.opvolglijst/registratiekwaliteit)."""

from __future__ import annotations

import base64
import html
import io
import re
from datetime import date

import pandas as pd
import pytest

from sofs_lib import access
from sofs_lib.catalogue import STEP_KEYS, STEP_LABELS
from sofs_lib.clean_dashboard import clean_dashboard
from sofs_lib.dashboards.opvolglijst import FollowupView, followup_app
from sofs_lib.dashboards.registratiekwaliteit import QualityView, quality_app
from sofs_lib.feedback import followup, organisation_feedback, present, quality
from sofs_lib.release import store
from sofs_lib.server.users import DEMO_ACCOUNTS
from tests.conftest import dashboard_frame, dashboard_row

EXPORT = date(2025, 2, 14)


def trajectory(tid: str, months_ago: float, **overrides) -> dict:
    """One cleaned open trajectory with nothing to follow up, unless ``overrides`` say so."""
    start = pd.Timestamp(EXPORT) - pd.Timedelta(days=round(months_ago * followup.DAYS_PER_MONTH))
    row = {
        "organisation": "Org Een",
        "trajectory_id": tid,
        "start_date": start,
        "consulent_start_date": start,
        "end_date": pd.NaT,
        "status": "open",
        "network_meetings": 2,
        "network_meeting_held": True,
        "plan_b": "network",
    }
    for key in STEP_KEYS:
        row[f"{key}_taken"] = True
        row[f"{key}_consulent"] = False
    row.update(overrides)
    return row


def frame_of(*rows: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    df["start_date"] = pd.to_datetime(df["start_date"])
    df["consulent_start_date"] = pd.to_datetime(df["consulent_start_date"])
    df["network_meetings"] = df["network_meetings"].astype("Int64")
    df["network_meeting_held"] = df["network_meeting_held"].astype("boolean")
    df["plan_b"] = df["plan_b"].astype("str")
    for key in STEP_KEYS:
        df[f"{key}_taken"] = df[f"{key}_taken"].astype("boolean")
        df[f"{key}_consulent"] = df[f"{key}_consulent"].astype("boolean")
    return df


def listed(df: pd.DataFrame, months: int | None = None) -> pd.DataFrame:
    return followup.followup_list(df, EXPORT, months=months).set_index("trajectory_id")


# --------------------------------------------------------------------------- follow-up rules


def test_trajectory_with_nothing_to_follow_up_is_not_listed():
    assert listed(frame_of(trajectory("T1", 9))).empty


def test_closed_trajectory_is_never_listed():
    row = trajectory("T1", 9, status="closed", end_date=pd.Timestamp(EXPORT),
                     network_meetings=0, network_meeting_held=False, plan_b=None)
    assert listed(frame_of(row)).empty


def test_no_meeting_after_threshold_months_is_flagged():
    df = frame_of(
        trajectory("late", followup.DEFAULT_MONTHS + 0.5, network_meetings=0,
                   network_meeting_held=False),
        trajectory("early", followup.DEFAULT_MONTHS - 0.5, network_meetings=0,
                   network_meeting_held=False, plan_b=None),
        trajectory("held", 10),
    )
    out = listed(df)
    assert bool(out.loc["late", "no_meeting"])
    assert f"na {followup.DEFAULT_MONTHS} maanden" in out.loc["late", "reasons"]
    assert not bool(out.loc["early", "no_meeting"])
    assert "held" not in out.index


def test_blank_meetings_cell_counts_as_no_meeting_registered():
    df = frame_of(trajectory("T1", 5, network_meetings=None, network_meeting_held=None))
    assert bool(listed(df).loc["T1", "no_meeting"])


def test_default_threshold_follows_the_report_guideline():
    # 6 meetings within 8 months: one every 1⅓ months, so none after 2 months is behind
    assert followup.DEFAULT_MONTHS == 2


def test_threshold_is_configurable_by_argument_and_environment(monkeypatch):
    df = frame_of(trajectory("T1", 4, network_meetings=0, network_meeting_held=False))
    assert bool(listed(df, months=3).loc["T1", "no_meeting"])
    assert listed(df, months=5).empty
    monkeypatch.setenv(followup.MONTHS_ENV, "5")
    assert listed(df).empty
    monkeypatch.setenv(followup.MONTHS_ENV, "twee")
    with pytest.raises(ValueError, match="whole number of months"):
        listed(df)


def test_steps_not_taken_are_named():
    df = frame_of(trajectory("T1", 3, words_pictures_taken=False, safety_plan_child_taken=None))
    out = listed(df)
    assert out.loc["T1", "steps_missing_n"] == 2
    assert out.loc["T1", "steps_missing"] == "; ".join(
        [STEP_LABELS["words_pictures"], STEP_LABELS["safety_plan_child"]]
    )
    assert out.loc["T1", "reasons"] == "Stappen nog niet gezet"


def test_empty_plan_b_is_flagged():
    out = listed(frame_of(trajectory("T1", 3, plan_b=None), trajectory("T2", 3)))
    assert bool(out.loc["T1", "plan_b_empty"]) and "T2" not in out.index


def test_consulent_not_registered_needs_no_start_date_and_no_consulent_step():
    df = frame_of(
        trajectory("none", 3, consulent_start_date=pd.NaT),
        trajectory("step", 3, consulent_start_date=pd.NaT, safety_goal_consulent=True),
    )
    out = listed(df)
    assert bool(out.loc["none", "consulent_missing"])
    assert "Consulent niet geregistreerd" in out.loc["none", "reasons"]
    assert "step" not in out.index


def test_months_since_start_counts_to_the_export_date():
    out = listed(frame_of(trajectory("T1", 6.0, plan_b=None)))
    assert out.loc["T1", "months_since_start"] == pytest.approx(6.0, abs=0.05)


def test_most_urgent_first_no_meeting_longest_running_then_reasons():
    df = frame_of(
        trajectory("many", 20, plan_b=None, consulent_start_date=pd.NaT, timeline_taken=False),
        trajectory("short", 3, network_meetings=0, network_meeting_held=False, plan_b=None),
        trajectory("long", 9, network_meetings=0, network_meeting_held=False),
        trajectory("one", 30, plan_b=None),
    )
    out = followup.followup_list(df, EXPORT)
    assert out["trajectory_id"].tolist() == ["long", "short", "many", "one"]
    assert out["rank"].tolist() == [1, 2, 3, 4]


# --------------------------------------------------------------------------- quality


def test_quality_counts_planted_mistakes_of_each_organisation():
    rows = [
        dashboard_row(**{"Organisatie": "Org A", "Fiche ID": "A1", "Netwerkberaden": "12/03/2023"}),
        dashboard_row(**{"Organisatie": "Org A", "Fiche ID": "A2", "Netwerkberaden": "3",
                         "W&P CB": "ja"}),
        dashboard_row(**{"Organisatie": "Org A", "Fiche ID": "A3", "Netwerkberaden": "nee",
                         "Veiligheidsdoel CB": "binnenkort"}),
        dashboard_row(**{"Organisatie": "Org A", "Fiche ID": "", "Netwerkberaden": "1"}),
        dashboard_row(**{"Organisatie": "Org B", "Fiche ID": "B1", "Netwerkberaden": "2",
                         "Mapping intern CB": "01/01/2022", "Typering casus": "onbekend"}),
    ]
    raw = dashboard_frame(rows)
    result = clean_dashboard(raw, export_date=date(2024, 1, 31))
    items, examples = quality.assess(raw, result, export_date=date(2024, 1, 31))
    count = items.set_index(["organisation", "code"])["count"]
    assert count["Org A", "meetings_date"] == 1
    assert count["Org A", "meetings_invalid"] == 1
    assert count["Org A", "yes_without_date"] == 1
    assert count["Org A", "date_invalid"] == 1
    assert count["Org A", "missing_trajectory_id"] == 1
    assert count["Org A", "step_before_start"] == 0
    assert count["Org B", "step_before_start"] == 1
    assert count["Org B", "case_type_unknown"] == 1
    assert count["Org B", "meetings_date"] == 0
    share = items.set_index(["organisation", "code"])["share"]
    assert share["Org A", "meetings_date"] == pytest.approx(1 / 3)
    sentence = items.set_index(["organisation", "code"]).loc[("Org A", "meetings_date"), "sentence"]
    assert sentence.startswith("33,3% van uw Netwerkberaden-cellen bevat een datum")
    own = examples[examples["organisation"].eq("Org A") & examples["code"].eq("meetings_date")]
    assert own[["trajectory_id", "column", "value"]].values.tolist() == [
        ["A1", "Netwerkberaden", "12/03/2023"]
    ]


def test_every_item_has_advice_from_the_manual_with_its_lines():
    advice = quality.advice_table()
    assert advice["code"].is_unique and (advice["advice"].str.len() > 20).all()
    manual = advice["manual_lines"].str.match(r"^9[67]")
    assert advice.loc[manual, "manual_section"].str.startswith("Handleiding dashboard").all()
    assert advice["manual_section"].str.len().gt(20).all()
    for lines in advice["manual_lines"]:
        for part in re.split(r",\s*", lines):
            first, last = (int(x) for x in part.split("–")) if "–" in part else (int(part),) * 2
            assert first <= last
            assert (9598 <= first <= 9724) or part == "1455–1457"


def test_quality_totals_match_the_cleaners_report_on_a_generated_export(dirty_export):
    path, result, items, _ = dirty_export
    total = items.groupby("code")["count"].sum()
    problems = result.report["problems"]
    assert total["meetings_date"] == problems["network_meetings_dates"]
    assert total["step_before_start"] == problems["steps_before_start"]
    assert total["date_implausible"] == problems["implausible_dates"] - problems[
        "network_meetings_implausible_dates"
    ]
    assert total["date_invalid"] == problems["invalid_dates"]
    reasons = result.report["quarantine_reasons"]
    assert total["conflicting_duplicate"] == reasons.get("conflicting_duplicate", 0)
    assert total["missing_trajectory_id"] == reasons.get("missing_trajectory_id", 0)
    assert total["exact_duplicate"] == result.report["duplicates_collapsed"]
    assert total["meetings_date"] > 0  # the generator plants dates in the meetings column


@pytest.fixture(scope="module")
def dirty_export(tmp_path_factory):
    """A small generated export (typing mistakes planted by the generator)."""
    from sofs_lib.synth.dashboard import write_dashboard_export

    folder = tmp_path_factory.mktemp("dirty")
    path = folder / "dashboard_export.csv"
    export = date(2026, 4, 20)
    write_dashboard_export(path, seed=5, n=90, export_date=export,
                           org_names=["Huis Noord", "Huis Zuid", "Team Oost", "Team West"])
    result = clean_dashboard(path, export_date=export)
    items, examples = quality.assess(path, result, export_date=export)
    return path, result, items, examples


# --------------------------------------------------------------------------- apps per role


ORG = "Org Een"


@pytest.fixture(scope="module")
def own_slice():
    df = frame_of(
        trajectory("EEN-1", 7, network_meetings=0, network_meeting_held=False),
        trajectory("EEN-2", 4, plan_b=None),
        trajectory("=cmd|' /C calc'!A0", 3, consulent_start_date=pd.NaT),
    )
    raw = dashboard_frame([
        dashboard_row(**{"Organisatie": ORG, "Fiche ID": "EEN-1", "Netwerkberaden": "05/02/2024"}),
        dashboard_row(**{"Organisatie": ORG, "Fiche ID": "EEN-2", "Netwerkberaden": "2"}),
    ])
    result = clean_dashboard(raw, export_date=EXPORT)
    fb = organisation_feedback(df, result, raw, export_date=EXPORT)[ORG]
    identity = access.Identity(DEMO_ACCOUNTS[access.ORGANISATION], access.ORGANISATION, ORG)
    return identity, store.make_slice(identity, {}, 5, {}, [ORG, "Org Twee"], feedback=fb)


def test_organisation_sees_its_own_list_most_urgent_first(own_slice):
    identity, chosen = own_slice
    app = followup_app(identity, release_slice=chosen)
    assert isinstance(app, FollowupView)
    assert app.view()["trajectory_id"].tolist()[0] == "EEN-1"
    assert "EEN-1" in app.table.value and "EEN-2" in app.table.value
    assert "zonder netwerkberaad na 2 maanden" in app.headline.value
    assert "=cmd|&#x27; /C calc&#x27;!A0" in app.table.value  # escaped, shown as text


def test_reason_filter_and_sort_change_the_rows(own_slice):
    identity, chosen = own_slice
    app = followup_app(identity, release_slice=chosen)
    app.reason.value = "plan_b_empty"
    assert app.view()["trajectory_id"].tolist() == ["EEN-2"]
    assert "EEN-1" not in app.table.value
    app.reason.value = "all"
    app.sort_by.value = "months_since_start"
    app.direction.value = "asc"
    months = app.view()["months_since_start"].astype(float).tolist()
    assert months == sorted(months)


def _download(html_text: str, suffix: str) -> bytes:
    match = re.search(rf'download="([^"]+{suffix})" href="data:[^;]+(?:;charset=utf-8)?;base64,([^"]+)"',
                      html_text)
    assert match, f"no {suffix} link"
    return base64.b64decode(match.group(2))


def test_followup_xlsx_keeps_numbers_and_neutralises_formulas(own_slice):
    from openpyxl import load_workbook

    identity, chosen = own_slice
    app = followup_app(identity, release_slice=chosen)
    book = load_workbook(io.BytesIO(_download(app.downloads.value, ".xlsx")))
    sheet = book["Opvolglijst"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Prioriteit", "Fiche ID", "Startdatum CB"]
    ids = [sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1)]
    assert "'=cmd|' /C calc'!A0" in ids and not any(str(v).startswith("=") for v in ids)
    months = sheet.cell(2, 4).value
    assert isinstance(months, int | float) and sheet.freeze_panes == "A2"  # a number, not text
    about = dict(book["Over deze lijst"].iter_rows(values_only=True))
    assert about["Organisatie"] == ORG
    text = _download(app.downloads.value, ".csv").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Prioriteit;Fiche ID")
    assert ";'=cmd|' /C calc'!A0;" in text


def test_quality_page_shows_sentence_advice_and_own_examples(own_slice):
    identity, chosen = own_slice
    app = quality_app(identity, release_slice=chosen)
    assert isinstance(app, QualityView)
    assert app.view()["code"].tolist() == ["meetings_date"]
    assert "50,0% van uw Netwerkberaden-cellen bevat een datum" in app.details.value
    assert "Zo registreert u het" in app.details.value
    # the manual's element a team can look up, not the report's line numbers
    assert "bijlage 1 van het evaluatierapport), ‘Netwerkberaden’" in app.details.value
    assert "9664" not in app.details.value
    assert "EEN-1" in app.details.value and "05/02/2024" in app.details.value
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_download(app.downloads.value, ".xlsx")))
    assert book.sheetnames == ["Problemen", "Voorbeelden", "Over deze lijst"]
    assert book["Problemen"].cell(2, 3).value == 1
    headers = [c.value for c in book["Problemen"][1]]
    assert headers[-2:] == ["Handleiding", "Evaluatierapport, regels"]


@pytest.mark.parametrize("role", [access.PUBLIC, access.AGENCY])
@pytest.mark.parametrize("app_function", [followup_app, quality_app])
def test_other_roles_see_one_sentence_and_no_rows(role, app_function, own_slice):
    _, chosen = own_slice
    page = app_function(access.Identity(DEMO_ACCOUNTS[role], role), release_slice=chosen)
    assert page.value.startswith(
        f'<p class="sofs-organisation-only">{html.escape(present.ORGANISATION_ONLY)}</p>'
    )
    assert 'class="sofs-home"' in page.value  # a way back to the start page
    assert "EEN-1" not in page.value and "<table" not in page.value


def test_a_slice_of_another_organisation_is_refused(own_slice):
    _, chosen = own_slice
    other = access.Identity("iemand", access.ORGANISATION, "Org Twee")
    page = followup_app(other, release_slice=chosen)
    assert "kon niet geladen worden" in page.value and "EEN-1" not in page.value


def test_app_uses_the_identity_the_kernel_is_bound_to(own_slice):
    _, chosen = own_slice
    access._reset_for_tests()
    try:
        access.bind(DEMO_ACCOUNTS[access.PUBLIC], access.PUBLIC)
        assert "enkel voor organisaties" in followup_app(release_slice=chosen).value
    finally:
        access._reset_for_tests()


def test_slice_accessors_are_empty_for_other_roles(own_slice):
    identity, chosen = own_slice
    agency = access.Identity("a", access.AGENCY)
    other = store.make_slice(agency, {}, 5, {}, [ORG], feedback=chosen.feedback)
    assert other.followup().empty and other.quality().empty and other.quality_examples().empty
    assert len(chosen.followup()) == 3


@pytest.mark.parametrize(("app_function", "what"), [(followup_app, "opvolglijst"),
                                                     (quality_app, "registratiekwaliteit")])
def test_feedback_file_names_hold_the_list_the_organisation_and_the_export_date(
    app_function, what, own_slice
):
    from sofs_lib.downloads import slug

    identity, chosen = own_slice
    app = app_function(identity, release_slice=chosen)
    names = re.findall(r'download="([^"]+)"', app.downloads.value)
    assert names and all(
        n.startswith(f"{what}_{slug(ORG)}_{EXPORT.isoformat()}") for n in names
    ), names


def test_a_file_stem_spells_an_accented_organisation_in_plain_letters():
    from datetime import date

    stem = present.file_stem("opvolglijst", date(2031, 2, 3), "Organisatie Ö (Gent) & Zoon")
    assert stem == "opvolglijst_organisatie-o-gent-zoon_2031-02-03"
    assert present.file_stem("opvolglijst", None, None) == "opvolglijst"
