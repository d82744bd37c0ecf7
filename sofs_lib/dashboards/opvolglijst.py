"""Opvolglijst — the signed-in organisation's open trajectories to follow up (role
``organisatie`` only).

One composite widget, :class:`FollowupView`, shows the list of the organisation's release
slice (:meth:`sofs_lib.release.store.Slice.followup`, computed by
``sofs_lib.feedback.followup``): key figures on top, then every row, most urgent first,
with a reason filter, a *Sorteer op* choice and direction, and the list as CSV/XLSX.
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
from sofs_lib.feedback import followup, present
from sofs_lib.formatting import fmt_date

log = logging.getLogger(__name__)

TITLE = "Opvolglijst"
LOAD_ERROR = (
    "De opvolglijst kon niet geladen worden. Probeer het later opnieuw of meld het aan de "
    "beheerder van de dashboards."
)
ALL_REASONS = "all"
#: Shown columns (on screen) and how they read.
SHOWN: dict[str, str] = {
    "rank": "int",
    "trajectory_id": "text",
    "start_date": "date",
    "months_since_start": "dec1",
    "meetings_registered": "text",
    "reasons": "text",
    "steps_missing": "text",
}
#: Columns in the downloaded files.
EXPORTED: dict[str, str] = {
    "rank": "int",
    "trajectory_id": "text",
    "start_date": "date",
    "months_since_start": "dec1",
    "network_meetings": "int",
    "meetings_registered": "text",
    "no_meeting": "bool",
    "steps_missing_n": "int",
    "steps_missing": "text",
    "plan_b_empty": "bool",
    "consulent_missing": "bool",
    "urgency": "int",
    "reasons": "text",
}
#: "Sorteer op" choices: label -> column (``rank`` is the urgency order).
SORTS: tuple[tuple[str, str], ...] = (
    ("Urgentie (aanbevolen)", "rank"),
    ("Maanden sinds start", "months_since_start"),
    ("Aantal ontbrekende stappen", "steps_missing_n"),
    ("Aantal netwerkberaden", "network_meetings"),
    ("Startdatum", "start_date"),
    ("Fiche ID", "trajectory_id"),
)
DESCENDING = "desc"
DIRECTIONS: tuple[tuple[str, str], ...] = (("Aflopend", DESCENDING), ("Oplopend", "asc"))
#: Reason code -> the flag column that says it holds.
REASON_FLAGS: dict[str, str] = {
    "no_meeting": "no_meeting",
    "steps_missing": "steps_missing_n",
    "plan_b_empty": "plan_b_empty",
    "consulent_missing": "consulent_missing",
}


def _has(frame: pd.DataFrame, reason: str) -> pd.Series:
    column = frame[REASON_FLAGS[reason]]
    return column.astype(bool) if reason != "steps_missing" else column.astype("int64") > 0


class FollowupView(ipw.VBox):
    """The organisation's follow-up list with its controls (one composite widget)."""

    def __init__(self, frame: pd.DataFrame, organisation: str, about: dict, note: str = ""):
        self.frame = frame.reset_index(drop=True)
        self.organisation = organisation
        self.months = about.get("followup_months") or followup.followup_months()
        self.export_date = about.get("export_date")
        self.note = note
        self.labels = {**followup.LABELS, "reasons": "Redenen"}
        texts = followup.reason_labels(self.months)
        self.reason = ipw.Dropdown(
            options=[("Alle redenen", ALL_REASONS)] + [(texts[c], c) for c in followup.REASONS],
            value=ALL_REASONS,
            description="Reden",
            style={"description_width": "initial"},
        )
        self.sort_by = ipw.Dropdown(
            options=list(SORTS), value="rank", description="Sorteer op",
            style={"description_width": "initial"},
        )
        self.direction = ipw.ToggleButtons(
            options=list(DIRECTIONS), value=DESCENDING, description="Richting",
            style={"description_width": "initial"},
        )
        self.headline = ipw.HTML(self._headline())
        self.table = ipw.HTML()
        self.downloads = ipw.HTML()
        for control in (self.reason, self.sort_by, self.direction):
            control.observe(self._redraw, names="value")
        footer = ipw.HTML(
            '<p style="color:#444;font-size:13px">'
            + html.escape(
                "Enkel uw eigen trajecten: deze lijst ziet geen andere organisatie en geen "
                "agentschap. " + note
            )
            + "</p>"
        )
        super().__init__(
            [
                navigation("opvolglijst", registry.navigation_entries(access.ORGANISATION)),
                self.headline,
                ipw.HBox([self.reason, self.sort_by, self.direction]),
                self.downloads,
                self.table,
                footer,
            ]
        )
        self._redraw()

    # -- what is shown ----------------------------------------------------------------

    def view(self) -> pd.DataFrame:
        """The rows for the current reason filter and sort order."""
        frame = self.frame
        if self.reason.value != ALL_REASONS:
            frame = frame.loc[_has(frame, self.reason.value).to_numpy()]
        column = self.sort_by.value
        descending = self.direction.value == DESCENDING
        # urgency: rank 1 is the most urgent, so "descending urgency" is ascending rank
        ascending = descending if column == "rank" else not descending
        keys = [column] if column in ("rank", "trajectory_id") else [column, "rank"]
        order = [ascending] if len(keys) == 1 else [ascending, True]
        return frame.sort_values(keys, ascending=order, na_position="last", kind="stable")

    def _headline(self) -> str:
        frame = self.frame
        n = len(frame)
        tiles = [
            (str(n), "open trajecten vragen opvolging"),
            (str(int(frame["no_meeting"].astype(bool).sum())) if n else "0",
             f"zonder netwerkberaad na {self.months} maanden"),
            (str(int((frame["steps_missing_n"].astype("int64") > 0).sum())) if n else "0",
             "met stappen nog niet gezet"),
            (str(int(frame["plan_b_empty"].astype(bool).sum())) if n else "0", "met plan B leeg"),
            (str(int(frame["consulent_missing"].astype(bool).sum())) if n else "0",
             "zonder geregistreerde consulent"),
        ]
        colour = ROLE_COLOURS["own"]
        boxes = "".join(
            f'<div style="border:1px solid #ccc;border-left:6px solid {colour};padding:6px 12px;'
            f'min-width:150px"><div style="font-size:26px;font-weight:700;color:{colour}">'
            f'{html.escape(value)}</div><div style="font-size:14px">{html.escape(text)}</div></div>'
            for value, text in tiles
        )
        when = (
            f" op {fmt_date(self.export_date)}" if self.export_date else ""
        )
        sentence = (
            f"Open trajecten van {self.organisation}{when} die opvolging vragen. Eerst de "
            f"trajecten zonder netwerkberaad na {self.months} maanden (langst lopend eerst), "
            "dan wie de meeste redenen heeft. De SofS-richtlijn is 6 tot 12 netwerkberaden in "
            "een traject van ongeveer acht maanden."
        )
        return (
            f'<div style="display:flex;gap:12px;flex-wrap:wrap">{boxes}</div>'
            f'<p style="font-size:15px">{html.escape(sentence)}</p>'
        )

    def _redraw(self, *_: Any) -> None:
        shown = self.view()
        display = present.display_frame(shown, SHOWN, self.labels)
        caption = f"{len(shown)} trajecten"
        if self.reason.value != ALL_REASONS:
            caption += f" — {self.reason.label}"
        self.table.value = present.html_table(
            display,
            caption,
            numeric=[self.labels[c] for c in ("rank", "months_since_start", "meetings_registered")],
            empty="Geen open trajecten met deze reden.",
        )
        self.downloads.value = self._downloads(shown)

    def _downloads(self, shown: pd.DataFrame) -> str:
        stem = present.file_stem("opvolglijst", self.export_date, self.organisation)
        if self.reason.value != ALL_REASONS:
            stem += f"_{self.reason.value}"
        about = [
            ("Lijst", TITLE),
            ("Organisatie", self.organisation),
            ("Selectie", self.reason.label),
            ("Sortering", f"{self.sort_by.label}, {self.direction.label.lower()}"),
            ("Exportdatum", present.cell_text(self.export_date, "date") if self.export_date else "–"),
            ("Drempel netwerkberaad", f"{self.months} maanden"),
            ("Bron", self.note or "dashboard-export"),
            ("Vertrouwelijk", "Gegevens op trajectniveau van de eigen organisatie."),
        ]
        csv = present.csv_bytes(shown, EXPORTED, self.labels)
        xlsx = present.xlsx_bytes([(TITLE, shown, EXPORTED, self.labels)], about)
        return present.download_links(
            [
                ("Lijst (XLSX)", f"{stem}.xlsx", xlsx, present.XLSX_MIME),
                ("Lijst (CSV)", f"{stem}.csv", csv, present.CSV_MIME),
            ]
        )


def followup_app(identity: access.Identity | None = None, *, release_slice=None, folder=None):
    """The Opvolglijst page for ``identity`` (default: the signed-in one,
    :func:`sofs_lib.access.current`). ``release_slice``: a slice already loaded (tests);
    ``folder``: the release folder (default: the release of the export in use)."""

    def build(chosen: Any, identity: access.Identity) -> ipw.Widget:
        return FollowupView(
            chosen.followup(),
            identity.organisation,
            chosen.feedback_about(),
            chosen.note,
        )

    return own_rows_page(identity, release_slice, folder, build, LOAD_ERROR)
