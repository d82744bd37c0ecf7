"""Rules on shares, counts and means in prose: GRIM for k/n and means, shares that total
100%, parts that add up to their total."""

from __future__ import annotations

import math
import re

from sofs_lib.audit.base import EPS, INCONSISTENT, OK, Finding, nl, round_half_up
from sofs_lib.audit.parse import COUNT, NUM, Document, Num, parse_count, parse_number
from sofs_lib.audit.structure import N_EQ, PCT_NUM, in_spans, structured_spans

_PCT = re.compile(rf"(?<![\d.,])(?P<p>{PCT_NUM})\s?%")
_RANGE_BEFORE = re.compile(r"\d\s?[-–]\s?$|\d\s?(?:tot|à|a|to)\s$")
_PERCENT_SIGN = re.compile("%")
_SHARE_FORMS = [
    re.compile(
        rf"(?<![\d.,])(?P<p>{PCT_NUM})\s?%(?P<gap>(?:[^%()]|\([^%()/]{{0,40}}\)){{0,100}}?)"
        rf"\(\s*(?:n\s*=\s*)?"
        rf"(?P<k>{COUNT})\s*/\s*(?P<n>{COUNT})(?![\d/])"
    ),
    re.compile(
        rf"(?<![\d/.,])(?P<k>{COUNT})\s*/\s*(?P<n>{COUNT})\s*(?:[^\W\d]+\s*){{0,2}}"
        rf"\(\s*(?P<p>{PCT_NUM})\s?%\s*\)"
    ),
    re.compile(
        rf"(?<![\d.,/])(?P<k>{COUNT})\s+(?:van|op|of|out of)\s+(?:de\s+|het\s+|the\s+)?"
        rf"(?P<n>{COUNT})\b[^%()\d]{{0,60}}?\(\s*(?P<p>{PCT_NUM})\s?%\s*\)"
    ),
    re.compile(
        rf"(?<![\d.,])(?P<p>{PCT_NUM})\s?%\s*\(\s*(?P<k>{COUNT})\s+(?:van|op|of|out of)\s+"
        rf"(?:de\s+|het\s+)?(?P<n>{COUNT})\b"
    ),
    re.compile(
        rf"(?<![\d.,])(?P<p>{PCT_NUM})\s?%\s*[,;]\s*(?:n\s*=\s*)?(?P<k>{COUNT})\s*/\s*"
        rf"(?P<n>{COUNT})(?![\d/])"
    ),
]


def is_range(doc: Document, start: int) -> bool:
    return bool(_RANGE_BEFORE.search(doc.flat[max(0, start - 6) : start]))


def grim_share(k: int, n: int, p: Num) -> bool:
    """Does k/n, as a percentage rounded to p's decimals, print as p?"""
    return abs(100.0 * k / n - p.value) <= p.half_unit + EPS


def share_possible(n: int, p: Num) -> bool:
    """GRIM for a share: is there a whole k with k/n rounding to the printed p?"""
    k0 = round(p.value * n / 100)
    return any(0 <= k <= n and grim_share(k, n, p) for k in (k0 - 1, k0, k0 + 1))


def mean_possible(n: int, mean: Num) -> bool:
    """GRIM for a mean of whole numbers: is there a whole total with total/n ≈ mean?"""
    t0 = round(mean.value * n)
    return any(abs(t / n - mean.value) <= mean.half_unit + EPS for t in (t0 - 1, t0, t0 + 1))


def share_finding(
    doc: Document, start: int, end: int, k: int, n: int, p: Num, check: str = "share_of_count"
) -> Finding:
    exact = 100.0 * k / n if n else math.nan
    reported = f"{p.text}% van {k}/{n}"
    if n == 0 or k > n:
        return Finding(
            doc.line_of(start),
            doc.snippet(start, end),
            check,
            reported,
            "–",
            INCONSISTENT,
            "het deel is groter dan het geheel" if n else "n = 0",
        )
    ok = grim_share(k, n, p)
    reason = ""
    if not ok:
        reason = f"{k}/{n} = {nl(exact, max(p.decimals + 1, 2))}%"
        if abs(math.floor(exact * 10**p.decimals) / 10**p.decimals - p.value) < EPS:
            reason += " (afgekapt in plaats van afgerond?)"
    return Finding(
        doc.line_of(start),
        doc.snippet(start, end),
        check,
        reported,
        f"{nl(round_half_up(exact, p.decimals), p.decimals)}%",
        OK if ok else INCONSISTENT,
        reason,
    )


