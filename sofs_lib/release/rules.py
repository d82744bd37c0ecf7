"""The disclosure rules of the release, per role (rationale: ``docs/disclosure.md``).

Two kinds of cells:

- **a named organisation's cell** (role ``agentschap``; role ``organisatie`` sees only its
  own, in full): the small-number rule — a count from 1 to k−1 is hidden.
- **a pooled cell** (Flanders; for an organisation, Flanders minus itself = the other
  organisations together): the aggregate rules of SACRO's ``acro`` package, applied to the
  organisations as contributors, for every possible viewer (any organisation, or an
  outsider). A pooled count is hidden when, for some viewer, what it tells about the
  *other* organisations

  1. is a count from 1 to k−1 (``acro``'s threshold, here :data:`config.min_cell`),
  2. comes from fewer than :data:`MIN_CONTRIBUTORS` organisations,
  3. is dominated: the :data:`NK_N` largest organisations hold at least :data:`NK_K` of it
     (``acro``'s nk-rule, ``safe_nk_n = 2``, ``safe_nk_k = 0.9``), or
  4. fails the p%-rule: the rest after the two largest is less than :data:`P_RATIO` of
     the largest (``acro``'s p-ratio, ``safe_pratio_p = 0.1``): the second largest could
     then estimate the largest within 10%.

``acro`` itself is not a dependency (it pins pandas < 3); these functions match its
default parameters and definitions.
"""

from __future__ import annotations

import numpy as np

#: Fewest organisations that must contribute to a pooled count.
MIN_CONTRIBUTORS = 3
#: nk-dominance: the NK_N largest contributors may hold less than NK_K of the total.
NK_N = 2
NK_K = 0.9
#: p%-rule: the total minus the two largest must be at least P_RATIO of the largest.
P_RATIO = 0.1


def small(values: np.ndarray, k: int) -> np.ndarray:
    """Counts from 1 to k−1 (the small-number rule)."""
    v = np.asarray(values, dtype=float)
    return (v >= 0.5) & (v < k - 0.5)


def pooled_fails(
    total: np.ndarray, parts: np.ndarray, k: int, *, unattributed: np.ndarray | None = None
) -> np.ndarray:
    """For every viewer, which pooled counts fail the aggregate rules.

    ``total``: the pooled count per cell (Flanders, shape cells); ``parts``: each
    organisation's count per cell (organisations × cells). Returns a boolean matrix
    (1 + organisations) × cells: row 0 for an outsider (the public), row 1 + i for
    organisation i as the viewer, who subtracts its own count from the total.
    ``unattributed``: the part of the total of no named organisation (Binc children whose
    provider was not matched), judged as one more contributor that is never a viewer (it
    may be a single organisation's).
    """
    total = np.asarray(total, dtype=float)
    parts = np.asarray(parts, dtype=float)
    n_org = parts.shape[0]
    out = np.zeros((1 + n_org, total.shape[0]), dtype=bool)
    viewers = [None, *range(n_org)]
    for row, viewer in enumerate(viewers):
        others = parts if viewer is None else np.delete(parts, viewer, axis=0)
        if unattributed is not None and (np.asarray(unattributed) > 0.5).any():
            others = np.vstack([others, np.asarray(unattributed, dtype=float)[None, :]])
        pooled = total if viewer is None else total - parts[viewer]
        out[row] = _aggregate_fails(pooled, others, k)
    return out


def _aggregate_fails(pooled: np.ndarray, contributions: np.ndarray, k: int) -> np.ndarray:
    positive = pooled > 0.5
    fails = small(pooled, k)
    if contributions.shape[0] == 0:  # no organisation dimension (Binc): threshold only
        return fails
    n_contrib = (contributions > 0.5).sum(axis=0)
    fails |= positive & (n_contrib < MIN_CONTRIBUTORS)
    top = -np.sort(-contributions, axis=0)
    first = top[0]
    second = top[1] if top.shape[0] > 1 else np.zeros_like(first)
    top_n = top[:NK_N].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        fails |= positive & (top_n >= NK_K * pooled)
        fails |= positive & ((pooled - first - second) < P_RATIO * first)
    return fails
