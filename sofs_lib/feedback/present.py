"""Showing and downloading an organisation's own feedback: HTML tables and file bytes.

Used by the two feedback dashboards (``sofs_lib.dashboards.opvolglijst``,
``sofs_lib.dashboards.registratiekwaliteit``). Every cell is HTML-escaped on screen and
formula-neutralised in the files (``sofs_lib.cleaning.neutralise``): a Fiche ID or a
typed value such as ``=cmd|…`` stays text. The files are the organisation's own small
list, so they travel inside the page as ``data:`` links (no server round trip).

- CSV: what a Belgian Excel opens without a wizard — ``;`` separator, decimal comma,
  UTF-8 with a byte-order mark, dates ``dd/mm/jjjj``;
- XLSX (openpyxl): numbers and dates as numbers with Dutch formats, a bold frozen header
  row with an autofilter, and a sheet *Over deze lijst* saying what the list is.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from sofs_lib.cleaning import neutralise
from sofs_lib.formatting import fmt_date, fmt_number

CSV_MIME = "text/csv;charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Column kind -> Excel number format.
XLSX_FORMATS: dict[str, str] = {
    "bool": "@",
    "int": "0",
    "dec1": "0.0",
    "pct": "0%",
    "date": "dd/mm/yyyy",
    "text": "@",
}

#: One sentence for every role but ``organisatie``.
ORGANISATION_ONLY = (
    "Deze pagina is er enkel voor organisaties: wie aangemeld is voor een organisatie, ziet "
    "hier de eigen trajecten en registraties. Andere rollen zien hier geen gegevens."
)


def cell_text(value: object, kind: str) -> str:
    """One cell as people read it (nl-BE): ``7,9``, ``DD/MM/JJJJ``, ``24%``, ``ja``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if kind == "bool" or isinstance(value, bool):
        return "ja" if bool(value) else "nee"
    if kind == "date":
        return fmt_date(pd.Timestamp(value), "dd/MM/yyyy")
    if kind == "dec1":
        return fmt_number(float(value), 1)
    if kind == "int":
        return str(int(value))
    if kind == "pct":
        from sofs_lib.formatting import fmt_pct

        return fmt_pct(float(value), 0 if float(value) >= 0.1 or float(value) == 0 else 1)
    return str(value)


def display_frame(frame: pd.DataFrame, kinds: Mapping[str, str], labels: Mapping[str, str]) -> pd.DataFrame:
    """``frame``'s ``kinds`` columns as Dutch text under Dutch ``labels``, through the
    dashboards' one table contract (:class:`~sofs_lib.dashboards.spec.TableSpec`: the same
    number formats and notation for an absent value as every other dashboard). Nothing in
    an organisation's own list is hidden; dates and yes/no become text first."""
    from sofs_lib.dashboards.spec import TableSpec

    columns, formats = {}, {}
    for c, kind in kinds.items():
        if kind in ("date", "bool"):
            columns[c] = [cell_text(v, kind) for v in frame[c]]
            formats[c] = "text"
        else:
            columns[c] = frame[c].to_numpy(dtype=object)
            formats[c] = kind
    table = pd.DataFrame(columns, index=range(len(frame)))
    hidden = pd.DataFrame(False, index=table.index, columns=table.columns)
    shown = TableSpec(table, hidden, formats).display()
    return shown.rename(columns=dict(labels)).astype("str")


