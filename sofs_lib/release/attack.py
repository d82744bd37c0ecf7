"""The attacker: collect every number a role can see, solve them together.

The unknowns are the **atoms** of a cube (:mod:`sofs_lib.release.cube`) for every
**family** (a row-level quantity summed per atom: trajectories that took a step, that have
a known answer, ...). Every number shown is a linear equation: the sum of one family (or a
fixed combination of families: a denominator that is the sum of its categories) over the
atoms of a cell equals the value shown. The attacker knows:

- every visible number of every selection of every panel of the role (equations);
- its own organisation's atoms exactly (role ``organisatie``: its own data);
- that counts are never negative, so a visible 0 makes every atom of its cell 0.

A hidden number (a *target*: a count from 1 to k−1, a count of the other organisations
pooled that fails the aggregate rules, a "not taken" count) is **recovered** when its
equation lies in the row space of the visible equations — then it equals a combination of
shown numbers, whatever the unknowns are. Optionally (:func:`interval`) a linear program
bounds it from both sides with non-negative atoms; an interval narrower than the threshold
counts as recovered too (the check tau-argus runs on suppressed tables).

Nothing here knows about dashboards: :func:`recovered` takes matrices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Relative tolerance of the row-space test (equations are small integer combinations).
TOLERANCE = 1e-7


@dataclass(frozen=True)
class Equations:
    """What one attacker sees of one group of linked families.

    ``rows``: visible equations (k × unknowns, coefficients); ``values``: their right-hand
    sides; ``targets``: the hidden numbers to protect (t × unknowns); ``nonnegative``:
    per unknown, True when it cannot be negative (counts).
    """

    rows: np.ndarray
    values: np.ndarray
    targets: np.ndarray
    nonnegative: np.ndarray


def known_zero(eq: Equations) -> np.ndarray:
    """Unknowns a visible 0 fixes at 0: every non-negative unknown of a row with value 0
    whose coefficients are all non-negative."""
    rows = eq.rows
    if rows.size == 0:
        return np.zeros(rows.shape[1], dtype=bool)
    zero_rows = (np.abs(eq.values) < 0.5) & (rows >= 0).all(axis=1)
    touched = (rows[zero_rows] > 0).any(axis=0) if zero_rows.any() else np.zeros(rows.shape[1], bool)
    return touched & eq.nonnegative


def recovered(eq: Equations) -> np.ndarray:
    """Per target, True when its value follows from the visible equations (row space).

    Unknowns fixed at 0 by a visible zero are removed first; a target whose every
    remaining coefficient is 0 is determined (it is 0)."""
    n_targets = eq.targets.shape[0]
    if n_targets == 0:
        return np.zeros(0, dtype=bool)
    free = ~known_zero(eq)
    targets = eq.targets[:, free]
    rows = eq.rows[:, free]
    if rows.shape[1] == 0:
        return np.ones(n_targets, dtype=bool)
    rows = rows[np.abs(rows).sum(axis=1) > 0]
    if rows.shape[0] == 0:
        return np.abs(targets).sum(axis=1) == 0
    basis = row_space(rows)
    residual = targets - (targets @ basis.T) @ basis
    scale = np.maximum(np.abs(targets).sum(axis=1), 1.0)
    return np.abs(residual).max(axis=1) < TOLERANCE * 1e3 * scale


def row_space(rows: np.ndarray) -> np.ndarray:
    """An orthonormal basis (r × unknowns) of the row space of ``rows``.

    Only the unknowns some row uses can carry the basis, so the decomposition runs on
    those columns: an SVD of the rows when there are fewer rows than such unknowns, else
    an eigendecomposition of their Gram matrix (small even when a role sees thousands of
    equations). Both keep the directions whose squared singular value exceeds 1e-10 of
    the largest."""
    width = rows.shape[1]
    used = np.flatnonzero(np.abs(rows).sum(axis=0) > 0)
    if used.size == 0:
        return np.zeros((0, width))
    sub = rows[:, used]
    if sub.shape[0] < sub.shape[1]:
        _, s, vt = np.linalg.svd(sub, full_matrices=False)
        values, part = s * s, vt
    else:
        values, vectors = np.linalg.eigh(sub.T @ sub)
        part = vectors.T
    top = float(values.max()) if values.size else 0.0
    if top <= 0:
        return np.zeros((0, width))
    part = part[values > top * 1e-10]
    basis = np.zeros((part.shape[0], width))
    basis[:, used] = part
    return basis


def interval(eq: Equations, target: int) -> tuple[float, float]:
    """Lower and upper bound of one target with non-negative unknowns (linear programs)."""
    from scipy.optimize import linprog

    free = ~known_zero(eq)
    rows, c = eq.rows[:, free], eq.targets[target, free]
    bounds = [(0, None) if nn else (None, None) for nn in eq.nonnegative[free]]
    lo = linprog(c, A_eq=rows, b_eq=eq.values, bounds=bounds, method="highs")
    hi = linprog(-c, A_eq=rows, b_eq=eq.values, bounds=bounds, method="highs")
    low = float(lo.fun) if lo.status == 0 else -np.inf
    high = float(-hi.fun) if hi.status == 0 else np.inf
    return low, high


def narrow(eq: Equations, width: float, candidates: Sequence[int] | None = None) -> np.ndarray:
    """Per target, True when its feasible interval is narrower than ``width``."""
    out = np.zeros(eq.targets.shape[0], dtype=bool)
    for t in candidates if candidates is not None else range(eq.targets.shape[0]):
        low, high = interval(eq, t)
        out[t] = high - low < width
    return out


def orthonormal(rows: np.ndarray, width: int) -> np.ndarray:
    """An orthonormal basis (r × width) of the span of ``rows`` (SVD; small matrices)."""
    if rows.size == 0:
        return np.zeros((0, width))
    _, s, vt = np.linalg.svd(rows, full_matrices=False)
    if s.size == 0 or s[0] <= 0:
        return np.zeros((0, width))
    return vt[s > s[0] * 1e-10 * max(rows.shape)]


def complement(basis: np.ndarray, width: int) -> np.ndarray:
    """An orthonormal basis of the orthogonal complement of an orthonormal ``basis``."""
    if basis.shape[0] == 0:
        return np.eye(width)
    _, s, vt = np.linalg.svd(basis, full_matrices=True)
    rank = int((s > 1e-10).sum())
    return vt[rank:]


def intersection(bases: list[np.ndarray], width: int) -> np.ndarray:
    """Orthonormal basis of the intersection of subspaces: the complement of the sum of
    their complements."""
    perps = [complement(b, width) for b in bases]
    stacked = np.vstack(perps) if perps else np.zeros((0, width))
    return complement(orthonormal(stacked, width), width)


def in_span(targets: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Per target row, True when it lies in the span of the orthonormal ``basis``."""
    if targets.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    residual = targets - (targets @ basis.T) @ basis if basis.shape[0] else targets
    scale = np.maximum(np.abs(targets).sum(axis=1), 1.0)
    return np.abs(residual).max(axis=1) < 1e-6 * scale


