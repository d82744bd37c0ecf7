"""Registratiekwaliteit — what in the signed-in organisation's own registrations the cleaner
could not use, and how to register it (role ``organisatie`` only).

One composite widget, :class:`QualityView`, shows the items of the organisation's release
slice (:meth:`sofs_lib.release.store.Slice.quality`, computed by
``sofs_lib.feedback.quality``): per problem the Dutch sentence with its count, the advice
from the dashboard manual (the report's appendix, named by its element) and examples from the
organisation's own rows; a problem filter, *Sorteer op* and direction, and CSV/XLSX.
Other roles get one Dutch sentence: the page is for organisations only.
"""

from __future__ import annotations

import html
import logging
from typing import Any

import ipywidgets as ipw
import pandas as pd

from sofs_lib import access
from sofs_lib.dashboards import registry
from sofs_lib.dashboards.navigation import navigation
from sofs_lib.dashboards.own_rows import own_rows_page
from sofs_lib.dashboards.spec import ROLE_COLOURS
from sofs_lib.feedback import present, quality
from sofs_lib.formatting import fmt_date

log = logging.getLogger(__name__)

TITLE = "Registratiekwaliteit"
LOAD_ERROR = (
    "De registratiekwaliteit kon niet geladen worden. Probeer het later opnieuw of meld het "
    "aan de beheerder van de dashboards."
)
ALL = "all"
LABELS = quality.LABELS
ITEM_SHOWN: dict[str, str] = {
    "label": "text",
    "field": "text",
    "count": "int",
    "denominator": "int",
    "share": "pct",
}
ITEM_EXPORTED: dict[str, str] = {
    "field": "text",
    "label": "text",
    "count": "int",
    "denominator": "int",
    "share": "pct",
    "sentence": "text",
    "advice": "text",
    "manual_section": "text",
    "manual_lines": "text",
}
EXAMPLE_SHOWN: dict[str, str] = {
    "trajectory_id": "text",
    "source_row": "int",
    "column": "text",
    "value": "text",
}
EXAMPLE_EXPORTED: dict[str, str] = {"label": "text", **EXAMPLE_SHOWN}
SORTS: tuple[tuple[str, str], ...] = (
    ("Aantal", "count"),
    ("Aandeel", "share"),
    ("Volgorde van de handleiding", "order"),
)
DESCENDING = "desc"
DIRECTIONS: tuple[tuple[str, str], ...] = (("Aflopend", DESCENDING), ("Oplopend", "asc"))


