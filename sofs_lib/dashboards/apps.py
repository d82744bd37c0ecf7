"""The five dashboards of the report's quantitative chapter, as definitions (panels,
controls, headline; no widgets: the download handler reads them too) and as app factories
(what a dashboard notebook calls).

Each factory loads the release slice of the signed-in identity (``sofs_lib.access.current()``
unless ``identity`` is given) — or, with ``data``, builds a release of its panels in memory
(a researcher's own frame, tests) — and never raises: any error becomes an app showing the
Dutch load message.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sofs_lib import catalogue, config
from sofs_lib.dashboards import report_panels
from sofs_lib.dashboards.headline import HeadlineSpec
from sofs_lib.dashboards.panels import (
    LOAD_ERROR_MESSAGE,
    PLAN_B_LABELS,
    PanelOutput,
    PanelSpec,
    age_panel,
    binc_share_panel,
    binc_variables,
    distribution_panel,
    share_panel,
    trend_mean_panel,
    trend_share_panel,
    variable_panel,
)
from sofs_lib.dashboards.selection import DASHBOARD_CONTROLS, TREND_CONTROLS, ControlSpec
from sofs_lib.formatting import fmt_date

log = logging.getLogger(__name__)

SYNTHETIC_NOTE = "Let op: dit dashboard toont synthetische testgegevens, geen echte registraties."
KEY_PLANS_ORDER = ("words_pictures", "safety_plan_adult", "safety_plan_child")
TRAJECTORY_CELLS = ("closing_year", "status", "case_type")


@dataclass(frozen=True)
class Definition:
    """What a dashboard is made of (no widgets)."""

    panels: list[PanelSpec]
    controls: tuple[ControlSpec, ...] = DASHBOARD_CONTROLS
    cell_dims: tuple[str, ...] = TRAJECTORY_CELLS
    unit: str = "trajecten"
    profile: bool = False  #: the Binc release (Flemish only)
    headline: HeadlineSpec | None = None
    #: One line saying what the dashboard shows; a function of the role's release slice
    #: when that depends on what the role may see (Profiel).
    intro: str | Callable[[Any], str] = ""
    extra: dict[str, Any] = field(default_factory=dict)


INTRO_COMPARE = (
    "Kies een organisatie om haar cijfers naast Vlaanderen en de andere organisaties samen "
    "te zien; wat u kunt kiezen hangt af van uw account."
)


def fidelity_definition() -> Definition:
    """Modelgetrouwheid: which steps were taken (Fig. 5), network meetings, duration."""
    return Definition(
        [
            share_panel("stappen", "Gezette Signs of Safety-stappen", category="step", tall=True,
                        description="Aandeel trajecten waarin de stap gezet werd.",
                        denominator="de trajecten van de selectie met de stap ingevuld"),
            share_panel("alle_stappen", "Alle stappen gezet (afgesloten trajecten)", "closed",
                        description="De tien stappen en minstens één netwerkberaad.",
                        what="werden alle stappen gezet"),
            share_panel("plannen", "Woord- en beeldverhaal en veiligheidsplannen (afgesloten trajecten)",
                        "closed", order=KEY_PLANS_ORDER),
            share_panel("richtlijn_netwerkberaden", "Netwerkberaden volgens de richtlijn (6 tot 12)",
                        denominator="de trajecten met een ingevuld aantal netwerkberaden",
                        what="lag het aantal netwerkberaden binnen de richtlijn"),
            distribution_panel("aantal_netwerkberaden", "Aantal netwerkberaden per traject",
                               xlabel="Aantal netwerkberaden", unit="netwerkberaden"),
            distribution_panel("duurtijd", "Duurtijd van de module (afgesloten trajecten)", "closed",
                               xlabel="Maanden van start tot einde (richtlijn: 4 tot 8)",
                               guideline=catalogue.DURATION_GUIDELINE_MONTHS, unit="maanden"),
            *report_panels.fidelity_extra(),
        ],
        headline=HeadlineSpec("alle_stappen", "afgesloten trajecten met alle stappen gezet", "closed"),
        intro=INTRO_COMPARE,
    )


def partnership_definition() -> Definition:
    """Partnerschap: CB and consulent presence per step (Fig. 6)."""
    return Definition(
        [
            share_panel("aanwezig_cb", "Contextbegeleider aanwezig bij de stap", category="step",
                        tall=True, denominator="de trajecten waarin de stap gezet werd"),
            share_panel("aanwezig_consulent", "Consulent aanwezig bij de stap", category="step",
                        tall=True, denominator="de trajecten waarin de stap gezet werd"),
            distribution_panel("start_consulent",
                               "Start van de consulent ten opzichte van de start bij de contextbegeleider",
                               xlabel="Maanden (negatief: de consulent startte eerder)", unit="maanden"),
        ],
        headline=HeadlineSpec("aanwezig_consulent", "consulent aanwezig bij de gevaarsboodschap",
                              item="danger_statement"),
        intro=INTRO_COMPARE,
    )


def plan_b_definition() -> Definition:
    """Plan B: kind at the start and whether it took effect (Fig. 9)."""
    return Definition(
        [
            share_panel("plan_b_start", "Plan B bij de start (open trajecten)", "open",
                        category="plan_b", labels=PLAN_B_LABELS),
            share_panel("plan_b_werking", "Plan B in werking (afgesloten trajecten)", "closed",
                        what="trad plan B in werking"),
            share_panel("plan_b_soort", "Soort plan B dat in werking trad (afgesloten trajecten)",
                        "closed", category="plan_b", labels=PLAN_B_LABELS),
            distribution_panel("plan_b_timing", "Maanden van de start tot plan B in werking",
                               xlabel="Maanden na de start (negatief: vóór de start)", unit="maanden"),
            *report_panels.plan_b_extra(),
        ],
        headline=HeadlineSpec("plan_b_werking", "afgesloten trajecten met plan B in werking", "closed"),
        intro=INTRO_COMPARE,
    )


def trends_definition() -> Definition:
    """Evolutie: key figures by closing year, over a chosen range of years."""
    return Definition(
        [
            trend_share_panel("evolutie_plan_volwassenen", "Veiligheidsplan volwassenen per jaar van afsluiting"),
            trend_share_panel("evolutie_plan_kind", "Veiligheidsplan kindversie per jaar van afsluiting"),
            trend_share_panel("evolutie_wp", "Woord- en beeldverhaal per jaar van afsluiting"),
            trend_share_panel("evolutie_plan_b", "Plan B in werking per jaar van afsluiting"),
            trend_mean_panel("evolutie_netwerkberaden", "Gemiddeld aantal netwerkberaden per jaar van afsluiting",
                             ylabel="Aantal netwerkberaden"),
        ],
        controls=TREND_CONTROLS,
        headline=HeadlineSpec("evolutie_plan_volwassenen", "veiligheidsplan volwassenen (afgesloten)", "closed"),
        intro="Afgesloten trajecten per jaar van afsluiting: kies de eerste en de laatste jaar "
        "van de periode. " + INTRO_COMPARE,
    )


BINC_CONTROLS: tuple[ControlSpec, ...] = (
    DASHBOARD_CONTROLS[0],  # organisation: what the role's slice holds (bound for organisatie)
    ControlSpec("year", "Begeleidingsjaar", "year"),
    ControlSpec("status", catalogue.LABELS["status"], "status"),
    ControlSpec("variable", "Kenmerk", "variable", options=binc_variables, default="sex"),
    ControlSpec("exclude_nvt", "Niet van toepassing", "exclude_nvt",
                options=lambda _r: [("meetellen in de noemer", "__alle__"), ("weglaten uit de noemer", "ja")]),
)


INTRO_PROFILE_FLANDERS = (
    "Dit dashboard toont enkel Vlaanderen (alle organisaties samen): voor uw account zijn "
    "geen Binc-gegevens per organisatie beschikbaar."
)
INTRO_PROFILE_OWN = (
    "Binc-gegevens van de kinderen met een module CB SofS. Kies uw organisatie om haar "
    "kinderen naast Vlaanderen en de andere organisaties samen te zien. Een kind telt bij "
    "de organisatie van zijn laatste module CB SofS."
)
INTRO_PROFILE_AGENCY = (
    "Binc-gegevens van de kinderen met een module CB SofS. Kies een organisatie om haar "
    "kinderen naast Vlaanderen te zien (kleine aantallen verborgen). Een kind telt bij de "
    "organisatie van zijn laatste module CB SofS; een kind van een organisatie die niet aan "
    "de dashboardexport gekoppeld kon worden telt enkel mee in Vlaanderen."
)


def profile_intro(release: Any) -> str:
    """The Profiel line for this role's slice: Flanders only, or with an organisation."""
    from sofs_lib import access

    if release is None or not getattr(release, "organisations", None):
        return INTRO_PROFILE_FLANDERS
    return INTRO_PROFILE_AGENCY if release.role == access.AGENCY else INTRO_PROFILE_OWN