def html_table(
    shown: pd.DataFrame, caption: str, *, numeric: Sequence[str] = (), empty: str = ""
) -> str:
    """An accessible HTML table (caption, ``th scope``), every cell escaped; all rows."""
    if shown.empty:
        return f'<p class="sofs-empty">{html.escape(empty or "Geen rijen voor deze selectie.")}</p>'
    right = set(numeric)
    head = "".join(
        f'<th scope="col" style="text-align:{"right" if c in right else "left"};'
        f'padding:4px 8px;border-bottom:2px solid #444">{html.escape(str(c))}</th>'
        for c in shown.columns
    )
    body = []
    for row in shown.itertuples(index=False):
        tds = "".join(
            f'<td style="text-align:{"right" if c in right else "left"};padding:3px 8px;'
            f'border-bottom:1px solid #ddd;vertical-align:top">{html.escape(str(v))}</td>'
            for c, v in zip(shown.columns, row, strict=True)
        )
        body.append(f"<tr>{tds}</tr>")
    return (
        '<table class="sofs-feedback-table" style="border-collapse:collapse;width:100%;'
        'font-size:14px;color:#1a1a1a">'
        f'<caption style="text-align:left;font-weight:600;padding:4px 0">{html.escape(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def csv_bytes(frame: pd.DataFrame, kinds: Mapping[str, str], labels: Mapping[str, str]) -> bytes:
    """A Belgian-Excel CSV (``;``, decimal comma, BOM), text cells formula-neutralised."""
    shown = display_frame(frame, kinds, labels).replace("–", "")
    shown = pd.DataFrame({c: neutralise(shown[c].astype(object)) for c in shown.columns})
    text = shown.to_csv(index=False, sep=";", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def xlsx_bytes(
    sheets: Sequence[tuple[str, pd.DataFrame, Mapping[str, str], Mapping[str, str]]],
    about: Sequence[tuple[str, str]],
) -> bytes:
    """A workbook: one sheet per ``(name, frame, kinds, labels)`` and *Over deze lijst*
    holding the ``about`` pairs (what, organisation, export date, source, ...)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = True
    for name, frame, kinds, labels in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = name[:31]
        columns = list(kinds)
        sheet.append([_safe(labels[c]) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in frame[columns].itertuples(index=False):
            sheet.append([_xlsx_value(v, kinds[c]) for c, v in zip(columns, values, strict=True)])
        for j, c in enumerate(columns, start=1):
            fmt = XLSX_FORMATS.get(kinds[c], "General")
            width = max([len(str(labels[c]))] + [len(str(v)) for v in frame[c].head(200)])
            sheet.column_dimensions[sheet.cell(1, j).column_letter].width = min(max(width, 8), 60) + 2
            for row in range(2, len(frame) + 2):
                sheet.cell(row, j).number_format = fmt
        sheet.freeze_panes = "A2"
        if len(frame):
            sheet.auto_filter.ref = sheet.dimensions
    info = book.create_sheet("Over deze lijst")
    for key, value in about:
        info.append([_safe(key), _safe(value)])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(value: object) -> object:
    if isinstance(value, str):
        return neutralise(pd.Series([value], dtype=object)).iloc[0]
    return value


def _xlsx_value(value: object, kind: str) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool) or kind == "bool":
        return "ja" if bool(value) else "nee"
    if kind == "date":
        return pd.Timestamp(value).date()
    if kind in ("int",):
        return int(value)
    if kind in ("dec1", "pct"):
        return float(value)
    return _safe(str(value))


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def download_links(files: Sequence[tuple[str, str, bytes, str]]) -> str:
    """``<a download>`` links for ``(label, filename, bytes, mime)``."""
    links = " · ".join(
        f'<a download="{html.escape(name)}" href="{data_uri(data, mime)}" '
        f'style="color:#1b5e8c">{html.escape(label)}</a>'
        for label, name, data, mime in files
    )
    return f'<p class="sofs-downloads">Downloaden: {links}</p>'


def file_stem(what: str, export_date: date | None, organisation: str | None = None) -> str:
    """``opvolglijst_<organisatie>_JJJJ-MM-DD``: the list, the organisation (a file sent on
    by mail still says whose rows it holds; its full name is also inside the file, on the
    sheet *Over deze lijst*) and the export date."""
    from sofs_lib.downloads import slug

    parts = [what]
    if organisation and (name := slug(organisation)):
        parts.append(name)
    if export_date:
        parts.append(export_date.isoformat())
    return "_".join(parts)
