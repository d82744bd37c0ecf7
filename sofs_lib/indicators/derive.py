"""Derived columns of the cleaned dashboard frame, and the two table builders every
indicator uses.

``add_derived(df)`` adds what the report computes from the registered dates
(quantitative chapter, report lines 4987–5560):

- ``closing_year`` (Int64): the year of ``end_date``; NA while the trajectory is open.
  The trends by closing year (lines 5433–5540) group on it.
- ``duration_months`` (float): module duration from ``start_date`` to ``end_date``
  (line 5376: "gemiddeld 9,2 maanden"). NaN while open.
- ``<step>_months`` (float) for each of the ten steps: months from ``start_date`` to the
  step date (Fig. 12, lines 5364–5372). Negative when the step was dated before the start
  (line 5372: "-3 maanden"). NaN when the step has no date.
- ``plan_b_active_months`` (float): months from ``start_date`` to ``plan_b_active_date``
  (line 5378: "na 3,6 maanden plan b in werking").
- ``consulent_start_lag_days`` (Int64) and ``consulent_start_lag_months`` (float):
  ``consulent_start_date`` minus ``start_date``; positive when the consulent started later.
- ``all_steps`` (boolean, never NA): the ten dated steps taken **and** at least one network
  meeting held — the eleven steps of line 5044 (67/236 = 28.4% of closed, line 5053).
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
    status = df["status"].astype("string")
    unknown = status.notna() & ~status.isin(["open", "closed"])
    if unknown.any():
        raise SofsInputError(
            "column status must be 'open' or 'closed'; it holds "
            f"{sorted(status[unknown].unique().tolist())[:3]}"
        )
    return (status == population).fillna(False).to_numpy(dtype=bool)


# --------------------------------------------------------------------------- tables


def _normalise_by(by: Sequence[str] | str) -> list[str]:
    if isinstance(by, str):
        return [by]
    return list(by)


def _grouped(
    df: pd.DataFrame, by: list[str], values: dict[str, np.ndarray], how: str | list[str]
) -> pd.DataFrame:
    """Aggregate ``values`` (same length as ``df``) per ``by`` group (one group if none).

    Every group present in ``df`` (NA included) gets a row, also when no row of it is
    eligible, so a subset without eligible trajectories reads 0/0, not a missing row.
    """
    work = pd.DataFrame(values, index=df.index)
    if not by:
        key = pd.Series(np.zeros(len(df), dtype=np.int8), index=df.index, name="_all")
        agg = work.groupby(key).agg(how)
        agg = agg.reindex(pd.Index([0], name="_all"))
        return agg
    keys = df[by]
    work = pd.concat([keys, work], axis=1)
    return work.groupby(by, dropna=False, sort=True, observed=True).agg(how)


def _long(
    agg: pd.DataFrame,
    by: list[str],
    indicator: str,
    key: str | None,
    items: Sequence[str],
    stats: dict[str, str],
) -> pd.DataFrame:
    """Wide (groups × items·stats) -> tidy rows (group, item)."""
    n_groups = len(agg)
    n_items = len(items)
    if by:
        groups = agg.index.to_frame(index=False)
        out = groups.iloc[np.repeat(np.arange(n_groups), n_items)].reset_index(drop=True)
    else:
        out = pd.DataFrame(index=pd.RangeIndex(n_groups * n_items))
    out["indicator"] = pd.Series([indicator] * len(out), dtype="str")
    if key is not None:
        out[key] = pd.Series(np.tile(np.asarray(items, dtype=object), n_groups), dtype="str")
    for out_name, agg_name in stats.items():
        if isinstance(agg.columns, pd.MultiIndex):
            block = agg.loc[:, [(item, agg_name) for item in items]]
        else:
            block = agg.loc[:, [f"{item}{agg_name}" for item in items]]
        out[out_name] = block.to_numpy().reshape(-1)
    return out


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
    by = _normalise_by(by)
    if key is None and len(items) != 1:
        raise ValueError("shares_table: several items need a key column name")
    elig = np.ones(len(df), dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    values: dict[str, np.ndarray] = {}
    for name, series in items.items():
        s = pd.Series(series, index=df.index) if not isinstance(series, pd.Series) else series
        s = s.astype("boolean")
        known = s.notna().to_numpy(dtype=bool) & elig
        hit = s.fillna(False).to_numpy(dtype=bool) & elig
        values[f"{name}\x00num"] = hit.astype(np.int64)
        values[f"{name}\x00den"] = known.astype(np.int64)
    agg = _grouped(df, by, values, "sum").fillna(0)
    names = list(items)
    out = _long(agg, by, indicator, key, names, {"numerator": "\x00num", "denominator": "\x00den"})
    num = out["numerator"].to_numpy(dtype="float64")
    den = out["denominator"].to_numpy(dtype="float64")
    out["numerator"] = out["numerator"].astype("int64")
    out["denominator"] = out["denominator"].astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out


_DIST_STATS = {
    "n": "count",
    "mean": "mean",
    "sd": "std",
    "median": "median",
    "min": "min",
    "max": "max",
}


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
    Statistics are NaN when n is 0 (sd also when n is 1).
    """
    by = _normalise_by(by)
    if key is None and len(items) != 1:
        raise ValueError("distribution_table: several items need a key column name")
    elig = np.ones(len(df), dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    values: dict[str, np.ndarray] = {}
    for name, series in items.items():
        arr = pd.to_numeric(pd.Series(series, index=df.index)).astype("float64").to_numpy()
        values[name] = np.where(elig, arr, np.nan)
    agg = _grouped(df, by, values, list(_DIST_STATS.values()))
    names = list(items)
    out = _long(agg, by, indicator, key, names, _DIST_STATS)
    out["n"] = pd.to_numeric(out["n"]).fillna(0).astype("int64")
    for col in ("mean", "sd", "median", "min", "max"):
        out[col] = pd.to_numeric(out[col]).astype("float64")
    return out


def empty_like_groups(df: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The distinct ``by`` groups of ``df`` (sorted, NA kept), one row each."""
    by = _normalise_by(by)
    if not by:
        return pd.DataFrame(index=pd.RangeIndex(1))
    return df[by].drop_duplicates().sort_values(by, na_position="last").reset_index(drop=True)
