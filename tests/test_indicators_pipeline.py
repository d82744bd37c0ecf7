"""Indicators on the cleaner's real output: raw export rows -> clean_dashboard -> headline."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sofs_lib.catalogue import STEPS

clean_dashboard = pytest.importorskip("sofs_lib.clean_dashboard").clean_dashboard
from sofs_lib import indicators as ind  # noqa: E402


def raw_row(org: str, fiche: str, end: str = "", **cells: str) -> dict[str, str]:
    row = {
        "Organisatie": org,
        "Fiche ID": fiche,
        "Startdatum CB": "01/02/2022",
        "Startdatum consulent": "",
        "Typering casus": "IFG",
        "Netwerk met aantal": "4",
        "Netwerkberaden": "",
        "Plan B": "",
        "Plan B in werking": "",
        "Einddatum": end,
    }
    for step in STEPS:
        row[f"{step.header} CB"] = "15/03/2022"
        row[f"{step.header} consulent"] = ""
    row.update(cells)
    return row


@pytest.fixture(scope="module")
def cleaned() -> pd.DataFrame:
    rows = [
        raw_row(
            "A", "1", "30/11/2022", **{"Netwerkberaden": "6", "Plan B in werking": "01/05/2022"}
        ),
        raw_row(
            "A",
            "2",
            "30/11/2022",
            **{
                "Netwerkberaden": "12/03/2022",
                "Plan B in werking": "nee",
                "W&P CB": "nee",
                "W&P consulent": "nee",
            },
        ),
        raw_row(
            "B",
            "3",
            **{
                "Netwerkberaden": "2",
                "Veiligheidsdoel CB": "",
                "Veiligheidsdoel consulent": "20/03/2022",
            },
        ),
        raw_row("B", "4"),
    ]
    result = clean_dashboard(pd.DataFrame(rows), export_date=date(2023, 10, 5))
    assert len(result.data) == 4
    return result.data


def test_headline_on_cleaned_export(cleaned):
    out = ind.headline(cleaned).set_index("indicator")
    counts = {k: (int(r.numerator), int(r.denominator)) for k, r in out.iterrows()}
    assert counts == {
        "all_steps": (1, 2),
        "words_pictures": (1, 2),
        "safety_plan_adult": (2, 2),
        "safety_plan_child": (2, 2),
        "meetings_6_plus": (1, 2),  # the date typed in row 2 is no count
        "plan_b_in_effect": (1, 2),
        "cb_safety_goal": (3, 4),
        "consulent_safety_goal": (1, 4),
    }


def test_months_and_duration_on_cleaned_export(cleaned):
    steps = ind.months_to_steps(cleaned).set_index("step")
    # 1 Feb -> 15 Mar 2022 = 42 days
    assert steps.loc["mapping_internal", "mean"] == pytest.approx(42 / 30.4375)
    duration = ind.module_duration(cleaned).iloc[0]
    # 1 Feb -> 30 Nov 2022 = 302 days
    assert duration["n"] == 2 and duration["mean"] == pytest.approx(302 / 30.4375)


def test_by_organisation_on_cleaned_export(cleaned):
    out = ind.step_presence(cleaned, by=["organisation"])
    b = out[(out["organisation"] == "B") & (out["step"] == "safety_goal")].set_index("person")
    assert b.loc["consulent", ["numerator", "denominator"]].tolist() == [1, 2]
    assert ind.organisations_without_consulent(cleaned).organisations == ("A",)


def test_frame_reread_from_csv_gives_the_same_figures(cleaned, tmp_path):
    path = tmp_path / "dashboard.csv"
    cleaned.to_csv(path, index=False)
    reread = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
    expected = ind.headline(cleaned)
    got = ind.headline(reread)
    pd.testing.assert_frame_equal(got, expected)
