"""Follow-up after closure: who to contact, who answered, what changed (Table 11).

The report asks for registrations at closure, 6 and 12 months after closure, and for
families' informed consent before anyone contacts them again (lines 8272–8286;
recommendation 3, lines 9374–9390). This module turns the cleaned dashboard (closed
trajectories and their end dates) and the cleaned kerndataset into:

- :func:`followup_schedule` — an organisation's closed trajectories due for their +6 m or
  +12 m contact in the coming month, **only where consent is recorded**, for one
  organisation at a time (it is that organisation's working list; it names families);
- :func:`response_by_moment` — registrations, consent, response and attrition per moment;
- :func:`paired_change` — change between two moments in a count indicator (network figures,
  people the child can turn to) with the Wilcoxon signed-rank test (SPSS parity);
- :func:`renewed_referral` — a new youth-care module within 12 months after the CB SofS
  module, linked through the child's Binc pseudonym;
- :func:`impact_tables` — the tables an "Impact" dashboard shows (own organisation beside
  Flanders), without any free-text answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import pandas as pd

from sofs_lib import access
from sofs_lib.errors import SofsInputError
from sofs_lib.kerndataset import instrument as ins
from sofs_lib.kerndataset import scoring
from sofs_lib.reliability import WilcoxonResult, wilcoxon_signed_rank

#: Count indicators whose change between moments is tested.
CHANGE_ITEMS: tuple[str, ...] = ("network_figures_n", "child_confidants_n", "parent_support_n")


def _ts(value: date | str | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def due_dates(dashboard: pd.DataFrame) -> pd.DataFrame:
    """Closed trajectories with their end date and the due date of each follow-up moment
    (end date + 6 / + 12 calendar months)."""
    closed = dashboard.loc[
        dashboard["status"].eq("closed"), ["organisation", "trajectory_id", "end_date"]
    ]
    rows = []
    for moment in ins.MOMENTS[1:]:
        part = closed.copy()
        part["moment"] = moment
        part["due_date"] = part["end_date"] + pd.DateOffset(months=ins.MOMENT_MONTHS[moment])
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def _families(kern: pd.DataFrame) -> pd.DataFrame:
    closure = kern[kern["moment"].eq("closure")]
    return closure[["organisation", "trajectory_id", "has_consent", "consent_channel"]]


def followup_schedule(
    dashboard: pd.DataFrame,
    kern: pd.DataFrame,
    *,
    organisation: str,
    today: date | str,
    months_ahead: int = 1,
    include_overdue: bool = False,
) -> pd.DataFrame:
    """The closed trajectories of ``organisation`` due for a +6 m / +12 m contact.

    Due in ``[today, today + months_ahead months)``; with ``include_overdue`` also those
    whose due date has passed without a registered contact. Only families whose closure
    registration records consent (date and channel) are listed — never one without. A
    moment already registered (a row for it exists) is not listed again. Columns:
    ``organisation``, ``trajectory_id``, ``moment``, ``end_date``, ``due_date``,
    ``consent_channel``, ``overdue``.
    """
    if not organisation or not isinstance(organisation, str):
        raise SofsInputError("de opvolglijst is per organisatie: geef de organisatie.")
    identity = access.current()
    if identity.role == access.PUBLIC or (
        identity.role == access.ORGANISATION and identity.organisation != organisation
    ):
        raise PermissionError(
            "de opvolglijst noemt gezinnen: enkel de eigen organisatie mag ze zien"
        )
    start = _ts(today)
    end = start + pd.DateOffset(months=months_ahead)
    due = due_dates(dashboard[dashboard["organisation"].eq(organisation)])
    families = _families(kern[kern["organisation"].eq(organisation)])
    consenting = families[families["has_consent"].fillna(False).astype(bool)]
    due = due.merge(consenting, on=["organisation", "trajectory_id"], how="inner")
    registered = kern.loc[kern["organisation"].eq(organisation), ["trajectory_id", "moment"]]
    done = set(zip(registered["trajectory_id"], registered["moment"], strict=True))
    not_done = [
        (t, m) not in done for t, m in zip(due["trajectory_id"], due["moment"], strict=True)
    ]
    due = due[pd.Series(not_done, index=due.index, dtype=bool)]
    window = due["due_date"].ge(start) & due["due_date"].lt(end)
    overdue = due["due_date"].lt(start)
    keep = window | (overdue & include_overdue)
    out = due[keep].assign(overdue=overdue[keep])
    columns = ["organisation", "trajectory_id", "moment", "end_date", "due_date",
               "consent_channel", "overdue"]  # fmt: skip
    return out.sort_values(["due_date", "trajectory_id", "moment"], kind="stable")[
        columns
    ].reset_index(drop=True)


def response_by_moment(
    dashboard: pd.DataFrame,
    kern: pd.DataFrame,
    *,
    reference_date: date | str,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Registrations, consent, response and attrition per moment (tidy shares).

    Indicators (``numerator``/``denominator``/``share``):

    - ``closure_registered``: closed trajectories with a closure registration;
    - ``consent``: closure registrations that record consent;
    - ``response`` (per follow-up moment): families with consent whose due date has
      passed by ``reference_date`` and who were reached (``Bereikt`` = ja);
    - ``attrition`` (per follow-up moment): the complement among the same families —
      due, with consent, not reached (not contacted or not reached).
    ``by`` may hold ``organisation``.
    """
    ref = _ts(reference_date)
    closed = dashboard.loc[dashboard["status"].eq("closed"), ["organisation", "trajectory_id"]]
    families = _families(kern)
    fam = closed.merge(families, on=["organisation", "trajectory_id"], how="left", indicator=True)
    fam["registered"] = fam["_merge"].eq("both")
    fam["consent"] = fam["has_consent"].fillna(False).astype(bool)
    due = due_dates(dashboard).merge(
        fam[["organisation", "trajectory_id", "consent"]], on=["organisation", "trajectory_id"]
    )
    reached = kern.loc[kern["moment"].ne("closure")]
    reached = reached.loc[
        reached["reached"].fillna(False).astype(bool), ["organisation", "trajectory_id", "moment"]
    ].assign(is_reached=True)
    due = due.merge(reached, on=["organisation", "trajectory_id", "moment"], how="left")
    due["is_reached"] = due["is_reached"].fillna(False).astype(bool)
    due = due[due["consent"] & due["due_date"].le(ref)]

    rows = []
    by = list(by)

    def groups(frame: pd.DataFrame):
        if not by:
            yield (), frame
            return
        yield from ((k if isinstance(k, tuple) else (k,), g) for k, g in frame.groupby(by))

    def add(key, moment, indicator, num, den):
        rows.append(
            dict(zip(by, key, strict=True))
            | {
                "moment": moment,
                "indicator": indicator,
                "numerator": int(num),
                "denominator": int(den),
                "share": num / den if den else math.nan,
            }
        )

    for key, group in groups(fam):
        add(key, "closure", "closure_registered", group["registered"].sum(), len(group))
        reg = group[group["registered"]]
        add(key, "closure", "consent", reg["consent"].sum(), len(reg))
    for moment in ins.MOMENTS[1:]:
        part = due[due["moment"].eq(moment)]
        keys = [k for k, _ in groups(fam)]
        grouped = dict(groups(part))
        for key in keys:
            group = grouped.get(key, part.iloc[0:0])
            n_reached = int(group["is_reached"].sum())
            add(key, moment, "response", n_reached, len(group))
            add(key, moment, "attrition", len(group) - n_reached, len(group))
    return pd.DataFrame(rows)


