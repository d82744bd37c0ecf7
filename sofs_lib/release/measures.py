"""What every dashboard panel counts: one :class:`Measure` per panel, keyed like the panel.

The release computes each measure once over the whole cube (all selections); the widgets
look the panel's numbers up by the same key. A measure is an indicator function
(``sofs_lib.indicators``: ``f(df, by, population)``) plus the population it is read over
(``closed``: only the closed cells are shown, as the report does) and its inner key column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from sofs_lib.indicators import durations, fidelity, partnership, plans
from sofs_lib.indicators import plan_b as plan_b_ind


@dataclass(frozen=True)
class Measure:
    """One panel's numbers. ``kind``: ``share`` (numerator/denominator) or ``distribution``
    (n, mean, sd, median, min, max); ``item``: the inner key column of the indicator frame;
    ``population``: ``all``, ``closed`` or ``open`` (read from that status's cells);
    ``trend``: shown per closing year."""

    key: str
    kind: str
    indicator: Callable[..., pd.DataFrame]
    item: str = "indicator"
    population: str = "all"
    trend: bool = False


def presence(person: str) -> Callable[..., pd.DataFrame]:
    """``partnership.step_presence`` for one person (CB or consulent), person column dropped."""

    def indicator(df: pd.DataFrame, by: Sequence[str] = (), population: str = "all"):
        table = partnership.step_presence(df, by=by, population=population)
        keep = (table["person"] == person).to_numpy()
        return table.loc[keep].drop(columns=["person"]).reset_index(drop=True)

    return indicator


def key_plans(df: pd.DataFrame, by: Sequence[str] = (), population: str = "closed"):
    """W&P, adult and child safety plan in one frame (lines 5058–5065), ``indicator`` as key."""
    return pd.concat(
        [
            fidelity.words_pictures(df, by, population),
            fidelity.safety_plan_adult(df, by, population),
            fidelity.safety_plan_child(df, by, population),
        ],
        ignore_index=True,
    )


def case_type_known(df: pd.DataFrame, by: Sequence[str] = (), population: str = "all"):
    """Trajectories with a case type among those of the group: Fig. 4's denominator (its
    numerators are the released counts of each case type's cell). Indicator
    ``case_type_known``; one family beside the trajectory counts, so the attack stays small."""
    from sofs_lib.indicators.derive import population_mask, prepare, shares_table

    df = prepare(df, by, ["case_type"], "case_type_known")
    known = df["case_type"].notna().astype("boolean")
    return shares_table(
        df, by, "case_type_known", {"x": known}, eligible=population_mask(df, population)
    )


def words_pictures_by_plan(df: pd.DataFrame, by: Sequence[str] = (), population: str = "closed"):
    """``plans.step_by_plan`` for words & pictures (Fig. 11)."""
    return plans.step_by_plan(df, by, population, step="words_pictures")


#: Every panel of the four trajectory dashboards, by panel key.
MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        # Modelgetrouwheid
        Measure("stappen", "share", fidelity.step_rates, item="step"),
        Measure("alle_stappen", "share", fidelity.all_steps, population="closed"),
        Measure("plannen", "share", key_plans, population="closed"),
        Measure("richtlijn_netwerkberaden", "share", fidelity.network_meetings_guideline),
        Measure("aantal_netwerkberaden", "distribution", fidelity.network_meetings_distribution),
        Measure("duurtijd", "distribution", durations.module_duration, population="closed"),
        # The report's figures not drawn above (issue 11, item 3): Fig. 4, 7–8, 10–12. Fig. 4
        # counts each case type from its cell's count; the measure is its denominator.
        Measure("typering", "share", case_type_known),
        Measure(
            "netwerkberaden_afgesloten",
            "distribution",
            fidelity.network_meetings_distribution,
            population="closed",
        ),
        Measure("netwerkfiguren", "distribution", fidelity.network_size_distribution),
        Measure(
            "netwerkfiguren_afgesloten",
            "distribution",
            fidelity.network_size_distribution,
            population="closed",
        ),
        Measure(
            "netwerkberaad_naar_plan",
            "share",
            plans.step_by_plan,
            item="plan_group",
            population="closed",
        ),
        Measure(
            "wp_naar_plan", "share", words_pictures_by_plan, item="plan_group", population="closed"
        ),
        Measure(
            "aantal_netwerkberaden_naar_plan",
            "distribution",
            plans.meetings_by_plan,
            item="plan_group",
            population="closed",
        ),
        Measure("maanden_tot_stap", "distribution", durations.months_to_steps, item="step"),
        Measure(
            "duurtijd_richtlijn", "share", durations.duration_guideline, population="closed"
        ),
        Measure(
            "alle_stappen_duurtijd",
            "share",
            fidelity.all_steps_by_duration,
            population="closed",
        ),
        Measure("plan_b_voor_start", "share", durations.plan_b_at_or_before_start),
        # Partnerschap
        Measure("aanwezig_cb", "share", presence("cb"), item="step"),
        Measure("aanwezig_consulent", "share", presence("consulent"), item="step"),
        Measure("start_consulent", "distribution", partnership.consulent_start_lag),
        # Plan B
        Measure(
            "plan_b_start", "share", plan_b_ind.plan_b_at_start, item="plan_b", population="open"
        ),
        Measure("plan_b_werking", "share", plan_b_ind.plan_b_in_effect, population="closed"),
        Measure(
            "plan_b_soort",
            "share",
            plan_b_ind.plan_b_type_in_effect,
            item="plan_b",
            population="closed",
        ),
        Measure("plan_b_timing", "distribution", durations.plan_b_timing),
        # Evolutie (per closing year, closed trajectories)
        Measure(
            "evolutie_plan_volwassenen",
            "share",
            fidelity.safety_plan_adult,
            population="closed",
            trend=True,
        ),
        Measure(
            "evolutie_plan_kind", "share", fidelity.safety_plan_child, population="closed", trend=True
        ),
        Measure("evolutie_wp", "share", fidelity.words_pictures, population="closed", trend=True),
        Measure(
            "evolutie_plan_b", "share", plan_b_ind.plan_b_in_effect, population="closed", trend=True
        ),
        Measure(
            "evolutie_netwerkberaden",
            "distribution",
            fidelity.network_meetings_distribution,
            population="closed",
            trend=True,
        ),
    )
}
