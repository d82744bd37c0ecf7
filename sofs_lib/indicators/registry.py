"""Row-level definitions of the indicators, for analyses that need the rows behind a figure.

An indicator function (``fidelity.safety_plan_child`` ...) returns aggregates. A cross
table with a χ² test needs, for every trajectory, whether it belongs to the indicator's
population and what its outcome is — exactly as the indicator counts it, or a test would
run on a different denominator than the percentage beside it. Each
:class:`IndicatorDefinition` holds that row-level form *and* the indicator function
itself (``reference``), so that :func:`sofs_lib.analysis.compare` can check, every time,
that its table margins equal the indicator's own numerators and denominators.

Kinds:

- ``share``: a nullable boolean outcome (True counts in the numerator, True or False in
  the denominator, NA in neither — report line 5015);
- ``categorical``: one category per row (NA = missing) whose shares partition the
  denominator (case type, plan B kind; Binc: VZB organisation type);
- ``distribution``: a number per row (NA = missing), summarised by n/mean/sd/median.

``INDICATORS`` maps the name people pass to ``compare`` to its definition.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from sofs_lib.catalogue import (
    CASE_TYPES,
    LABELS,
    NETWORK_MEETINGS_GUIDELINE,
    PLAN_B_WITH_BLANK,
    STEP_KEYS,
    STEP_LABELS,
)
from sofs_lib.indicators import durations, fidelity, partnership, plan_b
from sofs_lib.indicators.derive import Population

Kind = Literal["share", "categorical", "distribution"]
Frame = Literal["dashboard", "binc_children"]


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator in row-level form (see the module docstring).

    ``outcome(df)`` gives each row's outcome; ``condition(df)`` an extra eligibility
    inside the population (e.g. plan B in effect), or None; ``reference(df, by,
    population)`` calls the indicator function and returns its tidy frame, restricted to
    this indicator (``key`` names its inner-key column for categorical indicators).
    ``categories`` (categorical) are the outcome values in display order, with Dutch
    labels in ``category_labels``.
    """

    name: str
    kind: Kind
    columns: tuple[str, ...]
    outcome: Callable[[pd.DataFrame], pd.Series]
    reference: Callable[[pd.DataFrame, list[str], Population], pd.DataFrame]
    population: Population = "all"
    condition: Callable[[pd.DataFrame], np.ndarray] | None = None
    key: str | None = None
    categories: tuple[str, ...] = ()
    category_labels: dict[str, str] = field(default_factory=dict)
    label: str = ""
    label_en: str = ""
    source: str = ""
    frame: Frame = "dashboard"


def _step_reference(step: str) -> Callable[[pd.DataFrame, list[str], Population], pd.DataFrame]:
    def reference(df: pd.DataFrame, by: list[str], population: Population) -> pd.DataFrame:
        table = fidelity.step_rates(df, by, population=population)
        return table[table["step"] == step].drop(columns="step")

    return reference


def _only(indicator: str, function: Callable) -> Callable:
    def reference(df: pd.DataFrame, by: list[str], population: Population) -> pd.DataFrame:
        table = function(df, by, population=population)
        return table[table["indicator"] == indicator]

    return reference


def _months_reference(step: str) -> Callable:
    def reference(df: pd.DataFrame, by: list[str], population: Population) -> pd.DataFrame:
        table = durations.months_to_steps(df, by, population=population)
        return table[table["step"] == step].drop(columns="step")

    return reference


def _presence_reference(step: str, person: str) -> Callable:
    def reference(df: pd.DataFrame, by: list[str], population: Population) -> pd.DataFrame:
        table = partnership.step_presence(df, by, population=population)
        keep = (table["step"] == step) & (table["person"] == person)
        return table[keep].drop(columns=["step", "person"])

    return reference


def _presence(step: str, person: str) -> Callable[[pd.DataFrame], pd.Series]:
    def outcome(df: pd.DataFrame) -> pd.Series:
        taken = df[f"{step}_taken"].fillna(False).to_numpy(dtype=bool)
        return df[f"{step}_{person}"].fillna(False).astype("boolean").where(taken, pd.NA)

    return outcome


