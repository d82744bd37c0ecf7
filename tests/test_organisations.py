"""Organisation attributes from a researcher-filled mapping file (sofs_lib.organisations)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from sofs_lib.errors import SofsInputError
from sofs_lib.organisations import (
    MissingOrganisationsWarning,
    add_organisation_attributes,
    organisation_types,
    read_attributes,
    write_attribute_template,
)


@pytest.fixture
def trajectories() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "organisation": ["Kompas Gent", "De Link", "Kompas Gent", "Horizon", "De Link"],
            "trajectory_id": ["1", "2", "3", "4", "5"],
        }
    )


def _write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_template_lists_every_organisation_once_with_empty_attributes(trajectories, tmp_path):
    path = write_attribute_template(trajectories, tmp_path / "orgs.csv")
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert frame["organisation"].tolist() == ["De Link", "Horizon", "Kompas Gent"]
    assert frame["organisation_type"].tolist() == ["", "", ""]


def test_xlsx_template_carries_the_allowed_types(trajectories, tmp_path):
    path = write_attribute_template(trajectories, tmp_path / "orgs.xlsx")
    allowed = pd.read_excel(path, sheet_name="toegelaten_types", engine="calamine")
    assert tuple(allowed["organisation_type"]) == organisation_types()


def test_template_refuses_to_overwrite_a_filled_in_file(trajectories, tmp_path):
    path = write_attribute_template(trajectories, tmp_path / "orgs.csv")
    with pytest.raises(SofsInputError, match="bestaat al"):
        write_attribute_template(trajectories, path)


def test_attributes_join_by_name_forgiving_case_and_spaces(trajectories, tmp_path):
    path = _write_csv(
        tmp_path / "orgs.csv",
        "organisation;organisation_type;region\n"
        "kompas  gent;CKG;Oost\nDe Link;Crisishulp aan huis;West\nHorizon;ooc;Oost\n",
    )
    out = add_organisation_attributes(trajectories, path)
    assert out["organisation_type"].tolist() == [
        "Centrum Kinderzorg en Gezinsondersteuning",
        "Crisishulp aan huis",
        "Centrum Kinderzorg en Gezinsondersteuning",
        "Onthaal-, observatie- en oriëntatiecentrum",
        "Crisishulp aan huis",
    ]
    assert out["region"].tolist() == ["Oost", "West", "Oost", "Oost", "West"]
    assert out["trajectory_id"].tolist() == trajectories["trajectory_id"].tolist()


def test_every_mistake_is_reported_at_once_with_excel_rows(trajectories, tmp_path):
    path = _write_csv(
        tmp_path / "orgs.csv",
        "organisation;organisation_type\n"
        "Kompas Gent;CKG\n"  # row 2
        "KOMPAS GENT ;Pleegzorg\n"  # row 3: duplicate of row 2
        "De Lnk;Pleegzorg\n"  # row 4: not in the export (typo)
        "Horizon;Pleegzorgg\n"  # row 5: unknown type (typo)
        ";Pleegzorg\n",  # row 6: attributes without a name
    )
    with pytest.raises(SofsInputError) as info:
        add_organisation_attributes(trajectories, path)
    message = str(info.value)
    assert "4 fout(en)" in message
    assert "rij 2" in message and "rij 3" in message and "meer dan één keer" in message
    assert (
        "rij 4: organisatie 'De Lnk' komt niet voor in de export; bedoelde u 'De Link'?" in message
    )
    assert "rij 5: onbekend organisatietype 'Pleegzorgg'; bedoelde u 'Pleegzorg'?" in message
    assert "rij 6: geen organisatienaam" in message


def test_organisations_missing_from_the_file_get_na_and_a_warning(trajectories, tmp_path):
    path = _write_csv(tmp_path / "orgs.csv", "organisation,organisation_type\nHorizon,Pleegzorg\n")
    with pytest.warns(MissingOrganisationsWarning, match="De Link, Kompas Gent"):
        out = add_organisation_attributes(trajectories, path)
    assert out["organisation_type"].isna().sum() == 4
    assert out.loc[out["organisation"] == "Horizon", "organisation_type"].item() == "Pleegzorg"


def test_a_file_without_organisation_column_is_refused(tmp_path):
    path = _write_csv(tmp_path / "orgs.csv", "naam;type\nA;B\n")
    with pytest.raises(SofsInputError, match="kolom 'organisation' ontbreekt"):
        read_attributes(path)


def test_attributes_may_not_overwrite_export_columns(trajectories, tmp_path):
    path = _write_csv(tmp_path / "orgs.csv", "organisation;trajectory_id\nHorizon;x\n")
    with pytest.raises(SofsInputError, match="trajectory_id"), warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingOrganisationsWarning)
        add_organisation_attributes(trajectories, path)


def test_missing_file_says_how_to_make_one(trajectories, tmp_path):
    with pytest.raises(SofsInputError, match="write_attribute_template"):
        add_organisation_attributes(trajectories, tmp_path / "absent.csv")
