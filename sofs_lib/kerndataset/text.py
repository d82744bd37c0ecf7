"""Dutch sentences about the kerndataset, generated from the library's result frames.

Notebooks print these so that every number in their narrative is computed, never typed.
"""

from __future__ import annotations

import pandas as pd

from sofs_lib.formatting import fmt_int, fmt_number, fmt_pct
from sofs_lib.kerndataset import instrument as ins
from sofs_lib.reliability import AlphaResult, WilcoxonResult
from sofs_lib.stats import fmt_bounded

ITEM_LABELS: dict[str, str] = {
    "network_figures_n": "het aantal netwerkfiguren",
    "child_confidants_n": "het aantal personen bij wie het kind terecht kan",
    "parent_support_n": "het aantal personen op wie de ouder beroep kan doen",
}


def quality_sentence(report: dict) -> str:
    """How many rows were read, kept, quarantined, merged and skipped; answers mapped."""
    mapped = sum(m["count"] for m in report["answer_mappings"] if m["form"] != "case_or_spacing")
    spacing = sum(m["count"] for m in report["answer_mappings"] if m["form"] == "case_or_spacing")
    p = report["problems"]
    return (
        f"{fmt_int(report['rows_in'])} rijen gelezen: {fmt_int(report['rows_clean'])} "
        f"registraties bruikbaar, {fmt_int(report['rows_quarantined'])} in quarantaine, "
        f"{fmt_int(report['rows_merged'])} samengevoegd met een andere registratie van "
        f"hetzelfde traject en moment, {fmt_int(report['rows_without_answers'])} zonder "
        f"antwoorden. {fmt_int(mapped)} antwoorden stonden in een andere vorm (afkorting, "
        f"cijfer) en zijn omgezet, {fmt_int(spacing)} verschilden enkel in hoofdletters of "
        f"spaties; {fmt_int(p.get('invalid_answer', 0))} antwoorden waren onleesbaar en "
        f"tellen als ontbrekend. {fmt_int(p.get('consent_after_contact', 0))} "
        f"opvolgcontact(en) met een toestemmingsdatum ná het contact."
    )


def reliability_sentence(subscale: str, alpha: AlphaResult) -> str:
    label = ins.SUBSCALE_LABELS[subscale]
    if not alpha.ok:
        return f"{label}: {alpha.apa('nl')}"
    return (
        f"{label}: Cronbachs {alpha.apa('nl')}; gestandaardiseerd "
        f"{fmt_bounded(alpha.alpha_standardized, 2, 'nl')}. {fmt_int(alpha.n_excluded)} "
        f"respondenten vielen weg omdat minstens één item ontbrak."
    )


def response_sentence(table: pd.DataFrame) -> str:
    """From :func:`followup.response_by_moment` without ``by``."""
    t = table.set_index(["moment", "indicator"])
    parts = [
        f"{fmt_pct(t.loc[('closure', 'closure_registered'), 'share'])} van de afgesloten "
        f"trajecten heeft een registratie bij afronding; daarvan gaf "
        f"{fmt_pct(t.loc[('closure', 'consent'), 'share'])} toestemming om later "
        f"gecontacteerd te worden."
    ]
    for moment in ins.MOMENTS[1:]:
        row = t.loc[(moment, "response")]
        parts.append(
            f"{ins.MOMENT_LABELS[moment].capitalize()} werd {fmt_pct(row['share'])} bereikt "
            f"van de {fmt_int(row['denominator'])} gezinnen met toestemming bij wie het "
            f"contact al gepland was (uitval {fmt_pct(t.loc[(moment, 'attrition'), 'share'])})."
        )
    return " ".join(parts)


def change_sentence(item: str, moment: str, pairs: pd.DataFrame, test: WilcoxonResult) -> str:
    label = ITEM_LABELS.get(item, item)
    if not len(pairs):
        return f"Voor {label} zijn er nog geen gezinnen met een meting {ins.MOMENT_LABELS[moment]}."
    direction = (
        f"{fmt_int(test.n_negative)} daalden, {fmt_int(test.n_positive)} stegen, "
        f"{fmt_int(test.n_ties)} bleven gelijk"
    )
    return (
        f"{label.capitalize()} van afronding tot {ins.MOMENT_LABELS[moment]} "
        f"({fmt_int(len(pairs))} gezinnen): mediaan {fmt_number(test.median_first, 1)} → "
        f"{fmt_number(test.median_second, 1)}; {direction}. Wilcoxon: {test.apa('nl')}."
    )


def referral_sentence(referral: pd.DataFrame) -> str:
    linked = referral[referral["status"].eq("linked")]
    counts = referral["status"].value_counts()
    return (
        f"{fmt_int(len(referral))} registraties dragen een Binc-pseudoniem. Bij "
        f"{fmt_int(len(linked))} is de termijn van 12 maanden voorbij (of volgde al een "
        f"module): {fmt_pct(linked['re_referral'].astype(float).mean())} kreeg binnen 12 "
        f"maanden een nieuwe jeugdhulpmodule. {fmt_int(counts.get('window_open', 0))} "
        f"wachten nog op het einde van hun termijn; bij "
        f"{fmt_int(counts.get('no_closed_sofs_module', 0))} is de CB SofS-module in Binc nog "
        f"niet afgesloten en {fmt_int(counts.get('not_in_binc', 0))} komen niet voor in de "
        f"Binc-extractie."
    )


__all__ = [
    "change_sentence",
    "quality_sentence",
    "referral_sentence",
    "reliability_sentence",
    "response_sentence",
]
