"""Rules on test statistics: p recomputed from χ², F, t, r and z (statcheck), df that cannot
be right, significance wording, Mann–Whitney r and Exp(B)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from scipy import special

from sofs_lib.audit.base import (
    ALPHA,
    DECISION_ERROR,
    EPS,
    INCONSISTENT,
    NOT_CHECKABLE,
    OK,
    Finding,
    nl,
    p_text,
    round_half_up,
)
from sofs_lib.audit.parse import CMP, COUNT, NUM, Document, Num, parse_count, parse_number

_CHI = r"(?:χ\s?²|χ\s?2|[Xx]\s?²|X2|x2|[Cc]hi\s?-?\s?(?:²|2|kwadraat|square))"
STAT = re.compile(
    rf"(?<![A-Za-z\d])(?:(?P<chi>{_CHI})\s*\(\s*(?P<chi_df>\d+)\s*"
    rf"(?:[,;]\s*[Nn]\s*=\s*(?P<chi_n>{COUNT}))?\s*\)"
    r"|(?P<F>F)\s*\(\s*(?P<df1>\d+(?:[.,]\d+)?)\s*[,;/]\s*(?P<df2>\d+(?:[.,]\d+)?)\s*\)"
    r"|(?P<t>t)\s*\(\s*(?P<t_df>\d+(?:[.,]\d+)?)\s*\)"
    r"|(?P<r>r)\s*\(\s*(?P<r_df>\d+)\s*\)"
    r"|(?P<z>[zZ]))"
    rf"\s*(?P<cmp>{CMP})\s*(?P<stat>{NUM})"
)
_STAT_DF = re.compile(
    rf"(?<![A-Za-z\d])(?P<name>{_CHI}|F|t|r)\s*(?P<cmp>{CMP})\s*(?P<stat>{NUM})\s*[,;]\s*"
    r"(?:df|vg|d\.f\.)\s*=\s*(?P<df1>\d+(?:[.,]\d+)?)(?:\s*[,;/]\s*(?P<df2>\d+(?:[.,]\d+)?))?"
    r"(?:\s*[,;]\s*[Nn]\s*=\s*(?P<n>\d+))?"
)
_P = re.compile(rf"(?<![A-Za-z])[pP]\s*(?P<cmp>{CMP})\s*(?P<p>{NUM})|(?<![A-Za-z])n\.\s?s\.|\bns\b")
_LOOSE_STAT = re.compile(
    rf"(?<![A-Za-z\d])(?P<name>{_CHI}|F|t|r)\s*(?:\((?P<inside>[^()]{{0,25}})\))?\s*{CMP}\s*{NUM}"
)
_ONE_SIDED = re.compile(r"eenzijdig|one[- ]?(?:tailed|sided)|1-tailed|directional", re.I)
_TWO_SIDED = re.compile(r"tweezijdig|two[- ]?(?:tailed|sided)|2-tailed", re.I)


def _p_of(kind: str, stat: float, df1: float, df2: float, tails: int) -> float:
    """Upper-tail p of a statistic (scipy.special: the distributions without scipy.stats)."""
    if kind == "chi2":
        return float(special.chdtrc(df1, stat))
    if kind == "F":
        return float(special.fdtrc(df1, df2, stat))
    if kind == "t":
        return tails * float(special.stdtr(df1, -abs(stat)))
    if kind == "r":
        r = min(abs(stat), 0.999999)
        t = r * math.sqrt(df1 / (1 - r * r))
        return tails * float(special.stdtr(df1, -t))
    return tails * float(special.ndtr(-abs(stat)))  # z


def pearson_chi2(counts: list[list[int]]) -> float:
    """Pearson's χ² of a contingency table (no continuity correction, as SPSS prints it)."""
    rows = [sum(r) for r in counts]
    cols = [sum(c) for c in zip(*counts, strict=True)]
    total = sum(rows)
    return sum(
        (counts[i][j] - rows[i] * cols[j] / total) ** 2 / (rows[i] * cols[j] / total)
        for i in range(len(rows))
        for j in range(len(cols))
        if rows[i] and cols[j]
    )


def _p_interval(kind: str, stat: Num, df1: float, df2: float, tails: int) -> tuple[float, float]:
    """(lowest, highest) p over the rounding interval of the printed statistic."""
    lo = max(abs(stat.value) - stat.half_unit, 0.0)
    hi = abs(stat.value) + stat.half_unit
    if kind == "r":
        hi = min(hi, 0.999999)
    return _p_of(kind, hi, df1, df2, tails), _p_of(kind, lo, df1, df2, tails)


