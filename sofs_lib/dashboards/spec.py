"""What a dashboard panel hands to the screen and to the downloads.

A panel's builder looks its numbers up in the release slice of the signed-in identity and
returns plain data, never a drawing:

- :class:`ChartSpec` — the figure as data (long format, one row per bar/point/range), drawn
  on screen as SVG and, on request, as a print-resolution PNG for the download;
- :class:`TableSpec` — the table behind it with **numbers as numbers** and a mask of hidden
  cells; its :meth:`TableSpec.display` is what people read (Dutch formats, one notation for
  a hidden value: :data:`HIDDEN`), the XLSX download keeps the numbers;
- :class:`DownloadMeta` — what a downloaded file must say about itself (dashboard,
  selection, n, source, export date), also used for its file name.

One colour per role on every page and in every file: :data:`ROLE_COLOURS`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal
from urllib.parse import quote, urlencode

import pandas as pd

from sofs_lib.formatting import fmt_int, fmt_number, fmt_pct

#: The one notation of a hidden value (tables, chart labels, downloads), explained by
#: :data:`HIDDEN_LEGEND` on every page that shows one.
HIDDEN = "x"
HIDDEN_LEGEND = (
    "x = verborgen, zodat geen gezin of organisatie herkenbaar wordt: te weinig trajecten, te "
    "weinig andere organisaties, of een cijfer dat verborgen blijft om zo'n klein aantal "
    "elders te beschermen. – = geen cijfer voor deze selectie."
)
#: A value that does not exist for the selection (no trajectories in it).
EMPTY = "–"

Role = Literal["own", "flanders", "others"]
#: One colour per role everywhere (contrast ≥ 4.5:1 on white for the text variants).
ROLE_COLOURS: dict[str, str] = {
    "own": "#1b5e8c",  # own organisation: blue
    "flanders": "#a34700",  # Flanders: dark orange
    "others": "#5f6b76",  # the other organisations together: grey
}
ROLE_ORDER: tuple[str, ...] = ("own", "flanders", "others")

ValueFormat = Literal["pct", "int", "dec1", "text"]
ChartKind = Literal["bars", "lines", "ranges"]

#: Columns of :attr:`ChartSpec.data` per kind.
CHART_COLUMNS: dict[str, tuple[str, ...]] = {
    # one bar per (item, group): value is a share 0–1 (value_format "pct") or a count
    "bars": ("item", "group", "role", "value", "n", "hidden"),
    # one point per (x, group): x is e.g. a closing year (text), in display order
    "lines": ("x", "group", "role", "value", "n", "hidden"),
    # one range per group: mean, median, min–max (months, counts)
    "ranges": ("group", "role", "n", "mean", "sd", "median", "min", "max", "hidden"),
}


@dataclass(frozen=True)
class ChartSpec:
    """A figure as data. ``data`` rows are in display order (items, then groups in
    :data:`ROLE_ORDER`); hidden rows carry ``value`` NaN and ``hidden`` True and are drawn
    as an empty slot labelled :data:`HIDDEN`. ``alt`` is the Dutch text alternative (what
    the figure shows for this selection, in one or two sentences)."""

    kind: ChartKind
    title: str
    data: pd.DataFrame
    value_format: ValueFormat = "pct"
    x_label: str = ""
    y_label: str = ""
    guideline: tuple[float, float] | None = None  #: a band to shade (e.g. 4–8 months)
    alt: str = ""

    def __post_init__(self) -> None:
        missing = [c for c in CHART_COLUMNS[self.kind] if c not in self.data.columns]
        if missing:
            raise ValueError(f"ChartSpec({self.kind!r}) lacks columns {missing}")


def format_value(value: object, fmt: ValueFormat) -> str:
    """One value as people read it (nl-BE)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return EMPTY
    if isinstance(value, int | float) and fmt != "text":
        number = float(value)
        return _format_number(number if number != 0 else 0.0, fmt)  # -0.0 and 0.0: one key
    return _format(value, fmt)


@lru_cache(maxsize=16384)
def _format_number(value: float, fmt: ValueFormat) -> str:
    """Formatting through babel costs about 0.1 ms a number; a redraw formats the same
    shares again and again (tables, labels, titles), so the strings are kept."""
    return _format(value, fmt)


