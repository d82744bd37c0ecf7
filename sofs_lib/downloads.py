"""Downloads that carry their meaning: a panel's table as XLSX or CSV, its figure as PNG.

The dashboard server renders these on request (``sofs_lib.server.downloads``), from the
signed-in identity's release slice, out of the contract types of
:mod:`sofs_lib.dashboards.spec`:

- :func:`filename` — dashboard, panel, selection (organisation, filters) and export date in
  an ASCII-safe name: ``modelgetrouwheid_stappen_organisatie-x_afgesloten-JJJJ_export-JJJJ-MM-DD.xlsx``;
- :func:`xlsx_bytes` — numbers as numbers with number formats Excel shows the Dutch way
  (``0.0%`` reads ``28,4%`` on a Belgian Excel, counts ``#,##0``), a hidden value as the text
  :data:`~sofs_lib.dashboards.spec.HIDDEN`, autofilter and a frozen header row, and a sheet
  *Over deze tabel* naming the dashboard, panel, selection, n, source, export date and the
  suppression legend (and, with a chart, a sheet *Figuur* with the figure's numbers);
- :func:`csv_bytes` — what a Belgian Excel opens without a wizard (``;``, decimal comma,
  UTF-8 with a byte-order mark): the table as people read it (``TableSpec.display``), then
  one empty line and the caption (selection, n, source, export date, legend), as under a
  printed table. Who needs the table alone reads up to the first empty line, or takes the
  XLSX, whose caption lives on its own sheet;
- :func:`png_bytes` — the figure at print resolution (≥ 200 dpi) in the role colours, with a
  caption holding the selection, the n and the source (also in the PNG's ``Description``).

No text cell of any file is read as a formula: every text goes through
:func:`sofs_lib.cleaning.neutralise` (a leading ``'``), and the XLSX writer never turns
strings into formulas or links. The bytes are deterministic for the same input (the
workbook's creation time is the export date).

The older helpers at the end (``table_csv_bytes``, ``table_xlsx_bytes``,
``figure_png_bytes``, ``downloads_for``, ``links_html``) serve the widgets that still build
``data:`` links in the kernel; they go when no dashboard uses them any more.
"""

from __future__ import annotations

import base64
import html
import io
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sofs_lib.cleaning import neutralise, neutralise_frame
from sofs_lib.dashboards.spec import (
    DOWNLOAD_FORMATS,
    EMPTY,
    HIDDEN,
    HIDDEN_LEGEND,
    ROLE_COLOURS,
    ChartSpec,
    DownloadMeta,
    TableSpec,
    format_value,
)
from sofs_lib.errors import SofsInputError
from sofs_lib.formatting import fmt_date

CSV_MIME = "text/csv;charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG_MIME = "image/png"
MIME: dict[str, str] = {"csv": CSV_MIME, "xlsx": XLSX_MIME, "png": PNG_MIME}
#: Resolution of downloaded figures: print quality.
PNG_DPI = 200
#: Excel number formats per value format (Excel shows them with the reader's separators).
NUMBER_FORMATS: dict[str, str] = {"pct": "0.0%", "int": "#,##0", "dec1": "#,##0.0"}
#: What :data:`~sofs_lib.dashboards.spec.EMPTY` means, beside the suppression legend.
EMPTY_LEGEND = f"{EMPTY} = geen waarde: geen trajecten in deze selectie."
TABLE_SHEET = "Tabel"
ABOUT_SHEET = "Over deze tabel"
CHART_SHEET = "Figuur"

# --------------------------------------------------------------------------- file names

#: Small Dutch words left out of a file name's selection part ("afgesloten in JJJJ").
_FILLER = frozenset({"in", "op", "van", "de", "het", "een"})
_PART_MAX = 40
_STEM_MAX = 180