def _p_consistent(p_cmp: str, p_rep: Num, p_lo: float, p_hi: float, test_cmp: str) -> bool:
    """statcheck's error test: can the printed p come from the recomputed p-interval?"""
    rep = p_rep.value
    cmp = {"≤": "<", "≥": ">"}.get(p_cmp, p_cmp)
    tcmp = {"≤": "<", "≥": ">"}.get(test_cmp, test_cmp)
    if tcmp == "<":  # the statistic is below its bound: the true p is at least p_hi's partner
        return not (cmp in "=<" and rep < round_half_up(p_lo, p_rep.decimals) - EPS)
    if tcmp == ">":
        return not (cmp in "=>" and rep > round_half_up(p_hi, p_rep.decimals) + EPS)
    if cmp == "=":
        if rep <= 0:
            return False
        low = round_half_up(p_lo, p_rep.decimals)
        high = round_half_up(p_hi, p_rep.decimals)
        return low - EPS <= rep <= high + EPS
    if cmp == "<":
        return p_lo <= rep + EPS
    return p_hi >= rep - EPS


def _reported_significant(p_cmp: str, rep: float) -> bool | None:
    """What the printed p says about significance at α; None when it does not say."""
    cmp = {"≤": "<", "≥": ">"}.get(p_cmp, p_cmp)
    below = rep <= ALPHA + EPS
    if cmp == "=":
        return below
    if cmp == "<":
        return True if below else None  # 'p < ,10' says nothing at α = ,05
    return False if rep >= ALPHA - EPS else None  # 'p > ,01' says nothing either


def _find_p(doc: Document, start: int, stop: int) -> re.Match | None:
    window = doc.flat[start : min(stop, start + 90)]
    lead = re.match(r"\s*[,;]\s*(?:[Nn]\s*=\s*[\d.]+\s*[,;]\s*)?", window)
    if lead and _P.match(window, lead.end()):  # 'χ² = 3,1; p = ,04': p right after
        return _P.match(doc.flat, start + lead.end())
    cut = window.find(";")
    if cut >= 0:
        window = window[:cut]
    m = _P.search(window)
    if m is None:
        return None
    return _P.match(doc.flat, start + m.start())


@dataclass(frozen=True)
class _Stat:
    """A test statistic found in the text, in either printed form."""

    start: int
    end: int
    kind: str
    label: str
    df1: float
    df2: float
    cmp: str
    stat: str
    n: int | None


def stat_matches(doc: Document, lo: int = 0, hi: int | None = None) -> list[_Stat]:
    """'χ²(2, N = 236) = 10,15' and SPSS-style 'χ² = 12,3; df = 2' forms, in text order."""
    if lo == 0 and hi is None:
        if "stats" not in doc.cache:
            doc.cache["stats"] = stat_matches(doc, 0, len(doc.flat))
        return doc.cache["stats"]
    hi = len(doc.flat) if hi is None else hi
    found = []
    for m in STAT.finditer(doc.flat, lo, hi):
        kind, label, df1, df2 = _stat_kind(m)
        n = parse_count(m.group("chi_n")) if m.group("chi_n") else None
        found.append(
            _Stat(m.start(), m.end(), kind, label, df1, df2, m.group("cmp"), m.group("stat"), n)
        )
    for m in _STAT_DF.finditer(doc.flat, lo, hi):
        name = m.group("name")
        kind = {"F": "F", "t": "t", "r": "r"}.get(name, "chi2")
        df1 = parse_number(m.group("df1")).value
        df2 = parse_number(m.group("df2")).value if m.group("df2") else math.nan
        if kind == "F" and math.isnan(df2):
            continue
        found.append(
            _Stat(
                m.start(),
                m.end(),
                kind,
                "χ²" if kind == "chi2" else kind,
                df1,
                df2,
                m.group("cmp"),
                m.group("stat"),
                int(m.group("n")) if m.group("n") else None,
            )
        )
    return sorted(found, key=lambda x: x.start)


def _stat_kind(m: re.Match) -> tuple[str, str, float, float]:
    if m.group("chi"):
        return "chi2", "χ²", float(m.group("chi_df")), math.nan
    if m.group("F"):
        return "F", "F", parse_number(m.group("df1")).value, parse_number(m.group("df2")).value
    if m.group("t"):
        return "t", "t", parse_number(m.group("t_df")).value, math.nan
    if m.group("r"):
        return "r", "r", float(m.group("r_df")), math.nan
    return "z", "z", math.nan, math.nan


