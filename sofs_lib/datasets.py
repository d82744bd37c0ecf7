"""Load the cleaned exports for notebooks and dashboards, and tell where they came from.

``load_dashboard()`` / ``load_binc()`` read the raw exports from ``config.data_dir()``
(the synthetic set unless ``SOFS_DATA_DIR`` says otherwise), clean them through the
same path as the CLI, and tag the frame with ``attrs["provenance"]``:
``"synthetic"`` when the file's SHA-256 is listed in a synthetic ``MANIFEST.json``
beside it, else ``"real"``. Notebook outputs may only be committed when every input
was synthetic (see ``sofs_lib.provenance``).

Cleaning results are cached on disk beside the export (``sofs_lib.clean_cache``:
``<export folder>/.sofs-cache/``, keyed by the export's content hash, export date and
cleaner version; ``SOFS_CACHE=0`` turns it off), so the kernels of a notebook collection
clean each export once. Provenance and the other ``attrs`` are set on every load from
the file on disk, never taken from the cache.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from sofs_lib import config
from sofs_lib.errors import SofsInputError


def _manifest(path: Path) -> dict | None:
    manifest_path = path.parent / "MANIFEST.json"
    if not manifest_path.exists():
        return None
    try:
        return json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        return None


def provenance(path: Path) -> str:
    """``"synthetic"`` if ``path`` is a file written by ``sofs synth`` (hash in its manifest)."""
    from sofs_lib.synth import sha256_of

    path = Path(path)
    manifest = _manifest(path)
    if manifest and manifest.get("generator") == "sofs_lib.synth":
        expected = manifest.get("files", {}).get(path.name)
        if expected and path.exists() and sha256_of(path) == expected:
            return "synthetic"
    return "real"


def manifest_for(path: Path) -> dict | None:
    """The synthetic manifest beside ``path`` when ``path`` is one of its files, else None."""
    path = Path(path)
    if not path.is_file():
        return None
    manifest = _manifest(path)
    if manifest and provenance(path) == "synthetic":
        return manifest
    return None


def export_date_for(path: Path, key: str = "dashboard_export_date") -> date:
    """The export date to clean ``path`` with (``config.export_date``: the one rule)."""
    kind = "binc" if key.startswith("binc") else "dashboard"
    return config.export_date(kind, path=Path(path))


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise SofsInputError(
            f"no {what} export found at {path}. Run `make data` for the synthetic set, or set "
            f"SOFS_DATA_DIR to the folder holding your exports."
        )
    return path


@lru_cache(maxsize=8)
def _clean_dashboard_cached(path: str, mtime: float, export_date: date | None):
    from sofs_lib.clean_cache import cached_clean
    from sofs_lib.clean_dashboard import CleanResult, clean_dashboard

    return cached_clean(
        "dashboard",
        Path(path),
        export_date,
        lambda: clean_dashboard(Path(path), export_date=export_date),
        CleanResult,
    )


@lru_cache(maxsize=8)
def _clean_binc_cached(path: str, mtime: float, export_date: date | None):
    from sofs_lib.clean_binc import BincCleanResult, clean_binc
    from sofs_lib.clean_cache import cached_clean

    return cached_clean(
        "binc",
        Path(path),
        export_date,
        lambda: clean_binc(Path(path), export_date=export_date),
        BincCleanResult,
    )


def load_dashboard_result(path: Path | None = None):
    """The full cleaning result (data, quarantine, report) of the dashboard export."""
    path = _require(Path(path) if path else config.dashboard_export_path(), "dashboard")
    export_date = config.export_date("dashboard", path=path)
    result = _clean_dashboard_cached(str(path), path.stat().st_mtime, export_date)
    result.data.attrs["provenance"] = provenance(path)
    result.data.attrs["source_path"] = str(path)
    result.data.attrs["export_date"] = export_date
    return result


def load_binc_result(path: Path | None = None):
    """The full cleaning result of the Binc extract."""
    path = _require(Path(path) if path else config.binc_export_path(), "Binc")
    export_date = config.export_date("binc", path=path)
    result = _clean_binc_cached(str(path), path.stat().st_mtime, export_date)
    for frame in _frames(result):
        frame.attrs["provenance"] = provenance(path)
        frame.attrs["source_path"] = str(path)
        frame.attrs["export_date"] = export_date
    return result


def _frames(result) -> list:
    frames = []
    for name in ("data", "modules", "children"):
        frame = getattr(result, name, None)
        if frame is not None:
            frames.append(frame)
    return frames


def load_dashboard(path: Path | None = None):
    """The cleaned dashboard frame (contract columns), tagged with its provenance."""
    return load_dashboard_result(path).data
