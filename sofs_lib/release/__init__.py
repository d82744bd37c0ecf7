"""One audited release per export: what each role may see, computed once, looked up by
the dashboards.

``sofs release [--data DIR] --out DIR`` (or :func:`write_release`) computes every panel of
every dashboard for every selection the controls offer, applies the rules per role
(:mod:`.rules`, ``docs/disclosure.md``), lets an attacker (:mod:`.attack`) solve everything
each role sees until nothing hidden can be recovered, and writes one slice per role and
organisation (:mod:`.store`). Dashboards call :func:`load_slice` for the signed-in
identity (:func:`sofs_lib.access.current`); they never read row-level data.

Modules: :mod:`.cube` (grouping sets), :mod:`.measures` (what each panel counts),
:mod:`.rules`, :mod:`.attack`, :mod:`.build` (suppression loop), :mod:`.store` (files),
:mod:`.audit` (the independent attack over written slices, used by the tests).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sofs_lib import access, config
from sofs_lib.release import build, store
from sofs_lib.release.build import Computed, Pattern
from sofs_lib.release.store import Slice, ensure_release, load_slice, release_dir

_log = logging.getLogger(__name__)

__all__ = [
    "Release",
    "Slice",
    "build_release",
    "ensure_release",
    "load_slice",
    "release_dir",
    "write_release",
]


@dataclass
class Release:
    """A built release in memory: true values and the pattern of each cube."""

    dashboard: Computed | None
    dashboard_pattern: Pattern | None
    binc: Computed | None
    binc_pattern: Pattern | None
    min_cell: int
    seconds: float
    #: Organisation -> its own feedback frames (sofs_lib.feedback.organisation_feedback);
    #: written into that organisation's slice only.
    feedback: dict[str, dict[str, pd.DataFrame]] | None = None
    #: How the Binc provider names were matched to the dashboard's organisations
    #: (sofs_lib.binc_organisations.NameMatch), when they were.
    binc_match: object | None = None
    #: The Binc profile per organisation (every begeleidingsjaar together) and its pattern
    #: (build.binc_suppressed); None when the extract names no organisation.
    binc_org: Computed | None = None
    binc_org_pattern: Pattern | None = None

    def full(self) -> dict[str, pd.DataFrame]:
        return store.full_tables(self.dashboard, self.dashboard_pattern) if self.dashboard else {}

    def profile_full(self) -> dict[str, pd.DataFrame]:
        """The Binc profile's tables: Flanders from the full cube (every begeleidingsjaar),
        the organisations from the organisation cube (all years together)."""
        if self.binc is None:
            return {}
        flanders = store.full_tables(self.binc, self.binc_pattern)
        if self.binc_org is None:
            return flanders
        orgs = store.full_tables(self.binc_org, self.binc_org_pattern)
        out = {}
        for name, table in flanders.items():
            at_all = (table["organisation"] == store.ALL).to_numpy()
            keep = table.loc[at_all]
            other = orgs[name]
            other = other.loc[(other["organisation"] != store.ALL).to_numpy()]
            parts = [keep, other]
            if name == "counts":
                # an organisation's children per begeleidingsjaar are released to nobody:
                # their count reads "x" (not 0) beside the year's Flemish count
                per_year = table.loc[~at_all].copy()
                per_year = per_year.loc[~per_year["cell"].str.startswith(f"{store.ALL}|").to_numpy()]
                per_year["n"] = float("nan")
                per_year["n_flag"] = store.OTHER
                parts.append(per_year)
            out[name] = pd.concat(parts, ignore_index=True)
        return out

    def organisations(self) -> list[str]:
        if self.dashboard is None:
            return []
        return list(self.dashboard.cube.dims[0].levels)

    def levels(self) -> dict[str, list[str]]:
        if self.dashboard is None:
            return {}
        return {d.name: list(d.levels) for d in self.dashboard.cube.dims if d.name != "organisation"}

    def profile_levels(self) -> dict[str, list[str]]:
        if self.binc is None:
            return {}
        return {d.name: list(d.levels) for d in self.binc.cube.dims if d.name != "organisation"}

    def profile_organisations(self) -> list[str]:
        """The organisations the Binc profile shows by name (those with matched children)."""
        if self.binc_org is None:
            return []
        return list(self.binc_org.cube.dims[0].levels)

    def slice_names(self) -> dict[str, tuple[str, str | None]]:
        """Slice folder -> (role, organisation): publiek, agentschap, organisatie/<n> (n
        numbers the dashboard's organisations; the Binc profile's alone without them)."""
        orgs = self.organisations() or self.profile_organisations()
        out: dict[str, tuple[str, str | None]] = {
            "publiek": (access.PUBLIC, None),
            "agentschap": (access.AGENCY, None),
        }
        for i, org in enumerate(orgs, start=1):
            out[f"organisatie/{i}"] = (access.ORGANISATION, org)
        return out

    def slice(self, identity: access.Identity | None = None, *, profile: bool = False) -> Slice:
        """The slice of ``identity`` (in memory, as :func:`load_slice` reads it from disk).
        The Binc profile holds what the role may see, like the trajectory dashboards."""
        identity = identity or access.current()
        full = self.profile_full() if profile else self.full()
        tables = store.slice_tables(full, identity.role, identity.organisation)
        own = None
        if identity.role == access.ORGANISATION and self.feedback and not profile:
            own = self.feedback.get(identity.organisation)
        return store.make_slice(
            identity,
            tables,
            self.min_cell,
            self.profile_levels() if profile else self.levels(),
            self.profile_organisations() if profile else self.organisations(),
            profile=profile,
            feedback=own,
        )

    def hidden_counts(self) -> dict[str, int]:
        """Hidden numbers (counts and sums) per slice kind, for the manifest and the report."""
        out = {}
        full = self.full()
        if full:
            for role, org in (("publiek", None), ("agentschap", None)):
                t = store.slice_tables(full, role, org)
                out[role] = _hidden(t)
            orgs = self.organisations()
            if orgs:
                per_org = [_hidden(store.slice_tables(full, access.ORGANISATION, o)) for o in orgs]
                out["organisatie (mediaan)"] = int(pd.Series(per_org).median())
        if self.binc is not None:
            profile = self.profile_full()
            out["profiel"] = _hidden(store.slice_tables(profile, access.PUBLIC))
            if self.profile_organisations():
                out["profiel agentschap"] = _hidden(store.slice_tables(profile, access.AGENCY))
        return out


def _hidden(tables: dict[str, pd.DataFrame]) -> int:
    total = 0
    for table in tables.values():
        for flag in [c for c in table.columns if c.endswith("_flag")]:
            total += int((table[flag] != store.SHOWN).sum())
    return total


def build_release(
    data: pd.DataFrame | None = None,
    children: pd.DataFrame | None = None,
    *,
    min_cell: int | None = None,
    measures=None,
    binc: bool = True,
    kerndataset: pd.DataFrame | None = None,
    binc_organisations: str | Path | None = None,
) -> Release:
    """Compute, suppress and audit every number of every dashboard for every selection.

    ``data``: a cleaned dashboard frame (default: the export in use); ``children``: the
    cleaned Binc children (default: the extract in use, when ``binc``); ``measures``: a
    subset of panels (an app built on its own data), default every panel;
    ``kerndataset``: per-trajectory kerndataset indicators
    (:func:`.impact_measures.trajectory_indicators`) joined by organisation × Fiche ID for
    the Impact panels — by default those of the kerndataset beside the export in use,
    when ``data`` is not given and one exists; ``binc_organisations``: the mapping file
    of Binc provider names (default: :func:`sofs_lib.binc_organisations.mapping_path`
    when it exists).
    """
    from sofs_lib.release import impact_measures

    started = time.perf_counter()
    k = config.min_cell() if min_cell is None else int(min_cell)
    if data is None:
        from sofs_lib import datasets

        data = datasets.load_dashboard()
        if kerndataset is None:
            kerndataset = impact_measures.load_for_export(data)
    if kerndataset is not None:
        data = impact_measures.join(data, kerndataset)
    dashboard = build.dashboard_computed(data, measures)
    d_pattern = build.Suppressor(dashboard, k).run()
    b_comp = b_pattern = match = None
    if binc:
        modules = None
        if children is None:
            from sofs_lib import datasets

            result = datasets.load_binc_result()
            children, modules = result.children, result.modules
        orgs = list(dashboard.cube.dims[0].levels)
        children, match = _match_organisations(children, orgs, binc_organisations)
        children = build.binc_children(children, modules)
        b_comp, b_pattern, o_comp, o_pattern = build.binc_suppressed(children, orgs, k)
    else:
        o_comp = o_pattern = None
    return Release(dashboard, d_pattern, b_comp, b_pattern, k, time.perf_counter() - started,
                   binc_match=match, binc_org=o_comp, binc_org_pattern=o_pattern)


def _match_organisations(children: pd.DataFrame, organisations: list[str], mapping_file):
    """Children with their organisation as the dashboard names it (unmatched: NA) and the
    report; the report is logged (``sofs release`` prints it)."""
    from sofs_lib import binc_organisations

    if "organisation" not in children.columns:
        return children, None
    children, match = binc_organisations.assign(children, organisations, mapping_file=mapping_file)
    for line in match.lines("en"):
        _log.info(line)
    return children, match


def build_profile(
    children: pd.DataFrame,
    *,
    min_cell: int | None = None,
    modules: pd.DataFrame | None = None,
    organisations: list[str] | None = None,
    mapping_file: str | Path | None = None,
) -> Release:
    """The Binc profile's release alone (an app built on a researcher's own children;
    with ``modules``, Table 7's combination and Table 8 too). ``organisations``: the
    dashboard export's names to match the Binc providers to
    (:mod:`sofs_lib.binc_organisations`); without, the Binc names are used as they are."""
    started = time.perf_counter()
    k = config.min_cell() if min_cell is None else int(min_cell)
    match = None
    if organisations is not None:
        children, match = _match_organisations(children, list(organisations), mapping_file)
    comp, pattern, o_comp, o_pattern = build.binc_suppressed(
        build.binc_children(children, modules), organisations, k
    )
    return Release(None, None, comp, pattern, k, time.perf_counter() - started, binc_match=match,
                   binc_org=o_comp, binc_org_pattern=o_pattern)


def write_release(release: Release, out: Path, *, note: str = "", synthetic: bool = False,
                  stamp: dict | None = None) -> dict:
    """Write every slice and the manifest to ``out`` (replacing a previous release whole)."""
    out = Path(out)
    config.ensure_output_dir(out.parent)
    work = Path(tempfile.mkdtemp(prefix=".release-", dir=out.parent))
    files: dict[str, str] = {}
    try:
        full = release.full()
        orgs = release.organisations()
        slices = release.slice_names()
        if full:
            for name, (role, org) in slices.items():
                _write_tables(work, name, store.slice_tables(full, role, org), files)
                if role == access.ORGANISATION and release.feedback and org in release.feedback:
                    _write_feedback(work, name, release.feedback[org], files)
        if release.binc is not None:
            profile = release.profile_full()
            for name, (role, org) in slices.items():
                tables = store.slice_tables(profile, role, org)
                _write_tables(work, f"{store.PROFILE}/{name}", tables, files)
        manifest = {
            "stamp": stamp or store.expected_stamp(),
            "min_cell": release.min_cell,
            "organisations": orgs or release.profile_organisations(),
            "levels": release.levels(),
            "profile_levels": release.profile_levels(),
            "profile_organisations": release.profile_organisations(),
            "binc_organisations": release.binc_match.as_dict() if release.binc_match else None,
            "binc_organisations_report": (
                {lang: release.binc_match.lines(lang) for lang in ("nl", "en")}
                if release.binc_match
                else None
            ),
            "note": note,
            "synthetic": synthetic,
            "kerndataset": bool(
                release.dashboard is not None
                and any(m.startswith("impact_") for m in release.dashboard.shares["measure"])
            ),
            "build_seconds": round(release.seconds, 2),
            "hidden": release.hidden_counts(),
            "audit": {
                "dashboard": release.dashboard_pattern.audit if release.dashboard_pattern else {},
                "profiel": release.binc_pattern.audit if release.binc_pattern else {},
                "profiel per organisatie": (
                    release.binc_org_pattern.audit if release.binc_org_pattern else {}
                ),
            },
            "files": files,
        }
        (work / store.MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        old = out.with_name(out.name + ".old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        work.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _write_tables(root: Path, name: str, tables: dict[str, pd.DataFrame], files: dict) -> None:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in tables.items():
        path = folder / f"{table}.csv"
        frame.to_csv(path, index=False)
        files[f"{name}/{table}.csv"] = store._sha256(path)


def _write_feedback(root: Path, name: str, feedback: dict[str, pd.DataFrame], files: dict) -> None:
    """One organisation's own feedback files, in its own slice folder only."""
    for rel, text in store.feedback_files(name, feedback).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        files[rel] = store._sha256(path)


def release_in_use(out: Path | None = None) -> dict:
    """Build and write the release of the exports in use (``sofs release``)."""
    from sofs_lib import datasets, feedback
    from sofs_lib.dashboards.apps import source_note
    from sofs_lib.release import impact_measures

    result = datasets.load_dashboard_result()
    data = result.data
    stamp = store.expected_stamp()
    release = build_release(data, kerndataset=impact_measures.load_for_export(data))
    release.feedback = feedback.organisation_feedback(
        data, result, data.attrs.get("source_path")
    )
    note = source_note(data)
    synthetic = data.attrs.get("provenance") == "synthetic"
    return write_release(release, out or release_dir(), note=note, synthetic=synthetic, stamp=stamp)