def rule_p_from_statistic(doc: Document) -> list[Finding]:
    """Recompute p from χ², F, t, r and z and compare with the printed p (statcheck)."""
    out: list[Finding] = []
    matches = stat_matches(doc)
    for i, m in enumerate(matches):
        kind, label, df1, df2 = m.kind, m.label, m.df1, m.df2
        nxt = matches[i + 1].start if i + 1 < len(matches) else len(doc.flat)
        pm = _find_p(doc, m.end, nxt)
        line = doc.line_of(m.start)
        if pm is None:
            if kind == "z":
                continue  # a bare z = … is often a score, not a test
            out.append(
                Finding(
                    line,
                    doc.snippet(m.start, m.end),
                    "p_from_statistic",
                    doc.snippet(m.start, m.end),
                    "–",
                    NOT_CHECKABLE,
                    "geen p-waarde afgedrukt bij deze toetsingsgrootheid",
                )
            )
            continue
        stmt = doc.snippet(m.start, pm.end())
        if pm.group("p") is None:  # "n.s."
            p_cmp, p_rep = ">", Num(ALPHA, 2, "n.s.")
        else:
            p_cmp, p_rep = pm.group("cmp"), parse_number(pm.group("p"))
        try:
            stat = parse_number(m.stat)
        except ValueError:
            continue
        reported = f"{label} = {nl(stat.value, stat.decimals)}, p {p_cmp} {p_rep.text}"
        if kind in ("chi2", "F") and stat.value < 0:
            out.append(
                Finding(
                    line,
                    stmt,
                    "p_from_statistic",
                    reported,
                    "–",
                    INCONSISTENT,
                    f"een {label}-waarde kan niet negatief zijn",
                )
            )
            continue
        if kind == "r" and abs(stat.value) > 1:
            out.append(
                Finding(
                    line,
                    stmt,
                    "p_from_statistic",
                    reported,
                    "–",
                    INCONSISTENT,
                    "een correlatie ligt tussen −1 en 1",
                )
            )
            continue
        if (kind != "z" and not df1 > 0) or (kind == "F" and not df2 > 0):
            out.append(
                Finding(
                    line,
                    stmt,
                    "p_from_statistic",
                    reported,
                    "–",
                    NOT_CHECKABLE,
                    "vrijheidsgraden van 0",
                )
            )
            continue
        sentence = doc.flat[slice(*doc.sentence_around(m.start))]
        one_sided_text = bool(_ONE_SIDED.search(sentence)) and not _TWO_SIDED.search(sentence)
        p_lo, p_hi = _p_interval(kind, stat, df1, df2, 2)
        ok2 = _p_consistent(p_cmp, p_rep, p_lo, p_hi, m.cmp)
        p_mid = _p_of(kind, abs(stat.value), df1, df2, 2)
        recomputed = p_text(p_lo, p_hi)
        verdict, reason = OK, ""
        if kind in ("t", "r", "z"):
            lo1, hi1 = p_lo / 2, p_hi / 2
            ok1 = _p_consistent(p_cmp, p_rep, lo1, hi1, m.cmp)
            if one_sided_text and ok1:
                recomputed = "eenzijdig " + p_text(lo1, hi1)
                reason = "eenzijdige toets, zoals de tekst zegt"
                ok2, p_mid = True, p_mid / 2
            elif one_sided_text and ok2:
                verdict, reason = (
                    INCONSISTENT,
                    ("de tekst noemt de toets eenzijdig, maar p is de tweezijdige waarde"),
                )
            elif not ok2 and ok1:
                verdict, reason = (
                    INCONSISTENT,
                    (
                        "p klopt alleen als eenzijdige toets, en de tekst zegt niet dat de toets "
                        "eenzijdig is"
                    ),
                )
                ok2 = None  # handled
        if ok2 is False:
            rep_sig = _reported_significant(p_cmp, p_rep.value)
            comp_sig = p_mid <= ALPHA + EPS
            if rep_sig is not None and rep_sig != comp_sig:
                verdict = DECISION_ERROR
                reason = (
                    "afgedrukt significant, herberekend niet"
                    if rep_sig
                    else "afgedrukt niet significant, herberekend wel"
                )
            else:
                verdict = INCONSISTENT
                reason = "p past niet bij de toetsingsgrootheid en de vrijheidsgraden"
            if kind == "chi2" and df1 >= 20:
                fits = [
                    d
                    for d in (1, 2, 3, 4)
                    if _p_consistent(p_cmp, p_rep, *_p_interval(kind, stat, d, df2, 2), m.cmp)
                ]
                if fits:
                    reason += f"; met df = {fits[0]} klopt p wel (staat N tussen haakjes?)"
        out.append(Finding(line, stmt, "p_from_statistic", reported, recomputed, verdict, reason))
    return out


