"""Every path and project-wide setting, derived in one place.

Paths derive from the package location, so the project works from any clone.
A researcher points the project at real exports stored anywhere with environment
variables; nothing else needs to change:

- ``SOFS_DATA_DIR``: a folder holding ``dashboard_export.xlsx`` (or ``.csv``) and
  ``binc_export.xlsx``; defaults to the committed synthetic set.
- ``SOFS_DASHBOARD_EXPORT`` / ``SOFS_BINC_EXPORT``: one file each, overriding the folder.
- ``SOFS_MIN_CELL``: the disclosure threshold (default 5).
- ``SOFS_EXPORT_DATE`` / ``SOFS_BINC_EXPORT_DATE``: the date each export was taken
  (``YYYY-MM-DD``); see ``export_date`` for the one rule that decides it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
SYNTHETIC_DIR = DATA_DIR / "synthetic"
#: The reference data ships inside the package (sofs_lib/reference/, see sofs_lib.reference).
REFERENCE_DIR = PACKAGE_DIR / "reference"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

#: File names of the two exports inside a data folder.
DASHBOARD_EXPORT_NAME = "dashboard_export.xlsx"
BINC_EXPORT_NAME = "binc_export.xlsx"

#: The export date of the evaluation's dashboard data (report line 5032).
REPORT_EXPORT_DATE = date(2023, 10, 5)
#: The Binc extraction date used by the report (report line 4453).
REPORT_BINC_DATE = date(2023, 6, 6)
#: Registration in the dashboard started on this date (report line 5020).
DASHBOARD_START = date(2021, 5, 1)
#: Dates before this cannot belong to the module (contract: "before 2015").
EARLIEST_PLAUSIBLE_DATE = date(2015, 1, 1)

#: Environment variables holding the export date of each export.
EXPORT_DATE_ENV = {"dashboard": "SOFS_EXPORT_DATE", "binc": "SOFS_BINC_EXPORT_DATE"}

#: Default seed of the committed synthetic set.
DEFAULT_SEED = 20231005


def data_dir() -> Path:
    """The folder the notebooks and dashboards read: ``SOFS_DATA_DIR`` or the synthetic set."""
    env = os.environ.get("SOFS_DATA_DIR")
    return Path(env).expanduser().resolve() if env else SYNTHETIC_DIR


def _export_path(env_var: str, name: str, folder: Path | None) -> Path:
    env = os.environ.get(env_var)
    if env and folder is None:
        return Path(env).expanduser().resolve()
    base = folder if folder is not None else data_dir()
    path = base / name
    if not path.exists():
        csv = path.with_suffix(".csv")
        if csv.exists():
            return csv
    return path


def dashboard_export_path(folder: Path | None = None) -> Path:
    """Where the raw dashboard export is read from."""
    return _export_path("SOFS_DASHBOARD_EXPORT", DASHBOARD_EXPORT_NAME, folder)


def binc_export_path(folder: Path | None = None) -> Path:
    """Where the raw Binc extract is read from."""
    return _export_path("SOFS_BINC_EXPORT", BINC_EXPORT_NAME, folder)


def ensure_output_dir(path: Path) -> Path:
    """Create the output folder ``path`` (and parents); a clear message when it cannot be."""
    from sofs_lib.errors import SofsInputError

    out = Path(path)
    if out.exists() and not out.is_dir():
        raise SofsInputError(f"output path exists and is not a folder: {out}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SofsInputError(f"cannot create output folder {out}: {exc.strerror}") from exc
    return out


def min_cell() -> int:
    """Smallest count an organisation-level view may show (``SOFS_MIN_CELL``, default 5)."""
    raw = os.environ.get("SOFS_MIN_CELL", "5")
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"SOFS_MIN_CELL must be a whole number, got {raw!r}") from exc
    if value < 1:
        raise ValueError(f"SOFS_MIN_CELL must be at least 1, got {value}")
    return value


#: The evaluation report as text (public; shared/seed beside the repository, as in CI).
REPORT_TEXT_NAME = "000_95517f4e2f91edb0.txt"


def report_text_path() -> Path:
    """The report text the audit reads by default: ``SOFS_REPORT_TEXT``, else ``../shared/seed``."""
    env = os.environ.get("SOFS_REPORT_TEXT")
    if env:
        return Path(env).expanduser().resolve()
    return PROJECT_ROOT.parent / "shared" / "seed" / REPORT_TEXT_NAME

def resolve_export_date(
    kind: str = "dashboard",
    explicit: date | str | None = None,
    path: Path | None = None,
    *,
    use_manifest: bool = True,
) -> tuple[date, str]:
    """The export date of the ``kind`` export (``dashboard`` or ``binc``) and where it came from.

    The one rule, used by the CLI, the loaders, the calibration, notebooks and dashboards:

    1. ``explicit`` (a ``--export-date`` argument or a caller's value): ``"argument"``;
    2. the environment, ``SOFS_EXPORT_DATE`` (dashboard) or ``SOFS_BINC_EXPORT_DATE``
       (Binc; the two exports are taken on different days): ``"environment"``;
    3. the synthetic manifest beside ``path`` (default: the export ``data_dir()`` holds),
       when ``path`` is a file ``sofs synth`` wrote (skipped for in-memory frames,
       ``use_manifest=False``): ``"manifest"``;
    4. today, since nothing can have been registered later: ``"today"``.

    A value that is not a date (``YYYY-MM-DD``) raises ``SofsInputError`` naming it.
    """
    from sofs_lib.errors import SofsInputError

    if kind not in EXPORT_DATE_ENV:
        raise ValueError(f"kind must be one of {sorted(EXPORT_DATE_ENV)}, got {kind!r}")
    if explicit is not None:
        return _as_date(explicit, "the export date"), "argument"
    env_var = EXPORT_DATE_ENV[kind]
    env = os.environ.get(env_var, "").strip()
    if env:
        return _as_date(env, env_var), "environment"
    if path is None:
        path = dashboard_export_path() if kind == "dashboard" else binc_export_path()
    from sofs_lib.datasets import manifest_for

    manifest = manifest_for(Path(path)) if use_manifest else None
    key = f"{kind}_export_date"
    if manifest and key in manifest:
        try:
            return date.fromisoformat(manifest[key]), "manifest"
        except (TypeError, ValueError) as exc:
            raise SofsInputError(f"{key} in the manifest beside {path} is not a date") from exc
    return date.today(), "today"


def export_date(
    kind: str = "dashboard",
    explicit: date | str | None = None,
    path: Path | None = None,
    *,
    use_manifest: bool = True,
) -> date:
    """The export date of the ``kind`` export (see ``resolve_export_date`` for the rule)."""
    return resolve_export_date(kind, explicit, path, use_manifest=use_manifest)[0]


def _as_date(value: date | str, what: str) -> date:
    from sofs_lib.errors import SofsInputError

    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise SofsInputError(f"{what} is not a date (YYYY-MM-DD): {value!r}") from exc
