"""Dutch sentences about the data, generated from the same frames the tables show.

A notebook may state a number, a direction or a significance about the data only
through this module: each function takes the indicator frames (or test results) a
notebook also displays, and writes the sentence with the same formats as the tables
(``28,4% (67/236)``, ``3,39``, ``χ²(2, N = 236) = 13,46, p = ,001``). So the prose can
never contradict the table beside it, on any export. Fixed text in a notebook describes
only methods and the report's own figures (marked **Rapport**).

Every function returns a :class:`Narrative` (a ``str`` that Jupyter shows as Markdown).
A figure whose population is empty reads "niet te berekenen" with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from sofs_lib.formatting import fmt_count_of, fmt_int, fmt_number, fmt_pct

ALPHA = 0.05
NOT_COMPUTABLE = "niet te berekenen"


class Narrative(str):
    """Generated Dutch text, shown as Markdown in a notebook."""

    def _repr_markdown_(self) -> str:
        return str(self)


def bullets(lines: Iterable[str]) -> Narrative:
    """Sentences as a Markdown bullet list (empty sentences dropped)."""
    return Narrative("\n".join(f"- {line}" for line in lines if line))


# --------------------------------------------------------------------------- building blocks


def _label(value: object) -> str:
    from sofs_lib.figures import value_label

    return value_label(value)


def _row(frame: pd.DataFrame, **where: object) -> pd.Series | None:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column].eq(value).fillna(False).astype(bool)
    rows = frame[mask]
    return rows.iloc[0] if len(rows) == 1 else None


def share_of(frame: pd.DataFrame, **where: object) -> str:
    """``28,4% (67/236)``, as ``figures.share_text``; ``niet te berekenen`` when empty."""
    row = _row(frame, **where)
    if row is None or pd.isna(row["share"]) or not row["denominator"]:
        return f"{NOT_COMPUTABLE} (geen trajecten in deze groep)"
    return (
        f"{fmt_pct(row['share'])} ({fmt_count_of(int(row['numerator']), int(row['denominator']))})"
    )


def _share(frame: pd.DataFrame, **where: object) -> float:
    row = _row(frame, **where)
    return math.nan if row is None or pd.isna(row["share"]) else float(row["share"])


def portion(share: float) -> str:
    """A share in words (``bijna alle``, ``de meeste``, ``ongeveer de helft van de`` ...)."""
    if share is None or math.isnan(share):
        return NOT_COMPUTABLE
    if share >= 0.9:
        return "bijna alle"
    if share >= 0.6:
        return "de meeste"
    if share > 0.55:
        return "iets meer dan de helft van de"
    if share >= 0.45:
        return "ongeveer de helft van de"
    if share >= 0.4:
        return "iets minder dan de helft van de"
    if share >= 0.1:
        return "een minderheid van de"
    return "bijna geen"


def significance(result) -> str:
    """``significant (χ²(…) = …, p = ,001)`` or ``niet significant (…)``; why not, if not."""
    if result is None or not getattr(result, "ok", False):
        reason = getattr(getattr(result, "reason", None), "nl", None) or "geen toets mogelijk"
        return f"{NOT_COMPUTABLE} ({reason})"
    word = "significant" if result.p_value < ALPHA else "niet significant"
    return f"{word} ({result.apa('nl')})"


# --------------------------------------------------------------------------- 00 quality


def calibration_summary(table: pd.DataFrame) -> Narrative:
    """What the calibration table says, in one or two sentences (any data, any period)."""
    judged = table["pass"].notna()
    within = int(table["pass"].fillna(False).astype(bool).sum())
    outside = table.loc[judged & ~table["pass"].fillna(True).astype(bool), "id"].tolist()
    label = str(table.attrs.get("data_label", "deze data"))
    notes = list(table.attrs.get("period_notes", []))
    if int(judged.sum()) == 0:
        text = (
            f"Geen enkel cijfer is beoordeeld: deze data ({label}) is niet de periode van "
            "het rapport. " + " ".join(notes)
        )
        return Narrative(text.strip())
    text = (
        f"Van de {int(judged.sum())} beoordeelde cijfers liggen er {within} binnen hun "
        f"tolerantie in deze data ({label})"
    )
    if outside:
        text += f"; {len(outside)} erbuiten: {', '.join(outside)}."
    else:
        text += "; geen enkel erbuiten."
    if notes:
        text += " " + " ".join(notes)
    return Narrative(text)


def blank_columns(report: Mapping, headers: Mapping[str, str], top: int = 3) -> Narrative:
    """The export columns with the most empty cells (the quality report's ``columns``)."""
    columns = report.get("columns", {})
    names = {key: header for header, key in headers.items()}
    rows = []
    for key, counts in columns.items():
        total = sum(int(v) for v in counts.values())
        rows.append((int(counts.get("blank", 0)), total, names.get(key, key)))
    rows = [r for r in rows if r[0] > 0]
    if not rows:
        return Narrative("Geen enkele kolom van deze export heeft lege cellen.")
    rows.sort(key=lambda r: (-r[0], r[2]))
    parts = [f"*{h}* ({fmt_int(b)} van {fmt_int(t)} cellen leeg)" for b, t, h in rows[:top]]
    return Narrative(
        "In deze export hebben deze kolommen de meeste lege cellen: " + ", ".join(parts) + "."
    )


# --------------------------------------------------------------------------- 01 Binc


def binc_paths(shapes: pd.DataFrame) -> Narrative:
    """Sole module, before and after paths (``profiles.path_shapes``)."""
    sole = _share(shapes, category="enige module")
    before = _share(shapes, category="voortraject")
    after = _share(shapes, category="natraject")
    rarely = "zelden" if sole < 0.25 else ("soms" if sole < 0.5 else "vaak")
    return bullets(
        [
            f"CB SofS is {rarely} de enige module van een kind: "
            f"{share_of(shapes, category='enige module')} van de kinderen kreeg geen andere.",
            f"{portion(before).capitalize()} kinderen heeft een voortraject "
            f"({share_of(shapes, category='voortraject')}); "
            f"{share_of(shapes, category='natraject')} heeft een natraject"
            + (" (een minderheid)." if after < 0.5 else "."),
        ]
    )


def binc_not_registered(table5: pd.DataFrame, nvt: str, missing: str) -> Narrative:
    """How much of Table 5 is "Niet van toepassing" or missing, per variable."""
    parts = []
    for category, word in ((nvt, "Niet van toepassing"), (missing, "ontbrekend")):
        rows = table5[table5["category"].eq(category)]
        if rows.empty or rows["share"].isna().all():
            continue
        top = rows.loc[rows["share"].idxmax()]
        n_half = int((rows["share"] >= 0.5).sum())
        parts.append(
            f'"{word}": het hoogst bij *{top["variable_nl"]}* met {fmt_pct(top["share"])} '
            f"({fmt_count_of(int(top['numerator']), int(top['denominator']))}); bij {n_half} "
            f"kenmerk(en) geldt dat voor minstens de helft van de kinderen"
        )
    if not parts:
        return Narrative('Geen kenmerk staat als "Niet van toepassing" of ontbrekend.')
    return bullets(p + "." for p in parts)


# --------------------------------------------------------------------------- 02 fidelity


def step_extremes(rates: pd.DataFrame, status: str = "closed", n: int = 3) -> Narrative:
    """The most and the least taken steps (``indicators.step_rates(..., by=["status"])``)."""
    rows = rates[rates["status"].eq(status) & rates["share"].notna()]
    if rows.empty:
        return Narrative(
            f"Welke stappen het vaakst gezet worden, is {NOT_COMPUTABLE}: geen "
            f"{_label(status).lower()} trajecten met een ingevulde stap."
        )
    ordered = rows.sort_values(["share", "step"], ascending=[False, True], kind="stable")
    n = min(n, len(ordered) // 2) or 1

    def listed(part: pd.DataFrame) -> str:
        return ", ".join(
            f"{_label(r.step).lower()} ({fmt_pct(r.share)})" for r in part.itertuples()
        )

    return Narrative(
        f"In de {_label(status).lower()} trajecten worden het vaakst gezet: "
        f"{listed(ordered.head(n))}; het minst: {listed(ordered.tail(n).iloc[::-1])}."
    )


def guidelines(meetings: pd.DataFrame, duration: pd.DataFrame) -> Narrative:
    """The 6–12 meetings guideline and the 4–8 months duration guideline."""
    six = _share(meetings, indicator="meetings_6_plus")
    over = _share(duration, indicator="duration_over_8")
    who = "een minderheid" if six < 0.5 else "een meerderheid"
    return bullets(
        [
            f"6 of meer netwerkberaden (richtlijn 6 tot 12): "
            f"{share_of(meetings, indicator='meetings_6_plus')} van de trajecten met een "
            f"bruikbaar aantal, {who}."
            if not math.isnan(six)
            else f"6 of meer netwerkberaden: {NOT_COMPUTABLE} (geen bruikbaar aantal).",
            f"Langer dan 8 maanden (richtlijn 4 tot 8): "
            f"{share_of(duration, indicator='duration_over_8')} van de afgesloten trajecten."
            if not math.isnan(over)
            else f"Duurtijd: {NOT_COMPUTABLE} (geen afgesloten trajecten).",
        ]
    )


def plan_associations(
    tests: Mapping, mann_whitney: Mapping, report_z: Mapping[str, float]
) -> Narrative:
    """The χ² tests of steps × safety plan and the Mann–Whitney z against the report's."""
    ok = [r for r in tests.values() if getattr(r, "ok", False)]
    sig = [r for r in ok if r.p_value < ALPHA]
    lines = [
        f"{len(sig)} van de {len(tests)} kruistabellen van netwerkberaad of woord- en "
        f"beeldverhaal met een veiligheidsplan zijn significant (p < ,05)"
        + (
            f"; {len(tests) - len(ok)} kon(den) niet berekend worden."
            if len(ok) < len(tests)
            else "."
        )
        + " Een samenhang is geen bewijs dat het ene het andere veroorzaakt."
    ]
    for variable, res in mann_whitney.items():
        name = _label(variable)
        if not getattr(res, "ok", False):
            lines.append(f"Mann–Whitney voor {name.lower()}: {significance(res)}.")
            continue
        z = float(res.z)
        ref = report_z.get(variable, math.nan)
        text = f"Mann–Whitney voor {name.lower()}: {significance(res)}"
        if not math.isnan(ref):
            same = (z < 0) == (ref < 0)
            stronger = abs(z) > abs(ref)
            text += (
                f"; het rapport gaf z = {fmt_number(ref, 2)}: richting "
                f"{'dezelfde' if same else 'omgekeerd'}, samenhang "
                f"{'sterker' if stronger else 'zwakker'} in deze data"
            )
        lines.append(text + ".")
    return bullets(lines)


def versus_report(label: str, frame: pd.DataFrame, report_pct: float, **where: object) -> Narrative:
    """One share of this data beside the report's printed percentage."""
    value = _share(frame, **where)
    if math.isnan(value):
        return Narrative(
            f"{label}: {NOT_COMPUTABLE} in deze data; het rapport gaf {fmt_number(report_pct, 1)}%."
        )
    diff = 100 * value - report_pct
    how = "gelijk aan" if abs(diff) < 0.05 else ("hoger dan" if diff > 0 else "lager dan")
    return Narrative(
        f"{label}: {share_of(frame, **where)} in deze data, {how} de "
        f"{fmt_number(report_pct, 1)}% van het rapport."
    )


# --------------------------------------------------------------------------- 03 partnership


def presence_ranges(presence: pd.DataFrame, registering: pd.DataFrame | None = None) -> Narrative:
    """The CB's and the consulent's presence over the steps (``indicators.step_presence``)."""

    def span(frame: pd.DataFrame, person: str) -> tuple[str, float]:
        rows = frame[frame["person"].eq(person) & frame["share"].notna()]
        if rows.empty:
            return NOT_COMPUTABLE, math.nan
        lo, hi = rows["share"].min(), rows["share"].max()
        return f"{fmt_pct(lo)} tot {fmt_pct(hi)}", float(rows["share"].mean())

    cb, cb_mean = span(presence, "cb")
    cons, cons_mean = span(presence, "consulent")
    lines = [
        f"Per stap is de CB aanwezig in {cb} van de trajecten waarin de stap gezet werd, "
        f"de consulent in {cons}."
    ]
    if registering is not None:
        cb_r, cb_r_mean = span(registering, "cb")
        cons_r, cons_r_mean = span(registering, "consulent")
        gap_all, gap_reg = cb_mean - cons_mean, cb_r_mean - cons_r_mean
        if math.isnan(gap_reg) or math.isnan(gap_all):
            lines.append(f"In de organisaties waar consulenten registreren: {NOT_COMPUTABLE}.")
        else:
            how = (
                "kleiner"
                if gap_reg < gap_all
                else ("even groot" if gap_reg == gap_all else "groter")
            )
            lines.append(
                f"In de organisaties waar consulenten wel registreren: de CB {cb_r}, de "
                f"consulent {cons_r}; het verschil tussen beiden is daar {how}."
            )
    return bullets(lines)


def consulent_registration(without) -> Narrative:
    """Organisations where consulents registered nothing (``organisations_without_consulent``)."""
    if not without.total:
        return Narrative(f"Organisaties zonder registraties van consulenten: {NOT_COMPUTABLE}.")
    if not without.count:
        return Narrative(
            "In elke organisatie registreerden consulenten minstens één stap; het "
            "partnerschap is in alle organisaties uit het dashboard te lezen."
        )
    return Narrative(
        f"In {without.count} van de {without.total} organisaties registreerden consulenten "
        "niets: de aanwezigheid van consulenten is een ondergrens, en het partnerschap is "
        "alleen per organisatie betrouwbaar te lezen, samen met de mensen die registreren."
    )


# --------------------------------------------------------------------------- 04 trends


def _years_text(shares: pd.DataFrame, x: str = "closing_year") -> tuple[list[int], str]:
    years = sorted(int(y) for y in shares[x].dropna().unique())
    return years, "/".join(map(str, years))


def trend_shares_text(shares: pd.DataFrame, indicator: str, key: str | None, label: str) -> str:
    """``40,0/55,7/55,3% (2021/2022/2023)`` for one figure of ``TrendResult.shares``."""
    mask = shares["indicator"].eq(indicator)
    mask &= shares["key"].isna() if key is None else shares["key"].eq(key)
    rows = shares[mask].sort_values("closing_year")
    if rows.empty:
        return f"{label}: {NOT_COMPUTABLE} (geen afgesloten trajecten)"
    cells = "; ".join(
        f"{int(r.closing_year)}: " + (fmt_pct(r.share) if not pd.isna(r.share) else NOT_COMPUTABLE)
        for r in rows.itertuples()
    )
    return f"{label}: {cells}"


def trend_direction(trend, indicator: str, key: str | None, label: str) -> str:
    """Direction from the first to the last closing year of one share, with its test."""
    shares = trend.shares
    mask = shares["indicator"].eq(indicator)
    mask &= shares["key"].isna() if key is None else shares["key"].eq(key)
    rows = shares[mask & shares["share"].notna()].sort_values("closing_year")
    if len(rows) < 2:
        return f"{label}: {NOT_COMPUTABLE} (minder dan twee jaren met gegevens)"
    first, last = rows.iloc[0], rows.iloc[-1]
    if fmt_pct(first.share) == fmt_pct(last.share):
        word = "even vaak"
    else:
        word = "vaker" if last.share > first.share else "minder vaak"
    return (
        f"{label} in later afgesloten trajecten {word}: {fmt_pct(first.share)} in "
        f"{int(first.closing_year)}, {fmt_pct(last.share)} in {int(last.closing_year)}; "
        f"{significance(trend.results.get((indicator, key)))}"
    )


def trend_mean_direction(trend, indicator: str, label: str, unit: str = "") -> str:
    """Direction of a mean from the first to the last closing year, with the ANOVA."""
    rows = trend.means[trend.means["indicator"].eq(indicator) & trend.means["mean"].notna()]
    rows = rows.sort_values("closing_year")
    if len(rows) < 2:
        return f"{label}: {NOT_COMPUTABLE} (minder dan twee jaren met gegevens)"
    first, last = rows.iloc[0], rows.iloc[-1]
    a, b = fmt_number(first["mean"], 2), fmt_number(last["mean"], 2)
    unit = f" {unit}" if unit else ""
    test = significance(trend.results.get((indicator, None)))
    y0, y1 = int(first["closing_year"]), int(last["closing_year"])
    if a == b:  # the same as the table shows it
        return f"{label} is {a}{unit} in {y0} en in {y1}; {test}"
    word = "stijgt" if last["mean"] > first["mean"] else "daalt"
    return f"{label} {word} van {a}{unit} in {y0} tot {b}{unit} in {y1}; {test}"


def plan_b_kinds_by_year(shares: pd.DataFrame) -> Narrative:
    """The share of network plan B among trajectories where plan B came into effect."""
    rows = shares[shares["indicator"].eq("plan_b_type_in_effect") & shares["key"].eq("network")]
    rows = rows[rows["share"].notna()].sort_values("closing_year")
    if rows.empty:
        return Narrative(
            f"Soort plan B in werking per jaar: {NOT_COMPUTABLE} (plan B trad in "
            "geen enkel afgesloten traject in werking)."
        )
    spread = rows["share"].max() - rows["share"].min()
    how = "ongeveer gelijk in elk jaar" if spread < 0.10 else "verschillend van jaar tot jaar"
    cells = "; ".join(f"{int(r.closing_year)}: {fmt_pct(r.share)}" for r in rows.itertuples())
    return Narrative(
        f"In deze data is het aandeel netwerk onder de trajecten waar plan B in werking trad "
        f"{how} ({cells})."
    )


def smallest_year(trend) -> str:
    """The closing year with the fewest closed trajectories (it weighs on the tests)."""
    rows = trend.shares[trend.shares["indicator"].eq("all_steps")]
    if rows.empty:
        return ""
    row = rows.loc[rows["denominator"].idxmin()]
    return (
        f"Het afsluitjaar met de minste afgesloten trajecten is {int(row['closing_year'])} "
        f"(n = {fmt_int(row['denominator'])}); zo'n jaar weegt zwaar op de toetsen"
    )


def trend_takeaways(trend) -> Narrative:
    """What the trends say, for the closing years in the data."""
    lines = [
        trend_direction(
            trend, "step_taken", "safety_plan_adult", "Een veiligheidsplan voor volwassenen komt"
        ),
        trend_mean_direction(trend, "network_meetings", "Het gemiddelde aantal netwerkberaden"),
        trend_mean_direction(trend, "duration_months", "De gemiddelde duurtijd", "maanden"),
        smallest_year(trend),
    ]
    return bullets(line + "." for line in lines if line)


# --------------------------------------------------------------------------- 05 plan B


def plan_b_takeaways(
    at_start: pd.DataFrame, in_effect: pd.DataFrame, at_or_before: pd.DataFrame
) -> Narrative:
    """Plan B at the start (open trajectories), in effect, and starting in plan B."""
    blank = _share(at_start, status="open", plan_b="none")
    decided = 1 - blank if not math.isnan(blank) else math.nan
    effect = _share(in_effect)
    lines = [
        f"Bij de start is plan B bepaald in {portion(decided)} open trajecten: netwerk "
        f"{share_of(at_start, status='open', plan_b='network')}, verblijf "
        f"{share_of(at_start, status='open', plan_b='residential')}; leeg in "
        f"{share_of(at_start, status='open', plan_b='none')}. Een leeg veld is dus niet "
        "zonder meer een registratiefout (het rapport, r. 5250: soms bewust).",
        f"Plan B trad in werking in {share_of(in_effect)} van de afgesloten trajecten"
        + (f" ({portion(effect)} trajecten)" if not math.isnan(effect) else "")
        + f"; van de trajecten met een datum ervan lag die datum voor of op de start in "
        f"{share_of(at_or_before)}: die trajecten starten in plan B.",
    ]
    return bullets(lines)


__all__: Sequence[str] = (
    "Narrative",
    "bullets",
    "share_of",
    "portion",
    "significance",
    "calibration_summary",
    "blank_columns",
    "binc_paths",
    "binc_not_registered",
    "step_extremes",
    "guidelines",
    "plan_associations",
    "versus_report",
    "presence_ranges",
    "consulent_registration",
    "trend_shares_text",
    "trend_direction",
    "trend_mean_direction",
    "plan_b_kinds_by_year",
    "smallest_year",
    "trend_takeaways",
    "plan_b_takeaways",
)
