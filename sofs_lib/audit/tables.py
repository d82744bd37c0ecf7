"""Rules on lists and tables: list shares and counts, sub-lists, implied frequency totals,
column-percentage tables (GRIM, 100%, their χ²), dash-series tables (column sums, M) and
the data labels of percentage figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sofs_lib.audit.base import EPS, INCONSISTENT, NOT_CHECKABLE, OK, Finding, nl
from sofs_lib.audit.parse import COUNT, Document, Num, parse_count, parse_number
from sofs_lib.audit.shares import share_finding, share_possible, total_finding
from sofs_lib.audit.statistics import pearson_chi2, stat_matches
from sofs_lib.audit.structure import (
    FIG_CAPTION,
    N_EQ,
    PCT_NUM,
    Table,
    line_span,
    tables_of,
)

_ITEM = re.compile(rf"^\s*[-•*–]?\s*(?P<p>{PCT_NUM})\s?%\s*(?P<rest>.*)$")
_ITEM_KN = re.compile(rf"\(\s*(?P<k>{COUNT})\s*/\s*(?P<n>{COUNT})\s*(?P<noun>[^\W\d]+)?")
_TIMES = {
    1: r"éénmalig|eenmalig|eenmaal|één ?keer|een keer|1 ?keer|1 ?maal|once",
    2: r"twee ?maal|twee ?keer|2 ?keer|2 ?maal|twice",
    3: r"drie ?maal|drie ?keer|3 ?keer|3 ?maal|three times",
    4: r"vier ?maal|vier ?keer|4 ?keer|4 ?maal|four times",
    5: r"vijf ?maal|vijf ?keer|5 ?keer|5 ?maal|five times",
    6: r"zes ?maal|zes ?keer|6 ?keer|six times",
}


@dataclass
class _Item:
    line: int
    p: Num
    text: str
    k: int | None = None
    n: int | None = None
    noun: str | None = None
    parent: int | None = None


def _list_blocks(doc: Document) -> list[list[_Item]]:
    blocks: list[list[_Item]] = []
    current: list[_Item] = []
    for i, raw in enumerate(doc.lines, start=1):
        text = raw.strip()
        m = _ITEM.match(raw) if text.startswith(("-", "•", "*", "–")) or _ITEM.match(raw) else None
        if m and (text[0] in "-•*–" or re.match(rf"^{PCT_NUM}\s?%\s+\S", text)):
            current.append(_Item(i, parse_number(m.group("p")), text))
        elif not text:
            continue
        elif current and text.startswith("(") and len(text) < 60:
            current[-1].text += " " + text
        else:
            if len(current) >= 2:
                blocks.append(current)
            current = []
    if len(current) >= 2:
        blocks.append(current)
    for block in blocks:
        parent = None
        for idx, item in enumerate(block):
            km = _ITEM_KN.search(item.text)
            if km:
                item.k, item.n = parse_count(km.group("k")), parse_count(km.group("n"))
                item.noun = (km.group("noun") or "").lower() or None
            item.parent = parent
            if re.search(r"(waarvan|waaronder|of which|including)\s*:?\s*$", item.text):
                parent = idx
    return blocks


def rule_list_totals(doc: Document) -> list[Finding]:
    """A list of shares (and counts) of one split: shares total 100%, counts total n."""
    out: list[Finding] = []
    for block in _list_blocks(doc):
        top = [it for it in block if it.parent is None]
        start, end = line_span(doc, block[0].line, block[-1].line)
        total = sum(it.p.value for it in top)
        if len(top) >= 2 and abs(total - 100) <= 5:
            out.append(total_finding(doc, start, end, "shares_total_100", [it.p for it in top]))
        ns = {it.n for it in top}
        if (
            len(top) >= 2
            and None not in ns
            and len(ns) == 1
            and all(it.k is not None for it in top)
        ):
            n = ns.pop()
            s = sum(it.k for it in top)
            if abs(s - n) <= 0.1 * n:
                out.append(
                    Finding(
                        doc.line_of(start),
                        doc.snippet(start, end),
                        "parts_sum_to_total",
                        " + ".join(str(it.k) for it in top) + f" = {s}",
                        str(n),
                        OK if s == n else INCONSISTENT,
                        "" if s == n else f"de aantallen tellen op tot {s}, niet {n}",
                    )
                )
        for pidx in {it.parent for it in block if it.parent is not None}:
            parent = block[pidx]
            kids = [it for it in block if it.parent == pidx]
            if len(kids) < 2:
                continue
            out.append(
                total_finding(
                    doc,
                    start,
                    end,
                    "shares_total_100",
                    [k.p for k in kids],
                    target=parent.p.value,
                    what="deelaandelen",
                )
            )
            if parent.k is not None and all(k.k is not None for k in kids):
                s = sum(k.k for k in kids)
                out.append(
                    Finding(
                        parent.line,
                        doc.snippet(start, end),
                        "parts_sum_to_total",
                        " + ".join(str(k.k) for k in kids) + f" = {s}",
                        str(parent.k),
                        OK if s == parent.k else INCONSISTENT,
                        ""
                        if s == parent.k
                        else f"de deelaantallen tellen op tot {s}, niet {parent.k}",
                    )
                )
        out.extend(_implied_total(doc, top, start, end))
    return out


def _implied_total(doc: Document, items: list[_Item], start: int, end: int) -> list[Finding]:
    """'once / twice / three times' with counts imply a total of events; compare it."""
    times = []
    for it in items:
        m = next(
            (
                t
                for t, rx in _TIMES.items()
                if re.search(rf"^[-•*–\s]*{PCT_NUM}\s?%\s*(?:{rx})\b", it.text, re.I)
            ),
            None,
        )
        times.append(m)
    if None in times or len(items) < 2 or any(it.k is None for it in items):
        return []
    implied = sum(t * it.k for t, it in zip(times, items, strict=True))
    noun = items[0].noun
    window = doc.flat[max(0, start - 1500) : end + 1500]
    printed = [
        (parse_count(x.group(1)), x.group(2).lower())
        for x in re.finditer(rf"\b[nN]\s*=\s*({COUNT})\s+([^\W\d]+)", window)
    ]
    printed = [(v, w) for v, w in printed if w != noun and v != items[0].n]
    stmt = doc.snippet(start, end)
    rep = " + ".join(f"{t}×{it.k}" for t, it in zip(times, items, strict=True))
    if not printed:
        return [
            Finding(
                doc.line_of(start),
                stmt,
                "frequency_implied_total",
                rep,
                str(implied),
                NOT_CHECKABLE,
                "geen totaal van de gebeurtenissen afgedrukt in de buurt",
            )
        ]
    value, word = printed[0]
    ok = value == implied
    return [
        Finding(
            doc.line_of(start),
            stmt,
            "frequency_implied_total",
            f"{rep} (afgedrukt: n = {value} {word})",
            str(implied),
            OK if ok else INCONSISTENT,
            "" if ok else f"de frequenties geven {implied} {word}, niet {value}",
        )
    ]


_CELL = rf"(?:\d+(?:[.,]\d+)?|/)(?:\s*\(\s*{PCT_NUM}\s?%\s*\))?"
_DASH_ROW = re.compile(rf"(?P<series>{_CELL}(?:\s*[-–]\s*{_CELL}){{2,}})\s*$")
_KP_ROW = re.compile(
    rf"^(?P<label>.*?\S)\s+(?P<k>{COUNT}|/)\s*(?:\(\s*(?P<p>{PCT_NUM})\s?%\s*\))?\s*$"
)
_CELL_RX = re.compile(rf"(?P<v>\d+(?:[.,]\d+)?|/)(?:\s*\(\s*(?P<p>{PCT_NUM})\s?%\s*\))?")


def _dash_cells(series: str) -> list[tuple[Num | None, Num | None]]:
    cells = []
    for part in re.split(r"\s*[-–]\s*", series.strip()):
        m = _CELL_RX.fullmatch(part.strip())
        if m is None:
            return []
        v = None if m.group("v") == "/" else parse_number(m.group("v"))
        cells.append((v, parse_number(m.group("p")) if m.group("p") else None))
    return cells


def rule_tables(doc: Document) -> list[Finding]:
    """Tables of counts and shares: rows against column totals, shares against n (GRIM)."""
    out: list[Finding] = []
    for table in tables_of(doc):
        out.extend(_dash_table(doc, table))
        out.extend(_count_share_table(doc, table))
        out.extend(_percent_columns_table(doc, table))
    return out


def _dash_table(doc: Document, table: Table) -> list[Finding]:
    rows = []  # (line, label, cells)
    for ln in range(table.first, table.last + 1):
        text = doc.lines[ln - 1].rstrip()
        m = _DASH_ROW.search(text)
        if not m or not text.strip():
            if text.strip():
                rows.append((ln, text.strip(), None))
            continue
        cells = _dash_cells(m.group("series"))
        label = text[: m.start("series")].strip()
        rows.append((ln, label, cells or None))
    series = [(ln, lab, c) for ln, lab, c in rows if c]
    if not series:
        return []
    arity = max({len(c) for _, _, c in series}, key=lambda a: sum(len(c) == a for *_, c in series))
    totals_row = next(
        (
            (ln, lab, c)
            for ln, lab, c in series
            if len(c) == arity
            and not re.fullmatch(r"\d+", lab)
            and all(p is None for _, p in c)
            and all(v is None or v.decimals == 0 for v, _ in c)
        ),
        None,
    )
    if totals_row is None:
        return []
    totals = [0 if v is None else int(v.value) for v, _ in totals_row[2]]
    out: list[Finding] = []
    # blocks: consecutive dash rows between headings
    block: list[tuple[int, str, list]] = []
    blocks = []
    for ln, lab, cells in rows:
        if cells and len(cells) == arity and (ln, lab, cells) != totals_row:
            block.append((ln, lab, cells))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    for block in blocks:
        mean_rows = [r for r in block if re.fullmatch(r"M|Gem\.?|gemiddelde|Mean", r[1], re.I)]
        counts = [r for r in block if r not in mean_rows]
        if not counts:
            continue
        start, end = line_span(doc, block[0][0], block[-1][0])
        for col in range(arity):
            s = sum(0 if c[col][0] is None else int(c[col][0].value) for _, _, c in counts)
            ok = s == totals[col]
            out.append(
                Finding(
                    counts[0][0],
                    doc.snippet(start, end, 120),
                    "parts_sum_to_total",
                    f"kolom {col + 1}: som van {len(counts)} rijen = {s}",
                    f"{totals[col]} ({totals_row[1][:40]})",
                    OK if ok else INCONSISTENT,
                    "" if ok else f"de rijen tellen op tot {s}, niet {totals[col]}",
                )
            )
            for ln, _lab, cells in counts:
                v, p = cells[col]
                if p is not None and totals[col] > 0:
                    f = share_finding(
                        doc,
                        doc.offset_of(ln),
                        doc.offset_of(ln) + len(doc.lines[ln - 1]),
                        0 if v is None else int(v.value),
                        totals[col],
                        p,
                    )
                    out.append(f)
        numeric = [r for r in counts if re.fullmatch(r"\d+", r[1])]
        for ln, _, mcells in mean_rows:
            if len(numeric) < 3:
                continue
            for col in range(arity):
                printed = mcells[col][0]
                weights = [
                    (int(lab), 0 if c[col][0] is None else c[col][0].value) for _, lab, c in numeric
                ]
                n = sum(w for _, w in weights)
                if printed is None or n == 0:
                    continue
                mean = sum(x * w for x, w in weights) / n
                ok = abs(mean - printed.value) <= printed.half_unit + EPS
                out.append(
                    Finding(
                        ln,
                        doc.snippet(*line_span(doc, ln, ln)),
                        "mean_from_distribution",
                        f"kolom {col + 1}: M = {printed.text}",
                        f"M = {nl(mean, printed.decimals + 1)} (n = {int(n)})",
                        OK if ok else INCONSISTENT,
                        ""
                        if ok
                        else "het gemiddelde van de afgedrukte verdeling "
                        "verschilt van de afgedrukte M",
                    )
                )
    return out


def _count_share_table(doc: Document, table: Table) -> list[Finding]:
    """Rows 'label k (p%)' under headings, one column, with the table's n."""
    if table.n is None:
        return []
    out: list[Finding] = []
    block: list[tuple[int, int, Num | None]] = []

    def close() -> None:
        with_p = [b for b in block if b[2] is not None]
        if len(with_p) >= 2:
            s = sum(k for _, k, _ in block)
            start, end = line_span(doc, block[0][0], block[-1][0])
            if abs(s - table.n) <= 0.1 * table.n:
                out.append(
                    Finding(
                        block[0][0],
                        doc.snippet(start, end, 120),
                        "parts_sum_to_total",
                        f"som van {len(block)} rijen = {s}",
                        f"{table.n} (n van de tabel)",
                        OK if s == table.n else INCONSISTENT,
                        "" if s == table.n else f"de rijen tellen op tot {s}, niet {table.n}",
                    )
                )
        block.clear()

    for ln in range(table.first, table.last + 1):
        text = doc.lines[ln - 1].strip()
        if not text:
            continue
        if _DASH_ROW.search(text):
            close()
            continue
        m = _KP_ROW.match(text)
        if m and (m.group("p") or m.group("k") == "/"):
            k = 0 if m.group("k") == "/" else parse_count(m.group("k"))
            p = parse_number(m.group("p")) if m.group("p") else None
            block.append((ln, k, p))
            if p is not None:
                s, e = line_span(doc, ln, ln)
                f = share_finding(doc, s, e, k, table.n, p)
                out.append(
                    Finding(
                        f.line,
                        f.statement,
                        f.check,
                        f.reported + " (n van de tabel)",
                        f.recomputed,
                        f.verdict,
                        f.reason,
                    )
                )
        else:
            close()
    close()
    return out


