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
    # an attribute from the researcher's mapping file (sofs_lib.organisations)
    "organisation_type": "Organisatietype",
    "closing_year": "Jaar van afsluiting",
    "status": "Status",
    "case_type": "Typering casus",
    "all": "Alle",
    "n": "n",
    "share": "Aandeel",
    "step": "SofS-stap",
    "all_steps": "Alle SofS-stappen gezet",
    "network_meetings": "Aantal netwerkberaden",
    "network_meeting_held": "Minstens één netwerkberaad",
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
    # Figures, tables and indicator ids (sofs_lib.indicators) shown to people.
    "no_data": "Geen gegevens voor deze selectie",
    "guideline": "Richtlijn",
    "mean": "Gemiddelde",
    "median": "Mediaan",
    "range": "Minimum–maximum",
    "trajectories": "Aantal trajecten",
    "indicator": "Indicator",
    "person": "Aanwezig",
    "share_pct": "Aandeel (%)",
    "network_meeting": "Netwerkberaden",
    "sd": "SD",
    "min": "Minimum",
    "max": "Maximum",
    "yes": "Ja",
    "no": "Nee",
    "base": "Teller/noemer",
    "none": "Geen",
    "unknown": "Onbekend",
    "key": "Onderdeel",
    "category": "Categorie",
    "sheet": "Tabblad",
    "variable_nl": "Kenmerk",
    "year": "Begeleidingsjaar",
    "position": "Plaats in het zorgtraject",
    "before": "Voortraject",
    "after": "Natraject",
    "last_sofs": "Laatste module CB SofS",
    "module_rows": "Moduleregistraties",
    "links": "Schakelingen",
    "children": "Kinderen",
    "children_per_year": "Unieke kinderen",
    "sex_by_year": "Geslacht",
    "age_at_entry_by_year": "Instroomleeftijd",
    "n_children_by_year": "Aantal kinderen in het gezin",
    "foster_care": "Pleegzorg tijdens het traject",
    "foster_network": "Soort netwerkpleegzorg",
    "vzb_by_status": "VZB organisatietype",
    "vzb_type": "VZB organisatietype",
    "module_frequency": "Aantal keer CB SofS",
    "module_combination": "CB SofS alleen of gecombineerd",
    "link_order": "Schakeling waarin CB SofS gebruikt wordt",
    "path_shape": "Vorm van het zorgtraject",
    "clusters": "Modules voor en na CB SofS",
    # indicator ids of sofs_lib.indicators
    "step_taken": "SofS-stap gezet",
    "long_duration_among_all_steps": "Duurtijd ≥ 8 maanden (onder trajecten met alle stappen)",
    "all_steps_among_long_duration": "Alle stappen gezet (onder trajecten van ≥ 8 maanden)",
    "meetings_6_plus": "6 of meer netwerkberaden",
    "meetings_6_to_12": "6 tot 12 netwerkberaden (richtlijn)",
    "meetings_over_12": "Meer dan 12 netwerkberaden",
    "adult_plan_without_meeting": "Veiligheidsplan volwassenen zonder netwerkberaad",
    "adult_plan_without_words_pictures": "Veiligheidsplan volwassenen zonder woord- en beeldverhaal",
    "child_plan_without_meeting": "Veiligheidsplan kindversie zonder netwerkberaad",
    "child_plan_without_words_pictures": "Veiligheidsplan kindversie zonder woord- en beeldverhaal",
    "duration_months": "Duurtijd module (maanden)",
    "duration_at_most_8": "Duurtijd ≤ 8 maanden",
    "duration_over_8": "Duurtijd > 8 maanden",
    "duration_4_to_8": "Duurtijd 4 tot 8 maanden (richtlijn)",
    "months_to_step": "Maanden tot de stap",
    "plan_b_at_start": "Plan B bij de start",
    "plan_b_in_effect": "Plan B in werking",
    "plan_b_type_in_effect": "Soort plan B in werking",
    "plan_b_active_months": "Maanden tot plan B in werking",
    "plan_b_at_or_before_start": "Plan B in werking voor of op de startdatum",
    "presence": "Aanwezig bij de stap",
    "consulent_start_lag_months": "Start consulent t.o.v. start CB (maanden)",
    "consulent_started_before_cb": "Consulent startte vóór de CB",
    "consulent_started_same_day": "Consulent en CB startten dezelfde dag",
    "consulent_started_after_cb": "Consulent startte na de CB",
    "case_type_share": "Typering casus",
}

#: Plan B kinds as asked at the start, where a blank is a choice worth showing
#: (report line 5250: half of the open trajectories leave it blank on purpose).
PLAN_B_WITH_BLANK: dict[str, str] = {**PLAN_B, "none": "Niet ingevuld"}
