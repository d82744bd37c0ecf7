"""Matching Binc provider names to the dashboard export's organisations (Profiel per
organisation): normalised exact names, a mapping file, and a report of what is unmatched."""

from __future__ import annotations

import pandas as pd
import pytest

from sofs_lib import binc_organisations as bo
from sofs_lib.errors import SofsInputError

DASHBOARD = ["'t Ventiel", "De Brug", "Élan Gent", "Organisatie A"]


def test_legal_form_case_spaces_and_apostrophes_are_forgiven_but_accents_are_not():
    assert bo.normalise_name("V.Z.W.  De  BRUG") == bo.normalise_name("De Brug")
    assert bo.normalise_name("\u2019t Ventiel vzw") == bo.normalise_name("'t Ventiel")
    assert bo.normalise_name("Elan Gent") != bo.normalise_name("Élan Gent")
    # NFC: a decomposed é is the same name
    assert bo.normalise_name("E\u0301lan Gent") == bo.normalise_name("Élan Gent")


def test_unmatched_names_are_reported_with_their_children_and_the_closest_name():
    match = bo.match_names({"vzw De Brug": 12, "Elan Gent": 7, "Onbekende dienst": 3}, DASHBOARD)
    assert match.mapping == {"vzw De Brug": "De Brug"}
    assert match.unmatched == {"Elan Gent": 7, "Onbekende dienst": 3}
    assert match.closest["Elan Gent"] == "Élan Gent"
    nl, en = "\n".join(match.lines("nl")), "\n".join(match.lines("en"))
    assert "niet gekoppeld: 'Elan Gent' (7 kinderen; telt enkel mee in Vlaanderen); lijkt op 'Élan Gent'" in nl
    assert "not matched: 'Onbekende dienst' (3 children; counted in Flanders only)" in en
    assert match.children_matched == 12 and match.children_unmatched == 10


def test_mapping_file_matches_first_and_can_leave_a_name_out_on_purpose(tmp_path):
    path = tmp_path / "binc_organisaties.csv"
    path.write_text("binc;dashboard\nElan Gent;Élan Gent\nOnbekende dienst;\n", encoding="utf-8")
    children = pd.DataFrame({
        "child_id": ["1", "2", "3", "4"],
        "organisation": pd.array(["Elan Gent", "Onbekende dienst", "ORGANISATIE A", None], dtype="str"),
    })
    out, match = bo.assign(children, DASHBOARD, mapping_file=path)
    assert out["organisation"].iloc[0] == "Élan Gent"
    assert pd.isna(out["organisation"].iloc[1]) and pd.isna(out["organisation"].iloc[3])
    assert out["organisation"].iloc[2] == "Organisatie A"
    assert match.how == {"Elan Gent": "bestand", "ORGANISATIE A": "naam"}
    assert match.excluded == {"Onbekende dienst": 1} and match.children_unknown == 1
    assert len(out) == len(children)  # no child is dropped


def test_mapping_file_mistakes_are_named_at_once_in_dutch(tmp_path):
    path = tmp_path / "koppel.csv"
    path.write_text("binc,dashboard\nX,De Bruggen\nY,De Brug\nY,Organisatie A\n", encoding="utf-8")
    with pytest.raises(SofsInputError) as err:
        bo.read_mapping(path, DASHBOARD)
    text = str(err.value)
    assert "'De Bruggen' is geen organisatie van de dashboardexport (bedoelt u 'De Brug'?)" in text
    assert "'Y' staat al gekoppeld aan 'De Brug'" in text
    path.write_text("naam;organisatie\n", encoding="utf-8")
    with pytest.raises(SofsInputError, match="mist de kolom"):
        bo.read_mapping(path, DASHBOARD)


def test_mapping_file_comes_from_the_environment_or_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("SOFS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(bo.MAPPING_ENV, raising=False)
    assert bo.mapping_path() == tmp_path.resolve() / bo.DEFAULT_FILENAME
    monkeypatch.setenv(bo.MAPPING_ENV, str(tmp_path / "elders.csv"))
    assert bo.mapping_path() == (tmp_path / "elders.csv").resolve()


def test_synthetic_binc_spells_the_dashboard_names_and_every_one_matches():
    from sofs_lib.synth.binc import binc_provider_name

    names = ["Organisatie Ä", "'t Ventiel", "De Brug", "Élan", "Zonnebloem", "Kiem", "Wiel"]
    spelled = {binc_provider_name(n, i): 1 for i, n in enumerate(names)}
    assert set(spelled) != set(names)  # Binc spells some differently
    match = bo.match_names(spelled, names)
    assert not match.unmatched and sorted(match.mapping.values()) == sorted(names)
