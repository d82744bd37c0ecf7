"""Back-test: the report's published figures against the same figures computed from data.

``calibration_table(data_dir)`` reads the raw exports in ``data_dir`` (default: the
committed synthetic set), cleans them through the real cleaners
(``clean_dashboard.clean_dashboard``, ``clean_binc.clean_binc``), computes every figure
through ``sofs_lib.indicators`` and ``sofs_lib.stats``, and compares each with its
reference in ``sofs_lib/reference/report_figures.csv`` (one file; column ``source`` says
``dashboard`` or ``binc``).

How a figure is judged (column ``tolerance`` of the reference files):

- a number: ``|synthetic - report| <= tolerance`` (points for ``pct``, units otherwise);
- ``p<.05 same direction``: the test is computable, significant at .05 and points the
  same way as the report's (e.g. more network meetings with an adult plan);
- ``p>=.05``: the test is computable and not significant, as printed;
- ``same direction``: only the sign is judged (the report's own p contradicts its text);
- ``none``: a figure the report cannot have right (inconsistent with its other figures);
  shown, not judged (``pass`` is NA). ``docs/caveats.md`` says why for each.

``format_calibration_table`` renders the table for a terminal (``sofs calibrate``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib import config
from sofs_lib.errors import SofsInputError

REFERENCE = config.REFERENCE_DIR / "report_figures.csv"  # inside the package
REFERENCE_COLUMNS = (
    "id",
    "source",
    "description_nl",
    "description_en",
    "value",
    "unit",
    "n",
    "location",
    "tolerance",
    "note",
)
TABLE_COLUMNS = (
    "id",
    "description_nl",
    "report",
    "data",
    "difference",
    "tolerance",
    "pass",
    "detail",
)
SIGNIFICANT = "p<.05 same direction"
NOT_SIGNIFICANT = "p>=.05"
DIRECTION = "same direction"
NOT_JUDGED = "none"
ALPHA = 0.05

#: Steps at the start and at the end of a trajectory (Fig. 6, lines 5170–5172).
START_STEPS = ("mapping_internal", "mapping_family", "danger_statement", "safety_goal")
END_STEPS = ("words_pictures", "safety_plan_adult", "safety_plan_child")
#: A year inside a reference id (``dash_closed_2021``, ``binc_male_2022_pct``).
YEAR_IN_ID = re.compile(r"_(\d{4})(?=_|$)")
NOT_COMPUTABLE = "niet te berekenen"


@dataclass(frozen=True)
class Figure:
    """One computed figure: its value and, for tests, p and whether the direction holds."""

    value: float
    p_value: float = math.nan
    direction_ok: bool | None = None
    computable: bool = True
    detail: str = ""


# --------------------------------------------------------------------------- reference


def load_reference() -> pd.DataFrame:
    """The reference figures (dashboard first, then Binc), ``value`` as float."""
    path = REFERENCE
    if not path.exists():
        raise SofsInputError(f"reference figures not found: {path}")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REFERENCE_COLUMNS if c not in frame.columns]
    if missing:
        raise SofsInputError(f"{path.name} lacks the column(s) {', '.join(missing)}")
    ref = frame[list(REFERENCE_COLUMNS)].reset_index(drop=True)
    ref["value"] = pd.to_numeric(ref["value"], errors="coerce")
    duplicated = ref["id"][ref["id"].duplicated()]
    if len(duplicated):
        raise SofsInputError(f"reference ids occur twice: {', '.join(duplicated.unique())}")
    return ref


def report_value(figure_id: str) -> float:
    """The report's published value of one reference figure (e.g. ``dash_mw_meetings``)."""
    ref = load_reference().set_index("id")["value"]
    if figure_id not in ref.index:
        raise SofsInputError(f"no reference figure {figure_id!r} in {REFERENCE.name}")
    return float(ref[figure_id])


# --------------------------------------------------------------------------- dashboard


def _pick(table: pd.DataFrame, column: str, **keys: object) -> float:
    mask = np.ones(len(table), dtype=bool)
    for col, value in keys.items():
        mask &= (table[col] == value).fillna(False).to_numpy(dtype=bool)
    rows = table[mask]
    if len(rows) != 1:  # not in this data (e.g. a year without closed trajectories)
        return math.nan
    value = rows[column].iloc[0]
    return math.nan if pd.isna(value) else float(value)