def _format(value: object, fmt: ValueFormat) -> str:
    if fmt == "pct":
        return fmt_pct(float(value), 1)
    if fmt == "int":
        return fmt_int(float(value))
    if fmt == "dec1":
        return fmt_number(float(value), 1)
    return str(value)


def as_float(value: object) -> float:
    """A cell value as a float: NaN for a missing value (None, NaN, ``pd.NA``) or anything
    that is not a number."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts of plain Python values, in order: what
    ``frame.to_dict("records")`` gives, at a fraction of its cost (a redraw reads dozens
    of small frames)."""
    columns = list(frame.columns)
    values = [series.tolist() for _, series in frame.items()]  # about 2x faster than frame[c]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


@dataclass(frozen=True)
class TableSpec:
    """The table behind a panel: numbers as numbers (shares as fractions 0–1), NaN where
    there is no value; ``hidden`` marks suppressed cells (same shape, bool); ``formats``
    maps every column to how it is shown and stored (``pct`` → Excel ``0,0%``)."""

    frame: pd.DataFrame
    hidden: pd.DataFrame
    formats: dict[str, ValueFormat]

    def __post_init__(self) -> None:
        if list(self.hidden.columns) != list(self.frame.columns) or len(self.hidden) != len(self.frame):
            raise ValueError("TableSpec.hidden must have the shape and columns of frame")
        unknown = [c for c in self.frame.columns if c not in self.formats]
        if unknown:
            raise ValueError(f"TableSpec lacks a format for {unknown}")

    def display(self) -> pd.DataFrame:
        """Dutch strings: hidden cells read :data:`HIDDEN`, absent values :data:`EMPTY`."""
        return pd.DataFrame(dict(zip(self.frame.columns, self.display_columns(), strict=True)),
                            dtype="str")

    def display_columns(self) -> list[list[str]]:
        """:meth:`display` as one list of strings per column (no frame: a redraw shows
        many tables)."""
        out = []
        for (col, values), (_, hidden) in zip(self.frame.items(), self.hidden.items(), strict=True):
            fmt = self.formats[col]
            out.append([
                HIDDEN if h else format_value(v, fmt)
                for v, h in zip(values.tolist(), hidden.tolist(), strict=True)
            ])
        return out

    @property
    def any_hidden(self) -> bool:
        return bool(self.hidden.to_numpy().any())


@dataclass(frozen=True)
class DownloadMeta:
    """What a downloaded file says about itself (and its file name is made of)."""

    dashboard: str  #: registry key, e.g. ``modelgetrouwheid``
    dashboard_title: str
    panel: str  #: panel key
    panel_title: str
    selection: str  #: the selection in Dutch ("Organisatie X, afgesloten in …")
    n_text: str
    source: str  #: "synthetische testgegevens" or the export's name
    export_date: date | None
    organisation: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


#: File formats a panel offers for download (rendered by the server on request).
DOWNLOAD_FORMATS: tuple[str, ...] = ("xlsx", "csv", "png")


def download_url(
    dashboard: str,
    panel: str,
    fmt: str,
    selection: Mapping[str, object],
    base_url: str | None = None,
) -> str:
    """The link of one download: ``<base>sofs/download/<dashboard>/<panel>.<fmt>?<selection>``.

    The server (``sofs_lib.server``) answers it for the signed-in identity only, from that
    identity's release slice, so a link copied to another account shows that account's own
    view or nothing. ``selection``: the selection's fields (``None`` left out); ``base_url``:
    the server's base URL (default ``SOFS_BASE_URL`` or ``/``)."""
    if fmt not in DOWNLOAD_FORMATS:
        raise ValueError(f"unknown download format {fmt!r}")
    base = base_url if base_url is not None else os.environ.get("SOFS_BASE_URL", "/")
    query = urlencode(sorted((k, str(v)) for k, v in selection.items() if v is not None))
    path = f"{base.rstrip('/')}/sofs/download/{quote(dashboard, safe='')}/{quote(panel, safe='')}.{fmt}"
    return f"{path}?{query}" if query else path