def rule_df_plausible(doc: Document) -> list[Finding]:
    """χ² df that cannot be right: df ≥ N, or a df that looks like the sample size."""
    out: list[Finding] = []
    sizes = {parse_count(n) for n in re.findall(rf"\b[nN]\s*=\s*({COUNT})", doc.flat)}
    for m in stat_matches(doc):
        if m.kind != "chi2":
            continue
        df = int(m.df1)
        line = doc.line_of(m.start)
        stmt = doc.snippet(m.start, m.end)
        if m.n is not None:
            if df >= m.n:
                out.append(
                    Finding(
                        line,
                        stmt,
                        "df_plausible",
                        f"df = {df}, N = {m.n}",
                        f"df < {m.n}",
                        INCONSISTENT,
                        "χ² heeft minder vrijheidsgraden dan waarnemingen",
                    )
                )
            continue
        if df >= 20:
            hint = " (dat getal staat elders als n)" if df in sizes else ""
            out.append(
                Finding(
                    line,
                    stmt,
                    "df_plausible",
                    f"df = {df}",
                    "df = (rijen − 1) × (kolommen − 1)",
                    INCONSISTENT,
                    f"{df} vrijheidsgraden past bij geen gewone kruistabel; tussen haakjes staat "
                    f"wellicht N{hint} (een 2×2-tabel heeft df = 1)",
                )
            )
    return out


def rule_significance_wording(doc: Document) -> list[Finding]:
    """The words ('significant', 'voorspellend', 'niet significant') against the printed p."""
    claim = re.compile(r"(?<![A-Za-z])(significant\w*|voorspell\w*|predict\w*)", re.I)
    negation = re.compile(r"\b(niet|geen|not|no|non|zonder|nauwelijks)\b", re.I)
    hedge = re.compile(r"marginaal|marginal|trend|bijna significant|nipt", re.I)
    out: list[Finding] = []
    for s, e in doc.sentences:
        sentence = doc.flat[s:e]
        claims = list(claim.finditer(sentence))
        if not claims or hedge.search(sentence):
            continue
        polarity = {
            bool(negation.search(sentence[max(0, c.start() - 30) : c.start()])) for c in claims
        }
        if len(polarity) != 1:
            continue  # both a claim and its negation: which p goes with which is unclear
        negated = polarity.pop()
        for pm in _P.finditer(sentence):
            if pm.group("p") is None:
                continue
            cmp, p = pm.group("cmp"), parse_number(pm.group("p"))
            start = s + pm.start()
            stmt = doc.snippet(max(s, start - 60), s + pm.end())
            word = claims[0].group(0).lower()
            shows_sig = cmp in "=<≤" and p.value <= ALPHA + EPS
            if negated:
                ok = not shows_sig
                reason = "" if ok else f"de tekst zegt 'niet {word}', maar p ≤ ,05"
            else:
                ok = shows_sig
                reason = (
                    ""
                    if ok
                    else (
                        f"de tekst noemt het '{word}', maar p {cmp} {p.text} toont geen "
                        "significantie bij α = ,05"
                    )
                )
            out.append(
                Finding(
                    doc.line_of(start),
                    stmt,
                    "significance_wording",
                    f"'{'niet ' if negated else ''}{word}', p {cmp} {p.text}",
                    "significant" if shows_sig else "niet significant bij α = ,05",
                    OK if ok else INCONSISTENT,
                    reason,
                )
            )
    return out


def rule_unparsed_statistic(doc: Document) -> list[Finding]:
    """A statistic with a p-value that the strict patterns cannot read: listed, with why."""
    covered = [(m.start, m.end) for m in stat_matches(doc)]
    out: list[Finding] = []
    for m in _LOOSE_STAT.finditer(doc.flat):
        if any(s <= m.start() < e for s, e in covered):
            continue
        pm = _find_p(doc, m.end(), len(doc.flat))
        if pm is None or pm.start() - m.end() > 25:
            continue
        name, inside = m.group("name"), m.group("inside")
        if inside is None:
            reason = "geen vrijheidsgraden afgedrukt"
        else:
            reason = f"vrijheidsgraden '({inside})' niet leesbaar"
        if name == "r" and inside is None:
            continue  # r = … beside another test is an effect size, checked elsewhere
        out.append(
            Finding(
                doc.line_of(m.start()),
                doc.snippet(m.start(), pm.end()),
                "p_from_statistic",
                doc.snippet(m.start(), m.end()),
                "–",
                NOT_CHECKABLE,
                reason,
            )
        )
    return out