def _pct(table: pd.DataFrame, **keys: object) -> Figure:
    return Figure(100.0 * _pick(table, "share", **keys))


def _empty_population(fig: Figure) -> Figure:
    """A figure whose population is empty in this data reads "niet te berekenen"."""
    if fig.computable and not np.isfinite(fig.value):
        return Figure(
            math.nan,
            computable=False,
            detail=f"{NOT_COMPUTABLE}: geen trajecten in de populatie van dit cijfer",
        )
    return fig


def closing_years(df: pd.DataFrame) -> tuple[int, ...]:
    """Closing years of the closed trajectories present in a frame (from the data)."""
    from sofs_lib import indicators as ind

    if "closing_year" not in df.columns:
        df = ind.add_derived(df)
    closed = df[(df["status"] == "closed").fillna(False).to_numpy(dtype=bool)]
    return tuple(sorted(int(y) for y in closed["closing_year"].dropna().unique()))


def reference_years(source: str = "dashboard", ref: pd.DataFrame | None = None) -> tuple[int, ...]:
    """The years the report's figures of ``source`` name (from ``report_figures.csv``)."""
    ref = load_reference() if ref is None else ref
    ids = ref.loc[ref["source"] == source, "id"]
    return tuple(sorted({int(m.group(1)) for i in ids for m in [YEAR_IN_ID.search(i)] if m}))


def _test_figure(result, direction_ok: bool | None, value: float | None = None) -> Figure:
    if not getattr(result, "ok", False):
        reason = getattr(result, "reason", None)
        return Figure(math.nan, computable=False, detail=f"niet berekenbaar: {reason}")
    stat = value if value is not None else float(result.statistic)
    return Figure(stat, float(result.p_value), direction_ok, detail=result.apa("nl"))


def _cooccurrence_direction(df: pd.DataFrame, step: str, plan: str) -> bool:
    """More of ``step`` where the plan was made than where it was not."""
    from sofs_lib.indicators import cooccurrence

    table = cooccurrence(df, plan, step)
    with_plan = _pick(table, "row_share", row_value=True, col_value=True)
    without = _pick(table, "row_share", row_value=False, col_value=True)
    return with_plan > without


def _mann_whitney_figure(df: pd.DataFrame, variable: str) -> Figure:
    from sofs_lib.indicators import mann_whitney_by_adult_plan

    res = mann_whitney_by_adult_plan(df, variable)
    if not res.ok:
        return _test_figure(res, None)
    ranks = res.groups
    group_col = next(c for c in ranks.columns if c not in ("n", "mean_rank", "rank_sum"))
    labels = ranks[group_col].astype(str).str.lower()
    yes = float(ranks.loc[labels.isin(["true", "1", "ja"]), "mean_rank"].iloc[0])
    no = float(ranks.loc[labels.isin(["false", "0", "nee"]), "mean_rank"].iloc[0])
    return Figure(float(res.z), float(res.p_value), yes > no, detail=res.apa("nl"))


def _logistic_figure(df: pd.DataFrame, variable: str) -> Figure:
    from sofs_lib.indicators import logistic_adult_plan

    res = logistic_adult_plan(df, variable)
    if not res.ok:
        return _test_figure(res, None)
    coef = res.coefficients
    b = float(coef.loc[coef["variable"] == variable, "b"].iloc[0])
    p = float(coef.loc[coef["variable"] == variable, "p_value"].iloc[0])
    return Figure(b, p, b > 0, detail=f"B = {b:.3f}, Exp(B) = {math.exp(b):.2f}, p = {p:.3f}")


def _counts_figures(df: pd.DataFrame) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    closed = df["status"] == "closed"
    out["dash_trajectories"] = Figure(float(len(df)))
    out["dash_open"] = Figure(float((df["status"] == "open").sum()))
    out["dash_closed"] = Figure(float(closed.sum()))
    out["dash_organisations"] = Figure(float(df["organisation"].nunique()))
    for year in closing_years(df):
        out[f"dash_closed_{year}"] = Figure(float((closed & (df["closing_year"] == year)).sum()))
    return out