def _percent_columns_table(doc: Document, table: Table) -> list[Finding]:
    """A table of column percentages with '(n = …)' per column: GRIM, 100%, and its χ²."""
    header_ns: list[int] = []
    rows: list[tuple[int, list[Num]]] = []
    for ln in range(table.first, table.last + 1):
        text = doc.lines[ln - 1].strip()
        if not rows:
            header_ns += [parse_count(x.group("n")) for x in N_EQ.finditer(text)]
        m = re.search(rf"(?P<vals>(?:\s+{PCT_NUM}){{2,}})\s*$", " " + text)
        if m and len(header_ns) >= 2:
            vals = [parse_number(v) for v in m.group("vals").split()]
            if len(vals) == len(header_ns):
                rows.append((ln, vals))
    if len(header_ns) < 2 or min(header_ns) <= 0:
        return []
    out: list[Finding] = []
    cap_start, _ = line_span(doc, table.caption_line, table.caption_line)
    if table.n is not None:
        s = sum(header_ns)
        if abs(s - table.n) <= 0.1 * table.n:
            out.append(
                Finding(
                    table.caption_line,
                    doc.snippet(*line_span(doc, table.caption_line, table.first + 2), 160),
                    "parts_sum_to_total",
                    " + ".join(map(str, header_ns)) + f" = {s}",
                    f"{table.n} (n in de titel)",
                    OK if s == table.n else INCONSISTENT,
                    "" if s == table.n else f"de kolommen tellen op tot {s}, niet {table.n}",
                )
            )
    if len(rows) < 2:
        return out
    start, end = line_span(doc, rows[0][0], rows[-1][0])
    for col, n in enumerate(header_ns):
        values = [vals[col] for _, vals in rows]
        out.append(total_finding(doc, start, end, "shares_total_100", values))
        out[-1] = Finding(
            out[-1].line,
            out[-1].statement,
            out[-1].check,
            f"kolom {col + 1}: " + out[-1].reported,
            out[-1].recomputed,
            out[-1].verdict,
            out[-1].reason,
        )
        for ln, vals in rows:
            p = vals[col]
            ok = share_possible(n, p)
            out.append(
                Finding(
                    ln,
                    doc.snippet(*line_span(doc, ln, ln)),
                    "share_possible_for_n",
                    f"kolom {col + 1}: {p.text}% van n = {n}",
                    f"{round(p.value * n / 100)}/{n} = "
                    f"{nl(100 * round(p.value * n / 100) / n, p.decimals + 1)}%",
                    OK if ok else INCONSISTENT,
                    "" if ok else f"geen aantal van {n} geeft {p.text}% (GRIM)",
                )
            )
    out.extend(_table_chi2(doc, table, header_ns, rows))
    return out


