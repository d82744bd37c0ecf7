"""Synthetic raw dashboard export calibrated to the report's published figures.

``write_dashboard_export(path, seed=..., n=...)`` writes one workbook (``.xlsx``) or
Belgian CSV (``.csv``: ``;``-separated, UTF-8 with BOM) in the raw layout of
``shared/contracts/dashboard_export.md``: one row per trajectory (*fiche*) as people type
it, with every typing variant of the contract and the documented mess of the real export.

How it works (all vectorised over numpy arrays, seeded, deterministic):

1. ``_simulate`` draws the *truth*: organisation, status, closing year, dates, which steps
   were taken and by whom, network figures and meetings, plan B. Published shares are hit
   by **quota selection** (exactly ``round(share * group size)`` rows per group, chosen
   by a score that carries the relations behind the report's tests) and published means
   by **stratified quantile sampling**. Every number used and why is in ``docs/caveats.md``.
2. ``_draw_variants`` draws, per cell, how a person typed it (Excel date, serial, text date
   in several forms, ``nee``/``Nee``/``neen``/``NEE``, ``ja``/``x``, counts as text ...).
3. ``_row_plan`` adds the unusable rows *on top of* the ``n`` trajectories: exact
   duplicates, conflicting duplicate pairs (fresh ids), rows without id or organisation,
   fully blank rows — so the cleaned result still holds exactly ``n`` trajectories.
4. ``_render`` turns truth + variants into cells, chunk by chunk (the CSV writer streams
   100,000 rows at a time, so n = 1,000,000 stays well under 4 GB).

The 20 organisations are fictitious: "Organisatie A" .. "Organisatie T". Their sizes and
fidelity differ on purpose (some have fewer than five closed trajectories; five never
register anything for the consulent, as in report line 5196), so that organisation
dashboards have a story to tell. No real trajectory or organisation is represented.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sofs_lib import config
from sofs_lib.catalogue import STEP_KEYS, STEPS
from sofs_lib.errors import SofsInputError
from sofs_lib.reference.layouts import DASHBOARD_HEADERS

# ---------------------------------------------------------------------------------------
# Calibration constants (report lines in brackets; choices explained in docs/caveats.md)
# ---------------------------------------------------------------------------------------

N_REPORT = 370  # trajectories (line 5012)
N_OPEN_REPORT = 134  # open at the export date (line 5013)
CLOSING_YEARS = (2021, 2022, 2023)
CLOSED_BY_YEAR = (43, 139, 54)  # closing-year cohorts (line 5441)
MONTH_DAYS = 30.4375  # average month length used throughout

#: Organisation sizes at n = 370 (sum 370): a few large providers, a long tail of small ones.
ORG_SIZES = (48, 40, 34, 30, 27, 25, 22, 20, 18, 17, 15, 14, 13, 12, 10, 8, 6, 5, 4, 2)
ORG_NAMES = tuple(f"Organisatie {letter}" for letter in string.ascii_uppercase[:20])
#: Five organisations (D, I, M, P, T) never register for the consulent (line 5196).
ORGS_WITHOUT_CONSULENT = (3, 8, 12, 15, 19)
#: Fidelity of each organisation: shifts its trajectories' engagement score (the "story").
ORG_FIDELITY = (
    0.5, -0.2, 0.9, -0.6, 0.1, 0.3, -1.0, 0.7, -0.3, 0.0,
    0.6, -0.8, 0.2, 0.4, -0.4, 1.0, -0.1, 0.8, -1.2, 0.0,
)  # fmt: skip

#: Case types (Fig. 4, lines 5107–5120). The five printed values 15,1 / 4,6 / 47,37 / 22,2 /
#: 3,8 are read as six: "47,37" = 47,3 and 7 run together; in legend order they sum to 100.
CASE_TYPE_SHARES = {"EM": 0.151, "FM": 0.046, "IFG": 0.473, "SM": 0.070, "V": 0.222, "none": 0.038}

#: Closed trajectories: share of the steps taken among known (taken or "nee"), and the share
#: left blank. W&P and the safety plans are set per closing year below.
CLOSED_STEP_SHARE = {
    "mapping_internal": 0.92,
    "mapping_family": 0.975,  # 97–98% (line 5061)
    "three_houses": 0.70,
    "danger_statement": 0.90,
    "safety_goal": 0.91,
    "safety_scale": 0.78,
    "timeline": 0.72,
}
CLOSED_STEP_BLANK = 0.02
#: Adult safety plan by closing year, share of all closed (43,3 / 72,5 / 73,9%, lines 5445–5449).
ADULT_PLAN_BY_YEAR = (19 / 43, 101 / 139, 40 / 54)
#: W&P by closing year over known (71,1 / 76,9 / 83,0%, lines 5518–5520); 3/236 left blank.
WP_BY_YEAR = (0.711, 0.769, 0.830)
WP_BLANK = 3 / 236
#: W&P among trajectories with an adult plan: 9,7% without (line 5326).
WP_WITH_ADULT_PLAN = 1 - 0.097
#: Child plan by closing year over ALL closed of that year (27,9 / 38,8 / 38,9%, lines 5453, 5516;
#: the printed χ²(4) implies yes / no / blank), blank in 71/236 so that yes/known = 52,7%.
CHILD_PLAN_BY_YEAR = (12 / 43, 54 / 139, 21 / 54)
CHILD_PLAN_BLANK = 71 / 236
#: Trajectories with all ten steps and a network meeting per closing year (sum 67, line 5053).
ALL_STEPS_BY_YEAR = (6 / 43, 42 / 139, 19 / 54)
#: Share of the all-steps trajectories that lasted 8 months or more (79,1%, line 5057).
ALL_STEPS_LONG = 0.791

#: Module duration of closed trajectories in months (days / 30.4375): shares below 8, in
#: [8, 9) and from 9. 60,2% up to 8 months, 39,8% longer (lines 5383–5384), mean 9,2. The
#: all-steps set keeps 79,1% of its members at 8 months or longer (line 5057); the report's
#: 39,9% "all steps among >= 8 months" cannot hold together with these (see caveats).
DURATION_BANDS = (0.602, 0.10, 0.298)
DURATION_MEAN = 9.2
DURATION_MIN, DURATION_MAX = 1.5, 26.0

#: Network meetings (Fig. 7, lines 5217–5225): 11,9% of closed blank, about a quarter of
#: registrations a date; counts 0–19.
MEETINGS_BLANK_CLOSED = 0.119
MEETINGS_DATE_SHARE = 60 / 208  # of non-blank closed: 148 counts left (ANOVA df 145)
MEETINGS_BLANK_OPEN = 0.06
MEETINGS_DATE_SHARE_OPEN = 0.25
MEETINGS_MEAN_BY_YEAR = (3.39, 4.69, 7.39)  # lines 5530–5532
MEETINGS_MEAN_OPEN = 4.7
#: No meeting held among trajectories with an adult plan (4,1%, line 5326) and without.
NO_MEETING_WITH_ADULT_PLAN = 0.041
NO_MEETING_WITHOUT_ADULT_PLAN = 0.36
NO_MEETING_OPEN = 0.04
MEETINGS_MAX = 19
#: Share of the usable counts that reach the guideline's 6 (32,9% overall, line 5466), per
#: group (closing years, open); the rest is 0 (above) or 1–5 with these weights.
MEETINGS_SIX_PLUS = (0.18, 0.30, 0.55, 0.33)
MEETINGS_LOW_WEIGHTS = (0.12, 0.20, 0.26, 0.24, 0.18)

#: Network figures (Fig. 8): 0–12, mean and median 4; 28/236 closed blank (ANOVA df 205).
NETWORK_SIZE_MEAN = 4.0
NETWORK_SIZE_MAX = 12
NETWORK_SIZE_DISPERSION = 6.0
NETWORK_SIZE_BLANK_CLOSED = 28 / 236
NETWORK_SIZE_BLANK_OPEN = 0.08
NETWORK_SIZE_ADULT_PLAN_WEIGHT = 0.75

#: Plan B (Fig. 9, lines 5271–5287). Open: 27,6% network, 22,4% residential, rest blank.
PLAN_B_OPEN = (0.276, 0.224)
PLAN_B_ACTIVE_OPEN = 0.12
#: Closed: plan B in effect in 46,7%; of those 49,4% network, 44,2% residential, rest blank.
PLAN_B_ACTIVE_CLOSED = 0.467
PLAN_B_KIND_ACTIVE = (0.494, 0.442)
#: Network share of a registered plan B kind by closing year (58,6 / 64,9 / 64,1%, lines 5522–5526);
#: kind blank in 10% of closed.
PLAN_B_NETWORK_BY_YEAR = (0.586, 0.649, 0.641)
PLAN_B_KIND_BLANK_CLOSED = 0.10
#: Months from start until plan B took effect: mean 3,6, −5 to 15, 21% at or before start.
PLAN_B_OFFSET_MEAN = 3.6
PLAN_B_OFFSET_RANGE = (-5.0, 15.0)
PLAN_B_AT_OR_BEFORE_START = 0.21

#: Open trajectories: share taken among known, and how often "not yet" stays blank.
OPEN_STEP_SHARE = {
    "mapping_internal": 0.93,
    "mapping_family": 0.975,
    "three_houses": 0.55,
    "danger_statement": 0.86,
    "safety_goal": 0.85,
    "safety_scale": 0.65,
    "timeline": 0.55,
    "words_pictures": 0.45,
    "safety_plan_adult": 0.35,
    "safety_plan_child": 0.20,
}
OPEN_NOT_TAKEN_BLANK = 0.55

#: When a step is taken, as a fraction of the trajectory's length so far (start → end or
#: export), and the share dated before the start (down to ``PRE_START_MIN`` months).
STEP_TIMING = {  # key: (mean fraction, share before start)
    "mapping_internal": (0.03, 0.08),
    "mapping_family": (0.06, 0.03),
    "three_houses": (0.22, 0.02),
    "danger_statement": (0.14, 0.06),
    "safety_goal": (0.17, 0.05),
    "safety_scale": (0.30, 0.02),
    "timeline": (0.36, 0.02),
    "words_pictures": (0.55, 0.02),
    "safety_plan_adult": (0.80, 0.02),
    "safety_plan_child": (0.84, 0.01),
}
PRE_START_MIN = -3.0
#: Months from start to the adult safety plan: mean 7,6, −3 to 22 (Fig. 12, lines 5371–5372).
ADULT_PLAN_OFFSET_MEAN = 7.6
ADULT_PLAN_OFFSET_MAX = 22.0

#: Partnership (Fig. 6): share of the trajectories with the step taken where the consulent
#: registered it, and where ONLY the consulent did (so the CB share is 1 minus that).
#: Safety goal: CB 94,5%, consulent 25,3% (lines 5169–5172); more consulent at the start steps.
CONSULENT_SHARE = {
    "mapping_internal": 0.31,
    "mapping_family": 0.30,
    "three_houses": 0.10,
    "danger_statement": 0.28,
    "safety_goal": 0.253,
    "safety_scale": 0.15,
    "timeline": 0.11,
    "words_pictures": 0.08,
    "safety_plan_adult": 0.13,
    "safety_plan_child": 0.06,
}
CONSULENT_ONLY_SHARE = {k: 0.04 for k in STEP_KEYS} | {"safety_goal": 0.055}
TAKEN_WITHOUT_DATE = 0.012  # "ja" / "x"

# ---------------------------------------------------------------------------------------
# Raw layout (contract) and typing variants
# ---------------------------------------------------------------------------------------

#: The raw layout is reference data (one definition for cleaner, schemas and generator).
HEADERS: tuple[str, ...] = DASHBOARD_HEADERS

_EPOCH = np.datetime64("1970-01-01", "D")
_EXCEL_EPOCH_OFFSET = 25569  # Excel serial of 1970-01-01
_CSV_CHUNK = 100_000

# date typing: 0 Excel date cell, 1 serial number, 2 dd/mm/yyyy, 3 d-m-yyyy, 4 dd.mm.yy,
# 5 yyyy-mm-dd, 6 padded dd/mm/yyyy
_DATE_VARIANT_P = (0.80, 0.04, 0.08, 0.03, 0.02, 0.02, 0.01)
_NEE_FORMS = np.array(["nee", "Nee", "neen", "NEE", " nee "], dtype=object)
_NEE_P = (0.70, 0.15, 0.07, 0.05, 0.03)
_YES_FORMS = np.array(["ja", "x", "X", "Ja"], dtype=object)
# counts: 0 number cell, 1 "4", 2 " 4 ", 3 "4.0", 4 number 4.0
_COUNT_VARIANT_P = (0.85, 0.05, 0.04, 0.04, 0.02)
_CASE_FORMS = {
    "EM": ("EM", "emotioneel misbruik", "Emotioneel misbruik", " em"),
    "FM": ("FM", "fysiek misbruik", "Fysiek misbruik", "fm "),
    "IFG": ("IFG", "intrafamiliaal geweld", "Intrafamiliaal geweld", "ifg"),
    "SM": ("SM", "seksueel misbruik", "Seksueel misbruik", " SM "),
    "V": ("V", "verwaarlozing", "Verwaarlozing", "v"),
    "none": ("Geen", "geen", "GEEN", " geen"),
}
_CASE_CODES = tuple(CASE_TYPE_SHARES)
_CASE_FORM_P = (0.78, 0.10, 0.08, 0.04)
_PLAN_B_FORMS = {
    0: ("netwerk", "Netwerk", "NETWERK", " netwerk "),
    1: ("verblijf", "Verblijf", "module verblijf", "verblijf "),
}
_PLAN_B_FORM_P = (0.70, 0.20, 0.05, 0.05)


# ---------------------------------------------------------------------------------------
# Small vectorised helpers
# ---------------------------------------------------------------------------------------


def _apportion(total: int, weights: np.ndarray | tuple) -> np.ndarray:
    """Split ``total`` over ``weights`` in whole numbers (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * total
    base = np.floor(raw).astype(np.int64)
    rest = int(total - base.sum())
    if rest > 0:
        base[np.argsort(-(raw - base), kind="stable")[:rest]] += 1
    return base


def _round(x: np.ndarray | float) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


def _select(
    score: np.ndarray, group: np.ndarray, k: np.ndarray, eligible: np.ndarray | None = None
) -> np.ndarray:
    """Mask of the ``k[g]`` highest-scoring eligible rows of every group ``g``.

    ``group`` holds integers 0..G-1; groups with fewer eligible rows than ``k`` give all
    they have (only at tiny ``n``).
    """
    n = len(score)
    mask = np.zeros(n, dtype=bool)
    idx = np.arange(n) if eligible is None else np.flatnonzero(eligible)
    if len(idx) == 0:
        return mask
    # best first, then stably by group: numpy's stable sort of small ints is a radix sort
    by_score = idx[np.argsort(-score[idx], kind="quicksort")]
    order = by_score[np.argsort(group[by_score].astype(np.int16), kind="stable")]
    g_sorted = group[order]
    starts = np.searchsorted(g_sorted, np.arange(len(k)))
    rank = np.arange(len(order)) - starts[g_sorted]
    mask[order] = rank < np.asarray(k)[g_sorted]
    return mask


def _group_counts(group: np.ndarray, size: int, where: np.ndarray | None = None) -> np.ndarray:
    if where is not None:
        group = group[where]
    return np.bincount(group, minlength=size)


def _stratified_uniform(n: int, rng: np.random.Generator) -> np.ndarray:
    """n uniforms, one in each of n equal strata, in random order (near-exact moments)."""
    if n == 0:
        return np.empty(0)
    return (rng.permutation(n) + rng.random(n)) / n


def _ppf(dist, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a frozen scipy distribution by interpolation on a fine grid.

    scipy's exact ``ppf`` costs about a microsecond per value; at n = 1,000,000 that
    dominates the run. 4,097 grid points keep the error far below a day.
    """
    grid = np.linspace(1e-6, 1 - 1e-6, 4097)
    return np.interp(u, grid, dist.ppf(grid))


def _discrete_ppf(pmf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a distribution on 0..len(pmf)-1 (the tail folded into the last value)."""
    cdf = np.cumsum(pmf)
    cdf[-1] = 1.0
    return np.searchsorted(cdf, u, side="right").clip(0, len(pmf) - 1)


def _rank_assign(values: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Give the sorted ``values`` to rows in the order of ``score`` (rank correlation)."""
    out = np.empty_like(values)
    out[np.argsort(score, kind="stable")] = np.sort(values, kind="stable")
    return out


def _adjust_sum(
    values: np.ndarray, target: int, low: int, high: int, rng: np.random.Generator
) -> np.ndarray:
    """Add or take 1 from random entries until ``values`` sums to ``target`` (within bounds)."""
    values = values.copy()
    for _ in range(50):
        diff = int(target - values.sum())
        if diff == 0 or len(values) == 0:
            break
        step = 1 if diff > 0 else -1
        room = np.flatnonzero((values + step >= low) & (values + step <= high))
        if len(room) == 0:
            break
        pick = rng.choice(room, size=min(abs(diff), len(room)), replace=False)
        values[pick] += step
    return values


def _fit_fraction_mean(
    frac: np.ndarray, length: np.ndarray, fixed_sum: float, target_sum: float, cap: float
) -> np.ndarray:
    """Scale fractions (capped at ``cap``) so that sum(frac * length) hits ``target_sum``."""
    scale = 1.0
    for _ in range(15):
        current = np.minimum(frac * scale, cap) @ length + fixed_sum
        if current <= 0 or abs(current - target_sum) < 1e-5 * max(abs(target_sum), 1):
            break
        scale *= target_sum / current if current > 0 else 1.0
    return np.minimum(frac * scale, cap)


# ---------------------------------------------------------------------------------------
# 1. The truth
# ---------------------------------------------------------------------------------------


@dataclass
class _Truth:
    """What really happened in each of the n trajectories (all arrays of length n)."""

    org: np.ndarray
    closed: np.ndarray
    year: np.ndarray  # closing year index 0..2, -1 when open
    case: np.ndarray  # index into _CASE_CODES
    start: np.ndarray  # days since 1970-01-01
    end: np.ndarray  # days, -1 when open
    consulent_start: np.ndarray  # days, -1 when blank
    consulent_start_typo: np.ndarray  # bool: typed an impossible year
    seq: np.ndarray  # running number within the organisation (Fiche ID)
    step_state: dict[str, np.ndarray] = field(default_factory=dict)  # 1 taken, 0 nee, -1 blank
    step_date: dict[str, np.ndarray] = field(default_factory=dict)  # days
    step_cb: dict[str, np.ndarray] = field(default_factory=dict)
    step_consulent: dict[str, np.ndarray] = field(default_factory=dict)
    step_consulent_date: dict[str, np.ndarray] = field(default_factory=dict)
    step_no_date: dict[str, np.ndarray] = field(default_factory=dict)  # typed "ja"/"x"
    meetings_kind: np.ndarray | None = None  # 0 count, 1 date(s), 2 blank
    meetings: np.ndarray | None = None  # count, -1 when not a count
    meeting_dates: np.ndarray | None = None  # (n, 3) days of meetings for date cells
    meeting_date_n: np.ndarray | None = None  # how many dates a date cell lists
    network_size: np.ndarray | None = None  # -1 blank
    plan_b: np.ndarray | None = None  # 0 network, 1 residential, -1 blank
    plan_b_active: np.ndarray | None = None  # 1 date, 0 nee, -1 blank
    plan_b_date: np.ndarray | None = None  # days
    export_day: int = 0  # the export date (days); no end date on or after it
    n_orgs: int = len(ORG_SIZES)


def org_profile(n_orgs: int) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """Sizes (at n = 370), fidelity and the organisations not registering for the consulent.

    The first twenty are the report-calibrated profile; organisations beyond twenty repeat
    it from the small end (a new provider starts small), so that 20 gives the committed set.
    """
    base = len(ORG_SIZES)
    idx = np.array(
        [i if i < base else base - 1 - ((i - base) % base) for i in range(n_orgs)], dtype=np.int64
    )
    sizes = np.asarray(ORG_SIZES)[idx]
    fidelity = np.asarray(ORG_FIDELITY)[idx]
    without = tuple(i for i in range(n_orgs) if int(idx[i]) in ORGS_WITHOUT_CONSULENT)
    if len(without) == n_orgs:  # somebody must register for the consulent
        without = without[1:]
    return sizes, fidelity, without


def _days(d: dt.date) -> int:
    return int((np.datetime64(d, "D") - _EPOCH).astype(np.int64))


def _simulate(n: int, rng: np.random.Generator, n_orgs: int = len(ORG_SIZES)) -> _Truth:
    """The truth of one report-calibrated period (registration start to export date)."""
    export = _days(config.REPORT_EXPORT_DATE)
    registration_start = _days(config.DASHBOARD_START)
    profile_sizes, profile_fidelity, without_consulent = org_profile(n_orgs)

    # --- who and when ------------------------------------------------------------------
    n_open = int(_round(n * N_OPEN_REPORT / N_REPORT))
    n_closed = n - n_open
    org_sizes = _apportion(n - n_orgs, tuple(profile_sizes)) + 1  # every organisation >= 1
    org = rng.permutation(np.repeat(np.arange(n_orgs), org_sizes))
    closed = np.zeros(n, dtype=bool)
    closed[:n_closed] = True
    year = np.full(n, -1, dtype=np.int64)
    year[:n_closed] = np.repeat(np.arange(3), _apportion(n_closed, CLOSED_BY_YEAR))
    # selection groups: closing year 0..2 for closed rows, 3 for open rows
    grp = np.where(closed, year, 3)

    case = rng.permutation(np.repeat(np.arange(6), _apportion(n, tuple(CASE_TYPE_SHARES.values()))))

    engagement = profile_fidelity[org] * 0.8 + rng.standard_normal(n)

    # closed: end date uniform within the closing year's window, duration by bands
    windows = (
        (registration_start, _days(dt.date(2021, 12, 31))),
        (_days(dt.date(2022, 1, 1)), _days(dt.date(2022, 12, 31))),
        (_days(dt.date(2023, 1, 1)), export - 1),
    )
    lo = np.array([w[0] for w in windows])[year[:n_closed]]
    hi = np.array([w[1] for w in windows])[year[:n_closed]]
    end = np.full(n, -1, dtype=np.int64)
    end[:n_closed] = lo + np.floor(_stratified_uniform(n_closed, rng) * (hi - lo + 1)).astype(
        np.int64
    )
    duration = np.zeros(n)
    # longer trajectories tend to close later (registration only started in May 2021)
    end_rank = np.argsort(np.argsort(end[:n_closed], kind="stable"), kind="stable") / max(
        n_closed, 1
    )
    duration[:n_closed] = _rank_assign(
        _durations(n_closed, rng), end_rank + rng.normal(0, 0.35, n_closed)
    )
    # open: months since the start at the export date (most started in the last year)
    u_open = _stratified_uniform(n_open, rng)
    duration[n_closed:] = np.clip(_ppf(stats.gamma(1.6, scale=4.6), u_open), 0.2, 28.0)
    length_days = np.maximum(_round(duration * MONTH_DAYS), 1)
    start = np.where(closed, end - length_days, export - length_days)

    truth = _Truth(
        org=org,
        closed=closed,
        year=year,
        case=case,
        start=start,
        end=end,
        consulent_start=np.full(n, -1, dtype=np.int64),
        consulent_start_typo=np.zeros(n, dtype=bool),
        seq=np.zeros(n, dtype=np.int64),
        export_day=export,
        n_orgs=n_orgs,
    )
    horizon = np.where(closed, end, export - 1)  # last day a step can be dated
    length_days = horizon - start

    registers_consulent = ~np.isin(org, without_consulent)
    cs_fill = registers_consulent & (rng.random(n) < 0.85)
    truth.consulent_start = np.where(cs_fill, start - rng.integers(0, 46, n), -1)
    n_typo = max(1, int(_round(2 * n / N_REPORT)))
    typo = rng.choice(np.flatnonzero(cs_fill), size=min(n_typo, int(cs_fill.sum())), replace=False)
    truth.consulent_start_typo[typo] = True

    _number_within_organisation(truth)

    # --- all steps (closed): 67/236, 79,1% of them lasting 8 months or more -------------
    is_closed = closed  # readable alias in the quota code below
    long8 = is_closed & (duration >= 8.0)
    all_steps_k = _round(np.asarray(ALL_STEPS_BY_YEAR) * _group_counts(grp, 4)[:3])
    cell = np.where(is_closed, year * 2 + long8.astype(np.int64), 6)
    k_cell = np.zeros(7, dtype=np.int64)
    k_long = _long_quota(all_steps_k, _group_counts(grp, 4, long8)[:3])
    k_cell[0:6:2] = all_steps_k - k_long
    k_cell[1:6:2] = k_long
    all_steps = _select(engagement + rng.normal(0, 0.7, n), cell, k_cell, is_closed)
    not_a = is_closed & ~all_steps

    state = {k: np.full(n, -1, dtype=np.int8) for k in STEP_KEYS}
    n_year = _group_counts(grp, 4)

    # child plan: yes over all closed by year, blanks among the others
    child = state["safety_plan_child"]
    k_child = _round(np.asarray(CHILD_PLAN_BY_YEAR) * n_year[:3])
    k_child_extra = np.append(np.maximum(k_child - _group_counts(grp, 4, all_steps)[:3], 0), 0)
    child_yes = all_steps | _select(engagement + rng.normal(0, 1, n), grp, k_child_extra, not_a)
    child[is_closed] = 0
    child[child_yes] = 1
    k_blank = np.append(_round(CHILD_PLAN_BLANK * n_year[:3]), 0)
    child_blank = _select(rng.random(n), grp, k_blank, is_closed & ~child_yes)
    child[child_blank] = -1

    # every other closed trajectory misses at least one item, so "all steps" stays exact
    gap = np.full(n, -1, dtype=np.int64)  # index into STEP_KEYS, 10 = network meeting
    needs_gap = not_a & child_yes
    gap_choices = np.array([8, 7, 10, 2, 6])
    gap[needs_gap] = rng.choice(
        gap_choices, size=int(needs_gap.sum()), p=(0.35, 0.2, 0.2, 0.15, 0.1)
    )
    gap[not_a & ~child_yes] = 9

    def closed_step(key: str, k_yes: np.ndarray, blank_share: float, score_w: float) -> None:
        idx = STEP_KEYS.index(key)
        st = state[key]
        st[is_closed] = 0
        k_blank = np.append(_round(blank_share * n_year[:3]), 0)
        blank = _select(rng.random(n), grp, k_blank, not_a & (gap != idx))
        known = is_closed & ~blank
        k_rest = np.append(
            np.maximum(np.asarray(k_yes) - _group_counts(grp, 4, all_steps)[:3], 0), 0
        )
        yes = all_steps | _select(
            score_w * engagement + rng.normal(0, 1, n), grp, k_rest, not_a & known & (gap != idx)
        )
        st[yes] = 1
        st[blank] = -1

    # adult plan: per closing year, no blanks (χ² N = 236, line 5310)
    closed_step("safety_plan_adult", _round(np.asarray(ADULT_PLAN_BY_YEAR) * n_year[:3]), 0.0, 1.0)
    adult_yes = state["safety_plan_adult"] == 1

    # W&P: per closing year over known, 90,3% among adult plans (year x adult plan groups)
    wp = state["words_pictures"]
    wp[is_closed] = 0
    wp_idx = STEP_KEYS.index("words_pictures")
    k_wp_blank = np.append(_round(WP_BLANK * n_year[:3]), 0)
    wp_blank = _select(rng.random(n), grp, k_wp_blank, not_a & ~adult_yes & (gap != wp_idx))
    known = is_closed & ~wp_blank
    g2 = np.where(is_closed, year * 2 + adult_yes, 6)
    known_g2 = _group_counts(g2, 7, known)
    k_adult = _round(WP_WITH_ADULT_PLAN * known_g2[1:6:2])
    k_total = _round(np.asarray(WP_BY_YEAR) * _group_counts(grp, 4, known)[:3])
    k_g2 = np.zeros(7, dtype=np.int64)
    k_g2[1:6:2] = k_adult
    k_g2[0:6:2] = np.clip(k_total - k_adult, 0, known_g2[0:6:2])
    k_g2_rest = np.maximum(k_g2 - _group_counts(g2, 7, all_steps), 0)
    wp_yes = all_steps | _select(
        engagement + rng.normal(0, 1, n), g2, k_g2_rest, not_a & known & (gap != wp_idx)
    )
    wp[wp_yes] = 1
    wp[wp_blank] = -1

    for key, share in CLOSED_STEP_SHARE.items():
        k_yes = _round(share * (1 - CLOSED_STEP_BLANK) * n_year[:3])
        closed_step(key, k_yes, CLOSED_STEP_BLANK, 0.6)

    # open trajectories: taken / "nee" / blank
    is_open = ~closed
    for key, share in OPEN_STEP_SHARE.items():
        st = state[key]
        frac, _ = STEP_TIMING[key]
        # later steps are more likely taken in trajectories that have run longer
        score = engagement + 1.5 * np.log1p(duration) * frac + rng.normal(0, 1, n)
        # "not yet" left blank first, then the share taken among the registered ones
        n_blank = int(_round((1 - share) * OPEN_NOT_TAKEN_BLANK * n_open))
        blank = _select(-score, grp, np.array([0, 0, 0, n_blank]), is_open)
        k = np.array([0, 0, 0, int(_round(share * (n_open - n_blank)))])
        yes = _select(score, grp, k, is_open & ~blank)
        st[is_open] = np.where(yes[is_open], 1, np.where(blank[is_open], -1, 0))
    truth.step_state = state

    # --- step dates ----------------------------------------------------------------------
    for key in STEP_KEYS:
        taken = state[key] == 1
        mean_frac, pre_share = STEP_TIMING[key]
        a = 4.0
        frac = rng.beta(a * mean_frac / (1 - mean_frac), a, n)
        frac = np.clip(frac, 0.0, 0.995)
        k_pre = max(1, int(_round(pre_share * taken.sum()))) if taken.any() else 0
        pre = _select(rng.random(n), np.zeros(n, dtype=np.int64), np.array([k_pre]), taken)
        pre_days = -_round(rng.uniform(0.05, -PRE_START_MIN, n) * MONTH_DAYS)
        if key == "safety_plan_adult":
            tk = np.flatnonzero(taken)
            if len(tk):
                pre_idx = tk[pre[tk]]
                if len(pre_idx):
                    pre_days[pre_idx[0]] = -int(_round(-PRE_START_MIN * MONTH_DAYS))
                pos = taken & ~pre
                target = ADULT_PLAN_OFFSET_MEAN * MONTH_DAYS * taken.sum()
                frac[pos] = _fit_fraction_mean(
                    frac[pos],
                    length_days[pos].astype(float),
                    float(pre_days[pre].sum()),
                    target,
                    0.995,
                )
        offset = np.where(pre, pre_days, _round(frac * length_days))
        if key == "safety_plan_adult":
            cap = int(_round(ADULT_PLAN_OFFSET_MAX * MONTH_DAYS))
            offset = np.minimum(offset, cap)
            longest = np.flatnonzero(taken & ~pre & (length_days >= cap))
            if len(longest):
                offset[longest[np.argmax(offset[longest])]] = cap
        truth.step_date[key] = np.where(taken, start + offset, -1)

    # --- partnership (Fig. 6) --------------------------------------------------------------
    cons_score_org = rng.uniform(-0.6, 0.6, n_orgs)
    for key in STEP_KEYS:
        taken = state[key] == 1
        n_taken = int(taken.sum())
        k_cons = int(_round(CONSULENT_SHARE[key] * n_taken))
        # every organisation that registers for the consulent does so at least once
        first_of_org = np.zeros(n)
        if key == "mapping_internal":
            rows = np.flatnonzero(taken & registers_consulent)
            first_of_org[rows[np.unique(org[rows], return_index=True)[1]]] = 10.0
        cons = _select(
            cons_score_org[org] + first_of_org + rng.normal(0, 1, n),
            np.zeros(n, dtype=np.int64),
            np.array([k_cons]),
            taken & registers_consulent,
        )
        k_only = int(_round(CONSULENT_ONLY_SHARE[key] * n_taken))
        only = _select(rng.random(n), np.zeros(n, dtype=np.int64), np.array([k_only]), cons)
        truth.step_consulent[key] = cons
        truth.step_cb[key] = taken & ~only
        # "ja" / "x" instead of a date, never on the earliest or latest dated step
        offset = np.where(taken, truth.step_date[key] - start, 0)
        extreme = np.zeros(n, dtype=bool)
        if taken.any():
            extreme[np.flatnonzero(taken)[[np.argmin(offset[taken]), np.argmax(offset[taken])]]] = (
                True
            )
        k_nd = int(_round(TAKEN_WITHOUT_DATE * n_taken))
        truth.step_no_date[key] = _select(
            rng.random(n),
            np.zeros(n, dtype=np.int64),
            np.array([k_nd]),
            truth.step_cb[key] & ~extreme,
        )
        shift = np.where(rng.random(n) < 0.25, rng.integers(1, 15, n), 0)
        d = truth.step_date[key]
        truth.step_consulent_date[key] = np.where(
            cons, np.where(only, d, np.minimum(d + shift, horizon)), -1
        )

    # --- network meetings ------------------------------------------------------------------
    _simulate_meetings(truth, rng, grp, n_year, all_steps, adult_yes, gap, engagement, horizon)

    # --- network figures -------------------------------------------------------------------
    size = np.full(n, -1, dtype=np.int64)
    k_blank = _round(
        np.append(NETWORK_SIZE_BLANK_CLOSED * n_year[:3], NETWORK_SIZE_BLANK_OPEN * n_open)
    )
    blank_score = rng.random(n) + (truth.meetings_kind == 2) * 0.8  # mostly the same rows
    blank = _select(blank_score, grp, k_blank)
    known = ~blank
    p_ns = NETWORK_SIZE_DISPERSION / (NETWORK_SIZE_DISPERSION + NETWORK_SIZE_MEAN)
    pmf = stats.nbinom.pmf(np.arange(NETWORK_SIZE_MAX + 1), NETWORK_SIZE_DISPERSION, p_ns)
    score = NETWORK_SIZE_ADULT_PLAN_WEIGHT * adult_yes + 0.1 * engagement + rng.normal(0, 1, n)
    # the same distribution in every closing year (the report's F(2,205) = 1.27 is n.s.),
    # ranked within the year by the adult plan (Mann–Whitney, line 5346)
    for g in range(4):
        rows = np.flatnonzero(known & (grp == g))
        if len(rows) == 0:
            continue
        values = _discrete_ppf(pmf, _stratified_uniform(len(rows), rng)).astype(np.int64)
        values = _adjust_sum(
            values, int(_round(NETWORK_SIZE_MEAN * len(values))), 0, NETWORK_SIZE_MAX, rng
        )
        size[rows] = _rank_assign(values, score[rows])
    if known.sum() >= 50:
        size[np.flatnonzero(size == size.max())[0]] = NETWORK_SIZE_MAX
        size[np.flatnonzero(known & (size == size[known].min()))[0]] = 0
    truth.network_size = size

    # --- plan B ----------------------------------------------------------------------------
    _simulate_plan_b(truth, rng, grp, n_year, n_open, duration, length_days)
    return truth


def _number_within_organisation(truth: _Truth) -> None:
    """Fiche ID numbers: 1, 2, ... within each organisation, in order of the start date."""
    org, start, n = truth.org, truth.start, len(truth.org)
    order = np.lexsort((start, org))
    org_sorted = org[order]
    first = np.searchsorted(org_sorted, np.arange(truth.n_orgs))
    truth.seq[order] = np.arange(n) - first[org_sorted] + 1


#: Fields of ``_Truth`` holding days since 1970 (-1 or below: no date).
_DAY_FIELDS = ("start", "end", "consulent_start", "meeting_dates", "plan_b_date")
_DAY_DICT_FIELDS = ("step_date", "step_consulent_date")


def _shift_truth(truth: _Truth, days: int) -> None:
    """Move every date of ``truth`` (and its export date) ``days`` days later."""
    if days == 0:
        return

    def moved(values: np.ndarray) -> np.ndarray:
        return np.where(values >= 0, values + days, values)

    for name in _DAY_FIELDS:
        values = getattr(truth, name)
        if values is not None:
            setattr(truth, name, moved(values))
    for name in _DAY_DICT_FIELDS:
        setattr(truth, name, {k: moved(v) for k, v in getattr(truth, name).items()})
    truth.export_day += days


def _truth_rows(truth: _Truth, keep: np.ndarray) -> _Truth:
    """The trajectories ``keep`` (a boolean mask) of ``truth``."""
    out = {}
    for f in fields(truth):
        value = getattr(truth, f.name)
        if isinstance(value, np.ndarray):
            out[f.name] = value[keep]
        elif isinstance(value, dict):
            out[f.name] = {k: v[keep] for k, v in value.items()}
        else:
            out[f.name] = value
    return _Truth(**out)


def _concat_truths(parts: list[_Truth]) -> _Truth:
    out = {}
    for f in fields(parts[0]):
        first = getattr(parts[0], f.name)
        if isinstance(first, np.ndarray):
            out[f.name] = np.concatenate([getattr(p, f.name) for p in parts])
        elif isinstance(first, dict):
            out[f.name] = {k: np.concatenate([getattr(p, f.name)[k] for p in parts]) for k in first}
        else:
            out[f.name] = getattr(parts[-1], f.name)
    truth = _Truth(**out)
    _number_within_organisation(truth)
    return truth


def period_shifts(start: dt.date | None, export_date: dt.date | None) -> tuple[int, ...]:
    """Day shifts of the report-calibrated periods that tile ``start`` .. ``export_date``.

    The report's period runs from the dashboard start (1 May 2021) to its export
    (5 October 2023). One period, moved to end at ``export_date``, covers a span up to
    about one and a half times that long; a longer span (a cumulative export) is covered
    by several periods spread evenly from ``start`` to ``export_date``.
    """
    base_start, base_export = config.DASHBOARD_START, config.REPORT_EXPORT_DATE
    export_date = export_date or base_export
    last = (export_date - base_export).days
    if start is None:
        return (last,)
    if start >= export_date:
        raise SofsInputError(
            f"--start ({start.isoformat()}) must lie before the export date "
            f"({export_date.isoformat()})"
        )
    span = (export_date - start).days
    base_span = (base_export - base_start).days
    k = max(1, int(round(span / base_span)))
    if k == 1:
        return (last,)
    first = (start - base_start).days
    return tuple(int(round(first + (last - first) * i / (k - 1))) for i in range(k))


def simulate_period(
    seed: int,
    n: int,
    *,
    start: dt.date | None = None,
    export_date: dt.date | None = None,
    n_orgs: int = len(ORG_SIZES),
) -> _Truth:
    """The truth of an export covering ``start`` .. ``export_date`` (default: the report's).

    Each report-calibrated period is simulated with its own seed and moved in time; of
    every period but the last only the closed trajectories are kept (the others are the
    later periods' business), so a cumulative export holds every closing year once.
    """
    shifts = period_shifts(start, export_date)
    if len(shifts) == 1:
        truth = _simulate(n, np.random.default_rng([seed, 1]), n_orgs)
        _shift_truth(truth, shifts[0])
        return truth
    parts: list[_Truth] = []
    kept = 0
    share = max(n_orgs, int(round(n / len(shifts))))
    for i, shift in enumerate(shifts[:-1]):
        part = _simulate(share, np.random.default_rng([seed, 1, i + 1]), n_orgs)
        _shift_truth(part, shift)
        part = _truth_rows(part, part.closed)
        parts.append(part)
        kept += len(part.org)
    rest = max(n_orgs, n - kept)
    last = _simulate(rest, np.random.default_rng([seed, 1, len(shifts)]), n_orgs)
    _shift_truth(last, shifts[-1])
    parts.append(last)
    return _concat_truths(parts)


def _long_quota(k_year: np.ndarray, long_avail: np.ndarray) -> np.ndarray:
    """Per closing year, how many all-steps trajectories last 8 months or longer.

    The total is ``ALL_STEPS_LONG`` of all of them; a year with too few long trajectories
    passes its share on to the other years (three years: a loop over years, not rows).
    """
    total = int(_round(ALL_STEPS_LONG * k_year.sum()))
    k = np.minimum(_round(ALL_STEPS_LONG * k_year), np.minimum(long_avail, k_year))
    for y in np.argsort(-(long_avail - k), kind="stable"):
        room = int(min(k_year[y], long_avail[y]) - k[y])
        extra = min(max(total - int(k.sum()), 0), room)
        k[y] += extra
    return k


def _durations(n_closed: int, rng: np.random.Generator) -> np.ndarray:
    """Closed module durations (months) in three bands with mean ``DURATION_MEAN``."""
    band = rng.permutation(np.repeat(np.arange(3), _apportion(n_closed, DURATION_BANDS)))
    u = _stratified_uniform(n_closed, rng)
    out = np.empty(n_closed)
    low = band == 0
    mid = band == 1
    high = band == 2
    # below 8: skewed towards the guideline's 4–8 months
    out[low] = DURATION_MIN + (8.0 - 0.02 - DURATION_MIN) * _ppf(stats.beta(2.2, 1.4), u[low])
    out[mid] = 8.0 + 0.98 * u[mid]
    # from 9: exponential tail, scaled so that the overall mean is DURATION_MEAN
    fixed = out[low].sum() + out[mid].sum()
    need = DURATION_MEAN * n_closed - fixed
    n_high = int(high.sum())
    if n_high:
        tail = -np.log1p(-np.clip(u[high], 0, 0.999))
        tail = tail / tail.mean() if tail.mean() > 0 else tail
        excess = max(need / n_high - 9.0, 0.5)
        for _ in range(20):  # the cap at DURATION_MAX trims the mean a little: refit
            vals = np.minimum(9.0 + excess * tail, DURATION_MAX)
            gap = need - vals.sum()
            if abs(gap) < 1e-6:
                break
            excess += gap / n_high
        out[high] = np.minimum(9.0 + excess * tail, DURATION_MAX)
    return out


def _simulate_meetings(
    truth: _Truth,
    rng: np.random.Generator,
    grp: np.ndarray,
    n_year: np.ndarray,
    all_steps: np.ndarray,
    adult_yes: np.ndarray,
    gap: np.ndarray,
    engagement: np.ndarray,
    horizon: np.ndarray,
) -> None:
    n = len(grp)
    closed = truth.closed
    not_a = closed & ~all_steps
    kind = np.zeros(n, dtype=np.int8)
    # blanks: the closed trajectories whose gap is the meeting first, then random
    k_blank = _round(np.append(MEETINGS_BLANK_CLOSED * n_year[:3], MEETINGS_BLANK_OPEN * n_year[3]))
    blank = _select(rng.random(n) + 10.0 * (gap == 10), grp, k_blank, not_a | ~closed)
    kind[blank] = 2
    nonblank = ~blank
    k_date = _round(
        np.append(
            MEETINGS_DATE_SHARE * _group_counts(grp, 4, nonblank)[:3],
            MEETINGS_DATE_SHARE_OPEN * _group_counts(grp, 4, nonblank)[3],
        )
    )
    date_kind = _select(rng.random(n), grp, k_date, nonblank & (gap != 10))
    kind[date_kind] = 1
    count_rows = kind == 0

    # zeros (no meeting held): by adult plan among the known, never in all-steps rows
    known = kind != 2
    g2 = np.where(closed, grp * 2 + adult_yes, 6)
    known_g2 = _group_counts(g2, 7, known)
    k_zero = np.zeros(7, dtype=np.int64)
    k_zero[1:6:2] = _round(NO_MEETING_WITH_ADULT_PLAN * known_g2[1:6:2])
    k_zero[0:6:2] = _round(NO_MEETING_WITHOUT_ADULT_PLAN * known_g2[0:6:2])
    k_zero[6] = _round(NO_MEETING_OPEN * known_g2[6])
    zero_score = rng.random(n) + 10.0 * (gap == 10) - engagement * 0.3
    zero = _select(zero_score, g2, k_zero, count_rows & ~all_steps)
    # a meeting-gap row that is a count must be 0
    zero |= count_rows & (gap == 10)

    counts = np.full(n, -1, dtype=np.int64)
    counts[zero] = 0
    positive = count_rows & ~zero
    means = np.append(MEETINGS_MEAN_BY_YEAR, MEETINGS_MEAN_OPEN)
    for g in range(4):
        rows_g = np.flatnonzero(count_rows & (grp == g))
        pos_g = np.flatnonzero(positive & (grp == g))
        if len(pos_g) == 0:
            continue
        target_sum = int(_round(means[g] * len(rows_g)))
        n_high = min(int(_round(MEETINGS_SIX_PLUS[g] * len(rows_g))), len(pos_g))
        low = (
            np.searchsorted(
                np.cumsum(MEETINGS_LOW_WEIGHTS), _stratified_uniform(len(pos_g) - n_high, rng)
            )
            + 1
        )
        low = np.minimum(low, 5)
        high_mean = max((target_sum - low.sum()) / max(n_high, 1), 6.5)
        high = 6 + np.floor(
            -np.log1p(-_stratified_uniform(n_high, rng)) * (high_mean - 6) + 0.5
        ).astype(np.int64)
        high = np.minimum(high, MEETINGS_MAX)
        high = _adjust_sum(high, max(target_sum - int(low.sum()), 6 * n_high), 6, MEETINGS_MAX, rng)
        values = np.concatenate([low, high]).astype(np.int64)
        score = 1.0 * adult_yes[pos_g] + 0.5 * engagement[pos_g] + rng.normal(0, 1, len(pos_g))
        counts[pos_g] = _rank_assign(values, score)
    if count_rows.sum() >= 50:
        top = np.flatnonzero(counts == counts.max())[0]
        counts[top] = MEETINGS_MAX

    # date cells: one to three meeting dates between the start and the horizon
    span = np.maximum(horizon - truth.start, 1)
    dates = truth.start[:, None] + np.sort(
        np.floor(rng.random((n, 3)) * span[:, None]).astype(np.int64), axis=1
    )
    truth.meetings_kind = kind
    truth.meetings = counts
    truth.meeting_dates = dates
    truth.meeting_date_n = rng.choice(np.array([1, 2, 3]), size=n, p=(0.6, 0.3, 0.1))


def _simulate_plan_b(
    truth: _Truth,
    rng: np.random.Generator,
    grp: np.ndarray,
    n_year: np.ndarray,
    n_open: int,
    duration: np.ndarray,
    length_days: np.ndarray,
) -> None:
    n = len(grp)
    closed = truth.closed
    kind = np.full(n, -1, dtype=np.int8)
    active = np.full(n, -1, dtype=np.int8)

    # closed: active per year; kind among active and among the others
    k_active = np.append(_round(PLAN_B_ACTIVE_CLOSED * n_year[:3]), 0)
    is_active = _select(rng.random(n), grp, k_active, closed)
    active[closed] = 0
    active[is_active] = 1
    n_act = _group_counts(grp, 4, is_active)[:3]
    net_act = _round(PLAN_B_KIND_ACTIVE[0] * n_act)
    res_act = np.minimum(_round(PLAN_B_KIND_ACTIVE[1] * n_act), n_act - net_act)
    known_kind = _round((1 - PLAN_B_KIND_BLANK_CLOSED) * n_year[:3])
    known_kind = np.maximum(known_kind, net_act + res_act)
    net_total = _round(np.asarray(PLAN_B_NETWORK_BY_YEAR) * known_kind)
    net_inact = np.clip(net_total - net_act, 0, n_year[:3] - n_act)
    res_inact = np.clip(known_kind - net_total - res_act, 0, n_year[:3] - n_act - net_inact)

    g2 = np.where(closed, grp * 2 + is_active, 6)
    k_net = np.zeros(7, dtype=np.int64)
    k_net[1:6:2] = net_act
    k_net[0:6:2] = net_inact
    net = _select(rng.random(n), g2, k_net, closed)
    k_res = np.zeros(7, dtype=np.int64)
    k_res[1:6:2] = res_act
    k_res[0:6:2] = res_inact
    res = _select(rng.random(n), g2, k_res, closed & ~net)
    kind[net] = 0
    kind[res] = 1

    # open: plan B at the start (half blank), a few already in effect
    is_open = ~closed
    k_open = _apportion(n_open, (PLAN_B_OPEN[0], PLAN_B_OPEN[1], 1 - sum(PLAN_B_OPEN)))
    open_kind = rng.permutation(np.repeat(np.array([0, 1, -1], dtype=np.int8), k_open))
    kind[is_open] = open_kind
    open_active = is_open & (kind >= 0) & (rng.random(n) < PLAN_B_ACTIVE_OPEN / 0.5)
    active[is_open] = np.where(rng.random(n_open) < 0.5, 0, -1)
    active[open_active] = 1
    truth.plan_b = kind
    truth.plan_b_active = active

    # months from start to plan B in effect: 21% at or before the start, mean 3,6
    act = active == 1
    n_act_all = int(act.sum())
    offsets = np.zeros(n)
    if n_act_all:
        lo, hi = PLAN_B_OFFSET_RANGE
        early = _select(
            rng.random(n),
            np.zeros(n, dtype=np.int64),
            np.array([int(_round(PLAN_B_AT_OR_BEFORE_START * n_act_all))]),
            act,
        )
        offsets[early] = -np.round(rng.uniform(0, 1, n)[early] ** 1.5 * -lo, 1)
        late = act & ~early
        max_m = np.minimum(hi, length_days / MONTH_DAYS - 0.05)
        frac = rng.beta(1.6, 2.2, n)
        target = PLAN_B_OFFSET_MEAN * n_act_all - offsets[early].sum()
        frac[late] = _fit_fraction_mean(frac[late], max_m[late], 0.0, target, 1.0)
        offsets[late] = np.maximum(frac[late] * max_m[late], 0.1)
        if n_act_all >= 30:
            e = np.flatnonzero(early)
            if len(e):
                offsets[e[np.argmin(offsets[e])]] = lo
            cand = np.flatnonzero(late & (max_m >= hi))
            if len(cand):
                offsets[cand[np.argmax(offsets[cand])]] = hi
    truth.plan_b_date = np.where(act, truth.start + _round(offsets * MONTH_DAYS), -1)


# ---------------------------------------------------------------------------------------
# 2. How people typed it
# ---------------------------------------------------------------------------------------


@dataclass
class _Variants:
    date_kind: dict[str, np.ndarray]  # per date-bearing column: 0..6 (see _DATE_VARIANT_P)
    nee_form: dict[str, np.ndarray]
    yes_form: np.ndarray  # per row (index into _YES_FORMS) for "ja"/"x" cells
    cons_nee: np.ndarray  # consulent column says "nee" instead of blank
    cb_nee_when_cons_only: np.ndarray
    count_kind: np.ndarray  # meetings
    size_kind: np.ndarray  # network figures
    meeting_text: np.ndarray  # date cell: 0 Excel date, 1 text, separator choice in 2/3
    case_form: np.ndarray
    plan_b_form: np.ndarray
    end_open_nee: np.ndarray


_DATE_COLUMNS = (
    "Startdatum CB",
    "Startdatum consulent",
    *(f"{s.header} {who}" for s in STEPS for who in ("CB", "consulent")),
    "Plan B in werking",
    "Einddatum",
)


def _draw_variants(n: int, rng: np.random.Generator) -> _Variants:
    date_kind = {
        c: rng.choice(len(_DATE_VARIANT_P), size=n, p=_DATE_VARIANT_P).astype(np.int8)
        for c in _DATE_COLUMNS
    }
    nee_form = {
        c: rng.choice(len(_NEE_P), size=n, p=_NEE_P).astype(np.int8)
        for c in (*_DATE_COLUMNS[2:], "Einddatum")
    }
    return _Variants(
        date_kind=date_kind,
        nee_form=nee_form,
        yes_form=rng.integers(0, len(_YES_FORMS), n).astype(np.int8),
        cons_nee=rng.random(n) < 0.2,
        cb_nee_when_cons_only=rng.random(n) < 0.5,
        count_kind=rng.choice(len(_COUNT_VARIANT_P), size=n, p=_COUNT_VARIANT_P).astype(np.int8),
        size_kind=rng.choice(len(_COUNT_VARIANT_P), size=n, p=_COUNT_VARIANT_P).astype(np.int8),
        meeting_text=rng.choice(4, size=n, p=(0.35, 0.25, 0.25, 0.15)).astype(np.int8),
        case_form=rng.choice(len(_CASE_FORM_P), size=n, p=_CASE_FORM_P).astype(np.int8),
        plan_b_form=rng.choice(len(_PLAN_B_FORM_P), size=n, p=_PLAN_B_FORM_P).astype(np.int8),
        end_open_nee=rng.random(n) < 0.3,
    )


# ---------------------------------------------------------------------------------------
# 3. Extra rows on top of the n trajectories
# ---------------------------------------------------------------------------------------


@dataclass
class _RowPlan:
    """Output row r shows trajectory ``source[r]`` (-1: fully blank row) with overrides."""

    source: np.ndarray
    drop_id: np.ndarray  # bool: Fiche ID left empty
    drop_org: np.ndarray  # bool: Organisatie left empty
    new_seq: np.ndarray  # int: a fresh id number (conflicting pairs), 0 = keep
    conflict_edit: np.ndarray  # bool: second row of a conflicting pair differs here


def _row_plan(truth: _Truth, rng: np.random.Generator) -> _RowPlan:
    n = len(truth.org)
    scale = n / N_REPORT
    n_dup = max(1, int(_round(3 * scale)))
    n_conf = max(1, int(_round(2 * scale)))
    n_unusable = max(1, int(_round(3 * scale)))
    n_blank = max(1, int(_round(2 * scale)))

    dup_src = rng.choice(n, size=n_dup, replace=False)
    conf_src = rng.choice(n, size=n_conf, replace=False)
    unus_src = rng.choice(n, size=n_unusable, replace=False)

    # sort keys: originals at 2i, a duplicate right after its original (2i+1),
    # the other extra rows at random places
    # trajectories appear in the order they were registered (start date)
    rank = np.empty(n)
    rank[np.argsort(truth.start, kind="stable")] = np.arange(n)
    key = np.concatenate(
        [
            rank * 2.0,
            rank[dup_src] * 2.0 + 1.0,
            np.repeat(rng.uniform(0, 2 * n, n_conf), 2) + np.tile([0.25, 0.5], n_conf),
            rng.uniform(0, 2 * n, n_unusable) + 0.75,
            rng.uniform(0, 2 * n, n_blank) + 0.125,
        ]
    )
    source = np.concatenate(
        [np.arange(n), dup_src, np.repeat(conf_src, 2), unus_src, np.full(n_blank, -1)]
    )
    total = len(source)
    kind = np.concatenate(
        [
            np.zeros(n + n_dup, dtype=np.int8),
            np.full(2 * n_conf, 1, dtype=np.int8),
            np.full(n_unusable, 2, dtype=np.int8),
            np.full(n_blank, 3, dtype=np.int8),
        ]
    )
    # conflicting pairs get an id beyond every organisation's range, unique per pair
    new_seq = np.zeros(total, dtype=np.int64)
    new_seq[kind == 1] = np.repeat(10_000_000 + np.arange(n_conf), 2)
    conflict_edit = np.zeros(total, dtype=bool)
    conflict_edit[np.flatnonzero(kind == 1)[1::2]] = True
    unus_rows = np.flatnonzero(kind == 2)
    drop_org = np.zeros(total, dtype=bool)
    drop_id = np.zeros(total, dtype=bool)
    drop_org[unus_rows[2::3]] = True
    drop_id[unus_rows] = ~drop_org[unus_rows]

    order = np.argsort(key, kind="stable")
    return _RowPlan(
        source=source[order],
        drop_id=drop_id[order],
        drop_org=drop_org[order],
        new_seq=new_seq[order],
        conflict_edit=conflict_edit[order],
    )


# ---------------------------------------------------------------------------------------
# 4. Rendering cells
# ---------------------------------------------------------------------------------------

# cell types
_EMPTY, _TEXT, _DATE, _NUMBER = 0, 1, 2, 3


@dataclass
class _Cells:
    """One column of cells: a type per cell plus the value arrays for each type."""

    kind: np.ndarray
    text: np.ndarray  # object (str) where kind == _TEXT
    date: np.ndarray  # int days where kind == _DATE
    number: np.ndarray  # float where kind == _NUMBER


_TABLE_FIRST_DAY = int((np.datetime64("2005-01-01", "D") - _EPOCH).astype(np.int64))
_TABLE_DAYS = 40 * 366
_DATE_TABLES: dict[int, np.ndarray] = {}


def _date_table(style: int) -> np.ndarray:
    """Every day from 2005 to 2045 written in one style (built once, then indexed)."""
    if style not in _DATE_TABLES:
        days = np.arange(_TABLE_FIRST_DAY, _TABLE_FIRST_DAY + _TABLE_DAYS)
        iso = np.datetime_as_string(days.astype("datetime64[D]"), unit="D")
        yyyy = np.strings.slice(iso, 0, 4)
        mm = np.strings.slice(iso, 5, 7)
        dd = np.strings.slice(iso, 8, 10)
        add = np.strings.add
        if style == 2:
            text = add(add(add(add(dd, "/"), mm), "/"), yyyy)
        elif style == 3:
            d1, m1 = np.strings.lstrip(dd, "0"), np.strings.lstrip(mm, "0")
            text = add(add(add(add(d1, "-"), m1), "-"), yyyy)
        elif style == 4:
            text = add(add(add(add(dd, "."), mm), "."), np.strings.slice(iso, 2, 4))
        elif style == 5:
            text = iso
        elif style == 6:
            text = add(add(" ", _date_table(2)), " ")
        else:
            raise ValueError(style)
        _DATE_TABLES[style] = text.astype(object)
    return _DATE_TABLES[style]


def _date_strings(days: np.ndarray, style: int) -> np.ndarray:
    """Dates (days since 1970) as text in one of the typed styles (object array)."""
    idx = np.clip(np.asarray(days, dtype=np.int64) - _TABLE_FIRST_DAY, 0, _TABLE_DAYS - 1)
    return _date_table(style)[idx]


def _date_cells(days: np.ndarray, present: np.ndarray, variant: np.ndarray) -> _Cells:
    m = len(days)
    kind = np.where(present, _DATE, _EMPTY).astype(np.int8)
    text = np.full(m, None, dtype=object)
    number = np.zeros(m)
    serial = present & (variant == 1)
    kind[serial] = _NUMBER
    number[serial] = days[serial] + _EXCEL_EPOCH_OFFSET
    for style in range(2, 7):
        rows = present & (variant == style)
        if rows.any():
            text[rows] = _date_strings(days[rows], style).astype(object)
            kind[rows] = _TEXT
    return _Cells(kind, text, days.copy(), number)


def _text_cells(values: np.ndarray) -> _Cells:
    """Cells from an object array of str/None."""
    m = len(values)
    present = ~pd.isna(values)
    return _Cells(
        np.where(present, _TEXT, _EMPTY).astype(np.int8),
        values.astype(object),
        np.zeros(m, dtype=np.int64),
        np.zeros(m),
    )


def _overlay(base: _Cells, mask: np.ndarray, text: np.ndarray) -> _Cells:
    """Put text ``text[mask]`` into the cells where ``mask`` (others unchanged)."""
    base.kind[mask] = _TEXT
    base.text[mask] = text[mask]
    return base


def _count_cells(values: np.ndarray, present: np.ndarray, variant: np.ndarray) -> _Cells:
    m = len(values)
    kind = np.where(present, _NUMBER, _EMPTY).astype(np.int8)
    number = values.astype(float)
    text = np.full(m, None, dtype=object)
    digits = values.astype(str)
    for v, fmt in ((1, None), (2, " {} "), (3, "{}.0")):
        rows = present & (variant == v)
        if rows.any():
            s = digits[rows]
            if fmt == " {} ":
                s = np.strings.add(np.strings.add(" ", s), " ")
            elif fmt == "{}.0":
                s = np.strings.add(s, ".0")
            text[rows] = s.astype(object)
            kind[rows] = _TEXT
    return _Cells(kind, text, np.zeros(m, dtype=np.int64), number)


def _render(
    truth: _Truth,
    var: _Variants,
    plan: _RowPlan,
    rows: slice,
    org_names: Sequence[str] = ORG_NAMES,
) -> dict[str, _Cells]:
    """Cells of the output rows ``rows`` (a slice of the row plan), by header."""
    src_all = plan.source[rows]
    blank_row = src_all < 0
    src = np.where(blank_row, 0, src_all)
    live = ~blank_row
    m = len(src)
    export = truth.export_day
    without_consulent = org_profile(truth.n_orgs)[2]
    cols: dict[str, _Cells] = {}

    def dk(col: str) -> np.ndarray:
        return var.date_kind[col][src]

    def nee(col: str) -> np.ndarray:
        return _NEE_FORMS[var.nee_form[col][src]]

    org = truth.org[src]
    names = np.asarray(list(org_names), dtype=object)[org]
    names[plan.drop_org[rows] | blank_row] = None
    cols["Organisatie"] = _text_cells(names)

    seq = np.where(plan.new_seq[rows] > 0, plan.new_seq[rows], truth.seq[src])
    ids = np.strings.add("F", np.strings.zfill(seq.astype(str), 4)).astype(object)
    ids[plan.drop_id[rows] | blank_row] = None
    cols["Fiche ID"] = _text_cells(ids)

    start = truth.start[src] + np.where(plan.conflict_edit[rows], 14, 0)
    cols["Startdatum CB"] = _date_cells(start, live, dk("Startdatum CB"))
    cs = truth.consulent_start[src]
    cs_cells = _date_cells(cs, live & (cs >= 0), dk("Startdatum consulent"))
    typo = live & truth.consulent_start_typo[src]
    if typo.any():
        wrong = _date_strings(cs[typo] + 3653, 2).astype(object)  # ten years too late
        full = np.full(m, None, dtype=object)
        full[typo] = wrong
        _overlay(cs_cells, typo, full)
    cols["Startdatum consulent"] = cs_cells

    forms = np.array([_CASE_FORMS[c] for c in _CASE_CODES], dtype=object)
    case_text = forms[truth.case[src], var.case_form[src]]
    # the second row of a conflicting pair disagrees on the case type too (as a bare code,
    # "none" included: a typing the cleaner does not know, in a row it quarantines anyway)
    other = np.asarray(_CASE_CODES, dtype=object)[(truth.case[src] + 1) % 6]
    edit = plan.conflict_edit[rows]
    case_text[edit] = other[edit]
    case_text[blank_row] = None
    cols["Typering casus"] = _text_cells(case_text)

    yes = _YES_FORMS[var.yes_form[src]]
    for step in STEPS:
        key = step.key
        state = truth.step_state[key][src]
        taken = live & (state == 1)
        not_taken = live & (state == 0)
        cb = truth.step_cb[key][src] & taken
        cons = truth.step_consulent[key][src] & taken
        col_cb, col_cons = f"{step.header} CB", f"{step.header} consulent"
        no_date = truth.step_no_date[key][src] & cb
        cb_cells = _date_cells(truth.step_date[key][src], cb & ~no_date, dk(col_cb))
        _overlay(cb_cells, no_date, yes)
        cb_nee = not_taken | (taken & ~cb & var.cb_nee_when_cons_only[src])
        _overlay(cb_cells, cb_nee, nee(col_cb))
        cols[col_cb] = cb_cells

        registers = ~np.isin(org, without_consulent)
        cons_cells = _date_cells(truth.step_consulent_date[key][src], cons, dk(col_cons))
        cons_nee = live & registers & ~cons & var.cons_nee[src] & (state >= 0)
        _overlay(cons_cells, cons_nee, nee(col_cons))
        cols[col_cons] = cons_cells

    size = truth.network_size[src]
    cols["Netwerk met aantal"] = _count_cells(size, live & (size >= 0), var.size_kind[src])

    mk = truth.meetings_kind[src]
    counts = truth.meetings[src]
    meet = _count_cells(np.maximum(counts, 0), live & (mk == 0), var.count_kind[src])
    date_rows = live & (mk == 1)
    mt = var.meeting_text[src]
    one_cell = date_rows & (mt == 0)
    meet.kind[one_cell] = _DATE
    meet.date[one_cell] = truth.meeting_dates[src, 0][one_cell]
    text_rows = date_rows & (mt > 0)
    if text_rows.any():
        d = truth.meeting_dates[src][text_rows]
        nd = np.where(mt[text_rows] == 1, 1, truth.meeting_date_n[src][text_rows])
        sep = np.where(mt[text_rows] == 3, ", ", "; ")
        s = _date_strings(d[:, 0], 2).astype(str)
        for j in (1, 2):
            more = nd > j
            s = np.where(
                more,
                np.strings.add(np.strings.add(s, sep), _date_strings(d[:, j], 2).astype(str)),
                s,
            )
        full = np.full(m, None, dtype=object)
        full[text_rows] = s.astype(object)
        _overlay(meet, text_rows, full)
    cols["Netwerkberaden"] = meet

    pb = truth.plan_b[src]
    pb_forms = np.array([_PLAN_B_FORMS[0], _PLAN_B_FORMS[1]], dtype=object)
    pb_text = pb_forms[np.maximum(pb, 0), var.plan_b_form[src]]
    pb_text[~live | (pb < 0)] = None
    cols["Plan B"] = _text_cells(pb_text)

    pa = truth.plan_b_active[src]
    pa_cells = _date_cells(truth.plan_b_date[src], live & (pa == 1), dk("Plan B in werking"))
    _overlay(pa_cells, live & (pa == 0), nee("Plan B in werking"))
    cols["Plan B in werking"] = pa_cells

    end = truth.end[src]
    closed = live & (end >= 0)
    end_cells = _date_cells(np.minimum(end, export - 1), closed, dk("Einddatum"))
    _overlay(end_cells, live & ~closed & var.end_open_nee[src], nee("Einddatum"))
    cols["Einddatum"] = end_cells
    return cols


# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------


def _cells_as_csv_text(cells: _Cells) -> np.ndarray:
    out = np.full(len(cells.kind), "", dtype=object)
    t = cells.kind == _TEXT
    out[t] = cells.text[t]
    d = cells.kind == _DATE
    if d.any():
        out[d] = _date_strings(cells.date[d], 2).astype(object)
    num = cells.kind == _NUMBER
    if num.any():
        out[num] = (
            np.asarray(np.round(cells.number[num]), dtype=np.int64).astype(str).astype(object)
        )
    return out


def _write_csv(
    path: Path, truth: _Truth, var: _Variants, plan: _RowPlan, org_names: Sequence[str]
) -> None:
    """Stream the export as ``;``-separated UTF-8-BOM text, 100,000 rows at a time.

    Lines are joined by ``str.join`` over the columns (much faster than
    ``DataFrame.to_csv`` on text columns); a cell holding ``;`` (several meeting dates)
    is quoted.
    """
    total = len(plan.source)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(";".join(HEADERS) + "\r\n")
        for lo in range(0, total, _CSV_CHUNK):
            cols = _render(truth, var, plan, slice(lo, min(lo + _CSV_CHUNK, total)), org_names)
            texts = []
            for h in HEADERS:
                cell = _cells_as_csv_text(cols[h])
                # only the meeting cell can hold ";" (several dates in one cell)
                quote = np.zeros(0, dtype=np.int64)
                if h == "Netwerkberaden":
                    quote = np.flatnonzero(
                        pd.Series(cell).str.contains(";", regex=False).to_numpy(dtype=bool)
                    )
                if len(quote):
                    cell[quote] = ('"' + pd.Series(cell[quote]) + '"').to_numpy(dtype=object)
                texts.append(cell.tolist())
            # zip/join run in C: no Python code per row
            handle.write("\r\n".join(map(";".join, zip(*texts, strict=True))) + "\r\n")


def _write_xlsx(
    path: Path, truth: _Truth, var: _Variants, plan: _RowPlan, org_names: Sequence[str]
) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    # a fixed creation time keeps the file byte-identical for the same seed
    workbook.set_properties(
        {
            "title": "Dashboard contextbegeleiding SofS (SYNTHETISCH)",
            "comments": "Synthetische data, gekalibreerd op het rapport; geen echte trajecten.",
            "created": dt.datetime.combine(
                dt.date(1970, 1, 1) + dt.timedelta(days=int(truth.export_day)), dt.time(12)
            ),
        }
    )
    sheet = workbook.add_worksheet("Dashboard")
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, HEADERS, bold)
    cols = _render(truth, var, plan, slice(0, len(plan.source)), org_names)
    # per-column python values; written row by row (constant_memory needs row order)
    prepared = []
    for h in HEADERS:
        c = cols[h]
        dates = c.date.astype("datetime64[D]").astype(object)
        prepared.append((c.kind, c.text, dates, c.number))
    for r in range(len(plan.source)):
        for j, (kind, text, dates, number) in enumerate(prepared):
            k = kind[r]
            if k == _TEXT:
                sheet.write_string(r + 1, j, text[r])
            elif k == _DATE:
                sheet.write_datetime(r + 1, j, dates[r], date_fmt)
            elif k == _NUMBER:
                sheet.write_number(r + 1, j, float(number[r]))
    sheet.freeze_panes(1, 2)
    workbook.close()


def simulate_truth(
    seed: int,
    n: int = N_REPORT,
    *,
    start: dt.date | None = None,
    export_date: dt.date | None = None,
    n_orgs: int = len(ORG_SIZES),
) -> _Truth:
    """The simulated truth behind an export (for tests and diagnostics)."""
    return simulate_period(seed, n, start=start, export_date=export_date, n_orgs=n_orgs)


def check_org_names(names: Sequence[str] | None) -> tuple[str, ...]:
    """The organisation names to write (default ``Organisatie A`` .. ``T``), checked."""
    if names is None:
        return ORG_NAMES
    cleaned = tuple(str(name).strip() for name in names)
    if any(not name for name in cleaned):
        raise SofsInputError("an organisation name is empty")
    if len(set(cleaned)) != len(cleaned):
        raise SofsInputError("organisation names must differ from each other")
    if len(cleaned) < 2:
        raise SofsInputError("give at least two organisation names")
    return cleaned


def write_dashboard_export(
    path: Path,
    *,
    seed: int,
    n: int = N_REPORT,
    start: dt.date | None = None,
    export_date: dt.date | None = None,
    org_names: Sequence[str] | None = None,
) -> None:
    """Write a synthetic raw dashboard export of ``n`` trajectories to ``path``.

    ``.xlsx`` gives a workbook with real Excel date cells and the contract's typing
    variants; ``.csv`` a Belgian Excel CSV (``;``, UTF-8 with BOM) for large ``n``.
    The same arguments always give byte-identical files. Extra unusable rows
    (duplicates, rows without id, blank rows) come on top of the ``n`` trajectories.
    ``start``/``export_date`` move the report's period (see ``period_shifts``);
    ``org_names`` replaces the twenty fictitious organisations (any number of them).
    """
    path = Path(path)
    names = check_org_names(org_names)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise SofsInputError(f"the dashboard export must be .xlsx or .csv, got {path.name!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < len(names):
        raise SofsInputError(
            f"n must be a whole number of at least {len(names)} (one per organisation), got {n!r}"
        )
    if suffix == ".xlsx" and n > 50_000:
        raise SofsInputError(f"n = {n:,} is too large for a workbook: write a .csv instead")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SofsInputError(f"seed must be a whole number of at least 0, got {seed!r}")
    truth = simulate_truth(seed, n, start=start, export_date=export_date, n_orgs=len(names))
    n_rows = len(truth.org)
    rng = np.random.default_rng([seed, 2])
    variants = _draw_variants(n_rows, rng)
    plan = _row_plan(truth, rng)
    if suffix == ".csv":
        _write_csv(path, truth, variants, plan, names)
    else:
        _write_xlsx(path, truth, variants, plan, names)
