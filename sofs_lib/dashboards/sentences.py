"""One generated Dutch sentence per panel: what it shows for this selection (templates).

Input is what the panel shows (the long rows of a :class:`spec.ChartSpec`), never raw data;
a hidden value is never put in words.
"""

from __future__ import annotations

import math

import pandas as pd

from sofs_lib import catalogue
from sofs_lib.dashboards.spec import frame_records
from sofs_lib.formatting import fmt_number, fmt_pct
from sofs_lib.narrate import portion


def _shown(records: list[dict], **where: object) -> list[dict]:
    return [
        r for r in records
        if not bool(r["hidden"]) and _num(r.get("value")) and all(r.get(k) == v for k, v in where.items())
    ]


def _at(who: str) -> str:
    """``Bij Organisatie A`` / ``In Vlaanderen``: where a figure was measured."""
    flanders = catalogue.LABELS["flanders"]
    return f"In {who}" if who == flanders or who.startswith(flanders + " ") else f"Bij {who}"


def _num(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def pp_text(diff: float) -> str:
    """A difference of two shares in signed percentage points (``+3,2 pp``)."""
    if diff is None or math.isnan(diff):
        return "–"
    sign = "+" if diff > 0.0005 else ("−" if diff < -0.0005 else "±")
    return f"{sign}{fmt_number(abs(diff) * 100, 1)} pp"


def _pp_words(diff: float) -> str:
    if abs(diff) < 0.0005:
        return "gelijk"
    return f"{fmt_number(abs(diff) * 100, 1)} procentpunt {'hoger' if diff > 0 else 'lager'}"


def bars_sentence(rows: pd.DataFrame, what: str) -> str:
    """Several items: the highest and the lowest of the first group (own or Flanders), and
    how many lie below Flanders. One item: its share in words and against Flanders."""
    records = frame_records(rows)
    if not records:
        return ""
    who = records[0]["group"]
    part = _shown(records, group=who)
    if not part:
        return f"De cijfers van {who} zijn voor deze selectie verborgen."
    items = list(dict.fromkeys(r["item"] for r in records))
    own = {r["item"]: r["value"] for r in _shown(records, role="own")}
    fl = {r["item"]: r["value"] for r in _shown(records, role="flanders")}
    if len(items) == 1:
        share = float(part[0]["value"])
        text = f"{_at(who)} {what} in {fmt_pct(share)} van de trajecten ({portion(share)} trajecten)."
        if own and fl:
            diff = float(own[items[0]]) - float(fl[items[0]])
            text += f" Dat is {_pp_words(diff)} dan in Vlaanderen ({fmt_pct(float(fl[items[0]]))})."
        return text
    top = max(part, key=lambda r: r["value"])
    low = min(part, key=lambda r: r["value"])
    if len(part) == 1:
        text = f"{_at(who)} is enkel ‘{top['item']}’ zichtbaar: {fmt_pct(float(top['value']))}."
    elif fmt_pct(float(top["value"])) == fmt_pct(float(low["value"])):
        text = f"{_at(who)} is het aandeel bij elk getoond onderdeel {fmt_pct(float(top['value']))}."
    else:
        text = (
            f"{_at(who)} het hoogst: {top['item']} ({fmt_pct(float(top['value']))}); "
            f"het laagst: {low['item']} ({fmt_pct(float(low['value']))})."
        )
    both = [i for i in own if i in fl]
    if len(both) == 1:
        words = _pp_words(float(own[both[0]]) - float(fl[both[0]]))
        if words == "gelijk":
            text += f" Voor ‘{both[0]}’ is het aandeel gelijk aan dat in Vlaanderen."
        else:
            text += f" Voor ‘{both[0]}’ ligt het aandeel {words} dan in Vlaanderen."
    elif both:
        below = sum(1 for i in both if own[i] < fl[i])
        if below == 0:
            text += f" Bij geen van de {len(both)} onderdelen ligt het aandeel lager dan in Vlaanderen."
        elif below == len(both) and below > 1:
            text += f" Bij alle {below} onderdelen ligt het aandeel lager dan in Vlaanderen."
        else:
            text += (f" Bij {below} van de {len(both)} onderdelen ligt het aandeel lager dan in "
                     "Vlaanderen.")
    return text


def lines_sentence(rows: pd.DataFrame, what: str) -> str:
    """A trend of the first group: from the first to the last shown year, the highest or
    lowest year when it lies between them, and the last year against the one before (what
    the headline's direction tile compares). ``what``: ``het aandeel``, ``het gemiddelde
    aantal netwerkberaden`` (the panel's title stands above; it is not repeated)."""
    records = frame_records(rows)
    if not records:
        return ""
    who = records[0]["group"]
    part = _shown(records, group=who)
    if len(part) < 2:
        return f"Te weinig zichtbare jaren om de evolutie bij {who} te beschrijven."
    pct = rows.attrs.get("value_format", "pct") == "pct"

    def value(r: dict) -> float:
        return float(r["value"])

    def fmt(r: dict) -> str:
        return fmt_pct(value(r)) if pct else fmt_number(value(r), 1)

    def diff_words(diff: float) -> str:
        if pct:
            return _pp_words(diff)
        if abs(diff) < 0.05:
            return "gelijk"
        return f"{fmt_number(abs(diff), 1)} {'hoger' if diff > 0 else 'lager'}"

    first, last = part[0], part[-1]
    change = value(last) - value(first)
    if diff_words(change) == "gelijk":
        text = f"{_at(who)} was {what} {fmt(first)} in {first['x']} en {fmt(last)} in {last['x']}"
    else:
        direction = "steeg" if change > 0 else "daalde"
        text = (f"{_at(who)} {direction} {what} van {fmt(first)} ({first['x']}) "
                f"naar {fmt(last)} ({last['x']})")
    inner = part[1:-1]
    if inner:
        top, low = max(inner, key=value), min(inner, key=value)
        if value(top) > max(value(first), value(last)):
            text += f"; het hoogst in {top['x']} ({fmt(top)})"
        elif value(low) < min(value(first), value(last)):
            text += f"; het laagst in {low['x']} ({fmt(low)})"
        previous = part[-2]
        recent = diff_words(value(last) - value(previous))
        text += "." + (f" Tegenover {previous['x']} is dat {recent}" if recent != "gelijk"
                       else f" Tegenover {previous['x']} is dat gelijk gebleven")
    return text + "."


def ranges_sentence(rows: pd.DataFrame, what: str, unit: str) -> str:
    """A distribution: the first group's mean and median, and Flanders' mean beside it.
    (``what``, the measure in words, is kept for callers; the sentence does not repeat it.)"""
    records = frame_records(rows)
    if not records:
        return ""
    who = records[0]["group"]
    first = records[0]
    if bool(first["hidden"]) or not _num(first["mean"]):
        return f"De cijfers van {who} zijn voor deze selectie verborgen."
    unit_text = f" {unit}" if unit else ""
    # The panel's title stands above (and before the sentence in the headline): the
    # sentence starts with whose figures they are, not with the title again.
    text = (
        f"{_at(who)} gemiddeld {fmt_number(float(first['mean']), 1)}{unit_text} "
        f"(mediaan {fmt_number(float(first['median']), 1)})."
    )
    fl = [r for r in records if r["role"] == "flanders" and not bool(r["hidden"]) and _num(r["mean"])]
    if first["role"] != "flanders" and fl:
        text += f" In Vlaanderen gemiddeld {fmt_number(float(fl[0]['mean']), 1)}{unit_text}"
        others = [r for r in records
                  if r["role"] == "others" and not bool(r["hidden"]) and _num(r["mean"])]  # fmt: skip
        if others:
            text += (f", bij de andere organisaties samen "
                     f"{fmt_number(float(others[0]['mean']), 1)}{unit_text}")
        text += "."
    return text
