"""Build the release: every number every role may see, suppressed and audited.

Steps (``sofs release``, :func:`build_release`):

1. **Cube** (:mod:`.cube`): every measure of every panel (:mod:`.measures`) per atom, and
   per cell for every selection the controls offer (grouping sets).
2. **Families**: the distinct row-level quantities behind the counts (a denominator that
   another panel shows as a numerator is one family; categories that split a denominator
   are linked by it), so the attacker sees that two panels show the same number.
3. **Primary suppression** (:mod:`.rules`): pooled cells (Flanders) by the aggregate rules
   for every possible viewer; named organisations' cells by the small-number rule.
4. **Audit and secondary suppression**: the attacker (:mod:`.attack`) solves, per viewer,
   everything that viewer sees across all selections; while a protected number is
   recovered, a further cell beside it is hidden (the smallest positive one), and the
   attack runs again — first for the Flanders layer (every organisation and an outsider
   as attacker), then for the agency's layer of named organisations.
5. **Slices**: per role (and per organisation) the released tables with hidden values
   removed, which the dashboards read (:mod:`.store`).
"""

from __future__ import annotations

import copy
import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sofs_lib.release import attack, rules
from sofs_lib.release.cube import (
    ALL,
    NA,
    Cube,
    binc_dims,
    build_cube,
    dashboard_dims,
    grouping_sets,
)
from sofs_lib.release.measures import MEASURES, Measure

log = logging.getLogger(__name__)

DIST_STATS = ("n", "mean", "sd", "median", "min", "max")
#: Flags of a count in a released table: shown, hidden small (1..k-1), hidden other.
SHOWN, SMALL, OTHER = "", "<", "x"


# --------------------------------------------------------------------------- families


@dataclass
class Quantity:
    """A published count or sum: a combination of families (``coeffs``), its true atoms."""

    coeffs: dict[int, float]
    atoms: np.ndarray
    count: bool = True


class Registry:
    """Distinct quantities and the families (unknown vectors) they are made of."""

    def __init__(self) -> None:
        self.families: list[np.ndarray] = []
        self.nonnegative: list[bool] = []
        self.quantities: list[Quantity] = []
        self._seen: dict[bytes, int] = {}

    @staticmethod
    def _key(atoms: np.ndarray) -> bytes:
        return np.round(np.asarray(atoms, dtype=float), 6).tobytes()

    def add(self, atoms: np.ndarray, count: bool = True) -> int:
        """The quantity of these atom values (a new family when never seen)."""
        key = self._key(atoms)
        if key in self._seen:
            return self._seen[key]
        family = len(self.families)
        self.families.append(np.asarray(atoms, dtype=float))
        self.nonnegative.append(bool((np.asarray(atoms) >= 0).all()))
        return self._new(Quantity({family: 1.0}, np.asarray(atoms, dtype=float), count), key)

    def combine(self, parts: dict[int, float], count: bool = True) -> int:
        """A published quantity that is a combination of others (a sum of categories)."""
        coeffs, atoms = self.combo(parts)
        key = self._key(atoms)
        if key in self._seen:
            return self._seen[key]
        return self._new(Quantity(coeffs, atoms, count), key)

    def combo(self, parts: dict[int, float]) -> tuple[dict[int, float], np.ndarray]:
        coeffs: dict[int, float] = {}
        atoms = np.zeros_like(self.quantities[next(iter(parts))].atoms)
        for q, c in parts.items():
            for f, a in self.quantities[q].coeffs.items():
                coeffs[f] = coeffs.get(f, 0.0) + c * a
            atoms = atoms + c * self.quantities[q].atoms
        return {f: c for f, c in coeffs.items() if c != 0}, atoms

    def _new(self, quantity: Quantity, key: bytes) -> int:
        self.quantities.append(quantity)
        self._seen[key] = len(self.quantities) - 1
        return len(self.quantities) - 1


@dataclass(frozen=True)
class Sensitive:
    """A number that must not be recovered when hidden: a combination of quantities
    (``parts``), the quantities hidden when it is (``hide``), and whether the rules judge
    it (counts) or it follows another sensitive count (a sum follows its n)."""

    parts: tuple[tuple[int, float], ...]
    hide: tuple[int, ...]
    count: bool = True
    follows: int | None = None  #: index of the sensitive count whose cells it shares


@dataclass
class Computed:
    """The true values of one cube: quantities per atom, tables per cell."""

    cube: Cube
    registry: Registry
    shares: pd.DataFrame  #: measure, item, cell, q_num, q_den
    dists: pd.DataFrame  #: measure, item, cell, q_n, q_sum, n..max
    counts: pd.DataFrame  #: q of the units (trajectories/children) of a cell
    sensitive: list[Sensitive] = field(default_factory=list)
    stats: dict[str, pd.DataFrame] = field(default_factory=dict)  #: measure -> cell stats


def _atom_positions(cube: Cube, table: pd.DataFrame) -> np.ndarray:
    """The atom of every row of an indicator frame computed ``by`` the atom columns."""
    from sofs_lib.release.cube import _as_level

    cols = list(cube.atoms.columns)
    keys = pd.DataFrame({c: _as_level(table[c]) for c in cols})
    index = cube.atom_index()
    lookup = pd.MultiIndex.from_frame(keys) if len(cols) > 1 else pd.Index(keys[cols[0]])
    pos = index.get_indexer(lookup)
    if (pos < 0).any():
        raise ValueError("indicator rows outside the cube's atoms")
    return pos


def _atom_vector(cube: Cube, pos: np.ndarray, values: pd.Series) -> np.ndarray:
    """Per atom, the sum of ``values`` (rows at atom positions ``pos``)."""
    v = pd.to_numeric(values).astype("Float64").fillna(0).to_numpy(dtype=float)
    return np.bincount(pos, weights=v, minlength=len(cube.atoms))


