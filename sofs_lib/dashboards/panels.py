"""Panel builders: from the role's release slice to what a panel shows, as data.

A :class:`PanelSpec` names a panel and the function that fills it; the function gets a
:class:`~sofs_lib.dashboards.selection.View` and returns a :class:`PanelOutput`: the figure
as a :class:`~sofs_lib.dashboards.spec.ChartSpec`, the table as a
:class:`~sofs_lib.dashboards.spec.TableSpec` (numbers as numbers, hidden cells marked), the
*n* behind it and one generated Dutch sentence. No widgets and no drawing here: the same
output goes to the screen (SVG), to the downloads (server) and to the static report.

Factories for the common panels: :func:`share_panel`, :func:`distribution_panel`,
:func:`trend_share_panel`, :func:`trend_mean_panel` and the Binc (Profiel) panels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sofs_lib import catalogue
from sofs_lib.dashboards import sentences
from sofs_lib.dashboards.lookups import (
    FLANDERS,
    GROUP,
    OTHERS_LABEL,
    POPULATION_TEXT,
    ROLE,
    count_text,
    dist_rows,
    groups,
    n_text,
    nothing_released,
    selection_message,
    share_records,
    share_rows,
    trend_years,
    with_others_mean,
    without_item,
)
from sofs_lib.dashboards.selection import View
from sofs_lib.dashboards.spec import ChartSpec, TableSpec, ValueFormat, as_float, frame_records

EMPTY_MESSAGE = "Geen trajecten in deze selectie."
ERROR_MESSAGE = (
    "Deze figuur kan op dit moment niet getoond worden. Kies een andere selectie of meld "
    "het probleem aan de beheerder van de dashboards."
)
LOAD_ERROR_MESSAGE = (
    "De gegevens van dit dashboard konden niet geladen worden. Meld dit aan de beheerder "
    "van de dashboards."
)
#: Binc items people read in Dutch.
UNKNOWN_LABEL = catalogue.LABELS["unknown"]
NVT = "Niet van toepassing"
ITEM_LABELS: dict[str, str] = {"Missing": UNKNOWN_LABEL, "__unknown__": UNKNOWN_LABEL}
#: Plan B kinds: a blank is "not filled in" (the catalogue's "none" is the case type "Geen").
PLAN_B_LABELS: dict[object, str] = dict(catalogue.PLAN_B_WITH_BLANK)
DEFAULT_ORDERS: dict[str, tuple[object, ...]] = {
    "step": (*catalogue.STEP_KEYS, "network_meeting"),
    "plan_b": (*catalogue.PLAN_B, "none"),
}


@dataclass
class PanelOutput:
    """What one panel shows after an update.

    ``chart``: the figure as data (``None`` with a ``message``); ``table``: the table
    behind it (a :class:`TableSpec`; a frame of display strings is accepted too);
    ``n_text``: the *n* behind the figure, in Dutch; ``sentence``: one generated Dutch
    sentence saying what the panel shows; ``note``: what the shares' denominator is;
    ``message``: shown instead of the figure. ``figure`` (a matplotlib figure) is accepted
    for panels written against the old framework; it is drawn as a PNG."""

    chart: ChartSpec | None = None
    table: TableSpec | pd.DataFrame | None = None
    n_text: str = ""
    message: str | None = None
    note: str | None = None
    sentence: str = ""
    figure: Any = None

    def table_spec(self) -> TableSpec | None:
        """The table as a :class:`TableSpec` (a frame of display strings: all text)."""
        if self.table is None or isinstance(self.table, TableSpec):
            return self.table
        frame = self.table.astype("str")
        hidden = pd.DataFrame(False, index=frame.index, columns=frame.columns)
        return TableSpec(frame, hidden, {c: "text" for c in frame.columns})


Builder = Callable[[View], PanelOutput]


@dataclass(frozen=True)
class PanelSpec:
    """One figure of a dashboard: a Dutch title and the function that fills it.

    ``inputs``: what the output depends on (its release lookups), as a hashable key; a
    control change that leaves it unchanged reuses the finished panel (``None``: the whole
    selection). ``height`` is kept for panels written against the old framework; figures
    now scale with the window."""

    key: str
    title: str
    build: Builder
    description: str = ""
    height: int = 450
    inputs: Callable[[View], Any] | None = None


def cell_inputs(population: str) -> Callable[[View], Any]:
    """A panel's inputs: the organisation and the release cell of its population (a status
    change that leaves the cell alone reuses the panel)."""

    def inputs(view: View) -> Any:
        return (view.organisation, view.cell(population))

    return inputs


_cell_inputs = cell_inputs  # the old name


def item_label(value: object, labels: dict[object, str] | None = None) -> str:
    """The Dutch label of an item (step, plan B kind, indicator id, Binc category)."""
    text = str(value)
    if labels and value in labels:
        return labels[value]
    if labels and text in labels:
        return labels[text]
    for table in (ITEM_LABELS, catalogue.STEP_LABELS, catalogue.CASE_TYPES, catalogue.PLAN_B,
                  catalogue.STATUS, catalogue.LABELS):
        if text in table:
            return table[text]
    return text


def _ordered_items(items: Sequence[object], order: Sequence[object] | None) -> list[object]:
    items = list(dict.fromkeys(items))
    if order is None:
        return items
    rank = {str(v): i for i, v in enumerate(order)}
    return sorted(items, key=lambda v: rank.get(str(v), len(rank)))


def _denominator_note(population: str, denominator: str | None) -> str:
    what = denominator or f"de {POPULATION_TEXT.get(population, 'trajecten')} van de selectie"
    return f"Aandeel = aantal / noemer; noemer: {what} (kolom n)."


# --------------------------------------------------------------------------- shares


def share_chart_and_table(
    rows: pd.DataFrame,
    title: str,
    first_header: str,
    labels: dict[object, str] | None,
    order: Sequence[object] | None,
    x_label: str = "",
) -> tuple[ChartSpec, TableSpec]:
    """Chart (bars, item × group) and table (per group: share and its denominator)."""
    records = frame_records(rows)
    items = _ordered_items([r["item"] for r in records], order)
    names = [item_label(i, labels) for i in items]
    by: dict[tuple[str, str], dict] = {}
    for r in records:
        by.setdefault((str(r["item"]), r[GROUP]), r)
    group_order = list(dict.fromkeys(r[GROUP] for r in records))
    role_of = {r[GROUP]: r[ROLE] for r in records}
    chart_rows = []
    for item, name in zip(items, names, strict=True):
        for g in group_order:
            r = by.get((str(item), g))
            if r is not None:
                chart_rows.append({"item": name, "group": g, "role": r[ROLE], "value": r["share"],
                                   "n": r["denominator"], "hidden": bool(r["hidden"])})
    data = pd.DataFrame(chart_rows, columns=["item", "group", "role", "value", "n", "hidden"])
    nan = float("nan")
    table: dict[str, list] = {first_header: names}
    hidden: dict[str, list] = {first_header: [False] * len(items)}
    formats: dict[str, ValueFormat] = {first_header: "text"}
    for g in group_order:
        cells = [by.get((str(i), g)) for i in items]
        table[g] = [nan if c is None else c["share"] for c in cells]
        hidden[g] = [False if c is None else bool(c["hidden"]) for c in cells]
        formats[g] = "pct"
        if role_of[g] == "others":
            continue
        n_col = f"n {g}"
        table[n_col] = [nan if c is None else c["denominator"] for c in cells]
        hidden[n_col] = [False if c is None else str(c["den_flag"]) != "" for c in cells]
        formats[n_col] = "int"
    frame = pd.DataFrame(table)
    spec_table = TableSpec(frame, pd.DataFrame(hidden), formats)
    chart = ChartSpec("bars", title, data, "pct", x_label=x_label, y_label=catalogue.LABELS["share"])
    return chart, spec_table


def share_panel(
    key: str,
    title: str,
    population: str = "all",
    *,
    category: str | None = None,
    order: Sequence[object] | None = None,
    labels: dict[object, str] | None = None,
    tall: bool = False,
    description: str = "",
    denominator: str | None = None,
    what: str | None = None,
) -> PanelSpec:
    """A panel of a share measure: own organisation vs Flanders vs the others together.

    ``key``: the measure in the release (``sofs_lib.release.measures.MEASURES``);
    ``category``: the inner key (``step``, ``plan_b``...) or ``None`` (one indicator);
    ``denominator``: what the share is of, in Dutch (shown under the table); ``what``: the
    indicator in words for the generated sentence (one indicator)."""
    if order is None and category is not None:
        order = DEFAULT_ORDERS.get(category)
    header = catalogue.LABELS.get(category or "indicator", "Indicator")

    def build(view: View) -> PanelOutput:
        n = n_text(view, population)
        message = selection_message(view, population)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        rows = share_rows(view, key, view.cell(population))
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        if (hidden := nothing_released(view, population, rows)) is not None:
            return PanelOutput(message=hidden, n_text=n)
        chart, table = share_chart_and_table(rows, title, header, labels, order)
        sentence = sentences.bars_sentence(chart.data, what or title[:1].lower() + title[1:])
        chart = _with_alt(chart, sentence)
        return PanelOutput(chart=chart, table=table, n_text=n, sentence=sentence,
                           note=_denominator_note(population, denominator))

    return PanelSpec(key, title, build, description, height=600 if tall else 450,
                     inputs=cell_inputs(population))


def _with_alt(chart: ChartSpec, sentence: str) -> ChartSpec:
    kind = {"bars": "Staafdiagram", "lines": "Lijndiagram", "ranges": "Spreidingsdiagram"}[chart.kind]
    groups_text = ", ".join(dict.fromkeys(chart.data["group"].astype(str)))
    alt = f"{kind} '{chart.title}' ({groups_text}). {sentence}".strip()
    return ChartSpec(chart.kind, chart.title, chart.data, chart.value_format, chart.x_label,
                     chart.y_label, chart.guideline, alt)


# --------------------------------------------------------------------------- distributions

DIST_HEADERS = {"n": "n", "mean": "Gemiddelde", "sd": "SD", "median": "Mediaan",
                "min": "Minimum", "max": "Maximum"}
DIST_FORMATS: dict[str, ValueFormat] = {"n": "int", "mean": "dec1", "sd": "dec1",
                                        "median": "dec1", "min": "dec1", "max": "dec1"}


def dist_table(rows: pd.DataFrame, first: str, header: str, extra: Sequence[tuple[str, str]] = ()) -> TableSpec:
    """The Dutch table of distribution rows: label columns, n, mean, SD, median, min, max."""
    records = frame_records(rows)
    table: dict[str, list] = {header: [str(r[first]) for r in records]}
    formats: dict[str, ValueFormat] = {header: "text"}
    for col, head in extra:
        table[head] = [str(r[col]) for r in records]
        formats[head] = "text"
    hidden_rows = [bool(r["hidden"]) for r in records]
    hidden: dict[str, list] = {head: [False] * len(records) for head in table}
    for col, head in DIST_HEADERS.items():
        table[head] = [as_float(r[col]) for r in records]
        formats[head] = DIST_FORMATS[col]
        hidden[head] = hidden_rows
    return TableSpec(pd.DataFrame(table), pd.DataFrame(hidden), formats)


def _ranges_chart(rows: pd.DataFrame, title: str, label_col: str, x_label: str,
                  guideline: tuple[float, float] | None) -> ChartSpec:
    records = frame_records(rows)
    data = pd.DataFrame({
        "group": [str(r[label_col]) for r in records],
        "role": [r[ROLE] for r in records],
        **{c: [as_float(r[c]) for r in records] for c in ("n", "mean", "sd", "median", "min", "max")},
        "hidden": [bool(r["hidden"]) for r in records],
    })
    return ChartSpec("ranges", title, data, "dec1", x_label=x_label, guideline=guideline)


#: Under a distribution that shows the other organisations together.
OTHERS_DIST_NOTE = (
    f"{OTHERS_LABEL}: het aantal en het gemiddelde, afgeleid uit de getoonde cijfers van "
    "Vlaanderen en van de gekozen organisatie; hun mediaan, SD, minimum en maximum zijn niet "
    "bekend (–)."
)


def distribution_panel(
    key: str,
    title: str,
    population: str = "all",
    *,
    xlabel: str | None = None,
    guideline: tuple[float, float] | None = None,
    description: str = "",
    unit: str = "",
) -> PanelSpec:
    """A panel of a distribution (months, counts): mean, median and min–max of the own
    organisation and of Flanders, as released."""
    unit = unit or ("maanden" if xlabel and "aand" in xlabel.lower() else "")

    def build(view: View) -> PanelOutput:
        n = n_text(view, population)
        message = selection_message(view, population)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        rows = with_others_mean(dist_rows(view, key, [(None, view.cell(population))], "_"), "_")
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        if (hidden := nothing_released(view, population, rows)) is not None:
            return PanelOutput(message=hidden, n_text=n)
        chart = _ranges_chart(rows, title, GROUP, xlabel or "", guideline)
        sentence = sentences.ranges_sentence(chart.data, title, unit)
        note = OTHERS_DIST_NOTE if (rows[ROLE] == "others").any() else None
        return PanelOutput(chart=_with_alt(chart, sentence), table=dist_table(rows, GROUP, GROUP),
                           n_text=n, sentence=sentence, note=note)

    return PanelSpec(key, title, build, description, inputs=cell_inputs(population))


# --------------------------------------------------------------------------- trends


def _trend_n_text(view: View, years: Sequence[str]) -> str:
    """The n per closing year of the shown group (closed trajectories)."""
    whose = view.organisation
    label = whose or FLANDERS
    per_year = ", ".join(
        f"{y}: {count_text(view, whose, view.cell('closed', closing_year=y))}" for y in years
    )
    return f"n = afgesloten trajecten van {label} per jaar ({per_year})"


def _trend_inputs(view: View) -> Any:
    return (view.organisation, view.cell("closed", closing_year=None), tuple(trend_years(view)))


def trend_share_panel(key: str, title: str, *, description: str = "", what: str | None = None) -> PanelSpec:
    """A share by closing year: one line each for the own organisation, Flanders and the
    other organisations together, over the chosen range of years. Closed trajectories."""

    def build(view: View) -> PanelOutput:
        years = trend_years(view)
        n = _trend_n_text(view, years)
        records = []
        for year in years:
            for r in share_records(view, key, view.cell("closed", closing_year=year)):
                r["year"] = year
                records.append(r)
        if not records:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        rows = pd.DataFrame.from_records(records)
        data = pd.DataFrame({"x": rows["year"], "group": rows[GROUP], "role": rows[ROLE],
                             "value": rows["share"], "n": rows["denominator"],
                             "hidden": rows["hidden"].astype(bool)})
        data.attrs["value_format"] = "pct"
        chart = ChartSpec("lines", title, data, "pct", x_label=catalogue.LABELS["closing_year"],
                          y_label=catalogue.LABELS["share"])
        table_rows = rows.assign(item=rows["year"])
        _, table = share_chart_and_table(table_rows, title, catalogue.LABELS["closing_year"], None, years)
        sentence = sentences.lines_sentence(data, f"het aandeel {what}" if what else "het aandeel")
        return PanelOutput(chart=_with_alt(chart, sentence), table=table, n_text=n,
                           sentence=sentence, note=_denominator_note("closed", None))

    return PanelSpec(key, title, build, description, inputs=_trend_inputs)


def trend_mean_panel(key: str, title: str, *, ylabel: str | None = None, description: str = "") -> PanelSpec:
    """A mean by closing year: lines of the own organisation and of Flanders; the table
    gives n, mean, median and range per group and year."""

    def build(view: View) -> PanelOutput:
        years = trend_years(view)
        n = _trend_n_text(view, years)
        cells = [(y, view.cell("closed", closing_year=y)) for y in years]
        rows = dist_rows(view, key, cells, "year")
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        data = pd.DataFrame({"x": rows["year"].astype(str), "group": rows[GROUP], "role": rows[ROLE],
                             "value": rows["mean"].astype(float), "n": rows["n"].astype(float),
                             "hidden": rows["hidden"].astype(bool)})
        data.attrs["value_format"] = "dec1"
        chart = ChartSpec("lines", title, data, "dec1", x_label=catalogue.LABELS["closing_year"],
                          y_label=ylabel or catalogue.LABELS["mean"])
        table = dist_table(rows, GROUP, GROUP, extra=[("year", catalogue.LABELS["closing_year"])])
        sentence = sentences.lines_sentence(
            data, f"het gemiddelde {ylabel.lower()}" if ylabel else "het gemiddelde"
        )
        return PanelOutput(chart=_with_alt(chart, sentence), table=table, n_text=n, sentence=sentence)

    return PanelSpec(key, title, build, description, inputs=_trend_inputs)


# --------------------------------------------------------------------------- Binc (Profiel)


def n_children_text(view: View) -> str:
    """The n line of a Profiel panel: children of the chosen organisation and of Flanders."""
    return n_text(view, unit="kinderen")


#: Profiel per organisation covers every begeleidingsjaar together (release.build.binc_org_computed).
ORG_YEAR_MESSAGE = (
    "Per organisatie toont Profiel alle begeleidingsjaren samen. Kies bij Begeleidingsjaar "
    "'Alle' om uw organisatie naast Vlaanderen te zien, of kies Vlaanderen voor één jaar."
)


def _binc_message(view: View) -> str | None:
    if view.organisation is not None and view.selection.year is not None:
        return ORG_YEAR_MESSAGE
    message = selection_message(view)
    return None if message is None else message.replace("trajecten", "kinderen")


ALL_YEARS = "alle jaren"


def binc_year_rows(view: View, measure: str) -> pd.DataFrame:
    """A Binc distribution per begeleidingsjaar (the selection's year, else every year)
    for the view's groups (own organisation, Flanders), as released; ``_label`` names the
    group and year ("Vlaanderen 2022")."""
    years = ([str(view.selection.year)] if view.selection.year is not None
             else [str(y) for y in view.release.levels.get("year", [])])
    cells = [(year, view.cell(year=year)) for year in years]
    if view.organisation is not None and view.selection.year is None:
        # an organisation's figures cover every begeleidingsjaar together
        cells.append((ALL_YEARS, view.cell(year=None)))
    rows = dist_rows(view, measure, cells, "year")
    if rows.empty:
        return rows
    rows["_label"] = rows[GROUP].astype(str) + " " + rows["year"].astype(str)
    return rows


def binc_share_panel(
    key: str,
    title: str,
    *,
    measure: Callable[[View], str] | None = None,
    label: Callable[[View], str] | None = None,
    description: str = "",
) -> PanelSpec:
    """A share table of the Binc children (Table 5 form) for the view's groups (the chosen
    organisation, Flanders, the other organisations together), as released; with the
    selection's *exclude_nvt*, "Niet van toepassing" is left out of the denominator."""

    def build(view: View) -> PanelOutput:
        n = n_children_text(view)
        message = _binc_message(view)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        name = measure(view) if measure else key
        rows = share_rows(view, name, view.cell())
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        denominator = "alle kinderen van de selectie"
        if view.selection.exclude_nvt and (rows["item"] == NVT).any():
            rows = without_item(rows, NVT)
            denominator = "de kinderen van de selectie zonder 'niet van toepassing'"
        shown = label(view) if label else title
        chart, table = share_chart_and_table(rows, shown, catalogue.LABELS["category"], None, None)
        sentence = sentences.bars_sentence(chart.data, shown.lower())
        return PanelOutput(chart=_with_alt(chart, sentence), table=table, n_text=n,
                           sentence=sentence, note=f"Aandeel = aantal / noemer; noemer: {denominator} (kolom n).")

    def inputs(view: View) -> Any:
        return (measure(view) if measure else key, view.organisation, view.cell(),
                view.selection.exclude_nvt)

    return PanelSpec(key, title, build, description, height=600, inputs=inputs)


