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

from sofs_lib import config
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
    from sofs_lib import config

    out = Path(args.out)
    source = Path(args.input)
    export_date = config.export_date(args.source, args.export_date, path=source)
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

    names = None
    if args.org_names:
        names = _read_names(Path(args.org_names))
    written = write_synthetic(
        Path(args.out),
        seed=args.seed,
        n_dashboard=args.n,
        start=args.start,
        export_date=args.export_date,
        org_names=names,
    )
    for name, path in sorted(written.items()):
        print(f"{name}: {path}")
    return 0


def _read_names(path: Path) -> list[str]:
    """Organisation names, one a line (UTF-8); blank lines and ``#`` comments skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SofsInputError(
            f"cannot read the organisation names in {path}: {exc.strerror}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise SofsInputError(f"{path} is not UTF-8 text: {exc.reason}") from exc
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from sofs_lib.calibration import calibration_table, format_calibration_table

    table = calibration_table(Path(args.data) if args.data else None)
    print(format_calibration_table(table))
    judged = table["pass"].dropna().astype(bool)
    misses = int((~judged).sum())
    print(f"{int(judged.sum())} passed, {misses} failed, {len(table) - len(judged)} not judged")
    return 0 if misses == 0 else 1


def _cmd_audit(args: argparse.Namespace) -> int:
    from sofs_lib.audit.parse import read_document

    # Read every file first: unusable input is refused before the statistics stack loads.
    docs = [read_document(Path(p)) for p in args.files]
    from sofs_lib.audit import audit_files
    from sofs_lib.audit.report import format_table, summary_line, write_outputs

    result = audit_files(docs, figure_table=args.figures)
    print(format_table(result))
    print(summary_line(result))
    if args.out:
        written = write_outputs(result, Path(args.out))
        print(f"written to {written['csv']} and {written['html']}")
    return 0


def _cmd_kerndataset(args: argparse.Namespace) -> int:
    from sofs_lib.kerndataset import cli as kern_cli

    return kern_cli.run(args)


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
    for lines in (manifest.get("binc_organisations_report") or {}).values():
        print("\n".join(lines))  # Binc provider names matched to the dashboard's, or not
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    if args.organisation is not None:
        from sofs_lib import report_org

        return report_org.run(args)
    from sofs_lib import report

    return report.main([*(["--out", args.out] if args.out else []), *args.dashboards])


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
        "Default: SOFS_EXPORT_DATE (dashboard) or SOFS_BINC_EXPORT_DATE (binc), else the "
        "synthetic manifest's date, else today.",
    )
    clean.set_defaults(func=_cmd_clean)

    synth = sub.add_parser("synth", help="write synthetic raw exports calibrated to the report")
    synth.add_argument("--seed", type=int, default=None, help="random seed (default: project seed)")
    synth.add_argument("--out", required=True, help="folder to write the raw exports to")
    synth.add_argument(
        "--n", type=int, default=None, help="dashboard trajectories (default 370, as the report)"
    )
    synth.add_argument(
        "--start",
        type=_iso_date,
        default=None,
        help="first registration date (YYYY-MM-DD); a span much longer than the report's "
        f"({config.DASHBOARD_START} to {config.REPORT_EXPORT_DATE}) makes a cumulative export "
        "of several periods",
    )
    synth.add_argument(
        "--export-date",
        type=_iso_date,
        default=None,
        help=f"the export date (YYYY-MM-DD; default {config.REPORT_EXPORT_DATE}, the report's); "
        "every date moves",
    )
    synth.add_argument(
        "--org-names",
        default=None,
        metavar="FILE",
        help="a UTF-8 text file with one organisation name a line (default Organisatie A..T)",
    )
    synth.set_defaults(func=_cmd_synth)

    cal = sub.add_parser("calibrate", help="compare synthetic figures with the report's")
    cal.add_argument("--data", default=None, help="folder with raw exports (default: synthetic)")
    cal.set_defaults(func=_cmd_calibrate)

    audit = sub.add_parser(
        "audit", help="check the published figures of a report text (statistics, shares, sums)"
    )
    audit.add_argument("files", nargs="+", help="report text(s): .txt (pdftotext) or .md")
    audit.add_argument("--out", default=None, help="folder to write audit.csv and audit.html to")
    audit.add_argument(
        "--figures",
        action="store_true",
        help="also audit the structured figure table (data/reference/report_figures.csv)",
    )
    audit.set_defaults(func=_cmd_audit)

    from sofs_lib.kerndataset.cli import add_parser as add_kerndataset_parser

    add_kerndataset_parser(sub).set_defaults(func=_cmd_kerndataset)

    from sofs_lib.server.users import add_users_parser

    add_users_parser(sub)

    rel = sub.add_parser(
        "release", help="compute, suppress and audit what each role may see (the dashboards' input)"
    )
    rel.add_argument("--data", default=None, help="folder with raw exports (default: SOFS_DATA_DIR)")
    rel.add_argument("--out", default=None, help="release folder (default: data/release/)")
    rel.add_argument(
        "--if-stale", action="store_true", help="only when missing or built from other exports"
    )
    rel.set_defaults(func=_cmd_release)

    rep = sub.add_parser(
        "report",
        help="render the dashboards to standalone HTML (for everyone, or one organisation's own)",
    )
    rep.add_argument(
        "--organisation",
        default=None,
        help="one organisation's own report (its figures beside Flanders, role organisatie)",
    )
    rep.add_argument("--out", default=None, help="output folder (default: reports[/organisatie-<naam>])")
    rep.add_argument("dashboards", nargs="*", help="a subset of the dashboards")
    rep.set_defaults(func=_cmd_report)
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
