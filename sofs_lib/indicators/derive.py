"""Derived columns of the cleaned dashboard frame, and the two table builders every
indicator uses.

``add_derived(df)`` adds what the report computes from the registered dates
(quantitative chapter, report lines 4987–5560):

- ``closing_year`` (Int64): the year of ``end_date``; NA while the trajectory is open.
  The trends by closing year (lines 5433–5540) group on it.
- ``duration_months`` (float): module duration from ``start_date`` to ``end_date``
  (line 5383: "gemiddeld 9,2 maanden"). NaN while open.
- ``<step>_months`` (float) for each of the ten steps: months from ``start_date`` to the
  step date (Fig. 12, lines 5363–5375). Negative when the step was dated before the start
  (line 5375: "-3 maanden"). NaN when the step has no date.
- ``plan_b_active_months`` (float): months from ``start_date`` to ``plan_b_active_date``
  (line 5385: "na 3,6 maanden plan b in werking").
- ``consulent_start_lag_days`` (Int64) and ``consulent_start_lag_months`` (float):
  ``consulent_start_date`` minus ``start_date``; positive when the consulent started later.
- ``all_steps`` (boolean, never NA): the ten dated steps taken **and** at least one network
  meeting held — the eleven steps of lines 5045–5049 (67/236 = 28.4% of closed, line 5053).
  A step that is not taken *or not registered* counts as not taken, because the report
  takes this share over all 236 closed trajectories.

**Months** are days / 30.4375 (the mean Gregorian month, 365.25 / 12), so that 8 months
is 243.5 days. The report does not say how it counted months; this choice is stated here
once and used everywhere.

``shares_table`` and ``distribution_table`` turn boolean or numeric columns into the tidy
frames ARCHITECTURE.md prescribes (``by`` columns, ``indicator``, inner key, then
``numerator/denominator/share`` or ``n/mean/sd/median/min/max``), vectorised with one
``groupby`` per call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from sofs_lib.catalogue import STEP_KEYS
from sofs_lib.errors import SofsInputError

#: Days per month used for every "months" figure: the mean Gregorian month.
DAYS_PER_MONTH = 365.25 / 12  # 30.4375

Population = Literal["all", "closed", "open"]

DATE_COLUMNS: tuple[str, ...] = (
    "start_date",
    "consulent_start_date",
    "end_date",
    "plan_b_active_date",
    *(f"{k}_date" for k in STEP_KEYS),
)
BOOLEAN_COLUMNS: tuple[str, ...] = (
    "network_meeting_held",
    "plan_b_active",
    *(f"{k}_{suffix}" for k in STEP_KEYS for suffix in ("taken", "cb", "consulent")),
)
#: Columns ``add_derived`` reads.
DERIVE_INPUTS: tuple[str, ...] = (
    "start_date",
    "consulent_start_date",
    "end_date",
    "plan_b_active_date",
    "network_meeting_held",
    *(f"{k}_date" for k in STEP_KEYS),
    *(f"{k}_taken" for k in STEP_KEYS),
)
#: Columns ``add_derived`` writes.
DERIVED_COLUMNS: tuple[str, ...] = (
    "closing_year",
    "duration_months",
    *(f"{k}_months" for k in STEP_KEYS),
    "plan_b_active_months",
    "consulent_start_lag_days",
    "consulent_start_lag_months",
    "all_steps",
)


# --------------------------------------------------------------------------- checks


def require_columns(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Stop with a plain message naming every column ``what`` needs but ``df`` lacks."""
    if not isinstance(df, pd.DataFrame):
        raise SofsInputError(
            f"{what}: expected a cleaned dashboard table (pandas DataFrame), "
            f"got {type(df).__name__}"
        )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SofsInputError(
            f"{what}: the table lacks the column(s) {', '.join(missing)}. "
            "Pass the cleaned dashboard frame (sofs_lib.datasets.load_dashboard())."
        )