def _organisation_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    return {
        "dash_orgs_without_consulent": Figure(float(ind.organisations_without_consulent(df).count))
    }


def _case_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    cases = ind.case_types(df)
    return {
        f"dash_case_{code.lower()}": _pct(cases, case_type=code)
        for code in ("EM", "FM", "IFG", "SM", "V", "none")
    }


def _step_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    out: dict[str, Figure] = {}
    steps = ind.all_steps(df)
    out["dash_all_steps"] = _pct(steps)
    out["dash_all_steps_n"] = Figure(_pick(steps, "numerator"))
    by_duration = ind.all_steps_by_duration(df)
    out["dash_all_steps_long"] = _pct(by_duration, indicator="long_duration_among_all_steps")
    out["dash_long_all_steps"] = _pct(by_duration, indicator="all_steps_among_long_duration")
    rates = ind.step_rates(df, ["status"])
    out["dash_mapping_family_closed"] = _pct(rates, status="closed", step="mapping_family")
    out["dash_mapping_family_open"] = _pct(rates, status="open", step="mapping_family")
    wp = _pct(ind.words_pictures(df))
    out["dash_words_pictures"] = wp
    out["dash_words_pictures_missing"] = Figure(100.0 - wp.value)
    out["dash_safety_plan_adult"] = _pct(ind.safety_plan_adult(df))
    out["dash_safety_plan_child"] = _pct(ind.safety_plan_child(df))
    return out


def _presence_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    out: dict[str, Figure] = {}
    presence = ind.step_presence(df)
    out["dash_cb_safety_goal"] = _pct(presence, step="safety_goal", person="cb")
    out["dash_consulent_safety_goal"] = _pct(presence, step="safety_goal", person="consulent")
    cons = presence[presence["person"] == "consulent"].set_index("step")["share"]
    cons = cons.reindex(list(START_STEPS) + list(END_STEPS))
    gap = 100.0 * (cons[list(START_STEPS)].mean() - cons[list(END_STEPS)].mean())
    out["dash_consulent_start_steps"] = Figure(
        float(gap), direction_ok=bool(gap > 0), detail=f"{gap:+.1f} procentpunt"
    )
    return out


def _network_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    out: dict[str, Figure] = {}
    closed = df["status"] == "closed"
    meetings = ind.network_meetings_distribution(df)
    for stat in ("min", "max", "mean", "median"):
        out[f"dash_meetings_{stat}"] = Figure(_pick(meetings, stat))
    out["dash_meetings_6_plus"] = _pct(
        ind.network_meetings_guideline(df), indicator="meetings_6_plus"
    )
    out["dash_meetings_date"] = Figure(
        100.0 * float((df["network_meetings_kind"] == "date").mean())
    )
    held_closed = ind.network_meeting_held(df, population="closed")
    n_closed = float(closed.sum())
    out["dash_meetings_missing_closed"] = Figure(
        100.0 * (1.0 - _pick(held_closed, "denominator") / n_closed) if n_closed else math.nan
    )
    size = ind.network_size_distribution(df)
    for stat in ("min", "max", "mean", "median"):
        out[f"dash_network_size_{stat}"] = Figure(_pick(size, stat))
    return out


def _plan_b_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    out: dict[str, Figure] = {}
    at_start = ind.plan_b_at_start(df)
    out["dash_plan_b_start_network"] = _pct(at_start, plan_b="network")
    out["dash_plan_b_start_residential"] = _pct(at_start, plan_b="residential")
    out["dash_plan_b_start_blank"] = _pct(at_start, plan_b="none")
    out["dash_plan_b_in_effect"] = _pct(ind.plan_b_in_effect(df))
    kinds = ind.plan_b_type_in_effect(df)
    out["dash_plan_b_in_effect_network"] = _pct(kinds, plan_b="network")
    out["dash_plan_b_in_effect_residential"] = _pct(kinds, plan_b="residential")
    timing = ind.plan_b_timing(df)
    for stat in ("mean", "min", "max"):
        out[f"dash_plan_b_months_{stat}"] = Figure(_pick(timing, stat))
    out["dash_plan_b_at_or_before_start"] = _pct(ind.plan_b_at_or_before_start(df))
    return out


