"""The Impact dashboard (issue 12): outcomes and follow-up after closure, from the kerndataset.

Own organisation beside Flanders (and the other organisations together where the share
panels may show them) for the survey scores, the response per moment, network figures and
people the child can turn to at closure / +6 / +12 months, their change, and renewed
referral through Binc. Every number is looked up in the release
(``sofs_lib.release.impact_measures``), under the rules and the attacker of the other
dashboards; free-text answers are not in the release at all. Without a kerndataset beside
the export the dashboard says so, in Dutch, and shows nothing else.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from sofs_lib.dashboards.apps import Definition, source_note
from sofs_lib.dashboards.headline import HeadlineSpec
from sofs_lib.dashboards.panels import (
    LOAD_ERROR_MESSAGE,
    PanelOutput,
    PanelSpec,
    distribution_panel,
    share_panel,
)
from sofs_lib.dashboards.selection import DASHBOARD_CONTROLS
from sofs_lib.release import impact_measures as im

log = logging.getLogger(__name__)

TITLE = "Impact"
KEY = "impact"
NO_KERNDATASET_MESSAGE = (
    "Voor deze export is geen kerndataset beschikbaar: er werden (nog) geen registraties bij "
    "afronding, na 6 en na 12 maanden of bevragingen van ouders en kinderen aangeleverd. "
    "Zodra een ingevulde kerndataset-werkmap naast de export staat, toont dit dashboard de "
    "cijfers."
)
#: No status control: every panel says which trajectories it is about.
CONTROLS = tuple(c for c in DASHBOARD_CONTROLS if c.field != "status")

RESPONSE_LABELS = {
    "registratie": "Registratie bij afronding",
    "toestemming": "Toestemming voor opvolging",
    "respons_6m": "Bereikt na 6 maanden",
    "respons_12m": "Bereikt na 12 maanden",
}
CHANGE_LABELS = {
    "6m_meer": "Na 6 maanden: meer dan bij afronding",
    "6m_minder": "Na 6 maanden: minder dan bij afronding",
    "12m_meer": "Na 12 maanden: meer dan bij afronding",
    "12m_minder": "Na 12 maanden: minder dan bij afronding",
}
MOMENT_TITLES = {"closure": "bij afronding", "6m": "6 maanden na afronding",
                 "12m": "12 maanden na afronding"}  # fmt: skip
COUNT_TITLES = {
    "netwerk": ("Aantal netwerkfiguren rond het gezin", "Aantal netwerkfiguren"),
    "kind": ("Aantal personen bij wie het kind terecht kan", "Aantal personen"),
}
SCORE_PANELS = {
    "modelgetrouwheid": (
        "Bevraging ouders: modelgetrouwheid (items 1–14)",
        "Score van 1 (helemaal niet akkoord) tot 5 (helemaal akkoord)",
        "14",
    ),
    "effectiviteit": (
        "Bevraging ouders: effectiviteit van de ondersteuning (items 15–28)",
        "Score van 1 (helemaal niet akkoord) tot 5 (helemaal akkoord)",
        "14",
    ),
    "kind": (
        "Bevraging kinderen (vragen 1–7)",
        "Score van 1 (nee) over 2 (soms) tot 3 (ja)",
        "11",
    ),
}


def _panels() -> list[PanelSpec]:
    from sofs_lib.kerndataset.scoring import max_missing

    panels = []
    for subscale, (title, xlabel, items) in SCORE_PANELS.items():
        panels.append(
            distribution_panel(
                f"impact_score_{subscale}",
                title,
                xlabel=xlabel,
                description=(
                    f"Bij afronding. Per bevraging het gemiddelde van de beantwoorde items; een "
                    f"score telt mee als hoogstens {max_missing(subscale)} van de {items} items "
                    "ontbreken. n in de tabel: bevragingen met een score."
                ),
            )
        )
    panels.append(
        share_panel(
            "impact_respons",
            "Registratie, toestemming en respons per moment (afgesloten trajecten)",
            "closed",
            order=im.RESPONSE_ITEMS,
            labels=RESPONSE_LABELS,
            description=(
                "Registratie: van de afgesloten trajecten, die met een registratie bij "
                "afronding. Toestemming: van de geregistreerde gezinnen, wie toestemde om later "
                "gecontacteerd te worden. Bereikt: van de gezinnen met toestemming waarvan de "
                "opvolgdatum (einddatum + 6 of + 12 maanden) vóór de exportdatum viel, wie "
                "bereikt werd."
            ),
        )
    )
    for name, (title, xlabel) in COUNT_TITLES.items():
        for moment in im.MOMENTS:
            panels.append(
                distribution_panel(
                    f"impact_{name}_{moment}",
                    f"{title}, {MOMENT_TITLES[moment]}",
                    xlabel=xlabel,
                    description=f"n in de tabel: registraties {MOMENT_TITLES[moment]} met dit aantal ingevuld.",
                )
            )
        panels.append(
            share_panel(
                f"impact_verandering_{name}",
                f"{title}: verandering ten opzichte van de afronding",
                order=im.CHANGE_ITEMS,
                labels=CHANGE_LABELS,
                description=(
                    "Van de gezinnen met het aantal ingevuld bij afronding én op het latere "
                    "moment: het aandeel met meer en met minder dan bij afronding (de rest: "
                    "evenveel)."
                ),
            )
        )
    panels.append(
        share_panel(
            "impact_heraanmelding",
            "Opnieuw aangemeld binnen 12 maanden (Binc)",
            labels={"heraanmelding": "Nieuwe jeugdhulpmodule binnen 12 maanden"},
            description=(
                "Van de kinderen met een Binc-pseudoniem bij afronding, waarvan Binc de 12 "
                "maanden na het einde van de module CB SofS volledig kent: het aandeel met een "
                "nieuwe (andere) jeugdhulpmodule. Binc zegt niet waarom een module start: dit "
                "benadert de heraanmelding omwille van onveiligheid."
            ),
        )
    )
    return panels


def impact_definition() -> Definition:
    """The Impact dashboard's panels and controls (no widgets; downloads use it)."""
    return Definition(
        _panels(),
        controls=CONTROLS,
        headline=HeadlineSpec("impact_respons", "afgesloten trajecten met een registratie bij afronding",
                              "closed", item="registratie"),
        intro="Wat gebeurt er na de afronding? De kerndataset: bevragingen bij afronding en "
        "opvolging na 6 en 12 maanden, eigen organisatie naast Vlaanderen.",
    )