def _as_dates(series: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    try:
        return pd.to_datetime(series, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise SofsInputError(
            f"column {name} must hold dates (YYYY-MM-DD or empty); it holds values such as "
            f"{series.dropna().astype(str).head(3).tolist()}"
        ) from exc


def _as_boolean(series: pd.Series, name: str) -> pd.Series:
    if isinstance(series.dtype, pd.BooleanDtype):
        return series
    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean")
    text = series.astype("string").str.strip().str.lower()
    mapped = text.map({"true": True, "false": False, "1": True, "0": False}, na_action="ignore")
    bad = text.notna() & (text != "") & mapped.isna()
    if bad.any():
        raise SofsInputError(
            f"column {name} must hold true/false or be empty; it holds values such as "
            f"{series[bad].astype(str).head(3).tolist()}"
        )
    return mapped.astype("boolean")


def _coerce(df: pd.DataFrame) -> pd.DataFrame:
    """Dates as datetime64 and flags as nullable booleans (a frame re-read from CSV)."""
    out = df
    changes: dict[str, pd.Series] = {}
    for col in DATE_COLUMNS:
        if col in df.columns and not pd.api.types.is_datetime64_any_dtype(df[col]):
            changes[col] = _as_dates(df[col], col)
    for col in BOOLEAN_COLUMNS:
        if col in df.columns and not isinstance(df[col].dtype, pd.BooleanDtype):
            changes[col] = _as_boolean(df[col], col)
    for col in ("network_meetings", "network_size"):
        if col in df.columns and not pd.api.types.is_numeric_dtype(df[col]):
            converted = pd.to_numeric(df[col], errors="coerce")
            bad = converted.isna() & df[col].notna() & (df[col].astype(str).str.strip() != "")
            if bad.any():
                raise SofsInputError(
                    f"column {col} must hold whole numbers or be empty; it holds values such "
                    f"as {df.loc[bad, col].astype(str).head(3).tolist()}"
                )
            changes[col] = converted.astype("Int64")
    if changes:
        out = df.assign(**changes)
    return out


# --------------------------------------------------------------------------- derive


def months_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """``end - start`` in months of 30.4375 days (float, NaN when either date is missing)."""
    days = (end - start) / pd.Timedelta(days=1)
    return (days / DAYS_PER_MONTH).astype("float64")


def add_derived(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of the cleaned dashboard frame with the derived columns (module docstring).

    Existing derived columns are recomputed, so a filtered or edited frame stays
    consistent. Raises ``SofsInputError`` when a needed contract column is missing.
    """
    require_columns(df, DERIVE_INPUTS, "add_derived")
    df = _coerce(df)
    start = df["start_date"]
    new: dict[str, pd.Series] = {}
    new["closing_year"] = df["end_date"].dt.year.astype("Int64")
    new["duration_months"] = months_between(start, df["end_date"])
    for key in STEP_KEYS:
        new[f"{key}_months"] = months_between(start, df[f"{key}_date"])
    new["plan_b_active_months"] = months_between(start, df["plan_b_active_date"])
    lag_days = (df["consulent_start_date"] - start) / pd.Timedelta(days=1)
    new["consulent_start_lag_days"] = lag_days.round().astype("Int64")
    new["consulent_start_lag_months"] = (lag_days / DAYS_PER_MONTH).astype("float64")
    taken = np.ones(len(df), dtype=bool)
    for key in STEP_KEYS:
        taken &= df[f"{key}_taken"].fillna(False).to_numpy(dtype=bool)
    taken &= df["network_meeting_held"].fillna(False).to_numpy(dtype=bool)
    new["all_steps"] = pd.Series(taken, index=df.index, dtype="boolean")
    return df.assign(**new)


def prepare(df: pd.DataFrame, by: Sequence[str], columns: Sequence[str], what: str) -> pd.DataFrame:
    """Check ``df`` for an indicator: the contract ``columns`` it reads and the ``by`` columns.

    Derived columns (``closing_year``, ``duration_months``, ...) are added when the
    indicator or the grouping needs them and they are absent.
    """
    if isinstance(by, str):
        by = [by]
    require_columns(df, [], what)
    wanted = [*columns, *by]
    if any(c in DERIVED_COLUMNS and c not in df.columns for c in wanted):
        df = add_derived(df)
    else:
        df = _coerce(df)
    require_columns(df, wanted, what)
    return df


def population_mask(df: pd.DataFrame, population: Population) -> np.ndarray:
    """Rows of the population an indicator is taken over (report: open / closed / all)."""
    if population == "all":
        return np.ones(len(df), dtype=bool)
    if population not in ("open", "closed"):
        raise SofsInputError(f"population must be 'all', 'open' or 'closed', got {population!r}")
    require_columns(df, ["status"], f"population {population!r}")
    status = df["status"].to_numpy(dtype=object)
    is_closed = status == "closed"
    is_open = status == "open"
    if int(is_closed.sum()) + int(is_open.sum()) != len(status):
        other = pd.Series(status[~(is_closed | is_open)]).dropna().astype(str)
        if len(other):
            raise SofsInputError(
                "column status must be 'open' or 'closed'; it holds "
                f"{sorted(other.unique().tolist())[:3]}"
            )
    return is_closed if population == "closed" else is_open


# --------------------------------------------------------------------------- tables


def _normalise_by(by: Sequence[str] | str) -> list[str]:
    if isinstance(by, str):
        return [by]
    return list(by)


def group_codes(df: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of every row, and the groups as a frame (sorted, NA last).

    Every group present in ``df`` (NA included) is a group, also when none of its rows is
    eligible for an indicator, so such a subset reads 0/0 rather than disappearing.
    Without ``by`` all rows form one group (also when there are none).
    """
    by = _normalise_by(by)
    if not by:
        return np.zeros(len(df), dtype=np.intp), pd.DataFrame(index=pd.RangeIndex(1))
    grouped = df[by].groupby(by, dropna=False, sort=True, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    groups = grouped.size().index.to_frame(index=False)
    return codes, groups


def _long(
    groups: pd.DataFrame,
    indicator: str,
    key: str | None,
    items: Sequence[str],
    columns: dict[str, np.ndarray],
) -> pd.DataFrame:
    """Per-group × per-item arrays (shape groups × items) -> tidy rows (group, item)."""
    n_groups, n_items = len(groups), len(items)
    if key is not None and key in groups.columns:
        raise SofsInputError(
            f"{indicator}: cannot group by {key!r}, it is already this table's inner key"
        )
    if len(groups.columns):
        out = groups.iloc[np.repeat(np.arange(n_groups), n_items)].reset_index(drop=True)
    else:
        out = pd.DataFrame(index=pd.RangeIndex(n_groups * n_items))
    out["indicator"] = pd.Series([indicator] * len(out), dtype="str")
    if key is not None:
        out[key] = pd.Series(np.tile(np.asarray(items, dtype=object), n_groups), dtype="str")
    for name, block in columns.items():
        out[name] = block.reshape(-1)
    return out


def _eligible(
    df: pd.DataFrame,
    eligible: np.ndarray | pd.Series | None,
    items: Mapping[str, pd.Series | np.ndarray],
) -> np.ndarray:
    """The eligibility mask, after checking every array has one value per row of ``df``."""
    for name, values in [*items.items(), ("eligible", eligible)]:
        if values is not None and len(values) != len(df):
            raise SofsInputError(
                f"{name}: {len(values)} values for a table of {len(df)} rows; "
                "pass one value per trajectory"
            )
    if eligible is None:
        return np.ones(len(df), dtype=bool)
    return np.asarray(eligible, dtype=bool)


def shares_table(
    df: pd.DataFrame,
    by: Sequence[str],
    indicator: str,
    items: Mapping[str, pd.Series | np.ndarray],
    *,
    key: str | None = None,
    eligible: np.ndarray | pd.Series | None = None,
) -> pd.DataFrame:
    """Tidy shares: per ``by`` group and per item, ``numerator / denominator``.

    Each item is a nullable boolean series over ``df``: True counts in the numerator,
    True or False in the denominator, NA (missing) in neither — the report excludes
    missings (line 5015). ``eligible`` restricts both to the indicator's population.
    ``key`` names the inner-key column (e.g. ``step``); without it there must be one item.
    ``share`` is a float 0–1, NaN when the denominator is 0.
    """
    if key is None and len(items) != 1:
        raise ValueError("shares_table: several items need a key column name")
    codes, groups = group_codes(df, by)
    n_groups = len(groups)
    elig = _eligible(df, eligible, items)
    num = np.zeros((n_groups, len(items)), dtype=np.int64)
    den = np.zeros((n_groups, len(items)), dtype=np.int64)
    for j, series in enumerate(items.values()):
        s = series if isinstance(series, pd.Series) else pd.Series(series, index=df.index)
        s = s.astype("boolean")
        known = s.notna().to_numpy(dtype=bool) & elig
        hit = s.fillna(False).to_numpy(dtype=bool) & elig
        num[:, j] = np.bincount(codes[hit], minlength=n_groups)
        den[:, j] = np.bincount(codes[known], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return _long(
        groups,
        indicator,
        key,
        list(items),
        {"numerator": num, "denominator": den, "share": share.astype("float64")},
    )


def distribution_table(
    df: pd.DataFrame,
    by: Sequence[str],
    indicator: str,
    items: Mapping[str, pd.Series | np.ndarray],
    *,
    key: str | None = None,
    eligible: np.ndarray | pd.Series | None = None,
) -> pd.DataFrame:
    """Tidy distributions: per ``by`` group and item, ``n, mean, sd, median, min, max``.

    Each item is a numeric series over ``df``; missing values are left out (n counts
    the values used). ``sd`` is the sample standard deviation (n − 1, as SPSS).
    Statistics are NaN when n is 0 (sd also when n is 1). One sort per item gives
    median, min and max for all groups at once.
    """
    if key is None and len(items) != 1:
        raise ValueError("distribution_table: several items need a key column name")
    codes, groups = group_codes(df, by)
    g = len(groups)
    elig = _eligible(df, eligible, items)
    shape = (g, len(items))
    n = np.zeros(shape, dtype=np.int64)
    stats = {name: np.full(shape, np.nan) for name in ("mean", "sd", "median", "min", "max")}
    for j, series in enumerate(items.values()):
        s = series if isinstance(series, pd.Series) else pd.Series(series, index=df.index)
        x = pd.to_numeric(s).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        valid = elig & ~np.isnan(x)
        c, x = codes[valid], x[valid]
        count = np.bincount(c, minlength=g)
        n[:, j] = count
        has = count > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.bincount(c, weights=x, minlength=g) / count
            ss = np.bincount(c, weights=(x - mean[c]) ** 2, minlength=g)
            sd = np.sqrt(ss / (count - 1))
        stats["mean"][has, j] = mean[has]
        more = count > 1
        stats["sd"][more, j] = sd[more]
        # sort by value, then stably by group (radix sort on small ints): sorted per group
        by_value = np.argsort(x, kind="quicksort")
        small = c.astype(np.int16 if g < 2**15 else np.int64)[by_value]
        xs = x[by_value[np.argsort(small, kind="stable")]]
        first = np.concatenate(([0], np.cumsum(count)[:-1]))
        idx = first[has]
        cnt = count[has]
        stats["min"][has, j] = xs[idx]
        stats["max"][has, j] = xs[idx + cnt - 1]
        stats["median"][has, j] = (xs[idx + (cnt - 1) // 2] + xs[idx + cnt // 2]) / 2
    return _long(groups, indicator, key, list(items), {"n": n, **stats})
