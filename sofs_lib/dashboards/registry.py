"""The one list of dashboards: key, Dutch title, notebook, app factory, roles, description.

The server (``sofs_lib.serve``/``sofs_lib.server``), the static report
(``sofs_lib.report``), the landing page (``dashboards/share/.../tree.html``, its list
generated from here: ``python -m sofs_lib.dashboards.registry``), the navigation bar and
the tests read it. A new dashboard is one :class:`Dashboard` line in :data:`DASHBOARDS`.

:func:`resolve_panel` builds one panel for an identity's release slice without widgets:
the server's download handler calls it.
"""

from __future__ import annotations

import argparse
import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sofs_lib import access, config
from sofs_lib.errors import SofsInputError

ALL_ROLES: tuple[str, ...] = access.ROLES


@dataclass(frozen=True)
class Dashboard:
    """One stakeholder dashboard."""

    key: str  #: short id, e.g. ``modelgetrouwheid`` (also the download URL's first part)
    notebook: str  #: file name inside ``dashboards/``
    title: str  #: Dutch title (landing page, navigation, downloads)
    description: str  #: one Dutch sentence under the title on the landing page
    #: ``module:function`` of the app factory a notebook calls
    app: str = ""
    #: ``module:function`` giving its :class:`~sofs_lib.dashboards.apps.Definition`
    #: (panels, controls: what :func:`resolve_panel` builds without widgets)
    definition_ref: str = ""
    roles: tuple[str, ...] = ALL_ROLES  #: roles that may open it

    def factory(self) -> Callable[..., Any]:
        return _resolve(self.app)

    def definition(self) -> Any:
        if not self.definition_ref:
            raise SofsInputError(f"dashboard {self.key!r} has no panel definition")
        return _resolve(self.definition_ref)()


def _resolve(ref: str) -> Callable[..., Any]:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


_APPS = "sofs_lib.dashboards.apps"

#: Every dashboard, in landing-page order.
DASHBOARDS: tuple[Dashboard, ...] = (
    Dashboard(
        "modelgetrouwheid", "modelgetrouwheid.ipynb", "Modelgetrouwheid",
        "Welke Signs of Safety-stappen werden gezet, en hoeveel trajecten zetten ze allemaal?",
        f"{_APPS}:fidelity_app", f"{_APPS}:fidelity_definition",
    ),
    Dashboard(
        "partnerschap", "partnerschap.ipynb", "Partnerschap",
        "Wie was aanwezig bij elke stap: de contextbegeleider, de consulent of beiden?",
        f"{_APPS}:partnership_app", f"{_APPS}:partnership_definition",
    ),
    Dashboard(
        "plan_b", "plan_b.ipynb", "Plan B",
        "Welk plan B werd afgesproken en hoe vaak trad het in werking?",
        f"{_APPS}:plan_b_app", f"{_APPS}:plan_b_definition",
    ),
    Dashboard(
        "evolutie", "evolutie.ipynb", "Evolutie",
        "Hoe evolueren de kernindicatoren per jaar van afsluiting?",
        f"{_APPS}:trends_app", f"{_APPS}:trends_definition",
    ),
    Dashboard(
        "profiel", "profiel.ipynb", "Profiel (Binc)",
        "Welke kinderen en gezinnen krijgen de module, volgens Begeleiding in Cijfers?",
        f"{_APPS}:profile_app", f"{_APPS}:profile_definition",
    ),
    Dashboard(
        "impact", "impact.ipynb", "Impact",
        "Wat gebeurt er na de afronding? Bevragingen, opvolging na 6 en 12 maanden, netwerk en nieuwe aanmeldingen.",
        "sofs_lib.dashboards.impact:impact_app", "sofs_lib.dashboards.impact:impact_definition",
    ),
    Dashboard(
        "opvolglijst", "opvolglijst.ipynb", "Opvolglijst",
        "Welke open trajecten van uw organisatie vragen opvolging, en waarom?",
        "sofs_lib.dashboards.opvolglijst:followup_app", roles=("organisatie",),
    ),
    Dashboard(
        "registratiekwaliteit", "registratiekwaliteit.ipynb", "Registratiekwaliteit",
        "Wat in de registraties van uw organisatie kon niet gebruikt worden, en hoe registreert u het juist?",
        "sofs_lib.dashboards.registratiekwaliteit:quality_app", roles=("organisatie",),
    ),
)


def get(key: str) -> Dashboard:
    for d in DASHBOARDS:
        if d.key == key:
            return d
    raise SofsInputError(f"Onbekend dashboard '{key}'.")


def for_role(role: str) -> list[Dashboard]:
    """The dashboards a role may open, in landing-page order."""
    return [d for d in DASHBOARDS if role in d.roles]


def figure_dashboards(role: str) -> list[Dashboard]:
    """The dashboards of figures from the release (not the own-rows feedback pages) a role
    may open: what the static reports render."""
    return [d for d in for_role(role) if d.definition_ref]


