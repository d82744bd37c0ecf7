"""Subscale scores, reliability and item statistics of the kerndataset surveys.

Subscales (Table 12, report lines 8053–8056; Table 13): *modelgetrouwheid* (parent items
1–14), *effectiviteit* (parent items 15–28) and *kind* (child questions 1a–1e and 2–7).

**Missing-item rule.** A respondent's subscale score is the mean of the items answered when
at most :data:`MAX_MISSING_SHARE` (20%) of the subscale's items are missing — at most 2 of
14 parent items, 2 of 11 child answers — and missing otherwise. A prorated mean keeps
scores on the answer scale (1–5 for parents, 1–3 for children).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from sofs_lib.kerndataset import instrument as ins
from sofs_lib.reliability import AlphaResult, cronbach_alpha, floor_ceiling

#: A subscale score needs at least (1 − this share) of its items answered.
MAX_MISSING_SHARE = 0.20
SUBSCALES: tuple[str, ...] = ("modelgetrouwheid", "effectiviteit", "kind")
_RANGE = {"likert5": (1, 5), "ja_soms_nee": (1, 3)}


def _closure(data: pd.DataFrame) -> pd.DataFrame:
    return data[data["moment"].eq("closure")].reset_index(drop=True)


def max_missing(subscale: str) -> int:
    """How many items of ``subscale`` may be missing for a score."""
    return math.floor(MAX_MISSING_SHARE * len(ins.survey_items(subscale)) + 1e-9)


def subscale_scores(data: pd.DataFrame) -> pd.DataFrame:
    """One row per closure registration: ``organisation``, ``trajectory_id``, and per
    subscale ``<subscale>_score`` (Float64, NA by the missing-item rule) and
    ``<subscale>_answered`` (items answered)."""
    closure = _closure(data)
    out = closure[["organisation", "trajectory_id"]].copy()
    for subscale in SUBSCALES:
        items = closure[ins.survey_items(subscale)].astype("Float64")
        answered = items.notna().sum(axis=1)
        enough = answered >= len(items.columns) - max_missing(subscale)
        out[f"{subscale}_score"] = items.mean(axis=1).where(enough).astype("Float64")
        out[f"{subscale}_answered"] = answered.astype("int64")
    return out


def subscale_reliability(data: pd.DataFrame, subscale: str) -> AlphaResult:
    """Cronbach's α of one subscale over the closure registrations (listwise, as SPSS)."""
    closure = _closure(data)
    return cronbach_alpha(closure[ins.survey_items(subscale)].astype("Float64"))


def item_table(data: pd.DataFrame, subscale: str) -> pd.DataFrame:
    """Per item of ``subscale``: Dutch text, ``n`` answered, ``mean``, floor and ceiling
    shares (over all answers) and, from the listwise reliability analysis,
    ``corrected_item_total`` and ``alpha_if_deleted``."""
    closure = _closure(data)
    ids = ins.survey_items(subscale)
    items = ins.load_items().set_index("item_id")
    scale = items.loc[ids[0], "scale"]
    low, high = _RANGE[scale]
    answers = closure[ids].astype("Float64")
    table = floor_ceiling(answers, low, high)
    table["mean"] = [float(answers[c].mean()) if answers[c].notna().any() else math.nan for c in ids]
    table.insert(1, "text", [items.loc[i, "text"] for i in ids])
    alpha = cronbach_alpha(answers)
    if alpha.ok:
        stats = alpha.items.set_index("item")
        table["corrected_item_total"] = table["item"].map(stats["corrected_item_total"])
        table["alpha_if_deleted"] = table["item"].map(stats["alpha_if_deleted"])
    else:
        table["corrected_item_total"] = math.nan
        table["alpha_if_deleted"] = math.nan
    return table


def scores_by(data: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Subscale score distribution: the ``by`` columns, ``subscale``, ``n``, ``mean``,
    ``sd``, ``median``, ``min``, ``max`` (respondents with a score)."""
    scores = subscale_scores(data)
    rows = []
    groups = scores.groupby(list(by), sort=True) if by else [((), scores)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        for subscale in SUBSCALES:
            values = group[f"{subscale}_score"].dropna().astype(float)
            rows.append(
                dict(zip(by, key, strict=True))
                | {
                    "subscale": subscale,
                    "n": int(len(values)),
                    "mean": float(values.mean()) if len(values) else math.nan,
                    "sd": float(values.std(ddof=1)) if len(values) > 1 else math.nan,
                    "median": float(values.median()) if len(values) else math.nan,
                    "min": float(values.min()) if len(values) else math.nan,
                    "max": float(values.max()) if len(values) else math.nan,
                }
            )
    return pd.DataFrame(rows)


__all__ = [
    "MAX_MISSING_SHARE",
    "SUBSCALES",
    "item_table",
    "max_missing",
    "scores_by",
    "subscale_reliability",
    "subscale_scores",
]
