"""The audit: attack the released slices, role by role, as a visitor of that role would.

Independent of how the suppression was chosen: what a role sees is read back from its
slice tables (a number is visible when any panel shows it), and the attacker of
:mod:`.attack` solves it — the public (Flanders, every selection), each organisation
separately (Flanders plus its own data, which it knows in full), and the agency (every
organisation by name plus Flanders). :func:`audit` returns, per role, the protected numbers
an attacker recovers; a sound release recovers none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sofs_lib import access
from sofs_lib.release import attack, rules, store
from sofs_lib.release.build import SHOWN, Computed, Suppressor


@dataclass
class AuditResult:
    """Per role (``publiek``, ``organisatie:<name>``, ``agentschap``): protected numbers
    checked and recovered; ``failed_rules``: visible pooled numbers that break a rule."""

    checked: dict[str, int]
    recovered: dict[str, int]
    failed_rules: int

    @property
    def ok(self) -> bool:
        return not any(self.recovered.values()) and self.failed_rules == 0


def cell_index(computed: Computed) -> pd.MultiIndex:
    """The cube's cells as (organisation, cell key) pairs, in cube order: the rows of a
    slice table are found in it (``__alle__`` for Flanders)."""
    cells = computed.cube.cells.copy()
    if "organisation" not in cells.columns:
        cells.insert(0, "organisation", "__alle__")
    keys = store._cell_keys(cells)
    return pd.MultiIndex.from_arrays(
        [cells["organisation"].astype("str"), pd.Index(keys, dtype="str")]
    )


def visibility(
    computed: Computed, tables: dict[str, pd.DataFrame], index: pd.MultiIndex | None = None
) -> dict[int, np.ndarray]:
    """Hidden mask per quantity over the cube's cells, as the slice ``tables`` show them
    (``index``: :func:`cell_index` of ``computed``, when the caller has it already)."""
    position = cell_index(computed) if index is None else index
    n = len(position)
    hidden = {q: np.ones(n, dtype=bool) for q in range(len(computed.registry.quantities))}

    def mark(frame: pd.DataFrame, quantity: pd.Series, flag: str) -> None:
        if frame.empty:
            return
        idx = position.get_indexer(
            pd.MultiIndex.from_arrays(
                [frame["organisation"].astype("str"), frame["cell"].astype("str")]
            )
        )
        if (idx < 0).any():
            missing = frame.loc[idx < 0, ["organisation", "cell"]].iloc[0].tolist()
            raise KeyError(f"a released cell is not in the cube: {missing}")
        shown = (frame[flag] == SHOWN).to_numpy()
        for q in pd.unique(quantity):
            rows = (quantity == q).to_numpy() & shown
            hidden[int(q)][idx[rows]] = False

    shares = tables["shares"]
    if not shares.empty:
        slots = computed.shares.set_index(["measure", "item"])
        key = pd.MultiIndex.from_frame(shares[["measure", "item"]].astype("str"))
        mark(shares, pd.Series(slots["q_num"].reindex(key).to_numpy()), "num_flag")
        mark(shares, pd.Series(slots["q_den"].reindex(key).to_numpy()), "den_flag")
    dists = tables["dists"]
    if not dists.empty:
        slots = computed.dists.set_index(["measure", "item"])
        key = pd.MultiIndex.from_frame(dists[["measure", "item"]].astype("str"))
        mark(dists, pd.Series(slots["q_n"].reindex(key).to_numpy()), "n_flag")
        mark(dists, pd.Series(slots["q_sum"].reindex(key).to_numpy()), "n_flag")
    q_unit = int(computed.counts["q"].iloc[0])
    counts = tables["counts"]
    mark(counts, pd.Series(np.full(len(counts), q_unit)), "n_flag")
    return hidden


def audit(
    computed: Computed,
    full: dict[str, pd.DataFrame],
    k: int,
    *,
    organisations: bool | Sequence[str] = True,
    agency: bool = True,
) -> AuditResult:
    """Attack every role's slice of a release (``full``: :func:`store.full_tables`).
    ``agency=False``: not the agency (the Binc profile's full cube, whose organisation
    cells are released from the organisation cube and audited there). ``organisations``:
    attack as every organisation (True), none, or the ones named."""
    checked: dict[str, int] = {}
    recovered: dict[str, int] = {}
    probe = Suppressor(computed, k)
    lay = probe.layout
    f_targets = probe.flanders_targets()
    f_cells = lay.flanders()
    index = cell_index(computed)

    def run(role: str, tables: dict, viewer, targets: np.ndarray) -> None:
        sup = probe.fresh()
        sup.hidden = visibility(computed, tables, index)
        parts: dict[tuple[int, int], int] = {}
        seen: set[tuple[int, int]] = set()
        if viewer == "agency":  # every target, whichever system holds it
            seen.update((int(s), int(c)) for s, c in zip(*np.nonzero(targets), strict=True))
        for fams in sup.components:
            if viewer == "agency":
                hits, _ = sup.agency_recovered(fams, targets)
                ids = hits
                hit = [True] * len(hits)
            else:
                eq, ids = sup.equations(viewer, fams, f_cells, targets)
                if not ids:
                    continue
                hit = attack.recovered(eq).tolist()
                seen.update(ids)
            for i, h in zip(ids, hit, strict=True):
                parts[i] = parts.get(i, 0) + int(h)
        # A combination spanning several systems is recovered when every part is.
        found = sum(1 for (s, _), n in parts.items() if n == sup._n_parts[s])
        total = len(seen)
        checked[role], recovered[role] = total, found

    public = store.slice_tables(full, access.PUBLIC)
    run("publiek", public, None, f_targets[0])
    if lay.org_dim is not None:
        if organisations:
            for i, org in enumerate(computed.cube.dims[0].levels):
                if organisations is not True and org not in organisations:
                    continue
                tables = store.slice_tables(full, access.ORGANISATION, org)
                run(f"organisatie:{org}", tables, i, f_targets[1 + i])
        if agency:
            tables = store.slice_tables(full, access.AGENCY)
            run("agentschap", tables, "agency", probe.agency_targets())
    # Every visible Flanders number passes the aggregate rules for every viewer.
    hidden = visibility(computed, public, index)
    failed = 0
    for s, sens in enumerate(computed.sensitive):
        if not sens.count:
            continue
        fails = f_targets[:, s].any(axis=0)
        shown = np.ones(lay.block, dtype=bool)
        for q, _ in sens.parts:
            shown &= ~hidden[q][f_cells]
        failed += int((fails & shown).sum())
    return AuditResult(checked, recovered, failed)


def audit_profile(
    binc: Computed,
    binc_org: Computed | None,
    full: dict[str, pd.DataFrame],
    k: int,
    *,
    organisations: bool | Sequence[str] = True,
) -> AuditResult:
    """Attack the Binc profile's release (``Release.profile_full()``) as every role: the
    public and each organisation over the full cube (Flanders of every begeleidingsjaar,
    the organisation knowing its own children), and every role again over the
    organisation cube (all years together) with the agency's named organisations.
    ``organisations`` limits the attack as an organisation on the full cube (one linked
    system per organisation; the build's pooled attacker stands for them all)."""
    if binc_org is None:
        return audit(binc, full, k)
    first = audit(binc, full, k, agency=False, organisations=organisations)
    every_year = {name: t.loc[t["cell"].str.startswith(f"{store.ALL}|").to_numpy()]
                  for name, t in full.items()}  # fmt: skip
    second = audit(binc_org, every_year, k)
    checked = {r: first.checked.get(r, 0) + second.checked.get(r, 0)
               for r in {*first.checked, *second.checked}}  # fmt: skip
    recovered = {r: first.recovered.get(r, 0) + second.recovered.get(r, 0)
                 for r in {*first.recovered, *second.recovered}}  # fmt: skip
    return AuditResult(checked, recovered, first.failed_rules + second.failed_rules)


__all__ = ["AuditResult", "audit", "audit_profile", "cell_index", "rules", "visibility"]
