"""Small-number disclosure control for everything an organisation-level view shows.

The rules (written out for people in ``docs/disclosure.md``):

1. **Primary suppression.** A count from 1 up to the threshold minus one (``min_cell``,
   default 5 from ``SOFS_MIN_CELL``) is shown as ``"<5"``; 0 is shown. A share is hidden
   ("–") when its numerator or its denominator is hidden; a share whose denominator is below
   the threshold is therefore always hidden.
2. **Secondary (complementary) suppression.** Counts are linked by margin groups: the cells
   of a row or column add up to its total, taken + not taken add up to the denominator.
   When a group has exactly one hidden cell, that cell could be recovered by subtraction, so
   the next smallest visible cell of the group is hidden too (positive cells first, members
   before the total). This repeats over rows and columns until nothing changes; a final
   linear-algebra check hides more cells while any hidden cell is still fixed by the visible
   totals (chains of subtractions over several groups).
3. **Selection rule.** A selection (organisation, filter) with fewer trajectories than the
   threshold shows nothing and says why (:func:`too_few_message`).

Every function returns a :class:`Suppressed`: a display frame of nl_BE strings, a boolean
mask of the hidden cells and a numeric frame with hidden cells set to NA, so tables, figures
and downloads (CSV/XLSX) all carry the same suppressed values. Only aggregates are
accepted (:func:`assert_aggregate`); everything is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib import config
from sofs_lib.errors import SofsInputError
from sofs_lib.formatting import MISSING, fmt_int, fmt_number, fmt_pct

#: Columns that only exist in row-level (per-trajectory) data; an aggregate never has them.
ROW_LEVEL_COLUMNS: frozenset[str] = frozenset(
    {
        "trajectory_id",
        "source_row",
        "start_date",
        "consulent_start_date",
        "end_date",
        "plan_b_active_date",
        "network_meetings_kind",
        "child_id",
        "module_id",
    }
)
#: Columns of a distribution indicator besides ``n`` (report-wide convention).
DISTRIBUTION_STATS: tuple[str, ...] = ("mean", "sd", "median", "min", "max")

NO_TRAJECTORIES_MESSAGE = "Geen trajecten in deze selectie."
#: What a count hidden by secondary suppression shows: it is not small itself, so "<5"
#: would be false; "x" says "hidden to protect another cell".
SECONDARY_LABEL = "x"


def resolve_min_cell(min_cell: int | None) -> int:
    """The threshold to use: the argument, else ``SOFS_MIN_CELL`` (default 5)."""
    if min_cell is None:
        return config.min_cell()
    if isinstance(min_cell, bool) or not isinstance(min_cell, int | np.integer) or min_cell < 1:
        raise SofsInputError(f"min_cell must be a whole number of at least 1, got {min_cell!r}")
    return int(min_cell)


def suppressed_label(min_cell: int | None = None) -> str:
    """What a hidden count shows: ``"<5"`` for threshold 5."""
    return f"<{resolve_min_cell(min_cell)}"


def too_few_message(min_cell: int | None = None) -> str:
    """The Dutch message of a selection with fewer trajectories than the threshold."""
    k = resolve_min_cell(min_cell)
    return f"Te weinig trajecten (minder dan {k}) in deze selectie om cijfers te tonen."


@dataclass(frozen=True)
class SelectionCheck:
    """Whether a selection may show figures; ``message`` says why not (Dutch)."""

    ok: bool
    n_trajectories: int
    min_cell: int
    message: str | None = None


def check_selection(n_trajectories: int, min_cell: int | None = None) -> SelectionCheck:
    """Apply the selection rule: fewer than ``min_cell`` trajectories shows nothing.

    A selection with 0 trajectories says so; 1 to ``min_cell - 1`` gives
    :func:`too_few_message`.
    """
    k = resolve_min_cell(min_cell)
    if n_trajectories is None or pd.isna(n_trajectories):
        raise SofsInputError("the number of trajectories in the selection is missing")
    n = int(n_trajectories)
    if n < 0:
        raise SofsInputError(f"the number of trajectories cannot be negative, got {n}")
    if n == 0:
        return SelectionCheck(False, 0, k, NO_TRAJECTORIES_MESSAGE)
    if n < k:
        return SelectionCheck(False, n, k, too_few_message(k))
    return SelectionCheck(True, n, k)


@dataclass(frozen=True)
class Suppressed:
    """A table after disclosure control.

    ``display``: what people see (strings, nl_BE, ``"<5"`` for small counts, ``"x"`` for
    counts hidden to protect another cell, ``"–"`` for hidden or undefined values).
    ``hidden``: True where disclosure control hid a value (same index and columns as
    ``display``; key columns are never hidden). ``values``: the numbers behind
    ``display`` with hidden cells set to NA, for figures. When ``ok`` is False the
    selection was too small: the frames are empty and ``message`` says why.
    """

    display: pd.DataFrame
    hidden: pd.DataFrame
    values: pd.DataFrame
    min_cell: int
    ok: bool = True
    message: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def figure_frame(self) -> pd.DataFrame:
        """``values`` plus ``suppressed`` (True where a value of the row is hidden): the
        form :mod:`sofs_lib.figures` draws, hidden bars empty and annotated."""
        return self.values.assign(suppressed=self.hidden.any(axis=1).to_numpy(dtype=bool))

    @property
    def n_hidden(self) -> int:
        """How many cells disclosure control hid."""
        return int(self.hidden.to_numpy().sum())

    def write(self, path: str | Path) -> Path:
        """Write the display frame as a download: ``.csv`` (Belgian Excel: ``;``, UTF-8
        with BOM) or ``.xlsx``. A refused selection writes its message instead. No cell is
        written as a live formula (``cleaning.neutralise``), and the file appears whole or
        not at all (``cleaning.write_outputs``)."""
        from sofs_lib.cleaning import neutralise_frame, write_outputs

        path = Path(path)
        frame = self.display if self.ok else pd.DataFrame({"Melding": [self.message]})
        frame = neutralise_frame(frame)
        suffix = path.suffix.lower()
        if suffix == ".csv":

            def content(target: Path) -> None:
                frame.to_csv(target, sep=";", index=False, encoding="utf-8-sig")

        elif suffix == ".xlsx":
            options = {"strings_to_formulas": False, "strings_to_urls": False}

            def content(target: Path) -> None:
                with pd.ExcelWriter(
                    target, engine="xlsxwriter", engine_kwargs={"options": options}
                ) as writer:
                    frame.to_excel(writer, index=False)

        else:
            raise SofsInputError(f"a download is .csv or .xlsx, got {path.name!r}")
        write_outputs(path.parent, {path.name: content})
        return path


# ---------------------------------------------------------------------------------------
# Input checks


def assert_aggregate(
    frame: pd.DataFrame, count_cols: Sequence[str], keys: Sequence[str] = ()
) -> None:
    """Refuse anything that is not an aggregate table of counts.

    Row-level columns (``trajectory_id``, dates, ``source_row``...), datetime columns,
    repeated key combinations (one row per trajectory) and counts that are not whole
    non-negative numbers all raise :class:`SofsInputError`.
    """
    if not isinstance(frame, pd.DataFrame):
        raise SofsInputError(f"disclosure control needs a table (DataFrame), got {type(frame)}")
    row_level = sorted(str(c) for c in frame.columns if str(c) in ROW_LEVEL_COLUMNS)
    if row_level:
        raise SofsInputError(
            "disclosure control only accepts aggregated tables; these columns belong to "
            f"row-level data: {', '.join(row_level)}"
        )
    dated = sorted(
        str(c)
        for c in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[c]) or str(c).endswith("_date")
    )
    if dated:
        raise SofsInputError(
            "disclosure control only accepts aggregated tables; date columns are row-level: "
            + ", ".join(dated)
        )
    missing = [c for c in [*count_cols, *keys] if c not in frame.columns]
    if missing:
        raise SofsInputError(f"the table lacks the columns {', '.join(map(str, missing))}")
    for col in count_cols:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = frame[col].notna() & (values.isna() | (values < 0) | (values % 1 != 0))
        if bool(bad.any()):
            example = frame.loc[bad, col].iloc[0]
            raise SofsInputError(
                f"column {col!r} must hold whole non-negative counts, found {example!r}"
            )
    if keys and len(frame) and bool(frame.duplicated(subset=list(keys)).any()):
        raise SofsInputError(
            "the table has several rows for the same "
            f"{', '.join(map(str, keys))}: this looks like row-level data, not an aggregate"
        )


# ---------------------------------------------------------------------------------------
# The suppression engine: cells in a flat array, margin groups as (members, total).

Group = tuple[tuple[int, ...], int]


def _primary(values: np.ndarray, k: int) -> np.ndarray:
    values = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    return (values >= 1) & (values < k)


def _pick(values: np.ndarray, hidden: np.ndarray, members: Sequence[int], total: int) -> int:
    """The cell to hide next in a group: smallest positive visible member, then a zero
    member, then the total. Ties go to the first cell (deterministic)."""
    visible = [i for i in members if not hidden[i]]
    positive = [i for i in visible if values[i] > 0]
    if positive:
        return min(positive, key=lambda i: (values[i], i))
    if visible:
        return visible[0]
    return total


def _determined(hidden: np.ndarray, groups: Sequence[Group], n_cells: int) -> np.ndarray:
    """Hidden cells whose value the visible cells fix through the group equations.

    Solved per connected set of groups (groups sharing hidden cells), so large tables of
    independent rows stay cheap.
    """
    result = np.zeros(n_cells, dtype=bool)
    relevant = [
        (members, total)
        for members, total in groups
        if hidden[list(members)].any() or hidden[total]
    ]
    if not relevant:
        return result
    # union-find over hidden cells linked by a group
    parent = {int(i): int(i) for i in np.flatnonzero(hidden)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows: list[dict[int, float]] = []
    for members, total in relevant:
        row: dict[int, float] = {}
        for i in members:
            if hidden[i]:
                row[i] = row.get(i, 0.0) + 1.0
        if hidden[total]:
            row[total] = row.get(total, 0.0) - 1.0
        cells = list(row)
        for other in cells[1:]:
            parent[find(other)] = find(cells[0])
        rows.append(row)
    components: dict[int, list[dict[int, float]]] = {}
    for row in rows:
        components.setdefault(find(next(iter(row))), []).append(row)
    for comp_rows in components.values():
        cells = sorted({i for row in comp_rows for i in row})
        position = {cell: j for j, cell in enumerate(cells)}
        matrix = np.zeros((len(comp_rows), len(cells)))
        for r, row in enumerate(comp_rows):
            for cell, coef in row.items():
                matrix[r, position[cell]] = coef
        # A hidden cell is fixed when every solution of the homogeneous system keeps it 0.
        _, s, vt = np.linalg.svd(matrix)
        rank = int((s > 1e-9).sum())
        null = vt[rank:]
        free = np.abs(null).max(axis=0) > 1e-9 if len(null) else np.zeros(len(cells), bool)
        result[np.asarray(cells)[~free]] = True
    return result


def protect(values: np.ndarray, hidden: np.ndarray, groups: Sequence[Group]) -> np.ndarray:
    """Secondary suppression until no hidden cell can be recovered from the groups.

    ``values``: every cell's count; ``hidden``: cells already hidden (primary);
    ``groups``: (member cells, total cell) index tuples whose members add up to the total.
    Returns the final hidden mask (a superset of ``hidden``).
    """
    values = np.asarray(values, dtype=float)
    hidden = np.asarray(hidden, dtype=bool).copy()
    while True:
        changed = True
        while changed:
            changed = False
            for members, total in groups:
                cells = (*members, total)
                if sum(bool(hidden[i]) for i in cells) == 1:
                    hidden[_pick(values, hidden, members, total)] = True
                    changed = True
        fixed = _determined(hidden, groups, len(values))
        if not fixed.any():
            return hidden
        cell = int(np.flatnonzero(fixed)[0])
        options = [
            (values[i] <= 0, values[i], i)
            for members, total in groups
            if cell in members or cell == total
            for i in (*members, total)
            if not hidden[i]
        ]
        if not options:  # cannot happen: a fixed cell has a visible neighbour
            return hidden
        hidden[min(options)[2]] = True


def _check_groups(values: np.ndarray, groups: Sequence[Group], what: str) -> None:
    for members, total in groups:
        if abs(values[list(members)].sum() - values[total]) > 1e-9:
            raise SofsInputError(
                f"{what}: the cells do not add up to their total "
                f"({values[list(members)].sum():g} vs {values[total]:g}); "
                "pass the total only when it is the sum of the cells"
            )


# ---------------------------------------------------------------------------------------
# Public table functions


def _formatted(values: np.ndarray, fmt: Callable[[float], str]) -> np.ndarray:
    """``fmt`` of every value, computed once per distinct value (babel is slow)."""
    values = np.asarray(values, dtype=float)
    out = np.full(values.shape, MISSING, dtype=object)
    known = ~np.isnan(values)
    if known.any():
        uniques, inverse = np.unique(values[known], return_inverse=True)
        out[known] = np.array([fmt(float(v)) for v in uniques], dtype=object)[inverse]
    return out


def format_counts(values: np.ndarray, hidden: np.ndarray, min_cell: int) -> list[str]:
    """Counts as shown: ``"<5"`` for hidden 1..k-1, ``"x"`` for other hidden counts
    (secondary suppression), else ``1.872``; NaN as ``"–"``."""
    values = np.asarray(values, dtype=float)
    hidden = np.asarray(hidden, dtype=bool)
    out = _formatted(values, fmt_int)
    small = (values >= 1) & (values < min_cell)
    out[hidden & small] = suppressed_label(min_cell)
    out[hidden & ~small] = SECONDARY_LABEL
    return out.tolist()


def format_values(
    values: np.ndarray, hidden: np.ndarray, *, percent: bool, decimals: int = 1
) -> list[str]:
    """Shares (``28,4%``) or numbers (``7,6``) as shown; hidden and NaN as ``"–"``."""
    fmt = fmt_pct if percent else fmt_number
    out = _formatted(values, lambda v: fmt(v, decimals))
    out[np.asarray(hidden, dtype=bool)] = MISSING
    return out.tolist()


def _refused(columns: Sequence[Hashable], check: SelectionCheck) -> Suppressed:
    empty = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    return Suppressed(
        display=empty,
        hidden=pd.DataFrame({c: pd.Series(dtype=bool) for c in columns}),
        values=pd.DataFrame({c: pd.Series(dtype="Float64") for c in columns}),
        min_cell=check.min_cell,
        ok=False,
        message=check.message,
    )


def suppress_table(
    table: pd.DataFrame,
    *,
    total_row: Hashable | None = None,
    total_col: Hashable | None = None,
    min_cell: int | None = None,
    selection_n: int | None = None,
) -> Suppressed:
    """Disclosure control of a wide table of counts (e.g. case type × status).

    ``total_col`` names the column holding each row's total and ``total_row`` the index
    label of the row holding each column's total; either makes the rows (columns) margin
    groups for secondary suppression. Every cell must be a whole count. ``selection_n``:
    the trajectories in the selection (default: the grand total when given).
    Returns display/hidden/values frames with the table's index and columns.
    """
    k = resolve_min_cell(min_cell)
    if not isinstance(table, pd.DataFrame):
        raise SofsInputError(f"suppress_table needs a DataFrame, got {type(table)}")
    assert_aggregate(table, [])
    if table.index.has_duplicates or table.columns.has_duplicates:
        raise SofsInputError("the table has repeated row or column labels")
    if total_col is not None and total_col not in table.columns:
        raise SofsInputError(f"total column {total_col!r} is not in the table")
    if total_row is not None and total_row not in table.index:
        raise SofsInputError(f"total row {total_row!r} is not in the table")
    numeric = table.apply(pd.to_numeric, errors="coerce")
    raw = numeric.to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(raw).any() or (raw < 0).any() or (raw % 1 != 0).any():
        raise SofsInputError("every cell of a count table must be a whole non-negative count")

    if selection_n is None and total_row is not None and total_col is not None:
        selection_n = int(numeric.loc[total_row, total_col])
    if selection_n is not None:
        check = check_selection(selection_n, k)
        if not check.ok:
            return _refused(list(table.columns), check)

    n_rows, n_cols = raw.shape
    flat = raw.ravel()
    r_tot = table.index.get_loc(total_row) if total_row is not None else None
    c_tot = table.columns.get_loc(total_col) if total_col is not None else None
    groups: list[Group] = []
    if c_tot is not None:
        for r in range(n_rows):
            members = tuple(r * n_cols + c for c in range(n_cols) if c != c_tot)
            groups.append((members, r * n_cols + c_tot))
    if r_tot is not None:
        for c in range(n_cols):
            members = tuple(r * n_cols + c for r in range(n_rows) if r != r_tot)
            groups.append((members, r_tot * n_cols + c))
    _check_groups(flat, groups, "count table")

    mask = protect(flat, _primary(flat, k), groups).reshape(n_rows, n_cols)
    display = pd.DataFrame(
        np.array(format_counts(raw, mask, k), dtype=object).reshape(n_rows, n_cols),
        index=table.index,
        columns=table.columns,
    ).astype("str")
    hidden = pd.DataFrame(mask, index=table.index, columns=table.columns)
    values = numeric.astype("Int64").mask(hidden)
    return Suppressed(display, hidden, values, k)


def _key_display(data: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Key columns as text, a missing key as ``"–"``."""
    if not keys:
        return pd.DataFrame(index=data.index)
    return data[list(keys)].astype("str").where(data[list(keys)].notna(), MISSING)


