"""The ``sofs`` command line: cleaning, synthetic data and calibration.

Every failure a person can cause (a file that is not an export, a bad seed or path)
prints one plain message and exits with status 2; nothing is written then.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sofs_lib.errors import SofsInputError


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _print_report(kind: str, report: dict, out: Path) -> None:
    counts = ", ".join(
        f"{k}={report[k]}"
        for k in ("rows_in", "rows_clean", "rows_quarantined", "duplicates_collapsed")
        if k in report
    )
    print(f"{kind}: {counts}")
    problems = {k: v for k, v in sorted(report.get("problems", {}).items()) if v}
    if problems:
        print("problems: " + ", ".join(f"{k}={v}" for k, v in problems.items()))
    if report.get("export_date"):
        print(f"export date used for plausibility: {report['export_date']}")
    print(f"written to {out}")


def _cmd_clean(args: argparse.Namespace) -> int:
    from sofs_lib.datasets import export_date_for

    out = Path(args.out)
    source = Path(args.input)
    # Without --export-date: the synthetic manifest's date, else SOFS_EXPORT_DATE, else today.
    export_date = args.export_date or export_date_for(source, f"{args.source}_export_date")
    if args.source == "dashboard":
        from sofs_lib.clean_dashboard import clean_dashboard_to_dir

        result = clean_dashboard_to_dir(source, out, export_date=export_date)
    else:
        from sofs_lib.clean_binc import clean_binc_to_dir

        result = clean_binc_to_dir(source, out, export_date=export_date)
    _print_report(args.source, result.report, out)
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from sofs_lib.synth import write_synthetic

    written = write_synthetic(Path(args.out), seed=args.seed, n_dashboard=args.n)
    for name, path in sorted(written.items()):
        print(f"{name}: {path}")
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from sofs_lib.calibration import calibration_table, format_calibration_table

    table = calibration_table(Path(args.data) if args.data else None)
    print(format_calibration_table(table))
    misses = int((~table["pass"]).sum())
    print(f"{len(table) - misses} passed, {misses} failed")
    return 0 if misses == 0 else 1


def _cmd_release(args: argparse.Namespace) -> int:
    import os

    if args.data:
        os.environ["SOFS_DATA_DIR"] = str(Path(args.data).expanduser().resolve())
    from sofs_lib import release

    out = Path(args.out) if args.out else release.release_dir()
    if args.if_stale and release.store.is_current(out):
        print(f"release in {out} is current")
        return 0
    manifest = release.release_in_use(out)
    print(f"release written to {out} in {manifest['build_seconds']} s")
    print("hidden numbers: " + ", ".join(f"{k}={v}" for k, v in manifest["hidden"].items()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sofs", description="Signs of Safety registration data: clean, synthesise, calibrate."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    clean = sub.add_parser("clean", help="clean a raw export into tidy CSV + quality report")
    clean.add_argument("source", choices=["dashboard", "binc"], help="which export")
    clean.add_argument("input", help="the raw export (.xlsx or .csv)")
    clean.add_argument("--out", required=True, help="folder to write the cleaned files to")
    clean.add_argument(
        "--export-date",
        type=_iso_date,
        default=None,
        help="date the export was taken (YYYY-MM-DD); later dates are implausible. "
        "Default: the synthetic manifest's date, else SOFS_EXPORT_DATE, else today.",
    )
    clean.set_defaults(func=_cmd_clean)

    synth = sub.add_parser("synth", help="write synthetic raw exports calibrated to the report")
    synth.add_argument("--seed", type=int, default=None, help="random seed (default: project seed)")
    synth.add_argument("--out", required=True, help="folder to write the raw exports to")
    synth.add_argument(
        "--n", type=int, default=None, help="dashboard trajectories (default 370, as the report)"
    )
    synth.set_defaults(func=_cmd_synth)

    cal = sub.add_parser("calibrate", help="compare synthetic figures with the report's")
    cal.add_argument("--data", default=None, help="folder with raw exports (default: synthetic)")
    cal.set_defaults(func=_cmd_calibrate)

    rel = sub.add_parser(
        "release", help="compute, suppress and audit what each role may see (the dashboards' input)"
    )
    rel.add_argument("--data", default=None, help="folder with raw exports (default: SOFS_DATA_DIR)")
    rel.add_argument("--out", default=None, help="release folder (default: data/release/)")
    rel.add_argument(
        "--if-stale", action="store_true", help="only when missing or built from other exports"
    )
    rel.set_defaults(func=_cmd_release)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SofsInputError as exc:
        print(f"sofs: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
