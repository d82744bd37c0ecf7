"""Pandera schema of the cleaned dashboard frame (contract ``dashboard_export.md``).

One row per accepted trajectory; column names, order and dtypes as
``docs/ARCHITECTURE.md`` fixes them. Besides types, the schema checks the contract's
meanings that must hold row by row (status follows the end date, a step with a date
is taken, ...), so that a cleaner bug cannot reach an indicator.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from sofs_lib.catalogue import CASE_TYPES, PLAN_B, STATUS, STEP_KEYS

if TYPE_CHECKING:
    import pandera.pandas as pa
# pandera itself is imported when a frame is validated, not with this module: loading a
# cleaned export from the cache (every notebook kernel) needs the columns, not the schema.

#: Kinds of cell in the network-meetings column (ARCHITECTURE.md).
MEETINGS_KINDS: tuple[str, ...] = ("count", "date", "blank", "invalid")

#: Columns of the cleaned frame, in order.
CORE_COLUMNS: tuple[str, ...] = (
    "organisation",
    "trajectory_id",
    "start_date",
    "consulent_start_date",
    "end_date",
    "status",
    "case_type",
    "network_size",
    "network_meetings",
    "network_meeting_held",
    "plan_b",
    "plan_b_active",
    "plan_b_active_date",
)
STEP_COLUMNS: tuple[str, ...] = tuple(
    f"{key}_{part}" for key in STEP_KEYS for part in ("taken", "date", "cb", "consulent")
)
EXTRA_COLUMNS: tuple[str, ...] = ("source_row", "network_meetings_kind")
DASHBOARD_COLUMNS: tuple[str, ...] = CORE_COLUMNS + STEP_COLUMNS + EXTRA_COLUMNS

DATE = "datetime64[ns]"


class CleanedSchemaError(RuntimeError):
    """The cleaned dashboard frame broke its schema: a bug in the cleaner, not in the data."""


def _date(nullable: bool = True) -> pa.Column:
    import pandera.pandas as pa

    return pa.Column(DATE, nullable=nullable)


def _steps_consistent(df: pd.DataFrame) -> pd.Series:
    ok = pd.Series(True, index=df.index)
    for key in STEP_KEYS:
        taken = df[f"{key}_taken"].fillna(False).to_numpy(dtype=bool)
        by_someone = (df[f"{key}_cb"] | df[f"{key}_consulent"]).to_numpy(dtype=bool)
        dated = df[f"{key}_date"].notna().to_numpy()
        ok &= (taken == by_someone) & (~dated | taken)
    return ok


def _row_checks() -> list[pa.Check]:
    import pandera.pandas as pa

    checks = [
        pa.Check(
            lambda df: (df["status"] == "closed") == df["end_date"].notna(),
            name="status is closed exactly when end_date is a date",
        ),
        pa.Check(
            lambda df: df["plan_b_active_date"].isna() | df["plan_b_active"].fillna(False),
            name="plan_b_active_date implies plan_b_active",
        ),
        pa.Check(
            lambda df: (
                df["network_meetings"].isna()
                | df["network_meeting_held"].eq(df["network_meetings"] >= 1).fillna(False)
            ),
            name="network_meeting_held follows the count",
        ),
        pa.Check(
            lambda df: df["network_meetings"].isna() == df["network_meetings_kind"].ne("count"),
            name="network_meetings is set exactly for kind count",
        ),
        pa.Check(
            lambda df: (
                df["network_meetings_kind"].ne("date") | df["network_meeting_held"].fillna(False)
            ),
            name="a date in the meetings column means held",
        ),
        pa.Check(
            lambda df: ~df.duplicated(["organisation", "trajectory_id"]),
            name="one row per organisation and trajectory_id",
        ),
    ]
    checks.append(
        pa.Check(
            _steps_consistent,
            name="steps: taken exactly when the CB or consulent took it; a date implies taken",
        )
    )
    return checks


@lru_cache(maxsize=1)
def dashboard_schema() -> pa.DataFrameSchema:
    """The schema (cached): strict columns in :data:`DASHBOARD_COLUMNS` order."""
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {
        "organisation": pa.Column(str, nullable=False, checks=pa.Check.str_length(min_value=1)),
        "trajectory_id": pa.Column(str, nullable=False, checks=pa.Check.str_length(min_value=1)),
        "start_date": _date(),
        "consulent_start_date": _date(),
        "end_date": _date(),
        "status": pa.Column(str, nullable=False, checks=pa.Check.isin(list(STATUS))),
        "case_type": pa.Column(str, nullable=True, checks=pa.Check.isin(list(CASE_TYPES))),
        "network_size": pa.Column("Int64", nullable=True, checks=pa.Check.ge(0)),
        "network_meetings": pa.Column("Int64", nullable=True, checks=pa.Check.ge(0)),
        "network_meeting_held": pa.Column("boolean", nullable=True),
        "plan_b": pa.Column(str, nullable=True, checks=pa.Check.isin(list(PLAN_B))),
        "plan_b_active": pa.Column("boolean", nullable=True),
        "plan_b_active_date": _date(),
    }
    for key in STEP_KEYS:
        columns[f"{key}_taken"] = pa.Column("boolean", nullable=True)
        columns[f"{key}_date"] = _date()
        columns[f"{key}_cb"] = pa.Column("boolean", nullable=False)
        columns[f"{key}_consulent"] = pa.Column("boolean", nullable=False)
    columns["source_row"] = pa.Column("Int64", nullable=False, checks=pa.Check.ge(1))
    columns["network_meetings_kind"] = pa.Column(
        str, nullable=False, checks=pa.Check.isin(list(MEETINGS_KINDS))
    )
    return pa.DataFrameSchema(columns, checks=_row_checks(), strict=True, ordered=True)


def validate_dashboard(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a cleaned dashboard frame; raise :class:`CleanedSchemaError` on any failure."""
    import pandera.pandas as pa

    try:
        return dashboard_schema().validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        raise CleanedSchemaError(
            "the cleaned dashboard frame breaks its schema — this is a bug in "
            f"sofs_lib.clean_dashboard, please report it:\n{exc}"
        ) from exc
