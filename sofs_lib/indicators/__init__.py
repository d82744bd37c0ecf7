"""One definition of every dashboard figure (report lines 4987–5560).

Each indicator is a function of the cleaned dashboard frame (any subset) and ``by``
grouping columns, returning a tidy frame (see docs/ARCHITECTURE.md). The Binc profiles
live in ``profiles``.
"""

from __future__ import annotations

from sofs_lib.indicators.derive import DAYS_PER_MONTH, add_derived
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

__all__ = [
    "DAYS_PER_MONTH",
    "add_derived",
    "all_steps",
    "all_steps_by_duration",
    "case_types",
    "cooccurrence",
    "cooccurrence_test",
    "logistic_adult_plan",
    "mann_whitney_by_adult_plan",
    "network_meeting_held",
    "network_meetings_distribution",
    "network_meetings_guideline",
    "network_size_distribution",
    "plans_without_steps",
    "safety_plan_adult",
    "safety_plan_child",
    "safety_plan_tests",
    "step_rates",
    "words_pictures",
]
