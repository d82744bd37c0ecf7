"""The raw layouts of both exports: headers, the spellings seen in practice, sheet names.

Reference data, read by the cleaners (``sofs_lib.clean_dashboard``,
``sofs_lib.clean_binc``), the schemas and the generator (``sofs_lib.synth``) alike, so
that the header list is defined once. The dashboard layout follows the contract
(``shared/contracts/dashboard_export.md``); the Binc layout ``docs/binc_data_dictionary.md``.
"""

from __future__ import annotations

from sofs_lib.catalogue import STEPS

# --------------------------------------------------------------------------- dashboard

#: Contract header -> internal key of the raw column (before cleaning).
CORE_HEADERS: dict[str, str] = {
    "Organisatie": "organisation",
    "Fiche ID": "trajectory_id",
    "Startdatum CB": "start_date",
    "Startdatum consulent": "consulent_start_date",
    "Typering casus": "case_type",
    "Netwerk met aantal": "network_size",
    "Netwerkberaden": "network_meetings",
    "Plan B": "plan_b",
    "Plan B in werking": "plan_b_active",
    "Einddatum": "end_date",
}
#: The two people who register a step: header suffix -> internal suffix.
ROLES: dict[str, str] = {"CB": "cb", "consulent": "consulent"}
STEP_HEADERS: dict[str, str] = {
    f"{step.header} {role}": f"{step.key}_{suffix}"
    for step in STEPS
    for role, suffix in ROLES.items()
}
#: Every contract header (all required) -> internal key.
HEADERS: dict[str, str] = {**CORE_HEADERS, **STEP_HEADERS}

#: Other spellings of core headers seen in practice -> contract header.
CORE_ALIASES: dict[str, str] = {
    "Organisation": "Organisatie",
    "Organisatienaam": "Organisatie",
    "Organisatie naam": "Organisatie",
    "Organisatiecode": "Organisatie",
    "Organisatie code": "Organisatie",
    "FicheID": "Fiche ID",
    "Fiche nr": "Fiche ID",
    "Fichenr": "Fiche ID",
    "Fichenummer": "Fiche ID",
    "Fiche nummer": "Fiche ID",
    "ID fiche": "Fiche ID",
    "Traject ID": "Fiche ID",
    "Startdatum": "Startdatum CB",
    "Startdatum traject": "Startdatum CB",
    "Startdatum contextbegeleider": "Startdatum CB",
    "Startdatum contextbegeleiding": "Startdatum CB",
    "Startdatum traject CB": "Startdatum CB",
    "Startdatum traject consulent": "Startdatum consulent",
    "Typering": "Typering casus",
    "Typering van de casus": "Typering casus",
    "Typering van casus": "Typering casus",
    "Casustypering": "Typering casus",
    "Netwerk aantal": "Netwerk met aantal",
    "Netwerk aantal personen": "Netwerk met aantal",
    "Aantal netwerkpersonen": "Netwerk met aantal",
    "Aantal netwerkfiguren": "Netwerk met aantal",
    "Aantal netwerkberaden": "Netwerkberaden",
    "Netwerkberaden aantal": "Netwerkberaden",
    "Netwerkberaad": "Netwerkberaden",
    "Plan B in werking getreden": "Plan B in werking",
    "Plan B in werking datum": "Plan B in werking",
    "Datum plan B in werking": "Plan B in werking",
    "Einddatum traject": "Einddatum",
    "Einddatum CB": "Einddatum",
    "Afsluitdatum": "Einddatum",
}
#: Other spellings of step headers -> the catalogue's ``<Stap>`` header.
STEP_NAME_ALIASES: dict[str, str] = {
    "Drie huizen": "3 huizen",
    "Tijdslijn": "Traject",
    "W en P": "W&P",
    "Woord en beeld": "W&P",
    "Woord- en beeldverhaal": "W&P",
    "Veiligheidsplan volwassene": "Veiligheidsplan volwassenen",
    "Veiligheidsplan kindversie": "Kindversie veiligheidsplan",
    "Kindversie": "Kindversie veiligheidsplan",
}
ROLE_ALIASES: dict[str, str] = {
    "contextbegeleider": "CB",
    "contextbegeleiding": "CB",
    "cons": "consulent",
}


