"""Pandera schemas of the cleaned Binc extract (``docs/binc_data_dictionary.md``).

Two frames: ``modules`` (one row per module registration) and ``children`` (one row per
child, Table 5 characteristics plus the care-path summary derived from the modules).
Categorical columns hold the report's own Table 5 / Table 6 categories as listed in
``sofs_lib/reference/binc_categories.csv``; a missing value ("Missing" in the report) is NA.
A failed check is a bug in ``sofs_lib.clean_binc``, never a data problem.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

DATE = "datetime64[ns]"

#: Cleaned module columns, in order.
MODULE_COLUMNS: tuple[str, ...] = (
    "child_id",
    "link_number",
    "module",
    "module_known",
    "module_cluster",
    "is_sofs",
    "start_date",
    "end_date",
    "status",
    "vzb_type",
    "organisation",
    "sofs_seq",
    "is_last_sofs",
    "position",
    "combined",
    "source_row",
)
#: Positions of a link relative to the child's last CB SofS module (Table 8, line 4808).
POSITIONS: tuple[str, ...] = ("before", "last_sofs", "after")

#: Table 5 categorical columns of the children frame, in report order.
CATEGORY_COLUMNS: tuple[str, ...] = (
    "sex",
    "daytime_activity",
    "education_child",
    "school_delay",
    "unaccompanied_minor",
    "family_situation",
    "adoptive_family",
    "foster_family",
    "foster_care",
    "foster_network",
    "housing",
    "home_language",
    "health",
    "debts",
    "education_parent",
    "income_situation",
)
#: Care-path summary columns derived from the modules (one value per child).
PATH_COLUMNS: tuple[str, ...] = (
    "n_sofs_modules",
    "first_sofs_link",
    "last_sofs_link",
    "n_links",
    "n_before_links",
    "n_after_links",
    "has_before",
    "has_after",
    "sofs_first_year",
    "sofs_last_year",
    "status",
    "vzb_type",
    "organisation",  #: of the last CB SofS module (clean_binc.child_organisation)
)
CHILD_COLUMNS: tuple[str, ...] = (
    "child_id",
    "registration_year",
    "age_at_entry",
    "n_children",
    *CATEGORY_COLUMNS,
    *PATH_COLUMNS,
    "source_row",
)


class CleanedBincSchemaError(RuntimeError):
    """A cleaned Binc frame broke its schema: a bug in the cleaner, not in the data."""


def _categories(variable: str) -> list[str]:
    from sofs_lib.reference import categories

    return list(categories(variable))


@lru_cache(maxsize=1)
def modules_schema() -> pa.DataFrameSchema:
    columns = {
        "child_id": pa.Column(str, nullable=False, checks=pa.Check.str_length(min_value=1)),
        "link_number": pa.Column("Int64", nullable=False, checks=pa.Check.ge(1)),
        "module": pa.Column(str, nullable=False, checks=pa.Check.str_length(min_value=1)),
        "module_known": pa.Column("boolean", nullable=False),
        "module_cluster": pa.Column(str, nullable=False),
        "is_sofs": pa.Column("boolean", nullable=False),
        "start_date": pa.Column(DATE, nullable=True),
        "end_date": pa.Column(DATE, nullable=True),
        "status": pa.Column(str, nullable=True, checks=pa.Check.isin(["open", "closed"])),
        "vzb_type": pa.Column(str, nullable=True, checks=pa.Check.isin(_categories("vzb_type"))),
        "organisation": pa.Column(str, nullable=True),
        "sofs_seq": pa.Column("Int64", nullable=True, checks=pa.Check.ge(1)),
        "is_last_sofs": pa.Column("boolean", nullable=False),
        "position": pa.Column(str, nullable=True, checks=pa.Check.isin(list(POSITIONS))),
        "combined": pa.Column("boolean", nullable=False),
        "source_row": pa.Column("Int64", nullable=False, checks=pa.Check.ge(1)),
    }
    checks = [
        pa.Check(
            lambda df: df["end_date"].isna() | df["status"].eq("closed"),
            name="an end date means closed",
        ),
        pa.Check(
            lambda df: df["sofs_seq"].notna() == df["is_sofs"],
            name="sofs_seq is set exactly for CB SofS modules",
        ),
        pa.Check(
            lambda df: ~df["is_last_sofs"] | df["is_sofs"],
            name="the last CB SofS module is a CB SofS module",
        ),
        pa.Check(
            lambda df: ~df.duplicated(["child_id", "link_number", "module"]),
            name="one row per child, link and module",
        ),
    ]
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True)


@lru_cache(maxsize=1)
def children_schema() -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {
        "child_id": pa.Column(str, nullable=False, unique=True),
        "registration_year": pa.Column("Int64", nullable=True, checks=pa.Check.ge(1990)),
        "age_at_entry": pa.Column("Int64", nullable=True, checks=pa.Check.in_range(0, 25)),
        "n_children": pa.Column("Int64", nullable=True, checks=pa.Check.in_range(1, 20)),
    }
    for column in CATEGORY_COLUMNS:
        columns[column] = pa.Column(str, nullable=True, checks=pa.Check.isin(_categories(column)))
    for column in ("n_sofs_modules", "n_links", "n_before_links", "n_after_links"):
        columns[column] = pa.Column("Int64", nullable=False, checks=pa.Check.ge(0))
    for column in ("first_sofs_link", "last_sofs_link", "sofs_first_year", "sofs_last_year"):
        columns[column] = pa.Column("Int64", nullable=True)
    columns["has_before"] = pa.Column("boolean", nullable=False)
    columns["has_after"] = pa.Column("boolean", nullable=False)
    columns["status"] = pa.Column(str, nullable=True, checks=pa.Check.isin(["open", "closed"]))
    columns["vzb_type"] = pa.Column(
        str, nullable=True, checks=pa.Check.isin(_categories("vzb_type"))
    )
    columns["organisation"] = pa.Column(str, nullable=True)
    columns["source_row"] = pa.Column("Int64", nullable=False, checks=pa.Check.ge(1))
    columns = {name: columns[name] for name in CHILD_COLUMNS}
    checks = [
        pa.Check(
            lambda df: df["n_before_links"].eq(0) != df["has_before"],
            name="has_before follows n_before_links",
        ),
        pa.Check(
            lambda df: df["n_after_links"].eq(0) != df["has_after"],
            name="has_after follows n_after_links",
        ),
        pa.Check(
            lambda df: df["foster_network"].isna() | df["foster_care"].eq("Ja, netwerkpleegzorg"),
            name="a network kind only with network foster care",
        ),
    ]
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True)


def validate_binc(
    modules: pd.DataFrame, children: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate both cleaned frames; raise :class:`CleanedBincSchemaError` on any failure."""
    try:
        modules = modules_schema().validate(modules, lazy=True)
        children = children_schema().validate(children, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        raise CleanedBincSchemaError(
            "a cleaned Binc frame breaks its schema — this is a bug in sofs_lib.clean_binc, "
            f"please report it:\n{exc}"
        ) from exc
    return modules, children