def rule_share_of_count(doc: Document) -> list[Finding]:
    """A printed share beside its count and n: k/n must round to it (GRIM)."""
    out, seen = [], set()
    windows = doc.windows(_PERCENT_SIGN, 260, 160)
    matches = (
        m for form in _SHARE_FORMS for lo, hi in windows for m in form.finditer(doc.flat, lo, hi)
    )
    for m in matches:
        key = (m.start("p"), m.start("k"))
        if key in seen or is_range(doc, m.start("p")):
            continue
        seen.add(key)
        try:
            k, n, p = (
                parse_count(m.group("k")),
                parse_count(m.group("n")),
                parse_number(m.group("p")),
            )
        except ValueError:
            continue
        out.append(share_finding(doc, m.start(), m.end(), k, n, p))
    return out


_PAIR = re.compile(
    rf"(?<![\d.,/])(?P<k>{COUNT})\s+(?:[^\W\d]+\s+){{0,3}}?\(\s*(?P<p>{PCT_NUM})\s?%\s*\)"
)
_OF_N = re.compile(rf"(?:[Vv]an de|[Oo]p|[Oo]ut of the|[Oo]f the)\s+(?P<n>{COUNT})\b")


def rule_counts_with_shares(doc: Document) -> list[Finding]:
    """'15 jongens (45,5%) en 18 meisjes (54,5%)': each k/n must round to its share, with n
    the sentence's 'van de N' / 'n = N', or the sum of the counts when the shares total 100%."""
    out: list[Finding] = []
    skip = structured_spans(doc)
    for s, e in doc.sentences:
        sentence = doc.flat[s:e]
        if "%" not in sentence or in_spans(s, skip):
            continue
        pairs = []
        for m in _PAIR.finditer(sentence):
            if re.search(r"(?:van|op|of|/)\s*(?:de\s+|het\s+)?$", sentence[: m.start()]):
                continue
            pairs.append((m, parse_count(m.group("k")), parse_number(m.group("p"))))
        if not pairs:
            continue
        explicit = {parse_count(x.group("n")) for x in _OF_N.finditer(sentence)}
        explicit |= {parse_count(x.group("n")) for x in N_EQ.finditer(sentence)}
        total_p = sum(p.value for _, _, p in pairs)
        tol = sum(p.half_unit for _, _, p in pairs) + EPS
        if len(explicit) == 1:
            n, how = explicit.pop(), "n uit de zin"
        elif len(pairs) >= 2 and abs(total_p - 100) <= max(tol, 1.0):
            n, how = sum(k for _, k, _ in pairs), "n = som van de aantallen"
        else:
            continue
        if n <= 0:
            continue
        for m, k, p in pairs:
            f = share_finding(doc, s + m.start(), s + m.end(), k, n, p)
            out.append(
                Finding(
                    f.line,
                    f.statement,
                    f.check,
                    f"{f.reported} ({how})",
                    f.recomputed,
                    f.verdict,
                    f.reason,
                )
            )
    return out


def total_finding(
    doc: Document,
    start: int,
    end: int,
    check: str,
    values: list[Num],
    target: float = 100.0,
    what: str = "aandelen",
) -> Finding:
    total = sum(v.value for v in values)
    tol = sum(v.half_unit for v in values) + EPS
    ok = abs(total - target) <= tol
    dec = max(v.decimals for v in values)
    return Finding(
        doc.line_of(start),
        doc.snippet(start, end),
        check,
        " + ".join(v.text for v in values) + f" = {nl(total, dec)}",
        f"{nl(target, 0)} ± {nl(tol, dec + 1)}",
        OK if ok else INCONSISTENT,
        "" if ok else f"de {what} tellen op tot {nl(total, dec)}, niet {nl(target, 0)}",
    )


def rule_shares_total_100(doc: Document) -> list[Finding]:
    """Shares of one split printed in one sentence must total 100% within rounding."""
    out: list[Finding] = []
    skip = structured_spans(doc)
    for s, e in doc.sentences:
        if in_spans(s, skip):
            continue
        found = [
            (m, parse_number(m.group("p")))
            for m in _PCT.finditer(doc.flat, s, e)
            if not is_range(doc, m.start())
            and not re.match(r"\s?[-–]\s?\d", doc.flat[m.end() - 1 : m.end() + 3][1:])
        ]
        found = [(m, p) for m, p in found if p.value <= 100]
        if len(found) < 2:
            continue
        values = [p for _, p in found]
        total = sum(v.value for v in values)
        tol = sum(v.half_unit for v in values) + EPS
        window = 2.5 if len(values) == 2 else 1.0  # more values: more room for coincidence
        if abs(total - 100) <= max(window, tol):
            out.append(
                total_finding(
                    doc, found[0][0].start(), found[-1][0].end(), "shares_total_100", values
                )
            )
            continue
        for (m1, p1), (m2, p2) in zip(found, found[1:], strict=False):
            pair = p1.value + p2.value
            if abs(pair - 100) <= 1.5 and abs(pair - 100) > p1.half_unit + p2.half_unit + EPS:
                out.append(total_finding(doc, m1.start(), m2.end(), "shares_total_100", [p1, p2]))
    return out