def _key_columns(frame: pd.DataFrame, value_cols: Iterable[str], keys: Sequence[str] | None):
    if keys is not None:
        return list(keys)
    taken = set(value_cols)
    return [c for c in frame.columns if c not in taken]


def suppress_shares(
    frame: pd.DataFrame,
    *,
    keys: Sequence[str] | None = None,
    numerator: str = "numerator",
    denominator: str = "denominator",
    share: str = "share",
    complement: bool = True,
    total: tuple[str, Hashable] | None = None,
    min_cell: int | None = None,
    selection_n: int | None = None,
    decimals: int = 1,
) -> Suppressed:
    """Disclosure control of a tidy share indicator (``numerator``/``denominator``/``share``).

    Primary: numerators and denominators from 1 to ``min_cell - 1`` become ``"<5"``. With
    ``complement`` (default) the implicit "not taken" count (denominator − numerator) is a
    cell too: when it is small, the numerator is hidden, since subtraction would reveal it.
    A share is hidden whenever its numerator or denominator is. ``total=(column, value)``
    marks rows that are the sum of the other rows with the same remaining keys (e.g.
    ``("organisation", "Vlaanderen")``): numerators, denominators and complements then form
    margin groups across rows. ``keys`` default to every other column.
    ``selection_n`` (trajectories in the selection) applies the selection rule.
    """
    k = resolve_min_cell(min_cell)
    keys = _key_columns(frame, (numerator, denominator, share), keys)
    assert_aggregate(frame, [numerator, denominator], keys)
    if selection_n is not None:
        check = check_selection(selection_n, k)
        if not check.ok:
            return _refused([*keys, numerator, denominator, share], check)

    data = frame.reset_index(drop=True)
    num = pd.to_numeric(data[numerator]).to_numpy(dtype=float, na_value=np.nan)
    den = pd.to_numeric(data[denominator]).to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(num).any() or np.isnan(den).any():
        raise SofsInputError(
            f"{numerator!r} and {denominator!r} must be counts for every row (0 when empty)"
        )
    if (num > den).any():
        raise SofsInputError(f"{numerator!r} is larger than {denominator!r} in some rows")
    if share in data.columns:
        shares = pd.to_numeric(data[share]).to_numpy(dtype=float, na_value=np.nan)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)

    n = len(data)
    # cells: [0, n) numerators, [n, 2n) denominators, [2n, 3n) complements
    flat = np.concatenate([num, den, den - num])
    groups: list[Group] = []
    if complement:
        groups.extend(((i, 2 * n + i), n + i) for i in range(n))
    if total is not None:
        offsets = (0, n, 2 * n) if complement else (0, n)
        groups.extend(_total_groups(data, keys, total, n, offsets))
    groups.extend(_partition_groups(data, keys, num, den, n, exclude=total))
    _check_groups(flat, groups, "share table")

    primary = _primary(flat, k)
    if not complement:
        primary[2 * n :] = False
    mask = protect(flat, primary, groups)
    hide_num, hide_den = mask[:n], mask[n : 2 * n]
    hide_share = hide_num | hide_den

    display = (
        _key_display(data, keys)
        .assign(
            **{
                numerator: format_counts(num, hide_num, k),
                denominator: format_counts(den, hide_den, k),
                share: format_values(shares, hide_share, percent=True, decimals=decimals),
            }
        )
        .astype("str")
    )
    hidden = pd.DataFrame(False, index=data.index, columns=display.columns)
    hidden[numerator], hidden[denominator], hidden[share] = hide_num, hide_den, hide_share
    values = data[keys].assign(
        **{
            numerator: pd.array(num, dtype="Float64").astype("Int64"),
            denominator: pd.array(den, dtype="Float64").astype("Int64"),
            share: pd.array(shares, dtype="Float64"),
        }
    )
    values = values.mask(hidden)
    return Suppressed(display, hidden, values, k)


