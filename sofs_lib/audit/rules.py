"""The audit's rules: each finds one kind of statement in a ``Document`` and checks it.

The rules live by subject: ``statistics`` (test statistics), ``shares`` (shares, counts and
means in prose), ``tables`` (lists, tables and figure labels), on ``structure`` (where the
tables are) and ``base`` (the ``Finding`` they return). This module is their register.

Every rule is a function ``rule(doc) -> list[Finding]`` registered in ``RULES`` with its
name, tolerance and source (``docs/audit.md`` is written from the same facts). A finding
is one row of the audit table: the line, the statement as printed, the check, the
reported and the recomputed value and a verdict:

- ``ok``: the printed figures agree within rounding;
- ``inconsistent``: they cannot all be right;
- ``decision error``: inconsistent, and the recomputed p falls on the other side of
  α = ,05 than the printed one (statcheck's term);
- ``not checkable``: it looks like a statistic but lacks what a check needs (the reason
  says what).

The statistical rules follow statcheck (Nuijten et al., 2016; Epskamp & Nuijten, R
package ``statcheck``): p is recomputed from the statistic and its df at both ends of the
statistic's rounding interval, and the printed p must fall within that p-interval after
rounding to its own decimals. The share and mean rules follow GRIM (Brown & Heathers,
2017): a share or mean of integers printed with d decimals for n cases must equal k/n for
some whole k, after rounding. They are written here with scipy rather than taken from
the ``statcheck``, ``grim`` and ``pysprite`` packages (see ``docs/audit.md`` for why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sofs_lib.audit.base import (  # noqa: F401 - re-exported: the rules' vocabulary
    ALPHA,
    DECISION_ERROR,
    EPS,
    INCONSISTENT,
    NOT_CHECKABLE,
    OK,
    VERDICTS,
    Finding,
    nl,
    nl_p,
    round_half_up,
)
from sofs_lib.audit.parse import Document
from sofs_lib.audit.shares import (  # noqa: F401
    grim_share,
    mean_possible,
    rule_counts_with_shares,
    rule_mean_possible,
    rule_parts_sum_to_total,
    rule_share_of_count,
    rule_shares_total_100,
    share_possible,
)
from sofs_lib.audit.statistics import (
    rule_df_plausible,
    rule_effect_size_r,
    rule_exp_b,
    rule_p_from_statistic,
    rule_significance_wording,
    rule_unparsed_statistic,
)
from sofs_lib.audit.tables import rule_figure_values, rule_list_totals, rule_tables


@dataclass(frozen=True)
class Rule:
    """A named rule: what it checks, how much rounding it allows, where it comes from."""

    id: str
    label_nl: str
    tolerance: str
    source: str
    func: Callable[[Document], list[Finding]]


# --------------------------------------------------------------------------- formatting


RULES: tuple[Rule, ...] = (
    Rule(
        "p_from_statistic",
        "p herberekend uit de toetsingsgrootheid",
        "statistiek ± een halve eenheid van de laatste decimaal; p afgerond op zijn eigen "
        "decimalen; α = ,05 (p = ,05 telt als significant)",
        "statcheck (Nuijten et al., 2016)",
        lambda d: rule_p_from_statistic(d) + rule_unparsed_statistic(d),
    ),
    Rule(
        "df_plausible",
        "vrijheidsgraden mogelijk",
        "exact",
        "statcheck-uitbreiding; (r − 1)(k − 1) voor kruistabellen",
        rule_df_plausible,
    ),
    Rule(
        "significance_wording",
        "woorden en p",
        "α = ,05",
        "statcheck (decision errors)",
        rule_significance_wording,
    ),
    Rule(
        "effect_size_r",
        "r = z/√N (Mann-Whitney)",
        "afronding van z en r",
        "Rosenthal (1991); Field",
        rule_effect_size_r,
    ),
    Rule("exp_b", "Exp(B) = e^B", "afronding van B", "definitie", rule_exp_b),
    Rule(
        "share_of_count",
        "aandeel past bij aantal en n",
        "halve eenheid van de laatste decimaal",
        "GRIM (Brown & Heathers, 2017)",
        lambda d: rule_share_of_count(d) + rule_counts_with_shares(d),
    ),
    Rule(
        "shares_total_100",
        "aandelen tellen op tot 100%",
        "som van de halve eenheden",
        "afronding",
        lambda d: rule_shares_total_100(d) + rule_figure_values(d),
    ),
    Rule(
        "parts_sum_to_total",
        "delen tellen op tot het totaal",
        "exact",
        "rekenkunde",
        rule_parts_sum_to_total,
    ),
    Rule(
        "mean_possible", "gemiddelde mogelijk voor n", "halve eenheid", "GRIM", rule_mean_possible
    ),
    Rule(
        "tables",
        "tabellen: rijen, kolommen, n, M en χ²",
        "exact voor aantallen; GRIM voor aandelen; 2% voor χ² uit afgeronde percentages",
        "GRIM; rekenkunde",
        lambda d: rule_list_totals(d) + rule_tables(d),
    ),
)
