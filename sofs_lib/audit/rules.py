"""The audit's rules: each finds one kind of statement in a ``Document`` and checks it.

Every rule is a function ``rule(doc) -> list[Finding]`` registered in ``RULES`` with its
name, tolerance and source (``docs/audit.md`` is written from the same facts). A finding
is one row of the audit table: the line, the statement as printed, the check, the
reported and the recomputed value and a verdict:

- ``ok``: the printed figures agree within rounding;
- ``inconsistent``: they cannot all be right;
- ``decision error``: inconsistent, and the recomputed p falls on the other side of
  α = ,05 than the printed one (statcheck's term);
- ``not checkable``: it looks like a statistic but lacks what a check needs (the reason
  says what).

The statistical rules follow statcheck (Nuijten et al., 2016; Epskamp & Nuijten, R
package ``statcheck``): p is recomputed from the statistic and its df at both ends of the
statistic's rounding interval, and the printed p must fall within that p-interval after
rounding to its own decimals. The share and mean rules follow GRIM (Brown & Heathers,
2017): a share or mean of integers printed with d decimals for n cases must equal k/n for
some whole k, after rounding. They are written here with scipy rather than taken from
the ``statcheck``, ``grim`` and ``pysprite`` packages (see ``docs/audit.md`` for why).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from scipy import special

from sofs_lib.audit.parse import CMP, COUNT, NUM, Document, Num, parse_count, parse_number

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


@dataclass(frozen=True)
class Rule:
    """A named rule: what it checks, how much rounding it allows, where it comes from."""

    id: str
    label_nl: str
    tolerance: str
    source: str
    func: Callable[[Document], list[Finding]]


# --------------------------------------------------------------------------- formatting


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


def _p_text(p_lo: float, p_hi: float) -> str:
    lo, hi = nl_p(p_lo), nl_p(p_hi)
    if lo == hi:
        return f"p {lo}" if lo.startswith("<") else f"p = {lo}"
    return f"p = {lo} – {hi}"


def round_half_up(value: float, decimals: int) -> float:
    """Round as people and SPSS do (half away from zero), robust to binary fractions."""
    factor = 10.0**decimals
    return math.floor(abs(value) * factor + 0.5 + EPS) / factor * (1 if value >= 0 else -1)


# --------------------------------------------------------------------------- p from statistic

_CHI = r"(?:χ\s?²|χ\s?2|[Xx]\s?²|X2|x2|[Cc]hi\s?-?\s?(?:²|2|kwadraat|square))"
_STAT = re.compile(
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
    cmp = {"≤": "<", "≥": ">"}.get(p_cmp, p_cmp)
    if cmp in "=<":
        return rep <= ALPHA + EPS if cmp == "=" else rep <= ALPHA + EPS or None
    return False if rep >= ALPHA - EPS else None


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


def _stat_matches(doc: Document, lo: int = 0, hi: int | None = None) -> list[_Stat]:
    """'χ²(2, N = 236) = 10,15' and SPSS-style 'χ² = 12,3; df = 2' forms, in text order."""
    hi = len(doc.flat) if hi is None else hi
    found = []
    for m in _STAT.finditer(doc.flat, lo, hi):
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
    matches = _stat_matches(doc)
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
        recomputed = _p_text(p_lo, p_hi)
        verdict, reason = OK, ""
        if kind in ("t", "r", "z"):
            lo1, hi1 = p_lo / 2, p_hi / 2
            ok1 = _p_consistent(p_cmp, p_rep, lo1, hi1, m.cmp)
            if one_sided_text and ok1:
                recomputed = "eenzijdig " + _p_text(lo1, hi1)
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
    for m in _stat_matches(doc):
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
    covered = [(m.start, m.end) for m in _stat_matches(doc)]
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
    for m in [*_EXP_B.finditer(doc.flat), *_EXP_B_REV.finditer(doc.flat)]:
        b, e = parse_number(m.group("b")), parse_number(m.group("e"))
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

_PCT_NUM = r"\d{1,3}(?:[.,]\d+)?"
_PCT = re.compile(rf"(?<![\d.,])(?P<p>{_PCT_NUM})\s?%")
_RANGE_BEFORE = re.compile(r"\d\s?[-–]\s?$|\d\s?(?:tot|à|a|to)\s$")
_SHARE_FORMS = [
    re.compile(
        rf"(?<![\d.,])(?P<p>{_PCT_NUM})\s?%(?P<gap>(?:[^%()]|\([^%()/]{{0,40}}\)){{0,100}}?)"
        rf"\(\s*(?:n\s*=\s*)?"
        rf"(?P<k>{COUNT})\s*/\s*(?P<n>{COUNT})(?![\d/])"
    ),
    re.compile(
        rf"(?<![\d/.,])(?P<k>{COUNT})\s*/\s*(?P<n>{COUNT})\s*(?:[^\W\d]+\s*){{0,2}}"
        rf"\(\s*(?P<p>{_PCT_NUM})\s?%\s*\)"
    ),
    re.compile(
        rf"(?<![\d.,/])(?P<k>{COUNT})\s+(?:van|op|of|out of)\s+(?:de\s+|het\s+|the\s+)?"
        rf"(?P<n>{COUNT})\b[^%()\d]{{0,60}}?\(\s*(?P<p>{_PCT_NUM})\s?%\s*\)"
    ),
    re.compile(
        rf"(?<![\d.,])(?P<p>{_PCT_NUM})\s?%\s*\(\s*(?P<k>{COUNT})\s+(?:van|op|of|out of)\s+"
        rf"(?:de\s+|het\s+)?(?P<n>{COUNT})\b"
    ),
    re.compile(
        rf"(?<![\d.,])(?P<p>{_PCT_NUM})\s?%\s*[,;]\s*(?:n\s*=\s*)?(?P<k>{COUNT})\s*/\s*"
        rf"(?P<n>{COUNT})(?![\d/])"
    ),
]


def _is_range(doc: Document, start: int) -> bool:
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


def _share_finding(
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
    for form in _SHARE_FORMS:
        for m in form.finditer(doc.flat):
            key = (m.start("p"), m.start("k"))
            if key in seen or _is_range(doc, m.start("p")):
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
            out.append(_share_finding(doc, m.start(), m.end(), k, n, p))
    return out


_PAIR = re.compile(
    rf"(?<![\d.,/])(?P<k>{COUNT})\s+(?:[^\W\d]+\s+){{0,3}}?\(\s*(?P<p>{_PCT_NUM})\s?%\s*\)"
)
_OF_N = re.compile(rf"(?:[Vv]an de|[Oo]p|[Oo]ut of the|[Oo]f the)\s+(?P<n>{COUNT})\b")


def rule_counts_with_shares(doc: Document) -> list[Finding]:
    """'15 jongens (45,5%) en 18 meisjes (54,5%)': each k/n must round to its share, with n
    the sentence's 'van de N' / 'n = N', or the sum of the counts when the shares total 100%."""
    out: list[Finding] = []
    skip = _structured_spans(doc)
    for s, e in doc.sentences:
        if _in_spans(s, skip):
            continue
        sentence = doc.flat[s:e]
        pairs = []
        for m in _PAIR.finditer(sentence):
            if re.search(r"(?:van|op|of|/)\s*(?:de\s+|het\s+)?$", sentence[: m.start()]):
                continue
            pairs.append((m, parse_count(m.group("k")), parse_number(m.group("p"))))
        if not pairs:
            continue
        explicit = {parse_count(x.group("n")) for x in _OF_N.finditer(sentence)}
        explicit |= {parse_count(x.group("n")) for x in _N_EQ.finditer(sentence)}
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
            f = _share_finding(doc, s + m.start(), s + m.end(), k, n, p)
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


