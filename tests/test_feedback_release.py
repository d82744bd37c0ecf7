"""The feedback in the release: each organisation's own rows in its own slice only."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest

from sofs_lib import access, release
from sofs_lib.clean_dashboard import clean_dashboard
from sofs_lib.feedback import followup, organisation_feedback
from sofs_lib.release import store
from sofs_lib.release.measures import MEASURES

EXPORT = date(2026, 9, 30)
#: Organisation -> the prefix its Fiche IDs get, so every ID names its organisation.
ORGS = {"Huis Noord": "HN", "Huis Zuid": "HZ", "Team Oost": "TO", "Team West": "TW",
        "Dienst Kust": "DK"}
FEEDBACK_NAMES = set(store.FEEDBACK_FILES.values())


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """A generated export whose Fiche IDs carry their organisation, its release written
    with the feedback (two cheap panels: the feedback does not depend on the panels)."""
    from sofs_lib.synth.dashboard import write_dashboard_export

    folder = tmp_path_factory.mktemp("feedback_release")
    path = folder / "dashboard_export.csv"
    write_dashboard_export(path, seed=23, n=100, export_date=EXPORT, org_names=list(ORGS))
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    prefix = raw["Organisatie"].str.strip().map(ORGS).fillna("")
    has_id = raw["Fiche ID"].str.strip().ne("") & prefix.ne("")
    raw.loc[has_id, "Fiche ID"] = prefix[has_id] + "-" + raw.loc[has_id, "Fiche ID"].str.strip()
    result = clean_dashboard(raw, export_date=EXPORT)
    feedback = organisation_feedback(result.data, result, raw, export_date=EXPORT)
    built = release.build_release(
        result.data,
        measures=[MEASURES["richtlijn_netwerkberaden"], MEASURES["aantal_netwerkberaden"]],
        binc=False,
    )
    built.feedback = feedback
    out = folder / "release"
    manifest = release.write_release(built, out, stamp=store.expected_stamp())
    return out, manifest, result.data, feedback, raw


def _slice_folder(manifest: dict, org: str) -> str:
    return f"organisatie/{manifest['organisations'].index(org) + 1}"


def test_every_organisation_gets_its_feedback_files(written):
    out, manifest, _, _, _ = written
    assert sorted(manifest["organisations"]) == sorted(ORGS)
    for org in ORGS:
        folder = out / _slice_folder(manifest, org)
        assert {p.name for p in folder.iterdir()} >= FEEDBACK_NAMES


def test_publiek_and_agentschap_slices_hold_no_feedback(written):
    out, manifest, _, _, _ = written
    for name in ("publiek", "agentschap"):
        assert {p.name for p in (out / name).iterdir()} == {f"{t}.csv" for t in store.TABLES}
    listed = [f for f in manifest["files"] if f.rsplit("/", 1)[-1] in FEEDBACK_NAMES]
    assert listed and all(f.startswith("organisatie/") for f in listed)


def test_no_other_organisation_name_or_fiche_id_in_an_organisations_feedback(written):
    out, manifest, data, _, raw = written
    rows_seen = 0
    for org in ORGS:
        folder = out / _slice_folder(manifest, org)
        text = "\n".join((folder / name).read_text(encoding="utf-8") for name in FEEDBACK_NAMES)
        for other, other_code in ORGS.items():
            if other == org:
                continue
            assert other not in text, f"{other} named in {org}'s feedback"
            assert not re.search(rf"\b{other_code}-", text), f"{other}'s Fiche ID in {org}'s"
        own_ids = set(data.loc[data["organisation"].eq(org), "trajectory_id"])
        own_raw = set(raw.loc[raw["Organisatie"].str.strip().eq(org), "Fiche ID"].str.strip())
        read = {"dtype": str, "keep_default_na": False}
        shown = set(pd.read_csv(folder / "followup.csv", **read)["trajectory_id"])
        examples = set(pd.read_csv(folder / "quality_examples.csv", **read)["trajectory_id"])
        assert shown <= own_ids and examples <= own_raw
        rows_seen += len(shown)
    assert rows_seen > 0  # the check above had rows to look at


def test_organisation_loads_exactly_its_own_follow_up_list(written):
    out, manifest, data, _, _ = written
    org = manifest["organisations"][0]
    identity = access.Identity("demo-organisatie", access.ORGANISATION, org)
    chosen = release.load_slice(identity, out)
    own = data.loc[data["organisation"].eq(org)]
    expected = followup.followup_list(own, EXPORT)
    got = chosen.followup()
    assert got["trajectory_id"].tolist() == expected["trajectory_id"].tolist()
    assert got["months_since_start"].astype(float).tolist() == pytest.approx(
        expected["months_since_start"].astype(float).tolist()
    )
    assert chosen.feedback_about() == {"export_date": EXPORT,
                                       "followup_months": followup.DEFAULT_MONTHS}
    assert chosen.quality()["count"].sum() > 0
    assert set(chosen.quality_examples()["trajectory_id"]) <= set(own["trajectory_id"])


@pytest.mark.parametrize("role", [access.PUBLIC, access.AGENCY])
def test_other_roles_load_no_feedback(written, role):
    out, _, _, _, _ = written
    chosen = release.load_slice(access.Identity("demo", role), out)
    assert chosen.followup().empty and chosen.quality().empty
    assert chosen.quality_examples().empty and chosen.feedback == {}


def test_a_changed_feedback_file_is_refused(written, tmp_path):
    import shutil

    out, manifest, _, _, _ = written
    copy = tmp_path / "release"
    shutil.copytree(out, copy)
    org = manifest["organisations"][1]
    path = copy / _slice_folder(manifest, org) / "followup.csv"
    path.write_text(path.read_text(encoding="utf-8") + "99,XX-1,,,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="does not match its manifest"):
        release.load_slice(access.Identity("demo", access.ORGANISATION, org), copy)


def test_manifest_names_no_feedback_content(written):
    _, manifest, data, _, _ = written
    text = json.dumps(manifest, ensure_ascii=False)
    assert not any(tid in text for tid in data["trajectory_id"])
