"""The kerndataset: instrument, workbook, cleaning rules, scoring and follow-up schedule."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from sofs_lib.errors import SofsInputError
from sofs_lib.kerndataset import instrument as ins
from sofs_lib.kerndataset import scoring
from sofs_lib.kerndataset.clean import clean_kerndataset, without_free_text, write_clean
from sofs_lib.kerndataset.followup import (
    followup_schedule,
    impact_tables,
    paired_change,
    renewed_referral,
    response_by_moment,
)
from sofs_lib.kerndataset.template import write_template

EXPORT = date(2023, 10, 5)


def dashboard(n: int = 4) -> pd.DataFrame:
    """A cleaned-dashboard stand-in: organisation A with closed trajectories F1..Fn."""
    return pd.DataFrame(
        {
            "organisation": ["A"] * n + ["B"],
            "trajectory_id": [f"F{i}" for i in range(1, n + 1)] + ["F1"],
            "status": ["closed"] * n + ["open"],
            "end_date": pd.to_datetime(["2022-03-10"] * n + [None]),
        }
    )


def closure_row(fiche: str, **cells) -> dict:
    return {"Organisatie": "A", "Fiche ID": fiche, "Contactdatum": "10/03/2022"} | cells


def clean(closure=(), six=(), twelve=(), **kw):
    book = {"closure": pd.DataFrame(list(closure), columns=ins.sheet_headers("closure"))}
    if six:
        book["6m"] = pd.DataFrame(list(six), columns=ins.sheet_headers("6m"))
    if twelve:
        book["12m"] = pd.DataFrame(list(twelve), columns=ins.sheet_headers("12m"))
    book = {m: f.astype(object).where(f.notna(), "") for m, f in book.items()}
    return clean_kerndataset(book, dashboard=kw.pop("dashboard", dashboard()), export_date=EXPORT, **kw)


# --- instrument -------------------------------------------------------------------------


def test_instrument_has_28_parent_items_and_11_child_answers_with_report_lines():
    items = ins.load_items()
    assert len(ins.survey_items("modelgetrouwheid")) == 14
    assert len(ins.survey_items("effectiviteit")) == 14
    assert ins.survey_items("kind")[:5] == ["K1a", "K1b", "K1c", "K1d", "K1e"]
    assert len(ins.survey_items("kind")) == 11
    assert items["item_id"].is_unique and items["header"].is_unique
    assert items["source_line"].between(8023, 8560).all()
    assert items["text"].str.len().gt(10).all()


def test_every_sheet_starts_with_the_keys_and_consent_is_asked_at_closure_only():
    for moment in ins.MOMENTS:
        headers = ins.sheet_headers(moment)
        assert headers[:3] == ["Organisatie", "Fiche ID", "Contactdatum"]
        assert ("Toestemming datum" in headers) == (moment == "closure")
    assert "O28" in ins.sheet_headers("closure") and "O28" not in ins.sheet_headers("6m")


# --- workbook -------------------------------------------------------------------------


def test_template_has_a_protected_sheet_per_moment_with_validation_lists(tmp_path):
    path = write_template(tmp_path / "k.xlsx", dashboard=dashboard(), organisation="A", rows=20)
    wb = load_workbook(path)
    assert [s for s in wb.sheetnames if s in ins.MOMENT_SHEETS.values()] == list(
        ins.MOMENT_SHEETS.values()
    )
    ws = wb["Afronding"]
    assert ws.protection.sheet
    assert ws["A1"].protection.locked and not ws["C2"].protection.locked
    assert [ws.cell(row=r, column=2).value for r in range(2, 6)] == ["F1", "F2", "F3", "F4"]
    ranges = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    o1 = ins.sheet_headers("closure").index("O1") + 1
    from openpyxl.utils import get_column_letter

    likert = ranges[f"{get_column_letter(o1)}2"]
    assert likert.type == "list" and "Lijsten" in likert.formula1
    lists = wb["Lijsten"]
    assert lists.sheet_state == "hidden"
    assert "Helemaal akkoord" in [c.value for c in lists["A"]] + [c.value for c in lists["B"]] + [
        c.value for c in lists["C"]
    ]
    assert ws["O1".replace("O1", get_column_letter(o1)) + "1"].comment is not None


def test_template_refuses_an_organisation_not_in_the_export(tmp_path):
    with pytest.raises(SofsInputError, match="komt niet voor"):
        write_template(tmp_path / "k.xlsx", dashboard=dashboard(), organisation="Z")


def test_filled_template_cleans(tmp_path):
    path = write_template(tmp_path / "k.xlsx", dashboard=dashboard(), organisation="A", rows=20)
    wb = load_workbook(path)
    ws = wb["Afronding"]
    headers = ins.sheet_headers("closure")
    ws.cell(row=2, column=headers.index("Contactdatum") + 1, value="12/03/2022")
    ws.cell(row=2, column=headers.index("O1") + 1, value="Akkoord")
    wb.save(path)
    res = clean_kerndataset(path, dashboard=dashboard(), export_date=EXPORT)
    assert res.report["rows_clean"] == 1
    assert res.report["rows_without_answers"] == 3  # the prefilled rows left empty
    assert res.data.loc[0, "O1"] == 4


# --- cleaning rules -------------------------------------------------------------------


def test_likert_typed_variants_are_mapped_and_every_mapping_is_counted():
    res = clean([closure_row("F1", O1="akkoord ", O2="Akk.", O3=4, O4="Hel. akkoord", O5="zeker")])
    row = res.data.iloc[0]
    assert (row["O1"], row["O2"], row["O3"], row["O4"]) == (4, 4, 4, 5)
    assert pd.isna(row["O5"])
    forms = {(m["form"], m["typed"]): m["count"] for m in res.report["answer_mappings"]}
    assert forms[("variant", "Akk.")] == 1 and forms[("number", "4")] == 1
    assert forms[("case_or_spacing", "akkoord ")] == 1  # the trailing space as typed
    issue = res.cell_issues.iloc[0]
    assert (issue["column"], issue["typed"], issue["reason_code"]) == ("O5", "zeker", "invalid_answer")


def test_unknown_fiche_id_is_quarantined_not_dropped():
    res = clean([closure_row("F1", O1="Akkoord"), closure_row("F99", O1="Akkoord")])
    assert res.report["rows_quarantined"] == 1
    assert res.quarantine.loc[0, "reason_code"] == "unknown_trajectory"
    assert "F99" in res.quarantine.loc[0, "cells"]
    assert list(res.data["trajectory_id"]) == ["F1"]


def test_missing_keys_are_quarantined_with_their_reason():
    res = clean([closure_row("", O1="Akkoord"), {"Organisatie": "", "Fiche ID": "F2", "O1": "Akkoord"}])
    assert res.report["quarantine_reasons"] == {"missing_organisation": 1, "missing_trajectory_id": 1}


def test_an_item_answered_twice_keeps_the_latest_answer_and_blanks_never_overwrite():
    res = clean(
        [
            closure_row("F1", O1="Akkoord", O2="Neutraal", Contactdatum="10/03/2022"),
            closure_row("F1", O1="Helemaal akkoord", O2="", Contactdatum="14/03/2022"),
        ]
    )
    row = res.data.iloc[0]
    assert (row["O1"], row["O2"]) == (5, 3)
    assert res.report["rows_merged"] == 1
    assert res.report["problems"]["items_answered_twice_conflicting"] == 1


def test_accounting_invariant_holds():
    res = clean(
        [closure_row("F1", O1="Akkoord"), closure_row("F1", O1="Akkoord"),
         closure_row("F9", O1="Akkoord"), closure_row("F2")]  # fmt: skip
    )
    r = res.report
    assert r["rows_in"] == 4
    assert r["rows_clean"] + r["rows_quarantined"] + r["rows_merged"] + r["rows_without_answers"] == 4
    assert (r["rows_clean"], r["rows_quarantined"], r["rows_merged"], r["rows_without_answers"]) == (1, 1, 1, 1)


def consented(fiche, day="10/03/2022", channel="E-mail", **cells):
    return closure_row(fiche, **{"Toestemming datum": day, "Toestemming kanaal": channel} | cells)


def six_row(fiche, day, reached="Ja", **cells):
    return {"Organisatie": "A", "Fiche ID": fiche, "Contactdatum": day, "Bereikt": reached} | cells


def test_consent_date_after_the_followup_contact_is_flagged():
    res = clean([consented("F1", day="20/10/2022")], six=[six_row("F1", "12/09/2022")])
    six = res.data[res.data["moment"].eq("6m")].iloc[0]
    assert bool(six["consent_after_contact"]) and bool(six["has_consent"])
    assert res.report["problems"]["consent_after_contact"] == 1


def test_consent_needs_a_date_and_a_channel():
    res = clean(
        [consented("F1"), consented("F2", channel="Geen toestemming"), consented("F3", channel=""),
         consented("F4", day="", channel="mail")]  # fmt: skip
    )
    consent = res.data.set_index("trajectory_id")["has_consent"].to_dict()
    assert consent == {"F1": True, "F2": False, "F3": False, "F4": False}
    assert res.report["problems"]["consent_date_without_channel"] == 1


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_survey_export_columns_are_matched_by_text_and_personal_columns_are_not_read(
    tmp_path, suffix
):
    text15 = ins.load_items().set_index("item_id").loc["O15", "text"]
    export = pd.DataFrame(
        {
            "Id": [1],
            "Tijd van voltooien": ["15/03/2022 10:12:00"],
            "Naam": ["Jan Peeters"],
            "E-mail": ["jan@example.org"],
            "Fiche ID": ["F2"],
            f"15. {text15}": ["Helemaal akkoord"],
            "Jou goed kent?": ["Soms"],
        }
    )
    path = tmp_path / f"forms{suffix}"
    if suffix == ".csv":
        export.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    else:
        export.to_excel(path, index=False)
    res = clean_kerndataset(survey_exports=[path], dashboard=dashboard(), organisation="A",
                            export_date=EXPORT)  # fmt: skip
    row = res.data.iloc[0]
    assert (row["O15"], row["K1a"], row["source"]) == (5, 2, "survey_export")
    assert res.report["problems"]["personal_columns_not_read"] == 2
    out = write_clean(res, tmp_path / "out")
    written = "".join(p.read_text(encoding="utf-8") for p in out.values())
    assert "Peeters" not in written and "example.org" not in written


def test_free_text_is_removed_for_views_beyond_the_organisation():
    res = clean([closure_row("F1", **{"Signalen veiliger": "praat met oma", "Opmerkingen": "x"})])
    assert res.data.loc[0, "signs_safer"] == "praat met oma"
    shared = without_free_text(res.data)
    assert "signs_safer" not in shared.columns and "remarks" not in shared.columns


# --- scoring --------------------------------------------------------------------------


def test_subscale_score_is_the_mean_when_at_most_two_of_fourteen_items_are_missing():
    fidelity = ins.survey_items("modelgetrouwheid")
    two_missing = {i: "Akkoord" for i in fidelity[2:]}
    three_missing = {i: "Akkoord" for i in fidelity[3:]}
    res = clean([closure_row("F1", **two_missing), closure_row("F2", **three_missing)])
    scores = scoring.subscale_scores(res.data).set_index("trajectory_id")
    assert scores.loc["F1", "modelgetrouwheid_score"] == 4.0
    assert pd.isna(scores.loc["F2", "modelgetrouwheid_score"])
    assert scoring.max_missing("modelgetrouwheid") == 2 and scoring.max_missing("kind") == 2


def test_item_table_reports_floor_and_ceiling_per_item():
    rows = [closure_row(f"F{i}", O1=label, O2=label) for i, label in
            enumerate(["Helemaal akkoord", "Helemaal akkoord", "Neutraal", "Helemaal niet akkoord"], 1)]  # fmt: skip
    table = scoring.item_table(clean(rows).data, "modelgetrouwheid").set_index("item")
    assert table.loc["O1", "ceiling_share"] == 0.5 and table.loc["O1", "floor_share"] == 0.25
    assert table.loc["O3", "n"] == 0


# --- follow-up -----------------------------------------------------------------------


def test_schedule_never_lists_a_family_without_consent():
    res = clean(
        [consented("F1"), consented("F2", channel="Geen toestemming"), closure_row("F3", O1="Akkoord"),
         consented("F4", day="")]  # fmt: skip
    )
    schedule = followup_schedule(dashboard(), res.data, organisation="A", today="2022-09-01")
    assert list(schedule["trajectory_id"]) == ["F1"]
    assert list(schedule["moment"]) == ["6m"]
    assert schedule.loc[0, "due_date"] == pd.Timestamp("2022-09-10")


def test_schedule_skips_moments_already_registered_and_is_for_one_organisation():
    res = clean([consented("F1"), consented("F2")], six=[six_row("F1", "12/09/2022")])
    schedule = followup_schedule(dashboard(), res.data, organisation="A", today="2022-09-01")
    assert list(schedule["trajectory_id"]) == ["F2"]
    assert followup_schedule(dashboard(), res.data, organisation="B", today="2022-09-01").empty
    with pytest.raises(SofsInputError):
        followup_schedule(dashboard(), res.data, organisation="", today="2022-09-01")


def test_response_and_attrition_count_due_families_with_consent():
    res = clean(
        [consented("F1"), consented("F2"), consented("F3"), closure_row("F4", O1="Akkoord")],
        six=[six_row("F1", "12/09/2022"), six_row("F2", "12/09/2022", reached="Nee")],
    )
    table = response_by_moment(dashboard(), res.data, reference_date="2022-12-31")
    got = table.set_index(["moment", "indicator"])
    assert got.loc[("closure", "closure_registered"), "share"] == 1.0
    assert got.loc[("closure", "consent"), "numerator"] == 3
    assert (got.loc[("6m", "response"), "numerator"], got.loc[("6m", "response"), "denominator"]) == (1, 3)
    assert got.loc[("6m", "attrition"), "numerator"] == 2
    assert got.loc[("12m", "response"), "denominator"] == 0


def test_paired_change_in_network_figures_uses_the_wilcoxon_test():
    closure = [consented(f"F{i}", **{"Aantal netwerkfiguren": n}) for i, n in zip(range(1, 5), (4, 5, 3, 6), strict=True)]
    six = [six_row(f"F{i}", "12/09/2022", **{"Aantal netwerkfiguren": n}) for i, n in zip(range(1, 5), (3, 3, 2, 6), strict=True)]
    pairs, test = paired_change(clean(closure, six=six).data, "network_figures_n")
    assert len(pairs) == 4
    assert (test.n_negative, test.n_positive, test.n_ties) == (3, 0, 1)
    assert test.ok and test.z < 0


def test_renewed_referral_links_binc_and_leaves_open_windows_unknown():
    res = clean([consented(f"F{i}", **{"Kind ID (Binc)": f"K{i}"}) for i in range(1, 5)])
    modules = pd.DataFrame(
        {
            "child_id": ["K1", "K1", "K2", "K3", "K3"],
            "is_sofs": [True, False, True, True, False],
            "start_date": pd.to_datetime(["2021-01-01", "2021-09-01", "2021-01-01", "2022-01-01", "2022-06-01"]),
            "end_date": pd.to_datetime(["2021-06-01", None, "2021-06-01", "2023-01-01", None]),
        }
    )
    out = renewed_referral(res.data, modules, binc_export_date="2023-06-06").set_index("binc_child_id")
    assert out.loc["K1", "status"] == "linked" and bool(out.loc["K1", "re_referral"])
    assert out.loc["K2", "status"] == "linked" and not bool(out.loc["K2", "re_referral"])
    assert out.loc["K3", "status"] == "window_open" and pd.isna(out.loc["K3", "re_referral"])
    assert out.loc["K4", "status"] == "not_in_binc"


def test_impact_tables_hold_no_free_text_and_show_organisation_beside_flanders():
    res = clean([consented("F1", O1="Akkoord", **{"Signalen veiliger": "geheim verhaal"})])
    tables = impact_tables(dashboard(), res.data, organisation="A", reference_date="2022-12-31")
    assert set(tables["scores"]["area"]) == {"A", "Vlaanderen"}
    for table in tables.values():
        assert not table.astype(str).apply(lambda c: c.str.contains("geheim")).any().any()


def test_schedule_refuses_a_kernel_bound_to_another_organisation():
    from sofs_lib import access

    res = clean([consented("F1")])
    try:
        access.bind("b-user", access.ORGANISATION, "B")
        with pytest.raises(PermissionError):
            followup_schedule(dashboard(), res.data, organisation="A", today="2022-09-01")
        assert followup_schedule(dashboard(), res.data, organisation="B", today="2022-09-01").empty
    finally:
        access._reset_for_tests()
