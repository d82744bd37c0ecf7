"""Load the kerndataset of a data folder for notebooks (and, later, the Impact dashboard).

A data folder holds, besides the dashboard and Binc exports, ``kerndataset.xlsx`` (the
filled registration workbook) and optionally survey-tool exports named
``kerndataset_enquete*.csv`` / ``.xlsx``. Real folders are pointed at with
``SOFS_DATA_DIR`` (or ``SOFS_KERNDATASET`` for the workbook), as for the other exports.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sofs_lib import config
from sofs_lib.errors import SofsInputError
from sofs_lib.kerndataset.clean import KernCleanResult, clean_kerndataset

WORKBOOK_NAME = "kerndataset.xlsx"
SURVEY_PATTERN = "kerndataset_enquete*"


def kerndataset_paths(folder: Path | None = None) -> tuple[Path, list[Path]]:
    """The workbook and the survey exports of ``folder`` (default: the data folder)."""
    folder = Path(folder) if folder else config.data_dir()
    env = os.environ.get("SOFS_KERNDATASET")
    workbook = Path(env) if env and folder == config.data_dir() else folder / WORKBOOK_NAME
    if not workbook.exists():
        raise SofsInputError(
            f"geen kerndataset-werkmap op {workbook}. Maak er een met `sofs kerndataset "
            "template`, of `make data` voor de synthetische set."
        )
    surveys = sorted(
        p for p in workbook.parent.glob(SURVEY_PATTERN) if p.suffix.lower() in (".csv", ".xlsx")
    )
    return workbook, surveys


def _frame_fingerprint(frame) -> str | None:
    """SHA-256 of a frame's columns, dtypes, index and values; None when it cannot be hashed."""
    import hashlib

    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        return None
    try:
        values = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    digest.update(values.tobytes())
    return digest.hexdigest()


def load_kerndataset(
    dashboard, folder: Path | None = None, *, export_date: date | None = None
) -> tuple[KernCleanResult, list[Path]]:
    """Clean the kerndataset of ``folder`` against the cleaned ``dashboard`` frame.

    Returns the result and the files read (for the provenance stamp). The export date
    defaults to the synthetic manifest's dashboard export date, else ``SOFS_EXPORT_DATE``.
    The result is cached beside the workbook like the exports' (``sofs_lib.clean_cache``),
    keyed also by the survey files and a fingerprint of the ``dashboard`` frame's contents.
    """
    from sofs_lib.datasets import export_date_for

    workbook, surveys = kerndataset_paths(folder)
    export = export_date or export_date_for(workbook) or date.today()

    def clean() -> KernCleanResult:
        return clean_kerndataset(
            workbook, survey_exports=surveys, dashboard=dashboard, export_date=export
        )

    fingerprint = _frame_fingerprint(dashboard)
    if fingerprint is not None:
        from sofs_lib.clean_cache import cached_clean, content_hash

        extra = {
            "surveys": [[p.name, content_hash(p)] for p in surveys],
            "dashboard": fingerprint,
        }
        result = cached_clean("kerndataset", workbook, export, clean, KernCleanResult, extra)
    else:
        result = clean()
    result.data.attrs["source_path"] = str(workbook)
    return result, [workbook, *surveys]


__all__ = ["kerndataset_paths", "load_kerndataset"]