def binc_variables(_release: Any = None) -> list[tuple[str, Any]]:
    from sofs_lib.indicators import profiles

    return [("Geslacht", "sex"), *((label, key) for key, label in profiles.TABLE5_VARIABLES.items())]


def variable_panel() -> PanelSpec:
    """The Table 5 characteristic chosen in the *Kenmerk* control."""

    def measure(view: View) -> str:
        return f"kenmerk:{view.selection.variable or 'sex'}"

    def label(view: View) -> str:
        variable = view.selection.variable or "sex"
        return {v: k for k, v in binc_variables()}.get(variable, variable)

    return binc_share_panel(
        "kenmerk",
        "Kenmerken van kind en gezin (tabel 5)",
        measure=measure,
        label=label,
        description="Kies het kenmerk bovenaan. Vlaanderen: alle kinderen van de selectie; "
        "'Niet van toepassing' kan uit de noemer gelaten worden.",
    )


def age_panel() -> PanelSpec:
    """Age at entry per begeleidingsjaar (Table 5), as released: the chosen organisation
    beside Flanders."""

    def build(view: View) -> PanelOutput:
        n = n_children_text(view)
        message = _binc_message(view)
        if message is not None:
            return PanelOutput(message=message, n_text=n)
        rows = binc_year_rows(view, "leeftijd")
        if rows.empty:
            return PanelOutput(message=EMPTY_MESSAGE, n_text=n)
        chart = _ranges_chart(rows, "Leeftijd bij instroom", "_label", "Leeftijd (jaar)", None)
        sentence = sentences.ranges_sentence(chart.data, "Leeftijd bij instroom", "jaar")
        return PanelOutput(chart=_with_alt(chart, sentence),
                           table=dist_table(rows, "year", catalogue.LABELS["year"], [(GROUP, GROUP)]),
                           n_text=n, sentence=sentence)

    return PanelSpec("leeftijd", "Leeftijd bij instroom", build,
                     inputs=lambda view: (view.organisation, view.cell()))


__all__ = [
    "EMPTY_MESSAGE", "ERROR_MESSAGE", "LOAD_ERROR_MESSAGE", "OTHERS_LABEL", "PanelOutput",
    "PanelSpec", "age_panel", "binc_share_panel", "cell_inputs", "distribution_panel",
    "share_panel", "trend_mean_panel", "trend_share_panel", "variable_panel", "groups",
]
