"""Cleaning rules of the Binc extract (docs/binc_data_dictionary.md), one test per rule."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sofs_lib.clean_binc import clean_binc, clean_binc_to_dir
from sofs_lib.errors import SofsInputError

SOFS = "Contextbegeleiding in functie van veiligheidsplanning Signs of Safety"
EXPORT = date(2023, 6, 6)


def module_rows(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["Kind ID", "Schakeling", "Typemodule", "Begindatum", "Einddatum",
                 "VZB organisatietype", "Organisatie"],
    )  # fmt: skip


def child_rows(*rows: dict) -> pd.DataFrame:
    base = {"Kind ID": "K1", "Geslacht": "Mannelijk", "Instroomleeftijd": 9}
    return pd.DataFrame([{**base, **r} for r in rows])


def clean(modules: pd.DataFrame, children: pd.DataFrame | None = None):
    if children is None:
        ids = sorted({str(i).strip() for i in modules["Kind ID"] if str(i).strip()})
        children = child_rows(*({"Kind ID": i} for i in ids))
    return clean_binc((modules, children), export_date=EXPORT)


def test_blank_end_date_means_open_and_date_means_closed():
    r = clean(module_rows(
        ("K1", 1, SOFS, "01/02/2022", "", "Pleegzorg", "Org"),
        ("K2", 1, SOFS, "01/02/2022", "03/04/2022", "Pleegzorg", "Org"),
    ))  # fmt: skip
    assert r.modules.set_index("child_id")["status"].to_dict() == {"K1": "open", "K2": "closed"}
    assert r.children.set_index("child_id")["status"].to_dict() == {"K1": "open", "K2": "closed"}


def test_invalid_end_date_leaves_status_unknown_and_is_counted():
    r = clean(module_rows(("K1", 1, SOFS, "01/02/2022", "onbekend", "", "Org")))
    assert r.modules["status"].isna().all()
    assert r.children["status"].isna().all()
    assert r.report["modules"]["problems"]["end_date_invalid"] == 1


def test_dates_in_every_typed_form_are_read_day_first():
    r = clean(module_rows(
        ("K1", 1, SOFS, "03/04/2022", None, "", "Org"),
        ("K1", 2, "Gezinsbegeleiding", "3-4-2022", None, "", "Org"),
        ("K1", 3, "Crisisbegeleiding", datetime(2022, 4, 3), None, "", "Org"),
        ("K1", 4, "Kamertraining", 44654.0, None, "", "Org"),
    ))  # fmt: skip
    assert (r.modules["start_date"] == pd.Timestamp("2022-04-03")).all()


def test_date_after_export_date_is_implausible_and_dropped():
    r = clean(module_rows(("K1", 1, SOFS, "03/04/2022", "01/01/2024", "", "Org")))
    assert r.modules["end_date"].isna().all()
    assert r.report["modules"]["problems"]["end_date_implausible"] == 1


def test_category_variants_map_to_the_report_categories():
    children = child_rows(
        {"Kind ID": "K1", "Geslacht": " vrouwelijk ", "Huisvesting": "NVT", "Schuldenlast": "ja"},
        {"Kind ID": "K2", "Geslacht": "M", "Huisvesting": "Missing", "Schuldenlast": "  NEE"},
    )
    modules = module_rows(("K1", 1, SOFS, "01/02/2022", "", "", ""),
                          ("K2", 1, SOFS, "01/02/2022", "", "", ""))  # fmt: skip
    c = clean(modules, children).children.set_index("child_id")
    assert c.loc["K1", ["sex", "housing", "debts"]].tolist() == [
        "Vrouwelijk", "Niet van toepassing", "Ja"]  # fmt: skip
    assert c.loc["K2", "sex"] == "Mannelijk" and pd.isna(c.loc["K2", "housing"])
    assert c.loc["K2", "debts"] == "Nee"


def test_unknown_category_becomes_missing_and_is_counted():
    children = child_rows({"Thuistaal": "Klingon"})
    r = clean(module_rows(("K1", 1, SOFS, "01/02/2022", "", "", "")), children)
    assert r.children["home_language"].isna().all()
    assert r.report["children"]["problems"]["home_language_unknown_value"] == 1


def test_module_aliases_map_to_sofs_and_unknown_module_is_kept_as_other():
    r = clean(module_rows(
        ("K1", 1, "  contextbegeleiding i.f.v. veiligheidsplanning SofS ", "01/02/2022", "", "", ""),
        ("K1", 2, "Iets nieuws", "01/03/2022", "", "", ""),
    ))  # fmt: skip
    m = r.modules.set_index("link_number")
    assert m.loc[1, "module"] == SOFS and bool(m.loc[1, "is_sofs"])
    assert m.loc[2, "module_cluster"] == "Andere modules" and not bool(m.loc[2, "module_known"])
    assert r.report["modules"]["problems"]["unknown_module_type"] == 1


def test_rows_without_child_id_link_or_module_are_quarantined_with_source_row():
    r = clean(module_rows(
        ("K1", 1, SOFS, "01/02/2022", "", "", ""),
        ("", 2, "Gezinsbegeleiding", "01/02/2022", "", "", ""),
        ("K1", "twee", "Gezinsbegeleiding", "01/02/2022", "", "", ""),
        ("K1", 3, "", "01/02/2022", "", "", ""),
    ))  # fmt: skip
    q = r.quarantine.set_index("source_row")["reason_code"].to_dict()
    assert q == {3: "missing_child_id", 4: "invalid_link_number", 5: "missing_module"}
    assert len(r.modules) == 1


def test_exact_duplicates_collapse_and_conflicting_rows_are_quarantined():
    row = ("K1", 1, SOFS, "01/02/2022", "", "", "")
    r = clean(module_rows(
        row, row,
        ("K1", 2, "Gezinsbegeleiding", "01/03/2022", "", "", ""),
        ("K1", 2, "Gezinsbegeleiding", "05/03/2022", "", "", ""),
    ))  # fmt: skip
    rep = r.report["modules"]
    assert (rep["rows_in"], rep["rows_clean"], rep["duplicates_collapsed"]) == (4, 1, 1)
    assert rep["rows_quarantined"] == 2
    assert set(r.quarantine["reason_code"]) == {"conflicting_module_rows"}
    assert r.report["rows_clean"] + r.report["rows_quarantined"] + r.report[
        "duplicates_collapsed"] == r.report["rows_in"]  # fmt: skip


def test_conflicting_child_rows_are_all_quarantined():
    children = child_rows({"Kind ID": "K1", "Instroomleeftijd": 9},
                          {"Kind ID": "K1", "Instroomleeftijd": 10})  # fmt: skip
    r = clean(module_rows(("K1", 1, SOFS, "01/02/2022", "", "", "")), children)
    assert r.children.empty
    assert r.report["children"]["quarantine_reasons"] == {"conflicting_child_rows": 2}


def test_positions_are_relative_to_the_last_sofs_module():
    r = clean(module_rows(
        ("K1", 1, "Gezinsbegeleiding", "01/02/2021", "01/06/2021", "", ""),
        ("K1", 2, SOFS, "01/07/2021", "01/01/2022", "", ""),
        ("K1", 3, SOFS, "01/01/2022", "01/06/2022", "", ""),
        ("K1", 4, "Contextbegeleiding breedsporig", "01/07/2022", "", "Pleegzorg", ""),
    ))  # fmt: skip
    m = r.modules.set_index("link_number")
    assert m["position"].tolist() == ["before", "before", "last_sofs", "after"]
    assert m["sofs_seq"].tolist()[1:3] == [1, 2]
    c = r.children.iloc[0]
    assert (c["n_sofs_modules"], c["n_before_links"], c["n_after_links"]) == (2, 2, 1)
    assert c["status"] == "open" and c["vzb_type"] == "Pleegzorg"
    assert (c["sofs_first_year"], c["sofs_last_year"]) == (2021, 2022)


def test_open_sofs_module_counts_up_to_the_export_year():
    r = clean(module_rows(("K1", 1, SOFS, "01/02/2021", "", "", "")))
    assert r.children.iloc[0]["sofs_last_year"] == 2023


def test_combined_link_takes_the_cluster_of_its_main_module():
    from sofs_lib.clean_binc import links_frame

    r = clean(module_rows(
        ("K1", 1, "Verblijf voor minderjarigen (lage frequentie)", "01/02/2021", "01/03/2021", "", ""),
        ("K1", 1, "Contextbegeleiding breedsporig", "01/02/2021", "01/03/2021", "", ""),
        ("K1", 2, SOFS, "01/04/2021", "", "", ""),
    ))  # fmt: skip
    links = links_frame(r.modules).set_index("link_number")
    assert links.loc[1, "module_cluster"] == "Contextbegeleiding breedsporig (+ vorm van verblijf)"
    assert links.loc[1, "n_modules"] == 2


def test_network_kind_without_network_foster_care_is_cleared_and_counted():
    children = child_rows({"Pleegzorg in traject": "Nee", "Netwerkpleegzorg": "familiaal"})
    r = clean(module_rows(("K1", 1, SOFS, "01/02/2022", "", "", "")), children)
    assert r.children["foster_network"].isna().all()
    assert r.report["children"]["problems"]["foster_network_without_network_care"] == 1


def test_missing_required_column_is_named():
    modules = module_rows(("K1", 1, SOFS, "01/02/2022", "", "", "")).drop(columns="Schakeling")
    with pytest.raises(SofsInputError, match="Schakeling"):
        clean(modules)


def test_a_file_that_is_not_an_extract_gives_one_clear_message(tmp_path):
    fake = tmp_path / "binc.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(SofsInputError, match="not a readable Excel workbook"):
        clean_binc(fake)
    out = tmp_path / "out"
    with pytest.raises(SofsInputError):
        clean_binc_to_dir(fake, out)
    assert not out.exists()


def test_csv_pair_is_accepted_and_written_out(tmp_path):
    modules = module_rows(("K1", 1, SOFS, "01/02/2022", "", "Pleegzorg", "Org"))
    modules.to_csv(tmp_path / "binc_schakelingen.csv", sep=";", index=False)
    child_rows({}).to_csv(tmp_path / "binc_kindkenmerken.csv", sep=";", index=False)
    out = tmp_path / "clean"
    r = clean_binc_to_dir(tmp_path, out, export_date=EXPORT)
    assert len(r.modules) == 1 and len(r.children) == 1
    assert {p.name for p in out.iterdir()} == {
        "binc_modules.csv", "binc_children.csv", "binc_quarantine.csv", "binc_quality_report.json"
    }  # fmt: skip


CELLS = st.sampled_from(
    ["", " ", "K1", "K2", " k1 ", "1", "2", " 3 ", "x", "nee", "01/02/2022", "2022-13-01",
     "onbekend", "NVT", SOFS, "Gezinsbegeleiding", "Pleegzorg", "Missing"]
)  # fmt: skip


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(*[CELLS] * 7), min_size=1, max_size=12))
def test_every_non_blank_row_is_accounted_for(rows):
    modules = module_rows(*rows)
    children = child_rows({"Kind ID": "K1"}, {"Kind ID": "K2"})
    r = clean_binc((modules, children), export_date=EXPORT)
    for part in (r.report["modules"], r.report["children"], r.report):
        assert (
            part["rows_clean"] + part["rows_quarantined"] + part["duplicates_collapsed"]
            == (part["rows_in"])
        )
    assert len(r.modules) == r.report["modules"]["rows_clean"]
    assert len(r.quarantine) == r.report["rows_quarantined"]


def test_workbook_without_the_binc_sheets_names_them(tmp_path):
    path = tmp_path / "dashboard.xlsx"
    pd.DataFrame({"Organisatie": ["A"], "Fiche ID": [1]}).to_excel(path, index=False)
    with pytest.raises(SofsInputError, match="Schakelingen"):
        clean_binc(path)


def test_one_csv_of_the_pair_finds_the_other(tmp_path):
    modules = module_rows(("K1", 1, SOFS, "01/02/2022", "", "", ""))
    modules.to_csv(tmp_path / "Binc_Schakelingen.csv", sep=";", index=False)
    child_rows({}).to_csv(tmp_path / "Binc_Kindkenmerken.csv", sep=";", index=False)
    r = clean_binc(tmp_path / "Binc_Schakelingen.csv", export_date=EXPORT)
    assert r.children["child_id"].tolist() == ["K1"]
    (tmp_path / "Binc_Kindkenmerken.csv").unlink()
    with pytest.raises(SofsInputError, match="other table"):
        clean_binc(tmp_path / "Binc_Schakelingen.csv")


def test_child_belongs_to_the_organisation_of_its_last_sofs_module():
    r = clean(module_rows(
        ("K1", 1, SOFS, "01/02/2021", "01/06/2021", "", "Organisatie Noord"),
        ("K1", 2, "Gezinsbegeleiding", "01/07/2021", "01/01/2022", "", "Voorziening 7"),
        ("K1", 3, SOFS, "01/01/2022", "01/06/2022", "", "  vzw  Organisatie Zuid "),
        ("K2", 1, SOFS, "01/02/2021", "", "", "Organisatie Noord"),
        ("K2", 2, SOFS, "01/03/2022", "", "", ""),  # last names none: the earlier one counts
        ("K3", 1, SOFS, "01/02/2021", "", "", ""),
    ))  # fmt: skip
    orgs = r.children.set_index("child_id")["organisation"]
    assert orgs["K1"] == "vzw Organisatie Zuid"  # a module of another provider never counts
    assert orgs["K2"] == "Organisatie Noord"
    assert pd.isna(orgs["K3"])