def slug(text: str, *, drop_filler: bool = False) -> str:
    """Lower-case ASCII words joined by ``-``: ``Organisatie Ö (Gent)`` -> ``organisatie-o-gent``."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if drop_filler:
        words = [w for w in words if w not in _FILLER] or words
    return "-".join(words)[:_PART_MAX].strip("-")


def _selection_parts(meta: DownloadMeta) -> list[str]:
    parts: list[str] = []
    if meta.organisation:
        parts.append(slug(meta.organisation))
    own = slug(meta.organisation) if meta.organisation else None
    for piece in re.split(r"[,;]\s*", meta.selection or ""):
        if own is not None and slug(piece) == own:
            continue  # the organisation, already named (its own words kept whole)
        part = slug(piece, drop_filler=True)
        if part and part not in parts:
            parts.append(part)
    return [p for p in parts if p]


def filename(meta: DownloadMeta, fmt: str) -> str:
    """The download's file name: dashboard, panel, selection and export date, ASCII only.

    ``modelgetrouwheid_stappen_organisatie-x_afgesloten-JJJJ_export-JJJJ-MM-DD.xlsx``. Every
    part is reduced to ``[a-z0-9-]`` (so a name typed as a formula or with quotes cannot
    reach a header or a shell); without an export date the last part is left out.
    """
    if fmt not in DOWNLOAD_FORMATS:
        raise SofsInputError(f"unknown download format {fmt!r}; choose from {DOWNLOAD_FORMATS}")
    parts = [slug(meta.dashboard) or "dashboard", slug(meta.panel) or "onderdeel"]
    parts += _selection_parts(meta)
    if meta.export_date is not None:
        parts.append(f"export-{_as_date(meta.export_date).isoformat()}")
    stem = "_".join(parts)
    if len(stem) > _STEM_MAX:  # keep the export date, shorten the selection
        tail = f"_{parts[-1]}" if meta.export_date is not None else ""
        stem = stem[: _STEM_MAX - len(tail)].rstrip("_-") + tail
    return f"{stem}.{fmt}"


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


# --------------------------------------------------------------------------- caption


def caption_lines(meta: DownloadMeta, *, hidden: bool = True) -> list[tuple[str, str]]:
    """What a file says about itself, as (Dutch label, text) pairs."""
    lines = [
        ("Dashboard", meta.dashboard_title),
        ("Onderdeel", meta.panel_title),
        ("Selectie", meta.selection or "Vlaanderen"),
    ]
    if meta.organisation:
        lines.append(("Organisatie", meta.organisation))
    lines += [
        ("Aantal", meta.n_text or EMPTY),
        ("Bron", meta.source or EMPTY),
        (
            "Exportdatum",
            fmt_date(_as_date(meta.export_date)) if meta.export_date is not None else "onbekend",
        ),
    ]
    lines += [("Opmerking", note) for note in meta.notes if note]
    if hidden:
        lines.append(("Verborgen waarden", HIDDEN_LEGEND))
    return lines


def caption_text(meta: DownloadMeta, *, hidden: bool = True) -> str:
    """One paragraph under a figure: selection, n, source, export date (and the legend)."""
    source = (meta.source or EMPTY).rstrip(". ")
    if meta.export_date is not None:
        source += f"; export van {fmt_date(_as_date(meta.export_date))}"
    parts = [
        f"{meta.dashboard_title} – {meta.panel_title}.",
        f"Selectie: {meta.selection or 'Vlaanderen'}.",
        f"{meta.n_text.rstrip('. ')}." if meta.n_text else "",
        f"Bron: {source}.",
        *(note if note.endswith(".") else f"{note}." for note in meta.notes if note),
        HIDDEN_LEGEND if hidden else "",
    ]
    return " ".join(p for p in parts if p)


def _neutral(text: str) -> str:
    return str(neutralise(pd.Series([str(text)], dtype=object)).iloc[0])


# --------------------------------------------------------------------------- XLSX


def _check_table(table: object) -> TableSpec:
    if not isinstance(table, TableSpec):
        raise SofsInputError(f"a download needs a TableSpec, got {type(table).__name__}")
    return table


def _sheet_cells(table: TableSpec) -> Iterable[tuple[int, int, object, str | None]]:
    """(row, column, value, number format) of every data cell; text already neutralised."""
    frame, hidden = table.frame, table.hidden
    for c, column in enumerate(frame.columns):
        fmt = table.formats[column]
        values = frame[column]
        texts = neutralise(values.astype(object).map(lambda v: "" if _missing(v) else str(v)))
        for r in range(len(frame)):
            value = values.iloc[r]
            if bool(hidden.iloc[r, c]):
                yield r, c, HIDDEN, None
            elif _missing(value):
                yield r, c, EMPTY, None
            elif fmt in NUMBER_FORMATS and _is_number(value):
                yield r, c, float(value), NUMBER_FORMATS[fmt]
            else:
                yield r, c, texts.iloc[r], None


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _width(texts: Iterable[str]) -> float:
    return float(min(max([8, *(len(t) + 2 for t in texts)]), 60))


def xlsx_bytes(table: TableSpec, meta: DownloadMeta, chart: ChartSpec | None = None) -> bytes:
    """The table as an Excel workbook that says what it is (see the module docstring)."""
    import xlsxwriter

    table = _check_table(table)
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}
    book = xlsxwriter.Workbook(buffer, options)
    created = datetime.combine(_as_date(meta.export_date), datetime.min.time()) if (
        meta.export_date is not None
    ) else datetime(2000, 1, 1)
    book.set_properties(
        {
            "title": f"{meta.dashboard_title} – {meta.panel_title}",
            "subject": meta.selection,
            "comments": meta.source,
            "created": created,
        }
    )
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    formats = {key: book.add_format({"num_format": f}) for key, f in NUMBER_FORMATS.items()}
    by_code = {f: formats[key] for key, f in NUMBER_FORMATS.items()}
    right = book.add_format({"align": "right"})

    sheet = book.add_worksheet(TABLE_SHEET)
    columns = [_neutral(str(c)) for c in table.frame.columns]
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name, header)
    for r, c, value, code in _sheet_cells(table):
        if code is not None:
            sheet.write_number(r + 1, c, value, by_code[code])
        elif table.formats[table.frame.columns[c]] != "text":
            sheet.write_string(r + 1, c, str(value), right)  # x and – where numbers stand
        else:
            sheet.write_string(r + 1, c, str(value))
    shown = table.display()
    for c, column in enumerate(table.frame.columns):
        sheet.set_column(c, c, _width([columns[c], *shown[column].tolist()]))
    if columns:
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(table.frame), 1), len(columns) - 1)

    about = book.add_worksheet(ABOUT_SHEET)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True, "valign": "top"})
    lines = caption_lines(meta, hidden=True)
    lines.append(("Lege waarden", EMPTY_LEGEND))
    lines.append(
        (
            "Getallen",
            "Percentages en aantallen staan als getal in de tabel; Excel toont ze in de "
            "notatie van uw computer (bv. 28,4%).",
        )
    )
    if chart is not None:
        lines.append(("Figuur", chart.title))
        if chart.alt:
            lines.append(("Wat de figuur toont", chart.alt))
    for r, (label, text) in enumerate(lines):
        about.write_string(r, 0, _neutral(label), bold)
        about.write_string(r, 1, _neutral(text), wrap)
    about.set_column(0, 0, 22)
    about.set_column(1, 1, 90)

    if chart is not None:
        _chart_sheet(book, chart, header, by_code, right)
    book.close()
    return buffer.getvalue()


#: Dutch headers of the figure sheet per chart column.
_CHART_HEADERS = {
    "item": "Onderdeel",
    "x": "Jaar",
    "group": "Groep",
    "value": "Waarde",
    "n": "n",
    "mean": "Gemiddelde",
    "sd": "Standaardafwijking",
    "median": "Mediaan",
    "min": "Minimum",
    "max": "Maximum",
}


def _chart_sheet(book, chart: ChartSpec, header, by_code, right) -> None:
    """The figure's numbers, one row per bar/point/range, hidden ones as ``x``."""
    keys = [c for c in ("item", "x", "group") if c in chart.data.columns]
    numbers = [c for c in ("value", "n", "mean", "sd", "median", "min", "max") if c in chart.data]
    if chart.kind != "ranges":
        numbers = [c for c in numbers if c in ("value", "n")]
    frame = chart.data[keys + numbers].copy()
    hidden_rows = chart.data["hidden"].astype(bool).to_numpy()
    value_code = NUMBER_FORMATS.get(chart.value_format)
    codes = {c: NUMBER_FORMATS["int"] if c == "n" else value_code for c in numbers}
    if chart.kind == "ranges":
        codes = {c: NUMBER_FORMATS["int"] if c == "n" else NUMBER_FORMATS["dec1"] for c in numbers}
    sheet = book.add_worksheet(CHART_SHEET)
    names = [_CHART_HEADERS.get(c, c) for c in frame.columns]
    for c, name in enumerate(names):
        sheet.write_string(0, c, name, header)
    for c, column in enumerate(frame.columns):
        texts = neutralise(frame[column].astype(object).map(lambda v: "" if _missing(v) else str(v)))
        width = [names[c]]
        for r in range(len(frame)):
            value = frame[column].iloc[r]
            if column in numbers:
                if hidden_rows[r] and column != "n":
                    sheet.write_string(r + 1, c, HIDDEN, right)
                elif _missing(value) or not _is_number(value):
                    sheet.write_string(r + 1, c, HIDDEN if hidden_rows[r] else EMPTY, right)
                elif codes[column] is not None:
                    sheet.write_number(r + 1, c, float(value), by_code[codes[column]])
                else:
                    sheet.write_number(r + 1, c, float(value))
                width.append(format_value(value, "dec1"))
            else:
                sheet.write_string(r + 1, c, texts.iloc[r])
                width.append(texts.iloc[r])
        sheet.set_column(c, c, _width(width))
    if names:
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(frame), 1), len(names) - 1)


