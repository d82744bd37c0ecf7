"""One source of truth for the domain's fixed vocabularies and their Dutch labels.

The ten Signs of Safety steps, the case types, plan B kinds and statuses are defined
here once (contract ``shared/contracts/dashboard_export.md``; dashboard manual, report
lines 9598–9724). Cleaning, indicators, figures and dashboards all read these tables.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One registered Signs of Safety step of the dashboard."""

    key: str  #: key used in cleaned data, e.g. ``safety_goal``
    header: str  #: ``<Stap>`` part of the export headers, e.g. ``Veiligheidsdoel``
    label: str  #: Dutch label shown to people


#: The ten dated steps, in dashboard order (contract table; manual lines 9598–9724).
STEPS: tuple[Step, ...] = (
    Step("mapping_internal", "Mapping intern", "Mapping intern"),
    Step("mapping_family", "Mapping met familie", "Mapping met familie"),
    Step("three_houses", "3 huizen", "Drie huizen"),
    Step("danger_statement", "Gevaarsboodschap", "Gevaarsboodschap"),
    Step("safety_goal", "Veiligheidsdoel", "Veiligheidsdoel"),
    Step("safety_scale", "Veiligheidsschaal", "Veiligheidsschaal"),
    Step("timeline", "Traject", "Traject (tijdslijn)"),
    Step("words_pictures", "W&P", "Woord- en beeldverhaal"),
    Step("safety_plan_adult", "Veiligheidsplan volwassenen", "Veiligheidsplan volwassenen"),
    Step("safety_plan_child", "Kindversie veiligheidsplan", "Veiligheidsplan kindversie"),
)
STEP_KEYS: tuple[str, ...] = tuple(s.key for s in STEPS)
STEP_LABELS: dict[str, str] = {s.key: s.label for s in STEPS}

#: Case types: cleaned code -> Dutch label (Fig. 4, report lines 5107–5120).
CASE_TYPES: dict[str, str] = {
    "EM": "Emotioneel misbruik",
    "FM": "Fysiek misbruik",
    "SM": "Seksueel misbruik",
    "V": "Verwaarlozing",
    "IFG": "Intrafamiliaal geweld",
    "none": "Geen",
}
#: How people type a case type in the export (lower-cased, stripped) -> cleaned code.
CASE_TYPE_ALIASES: dict[str, str] = {
    "em": "EM",
    "emotioneel misbruik": "EM",
    "fm": "FM",
    "fysiek misbruik": "FM",
    "sm": "SM",
    "seksueel misbruik": "SM",
    "v": "V",
    "verwaarlozing": "V",
    "ifg": "IFG",
    "intrafamiliaal geweld": "IFG",
    "geen": "none",
}

#: Plan B kinds: cleaned code -> Dutch label (Fig. 9, report lines 5236–5262).
PLAN_B: dict[str, str] = {"network": "Netwerk", "residential": "Verblijf"}
PLAN_B_ALIASES: dict[str, str] = {
    "netwerk": "network",
    "network": "network",
    "verblijf": "residential",
    "module verblijf": "residential",
    "verblijfsmodule": "residential",
}

#: Trajectory status (cleaned) -> Dutch label.
STATUS: dict[str, str] = {"open": "Open", "closed": "Afgesloten"}

#: Network-meeting guideline per trajectory (report line 5430: 6 to 12).
NETWORK_MEETINGS_GUIDELINE = (6, 12)
#: Duration guideline of a trajectory in months (report line 5448: 4 to 8).
DURATION_GUIDELINE_MONTHS = (4, 8)

#: Dutch labels for everything else people see (one catalogue).
LABELS: dict[str, str] = {
    "all_organisations": "Alle organisaties",
    "flanders": "Vlaanderen",
    "other_organisations": "Andere organisaties",
    "organisation": "Organisatie",
    "closing_year": "Jaar van afsluiting",
    "status": "Status",
    "case_type": "Typering casus",
    "all": "Alle",
    "n": "n",
    "share": "Aandeel",
    "step": "SofS-stap",
    "all_steps": "Alle SofS-stappen",
    "network_meetings": "Aantal netwerkberaden",
    "network_meeting_held": "Netwerkberaad gehouden",
    "network_size": "Aantal netwerkfiguren",
    "plan_b": "Plan B",
    "plan_b_active": "Plan B in werking",
    "cb": "Contextbegeleider",
    "consulent": "Consulent",
    "months": "Maanden",
    "duration": "Duurtijd",
    "suppressed": "<5",
    # A share hidden by disclosure control: its own count, or a count it would reveal
    # (the "not taken" complement, a total minus the rest), is below the threshold.
    "hidden_share": "verborgen",
    "median_others": "Mediaan andere organisaties",
    "range_others": "Spreiding andere organisaties",
}