class QualityView(ipw.VBox):
    """The organisation's registration problems with advice and examples."""

    def __init__(self, items: pd.DataFrame, examples: pd.DataFrame, organisation: str,
                 about: dict, note: str = ""):
        self.items = items.reset_index(drop=True)
        self.examples = examples.reset_index(drop=True)
        self.organisation = organisation
        self.export_date = about.get("export_date")
        self.note = note
        found = self.items.loc[self.items["count"].astype("int64").to_numpy() > 0]
        self.problem = ipw.Dropdown(
            options=[("Alle problemen", ALL)] + list(zip(found["label"], found["code"], strict=True)),
            value=ALL,
            description="Probleem",
            style={"description_width": "initial"},
        )
        self.sort_by = ipw.Dropdown(
            options=list(SORTS), value="count", description="Sorteer op",
            style={"description_width": "initial"},
        )
        self.direction = ipw.ToggleButtons(
            options=list(DIRECTIONS), value=DESCENDING, description="Richting",
            style={"description_width": "initial"},
        )
        self.summary = ipw.HTML(self._summary())
        self.table = ipw.HTML()
        self.details = ipw.HTML()
        self.downloads = ipw.HTML()
        for control in (self.problem, self.sort_by, self.direction):
            control.observe(self._redraw, names="value")
        footer = ipw.HTML(
            '<p style="color:#444;font-size:13px">'
            + html.escape(
                "Enkel uw eigen registraties: geen andere organisatie en geen agentschap ziet "
                "deze pagina. De adviezen volgen de handleiding van het dashboard (bijlage 1 "
                "van het evaluatierapport). " + note
            )
            + "</p>"
        )
        super().__init__(
            [
                navigation("registratiekwaliteit", registry.navigation_entries(access.ORGANISATION)),
                self.summary,
                ipw.HBox([self.problem, self.sort_by, self.direction]),
                self.downloads,
                self.table,
                self.details,
                footer,
            ]
        )
        self._redraw()

    def view(self) -> pd.DataFrame:
        """The problems found (count > 0) for the current filter and sort order."""
        items = self.items.loc[self.items["count"].astype("int64").to_numpy() > 0]
        if self.problem.value != ALL:
            items = items.loc[items["code"].eq(self.problem.value).to_numpy()]
        ascending = self.direction.value != DESCENDING
        return items.sort_values(
            [self.sort_by.value, "order"], ascending=[ascending, True], kind="stable",
            na_position="last",
        )

    def examples_of(self, items: pd.DataFrame) -> pd.DataFrame:
        """Examples of ``items`` (in their order), labelled with the problem."""
        labels = dict(zip(self.items["code"], self.items["label"], strict=True))
        rank = {code: i for i, code in enumerate(items["code"])}
        chosen = self.examples.loc[self.examples["code"].isin(list(rank)).to_numpy()]
        chosen = chosen.assign(label=chosen["code"].map(labels), _r=chosen["code"].map(rank))
        return chosen.sort_values(["_r", "source_row"], kind="stable").drop(columns="_r")

    def _summary(self) -> str:
        items = self.items
        found = items.loc[items["count"].astype("int64").to_numpy() > 0]
        colour = ROLE_COLOURS["own"]
        when = f" (export van {fmt_date(self.export_date)})" if self.export_date else ""
        if found.empty:
            head = f"In de registraties van {self.organisation}{when} vonden we geen problemen."
        else:
            head = (
                f"In de registraties van {self.organisation}{when} vonden we {len(found)} soorten "
                "problemen die de opschoning niet of maar deels kon gebruiken."
            )
        zero = items.loc[items["count"].astype("int64").to_numpy() == 0]
        ok = [f"{f}: {label}" for f, label in zip(zero["field"], zero["label"], strict=True)]
        checked = (
            f'<details style="font-size:14px"><summary>In orde ({len(ok)} controles zonder '
            "problemen)</summary><ul>"
            + "".join(f"<li>{html.escape(text)}</li>" for text in ok)
            + "</ul></details>"
            if ok
            else ""
        )
        return (
            f'<p style="font-size:16px;border-left:6px solid {colour};padding-left:10px">'
            f"{html.escape(head)}</p>" + checked
        )

    def _redraw(self, *_: Any) -> None:
        shown = self.view()
        self.table.value = present.html_table(
            present.display_frame(shown, ITEM_SHOWN, LABELS),
            "Gevonden problemen",
            numeric=[LABELS[c] for c in ("count", "denominator", "share")],
            empty="Geen problemen gevonden.",
        )
        parts = []
        examples = self.examples_of(shown)
        for item in shown.itertuples(index=False):
            own = examples.loc[examples["code"].eq(item.code).to_numpy()]
            parts.append(
                f'<section style="margin:12px 0;padding:8px 12px;border:1px solid #ddd">'
                f'<h2 style="font-size:17px;margin:4px 0">{html.escape(item.label)} '
                f'<span style="font-weight:400">({html.escape(item.field)})</span></h2>'
                f"<p><strong>{html.escape(item.sentence)}</strong></p>"
                f"<p>Zo registreert u het: {html.escape(item.advice)}</p>"
                f'<p style="font-size:13px;color:#444">Bron: {html.escape(item.manual_section)}.</p>'
                + present.html_table(
                    present.display_frame(own, EXAMPLE_SHOWN, LABELS),
                    f"Voorbeelden uit uw registraties (eerste {quality.EXAMPLES_PER_ITEM})",
                    numeric=[LABELS["source_row"]],
                )
                + "</section>"
            )
        self.details.value = "".join(parts)
        self.downloads.value = self._downloads(shown, examples)

    def _downloads(self, shown: pd.DataFrame, examples: pd.DataFrame) -> str:
        stem = present.file_stem("registratiekwaliteit", self.export_date, self.organisation)
        if self.problem.value != ALL:
            stem += f"_{self.problem.value}"
        labels = {**LABELS, "label": "Probleem"}
        about = [
            ("Lijst", TITLE),
            ("Organisatie", self.organisation),
            ("Selectie", self.problem.label),
            ("Exportdatum", present.cell_text(self.export_date, "date") if self.export_date else "–"),
            ("Bron", self.note or "dashboard-export"),
            ("Handleiding", "Per probleem het onderdeel van de handleiding van het dashboard "
                            "(bijlage 1 van het evaluatierapport): kolom Handleiding."),
            ("Vertrouwelijk", "Gegevens op trajectniveau van de eigen organisatie."),
        ]
        xlsx = present.xlsx_bytes(
            [
                ("Problemen", shown, ITEM_EXPORTED, labels),
                ("Voorbeelden", examples, EXAMPLE_EXPORTED, labels),
            ],
            about,
        )
        return present.download_links(
            [
                ("Problemen en voorbeelden (XLSX)", f"{stem}.xlsx", xlsx, present.XLSX_MIME),
                ("Problemen (CSV)", f"{stem}.csv", present.csv_bytes(shown, ITEM_EXPORTED, labels),
                 present.CSV_MIME),
                ("Voorbeelden (CSV)", f"{stem}_voorbeelden.csv",
                 present.csv_bytes(examples, EXAMPLE_EXPORTED, labels), present.CSV_MIME),
            ]
        )


def quality_app(identity: access.Identity | None = None, *, release_slice=None, folder=None):
    """The Registratiekwaliteit page for ``identity`` (default: the signed-in one,
    :func:`sofs_lib.access.current`). ``release_slice``: a slice already loaded (tests);
    ``folder``: the release folder (default: the release of the export in use)."""

    def build(chosen: Any, identity: access.Identity) -> ipw.Widget:
        return QualityView(
            chosen.quality(),
            chosen.quality_examples(),
            identity.organisation,
            chosen.feedback_about(),
            chosen.note,
        )

    return own_rows_page(identity, release_slice, folder, build, LOAD_ERROR)
