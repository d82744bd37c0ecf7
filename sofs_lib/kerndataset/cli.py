"""``sofs kerndataset template|clean|schedule`` (wired into :mod:`sofs_lib.cli`)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def _iso(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def add_parser(sub) -> argparse.ArgumentParser:
    """Add the ``kerndataset`` command and its three subcommands to ``sub``."""
    kern = sub.add_parser("kerndataset", help="kerndataset: registration workbook, cleaning, follow-up")
    ksub = kern.add_subparsers(dest="kern_command", required=True)

    tpl = ksub.add_parser("template", help="write the registration workbook (.xlsx)")
    tpl.add_argument("--out", required=True, help="the workbook to write (.xlsx)")
    tpl.add_argument("--dashboard", default=None, help="dashboard export: prefill Fiche IDs")
    tpl.add_argument("--organisation", default=None, help="the organisation to prefill for")

    clean = ksub.add_parser("clean", help="clean a filled workbook and/or survey exports")
    clean.add_argument("input", nargs="?", default=None, help="the filled workbook (.xlsx)")
    clean.add_argument("--survey", action="append", default=[], help="survey-tool export (repeatable)")
    clean.add_argument("--dashboard", required=True, help="dashboard export (Fiche IDs are checked)")
    clean.add_argument("--organisation", default=None, help="fills a blank Organisatie")
    clean.add_argument("--export-date", type=_iso, default=None, help="YYYY-MM-DD (default: today)")
    clean.add_argument("--out", required=True, help="folder for the cleaned files")

    sched = ksub.add_parser("schedule", help="families due for a +6/+12 month contact")
    sched.add_argument("input", help="the filled workbook (.xlsx)")
    sched.add_argument("--survey", action="append", default=[], help="survey-tool export")
    sched.add_argument("--dashboard", required=True, help="dashboard export")
    sched.add_argument("--organisation", required=True, help="your organisation")
    sched.add_argument("--today", type=_iso, default=None, help="YYYY-MM-DD (default: today)")
    sched.add_argument("--months", type=int, default=1, help="look ahead this many months")
    sched.add_argument("--overdue", action="store_true", help="also list overdue contacts")
    return kern


def _dashboard(path: str, export_date: date | None):
    from sofs_lib.clean_dashboard import clean_dashboard
    from sofs_lib.datasets import export_date_for

    source = Path(path)
    return clean_dashboard(source, export_date=export_date or export_date_for(source)).data


def run(args: argparse.Namespace) -> int:
    from sofs_lib.kerndataset.clean import clean_kerndataset, write_clean
    from sofs_lib.kerndataset.template import write_template

    if args.kern_command == "template":
        dashboard = _dashboard(args.dashboard, None) if args.dashboard else None
        path = write_template(args.out, dashboard=dashboard, organisation=args.organisation)
        print(f"werkmap geschreven: {path}")
        return 0
    export = getattr(args, "export_date", None) or getattr(args, "today", None)
    dashboard = _dashboard(args.dashboard, export)
    result = clean_kerndataset(
        args.input,
        survey_exports=args.survey,
        dashboard=dashboard,
        organisation=args.organisation,
        export_date=export,
    )
    if args.kern_command == "clean":
        write_clean(result, args.out)
        report = result.report
        print(
            "kerndataset: "
            + ", ".join(f"{k}={report[k]}" for k in ("rows_in", "rows_clean", "rows_quarantined",
                                                     "rows_merged", "rows_without_answers"))  # fmt: skip
        )
        problems = {k: v for k, v in report["problems"].items() if v}
        if problems:
            print("problems: " + ", ".join(f"{k}={v}" for k, v in problems.items()))
        print(f"written to {args.out}")
        return 0
    from sofs_lib.kerndataset.followup import followup_schedule

    schedule = followup_schedule(
        dashboard,
        result.data,
        organisation=args.organisation,
        today=args.today or date.today(),
        months_ahead=args.months,
        include_overdue=args.overdue,
    )
    if schedule.empty:
        print("Geen contacten gepland in deze periode (alleen gezinnen met toestemming).")
        return 0
    shown = schedule.assign(
        end_date=schedule["end_date"].dt.strftime("%d/%m/%Y"),
        due_date=schedule["due_date"].dt.strftime("%d/%m/%Y"),
    )
    print(shown.to_string(index=False))
    return 0
