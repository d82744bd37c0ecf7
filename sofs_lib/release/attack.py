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


def in_span(targets: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Per target row, True when it lies in the span of the orthonormal ``basis``."""
    if targets.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    residual = targets - (targets @ basis.T) @ basis if basis.shape[0] else targets
    scale = np.maximum(np.abs(targets).sum(axis=1), 1.0)
    return np.abs(residual).max(axis=1) < 1e-6 * scale


def _spans(blocks: Sequence[np.ndarray], width: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Per block of rows: an orthonormal basis of its row span, and the orthogonal projector
    onto the complement of that span (blocks × width × width).

    One batched symmetric eigendecomposition of the blocks' Gram matrices (width × width
    however many rows a block has); a direction belongs to the span when its eigenvalue
    (a squared singular value) exceeds 1e-10 of the block's largest, as in
    :func:`row_space`."""
    if not blocks:
        return [], np.zeros((0, width, width))
    gram = np.stack([b.T @ b if b.size else np.zeros((width, width)) for b in blocks])
    values, vectors = np.linalg.eigh(gram)
    top = values.max(axis=1, keepdims=True)
    keep = (values > top * 1e-10) & (top > 0)
    bases = [vectors[i][:, keep[i]].T for i in range(len(blocks))]
    rest = vectors * (~keep)[:, None, :]
    return bases, np.matmul(rest, vectors.transpose(0, 2, 1))


def _null(matrices: np.ndarray) -> list[np.ndarray]:
    """Per symmetric positive semi-definite matrix (a sum of projectors): an orthonormal
    basis of its null space, taken with a threshold of 1e-10 of its largest eigenvalue
    (at least 1)."""
    values, vectors = np.linalg.eigh(matrices)
    top = np.maximum(np.abs(values).max(axis=1, keepdims=True), 1.0)
    null = values <= top * 1e-10
    return [vectors[i][:, null[i]].T for i in range(matrices.shape[0])]


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
    Every span and complement projector comes from a batched eigendecomposition of Gram
    matrices (:func:`_spans`), which stay unknowns × unknowns however many equations an
    organisation sees: a system has about as many organisations as unknowns per
    organisation, and batched SVDs of the rows took three to four times as long. A
    direction counted in an intersection by the null-space threshold can only make the
    attacker stronger.
    """
    width = pooled.shape[1]
    spaces, perps = _spans([np.vstack([r, z]) if z.size else r for r, z in own], width)
    (flanders,), f_perp = _spans([pooled], width)
    total = f_perp[0] + perps.sum(axis=0)
    with_targets = [o for o, t in enumerate(own_targets) if t.shape[0]]
    out = [np.zeros(0, dtype=bool) for _ in own_targets]
    if with_targets:
        shared = _null(total[None, :, :] - perps[with_targets])
        bases, _ = _spans(
            [np.vstack([spaces[o], shared[i]]) for i, o in enumerate(with_targets)], width
        )
        for o, basis in zip(with_targets, bases, strict=True):
            out[o] = in_span(own_targets[o], basis)
    if pooled_targets.shape[0]:
        common = _null(perps.sum(axis=0)[None])[0] if len(own) else np.eye(width)
        (basis,), _ = _spans([np.vstack([flanders, common])], width)
        f_hit = in_span(pooled_targets, basis)
    else:
        f_hit = np.zeros(0, dtype=bool)
    return out, f_hit
