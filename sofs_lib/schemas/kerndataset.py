"""Pandera schema of the cleaned kerndataset (one row per organisation × Fiche ID × moment).

Columns follow the instrument (``sofs_lib/kerndataset/items.csv``): each item is a column
named by its ``item_id`` with a dtype from its scale (``likert5`` 1–5 and ``ja_soms_nee``
1–3 as Int64, ``count`` Int64 ≥ 0, ``ja_nee`` boolean, ``netwerk_verblijf`` network /
residential, ``text`` str). See ``docs/kerndataset.md``.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from sofs_lib.kerndataset import instrument as ins
from sofs_lib.schemas.dashboard import CleanedSchemaError

ADMIN_COLUMNS: tuple[str, ...] = (
    "organisation",
    "trajectory_id",
    "moment",
    "contact_date",
    "consent_date",
    "consent_channel",
    "has_consent",
    "consent_after_contact",
    "binc_child_id",
    "reached",
)
EXTRA_COLUMNS: tuple[str, ...] = ("remarks", "source", "source_row")
ITEM_COLUMNS: tuple[str, ...] = tuple(ins.load_items()["item_id"])
KERNDATASET_COLUMNS: tuple[str, ...] = ADMIN_COLUMNS + ITEM_COLUMNS + EXTRA_COLUMNS

DATE = "datetime64[ns]"
_SCALE_DTYPES = {
    "likert5": "Int64",
    "ja_soms_nee": "Int64",
    "count": "Int64",
    "ja_nee": "boolean",
    "netwerk_verblijf": "str",
    "text": "str",
}
_ADMIN_DTYPES = {
    "organisation": "str",
    "trajectory_id": "str",
    "moment": "str",
    "contact_date": DATE,
    "consent_date": DATE,
    "consent_channel": "str",
    "has_consent": "boolean",
    "consent_after_contact": "boolean",
    "binc_child_id": "str",
    "reached": "boolean",
    "remarks": "str",
    "source": "str",
    "source_row": "Int64",
}


def column_dtypes() -> dict[str, str]:
    """Column -> dtype of the cleaned frame."""
    items = ins.load_items().set_index("item_id")["scale"]
    dtypes = dict(_ADMIN_DTYPES)
    dtypes |= {item: _SCALE_DTYPES[scale] for item, scale in items.items()}
    return {c: dtypes[c] for c in KERNDATASET_COLUMNS}


def empty_kerndataset() -> pd.DataFrame:
    """A cleaned frame with no rows and every contract column and dtype."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in column_dtypes().items()})


@lru_cache(maxsize=1)
def kerndataset_schema() -> pa.DataFrameSchema:
    items = ins.load_items().set_index("item_id")
    columns: dict[str, pa.Column] = {
        "organisation": pa.Column(str, nullable=False, checks=pa.Check.str_length(min_value=1)),
        "trajectory_id": pa.Column(str, nullable=False, checks=pa.Check.str_length(min_value=1)),
        "moment": pa.Column(str, nullable=False, checks=pa.Check.isin(list(ins.MOMENTS))),
        "contact_date": pa.Column(DATE, nullable=True),
        "consent_date": pa.Column(DATE, nullable=True),
        "consent_channel": pa.Column(
            str, nullable=True, checks=pa.Check.isin([*ins.CONSENT_CHANNELS, ins.NO_CONSENT])
        ),
        "has_consent": pa.Column("boolean", nullable=False),
        "consent_after_contact": pa.Column("boolean", nullable=False),
        "binc_child_id": pa.Column(str, nullable=True),
        "reached": pa.Column("boolean", nullable=True),
    }
    for item_id, scale in items["scale"].items():
        dtype = _SCALE_DTYPES[scale]
        checks = []
        if scale == "likert5":
            checks = [pa.Check.in_range(1, 5)]
        elif scale == "ja_soms_nee":
            checks = [pa.Check.in_range(1, 3)]
        elif scale == "count":
            checks = [pa.Check.ge(0)]
        elif scale == "netwerk_verblijf":
            checks = [pa.Check.isin(["network", "residential"])]
        columns[item_id] = pa.Column(dtype if dtype != "str" else str, nullable=True, checks=checks)
    columns["remarks"] = pa.Column(str, nullable=True)
    columns["source"] = pa.Column(str, nullable=False, checks=pa.Check.isin(["workbook", "survey_export"]))
    columns["source_row"] = pa.Column("Int64", nullable=False, checks=pa.Check.ge(1))
    checks = [
        pa.Check(
            lambda df: ~df.duplicated(["organisation", "trajectory_id", "moment"]),
            name="one row per organisation, trajectory_id and moment",
        ),
        pa.Check(
            lambda df: df["moment"].eq("closure") | df["consent_date"].isna(),
            name="consent is registered at closure only",
        ),
        pa.Check(
            lambda df: ~df["consent_after_contact"] | df["moment"].ne("closure"),
            name="consent after contact is a follow-up flag",
        ),
    ]
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True)


def validate_kerndataset(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a cleaned kerndataset frame; raise :class:`CleanedSchemaError` on failure."""
    try:
        return kerndataset_schema().validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        raise CleanedSchemaError(
            "the cleaned kerndataset breaks its schema — this is a bug in "
            f"sofs_lib.kerndataset.clean, please report it:\n{exc}"
        ) from exc
