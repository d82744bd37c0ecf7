"""Downloads under each dashboard figure: its table as CSV and XLSX, the figure as PNG.

Everything is encoded into ``data:`` URIs inside plain ``<a download>`` links, so the
browser saves the file itself: no kernel round trip, nothing written on the server, and
the links work the same in Voila and in a standalone HTML report.

Only the table *after* disclosure control may be offered (the one the figure was drawn
from, with ``<5`` in suppressed cells). Callers pass that table; this module only writes
it. The CSV is what a Belgian Excel opens without a wizard: ``;`` as separator, decimal
comma, UTF-8 with a byte-order mark. The XLSX keeps numbers as numbers and ``<5`` as text.
"""

from __future__ import annotations

import base64
import html
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sofs_lib.cleaning import neutralise_frame
from sofs_lib.errors import SofsInputError

CSV_MIME = "text/csv;charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG_MIME = "image/png"
#: Resolution of downloaded figures (the on-screen image uses the figure's own dpi).
PNG_DPI = 150


@dataclass(frozen=True)
class Download:
    """One file offered for download."""

    filename: str
    mime: str
    data: bytes
    label: str  #: Dutch link text, e.g. ``Tabel (CSV)``

    @property
    def uri(self) -> str:
        return data_uri(self.data, self.mime)


def data_uri(data: bytes, mime: str) -> str:
    """``data:<mime>;base64,...`` for ``data``."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def safe_filename(text: str, suffix: str = "") -> str:
    """A lower-case ASCII file name from a Dutch title: ``Plan B — netwerk`` -> ``plan_b_netwerk``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "download"
    return f"{stem[:80]}{suffix}"


def _check_table(table: pd.DataFrame) -> None:
    if not isinstance(table, pd.DataFrame):
        raise SofsInputError(f"a download needs a table (DataFrame), got {type(table).__name__}")


def _csv_cell(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        return repr(float(value)).replace(".", ",")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def table_csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as a Belgian Excel CSV (``;``, decimal comma, UTF-8 with BOM)."""
    _check_table(table)
    text = table.astype(object).map(_csv_cell) if len(table.columns) else table
    text = neutralise_frame(text)  # no cell a spreadsheet reads as a formula
    buffer = io.StringIO()
    text.to_csv(buffer, sep=";", index=False, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx_bytes(table: pd.DataFrame, sheet_name: str = "Tabel") -> bytes:
    """The table as an Excel workbook: one sheet, numbers as numbers, ``<5`` as text.

    No text cell becomes a formula or a link: text that would read as one gets a
    leading ``'`` (``cleaning.neutralise``) and xlsxwriter writes strings as strings.
    """
    _check_table(table)
    sheet = re.sub(r"[\[\]:*?/\\]", " ", sheet_name).strip()[:31] or "Tabel"
    out = table.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.BooleanDtype) or out[column].dtype == bool:
            out[column] = out[column].map({True: "ja", False: "nee"}).astype(object)
    out = neutralise_frame(out)
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        out.to_excel(writer, sheet_name=sheet, index=False)
        worksheet = writer.sheets[sheet]
        for i, column in enumerate(out.columns):
            width = max([len(str(column))] + [len(str(v)) for v in out[column].head(200)])
            worksheet.set_column(i, i, min(max(width + 2, 8), 60))
    return buffer.getvalue()


def figure_png_bytes(fig: Figure, dpi: int | None = None) -> bytes:
    """The figure as PNG bytes (its own size; ``dpi`` defaults to the figure's)."""
    if not isinstance(fig, Figure):
        raise SofsInputError(
            f"a figure download needs a matplotlib Figure, got {type(fig).__name__}"
        )
    buffer = io.BytesIO()
    # Fast zlib level: the PNG travels over a local websocket; size matters less than time.
    fig.savefig(
        buffer,
        format="png",
        dpi=dpi or fig.dpi,
        facecolor="white",
        pil_kwargs={"compress_level": 1},
    )
    return buffer.getvalue()


def downloads_for(
    name: str,
    table: pd.DataFrame | None,
    figure_png: bytes | None = None,
) -> list[Download]:
    """The three downloads under one figure: table as CSV and XLSX, figure as PNG."""
    stem = safe_filename(name)
    items: list[Download] = []
    if table is not None:
        items.append(Download(f"{stem}.csv", CSV_MIME, table_csv_bytes(table), "Tabel (CSV)"))
        items.append(
            Download(f"{stem}.xlsx", XLSX_MIME, table_xlsx_bytes(table, name), "Tabel (Excel)")
        )
    if figure_png is not None:
        items.append(Download(f"{stem}.png", PNG_MIME, figure_png, "Figuur (PNG)"))
    return items


def links_html(items: Sequence[Download]) -> str:
    """``<a download>`` links for ``items``, as one line of HTML."""
    if not items:
        return ""
    links = [
        f'<a class="sofs-download" download="{html.escape(item.filename)}" '
        f'href="{item.uri}" title="{html.escape(item.filename)} downloaden">'
        f"↓ {html.escape(item.label)}</a>"
        for item in items
    ]
    return '<div class="sofs-downloads">' + " &nbsp;·&nbsp; ".join(links) + "</div>"
