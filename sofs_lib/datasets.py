"""Load the cleaned exports for notebooks and dashboards, and tell where they came from.

``load_dashboard()`` / ``load_binc()`` read the raw exports from ``config.data_dir()``
(the synthetic set unless ``SOFS_DATA_DIR`` says otherwise), clean them through the
same path as the CLI, and tag the frame with ``attrs["provenance"]``:
``"synthetic"`` when the file's SHA-256 is listed in a synthetic ``MANIFEST.json``
beside it, else ``"real"``. Notebook outputs may only be committed when every input
was synthetic (see ``sofs_lib.provenance``).
"""

from __future__ import annotations

import json
import os
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


def export_date_for(path: Path, key: str = "dashboard_export_date") -> date | None:
    """The export date to clean ``path`` with: the manifest's, ``SOFS_EXPORT_DATE``, or None."""
    manifest = _manifest(Path(path))
    if manifest and provenance(path) == "synthetic" and key in manifest:
        return date.fromisoformat(manifest[key])
    env = os.environ.get("SOFS_EXPORT_DATE")
    return date.fromisoformat(env) if env else None


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise SofsInputError(
            f"no {what} export found at {path}. Run `make data` for the synthetic set, or set "
            f"SOFS_DATA_DIR to the folder holding your exports."
        )
    return path


@lru_cache(maxsize=8)
def _clean_dashboard_cached(path: str, mtime: float, export_date: date | None):
    from sofs_lib.clean_dashboard import clean_dashboard

    return clean_dashboard(Path(path), export_date=export_date)


@lru_cache(maxsize=8)
def _clean_binc_cached(path: str, mtime: float, export_date: date | None):
    from sofs_lib.clean_binc import clean_binc

    return clean_binc(Path(path), export_date=export_date)


def load_dashboard_result(path: Path | None = None):
    """The full cleaning result (data, quarantine, report) of the dashboard export."""
    path = _require(Path(path) if path else config.dashboard_export_path(), "dashboard")
    result = _clean_dashboard_cached(
        str(path), path.stat().st_mtime, export_date_for(path, "dashboard_export_date")
    )
    result.data.attrs["provenance"] = provenance(path)
    result.data.attrs["source_path"] = str(path)
    return result


def load_binc_result(path: Path | None = None):
    """The full cleaning result of the Binc extract."""
    path = _require(Path(path) if path else config.binc_export_path(), "Binc")
    result = _clean_binc_cached(
        str(path), path.stat().st_mtime, export_date_for(path, "binc_export_date")
    )
    for frame in _frames(result):
        frame.attrs["provenance"] = provenance(path)
        frame.attrs["source_path"] = str(path)
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
