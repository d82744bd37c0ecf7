"""The release on disk: one folder per export, one slice per role (and organisation).

Layout of the release folder (git-ignored; default ``data/release/`` for the synthetic set,
``<SOFS_DATA_DIR>/release/`` for real exports, or ``SOFS_RELEASE_DIR``)::

    manifest.json                 export hashes, threshold, code hash, slices + their hashes
    publiek/{shares,dists,counts}.csv
    agentschap/...
    organisatie/<n>/...           one folder per organisation (names in the manifest)
    organisatie/<n>/{followup,quality,quality_examples}.csv
                                  that organisation's own feedback (sofs_lib.feedback):
                                  row-level, in its own slice only, never elsewhere
    profiel/{publiek,agentschap,organisatie/<n>}/...
                                  the Binc profile per role, like the dashboards: Flanders;
                                  the organisations by name (agency); an organisation's own
                                  figures (when its Binc provider name was matched,
                                  sofs_lib.binc_organisations; the manifest reports how)

A slice holds only what its role may see: hidden values are absent (empty), a flag says
``<`` (a count from 1 to k−1) or ``x`` (hidden to protect another number). A dashboard
kernel loads one slice (:func:`load_slice`) and never row-level data.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib import access, config
from sofs_lib.feedback import FILES as _FEEDBACK_FILES
from sofs_lib.release.build import OTHER, SHOWN, SMALL, Computed, Pattern
from sofs_lib.release.cube import ALL

#: Bump when the slice format changes (a stale release is rebuilt).
FORMAT = 2
MANIFEST = "manifest.json"
TABLES = ("shares", "dists", "counts")
PROFILE = "profiel"


# --------------------------------------------------------------------------- tables


def _cell_keys(cells: pd.DataFrame) -> pd.Series:
    names = [c for c in cells.columns if c != "organisation"]
    return cells[names].astype("str").agg("|".join, axis=1)


def _flags(hidden: np.ndarray, small: np.ndarray) -> np.ndarray:
    return np.where(hidden, np.where(small, SMALL, OTHER), SHOWN)


def full_tables(computed: Computed, pattern: Pattern) -> dict[str, pd.DataFrame]:
    """Every cell with its true value and its flag (in memory only; :func:`slice_tables`
    removes what a role may not see)."""
    cube = computed.cube
    M = cube.membership
    reg = computed.registry
    cells = cube.cells.copy()
    if "organisation" not in cells.columns:
        cells.insert(0, "organisation", ALL)
    base = pd.DataFrame(
        {"organisation": cells["organisation"].to_numpy(), "cell": _cell_keys(cells).to_numpy()}
    )
    true = {}

    def value(q: int) -> np.ndarray:
        if q not in true:
            true[q] = M @ reg.quantities[q].atoms
        return true[q]

    parts = []
    for row in computed.shares.itertuples(index=False):
        num, den = value(row.q_num), value(row.q_den)
        parts.append(
            base.assign(
                measure=row.measure,
                item=row.item,
                numerator=num,
                denominator=den,
                num_flag=_flags(pattern.hidden[row.q_num], pattern.small[row.q_num]),
                den_flag=_flags(pattern.hidden[row.q_den], pattern.small[row.q_den]),
            )
        )
    shares = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    parts = []
    for row in computed.dists.itertuples(index=False):
        stats = computed.stats[row.measure]
        stats = stats.loc[(stats.iloc[:, len(cube.dims)].astype("str") == row.item).to_numpy()]
        keyed = cube.cells.merge(stats, on=cube.dim_names, how="left")
        frame = base.assign(measure=row.measure, item=row.item, n=value(row.q_n))
        for col in ("mean", "sd", "median", "min", "max"):
            frame[col] = pd.to_numeric(keyed[col]).to_numpy(dtype=float)
        hidden = pattern.hidden[row.q_n] | pattern.hidden[row.q_sum]
        frame["n_flag"] = _flags(hidden, pattern.small[row.q_n])
        parts.append(frame)
    dists = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    q = int(computed.counts["q"].iloc[0])
    counts = base.assign(n=value(q), n_flag=_flags(pattern.hidden[q], pattern.small[q]))
    return {"shares": shares, "dists": dists, "counts": counts}


def slice_tables(
    full: dict[str, pd.DataFrame], role: str, organisation: str | None = None
) -> dict[str, pd.DataFrame]:
    """What one role sees: Flanders always (its pattern), the agency every organisation
    (its pattern), an organisation its own cells in full; hidden values removed."""
    out = {}
    for name, table in full.items():
        if table.empty:
            out[name] = table
            continue
        org = table["organisation"]
        if role == access.AGENCY:
            keep = np.ones(len(table), dtype=bool)
        elif role == access.ORGANISATION:
            keep = ((org == ALL) | (org == organisation)).to_numpy()
        else:
            keep = (org == ALL).to_numpy()
        part = table.loc[keep].reset_index(drop=True)
        if role == access.ORGANISATION:
            own = (part["organisation"] == organisation).to_numpy()
            for flag, column in (("num_flag", "numerator"), ("den_flag", "denominator"),
                                 ("n_flag", "n")):  # fmt: skip
                if flag in part.columns:
                    # a cell released for nobody (no value: Profiel per year) stays hidden
                    at = own & part[column].notna().to_numpy()
                    part.loc[at, flag] = SHOWN
        out[name] = _mask(name, part)
    return out


def _mask(name: str, table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    if name == "shares":
        hide_num = (table["num_flag"] != SHOWN).to_numpy()
        hide_den = (table["den_flag"] != SHOWN).to_numpy()
        num = table["numerator"].astype(float).where(~hide_num)
        den = table["denominator"].astype(float).where(~hide_den)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = (num / den).where(den > 0)
        table["numerator"], table["denominator"], table["share"] = num, den, share
        return table
    hide = (table["n_flag"] != SHOWN).to_numpy()
    for col in [c for c in ("n", "mean", "sd", "median", "min", "max") if c in table.columns]:
        table[col] = table[col].astype(float).where(~hide)
    return table


# --------------------------------------------------------------------------- a slice


@dataclass
class Slice:
    """One role's released tables, indexed for lookups by the dashboards."""

    role: str
    organisation: str | None
    min_cell: int
    levels: dict[str, list[str]]
    organisations: list[str]
    tables: dict[str, pd.DataFrame]
    note: str = ""
    synthetic: bool = False
    _index: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    #: The organisation's own feedback frames (``organisatie`` only; see sofs_lib.feedback).
    feedback: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def _feedback(self, name: str) -> pd.DataFrame:
        if self.role != access.ORGANISATION:
            return _empty_feedback(name)
        frame = self.feedback.get(name)
        return frame.copy() if frame is not None else _empty_feedback(name)

    def followup(self) -> pd.DataFrame:
        """Opvolglijst: the organisation's open trajectories to follow up (empty for
        other roles); columns ``sofs_lib.feedback.followup.COLUMNS``, most urgent first."""
        return self._feedback("followup")

    def quality(self) -> pd.DataFrame:
        """Registratiekwaliteit: one row per kind of problem in the organisation's own
        registrations (empty for other roles); ``sofs_lib.feedback.quality.ITEM_COLUMNS``."""
        return self._feedback("quality")

    def quality_examples(self) -> pd.DataFrame:
        """Examples of each problem from the organisation's own rows (empty for other roles)."""
        return self._feedback("quality_examples")

    def feedback_about(self) -> dict:
        """``export_date`` (date or None) and ``followup_months`` (int or None) of the feedback."""
        about = self._feedback("about")
        if about.empty:
            return {"export_date": None, "followup_months": None}
        row = about.iloc[0]
        return {
            "export_date": date.fromisoformat(str(row["export_date"])),
            "followup_months": int(row["followup_months"]),
        }

    def _indexed(self, name: str) -> tuple[pd.DataFrame, KeyIndex]:
        """The table and the index of its keys (built once per slice)."""
        if name not in self._index:
            table = self.tables.get(name, pd.DataFrame())
            keys = ["measure", "organisation", "cell"] if "measure" in table.columns else [
                "organisation",
                "cell",
            ]
            self._index[name] = (table, KeyIndex(table, keys))
        return self._index[name]

    def lookup(self, name: str, *key: str) -> pd.DataFrame:
        """Rows of table ``name`` for (measure,) organisation, cell; empty when absent."""
        table, index = self._indexed(name)
        found = index.get(key)
        if found is None:
            return table.iloc[0:0]
        return table.take(found).reset_index(drop=True)


