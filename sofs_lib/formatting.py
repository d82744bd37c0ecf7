"""Belgian-Dutch number, percentage and date formats (babel, locale ``nl_BE``).

Everything people read goes through here, so that 28,4% and "5 oktober 2023" are
written one way across notebooks, dashboards and downloads.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent

LOCALE = "nl_BE"
MISSING = "–"


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def fmt_pct(share: float | None, decimals: int = 1, *, locale: str = LOCALE) -> str:
    """A share (0–1) as a percentage with decimal comma: ``0.284`` -> ``28,4%``."""
    if _is_missing(share):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    text = format_percent(float(share), format=pattern, locale=locale)
    return text.replace("\xa0", "")


def fmt_number(value: float | None, decimals: int = 1, *, locale: str = LOCALE) -> str:
    """A number with fixed decimals and decimal comma: ``7.6`` -> ``7,6``."""
    if _is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(float(value), format=pattern, locale=locale)


def fmt_int(value: float | None, *, locale: str = LOCALE) -> str:
    """A count with Belgian thousands separator: ``1872`` -> ``1.872``."""
    if _is_missing(value):
        return MISSING
    return format_decimal(round(float(value)), format="#,##0", locale=locale)


def fmt_date(value: date | datetime | pd.Timestamp | None, fmt: str = "long") -> str:
    """A date in Dutch, e.g. ``long``: day, month name, year (``fmt`` as babel)."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, datetime):  # pd.Timestamp is a datetime too
        value = value.date()
    return _babel_date(value, format=fmt, locale=LOCALE)


def fmt_month_year(value: date | datetime | pd.Timestamp | None) -> str:
    """Month and year in Dutch: ``oktober 2023``."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, datetime):
        value = value.date()
    return _babel_date(value, format="LLLL yyyy", locale=LOCALE)


def fmt_count_of(numerator: int, denominator: int) -> str:
    """``67/236`` as people write it next to a percentage."""
    return f"{fmt_int(numerator)}/{fmt_int(denominator)}"


#: A leading elided article ('t, 's, 'n) is not part of the alphabetical order in Dutch.
_ELIDED_ARTICLE = re.compile(r"^\s*['’‘`]\s*[tsn]\s+", re.IGNORECASE)


def dutch_sort_key(name: object) -> tuple[str, str]:
    """How Dutch lists order names: "'t Ventiel" among the V's, "Émile" among the E's.

    The elided article is skipped, accents and case are ignored (ties keep the
    exact spelling, so the order is total and deterministic).
    """
    text = str(name)
    bare = _ELIDED_ARTICLE.sub("", text)
    bare = "".join(
        ch for ch in unicodedata.normalize("NFKD", bare) if not unicodedata.combining(ch)
    )
    return bare.casefold().lstrip(" '\"’‘`-.(&"), text


def sort_dutch(names: Iterable[object]) -> list[str]:
    """Names as strings in Dutch alphabetical order (:func:`dutch_sort_key`)."""
    return sorted((str(n) for n in names), key=dutch_sort_key)
