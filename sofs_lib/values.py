"""Vectorised parsers for the values people type into the exports — rules as data.

Every parser takes a column of raw cells (``str``, or typed workbook cells: ``date``,
``datetime``, numbers) and returns a :class:`Parsed`: the cleaned ``values`` and, per
cell, the ``kind`` of value found (:data:`KINDS`), so that a quality report can count
every kind of problem. A parser never raises on a cell and never drops one.

The forms recognised are tables below (``WORD_KINDS``, ``DATE_PATTERNS``,
``MONTH_NAMES``, ``COUNT_PATTERN``); a new form is a new line there. All text dates are
day-first (Belgium), as the contract ``shared/contracts/dashboard_export.md`` says.

Speed: parsers work on the distinct values of a column (``pd.factorize``) and broadcast
the result back, so a million rows with a few thousand distinct dates parse in a blink.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from sofs_lib.config import EARLIEST_PLAUSIBLE_DATE

#: Every kind of cell a parser reports, in a fixed order (categorical codes).
KINDS: tuple[str, ...] = (
    "blank",
    "date",
    "count",
    "value",
    "no",
    "yes",
    "invalid",
    "implausible",
)
KIND_DTYPE = pd.CategoricalDtype(list(KINDS))
_CODE = {k: i for i, k in enumerate(KINDS)}

#: Words (compared case-folded and stripped) and what they mean in a date/step column.
WORD_KINDS: dict[str, str] = {
    "": "blank",
    "nee": "no",
    "neen": "no",
    "ja": "yes",
    "x": "yes",
}

#: Dutch month names and abbreviations, for dates typed as ``12 maart 2022``.
MONTH_NAMES: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2, "febr": 2,
    "maart": 3, "mrt": 3, "maa": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip


@dataclass(frozen=True)
class DatePattern:
    """One text form of a date: a regex with named groups ``day``, ``month`` (or
    ``month_name``) and ``year``; an optional time part may follow any of them."""

    name: str
    regex: str


#: Text date forms, tried in order on what earlier forms did not match.
DATE_PATTERNS: tuple[DatePattern, ...] = (
    DatePattern("iso", r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"),
    DatePattern(
        "day_first",
        r"(?P<day>\d{1,2})\s*[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*(?P<year>\d{4}|\d{2})",
    ),
    DatePattern(
        "day_month_name",
        r"(?P<day>\d{1,2})[\s.-]*(?P<month_name>[a-z]{3,9})\.?[\s.-]*(?P<year>\d{4}|\d{2})",
    ),
)
#: A time part after a date (``12/03/2022 00:00:00``, ``2022-03-12T10:15``): ignored.
TIME_SUFFIX = r"(?:[\st]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?)?"
#: Two-digit years are 20yy (the module started in 2021; 19yy would be implausible anyway).
TWO_DIGIT_CENTURY = 2000
#: An Excel serial day number typed or stored as a number (``44562`` = 2022-01-01).
SERIAL_PATTERN = r"(?P<serial>\d{1,7})(?:[.,]\d+)?"
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Largest serial Excel knows (9999-12-31).
EXCEL_MAX_SERIAL = 2_958_465
#: The first and last whole days a datetime64[ns] can hold.
_EARLIEST_STORABLE = pd.Timestamp.min.ceil("D")
_LATEST_STORABLE = pd.Timestamp.max.floor("D")
_LATEST_STORABLE_SERIAL = (_LATEST_STORABLE.date() - EXCEL_EPOCH.date()).days
#: A count as text: ``4``, `` 4 ``, ``4.0``, ``4,0``, ``+4`` (whole numbers only).
COUNT_PATTERN = r"\+?(?P<count>\d{1,9})(?:[.,]0*)?"
#: Any date inside a longer text (several dates in one cell).
DATE_TOKEN = (
    r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*(?:\d{4}|\d{2}))(?!\d)"
)

_DATETIME_TYPES = (datetime, date, pd.Timestamp, np.datetime64)
_NUMBER_TYPES = (int, float, np.integer, np.floating)
_BOOL_TYPES = frozenset({bool, np.bool_})


@dataclass(frozen=True)
class Parsed:
    """Cleaned values of one column and the kind of each cell (same index as the input)."""

    values: pd.Series
    kind: pd.Series

    def counts(self) -> dict[str, int]:
        """How many cells of each kind (kinds that occur only), in :data:`KINDS` order."""
        counts = self.kind.value_counts(sort=False)
        return {k: int(counts[k]) for k in KINDS if counts.get(k, 0)}


def _kinds(codes: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(codes, dtype=KIND_DTYPE), index=index)


def _cell_types(uniques: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks (text, datetime-like, number) over distinct cells; the rest is blank/other."""
    present = uniques.notna().to_numpy()
    none = np.zeros(len(uniques), dtype=bool)
    if uniques.dtype != object or pd.api.types.infer_dtype(uniques, skipna=True) in (
        "string",
        "empty",
    ):
        return present, none, none.copy()
    # Decide per distinct Python type, not per cell.
    type_codes, types = pd.factorize(uniques.map(type))

    def per_type(test) -> np.ndarray:
        return np.array([bool(test(t)) for t in types], dtype=bool)[type_codes]

    is_text = per_type(lambda t: issubclass(t, str))
    is_dt = per_type(lambda t: issubclass(t, _DATETIME_TYPES))
    is_num = per_type(lambda t: issubclass(t, _NUMBER_TYPES) and t not in _BOOL_TYPES)
    return is_text, is_dt, is_num & present


