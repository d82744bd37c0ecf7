"""Synthetic raw exports calibrated to the report's published figures.

``write_synthetic`` writes both raw exports (dashboard workbook per the contract,
Binc extract per ``docs/binc_data_dictionary.md``) and a ``MANIFEST.json`` holding
their SHA-256, seed and export dates. The manifest is how the rest of the project
recognises synthetic data (``sofs_lib.datasets.provenance``): only outputs computed
from files listed there may be committed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sofs_lib import config
from sofs_lib.errors import SofsInputError

MANIFEST_NAME = "MANIFEST.json"
MAX_DASHBOARD_ROWS = 5_000_000


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_args(out_dir: Path, seed: int | None, n_dashboard: int | None) -> tuple[int, int]:
    if seed is None:
        seed = config.DEFAULT_SEED
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0 or seed >= 2**63:
        raise SofsInputError(f"seed must be a whole number from 0 to 2**63-1, got {seed!r}")
    if n_dashboard is None:
        n_dashboard = 370
    if isinstance(n_dashboard, bool) or not isinstance(n_dashboard, int) or n_dashboard < 20:
        raise SofsInputError(
            f"--n must be a whole number of at least 20 trajectories (one per organisation), "
            f"got {n_dashboard!r}"
        )
    if n_dashboard > MAX_DASHBOARD_ROWS:
        raise SofsInputError(f"--n may be at most {MAX_DASHBOARD_ROWS:,}, got {n_dashboard:,}")
    if out_dir.exists() and not out_dir.is_dir():
        raise SofsInputError(f"output path exists and is not a folder: {out_dir}")
    return seed, n_dashboard


def write_synthetic(
    out_dir: Path,
    seed: int | None = None,
    n_dashboard: int | None = None,
    *,
    start: date | None = None,
    export_date: date | None = None,
    org_names: Sequence[str] | None = None,
) -> dict[str, Path]:
    """Write the synthetic raw exports and their manifest into ``out_dir``.

    Returns the written paths by name. Large ``n_dashboard`` (the benchmark's
    1,000,000) writes the dashboard as CSV, since a workbook that size is not what
    anybody exports. ``start`` and ``export_date`` move (and, for a span longer than the
    report's, repeat) the report's period; ``org_names`` names the organisations (any
    number). The Binc extract grows with ``n_dashboard`` (one block of 368 children per
    370 trajectories, and at least one per period) and ends at its own extraction date,
    as long before the dashboard export as the report's.
    """
    from sofs_lib.synth.binc import binc_export_date, write_binc_export
    from sofs_lib.synth.dashboard import (
        N_REPORT,
        check_org_names,
        period_shifts,
        write_dashboard_export,
    )

    out_dir = Path(out_dir)
    seed, n_dashboard = _check_args(out_dir, seed, n_dashboard)
    names = check_org_names(org_names)
    if n_dashboard < len(names):
        raise SofsInputError(
            f"--n must be at least the number of organisations ({len(names)}), got {n_dashboard}"
        )
    shifts = period_shifts(start, export_date)
    config.ensure_output_dir(out_dir)

    suffix = ".xlsx" if n_dashboard <= 50_000 else ".csv"
    dash_path = out_dir / Path(config.DASHBOARD_EXPORT_NAME).with_suffix(suffix)
    binc_path = out_dir / config.BINC_EXPORT_NAME
    write_dashboard_export(
        dash_path,
        seed=seed,
        n=n_dashboard,
        start=start,
        export_date=export_date,
        org_names=org_names,
    )
    blocks = max(int(round(n_dashboard / N_REPORT)), len(shifts), 1)
    write_binc_export(
        binc_path, seed=seed, blocks=blocks, shifts=shifts, org_names=names
    )
    written = {"dashboard": dash_path, "binc": binc_path}
    if n_dashboard <= 50_000:  # the kerndataset is a workbook, as organisations fill it
        from sofs_lib.synth.kerndataset import write_kerndataset

        written |= write_kerndataset(
            out_dir,
            seed=seed,
            n=n_dashboard,
            start=start,
            export_date=export_date,
            org_names=org_names,
        )

    dashboard_date = export_date or config.REPORT_EXPORT_DATE
    manifest = {
        "generator": "sofs_lib.synth",
        "seed": seed,
        "n_dashboard": n_dashboard,
        "dashboard_export_date": dashboard_date.isoformat(),
        "binc_export_date": binc_export_date(shifts).isoformat(),
        "files": {p.name: sha256_of(p) for p in written.values()},
    }
    if start is not None:
        manifest["period_start"] = start.isoformat()
    if org_names is not None:
        manifest["organisations"] = len(names)
    if blocks > 1:
        manifest["binc_blocks"] = blocks
    manifest_path = out_dir / MANIFEST_NAME
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return written | {"manifest": manifest_path}