class KeyIndex:
    """Row positions of every key (a tuple of strings, one per key column) of a table.

    Each key column is factorised, the codes are combined into one integer per row and
    sorted once; a lookup is a binary search. (Sorting the table by its string keys, or a
    dict of every key, cost 0.2–0.5 s per slice on the agency's table: half of a
    dashboard's first render.) Rows of one key keep their order in the table."""

    def __init__(self, table: pd.DataFrame, keys: list[str]):
        self.codes: list[dict[str, int]] = []
        self.sizes: list[int] = []
        combined = np.zeros(len(table), dtype=np.int64)
        for column in keys if not table.empty else []:
            codes, uniques = pd.factorize(table[column].to_numpy(dtype=object), use_na_sentinel=True)
            lookup = {str(value): i + 1 for i, value in enumerate(uniques)}
            lookup.setdefault("nan", 0)  # a missing key reads "nan", as str() writes it
            self.codes.append(lookup)
            self.sizes.append(len(uniques) + 1)
            combined = combined * (len(uniques) + 1) + (codes + 1)
        self.order = np.argsort(combined, kind="stable")
        self.sorted = combined[self.order]

    def get(self, key: tuple) -> np.ndarray | None:
        """Positions of the rows of ``key`` (ascending), or ``None``."""
        if len(key) != len(self.codes):
            return None
        code = 0
        for lookup, size, part in zip(self.codes, self.sizes, key, strict=True):
            found = lookup.get(str(part))
            if found is None:
                return None
            code = code * size + found
        start = int(np.searchsorted(self.sorted, code, "left"))
        stop = int(np.searchsorted(self.sorted, code, "right"))
        return self.order[start:stop] if stop > start else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def code_hash() -> str:
    """Hash of the release code, the indicators and the reference data: a change rebuilds
    the release."""
    digest = hashlib.sha256()
    package = config.PACKAGE_DIR
    for folder in ("release", "indicators", "feedback", "kerndataset"):
        for path in sorted((package / folder).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    # Vocabularies, labels and the registration advice the released texts are made of.
    for path in sorted((package / "reference").glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update((package / "disclosure.py").read_bytes())
    digest.update((package / "binc_organisations.py").read_bytes())
    return digest.hexdigest()[:16]


def release_dir() -> Path:
    """Where the release of the data in use lives (outside git)."""
    env = os.environ.get("SOFS_RELEASE_DIR")
    if env:
        return Path(env).expanduser().resolve()
    data = config.data_dir()
    if data == config.SYNTHETIC_DIR:
        return config.DATA_DIR / "release"
    return data / "release"


def sources() -> dict[str, str]:
    """SHA-256 of the exports the release is built from (what staleness is judged by)."""
    out = {}
    for name, path in (
        ("dashboard", config.dashboard_export_path()),
        ("binc", config.binc_export_path()),
    ):
        out[name] = _sha256(path) if path.exists() else ""
    # The mapping of Binc provider names to the dashboard's (Profiel per organisation).
    from sofs_lib.binc_organisations import mapping_path

    mapping = mapping_path()
    out["binc_organisations"] = _sha256(mapping) if mapping.is_file() else ""
    # The kerndataset beside the export (Impact panels): workbook and survey exports.
    from sofs_lib.release.impact_measures import kerndataset_files

    out["kerndataset"] = " ".join(_sha256(p) for p in kerndataset_files())
    return out


def expected_stamp() -> dict:
    return {
        "format": FORMAT,
        "code": code_hash(),
        "min_cell": config.min_cell(),
        "sources": sources(),
        # the follow-up list counts months up to the export date (sofs_lib.feedback)
        "export_date": config.export_date("dashboard").isoformat(),
    }


def is_current(folder: Path) -> bool:
    """True when the release in ``folder`` was built from the exports now in use."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return manifest.get("stamp") == expected_stamp()


def ensure_release(folder: Path | None = None) -> Path:
    """The current release folder, built first (in a separate process, so the caller never
    holds row-level data) when missing or stale."""
    folder = Path(folder) if folder is not None else release_dir()
    if is_current(folder):
        return folder
    # One build at a time per release folder: a second process (another server, a test
    # worker) waits for the first and then finds the release current.
    folder.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(folder.with_name(folder.name + ".lock")):
        if is_current(folder):
            return folder
        done = subprocess.run(
            [sys.executable, "-m", "sofs_lib", "release", "--out", str(folder)],
            capture_output=True,
            text=True,
            env={**os.environ, access.SERVED_ENV: ""},
        )
    if done.returncode != 0 or not is_current(folder):
        raise RuntimeError(f"building the release failed: {done.stderr.strip()[-2000:]}")
    return folder


@contextlib.contextmanager
def exclusive_lock(path: Path):
    """An exclusive ``fcntl`` lock on ``path``, held for the ``with`` block, across
    processes (no lock where ``fcntl`` is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _slice_name(role: str, organisation: str | None, manifest: dict) -> str:
    if role == access.ORGANISATION:
        names = manifest["organisations"]
        if organisation not in names:
            raise PermissionError("no released figures for this organisation")
        return f"organisatie/{names.index(organisation) + 1}"
    return role


def read_tables(folder: Path, name: str) -> dict[str, pd.DataFrame]:
    out = {}
    for table in TABLES:
        path = folder / name / f"{table}.csv"
        frame = pd.read_csv(path, dtype={"organisation": "str", "cell": "str", "item": "str"},
                            keep_default_na=False, na_values=[""])
        for flag in [c for c in frame.columns if c.endswith("_flag")]:
            frame[flag] = frame[flag].fillna(SHOWN).astype("str")
        out[table] = frame
    return out


def load_slice(identity: access.Identity | None = None, folder: Path | None = None,
               *, profile: bool = False) -> Slice:
    """The slice of ``identity`` (default: :func:`access.current`) from the release."""
    identity = identity or access.current()
    folder = ensure_release(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    name = _slice_name(identity.role, identity.organisation, manifest)
    if profile:
        name = f"{PROFILE}/{name}"
    tables = read_tables(folder, name)
    for table, path in ((t, folder / name / f"{t}.csv") for t in TABLES):
        if manifest["files"].get(f"{name}/{table}.csv") != _sha256(path):
            raise RuntimeError(f"release file {path} does not match its manifest")
    levels = manifest["profile_levels" if profile else "levels"]
    own = {}
    if not profile and identity.role == access.ORGANISATION:
        own = read_feedback(folder, name, manifest)
    orgs = manifest.get("profile_organisations", []) if profile else manifest["organisations"]
    return make_slice(identity, tables, manifest["min_cell"], levels, orgs,
                      note=manifest.get("note", ""), synthetic=manifest.get("synthetic", False),
                      profile=profile, feedback=own)


def make_slice(identity: access.Identity, tables, min_cell: int, levels: dict,
               organisations: list[str], *, note: str = "", synthetic: bool = False,
               profile: bool = False, feedback: dict | None = None) -> Slice:
    if identity.role == access.PUBLIC:
        orgs: list[str] = []
    elif identity.role == access.ORGANISATION:
        orgs = [identity.organisation] if identity.organisation in organisations else []
    else:
        orgs = list(organisations)
    own = dict(feedback or {}) if identity.role == access.ORGANISATION and not profile else {}
    return Slice(identity.role, identity.organisation, int(min_cell), dict(levels), orgs,
                 tables, note, synthetic, feedback=own)


# --------------------------------------------------------------------------- feedback

#: Feedback frame -> file name in an organisation's slice (defined in sofs_lib.feedback).
FEEDBACK_FILES: dict[str, str] = _FEEDBACK_FILES
_FEEDBACK_TEXT = {
    "about": ("export_date",),
    "followup": ("trajectory_id", "meetings_registered", "steps_missing", "reasons"),
    "quality": (
        "code", "field", "label", "sentence", "advice", "manual_section", "manual_lines",
    ),
    "quality_examples": ("code", "trajectory_id", "column", "value"),
}
_FEEDBACK_FLAGS = ("no_meeting", "plan_b_empty", "consulent_missing")


def _empty_feedback(name: str) -> pd.DataFrame:
    from sofs_lib.feedback import followup, quality

    columns = {
        "followup": followup.COLUMNS,
        "quality": quality.ITEM_COLUMNS,
        "quality_examples": quality.EXAMPLE_COLUMNS,
        "about": ("export_date", "followup_months"),
    }[name]
    return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})


def feedback_files(name: str, feedback: dict[str, pd.DataFrame]) -> dict[str, str]:
    """An organisation slice's feedback as CSV texts (path in the release -> text), in the
    project's one output format (formula-neutralised: sofs_lib.cleaning.csv_text)."""
    from sofs_lib.cleaning import csv_text

    return {f"{name}/{FEEDBACK_FILES[k]}": csv_text(frame) for k, frame in feedback.items()
            if k in FEEDBACK_FILES}


def read_feedback(folder: Path, name: str, manifest: dict) -> dict[str, pd.DataFrame]:
    """An organisation slice's feedback frames (those its manifest lists, hash-checked)."""
    out = {}
    for key, file in FEEDBACK_FILES.items():
        rel = f"{name}/{file}"
        if rel not in manifest["files"]:
            continue
        path = folder / rel
        if manifest["files"][rel] != _sha256(path):
            raise RuntimeError(f"release file {path} does not match its manifest")
        text = {c: "str" for c in _FEEDBACK_TEXT[key]}
        frame = pd.read_csv(path, dtype=text, keep_default_na=False, na_values=[""])
        for col in _FEEDBACK_TEXT[key]:
            if col in frame.columns:
                frame[col] = frame[col].fillna("").astype("str")
        if key == "followup":
            frame["start_date"] = pd.to_datetime(frame["start_date"], errors="coerce")
            for col in _FEEDBACK_FLAGS:
                frame[col] = frame[col].astype("str").str.lower().eq("true")
            for col in ("rank", "steps_missing_n", "urgency"):
                frame[col] = frame[col].astype("int64")
            frame["network_meetings"] = frame["network_meetings"].astype("Int64")
            frame["months_since_start"] = frame["months_since_start"].astype("Float64")
        elif key == "quality":
            for col in ("order", "count", "denominator"):
                frame[col] = frame[col].astype("int64")
            frame["share"] = frame["share"].astype("Float64")
        elif key == "quality_examples":
            frame["source_row"] = frame["source_row"].astype("int64")
        else:
            frame["followup_months"] = frame["followup_months"].astype("int64")
        out[key] = frame
    return out
