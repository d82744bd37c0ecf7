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

Profiel stays a Flemish profile for every role: the Binc export carries the organisation
of each module (optional column ``Organisatie``), but the release's Binc cube has no
organisation control yet, and the Binc's organisation names need not match the
dashboard's (see ``docs/report_panels.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from sofs_lib import catalogue
from sofs_lib.indicators import plans

if TYPE_CHECKING:
    from sofs_lib.widgets import PanelSpec


def _factories() -> Any:
    """The panel factories and helpers (``sofs_lib.widgets`` today; imported when a panel
    is made, so the apps can import this module)."""
    from sofs_lib import widgets

    return widgets

#: Labels of the plan groups of Fig. 10–11 (``plans.PLAN_GROUPS``).
PLAN_GROUP_LABELS: dict[object, str] = {
    "safety_plan_adult:yes": "Met veiligheidsplan volwassenen",
    "safety_plan_adult:no": "Zonder veiligheidsplan volwassenen",
    "safety_plan_child:yes": "Met veiligheidsplan kindversie",
    "safety_plan_child:no": "Zonder veiligheidsplan kindversie",
}


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
) -> PanelSpec:
    """A distribution with an inner key (Fig. 12: one row per step): mean, median and
    min–max per item, for Flanders and (when chosen) the own organisation, as released."""
    from sofs_lib import figures

    _w = _factories()

    def build(view: Any) -> Any:
        n = _w.n_text(view, population)
        message = _w.selection_message(view, population)
        if message is not None:
            return _w.PanelOutput(message=message, n_text=n)
        cell = view.cell(population)
        groups = _w._groups(view)
        parts = []
        for label, org in groups:
            rows = view.release.lookup("dists", key, org, cell)
            if not rows.empty:
                parts.append(rows.assign(**{_w.GROUP: label}))
        if not parts:
            return _w.PanelOutput(message=_w.EMPTY_MESSAGE, n_text=n)
        rows = pd.concat(parts, ignore_index=True)
        rank = {str(v): i for i, v in enumerate(order)}
        rows = rows.assign(_rank=rows["item"].astype("str").map(rank).fillna(len(rank)))
        rows = rows.sort_values(["_rank", _w.GROUP], kind="stable").reset_index(drop=True)
        names = [labels.get(str(v), str(v)) for v in rows["item"]]
        if len(groups) > 1:
            names = [f"{name} – {group}" for name, group in zip(names, rows[_w.GROUP], strict=True)]
        rows["label"] = names
        frame = rows[["label", "n", "mean", "sd", "median", "min", "max"]].copy()
        fig = figures.summary_ranges(
            frame,
            "label",
            title=title,
            order=list(rows["label"]),
            xlabel=xlabel,
            guideline=guideline,
            figsize=figures.FIGSIZE_TALL,
        )
        hidden = bool((rows["n_flag"] != "").any())
        return _w.PanelOutput(
            figure=fig,
            table=_w.dist_table(view, rows, "label", item_label),
            n_text=n,
            note=_w.HIDDEN_NOTE if hidden else None,
        )

    def inputs(view: Any) -> Any:
        return (view.organisation, view.cell(population))

    return _w.PanelSpec(key, title, build, description, height=600, inputs=inputs)