def profile_definition() -> Definition:
    """Profiel (Binc): who the children and families are; Flanders, and the organisations
    the role may see (each child belongs to the organisation of its last CB SofS module)."""
    return Definition(
        [
            variable_panel(),
            age_panel(),
            binc_share_panel("pleegzorg", "Pleegzorg op een bepaald moment in het traject"),
            *report_panels.profile_extra(),
        ],
        controls=BINC_CONTROLS,
        cell_dims=("year", "status"),
        unit="kinderen",
        profile=True,
        headline=HeadlineSpec("pleegzorg", "kinderen in netwerkpleegzorg tijdens het traject", item="Ja, netwerkpleegzorg",
                              year_dim="year"),
        intro=profile_intro,
    )


# --------------------------------------------------------------------------- loading


def source_note(frame: pd.DataFrame, date_key: str = "dashboard_export_date") -> str:
    """The Dutch line about the data: export date and, for the synthetic set, a warning."""
    from pathlib import Path

    from sofs_lib import datasets

    export = frame.attrs.get("export_date")
    source = frame.attrs.get("source_path")
    if export is None and source:
        try:
            export = datasets.export_date_for(Path(source), date_key)
        except (OSError, ValueError):
            export = None
    parts = []
    if export is not None:
        parts.append(f"Gegevens geëxporteerd op {fmt_date(export)}.")
    if frame.attrs.get("provenance") == "synthetic":
        parts.append(SYNTHETIC_NOTE)
    return " ".join(parts)


