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

    def full(self) -> dict[str, pd.DataFrame]:
        return store.full_tables(self.dashboard, self.dashboard_pattern) if self.dashboard else {}

    def profile_full(self) -> dict[str, pd.DataFrame]:
        return store.full_tables(self.binc, self.binc_pattern) if self.binc else {}

    def organisations(self) -> list[str]:
        if self.dashboard is None:
            return []
        return list(self.dashboard.cube.dims[0].levels)

    def levels(self) -> dict[str, list[str]]:
        if self.dashboard is None:
            return {}
        return {d.name: list(d.levels) for d in self.dashboard.cube.dims if d.name != "organisation"}

    def profile_levels(self) -> dict[str, list[str]]:
        return {d.name: list(d.levels) for d in self.binc.cube.dims} if self.binc else {}

    def slice(self, identity: access.Identity | None = None, *, profile: bool = False) -> Slice:
        """The slice of ``identity`` (in memory, as :func:`load_slice` reads it from disk)."""
        identity = identity or access.current()
        full = self.profile_full() if profile else self.full()
        role = access.PUBLIC if profile else identity.role
        tables = store.slice_tables(full, role, identity.organisation)
        own = None
        if role == access.ORGANISATION and self.feedback:
            own = self.feedback.get(identity.organisation)
        return store.make_slice(
            identity,
            tables,
            self.min_cell,
            self.profile_levels() if profile else self.levels(),
            self.organisations(),
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
            out["profiel"] = _hidden(store.slice_tables(self.profile_full(), access.PUBLIC))
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
) -> Release:
    """Compute, suppress and audit every number of every dashboard for every selection.

    ``data``: a cleaned dashboard frame (default: the export in use); ``children``: the
    cleaned Binc children (default: the extract in use, when ``binc``); ``measures``: a
    subset of panels (an app built on its own data), default every panel;
    ``kerndataset``: per-trajectory kerndataset indicators
    (:func:`.impact_measures.trajectory_indicators`) joined by organisation × Fiche ID for
    the Impact panels — by default those of the kerndataset beside the export in use,
    when ``data`` is not given and one exists.
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
    b_comp = b_pattern = None
    if binc:
        modules = None
        if children is None:
            from sofs_lib import datasets

            result = datasets.load_binc_result()
            children, modules = result.children, result.modules
        children = build.binc_children(children, modules)
        b_comp = build.binc_computed(children)
        b_pattern = build.Suppressor(b_comp, k).run()
    return Release(dashboard, d_pattern, b_comp, b_pattern, k, time.perf_counter() - started)


def build_profile(
    children: pd.DataFrame, *, min_cell: int | None = None, modules: pd.DataFrame | None = None
) -> Release:
    """The Binc profile's release alone (an app built on a researcher's own children;
    with ``modules``, Table 7's combination and Table 8 too)."""
    started = time.perf_counter()
    k = config.min_cell() if min_cell is None else int(min_cell)
    comp = build.binc_computed(build.binc_children(children, modules))
    pattern = build.Suppressor(comp, k).run()
    return Release(None, None, comp, pattern, k, time.perf_counter() - started)


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
        slices = {"publiek": (access.PUBLIC, None), "agentschap": (access.AGENCY, None)}
        for i, org in enumerate(orgs, start=1):
            slices[f"organisatie/{i}"] = (access.ORGANISATION, org)
        for name, (role, org) in slices.items():
            _write_tables(work, name, store.slice_tables(full, role, org), files)
            if role == access.ORGANISATION and release.feedback and org in release.feedback:
                _write_feedback(work, name, release.feedback[org], files)
        if release.binc is not None:
            profile = store.slice_tables(release.profile_full(), access.PUBLIC)
            _write_tables(work, store.PROFILE, profile, files)
        manifest = {
            "stamp": stamp or store.expected_stamp(),
            "min_cell": release.min_cell,
            "organisations": orgs,
            "levels": release.levels(),
            "profile_levels": release.profile_levels(),
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