def _duration_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    out: dict[str, Figure] = {}
    months = ind.months_to_steps(df)
    for stat in ("mean", "min", "max"):
        out[f"dash_adult_plan_months_{stat}"] = Figure(
            _pick(months, stat, step="safety_plan_adult")
        )
    out["dash_duration_mean"] = Figure(_pick(ind.module_duration(df), "mean"))
    guideline = ind.duration_guideline(df)
    out["dash_duration_at_most_8"] = _pct(guideline, indicator="duration_at_most_8")
    out["dash_duration_over_8"] = _pct(guideline, indicator="duration_over_8")
    return out


def _plan_without_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    without = ind.plans_without_steps(df)
    return {
        "dash_adult_plan_without_meeting": _pct(without, indicator="adult_plan_without_meeting"),
        "dash_adult_plan_without_wp": _pct(without, indicator="adult_plan_without_words_pictures"),
    }


def _chi2_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind

    tests = ind.safety_plan_tests(df)
    return {
        fid: _test_figure(tests[(step, plan)], _cooccurrence_direction(df, step, plan))
        for fid, (step, plan) in {
            "dash_chi2_meeting_adult": ("network_meeting_held", "safety_plan_adult"),
            "dash_chi2_meeting_child": ("network_meeting_held", "safety_plan_child"),
            "dash_chi2_wp_adult": ("words_pictures", "safety_plan_adult"),
            "dash_chi2_wp_child": ("words_pictures", "safety_plan_child"),
        }.items()
    }


def _mann_whitney_figures(df: pd.DataFrame) -> dict[str, Figure]:
    return {
        "dash_mw_meetings": _mann_whitney_figure(df, "network_meetings"),
        "dash_mw_network_size": _mann_whitney_figure(df, "network_size"),
    }


def _logistic_figures(df: pd.DataFrame) -> dict[str, Figure]:
    return {
        "dash_logit_meetings": _logistic_figure(df, "network_meetings"),
        "dash_logit_network_size": _logistic_figure(df, "network_size"),
    }


def trend_test_years(df: pd.DataFrame) -> tuple[tuple[int, ...], str]:
    """The closing years the trend tests compare, and why (Dutch).

    The report's tests compare its closing years; on data that holds at least two of
    them the tests compare those (what overlaps). Otherwise the tests are not
    comparable with the report's, and an empty tuple is returned with the reason.
    """
    present = closing_years(df)
    report = reference_years("dashboard")
    overlap = tuple(y for y in present if y in report)
    if len(overlap) >= 2:
        return overlap, ""
    shown = ", ".join(map(str, present)) or "geen"
    return (), (
        f"{NOT_COMPUTABLE}: het rapport toetst de afsluitjaren "
        f"{', '.join(map(str, report))}; deze data heeft er minder dan twee van "
        f"(afsluitjaren in deze data: {shown})"
    )


