"""Shared fixtures: raw dashboard rows, and writers for tiny xlsx/csv exports."""

from __future__ import annotations

import os

# Before numpy loads: single-threaded BLAS (see sofs_lib/__init__.py).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import csv  # noqa: E402
from collections.abc import Callable, Iterable, Mapping  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from sofs_lib.clean_dashboard import HEADERS  # noqa: E402
from sofs_lib.release.store import exclusive_lock  # noqa: E402

#: The contract's headers, in the order the synthetic export and tests use.
DASHBOARD_HEADER: list[str] = list(HEADERS)


def dashboard_row(**cells: object) -> dict[str, object]:
    """One raw dashboard row: organisation ``ORG01``, fiche ``F1``, start 01/06/2022 and
    every other contract header blank, except the cells given by exact header:
    ``dashboard_row(**{"Fiche ID": 1, "W&P CB": "nee"})``.
    """
    row: dict[str, object] = dict.fromkeys(DASHBOARD_HEADER, "")
    row.update({"Organisatie": "ORG01", "Fiche ID": "F1", "Startdatum CB": "01/06/2022"})
    unknown = set(cells) - set(row)
    if unknown:
        raise KeyError(f"not a contract header: {sorted(unknown)}")
    row.update(cells)
    return row


def dashboard_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """A raw frame (object cells) from rows built with :func:`dashboard_row`."""
    return pd.DataFrame(list(rows), columns=DASHBOARD_HEADER, dtype=object)


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """Write ``rows`` (header first) to the first sheet; dates stay Excel date cells."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Dashboard")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if hasattr(value, "year"):
                sheet.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), date_format)
            elif value is None or value == "":
                continue
            else:
                sheet.write(r, c, value)
    workbook.close()
    return path


def write_csv(
    path: Path, rows: list[list[object]], *, sep: str = ";", encoding: str = "cp1252"
) -> Path:
    """Write ``rows`` (header first) as Excel would: ``encoding`` may be ``utf-8-sig``."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return path


@pytest.fixture
def export_file(tmp_path: Path) -> Callable[..., Path]:
    """Write dashboard rows (dicts from :func:`dashboard_row`) to ``name`` (.xlsx/.csv)."""

    def make(rows: list[Mapping[str, object]], name: str = "export.xlsx", **csv_kw) -> Path:
        table = [DASHBOARD_HEADER] + [[row[h] for h in DASHBOARD_HEADER] for row in rows]
        path = tmp_path / name
        if path.suffix == ".xlsx":
            return write_xlsx(path, table)
        return write_csv(path, table, **csv_kw)

    return make


def uv_executable() -> str | None:
    """The uv the Makefile uses: ``$UV``, else uv on PATH, else the pinned copy it installs."""
    import re
    import shutil

    root = Path(__file__).resolve().parent.parent
    version = re.search(
        r"^uv==(\S+)", (root / "requirements-uv.txt").read_text(encoding="utf-8"), re.MULTILINE
    )
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    pinned = Path(cache) / "sofs-notebooks" / f"uv-{version.group(1) if version else '?'}"
    for candidate in (os.environ.get("UV"), shutil.which("uv"), str(pinned / "bin" / "uv")):
        if candidate and (path := root / candidate).is_file() and os.access(path, os.X_OK):
            return str(path)
    return None


#: Organisation names of the generated later export: accents, apostrophes and ``&``.
LATER_NAMES: list[str] = [
    "'t Ventiel",
    "Jeugdzorg Émile & Zonen",
    "L'Arche Brugge",
    "Kind & Gezin Oost",
    "Ölbaum",
    "De Sprong",
    *(f"Dienst {c}" for c in "ABCDEFGHIJKLMNOP"),
]
#: Organisation names of the small export whose complete release the browser test serves and
#: the release tests attack: accents, apostrophes and ``&`` (few organisations, to keep the
#: release quick).
ACCENTED_NAMES: list[str] = [
    "Ça Va Begeleiding",
    "'t Ventiel",
    "Kind & Gezin Zuid",
    "Mozaïek Oost",
    "De Brug van L'Églantier",
    "Sint-Élisabeth",
]
#: The generated exports that differ from the committed set, shared by the whole run
#: (``generated_export``): a later period with new organisation names, a cumulative export
#: over several closing years, and a small later export with accented names whose complete
#: release is built once (``generated_release``). Written once with their manifest; tests
#: copy what they need (without the manifest, as a real export arrives) and never write
#: into them.
GENERATED_EXPORTS: dict[str, dict] = {
    "later": {
        "seed": 21,
        "n_dashboard": 500,
        "export_date": date(2025, 10, 1),
        "org_names": LATER_NAMES,
    },
    "cumulative": {
        "seed": 22,
        "n_dashboard": 500,
        "start": date(2021, 5, 1),
        "export_date": date(2025, 10, 1),
        "org_names": LATER_NAMES,
    },
    "accented": {
        "seed": 2027,
        "n_dashboard": 300,
        "export_date": date(2026, 9, 15),
        "org_names": ACCENTED_NAMES,
    },
}


