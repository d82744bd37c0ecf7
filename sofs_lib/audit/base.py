"""What every rule returns: a ``Finding`` with one of four verdicts, and the Dutch number
format of its values."""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05
OK = "ok"
INCONSISTENT = "inconsistent"
DECISION_ERROR = "decision error"
NOT_CHECKABLE = "not checkable"
VERDICTS = (DECISION_ERROR, INCONSISTENT, NOT_CHECKABLE, OK)

EPS = 1e-9


@dataclass(frozen=True)
class Finding:
    """One row of the audit table."""

    line: int
    statement: str
    check: str
    reported: str
    recomputed: str
    verdict: str
    reason: str = ""


def nl(value: float, decimals: int = 2) -> str:
    """A number with decimal comma, as the report prints it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:.{decimals}f}".replace(".", ",")
    return text.replace("-", "−") if value < 0 else text


def nl_p(p: float) -> str:
    """A p-value the APA way in Dutch: ``,034``, ``< ,001``."""
    if p < 0.001:
        return "< ,001"
    return f"{p:.3f}".replace("0.", ",").replace(".", ",")


def p_text(p_lo: float, p_hi: float) -> str:
    lo, hi = nl_p(p_lo), nl_p(p_hi)
    if lo == hi:
        return f"p {lo}" if lo.startswith("<") else f"p = {lo}"
    return f"p = {lo} – {hi}"


def round_half_up(value: float, decimals: int) -> float:
    """Round as people and SPSS do (half away from zero), robust to binary fractions."""
    factor = 10.0**decimals
    return math.floor(abs(value) * factor + 0.5 + EPS) / factor * (1 if value >= 0 else -1)


# --------------------------------------------------------------------------- p from statistic