def _partition_groups(
    data: pd.DataFrame,
    keys: Sequence[str],
    num: np.ndarray,
    den: np.ndarray,
    n: int,
    *,
    exclude: tuple[str, Hashable] | None = None,
) -> list[Group]:
    """Categories that split one denominator (plan B kinds, case types...) form a group.

    For a key column ``c``: when, in every group of rows sharing the other keys, all rows
    have the same denominator and their numerators add up to it, the numerators are parts
    of that denominator — one hidden category could be recovered as the denominator minus
    the visible ones, so they are protected together. Found from the data, so every
    partition-shaped indicator is covered without being named.
    """
    groups: list[Group] = []
    candidates = [c for c in keys if exclude is None or c != exclude[0]]
    for column in candidates:
        others = [c for c in candidates if c != column]
        grouped = (
            data.groupby(others, sort=False, dropna=False).indices
            if others
            else {None: np.arange(n)}
        )
        found: list[Group] = []
        for rows in grouped.values():
            rows = np.asarray(rows)
            if len(rows) < 2:
                continue
            if np.ptp(den[rows]) != 0 or num[rows].sum() != den[rows[0]] or den[rows[0]] == 0:
                found = []
                break
            found.append((tuple(int(i) for i in rows), n + int(rows[0])))
        groups.extend(found)
    return groups