def _duration_flag(low: float | None, high: float | None, strict_low: bool = False) -> Callable:
    def outcome(df: pd.DataFrame) -> pd.Series:
        months = df["duration_months"]
        flag = pd.Series(True, index=df.index)
        if low is not None:
            flag &= months > low if strict_low else months >= low
        if high is not None:
            flag &= months <= high
        return flag.astype("boolean").where(months.notna(), pd.NA)

    return outcome


def _meetings_6_plus(df: pd.DataFrame) -> pd.Series:
    count = df["network_meetings"].astype("Int64")
    return (count >= NETWORK_MEETINGS_GUIDELINE[0]).astype("boolean")


def _duration_at_most_8(df: pd.DataFrame) -> pd.Series:
    months = df["duration_months"]
    return (months <= 8).astype("boolean").where(months.notna(), pd.NA)


def _plan_b_at_or_before_start(df: pd.DataFrame) -> pd.Series:
    months = df["plan_b_active_months"]
    return (months <= 0).astype("boolean").where(months.notna(), pd.NA)


def _plan_b_kind_with_blank(df: pd.DataFrame) -> pd.Series:
    return df["plan_b"].astype("object").where(df["plan_b"].notna(), plan_b.NO_TYPE)


def _vzb_reference(df: pd.DataFrame, by: list[str], population: Population) -> pd.DataFrame:
    from sofs_lib.indicators.profiles import category_shares

    known = df[df["status"].notna()]
    return category_shares(
        known, "vzb_type", by=by, indicator="vzb_by_status", include_missing=False
    )


_EN_STEPS: dict[str, str] = {
    "mapping_internal": "Internal mapping",
    "mapping_family": "Mapping with the family",
    "three_houses": "Three houses",
    "danger_statement": "Danger statement",
    "safety_goal": "Safety goal",
    "safety_scale": "Safety scale",
    "timeline": "Timeline",
    "words_pictures": "Words and pictures",
    "safety_plan_adult": "Adult safety plan",
    "safety_plan_child": "Child version of the safety plan",
}
_CASE_TYPES_EN: dict[str, str] = {
    "EM": "Emotional abuse",
    "FM": "Physical abuse",
    "SM": "Sexual abuse",
    "V": "Neglect",
    "IFG": "Intrafamilial violence",
    "none": "None",
}
_PLAN_B_EN: dict[str, str] = {
    "network": "Network",
    "residential": "Residential",
    "none": "Not filled in",
}

#: Closed-population steps have their own indicator function (W&P, the two safety plans).
_OWN_FUNCTION: dict[str, Callable] = {
    "words_pictures": fidelity.words_pictures,
    "safety_plan_adult": fidelity.safety_plan_adult,
    "safety_plan_child": fidelity.safety_plan_child,
}