def paired_change(
    kern: pd.DataFrame, item: str, *, first: str = "closure", second: str = "6m"
) -> tuple[pd.DataFrame, WilcoxonResult]:
    """Families with ``item`` registered at both moments, and the Wilcoxon signed-rank test
    of ``second − first`` (SPSS NPAR TESTS /WILCOXON). Pairs with a missing value at either
    moment are left out."""
    keys = ["organisation", "trajectory_id"]
    a = kern.loc[kern["moment"].eq(first), [*keys, item]].rename(columns={item: first})
    b = kern.loc[kern["moment"].eq(second), [*keys, item]].rename(columns={item: second})
    pairs = a.merge(b, on=keys, how="inner").dropna(subset=[first, second])
    pairs = pairs.sort_values(keys, kind="stable").reset_index(drop=True)
    return pairs, wilcoxon_signed_rank(pairs[first].astype(float), pairs[second].astype(float))


def renewed_referral(
    kern: pd.DataFrame,
    binc_modules: pd.DataFrame,
    *,
    binc_export_date: date | str,
    months: int = 12,
) -> pd.DataFrame:
    """A new youth-care module within ``months`` after the CB SofS module, through Binc.

    Per closure registration with a ``binc_child_id``: the end of the child's last CB SofS
    module in Binc, and whether a non-SofS module starts after it within ``months``.
    ``status``: ``linked`` (answer known), ``window_open`` (no new module yet and the window
    has not passed the Binc extraction date: ``re_referral`` NA), ``no_closed_sofs_module``
    or ``not_in_binc``. Binc does not record *why* a module starts (Table 11 asks for a
    re-referral because of unsafety), so this is a proxy (``docs/kerndataset.md``).
    """
    ref = _ts(binc_export_date)
    closure = kern.loc[
        kern["moment"].eq("closure") & kern["binc_child_id"].notna(),
        ["organisation", "trajectory_id", "binc_child_id"],
    ]
    sofs_end = (
        binc_modules[binc_modules["is_sofs"].fillna(False).astype(bool)]
        .groupby("child_id")["end_date"]
        .agg(lambda s: s.max() if s.notna().all() else pd.NaT)
    )
    children = set(binc_modules["child_id"])
    others = binc_modules[~binc_modules["is_sofs"].fillna(False).astype(bool)]
    rows = []
    for org, fiche, child in closure.itertuples(index=False):
        end = sofs_end.get(child, pd.NaT)
        base = {"organisation": org, "trajectory_id": fiche, "binc_child_id": child,
                "sofs_end_date": end}  # fmt: skip
        if child not in children:
            rows.append(base | {"status": "not_in_binc", "re_referral": pd.NA})
            continue
        if pd.isna(end):
            rows.append(base | {"status": "no_closed_sofs_module", "re_referral": pd.NA})
            continue
        limit = end + pd.DateOffset(months=months)
        starts = others.loc[others["child_id"].eq(child), "start_date"]
        found = bool((starts.gt(end) & starts.le(limit)).any())
        if found or limit <= ref:
            rows.append(base | {"status": "linked", "re_referral": found})
        else:
            rows.append(base | {"status": "window_open", "re_referral": pd.NA})
    out = pd.DataFrame(
        rows,
        columns=["organisation", "trajectory_id", "binc_child_id", "sofs_end_date", "status",
                 "re_referral"],  # fmt: skip
    )
    out["re_referral"] = out["re_referral"].astype("boolean")
    out["sofs_end_date"] = pd.to_datetime(out["sofs_end_date"])
    return out.sort_values(["organisation", "trajectory_id"], kind="stable").reset_index(drop=True)