# --------------------------------------------------------------------------- CSV


def csv_bytes(table: TableSpec, meta: DownloadMeta, *, caption: bool = True) -> bytes:
    """The table as people read it, as a Belgian Excel CSV, then its caption.

    ``;`` as separator, decimal comma (the Dutch display strings), UTF-8 with a byte-order
    mark, CRLF. With ``caption`` (default), one empty line and ``label;text`` lines follow
    the table: selection, n, source, export date, the legends. Every cell is neutralised.
    """
    table = _check_table(table)
    shown = neutralise_frame(table.display())
    buffer = io.StringIO()
    shown.to_csv(buffer, sep=";", index=False, lineterminator="\r\n")
    if caption:
        rows = caption_lines(meta, hidden=True) + [("Lege waarden", EMPTY_LEGEND)]
        lines = pd.DataFrame(rows, columns=["label", "text"], dtype=object)
        buffer.write("\r\n")
        neutralise_frame(lines).to_csv(
            buffer, sep=";", index=False, header=False, lineterminator="\r\n"
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --------------------------------------------------------------------------- PNG

#: Figure width in inches; the height follows the number of rows.
PNG_WIDTH = 8.0
_CAPTION_WRAP = 120


def _value_text(value: object, hidden: bool, fmt: str) -> str:
    if hidden:
        return HIDDEN
    return format_value(value, fmt)  # type: ignore[arg-type]


def _role_colours(groups: pd.DataFrame) -> dict[str, str]:
    """A colour per group: its role's; several groups of one role get lighter tints."""
    from matplotlib.colors import to_hex, to_rgb

    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for group, role in groups.itertuples(index=False):
        base = ROLE_COLOURS.get(str(role), ROLE_COLOURS["others"])
        k = seen.get(str(role), 0)
        seen[str(role)] = k + 1
        mix = min(0.18 * k, 0.6)
        rgb = tuple(c + (1 - c) * mix for c in to_rgb(base))
        out[str(group)] = to_hex(rgb)
    return out


def _groups(data: pd.DataFrame) -> pd.DataFrame:
    return data[["group", "role"]].astype("str").drop_duplicates("group").reset_index(drop=True)


def _wrap(label: str, width: int = 32) -> str:
    return textwrap.fill(str(label), width, break_long_words=False)


def _axis_formatter(fmt: str):
    from sofs_lib.figures import number_formatter, percent_formatter

    return percent_formatter() if fmt == "pct" else number_formatter()


def _draw_bars(fig: Figure, chart: ChartSpec) -> None:
    data = chart.data
    items = list(pd.unique(data["item"].astype("str")))
    groups = _groups(data)
    colours = _role_colours(groups)
    ax = fig.add_subplot()
    n_groups = max(len(groups), 1)
    height = 0.8 / n_groups
    vmax = float(
        np.nanmax(pd.to_numeric(data["value"], errors="coerce").to_numpy(dtype=float), initial=0.0)
    )
    vmax = max(vmax, 1.0) if chart.value_format == "pct" else (vmax if vmax > 0 else 1.0)
    for j, (group, _role) in enumerate(groups.itertuples(index=False)):
        part = data.loc[data["group"].astype("str") == group]
        part = part.set_index(part["item"].astype("str"))
        ys, widths, labels = [], [], []
        for i, item in enumerate(items):
            y = i + (j - (n_groups - 1) / 2) * height
            if item not in part.index:
                continue
            row = part.loc[item]
            row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
            hidden = bool(row["hidden"])
            value = pd.to_numeric(row["value"], errors="coerce")
            ys.append(y)
            widths.append(0.0 if hidden or pd.isna(value) else float(value))
            labels.append(_value_text(value, hidden, chart.value_format))
        bars = ax.barh(ys, widths, height=height * 0.92, color=colours[group], label=group)
        ax.bar_label(bars, labels=labels, padding=3, fontsize=7)
    if chart.guideline is not None:
        ax.axvspan(*chart.guideline, color="#d9d9d9", alpha=0.6, zorder=0)
    ax.set_yticks(range(len(items)), [_wrap(i) for i in items])
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_xlim(0, vmax * 1.18)
    ax.xaxis.set_major_formatter(_axis_formatter(chart.value_format))
    # Horizontal bars: the value axis (y_label, "Aandeel") runs across, the items
    # (x_label, the category axis as on screen) down.
    ax.set_xlabel(chart.y_label or ("Aandeel" if chart.value_format == "pct" else ""))
    ax.set_ylabel(chart.x_label)
    ax.grid(axis="x", color="#e4e7eb")
    ax.set_axisbelow(True)


def _draw_lines(fig: Figure, chart: ChartSpec) -> None:
    data = chart.data
    xs = list(pd.unique(data["x"].astype("str")))
    groups = _groups(data)
    colours = _role_colours(groups)
    ax = fig.add_subplot()
    values = pd.to_numeric(data["value"], errors="coerce").to_numpy(dtype=float)
    top = 1.0 if chart.value_format == "pct" else float(np.nanmax(values, initial=0.0)) or 1.0
    for j, (group, _role) in enumerate(groups.itertuples(index=False)):
        part = data.loc[data["group"].astype("str") == group]
        pos = {x: i for i, x in enumerate(xs)}
        px = [pos[str(x)] for x in part["x"]]
        hidden = part["hidden"].astype(bool).to_numpy()
        py = pd.to_numeric(part["value"], errors="coerce").to_numpy(dtype=float)
        py = np.where(hidden, np.nan, py)
        colour = colours[group]
        ax.plot(px, py, marker="o", color=colour, label=group)
        dx = (j - (len(groups) - 1) / 2) * 22  # labels of close lines side by side
        for x, y, h in zip(px, py, hidden, strict=True):
            label = HIDDEN if h else (format_value(y, chart.value_format) if not np.isnan(y) else "")
            if not label:
                continue
            ax.annotate(
                label,
                (x, 0.02 * top if h else y),
                textcoords="offset points",
                xytext=(dx, 6),
                ha="center",
                fontsize=7,
                color=colour,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    ax.set_xticks(range(len(xs)), xs)
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_ylim(0, top * 1.1)
    ax.yaxis.set_major_formatter(_axis_formatter(chart.value_format))
    ax.set_xlabel(chart.x_label)
    ax.set_ylabel(chart.y_label or ("Aandeel" if chart.value_format == "pct" else ""))
    ax.grid(axis="y", color="#e4e7eb")


def _draw_ranges(fig: Figure, chart: ChartSpec) -> None:
    data = chart.data.reset_index(drop=True)
    groups = _groups(data)
    colours = _role_colours(groups)
    ax = fig.add_subplot()
    if chart.guideline is not None:
        ax.axvspan(*chart.guideline, color="#d9d9d9", alpha=0.6, zorder=0, label="Richtlijn")
    stats = {c: pd.to_numeric(data[c], errors="coerce").to_numpy(dtype=float)
             for c in ("mean", "median", "min", "max", "n")}
    hidden = data["hidden"].astype(bool).to_numpy()
    labels = []
    for i, group in enumerate(data["group"].astype("str")):
        colour = colours[group]
        labels.append(_wrap(group))
        if hidden[i] or np.isnan(stats["mean"][i]):
            ax.annotate(HIDDEN if hidden[i] else EMPTY, (0.01, i), xytext=(0, -3),
                        xycoords=("axes fraction", "data"), textcoords="offset points",
                        fontsize=8, color=colour)
            continue
        ax.hlines(i, stats["min"][i], stats["max"][i], color=colour, linewidth=2, zorder=2)
        ax.plot(stats["mean"][i], i, "o", color=colour, zorder=3)
        ax.plot(stats["median"][i], i, "|", color=colour, markersize=14, mew=2.5, zorder=3)
        ax.annotate(
            f"gem. {format_value(stats['mean'][i], 'dec1')} · mediaan "
            f"{format_value(stats['median'][i], 'dec1')} · n = {format_value(stats['n'][i], 'int')}",
            (stats["mean"][i], i),
            textcoords="offset points",
            xytext=(0, 9),
            ha="center",
            fontsize=7,
            color=colour,
        )
    ax.set_yticks(range(len(data)), labels)
    ax.set_ylim(len(data) - 0.5, -0.8)
    ax.xaxis.set_major_formatter(_axis_formatter("dec1"))
    ax.set_xlabel(chart.x_label or "Maanden")
    ax.set_ylabel(chart.y_label)
    ax.grid(axis="x", color="#e4e7eb")
    ax.set_axisbelow(True)


_DRAW = {"bars": _draw_bars, "lines": _draw_lines, "ranges": _draw_ranges}


def _height(chart: ChartSpec) -> float:
    data = chart.data
    if chart.kind == "bars":
        rows = data["item"].nunique() * max(1.0, 0.55 * data["group"].nunique())
    elif chart.kind == "ranges":
        rows = len(data) * 1.2
    else:
        rows = 8
    return float(min(max(3.2, 1.6 + 0.32 * rows), 14.0))


def png_figure(chart: ChartSpec, meta: DownloadMeta) -> Figure:
    """The figure of ``chart`` with its title, a role legend and the caption (no pyplot)."""
    import matplotlib as mpl

    if not isinstance(chart, ChartSpec):
        raise SofsInputError(f"a figure download needs a ChartSpec, got {type(chart).__name__}")
    hidden = bool(chart.data["hidden"].astype(bool).any()) if len(chart.data) else False
    caption = caption_text(meta, hidden=hidden)
    wrapped = textwrap.fill(caption, _CAPTION_WRAP)
    with mpl.rc_context({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False}):
        height = _height(chart) + 0.16 * (wrapped.count("\n") + 1)
        fig = Figure(figsize=(PNG_WIDTH, height), dpi=100, layout="constrained")
        if len(chart.data) == 0:
            ax = fig.add_subplot()
            ax.set_axis_off()
            ax.text(0.5, 0.5, "Geen trajecten in deze selectie.", ha="center", va="center")
        else:
            _DRAW[chart.kind](fig, chart)
            groups = _groups(chart.data)
            if len(groups) > 1:
                colours = _role_colours(groups)
                from matplotlib.patches import Patch

                handles = [Patch(color=colours[g], label=g) for g in groups["group"]]
                fig.axes[0].legend(
                    handles=handles,
                    loc="lower left",
                    bbox_to_anchor=(0.0, 1.01),
                    ncol=min(len(handles), 4),
                    frameon=False,
                    fontsize=8,
                    borderaxespad=0.0,
                )
        fig.suptitle(chart.title, fontsize=12, fontweight="bold")
        fig.supxlabel(wrapped, x=0.0, ha="left", fontsize=7.5, color="#3e4c59",
                      multialignment="left")
    fig._sofs_caption = caption  # type: ignore[attr-defined]
    return fig


def png_bytes(chart: ChartSpec, meta: DownloadMeta, dpi: int = PNG_DPI) -> bytes:
    """The figure as a print-resolution PNG (``dpi`` ≥ 200) with its caption.

    The caption (selection, n, source, export date, legend) is drawn under the figure and
    written to the PNG's ``Description``; the chart's text alternative to ``Comment``.
    """
    if dpi < PNG_DPI:
        raise SofsInputError(f"a downloaded figure needs at least {PNG_DPI} dpi, got {dpi}")
    fig = png_figure(chart, meta)
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=dpi,
        facecolor="white",
        metadata={
            "Title": f"{chart.title}",
            "Description": fig._sofs_caption,  # type: ignore[attr-defined]
            "Comment": chart.alt or None,
            "Source": meta.source or None,
            "Software": None,
        },
        pil_kwargs={"compress_level": 3},
    )
    return buffer.getvalue()


def render(fmt: str, table: TableSpec | None, chart: ChartSpec | None, meta: DownloadMeta) -> bytes:
    """The bytes of one download format (what the server sends)."""
    if fmt == "xlsx" and table is not None:
        return xlsx_bytes(table, meta, chart)
    if fmt == "csv" and table is not None:
        return csv_bytes(table, meta)
    if fmt == "png" and chart is not None:
        return png_bytes(chart, meta)
    what = "figuur" if fmt == "png" else "tabel"
    raise SofsInputError(f"dit onderdeel heeft geen {what} om te downloaden")


# --------------------------------------------------------------------------- older helpers
# The widgets that still draw in the kernel offer their downloads as data: links.


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


def _check_frame(table: pd.DataFrame) -> None:
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
    """A display table as a Belgian Excel CSV (``;``, decimal comma, UTF-8 with BOM)."""
    _check_frame(table)
    text = table.astype(object).map(_csv_cell) if len(table.columns) else table
    text = neutralise_frame(text)  # no cell a spreadsheet reads as a formula
    buffer = io.StringIO()
    text.to_csv(buffer, sep=";", index=False, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx_bytes(table: pd.DataFrame, sheet_name: str = "Tabel") -> bytes:
    """A display table as a one-sheet workbook; text neutralised, never a formula."""
    _check_frame(table)
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
    """A matplotlib figure as PNG bytes (its own size; ``dpi`` defaults to the figure's)."""
    if not isinstance(fig, Figure):
        raise SofsInputError(
            f"a figure download needs a matplotlib Figure, got {type(fig).__name__}"
        )
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", dpi=dpi or fig.dpi, facecolor="white",
        pil_kwargs={"compress_level": 1},
    )
    return buffer.getvalue()


def downloads_for(
    name: str, table: pd.DataFrame | None, figure_png: bytes | None = None
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