def _table_chi2(
    doc: Document, table: Table, ns: list[int], rows: list[tuple[int, list[Num]]]
) -> list[Finding]:
    """The χ² printed beside a percentage table, recomputed from the table (and its df)."""
    lo = doc.offset_of(max(1, table.caption_line - 12))
    hi = doc.offset_of(min(len(doc.lines), table.last + 12))
    chis = [m for m in stat_matches(doc, lo, hi) if m.kind == "chi2"]
    if len(chis) != 1:
        return []
    m = chis[0]
    counts = [[round(vals[c].value * ns[c] / 100) for c in range(len(ns))] for _, vals in rows]
    counts = [r for r in counts if any(r)]
    if len(counts) < 2 or not all(any(col) for col in zip(*counts, strict=True)):
        return []
    df_table = (len(counts) - 1) * (len(ns) - 1)
    printed_df = int(m.df1)
    stat = parse_number(m.stat)
    chi_table = pearson_chi2(counts)
    stmt = doc.snippet(m.start, m.end)
    line = doc.line_of(m.start)
    out = [
        Finding(
            line,
            stmt,
            "df_plausible",
            f"df = {printed_df}",
            f"df = {df_table} ({len(counts)} × {len(ns)} tabel)",
            OK if printed_df == df_table else INCONSISTENT,
            ""
            if printed_df == df_table
            else (
                "meer vrijheidsgraden dan de tabel toelaat"
                if printed_df > df_table
                else "minder vrijheidsgraden dan de tabel heeft"
            ),
        )
    ]
    # counts are rebuilt from rounded percentages: allow 2% of the statistic
    ok = abs(chi_table - stat.value) <= max(0.02 * chi_table, stat.half_unit) + EPS
    out.append(
        Finding(
            line,
            stmt,
            "table_chi2",
            f"χ² = {stat.text}",
            f"χ² = {nl(chi_table, 2)} uit de tabel",
            OK if ok else INCONSISTENT,
            "" if ok else "de χ² volgt niet uit de afgedrukte tabel",
        )
    )
    return out