def _message_app(message: str, note: str = ""):
    from sofs_lib.dashboards.app import DashboardApp

    panel = PanelSpec("kerndataset", TITLE, lambda view: PanelOutput(message=message))
    return DashboardApp(TITLE, None, [panel], controls=CONTROLS, source_note=note,
                        load_error=message, key=KEY)  # fmt: skip


def impact_app(
    data: pd.DataFrame | None = None,
    *,
    kerndataset: pd.DataFrame | None = None,
    min_cell: int | None = None,
    identity: Any = None,
):
    """The Impact dashboard for the signed-in identity (``sofs_lib.access.current()``).

    Without ``data``: the release of the export in use (built first when missing or
    stale). With ``data`` (a cleaned dashboard frame; tests, a researcher's own data) and
    ``kerndataset`` (:func:`sofs_lib.release.impact_measures.trajectory_indicators`): a
    release of the Impact panels built in memory, under the same rules.
    """
    from sofs_lib import access, config, release
    from sofs_lib.dashboards import registry
    from sofs_lib.dashboards.app import DashboardApp

    try:
        if data is None:
            chosen = release.load_slice(identity)
            note = chosen.note
        else:
            if kerndataset is None:
                return _message_app(NO_KERNDATASET_MESSAGE, source_note(data))
            k = config.min_cell() if min_cell is None else int(min_cell)
            built = release.build_release(
                data,
                min_cell=k,
                measures=list(im.IMPACT_MEASURES.values()),
                binc=False,
                kerndataset=kerndataset,
            )
            chosen, note = built.slice(identity), source_note(data)
        if not im.available(chosen):
            return _message_app(NO_KERNDATASET_MESSAGE, note)
        d = impact_definition()
        who = identity or access.current()
        return DashboardApp(TITLE, chosen, d.panels, controls=d.controls, source_note=note, key=KEY,
                            headline=d.headline, nav=registry.navigation_entries(who.role), intro=d.intro)
    except Exception:  # a stakeholder never sees a traceback
        log.exception("building the Impact dashboard failed")
        return _message_app(LOAD_ERROR_MESSAGE)


__all__ = ["NO_KERNDATASET_MESSAGE", "impact_app", "impact_definition"]
