"""Panels for the report's figures and tables that the dashboards did not draw yet
(issue 11, item 3): Fig. 4, 7–8 (also for closed trajectories), 10–11, 12 and the
duration and plan B shares beside them on the trajectory dashboards; Tables 5–8 on
Profiel (Binc).

Every number comes from the release (``sofs_lib.release.measures.MEASURES`` and
``sofs_lib.release.build.binc_measures``, one measure per panel key); these specs only
look it up and draw it. Each description says what the share is taken over and whether
"Niet van toepassing" or "Onbekend" count. The apps append these lists to their own
panels: ``fidelity_extra()`` (Modelgetrouwheid), ``plan_b_extra()`` (Plan B),
``profile_extra()`` (Profiel).

Profiel shows Flanders and what the role may see of the organisations: each child belongs
to the organisation of its last CB SofS module (optional Binc column ``Organisatie``),
matched to the dashboard's names by ``sofs_lib.binc_organisations`` (see
``docs/report_panels.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from sofs_lib import catalogue
from sofs_lib.dashboards import sentences
from sofs_lib.dashboards.lookups import (
    GROUP,
    ROLE,
    groups,
    n_text,
    nothing_released,
    records,
    selection_message,
)
from sofs_lib.dashboards.panels import (
    EMPTY_MESSAGE,
    PanelOutput,
    PanelSpec,
    _binc_message,
    _denominator_note,
    _ranges_chart,
    _with_alt,
    binc_share_panel,
    binc_year_rows,
    dist_table,
    distribution_panel,
    n_children_text,
    share_chart_and_table,
    share_panel,
)
from sofs_lib.dashboards.selection import View
from sofs_lib.indicators import plans

#: Labels of the plan groups of Fig. 10–11 (``plans.PLAN_GROUPS``).
PLAN_GROUP_LABELS: dict[object, str] = {
    "safety_plan_adult:yes": "Met veiligheidsplan volwassenen",
    "safety_plan_adult:no": "Zonder veiligheidsplan volwassenen",
    "safety_plan_child:yes": "Met veiligheidsplan kindversie",
    "safety_plan_child:no": "Zonder veiligheidsplan kindversie",
}


def _dist_row(row: dict, label: str, role: str, **extra: Any) -> dict:
    out = dict(row)
    out.update({GROUP: label, ROLE: role, "hidden": str(row["n_flag"]) != "", **extra})
    return out


def item_distribution_panel(
    key: str,
    title: str,
    population: str = "all",
    *,
    item_label: str,
    labels: dict[object, str],
    order: Sequence[object],
    xlabel: str | None = None,
    guideline: tuple[float, float] | None = None,
    description: str = "",
    unit: str = "",
) -> PanelSpec:
    """A distribution with an inner key (Fig. 12: one row per step): mean, median and
    min–max per item, for Flanders and (when chosen) the own organisation, as released."""

    def build(view: View) -> PanelOutput:
        n = n_text(view, population)
        message = selection_message(view, population)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        cell = view.cell(population)
        shown = groups(view)
        parts = [
            _dist_row(row, label, role)
            for label, org, role in shown
            for row in records(view.release, "dists", key, org, cell)
        ]
        if not parts:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        rank = {str(v): i for i, v in enumerate(order)}
        role_rank = {"own": 0, "flanders": 1, "others": 2}
        parts.sort(key=lambda r: (rank.get(str(r["item"]), len(rank)), role_rank.get(r[ROLE], 3)))
        for r in parts:
            name = labels.get(str(r["item"]), str(r["item"]))
            r["label"] = f"{name} – {r[GROUP]}" if len(shown) > 1 else name
        rows = pd.DataFrame.from_records(parts)
        if (hidden := nothing_released(view, population, rows)) is not None:
            return PanelOutput(message=hidden, n_text=n)
        chart = _ranges_chart(rows, title, "label", xlabel or "", guideline)
        sentence = sentences.ranges_sentence(chart.data, title, unit)
        return PanelOutput(chart=_with_alt(chart, sentence), table=dist_table(rows, "label", item_label),
                           n_text=n, sentence=sentence)

    def inputs(view: View) -> Any:
        return (view.organisation, view.cell(population))

    return PanelSpec(key, title, build, description, height=600, inputs=inputs)


def case_type_panel() -> PanelSpec:
    """Fig. 4: trajectories per case type. The count of every case type's cell is released
    already (the selection line's n); the measure ``typering`` adds only the denominator,
    the trajectories with a case type. A share is hidden when its count or that total is."""
    key = "typering"
    title = "Typering van de casus (figuur 4)"

    def build(view: View) -> PanelOutput:
        n = n_text(view)
        message = selection_message(view)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        offered = set(view.release.levels.get("case_type", []))
        types = [t for t in catalogue.CASE_TYPES if t in offered]
        if view.selection.case_type is not None:
            types = [t for t in types if t == view.selection.case_type]
        rows = []
        for label, org, role in groups(view):
            known = records(view.release, "shares", key, org, view.cell())
            total_flag = str(known[0]["num_flag"]) if known else "x"
            total = float(known[0]["numerator"]) if known and total_flag == "" else float("nan")
            for code in types:
                found = records(view.release, "counts", org, view.cell(case_type=code))
                flag = str(found[0]["n_flag"]) if found else ""
                value = float(found[0]["n"]) if found and flag == "" else (0.0 if not found else float("nan"))
                hidden = flag != "" or total_flag != ""
                rows.append({
                    "item": code, GROUP: label, ROLE: role, "numerator": value, "denominator": total,
                    "num_flag": flag, "den_flag": total_flag, "hidden": hidden,
                    "share": float("nan") if hidden or not total > 0 else value / total,
                })
        if not rows:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        frame = pd.DataFrame.from_records(rows)
        chart, table = share_chart_and_table(frame, title, catalogue.LABELS.get("case_type", "Typering"),
                                             dict(catalogue.CASE_TYPES), types)
        sentence = sentences.bars_sentence(chart.data, "typering van de casus")
        return PanelOutput(chart=_with_alt(chart, sentence), table=table, n_text=n, sentence=sentence,
                           note=_denominator_note("all", "de trajecten van de selectie met een ingevulde typering"))

    def inputs(view: View) -> Any:
        return (view.organisation, view.cell())

    return PanelSpec(
        key,
        title,
        build,
        "Aandeel trajecten per hoofdthema, over de trajecten met een ingevulde typering (niet "
        "ingevuld telt niet mee in de noemer). Kiest u bovenaan één typering, dan telt de "
        "figuur enkel die.",
        inputs=inputs,
    )


def binc_distribution_panel(key: str, title: str, *, xlabel: str, description: str = "") -> PanelSpec:
    """A Binc distribution per begeleidingsjaar (Table 5's M rows), as released: the chosen
    organisation beside Flanders."""

    def build(view: View) -> PanelOutput:
        n = n_children_text(view)
        message = _binc_message(view)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        rows = binc_year_rows(view, key)
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        chart = _ranges_chart(rows, title, "_label", xlabel, None)
        sentence = sentences.ranges_sentence(chart.data, title, "kinderen")
        return PanelOutput(chart=_with_alt(chart, sentence),
                           table=dist_table(rows, "year", "Begeleidingsjaar", [(GROUP, GROUP)]),
                           n_text=n, sentence=sentence)

    return PanelSpec(key, title, build, description,
                     inputs=lambda view: (key, view.organisation, view.cell()))


def fidelity_extra() -> list[PanelSpec]:
    """Modelgetrouwheid: case types (Fig. 4), network meetings and network figures (Fig.
    7–8, all and closed trajectories), steps beside the safety plans (Fig. 10–11), months
    to each step (Fig. 12) and the duration shares (lines 5053–5059, 5383–5385)."""
    return [
        case_type_panel(),
        distribution_panel(
            "netwerkberaden_afgesloten",
            "Aantal netwerkberaden in afgesloten trajecten (figuur 7)",
            "closed",
            xlabel="Aantal netwerkberaden",
            guideline=catalogue.NETWORK_MEETINGS_GUIDELINE,
            description="Over de afgesloten trajecten met een bruikbaar aantal: een datum of een lege "
            "cel telt niet mee.",
        ),
        distribution_panel(
            "netwerkfiguren",
            "Aantal netwerkfiguren per traject (figuur 8)",
            xlabel="Aantal niet-professionele netwerkfiguren",
            description="Over de trajecten met een ingevuld aantal netwerkfiguren (leeg telt niet mee).",
        ),
        distribution_panel(
            "netwerkfiguren_afgesloten",
            "Aantal netwerkfiguren in afgesloten trajecten (figuur 8)",
            "closed",
            xlabel="Aantal niet-professionele netwerkfiguren",
            description="Over de afgesloten trajecten met een ingevuld aantal netwerkfiguren (leeg telt "
            "niet mee).",
        ),
        share_panel(
            "netwerkberaad_naar_plan",
            "Minstens één netwerkberaad, met en zonder veiligheidsplan (figuur 10)",
            "closed",
            category="plan_group",
            order=plans.PLAN_GROUPS,
            labels=PLAN_GROUP_LABELS,
            tall=True,
            description="Over de afgesloten trajecten, per groep: met of zonder het veiligheidsplan. "
            "Trajecten waar het netwerkberaad of het plan niet ingevuld is, tellen niet mee.",
        ),
        share_panel(
            "wp_naar_plan",
            "Woord- en beeldverhaal, met en zonder veiligheidsplan (figuur 11)",
            "closed",
            category="plan_group",
            order=plans.PLAN_GROUPS,
            labels=PLAN_GROUP_LABELS,
            tall=True,
            description="Over de afgesloten trajecten, per groep: met of zonder het veiligheidsplan. "
            "Trajecten waar het woord- en beeldverhaal of het plan niet ingevuld is, tellen "
            "niet mee.",
        ),
        item_distribution_panel(
            "aantal_netwerkberaden_naar_plan",
            "Aantal netwerkberaden met en zonder veiligheidsplan volwassenen",
            "closed",
            item_label="Groep",
            labels=PLAN_GROUP_LABELS,
            order=("safety_plan_adult:yes", "safety_plan_adult:no"),
            xlabel="Aantal netwerkberaden",
            guideline=catalogue.NETWORK_MEETINGS_GUIDELINE,
            description="Over de afgesloten trajecten met een bruikbaar aantal netwerkberaden en een "
            "ingevuld veiligheidsplan volwassenen; een datum of lege cel telt niet mee.",
        ),
        item_distribution_panel(
            "maanden_tot_stap",
            "Maanden van de start tot elke stap (figuur 12)",
            item_label=catalogue.LABELS["step"],
            labels=dict(catalogue.STEP_LABELS),
            order=catalogue.STEP_KEYS,
            xlabel="Maanden na de start bij de contextbegeleider (negatief: vóór de start)",
            guideline=catalogue.DURATION_GUIDELINE_MONTHS,
            description="Per stap over de trajecten met een datum voor die stap; 'nee' of leeg telt "
            "niet mee. De netwerkberaden hebben geen datum en staan er niet bij.",
        ),
        share_panel(
            "duurtijd_richtlijn",
            "Duurtijd tegenover de richtlijn van 4 tot 8 maanden (afgesloten trajecten)",
            "closed",
            description="Over de afgesloten trajecten met een start- en einddatum (zonder einddatum "
            "telt een traject niet mee).",
        ),
        share_panel(
            "alle_stappen_duurtijd",
            "Alle stappen gezet en een duurtijd van 8 maanden of meer (afgesloten trajecten)",
            "closed",
            description="Eerste balk: van de trajecten met alle stappen, het aandeel dat 8 "
            "maanden of langer duurde; tweede: van de trajecten van 8 maanden of langer, het "
            "aandeel met alle stappen. Over trajecten met een gekende duurtijd; zonder einddatum telt "
            "een traject niet mee.",
        ),
    ]


def plan_b_extra() -> list[PanelSpec]:
    """Plan B: took effect on or before the start (line 5387: 21%)."""
    return [
        share_panel(
            "plan_b_voor_start",
            "Plan B in werking voor of op de startdatum",
            description="Over de trajecten met een datum 'plan B in werking' (zonder die datum "
            "telt een traject niet mee).",
        ),
    ]


#: Said under every profile panel: whose children it counts (module docstring).
PROFILE_SCOPE = (
    " Cijfers voor heel Vlaanderen en, als uw account het toelaat, voor de gekozen "
    "organisatie: een kind telt bij de organisatie van zijn laatste module CB SofS."
)


def profile_extra() -> list[PanelSpec]:
    """Profiel (Binc): the rest of Tables 5–8, counted in children (see
    ``sofs_lib.release.build._binc_report_measures``); each says whose children it counts."""
    from dataclasses import replace

    return [replace(spec, description=spec.description + PROFILE_SCOPE) for spec in _profile_specs()]


def _profile_specs() -> list[PanelSpec]:
    return [
        binc_distribution_panel(
            "aantal_kinderen",
            "Aantal kinderen in het gezin per begeleidingsjaar (tabel 5)",
            xlabel="Begeleidingsjaar",
            description="Over de kinderen met een ingevuld aantal (onbekend telt niet mee).",
        ),
        binc_share_panel(
            "pleegzorg_netwerk",
            "Soort netwerkpleegzorg (tabel 5)",
            description="Over de kinderen in netwerkpleegzorg; 'Onbekend' (niet geregistreerd) "
            "telt mee in de noemer, zoals in het rapport.",
        ),
        binc_share_panel(
            "tabel6_vzb",
            "VZB-organisatietype van de laatste schakeling (tabel 6)",
            description="Kies bij Status 'Open' of 'Afgesloten' voor de twee kolommen van tabel "
            "6. Over de kinderen met een gekend organisatietype; 'Niet van toepassing' is een "
            "geregistreerde waarde en telt mee.",
        ),
        binc_share_panel(
            "tabel7_frequentie",
            "Hoe vaak kreeg een kind de module CB SofS? (tabel 7)",
            description="Over alle kinderen met een module CB SofS (geen enkel kind telt niet mee). "
            "'Meer dan één keer' is de som van twee maal en meer.",
        ),
        binc_share_panel(
            "tabel7_eerste_schakeling",
            "In welke schakeling startte de eerste module CB SofS? (tabel 7)",
            description="Over de kinderen met een module CB SofS, per kind de eerste module "
            "(het rapport telt modules; deze release telt kinderen om kleine aantallen te "
            "beschermen).",
        ),
        binc_share_panel(
            "tabel7_combinatie",
            "CB SofS alleen of samen met een andere module (tabel 7)",
            description="Per kind: minstens één module CB SofS in dezelfde schakeling als een "
            "andere module. Over alle kinderen met een module CB SofS (het rapport telt "
            "modules).",
        ),
        binc_share_panel(
            "tabel7_vorm",
            "Vorm van het zorgtraject (tabel 7)",
            description="Over alle kinderen met een module CB SofS: een voortraject, een "
            "natraject, CB SofS als enige of als laatste module (categorieën overlappen, elk kind "
            "telt in de noemer).",
        ),
        binc_share_panel(
            "tabel8_voor",
            "Modules vóór CB SofS, geclusterd (tabel 8, voortraject)",
            description="Over de kinderen met een voortraject: het aandeel met minstens één "
            "schakeling in die cluster (een kind kan in meerdere clusters tellen; het rapport "
            "telt schakelingen).",
        ),
        binc_share_panel(
            "tabel8_na",
            "Modules na CB SofS, geclusterd (tabel 8, natraject)",
            description="Over de kinderen met een natraject: het aandeel met minstens één "
            "schakeling in die cluster (een kind kan in meerdere clusters tellen; het rapport "
            "telt schakelingen).",
        ),
    ]