def _trend_figures(df: pd.DataFrame) -> dict[str, Figure]:
    from sofs_lib import indicators as ind
    from sofs_lib import stats

    out: dict[str, Figure] = {}
    years = closing_years(df)
    tr = ind.trends(df, years=None)
    shares = tr.shares
    closed_per_year = ind.all_steps(df, ["closing_year"])
    plan_kind = ind.plan_b_at_start(df, ["closing_year"], population="closed")
    for year in years:

        def step_share(step: str, year: int = year) -> Figure:
            return _pct(shares, closing_year=year, indicator="step_taken", key=step)

        out[f"dash_trend_adult_{year}"] = step_share("safety_plan_adult")
        out[f"dash_trend_wp_{year}"] = step_share("words_pictures")
        child_yes = _pick(
            shares, "numerator", closing_year=year, indicator="step_taken", key="safety_plan_child"
        )
        all_closed = _pick(closed_per_year, "denominator", closing_year=year)
        out[f"dash_trend_child_{year}"] = Figure(
            100.0 * child_yes / all_closed if all_closed else math.nan
        )
        net = _pick(plan_kind, "numerator", closing_year=year, plan_b="network")
        res = _pick(plan_kind, "numerator", closing_year=year, plan_b="residential")
        out[f"dash_trend_plan_b_network_{year}"] = Figure(
            100.0 * net / (net + res) if net + res else math.nan
        )
        out[f"dash_trend_meetings_{year}"] = Figure(
            _pick(tr.means, "mean", closing_year=year, indicator="network_meetings")
        )

    test_years, why_not = trend_test_years(df)
    test_ids = (
        "dash_trend_chi2_adult",
        "dash_trend_chi2_child",
        "dash_trend_chi2_wp",
        "dash_trend_chi2_plan_b",
        "dash_trend_anova_meetings",
        "dash_trend_anova_network_size",
    )
    if not test_years:
        for fid in test_ids:
            out[fid] = Figure(math.nan, computable=False, detail=why_not)
        return out
    if test_years != years:
        tr = ind.trends(df, years=test_years)

    def rising(prefix: str) -> bool:
        return out[f"{prefix}_{test_years[-1]}"].value > out[f"{prefix}_{test_years[0]}"].value

    results = tr.results
    out["dash_trend_chi2_adult"] = _test_figure(
        results[("step_taken", "safety_plan_adult")], rising("dash_trend_adult")
    )
    out["dash_trend_chi2_child"] = _test_figure(
        results[("step_taken", "safety_plan_child")], rising("dash_trend_child")
    )
    out["dash_trend_chi2_wp"] = _test_figure(
        results[("step_taken", "words_pictures")], rising("dash_trend_wp")
    )
    closed = df[(df["status"] == "closed") & df["closing_year"].isin(list(test_years))]
    kind_known = closed[closed["plan_b"].notna()]
    plan_test = stats.chi2_independence(
        kind_known["closing_year"].astype("int64"), kind_known["plan_b"].astype(str)
    )
    out["dash_trend_chi2_plan_b"] = _test_figure(plan_test, rising("dash_trend_plan_b_network"))
    anova = results[("network_meetings", None)]
    out["dash_trend_anova_meetings"] = _test_figure(
        anova, rising("dash_trend_meetings"), value=float(anova.f) if anova.ok else None
    )
    size = results[("network_size", None)]
    out["dash_trend_anova_network_size"] = _test_figure(
        size, None, value=float(size.f) if size.ok else None
    )
    return out


#: The dashboard figures in groups computed together: each group with the id prefixes of
#: every figure it computes (checked as it runs), so that a caller who needs only some ids
#: (``report_comparison`` for one theme) computes only the groups that can hold them.
_DASHBOARD_GROUPS: tuple[tuple[tuple[str, ...], Callable[[pd.DataFrame], dict]], ...] = (
    (("dash_trajectories", "dash_open", "dash_closed", "dash_organisations"), _counts_figures),
    (("dash_orgs_without_consulent",), _organisation_figures),
    (("dash_case_",), _case_figures),
    (
        (
            "dash_all_steps",
            "dash_long_all_steps",
            "dash_mapping_family_",
            "dash_words_pictures",
            "dash_safety_plan_",
        ),
        _step_figures,
    ),
    (("dash_cb_", "dash_consulent_"), _presence_figures),
    (("dash_meetings_", "dash_network_size_"), _network_figures),
    (("dash_plan_b_",), _plan_b_figures),
    (("dash_adult_plan_months_", "dash_duration_"), _duration_figures),
    (("dash_adult_plan_without_",), _plan_without_figures),
    (("dash_chi2_",), _chi2_figures),
    (("dash_mw_",), _mann_whitney_figures),
    (("dash_logit_",), _logistic_figures),
    (("dash_trend_",), _trend_figures),
)


def _overlaps(prefixes: Sequence[str], produced: Sequence[str]) -> bool:
    """True when an id starting with one of ``prefixes`` can start with one of ``produced``."""
    return any(p.startswith(q) or q.startswith(p) for p in prefixes for q in produced)


def dashboard_figures(data: pd.DataFrame, prefixes: Sequence[str] = ()) -> dict[str, Figure]:
    """The dashboard reference figures computed from a cleaned dashboard frame.

    All shares, distributions and tests come from ``sofs_lib.indicators`` (and
    ``sofs_lib.stats`` for the plan B kind by year, which no indicator offers); counts of
    rows, organisations and the network-meeting cell kind are read from the cleaned frame.

    ``prefixes`` (default: every figure): compute only the groups of figures whose ids can
    start with one of them. A figure's value does not depend on which groups are computed;
    the result may hold more ids than asked for.
    """
    from sofs_lib import indicators as ind

    df = ind.add_derived(data)
    out: dict[str, Figure] = {}
    for produced, compute in _DASHBOARD_GROUPS:
        if prefixes and not _overlaps(prefixes, produced):
            continue
        group = compute(df)
        stray = [fid for fid in group if not fid.startswith(tuple(produced))]
        if stray:  # a group computing ids it does not declare could be skipped wrongly
            raise RuntimeError(f"{compute.__name__} computes undeclared ids: {stray}")
        out.update(group)
    return {fid: _empty_population(fig) for fid, fig in out.items()}