_FIG_VALUE = re.compile(rf"^\s*(?P<v>{PCT_NUM})\s?%?\s*$")


def rule_figure_values(doc: Document) -> list[Finding]:
    """Data labels of a percentage figure (lines of bare numbers before its caption) total 100."""
    out: list[Finding] = []
    lines = doc.lines
    for idx, text in enumerate(lines):
        if not FIG_CAPTION.match(text):
            continue
        caption = " ".join(lines[idx : idx + 3]).lower()
        if "percent" not in caption and "%" not in caption and "verdeling" not in caption:
            continue
        values: list[tuple[int, Num]] = []
        j = idx - 1
        while j >= 0 and idx - j <= 30:
            t = lines[j].strip()
            m = _FIG_VALUE.match(t)
            if m:
                values.append((j + 1, parse_number(m.group("v"))))
            elif t:
                break
            j -= 1
        if len(values) < 3:
            continue
        values.reverse()
        start, end = line_span(doc, values[0][0], values[-1][0])
        f = total_finding(doc, start, end, "shares_total_100", [v for _, v in values])
        if f.verdict != OK:
            decs = {v.decimals for _, v in values}
            extra = f"; {len(values)} waarden" + (
                " met ongelijke decimalen (twee waarden aan elkaar geplakt?)"
                if len(decs) > 1
                else ""
            )
            f = Finding(
                f.line, f.statement, f.check, f.reported, f.recomputed, f.verdict, f.reason + extra
            )
        out.append(f)
    return out