def _is_whole(numbers: pd.Series) -> pd.Series:
    """Finite whole numbers small enough to print exactly as an integer."""
    return (numbers == np.floor(numbers)) & (numbers.abs() < 1e15)


def _normalise_text(text: pd.Series) -> pd.Series:
    """Case-folded, trimmed, inner whitespace (incl. no-break spaces) collapsed."""
    return text.astype("str").str.replace(r"\s+", " ", regex=True).str.strip().str.casefold()


def _dates_from_parts(parts: pd.DataFrame) -> pd.Series:
    """Calendar dates from ``year``/``month``/``day`` text columns; NaT where impossible."""
    year = pd.to_numeric(parts["year"], errors="coerce")
    year = year.where(year >= 100, year + TWO_DIGIT_CENTURY)
    if "month_name" in parts:
        month = parts["month_name"].map(MONTH_NAMES)
    else:
        month = pd.to_numeric(parts["month"], errors="coerce")
    day = pd.to_numeric(parts["day"], errors="coerce")
    frame = pd.DataFrame({"year": year, "month": month, "day": day}).astype("float64")
    ok = frame.notna().all(axis=1) & frame["month"].between(1, 12) & frame["day"].between(1, 31)
    result = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    if ok.any():
        result[ok] = _storable(pd.to_datetime(frame[ok].astype("int64"), errors="coerce"))
    return result


def _serials_to_dates(serial: pd.Series) -> pd.Series:
    """Excel serial day numbers (the fraction is a time of day) to dates; NaT outside Excel's range."""
    serial = pd.to_numeric(serial, errors="coerce").astype("float64")
    ok = serial.between(1, EXCEL_MAX_SERIAL + 1, inclusive="left")
    # Days past what a datetime64[ns] holds (year 2262) stay far in the future: the
    # plausibility window then reports them instead of the conversion overflowing.
    days = np.floor(serial.where(ok)).clip(upper=_LATEST_STORABLE_SERIAL)
    return (EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]")


def _storable(stamps: pd.Series) -> pd.Series:
    """Date cells as datetime64[ns]: a year outside 1678-2261 (``31/12/9999`` typed for
    "open-ended") is pinned to the nearest storable day, so it reads as implausible."""
    return stamps.clip(lower=_EARLIEST_STORABLE, upper=_LATEST_STORABLE).astype("datetime64[ns]")