def case_type_panel() -> PanelSpec:
    """Fig. 4: trajectories per case type. The count of every case type's cell is released
    already (the selection line's n); the measure ``typering`` adds only the denominator,
    the trajectories with a case type. A share is hidden when its count or that total is."""
    from sofs_lib import figures

    _w = _factories()
    key = "typering"
    title = "Typering van de casus (figuur 4)"

    def build(view: Any) -> Any:
        n = _w.n_text(view)
        message = _w.selection_message(view)
        if message is not None:
            return _w.PanelOutput(message=message, n_text=n)
        offered = set(view.release.levels.get("case_type", []))
        types = [t for t in catalogue.CASE_TYPES if t in offered]
        if view.selection.case_type is not None:
            types = [t for t in types if t == view.selection.case_type]
        rows = []
        for label, org in _w._groups(view):
            known = view.release.lookup("shares", key, org, view.cell())
            total = float(known["numerator"].iloc[0]) if not known.empty else float("nan")
            total_flag = str(known["num_flag"].iloc[0]) if not known.empty else "x"
            for code in types:
                found = view.release.lookup("counts", org, view.cell(case_type=code))
                value = float(found["n"].iloc[0]) if not found.empty else 0.0
                flag = str(found["n_flag"].iloc[0]) if not found.empty else ""
                hidden = flag != "" or total_flag != ""
                rows.append(
                    {
                        "item": code,
                        _w.GROUP: label,
                        "numerator": value if flag == "" else float("nan"),
                        "denominator": total if total_flag == "" else float("nan"),
                        "share": float("nan") if hidden or not total > 0 else value / total,
                        "num_flag": flag,
                        "den_flag": total_flag,
                        "suppressed": hidden,
                    }
                )
        frame = pd.DataFrame(rows)
        if frame.empty:
            return _w.PanelOutput(message=_w.EMPTY_MESSAGE, n_text=n)
        labels = dict(catalogue.CASE_TYPES)
        fig = figures.share_bars(
            frame.rename(columns={"item": "case_type"})[
                ["case_type", _w.GROUP, "numerator", "denominator", "share", "suppressed"]
            ],
            "case_type",
            hue=_w.GROUP,
            title=title,
            order=types,
            hue_order=[g for g, _ in _w._groups(view)],
            labels=labels,
        )
        table = _w.share_table(view, frame, "case_type", labels, types)
        return _w.PanelOutput(figure=fig, table=table, n_text=n, note=_w._note(view, frame))

    def inputs(view: Any) -> Any:
        return (view.organisation, view.cell())

    return _w.PanelSpec(
        key,
        title,
        build,
        "Aandeel trajecten per hoofdthema, over de trajecten met een ingevulde typering (niet "
        "ingevuld telt niet mee in de noemer). Kies je bovenaan één typering, dan telt de "
        "figuur enkel die.",
        inputs=inputs,
    )


def binc_distribution_panel(key: str, title: str, *, xlabel: str, description: str = "") -> PanelSpec:
    """A Binc distribution per begeleidingsjaar (Table 5's M rows), as released."""
    from sofs_lib import figures

    _w = _factories()

    def build(view: Any) -> Any:
        n = _w.n_children_text(view)
        message = _w.selection_message(view)
        if message is not None:
            return _w.PanelOutput(message=message.replace("trajecten", "kinderen"), n_text=n)
        years = (
            [str(view.selection.year)]
            if view.selection.year is not None
            else list(view.release.levels.get("year", []))
        )
        parts = []
        for year in years:
            rows = view.release.lookup("dists", key, _w.ALL, view.cell(year=year))
            if not rows.empty:
                parts.append(rows.iloc[[0]].assign(year=year))
        if not parts:
            return _w.PanelOutput(message=_w.EMPTY_MESSAGE, n_text=n)
        rows = pd.concat(parts, ignore_index=True)
        values = rows[["year", "n", "mean", "sd", "median", "min", "max"]].copy()
        fig = figures.summary_ranges(values, "year", title=title, xlabel=xlabel)
        table = _w.dist_table(view, rows, "year", "Begeleidingsjaar")
        hidden = bool((rows["n_flag"] != "").any())
        return _w.PanelOutput(
            figure=fig, table=table, n_text=n, note=_w.HIDDEN_NOTE if hidden else None
        )

    return _w.PanelSpec(key, title, build, description, inputs=lambda view: (key, view.cell()))


def fidelity_extra() -> list[PanelSpec]:
    """Modelgetrouwheid: case types (Fig. 4), network meetings and network figures (Fig.
    7–8, all and closed trajectories), steps beside the safety plans (Fig. 10–11), months
    to each step (Fig. 12) and the duration shares (lines 5053–5059, 5383–5385)."""
    _w = _factories()
    share_panel, distribution_panel = _w.share_panel, _w.distribution_panel
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
    _w = _factories()
    share_panel = _w.share_panel
    return [
        share_panel(
            "plan_b_voor_start",
            "Plan B in werking voor of op de startdatum",
            description="Over de trajecten met een datum 'plan B in werking' (zonder die datum "
            "telt een traject niet mee).",
        ),
    ]


#: Said under every profile panel: Profiel shows Flanders for every role (module docstring).
FLANDERS_ONLY = (
    " Cijfers voor heel Vlaanderen: het Binc-profiel wordt (nog) niet per organisatie getoond."
)


def profile_extra() -> list[PanelSpec]:
    """Profiel (Binc): the rest of Tables 5–8, counted in children (see
    ``sofs_lib.release.build._binc_report_measures``); each says it shows Flanders."""
    from dataclasses import replace

    _w = _factories()
    binc_share_panel = _w.binc_share_panel
    return [replace(spec, description=spec.description + FLANDERS_ONLY) for spec in _profile_specs(_w, binc_share_panel)]


def _profile_specs(_w: Any, binc_share_panel: Any) -> list[PanelSpec]:
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