def _run_shared_dir(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this run shares (the base temp's parent, as
    pytest-xdist documents for session data made once per run); without xdist, the base."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _made_once(folder: Path, make: Callable[[Path], None]) -> Path:
    """``folder``, made by ``make(folder)`` by the first worker that asks; the others wait
    for it and reuse it. A half-made folder (a worker that failed) is made again."""
    import shutil

    done = folder.with_name(folder.name + ".done")
    with exclusive_lock(folder.with_name(folder.name + ".lock")):  # across the run's workers
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def generated_export(tmp_path_factory) -> Callable[[str], Path]:
    """``generated_export("later")``: the folder of one of :data:`GENERATED_EXPORTS`,
    generated on first use and shared by every test (and every xdist worker) of the run."""
    from sofs_lib.synth import write_synthetic

    shared = _run_shared_dir(tmp_path_factory)

    def get(kind: str) -> Path:
        return _made_once(
            shared / f"generated-{kind}",
            lambda folder: write_synthetic(folder, **GENERATED_EXPORTS[kind]),
        )

    return get


@dataclass(frozen=True)
class GeneratedRelease:
    """A generated export as a real one arrives (no manifest), and its complete release."""

    folder: Path  #: the export (dashboard, Binc, kerndataset), no manifest
    release: Path  #: its release, as ``sofs release`` wrote it
    env: dict[str, str]  #: the variables that point the library at this export

    @property
    def export_date(self) -> date:
        return date.fromisoformat(self.env["SOFS_EXPORT_DATE"])


#: Variables that would point the library at another export or release than the one given.
OTHER_EXPORT_VARS = (
    "SOFS_DATA_DIR",
    "SOFS_EXPORT_DATE",
    "SOFS_BINC_EXPORT_DATE",
    "SOFS_DASHBOARD_EXPORT",
    "SOFS_BINC_EXPORT",
    "SOFS_KERNDATASET",
    "SOFS_RELEASE_DIR",
)


@pytest.fixture(scope="session")
def generated_release(tmp_path_factory, generated_export) -> Callable[[str], GeneratedRelease]:
    """``generated_release("accented")``: that generated export copied without its
    manifest (a real export), and its complete release built by ``sofs release`` (every
    dashboard, Impact, the Binc profile) once per run, shared by every worker: the browser
    test serves it, the release tests attack it."""
    import shutil
    import subprocess
    import sys

    from sofs_lib.synth import MANIFEST_NAME

    shared = _run_shared_dir(tmp_path_factory)

    def get(kind: str) -> GeneratedRelease:
        source = generated_export(kind)
        folder = shared / f"released-{kind}"
        env = {
            "SOFS_DATA_DIR": str(folder),
            "SOFS_EXPORT_DATE": GENERATED_EXPORTS[kind]["export_date"].isoformat(),
        }

        def make(target: Path) -> None:
            target.mkdir(mode=0o700)
            for path in source.iterdir():
                if path.is_file() and path.name != MANIFEST_NAME:
                    shutil.copy(path, target / path.name)
            built = subprocess.run(
                [sys.executable, "-m", "sofs_lib", "release"],
                env={k: v for k, v in os.environ.items() if k not in OTHER_EXPORT_VARS} | env,
                capture_output=True,
                text=True,
            )
            assert built.returncode == 0, built.stderr[-2000:]

        _made_once(folder, make)
        return GeneratedRelease(folder, folder / "release", env)

    return get