def _parse_date_uniques(uniques: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Dates and kind codes (before the plausibility window) for distinct raw cells."""
    n = len(uniques)
    values = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    codes = np.full(n, _CODE["invalid"], dtype=np.int8)
    is_text, is_dt, is_num = _cell_types(uniques)
    codes[uniques.isna().to_numpy() & ~is_text] = _CODE["blank"]

    if is_dt.any():
        typed = pd.to_datetime(uniques[is_dt].astype(object), errors="coerce")
        values[is_dt] = _storable(typed.dt.normalize())
        codes[is_dt] = np.where(typed.notna(), _CODE["date"], _CODE["invalid"])
    if is_num.any():
        dates = _serials_to_dates(uniques[is_num])
        values[is_num] = dates
        codes[is_num] = np.where(dates.notna(), _CODE["date"], _CODE["invalid"])
    if is_text.any():
        text = _normalise_text(uniques[is_text])
        word = text.map(WORD_KINDS)
        known = word.notna().to_numpy()
        codes_text = np.full(len(text), _CODE["invalid"], dtype=np.int8)
        codes_text[known] = word[known].map(_CODE).to_numpy(dtype=np.int8)
        dates_text = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        todo = ~known
        forms = [*(p.regex + TIME_SUFFIX for p in DATE_PATTERNS), SERIAL_PATTERN]
        for regex in forms:
            if not todo.any():
                break
            parts = text[todo].str.extract(f"^(?:{regex})$")
            matched = parts.notna().any(axis=1)
            if not matched.any():
                continue
            parts = parts[matched]
            if "serial" in parts:
                parsed = _serials_to_dates(parts["serial"])
            else:
                parsed = _dates_from_parts(parts)
            where = parts.index
            dates_text[where] = parsed
            positions = text.index.get_indexer(where)
            codes_text[positions] = np.where(parsed.notna(), _CODE["date"], _CODE["invalid"])
            todo[positions] = False
        values[is_text] = dates_text.to_numpy()
        codes[is_text] = codes_text
    return values, codes


def _apply_window(
    values: pd.Series, codes: np.ndarray, export_date: date | None, earliest: date
) -> tuple[pd.Series, np.ndarray]:
    latest = pd.Timestamp(export_date if export_date is not None else date.today())
    is_date = codes == _CODE["date"]
    outside = is_date & ((values < pd.Timestamp(earliest)) | (values > latest)).to_numpy()
    codes = np.where(outside, _CODE["implausible"], codes).astype(np.int8)
    return values.mask(outside), codes


def _without_booleans(series: pd.Series) -> np.ndarray:
    """Cells as an object array, with Excel's TRUE/FALSE cells as the text Excel shows.

    ``pd.factorize`` would otherwise merge ``True`` with ``1`` (they hash alike), so a
    boolean cell could decide how a count of 1 in another row is read.
    """
    cells = series.to_numpy(dtype=object, na_value=None)
    if series.dtype != object and series.dtype.kind != "b" and str(series.dtype) != "boolean":
        return cells
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) in (
        "string",
        "empty",
        "date",
        "datetime",
    ):
        return cells
    is_bool = np.fromiter((type(v) in _BOOL_TYPES for v in cells), dtype=bool, count=len(cells))
    if is_bool.any():
        cells = cells.copy()
        cells[is_bool] = np.where(cells[is_bool].astype(bool), "TRUE", "FALSE")
    return cells


def _broadcast(series: pd.Series, parse) -> tuple[np.ndarray, np.ndarray]:
    """Run ``parse`` on the distinct cells of ``series``; return (values, codes) per cell."""
    source = _without_booleans(series)
    codes_idx, uniques = pd.factorize(source, use_na_sentinel=True)
    uniq = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    uniq_values, uniq_codes = parse(uniq)
    # An extra slot at the end stands for the missing cells (factorize code -1).
    filled = np.append(uniq_values.to_numpy(), _na_like(uniq_values))
    kinds = np.append(uniq_codes, np.int8(_CODE["blank"]))
    return filled[codes_idx], kinds[codes_idx]


def _na_like(values: pd.Series) -> object:
    return np.datetime64("NaT", "ns") if values.dtype.kind == "M" else pd.NA


def parse_dates(
    values: pd.Series,
    *,
    export_date: date | None = None,
    earliest: date = EARLIEST_PLAUSIBLE_DATE,
) -> Parsed:
    """Dates from every typed form, with ``nee``/``ja``/``x`` and blanks recognised.

    Recognised: workbook date cells; Excel serial numbers (``44562``, as number or
    text, a fraction being the time of day); day-first text (``12/03/2022``,
    ``12-3-2022``, ``12.03.22``, ``12 maart 2022``), ISO (``2022-03-12``), each with or
    without a time part; two-digit years are 20yy. Kinds: ``date``; ``no`` (``nee``,
    ``neen``, any case); ``yes`` (``ja``, ``x``: done, date unknown); ``blank``;
    ``invalid`` (anything else, or an impossible date such as 31/02/2022);
    ``implausible`` (a real date before ``earliest`` (2015-01-01) or after the export
    date — ``export_date``, today when None). Only ``date`` cells carry a value.
    """
    raw, codes = _broadcast(values, _parse_date_uniques)
    parsed = pd.Series(raw, index=values.index, dtype="datetime64[ns]")
    parsed, codes = _apply_window(parsed, codes, export_date, earliest)
    return Parsed(parsed, _kinds(codes, values.index))


def _parse_count_uniques(uniques: pd.Series) -> tuple[pd.Series, np.ndarray]:
    n = len(uniques)
    values = pd.Series(pd.NA, index=uniques.index, dtype="Int64")
    codes = np.full(n, _CODE["invalid"], dtype=np.int8)
    is_text, _is_dt, is_num = _cell_types(uniques)
    codes[uniques.isna().to_numpy() & ~is_text] = _CODE["blank"]
    if is_num.any():
        numbers = pd.to_numeric(uniques[is_num], errors="coerce").astype("float64")
        whole = (numbers >= 0) & (numbers == np.floor(numbers)) & (numbers < 1e9)
        values[is_num] = numbers.where(whole).astype("Int64")
        codes[is_num] = np.where(whole, _CODE["count"], _CODE["invalid"])
    if is_text.any():
        text = _normalise_text(uniques[is_text])
        word = text.map(WORD_KINDS)
        known = word.notna().to_numpy()
        codes_text = np.full(len(text), _CODE["invalid"], dtype=np.int8)
        codes_text[known] = word[known].map(_CODE).to_numpy(dtype=np.int8)
        counts = text.str.extract(f"^(?:{COUNT_PATTERN})$")["count"]
        is_count = counts.notna().to_numpy() & ~known
        codes_text[is_count] = _CODE["count"]
        values[is_text] = pd.to_numeric(counts.where(is_count), errors="coerce").astype("Int64")
        codes[is_text] = codes_text
    return values, codes


def parse_counts(values: pd.Series, *, maximum: int | None = None) -> Parsed:
    """Whole, non-negative counts: ``4``, `` 4 ``, ``4.0``, ``4,0`` (text or number).

    Kinds: ``count`` (value set); ``blank``; ``no``/``yes`` (the words of
    :data:`WORD_KINDS`, no value); ``invalid`` (anything else: fractions, negatives,
    text, dates); ``implausible`` (a count above ``maximum``, when given; no value).
    """
    raw, codes = _broadcast(values, _parse_count_uniques)
    parsed = pd.Series(pd.array(raw, dtype="Int64"), index=values.index)
    if maximum is not None:
        too_big = (parsed > maximum).fillna(False).to_numpy(dtype=bool)
        codes = np.where(too_big, _CODE["implausible"], codes).astype(np.int8)
        parsed = parsed.mask(too_big)
    return Parsed(parsed, _kinds(codes, values.index))


def _parse_date_list_uniques(
    uniques: pd.Series, export_date: date | None, earliest: date
) -> tuple[pd.Series, np.ndarray]:
    values = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    codes = np.full(len(uniques), _CODE["invalid"], dtype=np.int8)
    is_text, _, _ = _cell_types(uniques)
    if not is_text.any():
        return values, codes
    text = _normalise_text(uniques[is_text])
    tokens = text.str.extractall(f"(?P<token>{DATE_TOKEN})")
    if tokens.empty:
        return values, codes
    parsed = parse_dates(
        tokens["token"].astype(object).reset_index(drop=True),
        export_date=export_date,
        earliest=earliest,
    )
    per_token = pd.DataFrame(
        {
            "owner": tokens.index.get_level_values(0),
            "date": parsed.values.to_numpy(),
            "is_date": (parsed.kind == "date").to_numpy(),
            "implausible": (parsed.kind == "implausible").to_numpy(),
        }
    )
    grouped = per_token.groupby("owner", sort=True)
    first = grouped["date"].min()
    any_date = grouped["is_date"].any()
    any_implausible = grouped["implausible"].any()
    owners = first.index.to_numpy()
    values[owners] = first.to_numpy()
    codes[owners] = np.select(
        [any_date.to_numpy(), any_implausible.to_numpy()],
        [_CODE["date"], _CODE["implausible"]],
        _CODE["invalid"],
    )
    return values, codes


def parse_date_lists(
    values: pd.Series,
    *,
    export_date: date | None = None,
    earliest: date = EARLIEST_PLAUSIBLE_DATE,
) -> Parsed:
    """The earliest of one or more text dates inside a cell (``12/03/2022; 15/04/2022``).

    For cells such as the network-meeting column where people list the dates of the
    meetings instead of a count. Kinds: ``date`` when at least one plausible date is
    found (value = the earliest plausible one); ``implausible`` when dates are found
    but none lies in the window; ``invalid`` otherwise (including non-text cells:
    parse those with :func:`parse_dates`).
    """
    raw, codes = _broadcast(values, lambda u: _parse_date_list_uniques(u, export_date, earliest))
    codes = np.where(codes == _CODE["blank"], _CODE["invalid"], codes).astype(np.int8)
    parsed = pd.Series(raw, index=values.index, dtype="datetime64[ns]")
    return Parsed(parsed, _kinds(codes, values.index))


def parse_words(values: pd.Series, vocabulary: dict[str, str]) -> Parsed:
    """Codes from a vocabulary (``{typed text (case-folded): code}``).

    Text is compared trimmed, case-folded and with single spaces. Kinds: ``value`` for a
    cell in the vocabulary (value = its code); ``blank``; ``no`` for ``nee``/``neen``
    when not in the vocabulary; ``invalid`` for anything else (value missing).
    """
    table = {" ".join(k.casefold().split()): v for k, v in vocabulary.items()}

    def parse(uniques: pd.Series) -> tuple[pd.Series, np.ndarray]:
        out = pd.Series(pd.NA, index=uniques.index, dtype="str")
        codes = np.full(len(uniques), _CODE["invalid"], dtype=np.int8)
        is_text, _, is_num = _cell_types(uniques)
        codes[uniques.isna().to_numpy() & ~is_text] = _CODE["blank"]
        candidates = is_text | is_num
        text = _normalise_text(uniques[candidates].astype("str"))
        code = text.map(table)
        found = code.notna().to_numpy()
        word = text.map(WORD_KINDS).to_numpy(dtype=object)
        local = np.full(len(text), _CODE["invalid"], dtype=np.int8)
        local[found] = _CODE["value"]
        local[~found & (word == "blank")] = _CODE["blank"]
        local[~found & (word == "no")] = _CODE["no"]
        codes[candidates] = local
        out[candidates] = code.to_numpy(dtype=object)
        return out, codes

    raw, codes = _broadcast(values, parse)
    parsed = pd.Series(pd.array(raw, dtype="str"), index=values.index)
    return Parsed(parsed, _kinds(codes, values.index))


def normalise_id(values: pd.Series) -> pd.Series:
    """Identifiers as trimmed text with single spaces; whole numbers without ``.0``
    (a workbook stores fiche ``12`` as 12.0); blank cells become missing."""

    def parse(uniques: pd.Series) -> tuple[pd.Series, np.ndarray]:
        is_text, is_dt, is_num = _cell_types(uniques)
        text = uniques.astype(object).copy()
        if is_num.any():
            numbers = pd.to_numeric(uniques[is_num], errors="coerce").astype("float64")
            whole = _is_whole(numbers)
            as_text = numbers.astype(object).astype("str")
            as_text[whole] = numbers[whole].astype("int64").astype("str")
            text[is_num] = as_text.to_numpy(dtype=object)
        if is_dt.any():
            text[is_dt] = pd.to_datetime(uniques[is_dt].astype(object)).dt.strftime("%Y-%m-%d")
        clean = text.astype("str").str.replace(r"\s+", " ", regex=True).str.strip()
        clean = clean.where(clean.ne("") & uniques.notna())
        return clean, np.zeros(len(uniques), dtype=np.int8)

    raw, _codes = _broadcast(values, parse)
    return pd.Series(pd.array(raw, dtype="str"), index=values.index)


def cell_text(values: pd.Series) -> pd.Series:
    """Cells as the text a person saw: strings unchanged, whole numbers without ``.0``,
    date cells as ISO dates (with the time when there is one), blanks as ``""``."""

    def render(uniques: pd.Series) -> tuple[pd.Series, np.ndarray]:
        is_text, is_dt, is_num = _cell_types(uniques)
        text = uniques.astype(object).copy()
        if is_num.any():
            numbers = pd.to_numeric(uniques[is_num], errors="coerce").astype("float64")
            whole = _is_whole(numbers).to_numpy()
            rendered = numbers.astype(object).astype("str").to_numpy(dtype=object)
            rendered[whole] = numbers[whole].astype("int64").astype("str").to_numpy(dtype=object)
            text[is_num] = rendered
        if is_dt.any():
            stamps = pd.to_datetime(uniques[is_dt].astype(object), errors="coerce")
            midnight = stamps.eq(stamps.dt.normalize())
            text[is_dt] = (
                stamps.dt.strftime("%Y-%m-%d")
                .where(midnight, stamps.dt.strftime("%Y-%m-%d %H:%M:%S"))
                .to_numpy(dtype=object)
            )
        text[uniques.isna().to_numpy() & ~is_text] = ""
        return text.astype("str"), np.zeros(len(uniques), dtype=np.int8)

    raw, _codes = _broadcast(values, render)
    out = pd.Series(pd.array(raw, dtype="str"), index=values.index)
    return out.fillna("")


def normalise_text(values: pd.Series) -> pd.Series:
    """Cells as comparable text: trimmed, case-folded, single spaces; typed cells as text."""
    return _normalise_text(normalise_id(values).fillna(""))


__all__ = [
    "COUNT_PATTERN",
    "DATE_PATTERNS",
    "KINDS",
    "MONTH_NAMES",
    "Parsed",
    "WORD_KINDS",
    "cell_text",
    "normalise_id",
    "normalise_text",
    "parse_counts",
    "parse_date_lists",
    "parse_dates",
    "parse_words",
]