def _total_finding(
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


def _in_spans(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def rule_shares_total_100(doc: Document) -> list[Finding]:
    """Shares of one split printed in one sentence must total 100% within rounding."""
    out: list[Finding] = []
    skip = _structured_spans(doc)
    for s, e in doc.sentences:
        if _in_spans(s, skip):
            continue
        found = [
            (m, parse_number(m.group("p")))
            for m in _PCT.finditer(doc.flat, s, e)
            if not _is_range(doc, m.start())
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
                _total_finding(
                    doc, found[0][0].start(), found[-1][0].end(), "shares_total_100", values
                )
            )
            continue
        for (m1, p1), (m2, p2) in zip(found, found[1:], strict=False):
            pair = p1.value + p2.value
            if abs(pair - 100) <= 1.5 and abs(pair - 100) > p1.half_unit + p2.half_unit + EPS:
                out.append(_total_finding(doc, m1.start(), m2.end(), "shares_total_100", [p1, p2]))
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
    for m in _PARTS.finditer(doc.flat):
        parts = [parse_count(x) for x in _PART_NUM.findall(m.group("parts"))]
        f = _parts_finding(doc, m.start(), m.end(), parse_count(m.group("total")), parts)
        if f:
            out.append(f)
    for s, e in doc.sentences:
        sentence = doc.flat[s:e]
        for m in _TOTAL_AFTER.finditer(sentence):
            before = re.split(r"\b(?:waarvan|van wie|of which)\b", sentence[: m.start()])[-1]
            parts = [parse_count(x) for x in _PART_NUM.findall(before)]
            f = _parts_finding(doc, s, s + m.end(), parse_count(m.group("total")), parts)
            if f:
                out.append(f)
    return out


_MEAN = re.compile(
    rf"(?<![A-Za-z])(?:M|gemiddelde|gemiddeld|mean|average)\s*(?:=|:|van|is|of)?\s*(?P<m>{NUM})"
    r"(?!\s?%)"
)
_N_EQ = re.compile(rf"(?<![A-Za-z])[nN]\s*=\s*(?P<n>{COUNT})(?![.,]\d)")


def rule_mean_possible(doc: Document) -> list[Finding]:
    """GRIM for a mean of whole numbers (counts, single items) with its n in the sentence."""
    out: list[Finding] = []
    for s, e in doc.sentences:
        sentence = doc.flat[s:e]
        ns = {parse_count(x.group("n")) for x in _N_EQ.finditer(sentence)}
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

_ITEM = re.compile(rf"^\s*[-•*–]?\s*(?P<p>{_PCT_NUM})\s?%\s*(?P<rest>.*)$")
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
        if m and (text[0] in "-•*–" or re.match(rf"^{_PCT_NUM}\s?%\s+\S", text)):
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


def _line_span(doc: Document, first: int, last: int) -> tuple[int, int]:
    start = doc.offset_of(first)
    end = doc.offset_of(last) + len(doc.lines[last - 1])
    return start, end


def rule_list_totals(doc: Document) -> list[Finding]:
    """A list of shares (and counts) of one split: shares total 100%, counts total n."""
    out: list[Finding] = []
    for block in _list_blocks(doc):
        top = [it for it in block if it.parent is None]
        start, end = _line_span(doc, block[0].line, block[-1].line)
        total = sum(it.p.value for it in top)
        if len(top) >= 2 and abs(total - 100) <= 5:
            out.append(_total_finding(doc, start, end, "shares_total_100", [it.p for it in top]))
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
                _total_finding(
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
                if re.search(rf"^[-•*–\s]*{_PCT_NUM}\s?%\s*(?:{rx})\b", it.text, re.I)
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


_CAPTION = re.compile(r"^\s*(?:Tabel|Table)\s+\d+\s*[.:]", re.I)
_FIG_CAPTION = re.compile(r"^\s*(?:Figuur|Figure|Grafiek)\s+\d+\s*[.:]", re.I)
_NOTE = re.compile(r"^\s*(?:Noot|Note|Bron|Source)\b", re.I)


@dataclass
class _Table:
    caption_line: int
    first: int  # first line after the caption
    last: int
    n: int | None


def _tables(doc: Document) -> list[_Table]:
    if "tables" not in doc.cache:
        doc.cache["tables"] = _find_tables(doc)
    return doc.cache["tables"]


def _find_tables(doc: Document) -> list[_Table]:
    tables = []
    lines = doc.lines
    i = 0
    while i < len(lines):
        if not _CAPTION.match(lines[i]):
            i += 1
            continue
        caption = lines[i]
        j = i + 1
        if caption.count("(") > caption.count(")"):
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines):
                caption += " " + lines[j]
                j += 1
        nm = _N_EQ.search(caption)
        prose = 0
        k = j
        while k < len(lines):
            text = lines[k].strip()
            if _NOTE.match(text) or _CAPTION.match(text) or _FIG_CAPTION.match(text):
                break
            if len(text) >= 85 and not re.match(r"^[-•*–]", text):
                prose += 1
                if prose >= 3:
                    k -= 2
                    break
            elif text:
                prose = 0
            k += 1
        tables.append(_Table(i + 1, j + 1, k, parse_count(nm.group("n")) if nm else None))
        i = max(k, i + 1)
    return tables


def _structured_spans(doc: Document) -> list[tuple[int, int]]:
    if "spans" in doc.cache:
        return doc.cache["spans"]
    spans = []
    for t in _tables(doc):
        spans.append(_line_span(doc, t.caption_line, max(t.last, t.caption_line)))
    doc.cache["spans"] = spans
    return spans


_CELL = rf"(?:\d+(?:[.,]\d+)?|/)(?:\s*\(\s*{_PCT_NUM}\s?%\s*\))?"
_DASH_ROW = re.compile(rf"(?P<series>{_CELL}(?:\s*[-–]\s*{_CELL}){{2,}})\s*$")
_KP_ROW = re.compile(
    rf"^(?P<label>.*?\S)\s+(?P<k>{COUNT}|/)\s*(?:\(\s*(?P<p>{_PCT_NUM})\s?%\s*\))?\s*$"
)
_CELL_RX = re.compile(rf"(?P<v>\d+(?:[.,]\d+)?|/)(?:\s*\(\s*(?P<p>{_PCT_NUM})\s?%\s*\))?")


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
    for table in _tables(doc):
        out.extend(_dash_table(doc, table))
        out.extend(_count_share_table(doc, table))
        out.extend(_percent_columns_table(doc, table))
    return out


def _dash_table(doc: Document, table: _Table) -> list[Finding]:
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
        start, end = _line_span(doc, block[0][0], block[-1][0])
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
                    f = _share_finding(
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
                        doc.snippet(*_line_span(doc, ln, ln)),
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


def _count_share_table(doc: Document, table: _Table) -> list[Finding]:
    """Rows 'label k (p%)' under headings, one column, with the table's n."""
    if table.n is None:
        return []
    out: list[Finding] = []
    block: list[tuple[int, int, Num | None]] = []

    def close() -> None:
        with_p = [b for b in block if b[2] is not None]
        if len(with_p) >= 2:
            s = sum(k for _, k, _ in block)
            start, end = _line_span(doc, block[0][0], block[-1][0])
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
                s, e = _line_span(doc, ln, ln)
                f = _share_finding(doc, s, e, k, table.n, p)
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


def _percent_columns_table(doc: Document, table: _Table) -> list[Finding]:
    """A table of column percentages with '(n = …)' per column: GRIM, 100%, and its χ²."""
    header_ns: list[int] = []
    rows: list[tuple[int, list[Num]]] = []
    for ln in range(table.first, table.last + 1):
        text = doc.lines[ln - 1].strip()
        if not rows:
            header_ns += [parse_count(x.group("n")) for x in _N_EQ.finditer(text)]
        m = re.search(rf"(?P<vals>(?:\s+{_PCT_NUM}){{2,}})\s*$", " " + text)
        if m and len(header_ns) >= 2:
            vals = [parse_number(v) for v in m.group("vals").split()]
            if len(vals) == len(header_ns):
                rows.append((ln, vals))
    if len(header_ns) < 2:
        return []
    out: list[Finding] = []
    cap_start, _ = _line_span(doc, table.caption_line, table.caption_line)
    if table.n is not None:
        s = sum(header_ns)
        if abs(s - table.n) <= 0.1 * table.n:
            out.append(
                Finding(
                    table.caption_line,
                    doc.snippet(*_line_span(doc, table.caption_line, table.first + 2), 160),
                    "parts_sum_to_total",
                    " + ".join(map(str, header_ns)) + f" = {s}",
                    f"{table.n} (n in de titel)",
                    OK if s == table.n else INCONSISTENT,
                    "" if s == table.n else f"de kolommen tellen op tot {s}, niet {table.n}",
                )
            )
    if len(rows) < 2:
        return out
    start, end = _line_span(doc, rows[0][0], rows[-1][0])
    for col, n in enumerate(header_ns):
        values = [vals[col] for _, vals in rows]
        out.append(_total_finding(doc, start, end, "shares_total_100", values))
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
                    doc.snippet(*_line_span(doc, ln, ln)),
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
    doc: Document, table: _Table, ns: list[int], rows: list[tuple[int, list[Num]]]
) -> list[Finding]:
    """The χ² printed beside a percentage table, recomputed from the table (and its df)."""
    lo = doc.offset_of(max(1, table.caption_line - 12))
    hi = doc.offset_of(min(len(doc.lines), table.last + 12))
    chis = [m for m in _stat_matches(doc, lo, hi) if m.kind == "chi2"]
    if len(chis) != 1:
        return []
    m = chis[0]
    counts = [[round(vals[c].value * ns[c] / 100) for c in range(len(ns))] for _, vals in rows]
    counts = [r for r in counts if any(r)]
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


_FIG_VALUE = re.compile(rf"^\s*(?P<v>{_PCT_NUM})\s?%?\s*$")


def rule_figure_values(doc: Document) -> list[Finding]:
    """Data labels of a percentage figure (lines of bare numbers before its caption) total 100."""
    out: list[Finding] = []
    lines = doc.lines
    for idx, text in enumerate(lines):
        if not _FIG_CAPTION.match(text):
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
        start, end = _line_span(doc, values[0][0], values[-1][0])
        f = _total_finding(doc, start, end, "shares_total_100", [v for _, v in values])
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


RULES: tuple[Rule, ...] = (
    Rule(
        "p_from_statistic",
        "p herberekend uit de toetsingsgrootheid",
        "statistiek ± een halve eenheid van de laatste decimaal; p afgerond op zijn eigen "
        "decimalen; α = ,05 (p = ,05 telt als significant)",
        "statcheck (Nuijten et al., 2016)",
        lambda d: rule_p_from_statistic(d) + rule_unparsed_statistic(d),
    ),
    Rule(
        "df_plausible",
        "vrijheidsgraden mogelijk",
        "exact",
        "statcheck-uitbreiding; (r − 1)(k − 1) voor kruistabellen",
        rule_df_plausible,
    ),
    Rule(
        "significance_wording",
        "woorden en p",
        "α = ,05",
        "statcheck (decision errors)",
        rule_significance_wording,
    ),
    Rule(
        "effect_size_r",
        "r = z/√N (Mann-Whitney)",
        "afronding van z en r",
        "Rosenthal (1991); Field",
        rule_effect_size_r,
    ),
    Rule("exp_b", "Exp(B) = e^B", "afronding van B", "definitie", rule_exp_b),
    Rule(
        "share_of_count",
        "aandeel past bij aantal en n",
        "halve eenheid van de laatste decimaal",
        "GRIM (Brown & Heathers, 2017)",
        lambda d: rule_share_of_count(d) + rule_counts_with_shares(d),
    ),
    Rule(
        "shares_total_100",
        "aandelen tellen op tot 100%",
        "som van de halve eenheden",
        "afronding",
        lambda d: rule_shares_total_100(d) + rule_figure_values(d),
    ),
    Rule(
        "parts_sum_to_total",
        "delen tellen op tot het totaal",
        "exact",
        "rekenkunde",
        rule_parts_sum_to_total,
    ),
    Rule(
        "mean_possible", "gemiddelde mogelijk voor n", "halve eenheid", "GRIM", rule_mean_possible
    ),
    Rule(
        "tables",
        "tabellen: rijen, kolommen, n, M en χ²",
        "exact voor aantallen; GRIM voor aandelen; 2% voor χ² uit afgeronde percentages",
        "GRIM; rekenkunde",
        lambda d: rule_list_totals(d) + rule_tables(d),
    ),
)
