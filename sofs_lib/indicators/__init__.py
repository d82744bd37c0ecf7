"""One definition of every dashboard figure (report lines 4987–5560).

Each indicator is a function of the cleaned dashboard frame (any subset) and ``by``
grouping columns (e.g. ``["organisation"]``, ``["closing_year"]``, ``["status"]``,
``["case_type"]``) returning a tidy frame (docs/ARCHITECTURE.md): the ``by`` columns,
``indicator``, any inner key (``step``, ``person``, ``plan_b``, ``case_type``), then
``numerator, denominator, share`` or ``n, mean, sd, median, min, max``. Each takes a
``population`` (``"all"``, ``"closed"``, ``"open"``) defaulting to the one the report uses.
Every group present in the input gets a row; a group without eligible trajectories reads
0/0 with a NaN share. The Binc profiles live in ``profiles``.

``headline(df)`` gives the issue's headline figures in one table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sofs_lib.catalogue import LABELS, STEP_LABELS
from sofs_lib.indicators.derive import (
    DAYS_PER_MONTH,
    add_derived,
    distribution_table,
    shares_table,
)
from sofs_lib.indicators.durations import (
    duration_guideline,
    module_duration,
    months_to_steps,
    plan_b_at_or_before_start,
    plan_b_timing,
)
from sofs_lib.indicators.fidelity import (
    all_steps,
    all_steps_by_duration,
    case_types,
    cooccurrence,
    cooccurrence_test,
    logistic_adult_plan,
    mann_whitney_by_adult_plan,
    network_meeting_held,
    network_meetings_distribution,
    network_meetings_guideline,
    network_size_distribution,
    plans_without_steps,
    safety_plan_adult,
    safety_plan_child,
    safety_plan_tests,
    step_rates,
    words_pictures,
)
from sofs_lib.indicators.partnership import (
    OrganisationsWithoutConsulent,
    consulent_registrations_by_organisation,
    consulent_start_lag,
    consulent_start_order,
    organisations_without_consulent,
    step_presence,
)
from sofs_lib.indicators.plan_b import plan_b_at_start, plan_b_in_effect, plan_b_type_in_effect
from sofs_lib.indicators.trends import TrendResult, trends

#: Dutch labels of the headline figures, from the label catalogue.
HEADLINE_LABELS: dict[str, str] = {
    "all_steps": LABELS["all_steps"],
    "words_pictures": STEP_LABELS["words_pictures"],
    "safety_plan_adult": STEP_LABELS["safety_plan_adult"],
    "safety_plan_child": STEP_LABELS["safety_plan_child"],
    "meetings_6_plus": LABELS["meetings_6_plus"],
    "plan_b_in_effect": LABELS["plan_b_active"],
    "cb_safety_goal": f"{LABELS['cb']} bij {STEP_LABELS['safety_goal'].lower()}",
    "consulent_safety_goal": f"{LABELS['consulent']} bij {STEP_LABELS['safety_goal'].lower()}",
}

_HEADLINE_POPULATION: dict[str, str] = {
    "all_steps": "closed",
    "words_pictures": "closed",
    "safety_plan_adult": "closed",
    "safety_plan_child": "closed",
    "meetings_6_plus": "all",
    "plan_b_in_effect": "closed",
    "cb_safety_goal": "all",
    "consulent_safety_goal": "all",
}


def headline(df: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """The issue's headline figures with numerator, denominator and share.

    In this order, over the report's population (column ``population``):
    all steps (closed, line 5053: 28.4% = 67/236), W&P (closed, 77.2%), adult safety plan
    (closed, 68.1%), child version (closed, 52.7%), ≥ 6 network meetings (all with a
    usable count, 32.9%), plan B in effect (closed, 46.7%), CB and consulent present at
    the safety goal (of trajectories where it was set, 94.5% vs 25.3%). Columns: the
    ``by`` columns, ``indicator``, ``label`` (Dutch), ``population``, ``numerator``,
    ``denominator``, ``share``.
    """
    by = [by] if isinstance(by, str) else list(by)
    df = add_derived(df)
    meetings = network_meetings_guideline(df, by)
    presence = step_presence(df, by)
    goal = presence[presence["step"] == "safety_goal"]
    parts = [
        all_steps(df, by),
        words_pictures(df, by),
        safety_plan_adult(df, by),
        safety_plan_child(df, by),
        meetings[meetings["indicator"] == "meetings_6_plus"],
        plan_b_in_effect(df, by),
        goal[goal["person"] == "cb"].assign(indicator="cb_safety_goal"),
        goal[goal["person"] == "consulent"].assign(indicator="consulent_safety_goal"),
    ]
    cols = [*by, "indicator", "numerator", "denominator", "share"]
    out = pd.concat([p[cols] for p in parts], ignore_index=True)
    order = {name: i for i, name in enumerate(HEADLINE_LABELS)}
    out["_o"] = out["indicator"].map(order)
    out = out.sort_values([*by, "_o"], kind="stable", na_position="last").drop(columns="_o")
    out.insert(len(by) + 1, "label", out["indicator"].map(HEADLINE_LABELS).astype("str"))
    out.insert(len(by) + 2, "population", out["indicator"].map(_HEADLINE_POPULATION).astype("str"))
    return out.reset_index(drop=True)


__all__ = [
    "DAYS_PER_MONTH",
    "HEADLINE_LABELS",
    "OrganisationsWithoutConsulent",
    "TrendResult",
    "add_derived",
    "all_steps",
    "all_steps_by_duration",
    "case_types",
    "consulent_registrations_by_organisation",
    "consulent_start_lag",
    "consulent_start_order",
    "cooccurrence",
    "cooccurrence_test",
    "distribution_table",
    "duration_guideline",
    "headline",
    "logistic_adult_plan",
    "mann_whitney_by_adult_plan",
    "module_duration",
    "months_to_steps",
    "network_meeting_held",
    "network_meetings_distribution",
    "network_meetings_guideline",
    "network_size_distribution",
    "organisations_without_consulent",
    "plan_b_at_or_before_start",
    "plan_b_at_start",
    "plan_b_in_effect",
    "plan_b_timing",
    "plan_b_type_in_effect",
    "plans_without_steps",
    "safety_plan_adult",
    "safety_plan_child",
    "safety_plan_tests",
    "shares_table",
    "step_presence",
    "step_rates",
    "trends",
    "words_pictures",
]
