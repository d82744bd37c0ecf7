"""One organisation's own report, for its signed-in users: ``sofs report --organisation NAME``.

``make report ORG="Naam"`` (or ``python -m sofs_lib.report_org --organisation NAME``) renders
every dashboard as :mod:`sofs_lib.report` does, but as the role ``organisatie`` bound to that
organisation: its own figures in full beside Flanders, the other organisations only as the
aggregates the release lets an organisation see. Everything comes from that organisation's
release slice (:func:`sofs_lib.release.load_slice`), the same numbers and the same disclosure
as the dashboards show its users; no other organisation's name is in any file.

The files are confidential to that organisation (its own small numbers are not hidden from
it): hand them only to its signed-in users. A name that is not an organisation of the data
ends in one Dutch line naming the closest organisation names, exit code 2.
"""

from __future__ import annotations

import argparse
import difflib
import html
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sofs_lib import access, report, serve
from sofs_lib.downloads import slug
from sofs_lib.errors import SofsInputError

#: Default output folder: ``reports/organisatie-<name>``.
OUT_ROOT = Path("reports")


def organisations() -> list[str]:
    """The organisations of the release in use (built first when missing or stale)."""
    from sofs_lib.release.store import MANIFEST, ensure_release

    folder = ensure_release()
    return list(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["organisations"])


def check_organisation(name: str, known: Sequence[str]) -> str:
    """``name`` when it is one of ``known``; else a Dutch :class:`SofsInputError` with the
    closest names."""
    if name in known:
        return name
    folded = {k.casefold(): k for k in known}
    close = [folded[name.casefold()]] if name.casefold() in folded else []
    close += [
        k for k in difflib.get_close_matches(name, list(known), n=3, cutoff=0.5) if k not in close
    ]
    close = close[:3]
    hint = f" Bedoelde u: {', '.join(close)}?" if close else " Geen gelijkende naam gevonden."
    raise SofsInputError(f"'{name}' is geen organisatie in deze gegevens.{hint}")


def identity_for(organisation: str) -> access.Identity:
    return access.Identity(f"rapport-{slug(organisation) or 'organisatie'}", access.ORGANISATION,
                           organisation)


def dashboards() -> dict[str, object]:
    """The dashboards an organisation opens, by key, in landing-page order: the dashboard
    registry's (``sofs_lib.dashboards.registry``) when present, else ``serve.DASHBOARDS``.
    Each has ``key``, ``notebook``, ``title`` and ``description``."""
    try:
        from sofs_lib.dashboards import registry
    except ImportError:
        return {d.key: d for d in serve.DASHBOARDS if d.key in report.APPS}
    return {
        d.key: d
        for d in registry.figure_dashboards(access.ORGANISATION)
    }


def _factory(key: str):
    dashboard = dashboards()[key]
    factory = getattr(dashboard, "factory", None)
    if callable(factory):
        return factory()
    from sofs_lib import widgets

    return getattr(widgets, report.APPS[key])


def _build(key: str, identity: access.Identity):
    app = _factory(key)(identity=identity)
    controls = getattr(app, "controls", {})
    if "organisation" in controls and controls["organisation"].value != identity.organisation:
        app.select(organisation=identity.organisation)
    return app


def footer(organisation: str) -> str:
    org = html.escape(organisation)
    return (
        f"<footer>Rapport van {org}, naast Vlaanderen. Uw eigen cijfers staan er volledig in; "
        "cijfers van Vlaanderen en van de andere organisaties samen zijn verborgen waar ze een "
        "gezin of een andere organisatie herkenbaar zouden maken. Vertrouwelijk: enkel voor "
        f"de medewerkers van {org}.</footer>"
    )


def render_dashboard(key: str, organisation: str, out_dir: Path) -> Path:
    """One dashboard as ``organisation`` sees it, written to ``<key>.html``."""
    identity = identity_for(organisation)
    dashboard = dashboards()[key]
    app = _build(key, identity)
    body = (
        '<p><a href="index.html">← Alle dashboards</a></p>\n'
        f"{report.notebook_heading(serve.DASHBOARDS_DIR / dashboard.notebook)}\n"
        f"{report.app_html(app)}\n{footer(organisation)}"
    )
    path = out_dir / f"{key}.html"
    title = f"{dashboard.title} — {organisation}"
    path.write_text(report._page(title, body), encoding="utf-8")
    failed = report.failed_panels(app)
    if failed:
        raise SofsInputError(
            f"{key}: {len(failed)} panel(s) could not be drawn ({', '.join(failed)}); "
            f"written with a message in their place: {path}"
        )
    return path


def render_index(organisation: str, out_dir: Path, keys: Sequence[str]) -> Path:
    items = "\n".join(
        f'<li><a href="{d.key}.html"><strong>{html.escape(d.title)}</strong></a><br>'
        f"{html.escape(d.description)}</li>"
        for d in dashboards().values()
        if d.key in keys
    )
    body = (
        f"<h1>Contextbegeleiding Signs of Safety — {html.escape(organisation)}</h1>\n"
        "<p>De dashboards van uw organisatie naast Vlaanderen, als bestanden zonder server.</p>\n"
        f'<ul style="line-height: 1.6">{items}</ul>\n{footer(organisation)}'
    )
    path = out_dir / "index.html"
    path.write_text(report._page(f"Dashboards — {organisation}", body), encoding="utf-8")
    return path


def default_out(organisation: str) -> Path:
    return OUT_ROOT / f"organisatie-{slug(organisation) or 'onbekend'}"


def render_organisation(
    organisation: str, out_dir: Path | None = None, keys: Sequence[str] | None = None
) -> list[Path]:
    """Every chosen dashboard (default all) and an index for ``organisation``."""
    offered = dashboards()
    keys = list(keys) if keys else list(offered)
    unknown = sorted(set(keys) - set(offered))
    if unknown:
        raise SofsInputError(
            f"unknown dashboard(s): {', '.join(unknown)}; choose from {', '.join(offered)}"
        )
    serve._check_data()
    organisation = check_organisation(organisation, organisations())
    out_dir = Path(out_dir) if out_dir is not None else default_out(organisation)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SofsInputError(f"cannot create output folder {out_dir}: {exc.strerror}") from exc
    written, problems = [], []
    for key in keys:
        try:
            written.append(render_dashboard(key, organisation, out_dir))
        except SofsInputError as exc:
            problems.append(str(exc))
    written.append(render_index(organisation, out_dir, keys))
    if problems:
        raise SofsInputError("; ".join(problems))
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--organisation", required=True, help="the organisation, as in the data")
    parser.add_argument(
        "--out", default=None, help="output folder (default: reports/organisatie-<naam>)"
    )
    parser.add_argument("dashboards", nargs="*", help="a subset of the dashboards (keys)")


def run(args: argparse.Namespace) -> int:
    try:
        written = render_organisation(
            args.organisation, Path(args.out) if args.out else None, args.dashboards
        )
    except SofsInputError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sofs_lib.report_org",
        description="Render each dashboard for one organisation (its own figures beside "
        "Flanders) to standalone HTML.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