def navigation_entries(role: str) -> list[tuple[str, str, str]]:
    return [(d.key, d.notebook, d.title) for d in for_role(role)]


def dashboard_paths() -> dict[str, Path]:
    """Each dashboard's notebook path by key."""
    return {d.key: config.PROJECT_ROOT / "dashboards" / d.notebook for d in DASHBOARDS}


# --------------------------------------------------------------------------- downloads


def resolve_panel(
    dashboard: str, panel: str, selection: Mapping[str, str], identity: access.Identity
) -> tuple[Any, Any]:
    """``(PanelOutput, DownloadMeta)`` of one panel for ``identity``'s release slice.

    ``selection``: the download link's query (text values, as :func:`spec.download_url`
    writes them). Only values the identity's controls offer are accepted: anything else is a
    :class:`SofsInputError` (Dutch); a dashboard the role may not open, or another
    organisation than the identity's own (role *organisatie*), a :class:`PermissionError`.
    The output may carry a ``message`` (too few trajectories...) instead of a chart."""
    from sofs_lib import release
    from sofs_lib.dashboards.selection import View, parse_selection
    from sofs_lib.dashboards.spec import DownloadMeta

    entry = get(dashboard)
    if identity.role not in entry.roles:
        raise PermissionError(f"role {identity.role!r} may not open {dashboard!r}")
    definition = entry.definition()
    spec = next((p for p in definition.panels if p.key == panel), None)
    if spec is None:
        raise SofsInputError(f"Onbekend onderdeel '{panel}' in het dashboard {entry.title}.")
    chosen = release.load_slice(identity, profile=definition.profile)
    sel = parse_selection(chosen, definition.controls, selection)
    if sel.organisation is not None and sel.organisation not in set(chosen.organisations):
        raise PermissionError("organisation not in this role's release")
    view = View(chosen, sel, int(chosen.min_cell), definition.cell_dims, dict(definition.extra))
    output = spec.build(view)
    who = sel.organisation or "Vlaanderen"
    what = sel.describe()
    meta = DownloadMeta(
        dashboard=entry.key,
        dashboard_title=entry.title,
        panel=spec.key,
        panel_title=spec.title,
        selection=f"{who}{', ' + what if what else ''}",
        n_text=output.n_text,
        source=chosen.note or ("synthetische testgegevens" if chosen.synthetic else ""),
        export_date=None,
        organisation=sel.organisation,
        notes=tuple(t for t in (output.note, output.sentence) if t),
    )
    return output, meta


# --------------------------------------------------------------------------- landing page

LANDING = (config.PROJECT_ROOT / "dashboards" / "share" / "voila" / "templates" / "sofs" / "tree.html")
_BEGIN = "{#- generated from sofs_lib/dashboards/registry.py: python -m sofs_lib.dashboards.registry -#}"
_BLOCK = re.compile(r"\{% set dashboards = \[.*?\] %\}", re.S)


def _quote(text: str) -> str:
    if '"' in text:
        raise ValueError(f"no double quote in landing-page texts: {text!r}")
    return f'"{text}"'


#: Who a role-restricted dashboard is for, in the landing page's description.
ROLE_NAMES = {"organisatie": "organisaties", "agentschap": "het agentschap", "publiek": "iedereen"}


def landing_description(d: Dashboard) -> str:
    """The landing page's sentence for ``d``; a dashboard not every role may open says for
    whom it is (the landing page is the same for every visitor)."""
    if set(d.roles) == set(ALL_ROLES):
        return d.description
    return f"{d.description} Enkel voor {' en '.join(ROLE_NAMES.get(r, r) for r in d.roles)}."


def landing_block() -> str:
    """The landing page's list of dashboards (a Jinja ``set``), from :data:`DASHBOARDS`."""
    lines = [
        f"  ({_quote(d.notebook)}, {_quote(d.title)}, {_quote(landing_description(d))}),"
        for d in DASHBOARDS
    ]
    return "{% set dashboards = [\n" + "\n".join(lines) + "\n] %}"


def landing_text(current: str) -> str:
    """``current`` template text with its list replaced by :func:`landing_block`."""
    if not _BLOCK.search(current):
        raise ValueError("the landing template has no '{% set dashboards = [...] %}' block")
    text = _BLOCK.sub(lambda _m: landing_block(), current, count=1)
    if _BEGIN not in text:
        text = text.replace("{% set dashboards", _BEGIN + "\n{% set dashboards", 1)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the landing page's dashboard list from the registry.")
    parser.add_argument("--check", action="store_true", help="exit 1 when tree.html is out of date")
    args = parser.parse_args(argv)
    current = LANDING.read_text(encoding="utf-8")
    wanted = landing_text(current)
    if args.check:
        return 0 if wanted == current else 1
    LANDING.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
