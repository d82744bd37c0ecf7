"""The registration workbook an organisation fills in (``sofs kerndataset template``).

One sheet per moment (``Afronding``, ``6 maanden``, ``12 maanden``) with the columns of
:func:`instrument.sheet_headers`; drop-down lists (data validation) for every answer scale
and the consent channel, date and whole-number checks, the full item text as a comment on
each header, and a protected header row (data cells stay editable; no password — the
protection guards against accidents, not people). A sheet ``Uitleg`` explains it in Dutch.
Given the cleaned dashboard and an organisation, the closure sheet is prefilled with that
organisation's closed trajectories and Fiche ID is a drop-down of its trajectories.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from sofs_lib import config
from sofs_lib.errors import SofsInputError
from sofs_lib.kerndataset import instrument as ins

#: Rows below the header that carry validation and stay editable.
DEFAULT_ROWS = 500
LISTS_SHEET = "Lijsten"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

_EXPLANATION = (
    "Kerndataset contextbegeleiding Signs of Safety",
    "",
    "Eén tabblad per moment: bij afronding, 6 maanden en 12 maanden na afronding "
    "(rapport, Tabel 11).",
    "Eén rij per traject (Fiche ID zoals in het dashboard) per moment.",
    "Kies antwoorden uit de keuzelijst; de volledige vraag staat als opmerking bij de kolomkop.",
    "Toestemming: vraag bij afronding of het gezin later gecontacteerd mag worden "
    "(informed consent). Noteer de datum en het kanaal; het adres of nummer zelf blijft "
    "in het eigen dossier en hoort niet in deze werkmap.",
    "Zonder geregistreerde toestemming verschijnt een gezin nooit op de opvolglijst.",
    "Open antwoorden (signalen, hoe het netwerk samenkomt, opmerkingen) blijven binnen de "
    "eigen organisatie: ze worden nooit getoond aan anderen.",
)


def _lists(wb: Workbook, trajectories: list[str], organisation: str | None) -> dict[str, str]:
    """A hidden sheet with every list; returns list key -> formula of its range."""
    sheet = wb.create_sheet(LISTS_SHEET)
    lists: dict[str, list[str]] = {s.key: list(s.labels) for s in ins.SCALES.values()}
    lists["consent_channel"] = [*ins.CONSENT_CHANNELS, ins.NO_CONSENT]
    if trajectories:
        lists["fiche"] = trajectories
    if organisation:
        # a range, not an inline list: a comma or quote in the name would break "a,b"
        lists["organisation"] = [organisation]
    formulas = {}
    for col, (key, values) in enumerate(lists.items(), start=1):
        sheet.cell(row=1, column=col, value=key)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=col, value=value)
        letter = get_column_letter(col)
        formulas[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    return formulas


def _validation(kind: str, formula: str | None, title: str) -> DataValidation:
    if kind == "list":
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    elif kind == "date":
        dv = DataValidation(
            type="date", operator="greaterThan", formula1="DATE(2015,1,1)", allow_blank=True
        )
    else:
        dv = DataValidation(
            type="whole", operator="between", formula1="0", formula2="50", allow_blank=True
        )
    dv.error = {
        "list": "Kies een waarde uit de lijst.",
        "date": "Geef een datum (dd/mm/jjjj).",
        "count": "Geef een geheel aantal van 0 tot 50.",
    }[kind]
    dv.errorTitle = title[:32]  # Excel refuses longer titles
    dv.showErrorMessage = True
    return dv


def write_template(
    path: Path | str,
    *,
    dashboard: pd.DataFrame | None = None,
    organisation: str | None = None,
    rows: int = DEFAULT_ROWS,
) -> Path:
    """Write the registration workbook to ``path`` (``.xlsx``) and return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise SofsInputError(f"de werkmap moet een .xlsx-bestand zijn, niet {path.name!r}")
    if (dashboard is None) != (organisation is None):
        raise SofsInputError("geef de dashboardexport én de organisatie, of geen van beide")
    trajectories: list[str] = []
    closed: list[str] = []
    if dashboard is not None:
        own = dashboard[dashboard["organisation"].eq(organisation)]
        if own.empty:
            known = ", ".join(sorted(dashboard["organisation"].unique())[:5])
            raise SofsInputError(
                f"organisatie {organisation!r} komt niet voor in de dashboardexport "
                f"(bv. {known})"
            )
        trajectories = sorted(own["trajectory_id"].astype(str))
        closed = sorted(own.loc[own["status"].eq("closed"), "trajectory_id"].astype(str))
    rows = max(rows, len(closed) + 10)

    wb = Workbook()
    info = wb.active
    info.title = "Uitleg"
    for r, line in enumerate(_EXPLANATION, start=1):
        info.cell(row=r, column=1, value=line)
    info["A1"].font = Font(bold=True, size=13)
    info.column_dimensions["A"].width = 120
    formulas = _lists(wb, trajectories, organisation)
    items = ins.load_items().set_index("header")

    for moment in ins.MOMENTS:
        ws = wb.create_sheet(ins.MOMENT_SHEETS[moment], index=wb.sheetnames.index(LISTS_SHEET))
        headers = ins.sheet_headers(moment)
        validations: dict[tuple[str, str | None], DataValidation] = {}
        for col, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=col, value=header)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            kind, formula = None, None
            if header in items.index:
                item = items.loc[header]
                cell.comment = Comment(f"{item['text']} (rapport r. {item['source_line']})", "sofs")
                scale = item["scale"]
                if scale in ins.SCALES:
                    kind, formula = "list", formulas[scale]
                elif scale == "count":
                    kind = "count"
            elif header in ("Contactdatum", "Toestemming datum"):
                kind = "date"
            elif header == "Toestemming kanaal":
                kind, formula = "list", formulas["consent_channel"]
            elif header == "Bereikt":
                kind, formula = "list", formulas["ja_nee"]
            elif header == "Fiche ID" and trajectories:
                kind, formula = "list", formulas["fiche"]
            elif header == "Organisatie" and organisation:
                kind, formula = "list", formulas["organisation"]
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = 14 if len(header) < 14 else min(len(header), 30)
            if kind is None:
                continue
            key = (kind, formula)
            if key not in validations:
                validations[key] = _validation(kind, formula, header)
                ws.add_data_validation(validations[key])
            validations[key].add(f"{letter}2:{letter}{rows + 1}")
        unlocked = Protection(locked=False)
        for row in ws.iter_rows(min_row=2, max_row=rows + 1, max_col=len(headers)):
            for cell in row:
                cell.protection = unlocked
        if moment == "closure":
            for r, fiche in enumerate(closed, start=2):
                ws.cell(row=r, column=1, value=organisation)
                ws.cell(row=r, column=2, value=fiche)
        ws.freeze_panes = "C2"
        ws.protection.sheet = True
        for permission in ("formatColumns", "formatCells", "sort", "autoFilter", "insertRows", "deleteRows"):
            setattr(ws.protection, permission, False)
    wb.properties.creator = "sofs-notebooks"
    wb.properties.created = datetime(2024, 1, 1)
    config.ensure_output_dir(path.parent)
    wb.save(path)
    return path


__all__ = ["write_template"]