def _total_groups(
    data: pd.DataFrame,
    keys: Sequence[str],
    total: tuple[str, Hashable],
    n: int,
    offsets: Sequence[int],
) -> list[Group]:
    """Margin groups across rows: the non-total rows of each key add up to the total row,
    separately for each block of cells starting at ``offsets``."""
    col, label = total
    if col not in keys:
        raise SofsInputError(f"total column {col!r} is not one of the key columns {keys}")
    rest = [c for c in keys if c != col]
    is_total = data[col] == label
    if not bool(is_total.any()):
        raise SofsInputError(f"no total rows with {col} = {label!r}")
    groups: list[Group] = []
    parts = data.groupby(rest, sort=True, dropna=False).indices if rest else {(): np.arange(n)}
    for _, idx in sorted(parts.items(), key=lambda kv: str(kv[0])):
        tot = [i for i in idx if bool(is_total.iloc[i])]
        members = tuple(int(i) for i in idx if not bool(is_total.iloc[i]))
        if len(tot) != 1:
            raise SofsInputError(f"each group needs exactly one total row ({col} = {label!r})")
        t = int(tot[0])
        for offset in offsets:
            groups.append((tuple(offset + i for i in members), offset + t))
    return groups


def suppress_distribution(
    frame: pd.DataFrame,
    *,
    keys: Sequence[str] | None = None,
    n: str = "n",
    stats: Sequence[str] | None = None,
    min_cell: int | None = None,
    selection_n: int | None = None,
    decimals: int = 1,
) -> Suppressed:
    """Disclosure control of a distribution indicator (``n``, ``mean``, ``sd``, ...).

    A group with ``n`` from 1 to ``min_cell - 1`` shows ``"<5"`` and hides every
    statistic (mean, median, min and max of so few trajectories are individual values).
    ``stats`` default to the numeric columns other than ``n`` and the keys; columns whose
    name contains ``share`` are shown as percentages.
    """
    k = resolve_min_cell(min_cell)
    if stats is None:
        stats = [
            c
            for c in frame.columns
            if c != n
            and (keys is None or c not in keys)
            and (c in DISTRIBUTION_STATS or pd.api.types.is_float_dtype(frame[c]))
        ]
    keys = _key_columns(frame, (n, *stats), keys)
    assert_aggregate(frame, [n], keys)
    if selection_n is not None:
        check = check_selection(selection_n, k)
        if not check.ok:
            return _refused([*keys, n, *stats], check)

    data = frame.reset_index(drop=True)
    counts = pd.to_numeric(data[n]).to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(counts).any():
        raise SofsInputError(f"{n!r} must be a count for every row (0 when empty)")
    hide = _primary(counts, k)
    out = {n: format_counts(counts, hide, k)}
    numbers = {n: pd.array(counts, dtype="Float64").astype("Int64")}
    for col in stats:
        vals = pd.to_numeric(data[col]).to_numpy(dtype=float, na_value=np.nan)
        percent = "share" in str(col)
        out[col] = format_values(vals, hide, percent=percent, decimals=decimals)
        numbers[col] = pd.array(vals, dtype="Float64")
    display = _key_display(data, keys).assign(**out)
    display = display.astype("str")
    hidden = pd.DataFrame(False, index=data.index, columns=display.columns)
    for col in [n, *stats]:
        hidden[col] = hide
    values = data[keys].assign(**numbers).mask(hidden)
    return Suppressed(display, hidden, values, k)


def suppress_indicator(frame: pd.DataFrame, **kwargs) -> Suppressed:
    """Dispatch on the indicator shape: shares (``numerator``/``denominator``) or
    distributions (``n``). Keyword arguments go to the chosen function."""
    if {"numerator", "denominator"} <= set(frame.columns):
        return suppress_shares(frame, **kwargs)
    if "n" in frame.columns:
        return suppress_distribution(frame, **kwargs)
    raise SofsInputError(
        "not an indicator table: expected numerator/denominator/share or n/mean/median columns"
    )


def selection_size(counts: Mapping[Hashable, int] | int | None, key: Hashable) -> int | None:
    """The trajectory count of ``key`` from a mapping (or the int itself)."""
    if counts is None or isinstance(counts, int | np.integer):
        return None if counts is None else int(counts)
    return int(counts.get(key, 0))