# --------------------------------------------------------------------------- judging


@dataclass(frozen=True)
class DataContext:
    """What the computed figures come from, for judging and for the column people read.

    ``label``: ``synthetisch`` or the export's file name and date; ``report_period``: the
    export was taken on the report's export date (then figures are judged against their
    tolerance; otherwise they are set side by side, not judged); ``years``: the years
    present (closing years of the dashboard, care years of Binc).
    """

    source: str
    label: str
    export_date: date | None
    report_period: bool
    years: tuple[int, ...]
    synthetic: bool

    @property
    def report_export_date(self) -> date:
        return config.REPORT_EXPORT_DATE if self.source == "dashboard" else config.REPORT_BINC_DATE


def data_context(data, source: str = "dashboard") -> DataContext:
    """The context of a cleaned dashboard frame or a cleaned Binc result."""
    from sofs_lib.formatting import fmt_date

    frame = data.children if source == "binc" else data
    attrs = frame.attrs
    export = attrs.get("export_date")
    synthetic = attrs.get("provenance") == "synthetic"
    report_date = config.REPORT_EXPORT_DATE if source == "dashboard" else config.REPORT_BINC_DATE
    report_period = export == report_date
    if source == "binc":
        from sofs_lib.indicators.profiles import children_per_year

        per_year = children_per_year(frame)
        years = tuple(sorted(int(y) for y in per_year.loc[per_year["n"] > 0, "year"]))
    else:
        years = closing_years(frame)
    name = Path(str(attrs.get("source_path", ""))).name or "deze export"
    when = fmt_date(export) if export is not None else "onbekende datum"
    if synthetic:
        label = "synthetisch" if report_period else f"synthetisch, export {when}"
    else:
        label = f"{name}, export {when}"
    return DataContext(source, label, export, report_period, years, synthetic)


def _report_context(source: str = "dashboard") -> DataContext:
    years = reference_years(source)
    export = config.REPORT_EXPORT_DATE if source == "dashboard" else config.REPORT_BINC_DATE
    return DataContext(source, "synthetisch", export, True, years, True)


def _absent_year(fid: str, ctx: DataContext) -> str | None:
    """Why a figure of one year cannot be computed from this data, or None."""
    match = YEAR_IN_ID.search(fid)
    if not match or int(match.group(1)) in ctx.years:
        return None
    what = "afgesloten trajecten" if ctx.source == "dashboard" else "kinderen in begeleiding"
    return f"niet in deze data: geen {what} in {match.group(1)}"


def _judge(
    ref: pd.Series, fig: Figure | None, ctx: DataContext | None = None
) -> tuple[float, float, object, str]:
    """``(data, difference, pass, detail)`` of one reference row.

    On data of the report's period a figure is judged against its tolerance. On data of
    another period it is set beside the report's, never judged (``pass`` NA): the
    report's figures describe other trajectories.
    """
    tol = str(ref["tolerance"]).strip()
    ctx = ctx or _report_context(str(ref.get("source", "dashboard")))
    absent = _absent_year(str(ref.get("id", "")), ctx)
    if absent:
        return math.nan, math.nan, pd.NA, absent
    if fig is None:
        return math.nan, math.nan, (False if ctx.report_period else pd.NA), NOT_COMPUTABLE
    detail = fig.detail
    if tol == NOT_JUDGED:
        return fig.value, fig.value - ref["value"], pd.NA, "niet beoordeeld (zie caveats)"
    if not fig.computable:
        return math.nan, math.nan, (False if ctx.report_period else pd.NA), detail
    if not ctx.report_period:
        diff = fig.value - float(ref["value"]) if tol not in _TEST_TOLERANCES else math.nan
        note = "andere periode: naast elkaar gezet, niet beoordeeld"
        return fig.value, diff, pd.NA, f"{note}; {detail}" if detail else note
    if tol == SIGNIFICANT:
        ok = fig.p_value < ALPHA and bool(fig.direction_ok)
        return fig.value, math.nan, ok, detail
    if tol == NOT_SIGNIFICANT:
        ok = fig.p_value >= ALPHA and fig.direction_ok is not False
        return fig.value, math.nan, ok, detail
    if tol == DIRECTION:
        return fig.value, math.nan, bool(fig.direction_ok), detail
    try:
        limit = float(tol)
    except ValueError:
        return fig.value, math.nan, False, f"onbekende tolerantie {tol!r}"
    diff = fig.value - float(ref["value"])
    ok = bool(np.isfinite(diff) and abs(diff) <= limit + 1e-9)
    return fig.value, diff, ok, detail


