"""Binc profile indicators (Tables 5-8) on small cleaned extracts."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sofs_lib.clean_binc import clean_binc
from sofs_lib.indicators import profiles

SOFS = "Contextbegeleiding in functie van veiligheidsplanning Signs of Safety"
RES = "Organisatie voor bijzondere jeugdzorg met verblijf"
COLUMNS = ["Kind ID", "Schakeling", "Typemodule", "Begindatum", "Einddatum", "VZB organisatietype"]


def result(module_rows: list[tuple], child_rows: list[dict]):
    modules = pd.DataFrame(module_rows, columns=COLUMNS)
    base = {"Geslacht": "Vrouwelijk", "Instroomleeftijd": 5}
    children = pd.DataFrame([{**base, **r} for r in child_rows])
    return clean_binc((modules, children), export_date=date(2023, 6, 6))


@pytest.fixture(scope="module")
def small():
    """K1: before link, SofS twice, after link (open). K2: SofS alone, closed, combined
    with a short stay. K3: SofS in link 3 after two links, end unknown."""
    return result(
        [
            ("K1", 1, "Gezinsbegeleiding", "01/02/2020", "01/06/2020", "Pleegzorg"),
            ("K1", 2, SOFS, "01/07/2020", "01/01/2021", RES),
            ("K1", 3, SOFS, "01/01/2021", "01/03/2022", RES),
            ("K1", 4, "Contextbegeleiding breedsporig", "01/04/2022", "", "Pleegzorg"),
            ("K2", 1, SOFS, "01/02/2022", "01/12/2022", "Pleegzorg"),
            ("K2", 1, "Verblijf voor kinderen (korte duur)", "01/02/2022", "01/12/2022", ""),
            ("K3", 1, "Crisisbegeleiding", "01/01/2023", "01/02/2023", ""),
            ("K3", 2, "Perspectiefzoekende pleegzorg", "01/02/2023", "01/03/2023", ""),
            ("K3", 2, "Verblijf in pleeggezin", "01/02/2023", "01/03/2023", ""),
            ("K3", 3, SOFS, "01/03/2023", "??", RES),
        ],
        [
            {"Kind ID": "K1", "Geslacht": "Mannelijk", "Instroomleeftijd": 10,
             "Schuldenlast": "Ja", "Pleegzorg in traject": "Ja, netwerkpleegzorg",
             "Netwerkpleegzorg": "familiaal"},
            {"Kind ID": "K2", "Instroomleeftijd": 4, "Schuldenlast": "NVT",
             "Pleegzorg in traject": "Ja, netwerkpleegzorg"},
            {"Kind ID": "K3", "Instroomleeftijd": 6, "Pleegzorg in traject": "Nee"},
        ],
    )  # fmt: skip


def test_a_child_counts_in_every_year_of_its_sofs_span(small):
    per_year = profiles.children_per_year(small.children).set_index("year")["n"].to_dict()
    assert per_year == {2020: 1, 2021: 1, 2022: 2, 2023: 1}
    sex = profiles.sex_by_year(small.children)
    row = sex[(sex["year"] == 2022) & (sex["category"] == "Mannelijk")].iloc[0]
    assert (row["numerator"], row["denominator"]) == (1, 2)


def test_age_mean_per_year_uses_children_active_that_year(small):
    ages = profiles.age_by_year(small.children).set_index("year")["mean"]
    assert ages[2022] == pytest.approx(7.0) and ages[2020] == pytest.approx(10.0)


def test_table5_shares_count_nvt_and_missing_over_all_children(small):
    t5 = profiles.table5(small.children)
    debts = t5[t5["variable"] == "debts"].set_index("category")
    assert list(debts.index) == ["Ja", "Nee", "Niet van toepassing", "Missing"]
    assert debts["denominator"].eq(3).all()
    assert debts.loc["Ja", "numerator"] == 1 and debts.loc["Missing", "numerator"] == 1
    assert debts.loc["Nee", "share"] == 0


def test_foster_network_kind_is_a_share_of_network_foster_care(small):
    fc = profiles.foster_care(small.children)
    network = fc[fc["indicator"] == "foster_network"].set_index("category")
    assert network.loc["In familiaal netwerk", "denominator"] == 2
    assert network.loc["Missing", "numerator"] == 1


def test_status_and_vzb_of_the_last_link_unknown_status_left_out(small):
    status = profiles.status_shares(small.children).set_index("category")["numerator"]
    assert status.to_dict() == {"closed": 1, "open": 1, "Missing": 1}
    t6 = profiles.vzb_by_status(small.children)
    assert set(t6["status"]) == {"open", "closed"}
    open_foster = t6[(t6["status"] == "open") & (t6["category"] == "Pleegzorg")].iloc[0]
    assert (open_foster["numerator"], open_foster["denominator"]) == (1, 1)


def test_vzb_status_test_reports_why_when_not_computable(small):
    test = profiles.vzb_status_test(small.children)
    assert not test.ok and test.reason is not None


def test_module_frequency_combination_and_link_order(small):
    freq = profiles.module_frequency(small.children).set_index("category")
    assert freq.loc["twee maal", "numerator"] == 1 and freq.loc["éénmalig", "numerator"] == 2
    assert freq.loc["meer dan één keer", "denominator"] == 3
    combo = profiles.module_combination(small.modules).set_index("category")
    assert combo.loc["CB SofS + andere module(s)", "numerator"] == 1
    assert combo.loc["CB SofS + Verblijf voor kinderen (korte duur)", "denominator"] == 4
    order = profiles.link_order(small.modules).set_index("category")["numerator"]
    assert order.to_dict() == {
        "1e schakeling": 1, "2e schakeling": 1, "3e schakeling": 2,
        "4e-9e schakeling": 0, ">= 10e schakeling": 0,
    }  # fmt: skip


def test_clusters_count_each_link_once_by_its_main_module(small):
    clusters = profiles.clusters_before_after(small.modules)
    before = clusters[clusters["position"] == "before"].set_index("category")
    assert before["denominator"].iloc[0] == 4  # K1: 2 links; K3: 2 links (one of 2 modules)
    assert before.loc["Vorm van pleegzorg + verblijf in pleeggezin", "numerator"] == 1
    assert (
        before.loc[
            "Contextbegeleiding i.f.v. veiligheidsplanning SofS (+ vorm van verblijf)", "numerator"
        ]
        == 1
    )
    after = clusters[clusters["position"] == "after"].set_index("category")
    assert after.loc["Contextbegeleiding breedsporig (+ vorm van verblijf)", "share"] == 1.0
    summary = profiles.links_summary(small.modules).set_index(["indicator", "position"])["n"]
    assert summary[("module_rows", "all")] == 10 and summary[("links", "all")] == 8


def test_path_shapes(small):
    shapes = profiles.path_shapes(small.children).set_index("category")["numerator"]
    assert shapes["voortraject"] == 2 and shapes["natraject"] == 1
    assert shapes["enige module"] == 1


def test_indicators_group_by_a_children_column(small):
    t = profiles.status_shares(small.children, by=["sex"])
    male = t[(t["sex"] == "Mannelijk") & (t["category"] == "open")].iloc[0]
    assert (male["numerator"], male["denominator"]) == (1, 1)


def test_binc_figures_compute_every_reference_id(small):
    from sofs_lib import config

    ref = pd.read_csv(config.REFERENCE_DIR / "report_figures.csv")
    ids = ref.loc[ref["source"] == "binc", "id"]
    figures = profiles.binc_figures(small)
    assert set(ids) <= set(figures)
    assert figures["binc_children"] == 3 and figures["binc_sofs_modules"] == 4


def test_table5_by_year_holds_counts_and_shares_per_year(small):
    long = profiles.table5_by_year(small.children)
    male_2022 = long[(long["variable"] == "sex") & (long["category"] == "Mannelijk")
                     & (long["year"] == 2022)].iloc[0]  # fmt: skip
    assert (male_2022["numerator"], male_2022["denominator"]) == (1, 2)
    ages_2022 = long[(long["variable"] == "age") & (long["year"] == 2022)]
    assert ages_2022["numerator"].sum() == 2 and len(ages_2022) == 20  # 0..18 + Missing


def test_table5_by_year_wide_reads_like_the_report(small):
    wide = profiles.table5_by_year_wide(small.children)
    row = wide[(wide["Kenmerk"] == "Geslacht") & (wide["Categorie"] == "Mannelijk")].iloc[0]
    assert row[2022] == "1 (50,0%)"
    mean = wide[(wide["Kenmerk"] == "Instroomleeftijd in jaar") & (wide["Categorie"] == "M")]
    assert mean.iloc[0][2022] == "7,0"