_MW_R = re.compile(
    rf"(?<![A-Za-z])[zZ]\s*=\s*(?P<z>{NUM})(?P<mid>[^;)]{{0,60}}?)(?<![A-Za-z])r\s*=\s*(?P<r>{NUM})"
)


def rule_effect_size_r(doc: Document) -> list[Finding]:
    """Mann–Whitney r = z / √N: check it when N is printed, else say which N it implies."""
    out: list[Finding] = []
    for m in _MW_R.finditer(doc.flat):
        z, r = parse_number(m.group("z")), parse_number(m.group("r"))
        stmt = doc.snippet(m.start(), m.end())
        line = doc.line_of(m.start())
        if abs(r.value) < EPS or abs(r.value) > 1:
            continue
        lo_z, hi_z = abs(z.value) - z.half_unit, abs(z.value) + z.half_unit
        lo_r, hi_r = max(abs(r.value) - r.half_unit, EPS), abs(r.value) + r.half_unit
        n_lo, n_hi = (lo_z / hi_r) ** 2, (hi_z / lo_r) ** 2
        seg = doc.flat[max(0, m.start() - 80) : m.end() + 40]
        nm = re.search(rf"\b[nN]\s*=\s*({COUNT})", seg)
        reported = f"z = {z.text}, r = {r.text}"
        if nm is None:
            out.append(
                Finding(
                    line,
                    stmt,
                    "effect_size_r",
                    reported,
                    f"N ≈ {round(z.value**2 / r.value**2)} ({math.ceil(n_lo)}–{math.floor(n_hi)})",
                    NOT_CHECKABLE,
                    "geen N afgedrukt; r = z/√N veronderstelt de N die hier staat "
                    "als herberekende waarde: vergelijk met de groepsgrootte",
                )
            )
            continue
        n = parse_count(nm.group(1))
        implied = abs(z.value) / math.sqrt(n)
        ok = abs(implied - abs(r.value)) <= r.half_unit + z.half_unit / math.sqrt(n) + EPS
        out.append(
            Finding(
                line,
                stmt,
                "effect_size_r",
                f"{reported}, N = {n}",
                f"|r| = {nl(implied, r.decimals + 1)}",
                OK if ok else INCONSISTENT,
                "" if ok else "r ≠ z/√N",
            )
        )
    return out


_EXP_B = re.compile(
    rf"(?<![A-Za-z])(?:β|B|b)\s*=\s*(?P<b>{NUM})\s*[,;]\s*"
    rf"(?:Exp\.?\s*\(?\s*(?:β|B)\s*\)?|OR|[Oo]dds ?ratio)\s*=\s*(?P<e>{NUM})"
)


_EXP_B_REV = re.compile(
    rf"(?:Exp\.?\s*\(?\s*(?:β|B)\s*\)?|OR|[Oo]dds ?ratio)\s*=\s*(?P<e>{NUM})\s*[,;]\s*"
    rf"(?<![A-Za-z])(?:β|B|b)\s*=\s*(?P<b>{NUM})"
)


def rule_exp_b(doc: Document) -> list[Finding]:
    """A logistic regression's Exp(B) (odds ratio) must be e to the power B."""
    out: list[Finding] = []
    spans = doc.windows(re.compile(r"Exp|OR|[Oo]dds"), 40, 40)
    found = [
        m for rx in (_EXP_B, _EXP_B_REV) for lo, hi in spans for m in rx.finditer(doc.flat, lo, hi)
    ]
    for m in found:
        b, e = parse_number(m.group("b")), parse_number(m.group("e"))
        if abs(b.value) > 50:
            continue  # no odds ratio is printed for such a B
        lo = round_half_up(math.exp(b.value - b.half_unit), e.decimals)
        hi = round_half_up(math.exp(b.value + b.half_unit), e.decimals)
        ok = lo - EPS <= e.value <= hi + EPS
        out.append(
            Finding(
                doc.line_of(m.start()),
                doc.snippet(m.start(), m.end()),
                "exp_b",
                f"B = {b.text}, Exp(B) = {e.text}",
                f"e^B = {nl(math.exp(b.value), e.decimals)}",
                OK if ok else INCONSISTENT,
                "" if ok else "Exp(B) ≠ e^B",
            )
        )
    return out


# --------------------------------------------------------------------------- shares and counts
