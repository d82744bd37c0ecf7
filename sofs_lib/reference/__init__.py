"""Reference data shipped inside the package, read with ``importlib.resources``.

- ``report_figures.csv``: the report's published figures (dashboard and Binc, column
  ``source``), the frozen truth of the calibration;
- ``binc_categories.csv``: Binc vocabularies and the Table 5 categories in report order;
- ``module_clusters.csv``: Binc module names, aliases and their Table 8 cluster;
- ``layouts.py``: the raw headers of both exports (read by cleaners, schemas, generator).

Because these files live in the package, an installed wheel works without the
repository around it. ``path(name)`` gives a real file path (``config.REFERENCE_DIR``
is the same folder); ``read_csv(name)`` reads a table as text.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

REPORT_FIGURES = "report_figures.csv"
BINC_CATEGORIES = "binc_categories.csv"
MODULE_CLUSTERS = "module_clusters.csv"


def path(name: str) -> Path:
    """The file ``name`` of the package's reference data (a real path)."""
    return Path(str(resources.files(__name__).joinpath(name)))


def read_csv(name: str) -> pd.DataFrame:
    """A reference table, every cell as text (empty cells are ``""``)."""
    with resources.files(__name__).joinpath(name).open("rb") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def category_table() -> pd.DataFrame:
    """``sofs_lib/reference/binc_categories.csv``: variable, header, order, category, aliases."""
    table = read_csv(BINC_CATEGORIES)
    table["order"] = table["order"].astype(int)
    return table


def categories(variable: str) -> tuple[str, ...]:
    """The report's categories of ``variable`` in report order (without Missing)."""
    table = category_table()
    rows = table[table["variable"] == variable].sort_values("order", kind="stable")
    return tuple(rows["category"])


@lru_cache(maxsize=1)
def module_table() -> pd.DataFrame:
    """``sofs_lib/reference/module_clusters.csv``: module -> Table 8 cluster, precedence."""
    table = read_csv(MODULE_CLUSTERS)
    table["cluster_order"] = table["cluster_order"].astype(int)
    table["precedence"] = table["precedence"].astype(int)
    table["is_sofs"] = table["is_sofs"].str.casefold().eq("true")
    return table


def cluster_labels() -> list[str]:
    """Table 8 clusters in report order, then "Andere modules"."""
    table = module_table().sort_values("cluster_order", kind="stable")
    return list(dict.fromkeys(table["cluster"]))