def _register_share(
    reg: Registry, cube: Cube, table: pd.DataFrame, item: str
) -> list[tuple[str, int, int]]:
    """(item, q_num, q_den) per item; categories that split their denominator are linked."""
    labels = table[item].astype("str")
    items = list(pd.unique(labels))
    pos = _atom_positions(cube, table)
    nums, dens = {}, {}
    for value in items:
        rows = (labels == value).to_numpy()
        nums[value] = _atom_vector(cube, pos[rows], table["numerator"].loc[rows])
        dens[value] = _atom_vector(cube, pos[rows], table["denominator"].loc[rows])
    first = dens[items[0]]
    partition = (
        len(items) > 1
        and all(np.array_equal(dens[v], first) for v in items)
        and np.allclose(sum(nums.values()), first)
        and first.sum() > 0
    )
    out = []
    if partition:
        q_den = reg.add(first)
        q_nums = [reg.add(nums[v]) for v in items[:-1]]
        last = reg.combine({q_den: 1.0, **{q: -1.0 for q in q_nums}})
        for value, q in zip(items, [*q_nums, last], strict=True):
            out.append((value, q, q_den))
        return out
    for value in items:
        out.append((value, reg.add(nums[value]), reg.add(dens[value])))
    return out


def _distribution_quantities(
    reg: Registry, cube: Cube, table: pd.DataFrame, item: str
) -> list[tuple[str, int, int]]:
    out = []
    labels = table[item].astype("str")
    pos = _atom_positions(cube, table)
    n_all = pd.to_numeric(table["n"]).astype("Float64").fillna(0)
    sum_all = n_all * pd.to_numeric(table["mean"]).astype("Float64").fillna(0)
    for value in pd.unique(labels):
        rows = (labels == value).to_numpy()
        n = _atom_vector(cube, pos[rows], n_all.loc[rows])
        sums = _atom_vector(cube, pos[rows], sum_all.loc[rows])
        out.append((value, reg.add(n), reg.add(sums, count=False)))
    return out


def _cell_keys(cube: Cube) -> pd.Series:
    """One string per cell over the dimensions other than organisation (lookup key)."""
    names = [d for d in cube.dim_names if d != "organisation"]
    return cube.cells[names].astype("str").agg("|".join, axis=1) if names else pd.Series(
        "", index=cube.cells.index
    )


def compute(
    cube: Cube,
    measures: Sequence[Measure],
    call: Callable[[Measure, pd.DataFrame, list[str]], pd.DataFrame],
    unit_atoms: np.ndarray,
) -> Computed:
    """True values of every measure over ``cube``: ``call(measure, rows, by)`` returns the
    indicator frame of ``rows`` grouped ``by``; ``unit_atoms``: trajectories per atom."""
    reg = Registry()
    cols = list(cube.atoms.columns)
    share_rows, dist_rows = [], []
    index: dict[Sensitive, int] = {}

    def sens(item: Sensitive) -> int:
        return index.setdefault(item, len(index))

    q_unit = reg.add(unit_atoms)
    sens(Sensitive(((q_unit, 1.0),), (q_unit,)))
    done: dict[tuple, list] = {}
    for m in measures:
        ident = (m.indicator, m.kind, m.item)
        if m.kind == "share":
            if ident not in done:
                table = call(m, cube.frame, cols)
                done[ident] = _register_share(reg, cube, table, m.item)
            for value, q_num, q_den in done[ident]:
                share_rows.append((m.key, value, q_num, q_den))
                sens(Sensitive(((q_num, 1.0),), (q_num,)))
                sens(Sensitive(((q_den, 1.0),), (q_den,)))
                sens(Sensitive(((q_den, 1.0), (q_num, -1.0)), (q_num,)))
        else:
            if ident not in done:
                table = call(m, cube.frame, cols)
                stats = grouping_sets(
                    cube, lambda rows, by, m=m: call(m, rows, by), [m.item, *DIST_STATS]
                )
                done[ident] = [_distribution_quantities(reg, cube, table, m.item), stats]
            quantities, stats = done[ident]
            for value, q_n, q_sum in quantities:
                dist_rows.append((m.key, value, q_n, q_sum))
                i_n = sens(Sensitive(((q_n, 1.0),), (q_n, q_sum)))
                sens(Sensitive(((q_sum, 1.0),), (q_sum,), count=False, follows=i_n))
    shares = pd.DataFrame(share_rows, columns=["measure", "item", "q_num", "q_den"])
    dists = pd.DataFrame(dist_rows, columns=["measure", "item", "q_n", "q_sum"])
    stats = {
        m.key: done[(m.indicator, m.kind, m.item)][1] for m in measures if m.kind == "distribution"
    }
    return Computed(cube, reg, shares, dists, pd.DataFrame({"q": [q_unit]}), list(index), stats)


# --------------------------------------------------------------------------- layers


class Layout:
    """Positions of the cells: the organisation block (0 = Flanders) and siblings."""

    def __init__(self, cube: Cube):
        self.cube = cube
        self.sizes = [1 + len(d.levels) for d in cube.dims]
        self.org_dim = 0 if cube.dims and cube.dims[0].name == "organisation" else None
        self.n_orgs = len(cube.dims[0].levels) if self.org_dim is not None else 0
        self.block = int(np.prod(self.sizes[1:])) if self.org_dim is not None else len(cube.cells)
        self.positions = np.array(
            list(itertools.product(*[range(s) for s in self.sizes])), dtype=int
        ).reshape(len(cube.cells), len(self.sizes))

    def flanders(self) -> np.ndarray:
        return np.arange(self.block)

    def org_cells(self) -> np.ndarray:
        return np.arange(self.block, len(self.cube.cells))

    def siblings(self, cell: int, dims: Sequence[int]) -> list[int]:
        pos = self.positions[cell]
        out = []
        for j in dims:
            for level in range(self.sizes[j]):
                if level != pos[j]:
                    other = pos.copy()
                    other[j] = level
                    out.append(int(np.ravel_multi_index(other, self.sizes)))
        return out


@dataclass
class Pattern:
    """Which cells of which quantities are hidden, and why the attacker could not win."""

    hidden: dict[int, np.ndarray]
    small: dict[int, np.ndarray]
    audit: dict[str, dict] = field(default_factory=dict)