_PARTS = re.compile(
    rf"(?<![\d.,/])(?P<total>{COUNT})\s+(?:[^\W\d]+[\s,]+){{0,6}}?(?:waarvan|van wie|of which|"
    r"of whom|onder wie|bestaan uit|bestaat uit|bestond uit|bestonden uit|verdeeld over|"
    r"consist(?:s|ed)? of)\s+(?P<parts>[^.;:()]{3,200})"
)
_PART_NUM = re.compile(rf"(?<![\d.,/])({COUNT})(?![\d.,]*\s?%)(?!\s*/)")


_TOTAL_AFTER = re.compile(
    rf"(?:in totaal|samen|totaal|in total|altogether|a total of)\s+(?:goed voor\s+)?"
    rf"(?P<total>{COUNT})(?![\d.,]*\s?%)"
)


def _parts_finding(
    doc: Document, start: int, end: int, total: int, parts: list[int]
) -> Finding | None:
    parts = [x for x in parts if not 1900 <= x <= 2100]  # years are no parts
    if len(parts) < 2 or 1900 <= total <= 2100:
        return None
    s = sum(parts)
    if abs(s - total) > 0.1 * total:
        return None  # far off: the numbers are not a split of the total
    ok = s == total
    return Finding(
        doc.line_of(start),
        doc.snippet(start, end),
        "parts_sum_to_total",
        f"{total} = {' + '.join(map(str, parts))}",
        str(s),
        OK if ok else INCONSISTENT,
        "" if ok else f"de delen tellen op tot {s}, niet {total}",
    )


def rule_parts_sum_to_total(doc: Document) -> list[Finding]:
    """'N …, waarvan a … en b …' and 'a …, b … en c …, in totaal N': parts add up to N."""
    out: list[Finding] = []
    keywords = re.compile(
        r"waarvan|van wie|of which|of whom|onder wie|bestaa?n? uit|bestond|"
        r"verdeeld over|consist"
    )
    spans = doc.windows(keywords, 120, 220)
    for m in (m for lo, hi in spans for m in _PARTS.finditer(doc.flat, lo, hi)):
        parts = [parse_count(x) for x in _PART_NUM.findall(m.group("parts"))]
        f = _parts_finding(doc, m.start(), m.end(), parse_count(m.group("total")), parts)
        if f:
            out.append(f)
    for s, e in doc.sentences:
        sentence = doc.flat[s:e]
        if "totaal" not in sentence and "samen" not in sentence and "total" not in sentence:
            continue
        for m in _TOTAL_AFTER.finditer(sentence):
            before = re.split(r"\b(?:waarvan|van wie|of which)\b", sentence[: m.start()])[-1]
            parts = [parse_count(x) for x in _PART_NUM.findall(before)]
            f = _parts_finding(doc, s, s + m.end(), parse_count(m.group("total")), parts)
            if f:
                out.append(f)
    return out


_MEAN = re.compile(
    rf"(?<![A-Za-z])(?:M|[Gg]emiddeld(?:e)?|[Mm]ean|[Aa]verage)"
    rf"(?:\s*(?:=|:)|(?:\s+(?:van|is|of|was|werd|werden|bedroeg|bedraagt|lag op)){{0,2}})"
    rf"\s*(?P<m>{NUM})(?!\s?%)(?![.,]?\d)"
)


def rule_mean_possible(doc: Document) -> list[Finding]:
    """GRIM for a mean of whole numbers (counts, single items) with its n in the sentence."""
    out: list[Finding] = []
    for s, e in doc.sentences:
        sentence = doc.flat[s:e]
        ns = {parse_count(x.group("n")) for x in N_EQ.finditer(sentence)}
        if len(ns) != 1:
            continue
        n = ns.pop()
        for m in _MEAN.finditer(sentence):
            mean = parse_number(m.group("m"))
            if mean.decimals == 0 or n <= 0 or n >= 10**mean.decimals:
                continue  # GRIM says nothing when n ≥ 10^decimals
            ok = mean_possible(n, mean)
            total = round(mean.value * n)
            near = sorted({nl(t / n, mean.decimals + 1) for t in (total - 1, total, total + 1)})
            out.append(
                Finding(
                    doc.line_of(s + m.start()),
                    doc.snippet(s, e),
                    "mean_possible",
                    f"M = {mean.text}, n = {n}",
                    "totaal/n: " + " · ".join(near),
                    OK if ok else INCONSISTENT,
                    ""
                    if ok
                    else f"geen geheel totaal gedeeld door {n} geeft "
                    f"{mean.text} (GRIM; veronderstelt gehele scores)",
                )
            )
    return out


# --------------------------------------------------------------------------- lists and tables
