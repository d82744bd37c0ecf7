"""The Impact dashboard's numbers as release measures (issue 12: the kerndataset).

The kerndataset (``sofs_lib.kerndataset``: closure registration, parent and child surveys,
follow-up at +6 and +12 months, renewed referral through Binc) is keyed by organisation ×
Fiche ID, the key of the dashboard export. When the release is built and kerndataset files
lie beside the export, :func:`load_for_export` cleans them against the export and
:func:`trajectory_indicators` turns them into **one row per trajectory** (columns
:data:`COLUMNS`, prefix ``kd_``), which :func:`join` adds to the trajectory frame. Every
Impact panel is then an ordinary :class:`~sofs_lib.release.measures.Measure` over that
frame (:data:`IMPACT_MEASURES`): the cube, the suppression and the attacker of the other
dashboards cover it unchanged, per role and organisation.

**Free text never enters the release.** Only counts, shares and score distributions are
computed here; the free-text items (``instrument.free_text_items()``: signals that the
child feels safer, who the child can turn to, how the network meets, remarks) are not read
at all. An organisation reads its own free-text answers in its own registration workbook;
no dashboard shows them (``docs/kerndataset.md``).

Populations: registration, consent and response concern **closed** trajectories (a
follow-up is due from the end date); scores, counts, change and renewed referral are read
over every trajectory with a registration (a registration for a trajectory still open in
the export counts too, as in ``sofs_lib.kerndataset``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib.indicators.derive import distribution_table, shares_table
from sofs_lib.release.measures import Measure

log = logging.getLogger(__name__)

KEYS = ["organisation", "trajectory_id"]
#: Subscales of the surveys (``scoring.SUBSCALES``) and the count indicators shown per moment.
SUBSCALES: tuple[str, ...] = ("modelgetrouwheid", "effectiviteit", "kind")
COUNTS: dict[str, str] = {"netwerk": "network_figures_n", "kind": "child_confidants_n"}
MOMENTS: tuple[str, ...] = ("closure", "6m", "12m")
FOLLOWUP: tuple[str, ...] = ("6m", "12m")
#: Items of the registration and response panel, in order.
RESPONSE_ITEMS: tuple[str, ...] = ("registratie", "toestemming", "respons_6m", "respons_12m")
#: Items of a change panel, in order.
CHANGE_ITEMS: tuple[str, ...] = ("6m_meer", "6m_minder", "12m_meer", "12m_minder")

COLUMNS: tuple[str, ...] = (
    "kd_registered",
    "kd_consent",
    *(f"kd_response_{m}" for m in FOLLOWUP),
    *(f"kd_score_{s}" for s in SUBSCALES),
    *(f"kd_{name}_{m}" for name in COUNTS for m in MOMENTS),
    *(f"kd_{name}_{m}_{d}" for name in COUNTS for m in FOLLOWUP for d in ("meer", "minder")),
    "kd_re_referral",
)


# --------------------------------------------------------------------------- per trajectory


def trajectory_indicators(
    dashboard: pd.DataFrame,
    kern: pd.DataFrame,
    *,
    reference_date: date | str,
    referral: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per trajectory of ``dashboard`` (``organisation``, ``trajectory_id`` and
    :data:`COLUMNS`), from the cleaned kerndataset ``kern``.

    - ``kd_registered``: a closure registration exists (every trajectory, True/False);
    - ``kd_consent``: of a registered trajectory, consent recorded (else NA);
    - ``kd_response_<m>``: of a closed trajectory with consent whose +6/+12 m due date has
      passed by ``reference_date``, reached at that moment (else NA) — as
      ``followup.response_by_moment``;
    - ``kd_score_<subscale>``: the subscale score (``scoring.subscale_scores``);
    - ``kd_<netwerk|kind>_<moment>``: network figures / people the child can turn to;
    - ``kd_<netwerk|kind>_<m>_<meer|minder>``: of a family with the count at closure and at
      ``m``, more / fewer than at closure (else NA) — the pairs of ``followup.paired_change``;
    - ``kd_re_referral``: renewed referral within 12 months where Binc links it
      (``followup.renewed_referral`` status ``linked``; else NA).
    """
    from sofs_lib.kerndataset import instrument as ins
    from sofs_lib.kerndataset import scoring

    base = dashboard[[*KEYS, "status", "end_date"]].reset_index(drop=True)
    if base.duplicated(KEYS).any():
        raise ValueError("the dashboard frame holds a Fiche ID twice within one organisation")
    out = base[KEYS].copy()
    index = pd.MultiIndex.from_frame(base[KEYS].astype("str"))

    def per_trajectory(frame: pd.DataFrame, column: str, dtype: str) -> pd.Series:
        keyed = frame.set_index(KEYS)[column]
        keyed.index = pd.MultiIndex.from_frame(frame[KEYS].astype("str"))
        return pd.Series(keyed.reindex(index).to_numpy(), dtype=dtype)

    closure = kern.loc[kern["moment"].eq("closure")].reset_index(drop=True)
    registered = per_trajectory(closure.assign(_r=True), "_r", "boolean")
    out["kd_registered"] = registered.fillna(False).astype("boolean")
    consent = per_trajectory(closure, "has_consent", "boolean")
    out["kd_consent"] = consent.fillna(False).astype("boolean").where(out["kd_registered"])
    ref = pd.Timestamp(reference_date).normalize()
    closed = base["status"].eq("closed").to_numpy()
    for moment in FOLLOWUP:
        rows = kern.loc[kern["moment"].eq(moment)].reset_index(drop=True)
        reached = per_trajectory(rows, "reached", "boolean").fillna(False)
        due = base["end_date"] + pd.DateOffset(months=ins.MOMENT_MONTHS[moment])
        eligible = closed & out["kd_consent"].fillna(False).to_numpy(bool) & due.le(ref).to_numpy()
        out[f"kd_response_{moment}"] = reached.astype("boolean").where(eligible)
    scores = scoring.subscale_scores(kern)
    for subscale in SUBSCALES:
        out[f"kd_score_{subscale}"] = per_trajectory(scores, f"{subscale}_score", "Float64")
    for name, column in COUNTS.items():
        at = {}
        for moment in MOMENTS:
            rows = kern.loc[kern["moment"].eq(moment)].reset_index(drop=True)
            at[moment] = per_trajectory(rows, column, "Float64")
            out[f"kd_{name}_{moment}"] = at[moment]
        for moment in FOLLOWUP:
            paired = at["closure"].notna() & at[moment].notna()
            more = (at[moment] > at["closure"]).astype("boolean").where(paired)
            less = (at[moment] < at["closure"]).astype("boolean").where(paired)
            out[f"kd_{name}_{moment}_meer"] = more
            out[f"kd_{name}_{moment}_minder"] = less
    if referral is not None and len(referral):
        linked = referral.loc[referral["status"].eq("linked")].reset_index(drop=True)
        out["kd_re_referral"] = per_trajectory(linked, "re_referral", "boolean")
    else:
        out["kd_re_referral"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    return out


def join(dashboard: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The trajectory frame with the kerndataset columns added by organisation × Fiche ID
    (row order and attributes kept; a trajectory without registrations gets NA/False)."""
    keys = dashboard[KEYS].astype("str")
    right = indicators.drop_duplicates(KEYS).copy()
    right.index = pd.MultiIndex.from_frame(right[KEYS].astype("str"))
    aligned = right.reindex(pd.MultiIndex.from_frame(keys))
    added = {c: pd.Series(aligned[c].to_numpy(), index=dashboard.index, dtype=indicators[c].dtype)
             for c in COLUMNS}  # fmt: skip
    added["kd_registered"] = added["kd_registered"].fillna(False).astype("boolean")
    out = dashboard.drop(columns=[c for c in COLUMNS if c in dashboard.columns]).assign(**added)
    out.attrs = dict(dashboard.attrs)
    return out


def has_kerndataset(frame: pd.DataFrame) -> bool:
    """True when ``frame`` carries the kerndataset columns (:func:`join`)."""
    return all(c in frame.columns for c in COLUMNS)


def load_for_export(dashboard: pd.DataFrame, folder: Path | None = None) -> pd.DataFrame | None:
    """The per-trajectory kerndataset indicators of the export in use (``folder``: the
    data folder), or ``None`` when no kerndataset workbook lies beside the export.

    The reference date of the response is the kerndataset's export date (the dashboard
    export's); renewed referral is linked through the Binc extract beside it, when present.
    """
    from sofs_lib import config, datasets
    from sofs_lib.errors import SofsInputError
    from sofs_lib.kerndataset import followup
    from sofs_lib.kerndataset.data import kerndataset_paths, load_kerndataset

    try:
        kerndataset_paths(folder)
    except SofsInputError:
        return None
    try:
        result, _files = load_kerndataset(dashboard, folder)
    except SofsInputError as error:
        # A broken workbook must not take the other dashboards down: the release is built
        # without Impact figures and the message says why (the Impact dashboard then says
        # no kerndataset is available; `sofs kerndataset clean` shows the details).
        log.warning("kerndataset niet gebruikt in de release: %s", error)
        return None
    reference = pd.Timestamp(result.report["export_date"])
    referral = None
    binc_path = config.binc_export_path(folder)
    if binc_path.exists():
        binc = datasets.load_binc_result(binc_path)
        binc_date = datasets.export_date_for(binc_path, "binc_export_date") or reference
        referral = followup.renewed_referral(result.data, binc.modules, binc_export_date=binc_date)
    return trajectory_indicators(dashboard, result.data, reference_date=reference, referral=referral)


def kerndataset_files(folder: Path | None = None) -> list[Path]:
    """The kerndataset files of the data folder (workbook and survey exports), or []."""
    from sofs_lib.errors import SofsInputError
    from sofs_lib.kerndataset.data import kerndataset_paths

    try:
        workbook, surveys = kerndataset_paths(folder)
    except SofsInputError:
        return []
    return [workbook, *surveys]


# --------------------------------------------------------------------------- indicators


def _shares(columns: dict[str, str]):
    """An indicator: one share per item, ``item -> boolean column`` (``indicator`` key)."""

    def indicator(df: pd.DataFrame, by: Sequence[str] = (), population: str = "all"):
        return pd.concat(
            [shares_table(df, list(by), item, {item: df[col]}) for item, col in columns.items()],
            ignore_index=True,
        )

    return indicator


def _distribution(name: str, column: str):
    def indicator(df: pd.DataFrame, by: Sequence[str] = (), population: str = "all"):
        values = pd.to_numeric(df[column]).astype("Float64")
        return distribution_table(df, list(by), name, {name: values})

    return indicator


def _measures() -> dict[str, Measure]:
    out = [
        Measure(f"impact_score_{s}", "distribution", _distribution(f"score_{s}", f"kd_score_{s}"))
        for s in SUBSCALES
    ]
    out.append(
        Measure(
            "impact_respons",
            "share",
            _shares({
                "registratie": "kd_registered",
                "toestemming": "kd_consent",
                "respons_6m": "kd_response_6m",
                "respons_12m": "kd_response_12m",
            }),
            population="closed",
        )
    )
    for name in COUNTS:
        for moment in MOMENTS:
            out.append(
                Measure(
                    f"impact_{name}_{moment}",
                    "distribution",
                    _distribution(f"{name}_{moment}", f"kd_{name}_{moment}"),
                )
            )
        items = {item: f"kd_{name}_{item}" for item in CHANGE_ITEMS}
        out.append(Measure(f"impact_verandering_{name}", "share", _shares(items)))
    out.append(
        Measure("impact_heraanmelding", "share", _shares({"heraanmelding": "kd_re_referral"}))
    )
    return {m.key: m for m in out}


#: Every Impact panel, by panel key (registered into the release by :func:`measures_for`).
IMPACT_MEASURES: dict[str, Measure] = _measures()


def measures_for(frame: pd.DataFrame) -> list[Measure]:
    """The Impact measures when ``frame`` carries the kerndataset columns, else none."""
    return list(IMPACT_MEASURES.values()) if has_kerndataset(frame) else []


def available(release_slice) -> bool:
    """True when a release slice holds the Impact measures (a kerndataset was joined)."""
    shares = release_slice.tables.get("shares", pd.DataFrame())
    return bool(len(shares)) and bool(np.any(shares["measure"].astype("str") == "impact_respons"))


__all__ = [
    "COLUMNS",
    "IMPACT_MEASURES",
    "available",
    "has_kerndataset",
    "join",
    "kerndataset_files",
    "load_for_export",
    "measures_for",
    "trajectory_indicators",
]