def _components(reg: Registry) -> list[list[int]]:
    """Families linked by a published quantity (one system each). A protected combination
    spanning several systems is recovered only when each of its parts is (the systems
    share no unknown, so the row space is their direct sum)."""
    parent = list(range(len(reg.families)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links = [list(q.coeffs) for q in reg.quantities]
    for fams in links:
        for f in fams[1:]:
            parent[find(f)] = find(fams[0])
    groups: dict[int, list[int]] = {}
    for f in range(len(reg.families)):
        groups.setdefault(find(f), []).append(f)
    return list(groups.values())


def _rows(coeffs: dict[int, float], fams: Sequence[int], member: np.ndarray) -> np.ndarray:
    """Equation rows (cells × (families × atoms)) of a combination over ``member`` rows."""
    blocks = [member * coeffs.get(f, 0.0) for f in fams]
    return np.hstack(blocks) if blocks else np.zeros((member.shape[0], 0))


class Suppressor:
    """Primary suppression, then attack → hide more → attack, per layer."""

    def __init__(self, computed: Computed, k: int):
        self.c = computed
        self.k = k
        self.reg = computed.registry
        self.layout = Layout(computed.cube)
        self.M = computed.cube.membership
        n_cells = len(computed.cube.cells)
        self.true = {q: self.M @ quantity.atoms for q, quantity in enumerate(self.reg.quantities)}
        self.hidden = {q: np.zeros(n_cells, dtype=bool) for q in range(len(self.reg.quantities))}
        self.small = {q: rules.small(v, k) for q, v in self.true.items()}
        self.components = _components(self.reg)
        self.audit: dict[str, dict] = {}
        self._combos = [self.reg.combo(dict(s.parts)) for s in computed.sensitive]
        component_of = {f: i for i, comp in enumerate(self.components) for f in comp}
        # A distribution's n and sum are shown together (the mean is shown with its n).
        self.partners: dict[int, set[int]] = {}
        for row in computed.dists.itertuples(index=False):
            self.partners.setdefault(row.q_n, set()).add(row.q_sum)
            self.partners.setdefault(row.q_sum, set()).add(row.q_n)
        self._n_parts = [len({component_of[f] for f in coeffs}) for coeffs, _ in self._combos]

    def fresh(self) -> Suppressor:
        """A suppressor of the same computed release with nothing hidden yet, sharing what
        depends on the data only (true values, small cells, components and the caches of
        pooled and structural unknowns): the audit attacks many roles' slices of one release."""
        for name in ("_structural", "_pooled", "_cq"):
            self.__dict__.setdefault(name, {})
        if self.layout.org_dim is not None:
            self._collapsed()
        other = copy.copy(self)
        other.hidden = {q: np.zeros_like(h) for q, h in self.hidden.items()}
        other.audit = {}
        return other

    # -- the Flanders layer: every organisation and an outsider attack it --------------

    def flanders_targets(self) -> np.ndarray:
        """Per viewer (outsider, organisations) × sensitive × Flanders cell: must stay hidden."""
        lay = self.layout
        n_viewers = 1 + lay.n_orgs
        out = np.zeros((n_viewers, len(self.c.sensitive), lay.block), dtype=bool)
        for s, sens in enumerate(self.c.sensitive):
            if not sens.count:
                continue
            values = self.M @ self._combos[s][1]
            total = values[: lay.block]
            parts = values[lay.block :].reshape(lay.n_orgs, lay.block)
            # Units of no named organisation (Binc: a provider name not matched) are one
            # more contributor, never a viewer: they may all be one organisation's.
            rest = total - parts.sum(axis=0) if lay.n_orgs else None
            out[:, s] = rules.pooled_fails(total, parts, self.k, unattributed=rest)
        for s, sens in enumerate(self.c.sensitive):
            if sens.follows is not None:
                out[:, s] = out[:, sens.follows]
        return out

    def agency_targets(self) -> np.ndarray:
        """Sensitive × cell: named organisations' small counts and small Flanders counts."""
        out = np.zeros((len(self.c.sensitive), len(self.c.cube.cells)), dtype=bool)
        for s, sens in enumerate(self.c.sensitive):
            if sens.count:
                out[s] = rules.small(self.M @ self._combos[s][1], self.k)
        for s, sens in enumerate(self.c.sensitive):
            if sens.follows is not None:
                out[s] = out[sens.follows]
        return out

    def _hide_primary(self, targets: np.ndarray, cells: np.ndarray) -> None:
        for s, sens in enumerate(self.c.sensitive):
            mask = targets[s]
            if mask.any():
                for q in sens.hide:
                    self.hidden[q][cells[mask]] = True

    def run(self, *, flanders: bool = True, agency: bool = True) -> Pattern:
        """Suppress and attack: the Flanders layer, then the agency's layer of named
        organisations. ``flanders=False``: the Flanders cells keep the hidden pattern set
        beforehand (:func:`binc_suppressed`); ``agency=False``: no named organisation's
        cell is released (they stay as computed, unjudged)."""
        lay = self.layout
        f_cells = lay.flanders()
        # One attacker stands for every viewer of the Flanders layer: an organisation knows
        # its own atoms, so what it solves is the same system in the pooled atoms, and a
        # visible pooled cell passes the rules for every viewer, so a visible 0 is 0 for
        # all (no viewer knows a zero the outsider does not). Its targets: every viewer's.
        if flanders:
            f_targets = self.flanders_targets()
            self._hide_primary(f_targets.any(axis=0), f_cells)
            sibling_dims = [j for j in range(len(lay.sizes)) if j != lay.org_dim]
            self._iterate("vlaanderen", [(None, f_targets.any(axis=0))], f_cells, sibling_dims)
        if lay.org_dim is not None and agency:
            a_targets = self.agency_targets()
            org_cells = lay.org_cells()
            self._hide_primary(a_targets[:, org_cells], org_cells)
            all_cells = np.arange(len(self.c.cube.cells))
            self._iterate(
                "agentschap",
                [("agency", a_targets)],
                all_cells,
                list(range(len(lay.sizes))),
                hideable=org_cells,
            )
        return Pattern(self.hidden, self.small, self.audit)

    # -- the attack loop ---------------------------------------------------------------

    def _collapsed(self):
        """Atoms without the organisation: index of each atom, a representative atom each."""
        if getattr(self, "_collapse", None) is None:
            cube = self.c.cube
            rest = cube.atoms.drop(columns=["organisation"])
            codes = rest.groupby(list(rest.columns), sort=False, dropna=False).ngroup().to_numpy()
            n_q = int(codes.max()) + 1 if len(codes) else 0
            first = np.zeros(n_q, dtype=int)
            first[codes[::-1]] = np.arange(len(codes))[::-1]
            orgs = cube.atoms["organisation"].to_numpy(dtype=object)
            self._collapse = (codes, n_q, self.M[:, first], orgs)
            self._collapse_first = first
        return self._collapse

    def structural(self, family: int, pooled: bool) -> np.ndarray:
        """Unknowns of one family everyone knows to be 0 without seeing a number: atoms no
        trajectory can occupy (an open trajectory has no closing year, a closed one has
        one), and, for a family that is 0 on every open trajectory (a measure defined for
        closed trajectories only: response, duration, ...), every atom of open trajectories.
        The second is read from the data — a family that is 0 there by chance is treated as
        known too, which only makes the attacker stronger. Per atom, or per atom without
        the organisation when ``pooled``."""
        cache = self.__dict__.setdefault("_structural", {})
        if family not in cache:
            atoms = self.c.cube.atoms
            known = np.zeros(len(atoms), dtype=bool)
            if "status" in atoms.columns:
                status = atoms["status"].to_numpy(dtype=object)
                is_open = status == "open"
                if "closing_year" in atoms.columns:
                    no_year = atoms["closing_year"].to_numpy(dtype=object) == NA
                    known |= (is_open & ~no_year) | ((status == "closed") & no_year)
                values = self.reg.families[family]
                if is_open.any() and not (np.abs(values[is_open]) > 0).any():
                    known |= is_open
            cache[family] = known
        known = cache[family]
        if pooled:
            self._collapsed()
            return known[self._collapse_first]
        return known

    def _atoms_for(self, viewer, family: int) -> np.ndarray:
        """What the viewer does not know of one family, per unknown: the other
        organisations pooled (organisation viewer or outsider), or every atom (agency)."""
        reg = self.reg
        if viewer == "agency" or self.layout.org_dim is None:
            return reg.families[family]
        key = (viewer, family)
        cache = self.__dict__.setdefault("_pooled", {})
        if key not in cache:
            codes, n_q, _, orgs = self._collapsed()
            keep = (
                np.ones(len(orgs), dtype=bool)
                if viewer is None
                else orgs != self.c.cube.dims[0].levels[viewer]
            )
            cache[key] = np.bincount(codes[keep], weights=reg.families[family][keep], minlength=n_q)
        return cache[key]

    def equations(self, viewer, fams: Sequence[int], cells: np.ndarray, targets: np.ndarray):
        """The attacker's system for one component: (Equations, target list).

        Unknowns a visible 0 fixes (counts are never negative) are dropped before the
        matrices are built, which keeps the systems small."""
        reg = self.reg
        lay = self.layout
        pooled = viewer != "agency" and lay.org_dim is not None
        member = self._collapsed()[2] if pooled else self.M
        fam_set = set(fams)
        full = targets.shape[1] == len(self.c.cube.cells)
        wanted = []
        for s, (all_coeffs, _) in enumerate(self._combos):
            coeffs = {f: c for f, c in all_coeffs.items() if f in fam_set}
            if coeffs and targets[s].any():
                where = np.flatnonzero(targets[s])
                wanted.append((s, coeffs, where if full else cells[where]))
        if not wanted:
            return None, []
        atom_values = {f: self._atoms_for(viewer, f) for f in fams}
        visible_of = {}
        zero = {f: self.structural(f, pooled).copy() for f in fams}
        for q in self._component_quantities(fams):
            quantity = reg.quantities[q]
            visible = cells[~self.hidden[q][cells]]
            if pooled:
                visible = visible[visible < lay.block]
            if len(visible) == 0:
                continue
            visible_of[q] = visible
            if all(c > 0 for c in quantity.coeffs.values()) and all(
                reg.nonnegative[f] for f in quantity.coeffs
            ):
                values = sum(c * (member[visible] @ atom_values[f]) for f, c in quantity.coeffs.items())
                zero_cells = visible[np.abs(values) < 0.5]
                if len(zero_cells):
                    covered = member[zero_cells].any(axis=0)
                    for f in quantity.coeffs:
                        zero[f] |= covered
        free = {f: ~zero[f] for f in fams}
        sub = {f: member[:, free[f]] for f in fams}
        x = np.concatenate([atom_values[f][free[f]] for f in fams])

        def rows_of(coeffs: dict[int, float], at: np.ndarray) -> np.ndarray:
            return np.hstack([sub[f][at] * coeffs.get(f, 0.0) for f in fams])

        row_blocks, value_blocks = [], []
        for q, visible in visible_of.items():
            rows = rows_of(reg.quantities[q].coeffs, visible)
            keep = np.abs(rows).sum(axis=1) > 0
            row_blocks.append(rows[keep])
            value_blocks.append(rows[keep] @ x)
        width = len(x)
        rows = np.vstack(row_blocks) if row_blocks else np.zeros((0, width))
        values = np.concatenate(value_blocks) if value_blocks else np.zeros(0)
        target_rows, target_ids = [], []
        for s, coeffs, t_cells in wanted:
            target_rows.append(rows_of(coeffs, t_cells))
            target_ids.extend((s, int(c)) for c in t_cells)
        nonneg = np.concatenate([np.full(int(free[f].sum()), reg.nonnegative[f]) for f in fams])
        return attack.Equations(rows, values, np.vstack(target_rows), nonneg), target_ids

    def agency_recovered(
        self, fams: Sequence[int], targets: np.ndarray
    ) -> tuple[list[tuple[int, int]], int]:
        """The agency's attack on one component (:func:`attack.recovered_by_blocks`):
        every organisation's cells it sees, and Flanders; returns the recovered
        (sensitive, cell) pairs and how many targets were attacked."""
        reg = self.reg
        lay = self.layout
        block, n_orgs = lay.block, lay.n_orgs
        codes, n_q, member, _ = self._collapsed()
        member = member[:block]
        fam_set = set(fams)
        width = len(fams) * n_q
        wanted = []
        for s, (all_coeffs, _) in enumerate(self._combos):
            coeffs = {f: c for f, c in all_coeffs.items() if f in fam_set}
            if coeffs and targets[s].any():
                wanted.append((s, coeffs, np.flatnonzero(targets[s])))
        if not wanted:
            return [], 0
        # Atoms of no named organisation (Binc: an unmatched provider) form extra blocks
        # that the agency sees only inside Flanders: no own equations, no targets.
        n_blocks = len(self.c.cube.atoms) // n_q if n_q else n_orgs
        values = {f: reg.families[f].reshape(n_blocks, n_q) for f in fams}

        def rows_of(coeffs: dict[int, float], at: np.ndarray) -> np.ndarray:
            return np.hstack([member[at] * coeffs.get(f, 0.0) for f in fams])

        quantities = self._component_quantities(fams)
        own_rows = [[] for _ in range(n_blocks)]
        zero = np.zeros((n_blocks, width), dtype=bool)
        for i, f in enumerate(fams):  # what everyone knows is 0 (structural zeros)
            zero[:, i * n_q : (i + 1) * n_q] |= self.structural(f, True)
        pooled_rows = []
        every_cell = np.arange(block)
        for q in quantities:
            coeffs = reg.quantities[q].coeffs
            positive = all(c > 0 for c in coeffs.values()) and all(reg.nonnegative[f] for f in coeffs)
            hidden = self.hidden[q]
            q_rows = rows_of(coeffs, every_cell)  # one row per cell, taken per viewer below
            f_visible = np.flatnonzero(~hidden[:block])
            if len(f_visible):
                rows = q_rows[f_visible]
                pooled_rows.append(rows)
                if positive:
                    f_vals = sum(c * (member[f_visible] @ values[f].sum(axis=0)) for f, c in coeffs.items())
                    zero |= (np.abs(rows[np.abs(f_vals) < 0.5]) > 0).any(axis=0)
            for o in range(n_orgs):
                start = (o + 1) * block
                visible = np.flatnonzero(~hidden[start : start + block])
                if not len(visible):
                    continue
                rows = q_rows[visible]
                own_rows[o].append(rows)
                if positive:
                    o_vals = sum(c * (member[visible] @ values[f][o]) for f, c in coeffs.items())
                    zero[o] |= (np.abs(rows[np.abs(o_vals) < 0.5]) > 0).any(axis=0)
        own = []
        eye = np.eye(width)
        for o in range(n_blocks):
            rows = np.vstack(own_rows[o]) if own_rows[o] else np.zeros((0, width))
            own.append((rows, eye[zero[o]]))
        pooled = np.vstack(pooled_rows) if pooled_rows else np.zeros((0, width))
        own_targets = [[] for _ in range(n_blocks)]
        own_ids = [[] for _ in range(n_blocks)]
        f_targets, f_ids = [], []
        for s, coeffs, where in wanted:
            org = where // block - 1
            for o in np.unique(org):
                at = where[org == o]
                rows = rows_of(coeffs, at % block)
                ids = [(s, int(c)) for c in at]
                if o < 0:
                    f_targets.append(rows)
                    f_ids.extend(ids)
                else:
                    own_targets[int(o)].append(rows)
                    own_ids[int(o)].extend(ids)
        hits, f_hit = attack.recovered_by_blocks(
            own,
            pooled,
            [np.vstack(t) if t else np.zeros((0, width)) for t in own_targets],
            np.vstack(f_targets) if f_targets else np.zeros((0, width)),
        )
        out = [i for ids, hit in zip(own_ids, hits, strict=True) for i, h in zip(ids, hit, strict=True) if h]
        out += [i for i, h in zip(f_ids, f_hit, strict=True) if h]
        return out, len(f_ids) + sum(len(i) for i in own_ids)

    def _component_quantities(self, fams: Sequence[int]) -> list[int]:
        key = tuple(fams)
        cache = self.__dict__.setdefault("_cq", {})
        if key not in cache:
            fam_set = set(fams)
            cache[key] = [
                q for q, quantity in enumerate(self.reg.quantities) if set(quantity.coeffs) <= fam_set
            ]
        return cache[key]

    def _lines(self, cells: np.ndarray, dims: Sequence[int], hideable: np.ndarray) -> int:
        """Cheap first pass: along every control (a margin: its levels and the NA level add
        up to Alle), a line of cells with exactly one hidden cell gets a second one (the
        smallest positive visible cell, else a zero, else the total). Repeated until
        stable; the attack then finds what combining several lines still reveals."""
        lay = self.layout
        sizes = lay.sizes
        can = np.zeros(len(self.c.cube.cells), dtype=bool)
        can[hideable] = True
        in_layer = np.zeros(len(self.c.cube.cells), dtype=bool)
        in_layer[cells] = True
        grid = np.arange(len(self.c.cube.cells)).reshape(sizes)
        added = 0
        for q in range(len(self.reg.quantities)):
            hidden = self.hidden[q]
            if not hidden[cells].any():
                continue
            true = self.true[q]
            changed = True
            while changed:
                changed = False
                for j in dims:
                    lines = np.moveaxis(grid, j, -1).reshape(-1, sizes[j])
                    lines = lines[in_layer[lines[:, 0]] & in_layer[lines[:, -1]]]
                    counts = hidden[lines].sum(axis=1)
                    for line in lines[counts == 1]:
                        members = [c for c in line[1:] if can[c] and not hidden[c]]
                        if not members and can[line[0]] and not hidden[line[0]]:
                            members = [line[0]]
                        if not members:
                            continue
                        values = true[members]
                        order = np.lexsort((values, values < 0.5))
                        chosen = members[int(order[0])]
                        hidden[chosen] = True
                        for partner in self.partners.get(q, ()):
                            self.hidden[partner][chosen] = True
                        added += 1
                        changed = True
        return added

    def _iterate(self, layer: str, viewers, cells, sibling_dims, hideable=None) -> None:
        hideable = hideable if hideable is not None else cells
        hideable_set = set(hideable.tolist())
        rounds = 0
        stats = {"rounds": 0, "secondary": 0, "targets": 0}
        # Lines add up only along a partition (a begeleidingsjaar interval does not).
        line_dims = [j for j in sibling_dims if self.c.cube.dims[j].interval is None]
        stats["lines"] = self._lines(cells, line_dims, hideable)
        component_of = {f: i for i, comp in enumerate(self.components) for f in comp}
        dirty = set(range(len(self.components)))
        known: dict[int, dict[tuple[int, int], int]] = {}
        known_pooled: dict[tuple, list[tuple[tuple[int, int], int]]] = {}
        while True:
            rounds += 1
            recovered_all: list[tuple[int, int]] = []
            n_targets = 0
            for viewer, targets in viewers:
                parts: dict[tuple[int, int], int] = {}
                for ci, fams in enumerate(self.components):
                    if viewer == "agency":
                        # Only systems whose hidden cells changed can change their answer.
                        if ci in dirty or ci not in known:
                            found, count = self.agency_recovered(fams, targets)
                            known[ci] = {i: 1 for i in found}
                            n_targets += count
                        for i in known[ci]:
                            parts[i] = parts.get(i, 0) + 1
                        continue
                    # Likewise for the pooled attacker: a system none of whose hidden
                    # cells changed gives the same answer as in the previous round.
                    cache_key = (viewer, ci)
                    if ci in dirty or cache_key not in known_pooled:
                        eq, ids = self.equations(viewer, fams, cells, targets)
                        hit = attack.recovered(eq) if ids else []
                        known_pooled[cache_key] = list(zip(ids, (int(h) for h in hit), strict=True))
                    for i, h in known_pooled[cache_key]:
                        parts[i] = parts.get(i, 0) + h
                n_targets += len(parts) if viewer != "agency" else 0
                recovered_all.extend(i for i, n in parts.items() if n == self._n_parts[i[0]])
            if rounds == 1:
                stats["targets"] = n_targets
            log.info("%s round %d: %d of %d recovered", layer, rounds, len(recovered_all), n_targets)
            if not recovered_all:
                break
            added, touched = self._hide_beside(set(recovered_all), sibling_dims, hideable_set)
            dirty = {component_of[f] for q in touched for f in self.reg.quantities[q].coeffs}
            stats["secondary"] += added
            if added == 0:
                log.error("%s: %d numbers recoverable, nothing left to hide", layer, len(recovered_all))
                stats["unprotected"] = len(set(recovered_all))
                break
        stats["rounds"] = rounds
        self.audit[layer] = stats

    def _hide_beside(self, recovered: set[tuple[int, int]], dims, hideable: set[int]) -> int:
        added = 0
        touched: set[int] = set()
        for s, cell in sorted(recovered):
            coeffs = self._combos[s][0]
            qs = [q for q, quantity in enumerate(self.reg.quantities) if set(quantity.coeffs) & set(coeffs)]
            best = None
            for candidate in [cell, *self.layout.siblings(cell, dims)]:
                if candidate not in hideable:
                    continue
                for q in qs:
                    if self.hidden[q][candidate]:
                        continue
                    value = self.true[q][candidate]
                    rank = (0 if value >= 0.5 else 1, value if value >= 0.5 else 0.0)
                    if best is None or rank < best[0]:
                        best = (rank, q, candidate)
            if best is None:
                # Every sibling is hidden already: hide the smallest overlapping visible cell,
                # of this layer if there is one, else of any layer. (Hiding one more number
                # of another layer, e.g. a Flemish total in the agency's layer, only takes
                # knowledge away from every viewer, so the layers already settled stay safe;
                # stopping here would leave the recovered number readable.)
                overlap = [int(c) for c in np.flatnonzero(self.M @ self.M[cell] > 0)]
                for pool in ([c for c in overlap if c in hideable], overlap):
                    for candidate in pool:
                        for q in qs:
                            if self.hidden[q][candidate]:
                                continue
                            value = self.true[q][candidate]
                            rank = (0 if value >= 0.5 else 1, value)
                            if best is None or rank < best[0]:
                                best = (rank, q, candidate)
                    if best is not None:
                        break
            if best is not None:
                _, q, candidate = best
                if not self.hidden[q][candidate]:
                    for linked in (q, *self.partners.get(q, ())):
                        self.hidden[linked][candidate] = True
                        touched.add(linked)
                    added += 1
        return added, touched


# --------------------------------------------------------------------------- inputs


def dashboard_computed(frame: pd.DataFrame, measures: Sequence[Measure] | None = None) -> Computed:
    """The cube and true values of the trajectory dashboards for a cleaned frame
    (``measures``: a subset of panels; default every panel of every dashboard)."""
    from sofs_lib.indicators.derive import add_derived

    data = frame if "closing_year" in frame.columns else add_derived(frame)
    cube = build_cube(data, dashboard_dims(data))

    def call(m: Measure, rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        return m.indicator(rows, by=by, population="all")

    chosen = list(MEASURES.values()) if measures is None else list(measures)
    if measures is None:  # the Impact panels, when a kerndataset was joined (issue 12)
        from sofs_lib.release.impact_measures import measures_for

        chosen += measures_for(data)
    return compute(cube, chosen, call, cube.atom_sums(np.ones(len(data))))


#: The Binc profile's measures: the characteristic chosen in the control, foster care, age.
BINC_AGE = "leeftijd"
#: Prefix of the per-child flags of Table 8 (a link in this cluster before / after the
#: last CB SofS module), added by :func:`binc_children` when the modules are given.
CLUSTER_FLAG = "_cluster"
#: Per-child flag: one of the child's CB SofS modules shares its link with another module.
COMBINED_FLAG = "_sofs_combined"


def binc_measures(columns: Sequence[str] | None = None) -> list[Measure]:
    """The Binc profile's measures. Table 7's combination and Table 8 need the per-child
    flags :func:`binc_children` derives from the modules: included when ``columns`` (of the
    children frame) holds them."""
    from sofs_lib.indicators import profiles

    def variable(name: str):
        def indicator(children, by=(), population="all"):
            table = profiles.category_shares(children, name, by=by)
            return dutch_categories(table.drop(columns=["variable"]))

        return indicator

    def foster(children, by=(), population="all"):
        table = profiles.foster_care(children, by=by)
        keep = (table["indicator"] == "foster_care").to_numpy()
        out = table.loc[keep].drop(columns=["variable"], errors="ignore").reset_index(drop=True)
        return dutch_categories(out)

    def age(children, by=(), population="all"):
        from sofs_lib.indicators.derive import distribution_table

        return distribution_table(children, by, "age_at_entry", {"x": children["age_at_entry"]})

    out = [Measure(f"kenmerk:{key}", "share", variable(key), item="category") for key in binc_variables()]
    out.append(Measure("pleegzorg", "share", foster, item="category"))
    out.append(Measure(BINC_AGE, "distribution", age))
    out.extend(_binc_report_measures(columns or ()))
    return out


def _binc_report_measures(columns: Sequence[str]) -> list[Measure]:
    """Tables 5–8 beyond the characteristic control (issue 11, item 3): number of children
    in the family, the kind of network foster care, VZB type by status (Table 6), how often,
    in which link and in which shape of care path CB SofS is used (Table 7), the clusters
    before and after it (Table 8). The release counts children, never modules or links: a
    count of links of 5 or more can come from one or two children."""
    from sofs_lib.indicators import profiles
    from sofs_lib.indicators.derive import distribution_table, shares_table
    from sofs_lib.reference import cluster_labels

    def kids(children, by=(), population="all"):
        return distribution_table(children, by, "n_children", {"x": children["n_children"]})

    def foster_network(children, by=(), population="all"):
        table = profiles.foster_care(children, by=by)
        keep = (table["indicator"] == "foster_network").to_numpy()
        out = table.loc[keep].drop(columns=["variable"], errors="ignore").reset_index(drop=True)
        return dutch_categories(_all_groups(children, by, out, "category"))

    def vzb(children, by=(), population="all"):
        # Table 6 within open / closed: the status control picks the column (its cells).
        table = profiles.category_shares(
            children, "vzb_type", by=by, indicator="vzb_by_status", include_missing=False
        )
        return table.drop(columns=["variable"])

    def frequency(children, by=(), population="all"):
        return _all_groups(children, by, profiles.module_frequency(children, by), "category")

    def shapes(children, by=(), population="all"):
        return _all_groups(children, by, profiles.path_shapes(children, by), "category")

    def first_link(children, by=(), population="all"):
        values = children["first_sofs_link"].astype("Float64")
        items = {
            label: values.between(lo, hi).astype("boolean").where(values.notna(), pd.NA)
            for label, (lo, hi) in profiles.LINK_ORDER_GROUPS.items()
        }
        return shares_table(children, by, "first_sofs_link", items, key="category")

    def combined(children, by=(), population="all"):
        flag = children[COMBINED_FLAG].astype("boolean")
        items = {"alleen CB SofS": ~flag, "CB SofS + andere module(s)": flag}
        return shares_table(children, by, "module_combination", items, key="category")

    def clusters(position: str):
        def indicator(children, by=(), population="all"):
            has = children[f"has_{position}"].astype("boolean").fillna(False).to_numpy(dtype=bool)
            items = {
                label: children[f"{CLUSTER_FLAG}:{position}:{label}"].astype("boolean").where(has, pd.NA)
                for label in cluster_labels()
            }
            return shares_table(children, by, f"clusters_{position}", items, key="category")

        return indicator

    out = [
        Measure("aantal_kinderen", "distribution", kids),
        Measure("pleegzorg_netwerk", "share", foster_network, item="category"),
        Measure("tabel6_vzb", "share", vzb, item="category"),
        Measure("tabel7_frequentie", "share", frequency, item="category"),
        Measure("tabel7_eerste_schakeling", "share", first_link, item="category"),
        Measure("tabel7_vorm", "share", shapes, item="category"),
    ]
    if COMBINED_FLAG in columns:
        out.append(Measure("tabel7_combinatie", "share", combined, item="category"))
    if any(str(c).startswith(CLUSTER_FLAG) for c in columns):
        out.append(Measure("tabel8_voor", "share", clusters("before"), item="category"))
        out.append(Measure("tabel8_na", "share", clusters("after"), item="category"))
    return out


def dutch_categories(table: pd.DataFrame) -> pd.DataFrame:
    """The Binc's "Missing" category (``profiles.MISSING``) as people read it: "Onbekend"."""
    from sofs_lib import catalogue
    from sofs_lib.indicators import profiles

    if "category" not in table.columns:
        return table
    category = table["category"].astype("str")
    unknown = catalogue.LABELS["unknown"]
    return table.assign(category=category.where(category != profiles.MISSING, unknown))


def _all_groups(children: pd.DataFrame, by: Sequence[str], table: pd.DataFrame, key: str) -> pd.DataFrame:
    """An indicator computed over a subset of the children, completed with 0/0 rows for
    the groups (atoms) of the whole frame that the subset lacks, so the cube sees every
    group of the frame it was handed."""
    by = list(by)
    if not by:
        return table
    from sofs_lib.indicators.derive import group_codes

    _, groups = group_codes(children, by)
    items = list(pd.unique(table[key]))
    full = groups.merge(pd.DataFrame({key: items}), how="cross")
    merged = full.merge(table, on=[*by, key], how="left")
    merged["indicator"] = merged["indicator"].ffill().bfill()
    for col in ("numerator", "denominator"):
        merged[col] = merged[col].fillna(0).astype("int64")
    merged["share"] = (merged["numerator"] / merged["denominator"].where(merged["denominator"] > 0)).astype(float)
    return merged[[*by, "indicator", key, "numerator", "denominator", "share"]]


def binc_variables() -> list[str]:
    from sofs_lib.indicators import profiles

    return ["sex", *profiles.TABLE5_VARIABLES]


def binc_children(children: pd.DataFrame, modules: pd.DataFrame | None = None) -> pd.DataFrame:
    """The children the profile shows: those with a CB SofS module. With ``modules`` (the
    cleaned module registrations), per child the flags of Table 7's combination and
    Table 8's clusters before / after the last CB SofS module."""
    if "n_sofs_modules" in children.columns:
        keep = children["n_sofs_modules"].fillna(0).astype(int) > 0
        children = children.loc[keep.to_numpy()]
    if modules is None or modules.empty:
        return children
    from sofs_lib.clean_binc import links_frame
    from sofs_lib.reference import cluster_labels

    ids = children["child_id"].astype("str")
    sofs = modules.loc[modules["is_sofs"].fillna(False).to_numpy(dtype=bool)]
    combined = sofs["combined"].fillna(False).astype(bool).groupby(sofs["child_id"].astype("str")).any()
    flags = {COMBINED_FLAG: ids.map(combined).fillna(False).astype("boolean").to_numpy()}
    links = links_frame(modules)
    for position in ("before", "after"):
        at = links.loc[links["position"].eq(position).fillna(False).to_numpy(dtype=bool)]
        for label in cluster_labels():
            hit = at.loc[at["module_cluster"].eq(label).fillna(False).to_numpy(dtype=bool)]
            seen = set(hit["child_id"].astype("str"))
            flags[f"{CLUSTER_FLAG}:{position}:{label}"] = pd.array(ids.isin(seen).to_numpy(), dtype="boolean")
    return children.assign(**flags)


def binc_computed(children: pd.DataFrame, organisations: Sequence[str] | None = None) -> Computed:
    """The cube and true values of the Binc profile; with an ``organisation`` column (the
    children's organisations, matched to ``organisations``: :mod:`sofs_lib.binc_organisations`)
    an organisation dimension, under the same rules as the trajectory dashboards."""
    cube = build_cube(children, binc_dims(children, organisations))

    def call(m: Measure, rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        return m.indicator(rows, by=by)

    return compute(
        cube, binc_measures(list(children.columns)), call, cube.atom_sums(np.ones(len(children)))
    )


def binc_org_computed(children: pd.DataFrame, organisations: Sequence[str] | None = None) -> Computed:
    """The Binc profile per organisation without the begeleidingsjaar: organisation ×
    status, every year together (cell keys as in :func:`binc_computed` with year *Alle*).
    The agency's attack on organisations over every begeleidingsjaar is too large to
    solve on this machine (one linked system of ~70 families × every year pair × every
    organisation); per organisation, Profiel therefore shows all years together."""
    from sofs_lib.release.cube import Dim

    dims = binc_dims(children, organisations)
    collapsed = children.assign(sofs_first_year=0, sofs_last_year=0)
    year = next(d for d in dims if d.name == "year")
    dims = [Dim(year.name, year.column, (), interval=year.interval) if d is year else d for d in dims]
    cube = build_cube(collapsed, dims)

    def call(m: Measure, rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        return m.indicator(rows, by=by)

    return compute(
        cube, binc_measures(list(children.columns)), call, cube.atom_sums(np.ones(len(collapsed)))
    )


def _quantity_keys(computed: Computed) -> dict[tuple, set[int]]:
    """Published quantity by what it is (table, measure, item, role) -> its quantities."""
    out: dict[tuple, set[int]] = {("counts",): {int(computed.counts["q"].iloc[0])}}
    for row in computed.shares.itertuples(index=False):
        out.setdefault(("num", row.measure, row.item), set()).add(int(row.q_num))
        out.setdefault(("den", row.measure, row.item), set()).add(int(row.q_den))
    for row in computed.dists.itertuples(index=False):
        out.setdefault(("n", row.measure, row.item), set()).add(int(row.q_n))
        out.setdefault(("sum", row.measure, row.item), set()).add(int(row.q_sum))
    return out


def binc_suppressed(
    children: pd.DataFrame, organisations: Sequence[str] | None, k: int
) -> tuple[Computed, Pattern, Computed | None, Pattern | None]:
    """The Binc profile's release: (Flanders cube, its pattern, organisation cube, its
    pattern); the organisation cube is None when the children name no organisation.

    1. The full cube (organisation × begeleidingsjaar × status) gives the Flanders layer:
       every Flanders cell of every year, judged by the aggregate rules for every
       organisation as viewer (its own per-year counts subtracted) and attacked as
       everywhere else. No organisation cell of it is released.
    2. The organisation cube (:func:`binc_org_computed`, every year together) takes the
       Flanders pattern of step 1 for its cells (all years) — visible there only when
       visible in step 1 — and releases the organisations' cells under the agency's
       small-number rule and attack. What the agency sees per organisation is a sum over
       years; the Flanders per-year cells are sums over organisations: the only function of
       both kinds is the total over years and organisations, shown in both cubes alike, so
       step 2's attack over the organisation cube with the Flanders totals covers the
       combination (``docs/disclosure.md``).
    """
    full = binc_computed(children, organisations)
    if not full.cube.dims or full.cube.dims[0].name != "organisation":
        return full, Suppressor(full, k).run(), None, None
    flanders = Suppressor(full, k).run(agency=False)
    orgs = list(full.cube.dims[0].levels)
    per_org = binc_org_computed(children, orgs)
    sup = Suppressor(per_org, k)
    cells1 = full.cube.cells
    at1 = ((cells1["organisation"] == ALL) & (cells1["year"] == ALL)).to_numpy()
    status1 = dict(zip(cells1.loc[at1, "status"], np.flatnonzero(at1), strict=True))
    cells2 = per_org.cube.cells
    at2 = (cells2["organisation"] == ALL).to_numpy()
    keys1 = _quantity_keys(full)
    f_cells2 = np.flatnonzero(at2)
    for q2 in sup.hidden:
        sup.hidden[q2][f_cells2] = True
    # A Flanders number is visible to the organisation cube's attacker when step 1 shows
    # it under any name (an attacker at least as strong as the release).
    for key, q2s in _quantity_keys(per_org).items():
        for status, c2 in zip(cells2.loc[at2, "status"], f_cells2, strict=True):
            c1 = status1[status]
            if any(not flanders.hidden[q1][c1] for q1 in keys1.get(key, ())):
                for q2 in q2s:
                    sup.hidden[q2][c2] = False
    org_pattern = sup.run(flanders=False)
    return full, flanders, per_org, org_pattern


__all__ = [
    "ALL",
    "NA",
    "Computed",
    "Pattern",
    "Suppressor",
    "binc_computed",
    "binc_org_computed",
    "binc_suppressed",
    "dashboard_computed",
]
