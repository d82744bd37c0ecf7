"""Every number a dashboard can show, computed at once as grouping sets over a cube.

A dashboard's controls (organisation, closing year, status, case type) define a *cube*:
each control is a dimension whose levels are the values offered in the dropdown plus
:data:`ALL` (the "Alle" choice). A **cell** is one combination of levels; an **atom** is one
combination of the finest levels present in the data, including levels no control offers
(an open trajectory has no closing year: level :data:`NA`). Every count the dashboards
show is the sum of a row-level quantity (a **family**: the trajectories that took a step,
the trajectories with a known answer, the trajectories of the selection, ...) over the
atoms of one cell — so all cells of all selections come from one ``groupby`` over the
atoms and one matrix product (:attr:`Cube.membership`), the grouping sets of SQL's
``GROUP BY CUBE``. Statistics that do not add up (median, minimum, maximum) are computed
per grouping set instead (one vectorised indicator call per subset of dimensions).

The cube knows nothing about roles or suppression: it returns true values. The release
(:mod:`sofs_lib.release.build`) decides what each role may see, the attacker
(:mod:`sofs_lib.release.attack`) uses :attr:`Cube.membership` to solve what was shown.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: The "Alle" level of a control in release tables (same value as the widgets' dropdowns).
ALL = "__alle__"
#: An atom level no control offers (no closing year, no case type).
NA = "__geen__"


@dataclass(frozen=True)
class Dim:
    """One control as a cube dimension.

    ``column``: the atom column it reads; ``levels``: the levels a control offers (strings,
    in dropdown order); ``interval``: for a year a row is active in from ``column`` to
    ``interval`` (Binc begeleidingsjaar), else ``None`` (equality).
    """

    name: str
    column: str
    levels: tuple[str, ...]
    interval: str | None = None

    def compat(self, atoms: pd.DataFrame) -> np.ndarray:
        """Boolean matrix (1 + len(levels)) × atoms: row 0 is ALL, then each level."""
        n = len(atoms)
        out = np.zeros((1 + len(self.levels), n), dtype=bool)
        out[0] = True
        if self.interval is None:
            values = atoms[self.column].to_numpy(dtype=object)
            for i, level in enumerate(self.levels, start=1):
                out[i] = values == level
            return out
        low = pd.to_numeric(atoms[self.column], errors="coerce").to_numpy(dtype=float)
        high = pd.to_numeric(atoms[self.interval], errors="coerce").to_numpy(dtype=float)
        for i, level in enumerate(self.levels, start=1):
            y = float(level)
            out[i] = (low <= y) & (high >= y)
        return out


@dataclass
class Cube:
    """Cells × atoms of one dashboard family of controls.

    ``atoms``: one row per atom (the ``atom_columns``, as strings); ``cells``: one row per
    cell (one column per dimension, :data:`ALL` or a level); ``membership``: float matrix
    cells × atoms, 1 where the atom lies in the cell; ``codes``: the atom of every data row.
    """

    dims: tuple[Dim, ...]
    atoms: pd.DataFrame
    cells: pd.DataFrame
    membership: np.ndarray
    codes: np.ndarray
    frame: pd.DataFrame = field(repr=False)

    @property
    def dim_names(self) -> list[str]:
        return [d.name for d in self.dims]

    def atom_sums(self, values: np.ndarray) -> np.ndarray:
        """Per atom, the sum of a row-level quantity (0/1 flags or numbers, NaN as 0)."""
        v = np.nan_to_num(np.asarray(values, dtype=float))
        return np.bincount(self.codes, weights=v, minlength=len(self.atoms))

    def cell_sums(self, atom_values: np.ndarray) -> np.ndarray:
        """Per cell, the sum over its atoms (grouping sets as one matrix product)."""
        return self.membership @ np.asarray(atom_values, dtype=float)

    def atom_index(self) -> pd.Index:
        """The atoms as an index (for ``get_indexer``), built once."""
        cached = getattr(self, "_atom_index", None)
        if cached is None:
            cols = list(self.atoms.columns)
            cached = (
                pd.MultiIndex.from_frame(self.atoms) if len(cols) > 1 else pd.Index(self.atoms[cols[0]])
            )
            self._atom_index = cached
        return cached

    def cell_index(self) -> pd.MultiIndex:
        return pd.MultiIndex.from_frame(self.cells[self.dim_names])


def _as_level(series: pd.Series) -> pd.Series:
    """A key column as strings; numbers without decimals (2022, not 2022.0); NA as NA."""
    if pd.api.types.is_numeric_dtype(series):
        numbers = pd.to_numeric(series).astype("Float64")
        text = numbers.round().astype("Int64").astype("str")
        return text.where(numbers.notna(), NA)
    return series.astype("str").where(series.notna(), NA)


def build_cube(frame: pd.DataFrame, dims: Sequence[Dim]) -> Cube:
    """The cube of ``frame`` (rows = trajectories or children) over ``dims``."""
    columns = list(dict.fromkeys(c for d in dims for c in (d.column, d.interval) if c))
    keys = pd.DataFrame({c: _as_level(frame[c]) for c in columns}, index=frame.index)
    # Atoms: the full product of the levels seen (also combinations without rows: an
    # attacker does not know which ones are empty), so every cell is a sum of atoms.
    # Levels in the control's order (then levels no control offers, such as NA), so the
    # atoms of an organisation block follow the order of the organisation cells.
    order = {d.column: d.levels for d in dims if d.interval is None}
    seen = []
    for c in columns:
        present = set(pd.unique(keys[c]).tolist())
        first = [v for v in order.get(c, ()) if v in present]
        seen.append(first + sorted(present - set(first)))
    atoms = pd.DataFrame(list(itertools.product(*seen)), columns=columns, dtype="str")
    if frame.empty:
        atoms = atoms.iloc[0:0]
    index = pd.MultiIndex.from_frame(atoms) if len(columns) > 1 else pd.Index(atoms[columns[0]])
    lookup = pd.MultiIndex.from_frame(keys) if len(columns) > 1 else pd.Index(keys[columns[0]])
    codes = index.get_indexer(lookup)
    cells = pd.DataFrame(
        list(itertools.product(*[(ALL, *d.levels) for d in dims])),
        columns=[d.name for d in dims],
        dtype="str",
    )
    membership = np.ones((len(cells), len(atoms)), dtype=bool)
    position = list(itertools.product(*[range(1 + len(d.levels)) for d in dims]))
    position = np.asarray(position, dtype=int).reshape(len(cells), len(dims))
    for j, dim in enumerate(dims):
        membership &= dim.compat(atoms)[position[:, j]]
    return Cube(tuple(dims), atoms, cells, membership.astype(float), codes, frame)


def dashboard_dims(frame: pd.DataFrame, organisations: Sequence[str] | None = None) -> list[Dim]:
    """The four controls of the trajectory dashboards, with the levels the data offers."""
    from sofs_lib import catalogue

    def levels(column: str) -> tuple[str, ...]:
        present = [v for v in pd.unique(_as_level(frame[column])) if v != NA]
        if column == "case_type":
            return tuple(k for k in catalogue.CASE_TYPES if k in present)
        if column == "status":
            return tuple(k for k in catalogue.STATUS if k in present)
        if column == "closing_year":
            return tuple(sorted(present, key=int))
        if column == "organisation":
            from sofs_lib.formatting import sort_dutch

            return tuple(sort_dutch(present))  # "'t Ventiel" among the V's
        return tuple(sorted(present))

    orgs = tuple(organisations) if organisations is not None else levels("organisation")
    return [
        Dim("organisation", "organisation", orgs),
        Dim("closing_year", "closing_year", levels("closing_year")),
        Dim("status", "status", levels("status")),
        Dim("case_type", "case_type", levels("case_type")),
    ]


def binc_dims(children: pd.DataFrame, organisations: Sequence[str] | None = None) -> list[Dim]:
    """The controls of the Binc profile: organisation (only when the children carry one,
    see :func:`sofs_lib.clean_binc.child_organisation`), begeleidingsjaar (an interval)
    and status. ``organisations``: the organisation levels in control order (default: the
    names present, Dutch order); a child whose organisation is not among them (or NA)
    counts in Flanders only (atom level :data:`NA`)."""
    from sofs_lib import catalogue

    first = pd.to_numeric(children["sofs_first_year"], errors="coerce").dropna()
    last = pd.to_numeric(children["sofs_last_year"], errors="coerce").dropna()
    years: tuple[str, ...] = ()
    if len(first):
        years = tuple(str(y) for y in range(int(first.min()), int(last.max()) + 1))
    present = set(children["status"].dropna().astype(str))
    dims = [
        Dim("year", "sofs_first_year", years, interval="sofs_last_year"),
        Dim("status", "status", tuple(k for k in catalogue.STATUS if k in present)),
    ]
    if "organisation" in children.columns and children["organisation"].notna().any():
        named = set(children["organisation"].dropna().astype(str))
        if organisations is None:
            from sofs_lib.formatting import sort_dutch

            orgs = tuple(sort_dutch(named))
        else:
            orgs = tuple(o for o in organisations if o in named)
        if orgs:
            dims.insert(0, Dim("organisation", "organisation", orgs))
    return dims


def grouping_sets(
    cube: Cube,
    stats: Callable[[pd.DataFrame, list[str]], pd.DataFrame],
    value_columns: Sequence[str],
) -> pd.DataFrame:
    """Non-additive statistics of every cell: ``stats(rows, by)`` once per subset of the
    (equality) dimensions; returns the cube's cells with ``value_columns`` (NaN where a
    cell has no rows). Interval dimensions are filtered per level instead."""
    frame = cube.frame
    eq_dims = [d for d in cube.dims if d.interval is None]
    iv_dims = [d for d in cube.dims if d.interval is not None]
    keyed = frame.assign(**{f"_k_{d.name}": _as_level(frame[d.column]) for d in eq_dims})
    parts = []
    iv_levels = list(itertools.product(*[(ALL, *d.levels) for d in iv_dims]))
    for iv in iv_levels:
        rows = keyed
        for dim, level in zip(iv_dims, iv, strict=True):
            if level != ALL:
                lo = pd.to_numeric(rows[dim.column], errors="coerce")
                hi = pd.to_numeric(rows[dim.interval], errors="coerce")
                rows = rows.loc[((lo <= float(level)) & (hi >= float(level))).to_numpy()]
        for r in range(len(eq_dims) + 1):
            for subset in itertools.combinations(eq_dims, r):
                by = [f"_k_{d.name}" for d in subset]
                table = stats(rows, by)
                if by:
                    table = table.rename(columns={f"_k_{d.name}": d.name for d in subset})
                for d in eq_dims:
                    if d not in subset:
                        table[d.name] = ALL
                for dim, level in zip(iv_dims, iv, strict=True):
                    table[dim.name] = level
                parts.append(table)
    out = pd.concat(parts, ignore_index=True)
    names = cube.dim_names
    for name in names:
        out[name] = out[name].astype("str")
    keep = np.ones(len(out), dtype=bool)
    for d in cube.dims:
        keep &= out[d.name].isin([ALL, *d.levels]).to_numpy()
    out = out.loc[keep]
    return cube.cells.merge(out[[*names, *value_columns]], on=names, how="left")