def _share(values: pd.Series) -> tuple[int, int, float]:
    valid = values.dropna().astype(bool)
    return int(valid.sum()), int(len(valid)), float(valid.mean()) if len(valid) else math.nan


def impact_tables(
    dashboard: pd.DataFrame,
    kern: pd.DataFrame,
    *,
    organisation: str | None,
    reference_date: date | str,
    referral: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of an "Impact" view: ``organisation`` beside Flanders.

    - ``scores``: per subscale ``area`` (the organisation / ``Vlaanderen``), ``n``, ``mean``,
      ``sd``, ``median``;
    - ``followup``: response and attrition per moment, change in network figures and in
      people the child can turn to (median at closure and at the moment, n pairs), renewed
      referral (from :func:`renewed_referral`, when given), as ``area``, ``indicator``,
      ``moment``, ``numerator``, ``denominator``, ``share`` / ``value``.

    Only counts, shares and scores: no free-text answer and no row-level data leave this
    function, so disclosure control (``sofs_lib.disclosure``) can be applied downstream.
    """
    areas = [("Vlaanderen", None)]
    if organisation is not None:
        areas.insert(0, (organisation, organisation))
    score_rows, follow_rows = [], []
    for area, org in areas:
        k = kern if org is None else kern[kern["organisation"].eq(org)]
        d = dashboard if org is None else dashboard[dashboard["organisation"].eq(org)]
        scores = scoring.scores_by(k)
        scores.insert(0, "area", area)
        score_rows.append(scores[["area", "subscale", "n", "mean", "sd", "median"]])
        resp = response_by_moment(d, k, reference_date=reference_date)
        resp.insert(0, "area", area)
        follow_rows.append(resp.assign(value=resp["share"]))
        for item in CHANGE_ITEMS[:2]:
            for moment in ins.MOMENTS[1:]:
                pairs, test = paired_change(k, item, second=moment)
                increased = int((pairs[moment] > pairs["closure"]).sum()) if len(pairs) else 0
                follow_rows.append(
                    pd.DataFrame(
                        [
                            {
                                "area": area,
                                "moment": moment,
                                "indicator": f"{item}_increased",
                                "numerator": increased,
                                "denominator": len(pairs),
                                "share": increased / len(pairs) if len(pairs) else math.nan,
                                "value": float(pairs[moment].median() - pairs["closure"].median())
                                if len(pairs)
                                else math.nan,
                                "z": test.z,
                                "p_value": test.p_value,
                            }
                        ]
                    )
                )
        if referral is not None:
            ref = referral if org is None else referral[referral["organisation"].eq(org)]
            num, den, share = _share(ref.loc[ref["status"].eq("linked"), "re_referral"])
            follow_rows.append(
                pd.DataFrame(
                    [{"area": area, "moment": "12m", "indicator": "re_referral_binc",
                      "numerator": num, "denominator": den, "share": share, "value": share}]
                )  # fmt: skip
            )
    return {
        "scores": pd.concat(score_rows, ignore_index=True),
        "followup": pd.concat(follow_rows, ignore_index=True),
    }


__all__ = [
    "CHANGE_ITEMS",
    "due_dates",
    "followup_schedule",
    "impact_tables",
    "paired_change",
    "renewed_referral",
    "response_by_moment",
]