def _definitions() -> dict[str, IndicatorDefinition]:
    out: dict[str, IndicatorDefinition] = {}

    def add(d: IndicatorDefinition) -> None:
        out[d.name] = d

    for step in STEP_KEYS:
        column = f"{step}_taken"
        if step in _OWN_FUNCTION:
            reference, population, source = _only(step, _OWN_FUNCTION[step]), "closed", "Fig. 5"
        else:
            reference, population, source = _step_reference(step), "all", "Fig. 5 (step_rates)"
        add(
            IndicatorDefinition(
                name=step,
                kind="share",
                columns=(column,),
                outcome=lambda df, c=column: df[c].astype("boolean"),
                reference=reference,
                population=population,
                label=STEP_LABELS[step],
                label_en=_EN_STEPS[step],
                source=source,
            )
        )
    add(
        IndicatorDefinition(
            name="all_steps",
            kind="share",
            columns=("all_steps",),
            outcome=lambda df: df["all_steps"].fillna(False).astype("boolean"),
            reference=_only("all_steps", fidelity.all_steps),
            population="closed",
            label=LABELS["all_steps"],
            label_en="All Signs of Safety steps taken",
            source="line 5053 (67/236 of closed)",
        )
    )
    add(
        IndicatorDefinition(
            name="network_meeting_held",
            kind="share",
            columns=("network_meeting_held",),
            outcome=lambda df: df["network_meeting_held"].astype("boolean"),
            reference=_only("network_meeting_held", fidelity.network_meeting_held),
            population="all",
            label=LABELS["network_meeting_held"],
            label_en="At least one network meeting",
            source="Fig. 5, Fig. 7",
        )
    )
    add(
        IndicatorDefinition(
            name="meetings_6_plus",
            kind="share",
            columns=("network_meetings",),
            outcome=_meetings_6_plus,
            reference=_only("meetings_6_plus", fidelity.network_meetings_guideline),
            population="all",
            label=LABELS["meetings_6_plus"],
            label_en="Six or more network meetings",
            source="line 5466 (32.9%)",
        )
    )
    add(
        IndicatorDefinition(
            name="plan_b_in_effect",
            kind="share",
            columns=("plan_b_active",),
            outcome=lambda df: df["plan_b_active"].astype("boolean"),
            reference=_only("plan_b_in_effect", plan_b.plan_b_in_effect),
            population="closed",
            label=LABELS["plan_b_in_effect"],
            label_en="Plan B took effect",
            source="line 5285 (46.7% of closed)",
        )
    )
    add(
        IndicatorDefinition(
            name="plan_b_at_or_before_start",
            kind="share",
            columns=("plan_b_active_months",),
            outcome=_plan_b_at_or_before_start,
            reference=_only("plan_b_at_or_before_start", durations.plan_b_at_or_before_start),
            population="all",
            label=LABELS["plan_b_at_or_before_start"],
            label_en="Plan B in effect on or before the start",
            source="line 5387 (21%)",
        )
    )
    add(
        IndicatorDefinition(
            name="duration_at_most_8",
            kind="share",
            columns=("duration_months",),
            outcome=_duration_at_most_8,
            reference=_only("duration_at_most_8", durations.duration_guideline),
            population="closed",
            label=LABELS["duration_at_most_8"],
            label_en="Duration of at most 8 months",
            source="line 5383 (60.2%)",
        )
    )
    for name, outcome, label_en in (
        ("duration_over_8", _duration_flag(8, None, strict_low=True), "Duration over 8 months"),
        ("duration_4_to_8", _duration_flag(4, 8), "Duration of 4 to 8 months (guideline)"),
    ):
        add(
            IndicatorDefinition(
                name=name,
                kind="share",
                columns=("duration_months",),
                outcome=outcome,
                reference=_only(name, durations.duration_guideline),
                population="closed",
                label=LABELS[name],
                label_en=label_en,
                source="lines 5383–5385, 5492",
            )
        )
    for step in STEP_KEYS:
        for person, who_nl, who_en in (
            ("cb", LABELS["cb"], "Family support worker (CB)"),
            ("consulent", LABELS["consulent"], "Consulent"),
        ):
            add(
                IndicatorDefinition(
                    name=f"{person}_{step}",
                    kind="share",
                    columns=(f"{step}_taken", f"{step}_{person}"),
                    outcome=_presence(step, person),
                    reference=_presence_reference(step, person),
                    population="all",
                    label=f"{who_nl} bij {STEP_LABELS[step].lower()}",
                    label_en=f"{who_en} present at {_EN_STEPS[step].lower()}",
                    source="Fig. 6 (of trajectories where the step was taken)",
                )
            )
    add(
        IndicatorDefinition(
            name="case_type",
            kind="categorical",
            columns=("case_type",),
            outcome=lambda df: df["case_type"].astype("object"),
            reference=fidelity.case_types,
            population="all",
            key="case_type",
            categories=tuple(CASE_TYPES),
            category_labels=dict(CASE_TYPES),
            label=LABELS["case_type"],
            label_en="Case type",
            source="Fig. 4",
        )
    )
    add(
        IndicatorDefinition(
            name="plan_b_at_start",
            kind="categorical",
            columns=("plan_b",),
            outcome=_plan_b_kind_with_blank,
            reference=plan_b.plan_b_at_start,
            population="open",
            key="plan_b",
            categories=plan_b.PLAN_B_KEYS,
            category_labels=dict(PLAN_B_WITH_BLANK),
            label=LABELS["plan_b_at_start"],
            label_en="Plan B at the start",
            source="Fig. 9 (open trajectories)",
        )
    )
    add(
        IndicatorDefinition(
            name="plan_b_type_in_effect",
            kind="categorical",
            columns=("plan_b", "plan_b_active"),
            outcome=_plan_b_kind_with_blank,
            reference=plan_b.plan_b_type_in_effect,
            population="closed",
            condition=lambda df: df["plan_b_active"].fillna(False).to_numpy(dtype=bool),
            key="plan_b",
            categories=plan_b.PLAN_B_KEYS,
            category_labels=dict(PLAN_B_WITH_BLANK),
            label=LABELS["plan_b_type_in_effect"],
            label_en="Kind of plan B in effect",
            source="lines 5285–5287",
        )
    )
    for name, column, function, population, label_en, source in (
        ("network_meetings", "network_meetings", fidelity.network_meetings_distribution, "all",
         "Number of network meetings", "Fig. 7"),
        ("network_size", "network_size", fidelity.network_size_distribution, "all",
         "Number of network persons", "Fig. 8"),
        ("duration_months", "duration_months", durations.module_duration, "closed",
         "Module duration (months)", "line 5383"),
        ("plan_b_active_months", "plan_b_active_months", durations.plan_b_timing, "all",
         "Months until plan B took effect", "line 5385"),
    ):  # fmt: skip
        add(
            IndicatorDefinition(
                name=name,
                kind="distribution",
                columns=(column,),
                outcome=lambda df, c=column: pd.to_numeric(df[c]).astype("Float64"),
                reference=function,
                population=population,
                label=LABELS.get(name, name),
                label_en=label_en,
                source=source,
            )
        )
    for step in STEP_KEYS:
        column = f"{step}_months"
        add(
            IndicatorDefinition(
                name=f"months_to_{step}",
                kind="distribution",
                columns=(column,),
                outcome=lambda df, c=column: pd.to_numeric(df[c]).astype("Float64"),
                reference=_months_reference(step),
                population="all",
                label=f"{LABELS['months_to_step']}: {STEP_LABELS[step].lower()}",
                label_en=f"Months to the step: {_EN_STEPS[step].lower()}",
                source="Fig. 12",
            )
        )
    add(
        IndicatorDefinition(
            name="vzb_type",
            kind="categorical",
            columns=("vzb_type", "status"),
            outcome=lambda df: df["vzb_type"].astype("object"),
            reference=_vzb_reference,
            population="all",
            condition=lambda df: df["status"].notna().to_numpy(dtype=bool),
            key="category",
            label=LABELS["vzb_type"],
            label_en="VZB organisation type",
            source="Table 6 (children with a known status)",
            frame="binc_children",
        )
    )
    return out


#: Every indicator ``compare`` knows, by name.
INDICATORS: dict[str, IndicatorDefinition] = _definitions()

#: English value labels of the catalogue's coded columns (Dutch ones live in the catalogue).
VALUE_LABELS_EN: dict[str, dict[str, str]] = {
    "case_type": _CASE_TYPES_EN,
    "plan_b": _PLAN_B_EN,
    "status": {"open": "Open", "closed": "Closed"},
}


def indicator_names(kind: Kind | None = None) -> list[str]:
    """Names ``compare`` accepts (optionally of one kind), in registry order."""
    return [n for n, d in INDICATORS.items() if kind is None or d.kind == kind]


def get(name: str) -> IndicatorDefinition:
    """The definition of ``name``; a plain message listing the names when unknown."""
    from sofs_lib.errors import SofsInputError

    if name not in INDICATORS:
        import difflib

        close = difflib.get_close_matches(name, list(INDICATORS), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise SofsInputError(f"unknown indicator {name!r}.{hint} Known: {', '.join(INDICATORS)}")
    return INDICATORS[name]


def sequence(value: str | Sequence[str] | None) -> list[str]:
    """A column name or list of names as a list (None -> empty)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