_TEST_TOLERANCES = (SIGNIFICANT, NOT_SIGNIFICANT, DIRECTION)


def _clean_exports(data_dir: Path):

    dash = config.dashboard_export_path(data_dir)
    binc = config.binc_export_path(data_dir)
    for path, what in ((dash, "dashboard"), (binc, "Binc")):
        if not path.exists():
            raise SofsInputError(
                f"no {what} export in {data_dir} (expected {path.name}); run `sofs synth "
                f"--out {data_dir}` or point --data at a folder holding both exports"
            )
    # the loaders apply the export-date rule and cache by file, date and mtime, so a
    # notebook that already loaded these exports does not clean them twice
    from sofs_lib.datasets import load_binc_result, load_dashboard_result

    dash_result = load_dashboard_result(dash)
    binc_result = load_binc_result(binc)
    return dash_result, binc_result


def calibration_table(data_dir: Path | None = None) -> pd.DataFrame:
    """Report vs computed figure for every reference figure (dashboard, then Binc).

    Columns: ``id, description_nl, report, synthetic, difference, tolerance, pass,
    detail``. ``pass`` is a nullable boolean: NA for figures the report cannot have right
    (tolerance ``none``). Raises ``SofsInputError`` when an export is missing or unreadable.
    """
    from sofs_lib.indicators.profiles import binc_figures

    data_dir = Path(data_dir) if data_dir is not None else config.SYNTHETIC_DIR
    if not data_dir.is_dir():
        raise SofsInputError(f"data folder not found: {data_dir}")
    ref = load_reference()
    dash_result, binc_result = _clean_exports(data_dir)
    figures: dict[str, Figure] = dict(dashboard_figures(dash_result.data))
    figures.update({k: Figure(float(v)) for k, v in binc_figures(binc_result).items()})

    contexts = {
        "dashboard": data_context(dash_result.data, "dashboard"),
        "binc": data_context(binc_result, "binc"),
    }
    judged = [
        _judge(row, figures.get(row["id"]), contexts[str(row["source"])])
        for _, row in ref.iterrows()
    ]
    table = pd.DataFrame(
        {
            "id": ref["id"].astype("str"),
            "description_nl": ref["description_nl"].astype("str"),
            "report": ref["value"].astype("float64"),
            "data": pd.Series([j[0] for j in judged], dtype="float64"),
            "difference": pd.Series([j[1] for j in judged], dtype="float64"),
            "tolerance": ref["tolerance"].astype("str"),
            "pass": pd.array([j[2] for j in judged], dtype="boolean"),
            "detail": pd.Series([j[3] for j in judged], dtype="str"),
        }
    )
    table = table[list(TABLE_COLUMNS)]
    table.attrs["data_label"] = contexts["dashboard"].label
    table.attrs["period_notes"] = [
        note for note in (period_note(c) for c in contexts.values()) if note
    ]
    return table