def _aliases() -> dict[str, str]:
    step_names = {s.header: s.header for s in STEPS} | STEP_NAME_ALIASES
    role_names = {r: r for r in ROLES} | ROLE_ALIASES
    aliases = dict(CORE_ALIASES)
    for typed_step, step in step_names.items():
        for typed_role, role in role_names.items():
            header = f"{step} {role}"
            if f"{typed_step} {typed_role}" != header:
                aliases[f"{typed_step} {typed_role}"] = header
    return aliases


ALIASES: dict[str, str] = _aliases()

#: The dashboard headers in the order of the export.
DASHBOARD_HEADERS: tuple[str, ...] = (
    "Organisatie",
    "Fiche ID",
    "Startdatum CB",
    "Startdatum consulent",
    "Typering casus",
    *(f"{s.header} {who}" for s in STEPS for who in ROLES),
    "Netwerk met aantal",
    "Netwerkberaden",
    "Plan B",
    "Plan B in werking",
    "Einddatum",
)

# --------------------------------------------------------------------------- Binc

#: Sheet names of the Binc workbook.
MODULE_SHEET = "Schakelingen"
CHILD_SHEET = "Kindkenmerken"

MODULE_REQUIRED = ("Kind ID", "Schakeling", "Typemodule", "Begindatum", "Einddatum")
MODULE_OPTIONAL = ("VZB organisatietype", "Organisatie")
MODULE_ALIASES = {
    "Kind": "Kind ID",
    "Pseudoniem kind": "Kind ID",
    "Kindnummer": "Kind ID",
    "Schakelingnummer": "Schakeling",
    "Rangorde schakeling": "Schakeling",
    "Nummer schakeling": "Schakeling",
    "Type module": "Typemodule",
    "Module": "Typemodule",
    "Startdatum": "Begindatum",
    "Begin": "Begindatum",
    "Einde": "Einddatum",
    "Einddatum module": "Einddatum",
    "VZB organisatie type": "VZB organisatietype",
    "Organisatietype": "VZB organisatietype",
    "Voorziening": "Organisatie",
}
#: Child sheet: header -> cleaned column.
CHILD_FIELDS: dict[str, str] = {
    "Kind ID": "child_id",
    "Jaar beginregistratie": "registration_year",
    "Geslacht": "sex",
    "Instroomleeftijd": "age_at_entry",
    "Dagbesteding": "daytime_activity",
    "Opleidingsniveau": "education_child",
    "Aantal jaren schoolachterstand": "school_delay",
    "Niet-begeleide minderjarige": "unaccompanied_minor",
    "Gezinssituatie": "family_situation",
    "Adoptiegezin": "adoptive_family",
    "Pleeggezin": "foster_family",
    "Pleegzorg in traject": "foster_care",
    "Netwerkpleegzorg": "foster_network",
    "Aantal kinderen in gezin": "n_children",
    "Huisvesting": "housing",
    "Thuistaal": "home_language",
    "Gezondheid gezinsleden": "health",
    "Schuldenlast": "debts",
    "Opleidingsniveau opvoedingsfiguur": "education_parent",
    "Arbeidssituatie combinatie": "income_situation",
}
CHILD_REQUIRED = ("Kind ID", "Geslacht", "Instroomleeftijd")
CHILD_ALIASES = {
    "Kind": "Kind ID",
    "Pseudoniem kind": "Kind ID",
    "Leeftijd bij instroom": "Instroomleeftijd",
    "Leeftijd": "Instroomleeftijd",
    "Registratiejaar": "Jaar beginregistratie",
    "Begeleidingsjaar": "Jaar beginregistratie",
    "Schoolachterstand": "Aantal jaren schoolachterstand",
    "Arbeidssituatie": "Arbeidssituatie combinatie",
    "Pleegzorg op een bepaald moment in traject": "Pleegzorg in traject",
    "Aantal kinderen": "Aantal kinderen in gezin",
    "Gezondheid": "Gezondheid gezinsleden",
}