def _padded(blocks: Sequence[np.ndarray], width: int) -> np.ndarray:
    """The blocks as one stack (blocks × rows × width), shorter ones padded with zero rows."""
    height = max(1, max(b.shape[0] for b in blocks))
    stack = np.zeros((len(blocks), height, width))
    for i, b in enumerate(blocks):
        stack[i, : b.shape[0]] = b
    return stack


def _orthonormal_many(blocks: Sequence[np.ndarray], width: int) -> list[np.ndarray]:
    """:func:`orthonormal` of each block, in one batched SVD (blocks padded with zero rows,
    which change no span; each keeps its own threshold)."""
    if not blocks:
        return []
    _, s, vt = np.linalg.svd(_padded(blocks, width), full_matrices=False)
    out = []
    for i, b in enumerate(blocks):
        if b.size == 0 or s[i, 0] <= 0:
            out.append(np.zeros((0, width)))
        else:
            out.append(vt[i][s[i] > s[i, 0] * 1e-10 * max(b.shape)])
    return out


def _complement_many(bases: Sequence[np.ndarray], width: int) -> list[np.ndarray]:
    """:func:`complement` of each orthonormal basis, in one batched full SVD."""
    if not bases:
        return []
    _, s, vt = np.linalg.svd(_padded(bases, width), full_matrices=True)
    ranks = (s > 1e-10).sum(axis=1)
    return [vt[i][int(r) :] for i, r in enumerate(ranks)]


def recovered_by_blocks(
    own: list[tuple[np.ndarray, np.ndarray]],
    pooled: np.ndarray,
    own_targets: list[np.ndarray],
    pooled_targets: np.ndarray,
) -> tuple[list[np.ndarray], np.ndarray]:
    """The agency's attack, one block of unknowns per organisation.

    Each organisation ``o`` has its own visible equations ``own[o] = (rows, zero_rows)``
    over its atoms (zero_rows: unit rows of atoms a visible 0 fixes); ``pooled``: the
    visible Flanders equations, over the sum of every organisation's atoms (the same atom
    space). A hidden cell of organisation o is determined iff its row lies in
    R_o + (R_F ∩ ⋂_{o'≠o} R_o'); a hidden Flanders cell iff it lies in R_F + ⋂_o R_o —
    the row space of the whole system, computed without ever building it.

    The intersection for organisation o is the null space of the sum of the orthogonal
    projectors onto the complements of R_F and of every R_o' (o' ≠ o): the total sum
    minus o's own projector, one symmetric eigendecomposition per organisation, batched.
    Its null space is taken with a looser threshold (eigenvalues are squared singular
    values) than the spans; a direction counted in the intersection can only make the
    attacker stronger. Spans and complements are batched SVDs: a system has about as
    many organisations as unknowns per organisation, so the number of calls, not their
    size, decided the time.
    """
    width = pooled.shape[1]
    spaces = _orthonormal_many([np.vstack([r, z]) if z.size else r for r, z in own], width)
    flanders = orthonormal(pooled, width)
    perps = _complement_many(spaces, width)
    f_perp = complement(flanders, width)
    projectors = np.stack([p.T @ p for p in perps]) if perps else np.zeros((0, width, width))
    total = f_perp.T @ f_perp + projectors.sum(axis=0)
    with_targets = [o for o, t in enumerate(own_targets) if t.shape[0]]
    out = [np.zeros(0, dtype=bool) for _ in own_targets]
    if with_targets:
        gram = total[None, :, :] - projectors[with_targets]
        values, vectors = np.linalg.eigh(gram)
        shared = []
        for i in range(len(with_targets)):
            top = max(float(np.abs(values[i]).max()), 1.0)
            shared.append(vectors[i][:, values[i] <= top * 1e-10].T)
        bases = _orthonormal_many(
            [np.vstack([spaces[o], shared[i]]) for i, o in enumerate(with_targets)], width
        )
        for o, basis in zip(with_targets, bases, strict=True):
            out[o] = in_span(own_targets[o], basis)
    if pooled_targets.shape[0]:
        common = complement(orthonormal(np.vstack(perps), width), width) if perps else np.eye(width)
        basis = orthonormal(np.vstack([flanders, common]), width)
        f_hit = in_span(pooled_targets, basis)
    else:
        f_hit = np.zeros(0, dtype=bool)
    return out, f_hit