def period_note(ctx: DataContext) -> str:
    """One Dutch sentence when the data is not of the report's period, else ``""``."""
    from sofs_lib.formatting import fmt_date

    if ctx.report_period:
        return ""
    what = "Het dashboard" if ctx.source == "dashboard" else "Binc"
    export = fmt_date(ctx.export_date) if ctx.export_date else "een onbekende datum"
    years = ", ".join(map(str, ctx.years)) or "geen"
    report_years = ", ".join(map(str, reference_years(ctx.source)))
    overlap = [y for y in ctx.years if y in reference_years(ctx.source)]
    kind = "afsluitjaren" if ctx.source == "dashboard" else "begeleidingsjaren"
    shared = (
        f"gedeelde {kind}: {', '.join(map(str, overlap))}" if overlap else f"geen gedeelde {kind}"
    )
    return (
        f"{what}: deze data (export {export}; {kind} {years}) is niet de periode van het "
        f"rapport (export {fmt_date(ctx.report_export_date)}; {kind} {report_years}; "
        f"{shared}). De cijfers staan naast elkaar ter vergelijking; ze worden niet "
        f"beoordeeld."
    )


def report_comparison(
    data, prefixes: Sequence[str] = (), source: str = "dashboard"
) -> pd.DataFrame:
    """The report's figures on one theme beside the same figures from this data (Dutch).

    ``data`` is a cleaned dashboard frame (``source="dashboard"``) or a cleaned Binc
    result (``source="binc"``); rows are the reference ids starting with one of
    ``prefixes``. The data column is named for what the data is (``calibration.data_context``);
    a figure that cannot be computed reads "niet te berekenen" and the last column says
    why; on another period the figures are set side by side, not judged.
    """
    from sofs_lib.figures import reference_value_text
    from sofs_lib.indicators.profiles import binc_figures

    ctx = data_context(data, source)
    ref = load_reference()
    if source == "binc":
        computed = {k: Figure(float(v)) for k, v in binc_figures(data).items()}
        computed = {k: _empty_population(v) for k, v in computed.items()}
    else:
        computed = dashboard_figures(data, prefixes)
    chosen = ref["source"].eq(source) & ref["id"].map(
        lambda i: any(str(i).startswith(p) for p in prefixes) if prefixes else True
    )
    rows = ref[chosen]
    shown, notes = [], []
    for _, row in rows.iterrows():
        value, _diff, _ok, detail = _judge(row, computed.get(row["id"]), ctx)
        if pd.isna(value):
            shown.append(NOT_COMPUTABLE if detail.startswith(NOT_COMPUTABLE) or not detail else "–")
        else:
            shown.append(reference_value_text(value, row["unit"]))
        notes.append(detail.split("; ")[0] if pd.isna(value) else "")
    out = pd.DataFrame(
        {
            "Cijfer": rows["description_nl"].astype("str").to_numpy(),
            "Rapport": [
                reference_value_text(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)
            ],
            f"Deze data ({ctx.label})": shown,
            "Opmerking": notes,
            "Bron in het rapport": rows["location"].astype("str").to_numpy(),
        }
    )
    if not any(notes):
        out = out.drop(columns="Opmerking")
    out.attrs["note"] = period_note(ctx)
    return out


def format_calibration_table(df: pd.DataFrame) -> str:
    """The calibration table as aligned text with Dutch number formats (28,4)."""
    from sofs_lib.formatting import fmt_number

    def num(value: float) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return fmt_number(value, 2)

    verdict = df["pass"].map(lambda v: "–" if v is pd.NA else ("ok" if v else "MIS"))
    rows = [
        (
            str(r.id),
            str(r.description_nl)[:58],
            num(r.report),
            num(r.data),
            num(r.difference),
            str(r.tolerance),
            v,
        )
        for r, v in zip(df.itertuples(index=False), verdict, strict=True)
    ]
    label = str(df.attrs.get("data_label", "deze data"))
    header = ("id", "omschrijving", "rapport", label, "verschil", "tolerantie", "oordeel")
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    right = {2, 3, 4}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [line(header), line(tuple("-" * w for w in widths))]
    out += [line(r) for r in rows]
    judged = df["pass"].notna()
    misses = df.loc[judged & ~df["pass"].fillna(True), "id"].tolist()
    out.append("")
    out.append(
        f"{int(judged.sum())} beoordeeld, {int(df['pass'].fillna(False).sum())} binnen de "
        f"tolerantie, {len(misses)} erbuiten, {int((~judged).sum())} niet beoordeeld"
    )
    if misses:
        out.append("buiten de tolerantie: " + ", ".join(misses))
    out.extend(df.attrs.get("period_notes", []))
    return "\n".join(out)
