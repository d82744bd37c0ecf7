"""The same checks over the structured figure table ``report_figures.csv``.

A figure entered there (value, unit, n) is audited like a printed one: a share must be
possible for its n (GRIM), a mean of whole numbers too, and shares of one split (same
``location`` and ``n``) that come close to 100% must total 100% within rounding. The table
is read through ``sofs_lib.calibration.REFERENCE`` (one place to repoint it).
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

from sofs_lib.audit.parse import Num, parse_number
from sofs_lib.audit.rules import (
    EPS,
    INCONSISTENT,
    NOT_CHECKABLE,
    OK,
    Finding,
    mean_possible,
    nl,
    share_possible,
)
from sofs_lib.errors import SofsInputError

#: Tolerances at or above this (points) mark an approximate figure ("about a quarter").
APPROXIMATE = 5.0


def reference_path() -> Path:
    """Where the figure table is read from (``sofs_lib.calibration.REFERENCE``)."""
    from sofs_lib import calibration

    return Path(calibration.REFERENCE)


def _num(text: str) -> Num | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


def audit_figure_table(path: Path | None = None) -> tuple[str, list[Finding]]:
    """Audit ``report_figures.csv`` (or ``path``); findings carry the CSV row as line."""
    path = Path(path) if path is not None else reference_path()
    if not path.exists():
        raise SofsInputError(f"figure table not found: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    columns = set(records[0]) if records else set()
    need = {"id", "value", "unit", "n", "location", "tolerance"}
    missing = sorted(need - columns)
    if missing:
        raise SofsInputError(f"{path.name} lacks the column(s) {', '.join(missing)}")
    out: list[Finding] = []
    groups: dict[tuple[str, str], list[tuple[int, str, Num]]] = {}
    for i, record in enumerate(records, start=2):  # line 1 is the header
        row = SimpleNamespace(**{k: (v or "").strip() for k, v in record.items() if k})
        value, unit, n_text = _num(row.value), row.unit.strip(), row.n.strip()
        stmt = f"{row.id}: {row.value} {unit} (n = {n_text or '–'}; {row.location})"
        n = int(n_text) if n_text.isdigit() else None
        tol = _num(row.tolerance)
        approximate = tol is not None and tol.value >= APPROXIMATE
        if value is None:
            continue
        if unit == "pct":
            groups.setdefault((row.location, n_text), []).append((i, row.id, value))
            if n is None:
                continue
            if approximate:
                out.append(
                    Finding(
                        i,
                        stmt,
                        "share_possible_for_n",
                        f"{row.value}% van n = {n}",
                        "–",
                        NOT_CHECKABLE,
                        f"benaderend cijfer (tolerantie ±{row.tolerance} punten)",
                    )
                )
                continue
            ok = share_possible(n, value)
            k = round(value.value * n / 100)
            reason = ""
            if not ok:
                smaller = next((m for m in range(n - 1, 0, -1) if share_possible(m, value)), None)
                reason = f"geen aantal van {n} geeft {row.value}%"
                if smaller:
                    reason += f"; mogelijk met n = {smaller} (missings uitgesloten?)"
            out.append(
                Finding(
                    i,
                    stmt,
                    "share_possible_for_n",
                    f"{row.value}% van n = {n}",
                    f"{k}/{n} = {nl(100 * k / n, value.decimals + 1)}%",
                    OK if ok else INCONSISTENT,
                    reason,
                )
            )
        elif unit == "mean" and n is not None and value.decimals > 0 and n < 10**value.decimals:
            ok = mean_possible(n, value)
            out.append(
                Finding(
                    i,
                    stmt,
                    "mean_possible",
                    f"M = {row.value}, n = {n}",
                    "GRIM",
                    OK if ok else INCONSISTENT,
                    "" if ok else f"geen geheel totaal gedeeld door {n} geeft {row.value}",
                )
            )
    for (location, n_text), members in sorted(groups.items()):
        if len(members) < 2 or not location:
            continue
        values = [v for _, _, v in members]
        total = sum(v.value for v in values)
        tol = sum(v.half_unit for v in values) + EPS
        if abs(total - 100) > 2.5 and abs(total - 100) > tol:
            continue
        ok = abs(total - 100) <= tol
        dec = max(v.decimals for v in values)
        ids = ", ".join(x for _, x, _ in members)
        out.append(
            Finding(
                members[0][0],
                f"{ids} ({location}, n = {n_text or '–'})",
                "shares_total_100",
                " + ".join(v.text for v in values) + f" = {nl(total, dec)}",
                f"100 ± {nl(tol, dec + 1)}",
                OK if ok else INCONSISTENT,
                "" if ok else f"de aandelen tellen op tot {nl(total, dec)}, niet 100",
            )
        )
    return path.name, out