def dashboard_release(
    data: pd.DataFrame | None,
    keys: Sequence[str],
    min_cell: int | None = None,
    identity: Any = None,
    *,
    profile: bool = False,
) -> tuple[Any, str, str | None]:
    """The identity's release slice, its source note, or a load error.

    Without ``data``: the release of the export in use, read from disk — no row-level data
    enters this kernel. With ``data``: a release of these panels built in memory."""
    from sofs_lib import release

    try:
        if data is None:
            chosen = release.load_slice(identity, profile=profile)
            return chosen, chosen.note, None
        try:
            k = config.min_cell() if min_cell is None else int(min_cell)
        except ValueError:
            log.exception("invalid disclosure threshold")
            return None, "", LOAD_ERROR_MESSAGE
        if profile:
            built = release.build_profile(data, min_cell=k)
            return built.slice(identity, profile=True), source_note(data, "binc_export_date"), None
        from sofs_lib.release.measures import MEASURES

        built = release.build_release(data, min_cell=k, measures=[MEASURES[key] for key in keys], binc=False)
        return built.slice(identity), source_note(data), None
    except Exception:
        log.exception("loading the dashboard release failed")
        return None, "", LOAD_ERROR_MESSAGE


def build_app(key: str, data: pd.DataFrame | None = None, *, min_cell: int | None = None,
              identity: Any = None, definition: Definition | None = None):
    """The app of registry entry ``key`` for ``identity`` (default: the kernel's)."""
    from sofs_lib import access
    from sofs_lib.dashboards import registry
    from sofs_lib.dashboards.app import DashboardApp

    entry = registry.get(key)
    d = definition or entry.definition()
    who = identity or access.current()
    chosen, note, error = dashboard_release(data, [p.key for p in d.panels], min_cell, identity,
                                            profile=d.profile)
    intro = d.intro(chosen) if callable(d.intro) else d.intro
    return DashboardApp(
        entry.title, chosen, d.panels, controls=d.controls, min_cell=min_cell, source_note=note,
        load_error=error, extra=d.extra, unit=d.unit, cell_dims=d.cell_dims, key=key,
        headline=d.headline, nav=registry.navigation_entries(who.role), intro=intro,
    )


def _never_raise(key: str, title: str):
    """Any error while building becomes an app that shows the Dutch load message."""

    def decorate(build: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(build)
        def wrapper(*args: Any, **kwargs: Any):
            from sofs_lib.dashboards.app import DashboardApp

            try:
                return build(*args, **kwargs)
            except Exception:
                log.exception("building the %s dashboard failed", title)
                spec = PanelSpec("fout", title, lambda view: PanelOutput(message=LOAD_ERROR_MESSAGE))
                return DashboardApp(title, None, [spec], load_error=LOAD_ERROR_MESSAGE, key=key)

        return wrapper

    return decorate


@_never_raise("modelgetrouwheid", "Modelgetrouwheid")
def fidelity_app(data: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None):
    """Modelgetrouwheid (notebook ``dashboards/modelgetrouwheid.ipynb``)."""
    return build_app("modelgetrouwheid", data, min_cell=min_cell, identity=identity)


@_never_raise("partnerschap", "Partnerschap")
def partnership_app(data: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None):
    """Partnerschap (notebook ``dashboards/partnerschap.ipynb``)."""
    return build_app("partnerschap", data, min_cell=min_cell, identity=identity)


@_never_raise("plan_b", "Plan B")
def plan_b_app(data: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None):
    """Plan B (notebook ``dashboards/plan_b.ipynb``)."""
    return build_app("plan_b", data, min_cell=min_cell, identity=identity)


@_never_raise("evolutie", "Evolutie")
def trends_app(data: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None):
    """Evolutie (notebook ``dashboards/evolutie.ipynb``)."""
    return build_app("evolutie", data, min_cell=min_cell, identity=identity)


@_never_raise("profiel", "Profiel (Binc)")
def profile_app(children: pd.DataFrame | None = None, *, min_cell: int | None = None, identity: Any = None):
    """Profiel (Binc) (notebook ``dashboards/profiel.ipynb``): Flanders and what the role may
    see of the organisations (``children`` with an ``organisation`` column: by those names)."""
    return build_app("profiel", children, min_cell=min_cell, identity=identity)
