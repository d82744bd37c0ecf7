"""The attack over a complete *written* release, as the server serves it (tests only).

A release folder (``sofs release``) holds one slice per role and organisation and the Binc
profile; what each role can see is read back from those files, the true numbers are
recomputed from the export the release was built from (the same steps as
:func:`sofs_lib.release.release_in_use`), and :func:`sofs_lib.release.audit.audit` attacks
every role. The agency's slice carries the release's suppression pattern on every cell;
each organisation's and the public's written slice must be exactly what that pattern gives
them (checked here), so attacking the pattern attacks every file a role can be served.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from sofs_lib import access
from sofs_lib.release import audit, build, store

KEYS = ["organisation", "cell", "measure", "item"]


@dataclass
class WrittenAudit:
    """What the attack found in one written release, and what that release holds."""

    dashboard: audit.AuditResult
    profile: audit.AuditResult | None
    manifest: dict
    measures: set[str]
    profile_measures: set[str]


def _flags(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Key columns and flags of each table, in a stable order (values left out)."""
    out = {}
    for name, table in tables.items():
        if table.empty:
            out[name] = table
            continue
        keys = [c for c in KEYS if c in table.columns]
        flags = sorted(c for c in table.columns if c.endswith("_flag"))
        frame = table[keys + flags].astype("str")
        out[name] = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    return out


def _assert_same_flags(written: dict, derived: dict, name: str) -> None:
    for table in store.TABLES:
        pd.testing.assert_frame_equal(
            _flags({table: written[table]})[table],
            _flags({table: derived[table]})[table],
            check_dtype=False,
            obj=f"{name}/{table}",
        )


def organisation_slice(agency: Mapping[str, pd.DataFrame], organisation: str, *,
                       profile: bool = False) -> dict[str, pd.DataFrame]:
    """What the agency's slice gives ``organisation``: its own numbers shown in full (the
    agency's slice lacks the values it may not see; any stands in for them here), except,
    on the profile, its counts per begeleidingsjaar, released to nobody (``x``)."""
    filled = {}
    for name, table in agency.items():
        values = {c: table[c].fillna(-1.0) for c in ("numerator", "denominator", "n")
                  if c in table.columns}  # fmt: skip
        filled[name] = table.assign(**values)
    out = store.slice_tables(filled, access.ORGANISATION, organisation)
    if profile:
        counts = out["counts"].copy()
        per_year = ((counts["organisation"] == organisation)
                    & ~counts["cell"].str.startswith(f"{store.ALL}|")).to_numpy()  # fmt: skip
        counts.loc[per_year, "n_flag"] = store.OTHER
        out["counts"] = counts
    return out


def audit_written_release(folder: Path, env: Mapping[str, str] | None = None) -> WrittenAudit:
    """Attack the release in ``folder``, built from the exports ``env`` points at (the
    ``SOFS_*`` variables ``sofs release`` ran with; none: the exports in use)."""
    from sofs_lib import datasets
    from sofs_lib.release import impact_measures

    manifest = json.loads((folder / store.MANIFEST).read_text())
    k = int(manifest["min_cell"])
    with pytest.MonkeyPatch.context() as mp:
        if env is not None:
            from conftest import OTHER_EXPORT_VARS

            for name in OTHER_EXPORT_VARS:
                mp.delenv(name, raising=False)
            for name, value in env.items():
                mp.setenv(name, value)
        assert store.is_current(folder), f"{folder} was not built from the exports in use"
        data = datasets.load_dashboard_result().data
        kerndataset = impact_measures.load_for_export(data)
        binc = datasets.load_binc_result() if manifest.get("profile_levels") else None
    if kerndataset is not None:
        data = impact_measures.join(data, kerndataset)
    computed = build.dashboard_computed(data)
    agency = store.read_tables(folder, access.AGENCY)
    # Every slice on disk is what the agency's pattern gives its role.
    _assert_same_flags(
        store.read_tables(folder, access.PUBLIC), store.slice_tables(agency, access.PUBLIC), "publiek"
    )
    assert manifest["organisations"] == list(computed.cube.dims[0].levels)
    for i, org in enumerate(manifest["organisations"], start=1):
        name = f"organisatie/{i}"
        own = store.read_tables(folder, name)
        _assert_same_flags(own, organisation_slice(agency, org), name)
    dashboard = audit.audit(computed, agency, k)
    profile = None
    profile_measures: set[str] = set()
    if binc is not None:
        profile, profile_measures = _audit_profile(folder, manifest, binc, k)
    measures = set(agency["shares"]["measure"]) | set(agency["dists"]["measure"])
    return WrittenAudit(dashboard, profile, manifest, measures, profile_measures)


def _audit_profile(folder: Path, manifest: dict, binc, k: int) -> tuple[audit.AuditResult, set[str]]:
    """The Binc profile's slices per role (``profiel/<slice>``): each is what the agency's
    profile pattern gives its role; that pattern is attacked as every role over both
    cubes (Flanders per begeleidingsjaar; the organisations with every year together)."""
    from sofs_lib import binc_organisations

    orgs = manifest["organisations"]
    children, _ = binc_organisations.assign(binc.children, orgs)
    children = build.binc_children(children, binc.modules)
    tables = store.read_tables(folder, f"{store.PROFILE}/agentschap")
    _assert_same_flags(
        store.read_tables(folder, f"{store.PROFILE}/publiek"),
        store.slice_tables(tables, access.PUBLIC),
        "profiel/publiek",
    )
    named = manifest.get("profile_organisations") or []
    for i, org in enumerate(orgs, start=1):
        name = f"{store.PROFILE}/organisatie/{i}"
        derived = organisation_slice(tables, org, profile=True)
        _assert_same_flags(store.read_tables(folder, name), derived, name)
    b_comp = build.binc_computed(children, orgs)
    o_comp = build.binc_org_computed(children, named) if named else None
    result = audit.audit_profile(b_comp, o_comp, tables, k)
    return result, set(tables["shares"]["measure"]) | set(tables["dists"]["measure"])


def assert_nothing_recovered(
    result: audit.AuditResult, *, organisations: int = 2, with_agency: bool = True
) -> None:
    """No role recovers a protected number; the attack did look at every kind of role
    (the agency too, unless ``with_agency`` is false)."""
    assert result.failed_rules == 0
    assert result.recovered == {role: 0 for role in result.recovered}, result.recovered
    assert result.checked["publiek"] > 0 and result.checked["agentschap"] > 0
    assert ("agentschap" in result.recovered) == with_agency
    assert sum(1 for role in result.checked if role.startswith("organisatie:")) >= organisations


def assert_profile_audited(written: WrittenAudit) -> None:
    """The Binc profile was released per organisation and nothing of it is recovered:
    every Binc provider name was matched to the dashboard's, the attack ran as the public,
    the agency and every organisation with its own children."""
    result = written.profile
    assert result is not None and result.ok, result
    match = written.manifest["binc_organisations"]
    assert match["unmatched"] == {} and match["children_matched"] > 0, match
    named = written.manifest["profile_organisations"]
    assert named and set(named) <= set(written.manifest["organisations"])
    assert result.checked["publiek"] > 0 and result.checked["agentschap"] > 0
    for org in named:
        assert result.checked.get(f"organisatie:{org}", 0) > 0, org
