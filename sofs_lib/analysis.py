"""The researcher's toolkit: any indicator compared across groups, in one call.

``compare(df, "safety_plan_child", by="organisation_type", layer="closing_year")`` gives
what SPSS users expect from CROSSTABS ``/CELLS=COUNT ROW COLUMN EXPECTED ASRESID
/STATISTICS=CHISQ PHI CMH(1)`` (shares) or ONEWAY / NPAR TESTS (distributions), on the
indicator's *own* population and denominator:

- the population and outcome come from :mod:`sofs_lib.indicators.registry`, and every call
  checks the table's margins against the indicator function's numerators and
  denominators (so the χ² runs on the 236 closed trajectories the percentage uses);
- shares: counts, % within the group, % within the outcome, expected counts and adjusted
  standardised residuals, marked ``*`` where |z| > 1,96; Pearson χ², likelihood ratio,
  Fisher's exact test (2×2) or a Monte Carlo exact p (larger tables with small expected
  counts), φ / Cramér's V and the odds ratio;
- distributions: n, mean, SD, median, min, max and mean rank per group; Mann–Whitney
  (two groups) or Kruskal–Wallis with Dunn's pairwise tests, and the ANOVA with Welch's F
  and Tukey / Games–Howell post-hoc tests;
- ``layer=``: the table and tests per layer and over all layers ("Totaal"), plus
  Mantel–Haenszel and Breslow–Day when each layer is 2×2;
- Dutch (default) or English labels from the catalogue, nl-BE number formats, export to
  XLSX, and ``safe=True`` for publication through the project's disclosure rules
  (:mod:`sofs_lib.disclosure`): small counts hidden with their complements, percentages,
  expected counts and residuals that would reveal them hidden, and tests withheld where
  a test statistic could give a hidden cell away.

Organisation attributes (``organisation_type``...) are joined with
:func:`sofs_lib.organisations.add_organisation_attributes`; see
``docs/asking_a_new_question.md``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sofs_lib import disclosure
from sofs_lib.catalogue import CASE_TYPES, LABELS, PLAN_B_WITH_BLANK, STATUS
from sofs_lib.errors import SofsInputError
from sofs_lib.formatting import MISSING, fmt_int, fmt_number, fmt_pct
from sofs_lib.indicators import registry
from sofs_lib.indicators.derive import DERIVED_COLUMNS, population_mask, prepare
from sofs_lib.indicators.registry import IndicatorDefinition
from sofs_lib.stats import (
    Lang,
    _sort_key,
    anova_oneway,
    chi2_independence,
    fmt_bounded,
    fmt_p,
    fmt_stat,
    mann_whitney,
)
from sofs_lib.stats_tables import (
    PSTURNG_MAX,
    Z_CRITICAL,
    CrosstabCells,
    crosstab_cells,
    kruskal_wallis,
    mantel_haenszel,
    monte_carlo_p,
    odds_ratio_2x2,
    posthoc_means,
)

_LOCALES = {"nl": "nl_BE", "en": "en_US"}
#: Notebook look: compact, numbers right-aligned, starred residuals bold (see _repr_html_).
_HTML_STYLE = (
    "<style>.sofs-compare table{border-collapse:collapse;margin-bottom:.6em}"
    ".sofs-compare td,.sofs-compare th{padding:1px 8px;text-align:right}"
    ".sofs-compare td:first-child,.sofs-compare th:first-child{text-align:left}"
    ".sofs-compare .labels2 td:nth-child(-n+2),.sofs-compare .labels2 th:nth-child(-n+2),"
    ".sofs-compare .labels3 td:nth-child(-n+3),.sofs-compare .labels3 th:nth-child(-n+3)"
    "{text-align:left}"
    ".sofs-compare thead{border-bottom:1px solid #999}</style>"
)
#: The label of the "all layers" block.
TOTAL_LAYER = {"nl": "Totaal", "en": "Total"}
#: SPSS's rule for a χ² that may be unreliable: more than 20% of cells expected below 5.
SMALL_EXPECTED_SHARE = 0.20

_TEXT: dict[str, dict[str, str]] = {
    "count": {"nl": "Aantal", "en": "Count"},
    "within_row": {"nl": "% binnen {x}", "en": "% within {x}"},
    "within_col": {"nl": "% binnen {x}", "en": "% within {x}"},
    "expected": {"nl": "Verwachte frequentie", "en": "Expected count"},
    "adj_residual": {"nl": "Gecorrigeerd residu (z)", "en": "Adjusted residual"},
    "total": {"nl": "Totaal", "en": "Total"},
    "yes": {"nl": LABELS["yes"], "en": "Yes"},
    "no": {"nl": LABELS["no"], "en": "No"},
    "statistic": {"nl": "Statistiek", "en": "Statistic"},
    "valid": {"nl": "Geldig", "en": "Valid"},
    "missing": {"nl": "Ontbrekend", "en": "Missing"},
    "population": {"nl": "Populatie", "en": "Population"},
    "layer": {"nl": "Laag", "en": "Layer"},
    "test": {"nl": "Toets", "en": "Test"},
    "value": {"nl": "Waarde", "en": "Value"},
    "df": {"nl": "df", "en": "df"},
    "p": {"nl": "p", "en": "p"},
    "effect": {"nl": "Effectgrootte", "en": "Effect size"},
    "apa": {"nl": "APA", "en": "APA"},
    "note": {"nl": "Opmerking", "en": "Note"},
    "marker": {
        "nl": "* |z| > 1,96: de cel wijkt af van wat bij onafhankelijkheid verwacht wordt (p < ,05).",
        "en": "* |z| > 1.96: the cell differs from what independence predicts (p < .05).",
    },
    "withheld": {
        "nl": "Niet getoond: een cel van deze tabel is verborgen en de toets zou ze kunnen prijsgeven.",
        "en": "Withheld: a cell of this table is hidden and the test could give it away.",
    },
    "small_expected": {
        "nl": "{k} cel(len) ({pct}) hebben een verwachte frequentie kleiner dan 5; lees de exacte p.",
        "en": "{k} cell(s) ({pct}) have an expected count below 5; read the exact p.",
    },
    "missing_groups": {
        "nl": "{n} trajecten van de populatie zonder waarde voor {x} zijn niet opgenomen.",
        "en": "{n} trajectories of the population without a value for {x} are left out.",
    },
    "n": {"nl": "n", "en": "n"},
    "mean": {"nl": "Gemiddelde", "en": "Mean"},
    "sd": {"nl": "SD", "en": "SD"},
    "median": {"nl": "Mediaan", "en": "Median"},
    "min": {"nl": "Minimum", "en": "Minimum"},
    "max": {"nl": "Maximum", "en": "Maximum"},
    "mean_rank": {"nl": "Gemiddelde rang", "en": "Mean rank"},
    "pairs": {"nl": "Paarsgewijze vergelijkingen", "en": "Pairwise comparisons"},
    "group1": {"nl": "Groep 1", "en": "Group 1"},
    "group2": {"nl": "Groep 2", "en": "Group 2"},
    "difference": {"nl": "Verschil", "en": "Difference"},
    "tukey": {"nl": "p Tukey", "en": "p Tukey"},
    "games_howell": {"nl": "p Games–Howell", "en": "p Games–Howell"},
    "dunn": {"nl": "p Dunn (Bonferroni)", "en": "p Dunn (Bonferroni)"},
}

_POPULATION_TEXT = {
    "all": {"nl": "alle trajecten", "en": "all trajectories"},
    "closed": {"nl": "afgesloten trajecten", "en": "closed trajectories"},
    "open": {"nl": "open trajecten", "en": "open trajectories"},
}
_EN_COLUMN_LABELS = {
    "organisation": "Organisation",
    "organisation_type": "Organisation type",
    "closing_year": "Closing year",
    "status": "Status",
    "case_type": "Case type",
    "plan_b": "Plan B",
    "vzb_type": "VZB organisation type",
}


def _t(key: str, lang: Lang, **values: object) -> str:
    return _TEXT[key][lang].format(**values)


def column_label(column: str, lang: Lang = "nl") -> str:
    """What people read for a grouping column: the catalogue's Dutch label, or English."""
    if lang == "en":
        return _EN_COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())
    return LABELS.get(column) or column.replace("_", " ").capitalize()


def value_label(column: str, value: object, lang: Lang = "nl") -> str:
    """A group value as people read it: coded values through the catalogue, years plainly."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, bool | np.bool_):
        return _t("yes" if value else "no", lang)
    if isinstance(value, int | np.integer) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    text = str(value)
    if lang == "en" and column in registry.VALUE_LABELS_EN:
        return registry.VALUE_LABELS_EN[column].get(text, text)
    dutch = {"case_type": CASE_TYPES, "plan_b": PLAN_B_WITH_BLANK, "status": STATUS}
    if column in dutch:
        return dutch[column].get(text, text)
    return text


def _outcome_label(definition: IndicatorDefinition, value: Hashable, lang: Lang) -> str:
    if definition.kind == "share":
        return _t("yes" if value else "no", lang)
    if lang == "en" and definition.key in registry.VALUE_LABELS_EN:
        return registry.VALUE_LABELS_EN[definition.key].get(str(value), str(value))
    return definition.category_labels.get(str(value), str(value))


def _indicator_label(definition: IndicatorDefinition, lang: Lang) -> str:
    return definition.label_en if lang == "en" else definition.label


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass
class LayerResult:
    """One block of the comparison: a layer value (``layer`` None = all layers together)."""

    layer: Hashable | None
    n: int
    cells: CrosstabCells | None = None  # shares and categorical indicators
    descriptives: pd.DataFrame | None = None  # distributions: group, n, mean, sd, ...
    results: dict[str, Any] = field(default_factory=dict)  # test name -> result object
    posthoc: pd.DataFrame | None = None
    hidden: pd.DataFrame | None = None  # safe=True: True where a cell is hidden
    display_counts: pd.DataFrame | None = None  # safe=True: counts as published
    withheld: bool = False  # safe=True: tests not shown


@dataclass
class Comparison:
    """An indicator compared across ``by`` groups (optionally per ``layer``).

    Show it in a notebook (HTML) or print it; ``table()`` / ``tests()`` / ``posthoc()``
    give the tables as frames, ``to_excel(path)`` writes them, ``results`` holds the
    statistics objects (``sofs_lib.stats``), ``layers`` the numeric blocks.
    """

    indicator: IndicatorDefinition
    by: str
    layer: str | None
    population: str
    lang: Lang
    safe: bool
    min_cell: int | None
    layers: list[LayerResult]
    mantel_haenszel: Any = None
    n_population: int = 0
    n_missing_outcome: int = 0
    n_missing_group: int = 0
    message: str | None = None  # safe=True and the whole selection is too small

    # ----------------------------------------------------------------- views

    @property
    def results(self) -> dict[tuple[Hashable | None, str], Any]:
        """``{(layer value or None, test name): result}``."""
        out = {(b.layer, name): res for b in self.layers for name, res in b.results.items()}
        if self.mantel_haenszel is not None:
            out[(None, "mantel_haenszel")] = self.mantel_haenszel
        return out

    @property
    def n_valid(self) -> int:
        return sum(b.n for b in self.layers if b.layer is None)

    def title(self, lang: Lang | None = None) -> str:
        lang = lang or self.lang
        by = column_label(self.by, lang)
        text = f"{_indicator_label(self.indicator, lang)} × {by}"
        if self.layer:
            text += (" per " if lang == "nl" else " by ") + column_label(self.layer, lang).lower()
        return text

    def case_summary(self, lang: Lang | None = None) -> pd.DataFrame:
        """SPSS "Case Processing Summary": the population, and who is valid or missing."""
        lang = lang or self.lang
        pop = _POPULATION_TEXT.get(self.population, {"nl": self.population, "en": self.population})
        missing = self.n_missing_outcome + self.n_missing_group
        rows = [
            (_t("population", lang), pop[lang], self.n_population),
            (_t("valid", lang), "", self.n_valid),
            (_t("missing", lang), _missing_text(self, lang), missing),
        ]
        frame = pd.DataFrame(rows, columns=["", _t("note", lang), _t("n", lang)])
        if self.safe:
            frame[_t("n", lang)] = disclosure.format_counts(
                frame[_t("n", lang)].to_numpy(dtype=float),
                disclosure._primary(frame[_t("n", lang)].to_numpy(dtype=float), self._k()),
                self._k(),
            )
        else:
            frame[_t("n", lang)] = [_fmt_int(v, lang) for v in frame[_t("n", lang)]]
        return frame

    def _k(self) -> int:
        return disclosure.resolve_min_cell(self.min_cell)

    def table(self, lang: Lang | None = None) -> pd.DataFrame:
        """The SPSS-like table as text: crosstab cells (shares) or descriptives
        (distributions), one block per layer."""
        lang = lang or self.lang
        if self.message:
            return pd.DataFrame({_t("note", lang): [self.message]})
        blocks = []
        for block in self.layers:
            part = (
                _crosstab_display(self, block, lang)
                if self.indicator.kind != "distribution"
                else _descriptives_display(self, block, lang)
            )
            if self.layer:
                part.insert(0, column_label(self.layer, lang), _layer_text(self, block, lang))
            blocks.append(part)
        return pd.concat(blocks, ignore_index=True)

    def tests(self, lang: Lang | None = None) -> pd.DataFrame:
        """One row per test: layer, test, value, df, p, effect size and the APA text."""
        lang = lang or self.lang
        rows: list[dict[str, str]] = []
        for block in self.layers:
            layer_text = _layer_text(self, block, lang)
            if block.withheld:
                rows.append(
                    {_t("test", lang): "–", _t("apa", lang): _t("withheld", lang)}
                    | ({column_label(self.layer, lang): layer_text} if self.layer else {})
                )
                continue
            for name, res in block.results.items():
                row = _test_row(name, res, lang)
                if self.layer:
                    row = {column_label(self.layer, lang): layer_text} | row
                rows.append(row)
        if self.mantel_haenszel is not None:
            for row in _mh_rows(
                self.mantel_haenszel, self.safe and any(b.withheld for b in self.layers), lang
            ):
                if self.layer:
                    row = {column_label(self.layer, lang): _t("total", lang)} | row
                rows.append(row)
        order = [_t(k, lang) for k in ("test", "value", "df", "p", "effect", "apa")]
        if self.layer:
            order.insert(0, column_label(self.layer, lang))
        return pd.DataFrame(rows).reindex(columns=order).astype(object).fillna("").astype("str")

    def posthoc(self, lang: Lang | None = None) -> pd.DataFrame:
        """Pairwise comparisons of groups (distributions): Tukey, Games–Howell, Dunn."""
        lang = lang or self.lang
        parts = []
        for block in self.layers:
            if block.posthoc is None or block.posthoc.empty or block.withheld:
                continue
            part = block.posthoc.copy()
            shown = pd.DataFrame(
                {
                    _t("group1", lang): [value_label(self.by, g, lang) for g in part["group1"]],
                    _t("group2", lang): [value_label(self.by, g, lang) for g in part["group2"]],
                    _t("difference", lang): [fmt_stat(v, 2, lang) for v in part["mean_difference"]],
                    _t("tukey", lang): [_range_p_text(v, lang) for v in part["tukey_p"]],
                    _t("games_howell", lang): [
                        _range_p_text(v, lang) for v in part["games_howell_p"]
                    ],
                    _t("dunn", lang): [_p_text(v, lang) for v in part["dunn_p"]],
                }
            )
            if self.layer:
                shown.insert(0, column_label(self.layer, lang), _layer_text(self, block, lang))
            parts.append(shown)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def notes(self, lang: Lang | None = None) -> list[str]:
        """Footnotes: the residual marker, small expected counts, groups left out."""
        lang = lang or self.lang
        out = []
        if self.indicator.kind != "distribution":
            out.append(_t("marker", lang))
        for block in self.layers:
            res = block.results.get("chi2")
            if res is not None and res.ok and res.share_expected_below_5 > SMALL_EXPECTED_SHARE:
                note = _t(
                    "small_expected",
                    lang,
                    k=res.cells_expected_below_5,
                    pct=fmt_pct(res.share_expected_below_5, locale=_LOCALES[lang]),
                )
                out.append(f"{_layer_text(self, block, lang)}: {note}" if self.layer else note)
        if self.n_missing_group:
            columns = " / ".join(column_label(c, lang) for c in (self.by, self.layer) if c)
            out.append(_t("missing_groups", lang, n=self.n_missing_group, x=columns))
        if self.safe:
            out.append(
                "Kleine aantallen verborgen volgens docs/disclosure.md (<k: klein aantal, x: "
                "verborgen om een ander aantal te beschermen)."
                if lang == "nl"
                else "Small counts hidden by the rules of docs/disclosure.md (<k: small count, "
                "x: hidden to protect another count)."
            )
        return out

    def summary(self, lang: Lang | None = None) -> str:
        """The APA sentences of the main tests, one line per layer."""
        lang = lang or self.lang
        lines = []
        for block in self.layers:
            prefix = f"{_layer_text(self, block, lang)}: " if self.layer else ""
            if block.withheld:
                lines.append(prefix + _t("withheld", lang))
                continue
            main = _main_result(block)
            if main is not None:
                lines.append(prefix + _apa(main, lang))
        if (
            self.mantel_haenszel is not None
            and self.mantel_haenszel.ok
            and not (self.safe and any(b.withheld for b in self.layers))
        ):
            lines.append(
                "Mantel–Haenszel: "
                + self.mantel_haenszel.apa(lang)
                + "; Breslow–Day: "
                + self.mantel_haenszel.apa_homogeneity(lang)
            )
        return "\n".join(lines)

    # ----------------------------------------------------------------- output

    def to_excel(self, path: str | Path, lang: Lang | None = None) -> Path:
        """Write the tables to an ``.xlsx`` workbook (one sheet per table)."""
        lang = lang or self.lang
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise SofsInputError(f"to_excel writes .xlsx files, got {path.name!r}")
        names = {
            "nl": ("Overzicht", "Tabel", "Toetsen", "Paarsgewijs", "Opmerkingen"),
            "en": ("Summary", "Table", "Tests", "Pairwise", "Notes"),
        }[lang]
        path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            head = pd.DataFrame({"": [self.title(lang)]})
            head.to_excel(writer, sheet_name=names[0], index=False, header=False)
            self.case_summary(lang).to_excel(writer, sheet_name=names[0], index=False, startrow=2)
            self.table(lang).to_excel(writer, sheet_name=names[1], index=False)
            if not self.message:
                self.tests(lang).to_excel(writer, sheet_name=names[2], index=False)
                pairs = self.posthoc(lang)
                if not pairs.empty:
                    pairs.to_excel(writer, sheet_name=names[3], index=False)
            pd.DataFrame({"": self.notes(lang)}).to_excel(
                writer, sheet_name=names[4], index=False, header=False
            )
        return path

    def __str__(self) -> str:
        lang = self.lang
        parts = [self.title(lang), "", self.case_summary(lang).to_string(index=False), ""]
        with pd.option_context(
            "display.max_rows", 500, "display.max_columns", 50, "display.width", 200
        ):
            parts.append(self._readable_table(lang).to_string(index=False))
            if not self.message:
                parts += ["", self.tests(lang).to_string(index=False)]
                pairs = self.posthoc(lang)
                if not pairs.empty:
                    parts += ["", _t("pairs", lang), pairs.to_string(index=False)]
        parts += ["", *self.notes(lang)]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"<Comparison {self.title()!r}: N = {self.n_valid}>"

    def _readable_table(self, lang: Lang) -> pd.DataFrame:
        """``table()`` with repeated group labels blanked, as SPSS prints them."""
        frame = self.table(lang)
        labels = [c for c in frame.columns[:3] if c != _t("statistic", lang)]
        if self.indicator.kind == "distribution" or self.message:
            labels = labels[:1] if self.layer else []
        shown = frame.copy()
        for depth, col in enumerate(labels):
            key = frame[labels[: depth + 1]].astype(str).agg("|".join, axis=1)
            shown.loc[key.eq(key.shift()), col] = ""
        return shown

    def _repr_html_(self) -> str:
        lang = self.lang
        out = [_HTML_STYLE, '<div class="sofs-compare">']
        out.append(f"<h4>{html.escape(self.title(lang))}</h4>")
        out.append(self.case_summary(lang).to_html(index=False, border=0))
        readable = self._readable_table(lang)
        n_labels = (1 if self.layer else 0) + (1 if self.indicator.kind == "distribution" else 2)
        table = readable.to_html(index=False, border=0, na_rep="", classes=f"labels{n_labels}")
        out.append(re.sub(r"<td>([^<]*\*)</td>", r"<td><b>\1</b></td>", table))
        if not self.message:
            out.append(f"<p><b>{html.escape(self.summary(lang))}</b></p>".replace("\n", "<br>"))
            out.append(self.tests(lang).to_html(index=False, border=0))
            pairs = self.posthoc(lang)
            if not pairs.empty:
                out.append(f"<p>{_t('pairs', lang)}</p>" + pairs.to_html(index=False, border=0))
        out.append("".join(f"<p><small>{html.escape(n)}</small></p>" for n in self.notes(lang)))
        out.append("</div>")
        return "\n".join(out)


# --------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------


def _fmt_int(value: float, lang: Lang) -> str:
    return fmt_int(value, locale=_LOCALES[lang])


def _p_text(p: float, lang: Lang) -> str:
    if p is None or not math.isfinite(float(p)):
        return MISSING
    return fmt_p(p, lang).removeprefix("p = ").removeprefix("p ")


def _range_p_text(p: float, lang: Lang) -> str:
    """A studentized-range p: 0.9 stands for "0.9 or more" (``PSTURNG_MAX``)."""
    if p is not None and math.isfinite(float(p)) and p >= PSTURNG_MAX:
        return "≥ " + fmt_p(PSTURNG_MAX, lang).removeprefix("p = ")
    return _p_text(p, lang)


def _missing_text(cmp: Comparison, lang: Lang) -> str:
    parts = []
    if cmp.n_missing_outcome:
        parts.append(
            f"{cmp.n_missing_outcome} "
            + (
                "zonder waarde voor de indicator"
                if lang == "nl"
                else "without a value for the indicator"
            )
        )
    if cmp.n_missing_group:
        cols = " / ".join(column_label(c, lang) for c in (cmp.by, cmp.layer) if c)
        parts.append(
            f"{cmp.n_missing_group} " + (f"zonder {cols}" if lang == "nl" else f"without {cols}")
        )
    return "; ".join(parts)


def _layer_text(cmp: Comparison, block: LayerResult, lang: Lang) -> str:
    if block.layer is None:
        return TOTAL_LAYER[lang]
    return value_label(cmp.layer or "", block.layer, lang)


def _crosstab_display(cmp: Comparison, block: LayerResult, lang: Lang) -> pd.DataFrame:
    """SPSS CROSSTABS cells: per group the count, % within group, % within outcome,
    expected count and adjusted residual; then the total row."""
    cells = block.cells
    locale = _LOCALES[lang]
    by_label = column_label(cmp.by, lang)
    stat_col = _t("statistic", lang)
    outcome_cols = [_outcome_label(cmp.indicator, c, lang) for c in cells.observed.columns]
    total = _t("total", lang)
    hidden = block.hidden

    def count_text(i: int | None, j: int | None, value: float) -> str:
        if block.display_counts is not None:
            r = i if i is not None else -1
            c = j if j is not None else -1
            return str(block.display_counts.iloc[r, c])
        return fmt_int(value, locale=locale)

    def is_hidden(i: int | None, j: int | None) -> bool:
        if hidden is None:
            return False
        r = i if i is not None else -1
        c = j if j is not None else -1
        return bool(hidden.iloc[r, c])

    rows: list[list[str]] = []
    row_labels = [value_label(cmp.by, v, lang) for v in cells.observed.index]
    n_rows, n_cols = cells.observed.shape
    within_row = _t("within_row", lang, x=by_label)
    within_col = _t("within_col", lang, x=_indicator_label(cmp.indicator, lang))
    for i, label in enumerate(row_labels):
        counts = [count_text(i, j, cells.observed.iat[i, j]) for j in range(n_cols)]
        counts.append(count_text(i, None, cells.row_totals.iat[i]))
        row_pct, col_pct, expected, resid = [], [], [], []
        for j in range(n_cols):
            cell_hidden = is_hidden(i, j)
            row_pct.append(
                MISSING
                if cell_hidden or is_hidden(i, None)
                else fmt_pct(cells.row_share.iat[i, j], locale=locale)
            )
            col_pct.append(
                MISSING
                if cell_hidden or is_hidden(None, j)
                else fmt_pct(cells.column_share.iat[i, j], locale=locale)
            )
            expected.append(
                MISSING
                if is_hidden(i, None) or is_hidden(None, j)
                else fmt_number(cells.expected.iat[i, j], 1, locale=locale)
            )
            z = cells.adj_residual.iat[i, j]
            if cell_hidden or not math.isfinite(z):
                resid.append(MISSING)
            else:
                resid.append(fmt_stat(z, 2, lang) + ("*" if abs(z) > Z_CRITICAL else ""))
        n_total = cells.n
        row_total_share = cells.row_totals.iat[i] / n_total if n_total else float("nan")
        row_pct.append(
            MISSING
            if is_hidden(i, None)
            else fmt_pct(1.0 if cells.row_totals.iat[i] else float("nan"), locale=locale)
        )
        col_pct.append(MISSING if is_hidden(i, None) else fmt_pct(row_total_share, locale=locale))
        expected.append("")
        resid.append("")
        for stat, values in (
            (_t("count", lang), counts),
            (within_row, row_pct),
            (within_col, col_pct),
            (_t("expected", lang), expected),
            (_t("adj_residual", lang), resid),
        ):
            rows.append([label, stat, *values])
    col_totals = [count_text(None, j, cells.column_totals.iat[j]) for j in range(n_cols)]
    col_totals.append(count_text(None, None, cells.n))
    share_of_total = [
        MISSING
        if is_hidden(None, j)
        else fmt_pct(
            cells.column_totals.iat[j] / cells.n if cells.n else float("nan"), locale=locale
        )
        for j in range(n_cols)
    ]
    share_of_total.append(fmt_pct(1.0 if cells.n else float("nan"), locale=locale))
    rows.append([total, _t("count", lang), *col_totals])
    rows.append([total, within_row, *share_of_total])
    return pd.DataFrame(rows, columns=[by_label, stat_col, *outcome_cols, total])


def _descriptives_display(cmp: Comparison, block: LayerResult, lang: Lang) -> pd.DataFrame:
    locale = _LOCALES[lang]
    desc = block.descriptives
    hide = (
        block.hidden["n"].to_numpy(dtype=bool)
        if block.hidden is not None
        else np.zeros(len(desc), bool)
    )
    k = cmp._k()
    frame = pd.DataFrame(
        {column_label(cmp.by, lang): [value_label(cmp.by, g, lang) for g in desc["group"]]}
    )
    frame[_t("n", lang)] = (
        disclosure.format_counts(desc["n"].to_numpy(dtype=float), hide, k)
        if cmp.safe
        else [fmt_int(v, locale=locale) for v in desc["n"]]
    )
    for col in ("mean", "sd", "median", "min", "max", "mean_rank"):
        frame[_t(col, lang)] = [
            MISSING
            if h
            else fmt_number(v, 2 if col in ("mean", "sd", "mean_rank") else 1, locale=locale)
            for v, h in zip(desc[col], hide, strict=True)
        ]
    return frame


def _main_result(block: LayerResult) -> Any:
    for name in ("chi2", "kruskal_wallis", "mann_whitney", "anova"):
        if name in block.results:
            return block.results[name]
    return None


def _apa(res: Any, lang: Lang) -> str:
    if hasattr(res, "is_2x2"):
        return res.apa(lang, effect=True)
    return res.apa(lang)


_TEST_NAMES = {
    "chi2": {"nl": "Pearson χ²", "en": "Pearson χ²"},
    "likelihood_ratio": {"nl": "Likelihood ratio", "en": "Likelihood ratio"},
    "fisher": {"nl": "Exacte toets van Fisher", "en": "Fisher's exact test"},
    "monte_carlo": {
        "nl": "Exacte p (Monte Carlo, 10 000 tabellen)",
        "en": "Exact p (Monte Carlo, 10,000 tables)",
    },
    "mann_whitney": {"nl": "Mann–Whitney U", "en": "Mann–Whitney U"},
    "kruskal_wallis": {"nl": "Kruskal–Wallis H", "en": "Kruskal–Wallis H"},
    "anova": {"nl": "ANOVA F", "en": "ANOVA F"},
    "welch": {"nl": "Welch F", "en": "Welch's F"},
    "odds_ratio": {"nl": "Odds ratio (rij 1 / rij 2)", "en": "Odds ratio (row 1 / row 2)"},
}


def _test_row(name: str, res: Any, lang: Lang) -> dict[str, str]:
    label = _TEST_NAMES.get(name, {"nl": name, "en": name})[lang]
    base = {
        _t("test", lang): label,
        _t("value", lang): "",
        _t("df", lang): "",
        _t("p", lang): "",
        _t("effect", lang): "",
        _t("apa", lang): "",
    }
    if not getattr(res, "ok", True):
        return base | {_t("apa", lang): res.apa(lang)}
    if name == "chi2":
        effect = (
            f"φ = {fmt_bounded(res.phi, 2, lang)}"
            if res.is_2x2
            else f"V = {fmt_bounded(res.cramers_v, 2, lang)}"
        )
        rows = base | {
            _t("value", lang): fmt_stat(res.statistic, 3, lang),
            _t("df", lang): str(res.df),
            _t("p", lang): _p_text(res.p_value, lang),
            _t("effect", lang): effect,
            _t("apa", lang): res.apa(lang, effect=True),
        }
        return rows
    if name == "likelihood_ratio":
        return base | {
            _t("value", lang): fmt_stat(res.likelihood_ratio, 3, lang),
            _t("df", lang): str(res.df),
            _t("p", lang): _p_text(res.likelihood_ratio_p, lang),
        }
    if name == "fisher":
        return base | {
            _t("p", lang): _p_text(res.fisher_p, lang),
            _t("apa", lang): ("tweezijdig; eenzijdig " if lang == "nl" else "two-sided; one-sided ")
            + _p_text(res.fisher_p_one_sided, lang),
        }
    if name == "odds_ratio":
        return base | {
            _t("value", lang): fmt_stat(res.estimate, 3, lang),
            _t("apa", lang): res.apa(lang),
        }
    if name == "monte_carlo":
        return base | {_t("p", lang): _p_text(res.p_value, lang)}
    if name == "mann_whitney":
        return base | {
            _t("value", lang): fmt_stat(res.u, 2, lang),
            _t("p", lang): _p_text(res.p_value, lang),
            _t("effect", lang): f"r = {fmt_bounded(res.r, 2, lang)}",
            _t("apa", lang): res.apa(lang),
        }
    if name == "kruskal_wallis":
        return base | {
            _t("value", lang): fmt_stat(res.h, 3, lang),
            _t("df", lang): str(res.df),
            _t("p", lang): _p_text(res.p_value, lang),
            _t("effect", lang): f"ε² = {fmt_bounded(res.epsilon_squared, 2, lang)}",
            _t("apa", lang): res.apa(lang),
        }
    if name == "anova":
        return base | {
            _t("value", lang): fmt_stat(res.f, 3, lang),
            _t("df", lang): f"{res.df_between}, {res.df_within}"
            if lang == "en"
            else f"{res.df_between}; {res.df_within}",
            _t("p", lang): _p_text(res.p_value, lang),
            _t("effect", lang): f"η² = {fmt_bounded(res.eta_squared, 2, lang)}",
            _t("apa", lang): res.apa(lang),
        }
    if name == "welch":
        sep = "; " if lang == "nl" else ", "
        return base | {
            _t("value", lang): fmt_stat(res.welch_f, 3, lang),
            _t(
                "df", lang
            ): f"{fmt_stat(res.welch_df1, 0, lang)}{sep}{fmt_stat(res.welch_df2, 2, lang)}",
            _t("p", lang): _p_text(res.welch_p, lang),
            _t("apa", lang): res.apa_welch(lang),
        }
    return base


def _mh_rows(res: Any, withheld: bool, lang: Lang) -> list[dict[str, str]]:
    base_keys = ("test", "value", "df", "p", "effect", "apa")
    empty = {_t(k, lang): "" for k in base_keys}
    if withheld:
        return [
            empty | {_t("test", lang): "Mantel–Haenszel", _t("apa", lang): _t("withheld", lang)}
        ]
    if not res.ok:
        return [empty | {_t("test", lang): "Mantel–Haenszel", _t("apa", lang): res.apa(lang)}]
    return [
        empty
        | {
            _t("test", lang): "Breslow–Day",
            _t("value", lang): fmt_stat(res.breslow_day, 3, lang),
            _t("df", lang): str(res.df_homogeneity),
            _t("p", lang): _p_text(res.breslow_day_p, lang),
            _t("apa", lang): res.apa_homogeneity(lang),
        },
        empty
        | {
            _t("test", lang): "Tarone",
            _t("value", lang): fmt_stat(res.tarone, 3, lang),
            _t("df", lang): str(res.df_homogeneity),
            _t("p", lang): _p_text(res.tarone_p, lang),
        },
        empty
        | {
            _t("test", lang): "Cochran",
            _t("value", lang): fmt_stat(res.cochran, 3, lang),
            _t("df", lang): "1",
            _t("p", lang): _p_text(res.cochran_p, lang),
        },
        empty
        | {
            _t("test", lang): "Mantel–Haenszel",
            _t("value", lang): fmt_stat(res.mantel_haenszel, 3, lang),
            _t("df", lang): "1",
            _t("p", lang): _p_text(res.mantel_haenszel_p, lang),
            _t("effect", lang): f"ORMH = {fmt_stat(res.odds_ratio, 2, lang)}",
            _t("apa", lang): res.apa(lang),
        },
    ]


# --------------------------------------------------------------------------------------
# compare()
# --------------------------------------------------------------------------------------


def _prepare(df: pd.DataFrame, definition: IndicatorDefinition, groups: list[str]) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise SofsInputError(f"compare needs a table (DataFrame), got {type(df).__name__}")
    missing_groups = [c for c in groups if c not in df.columns and c not in DERIVED_COLUMNS]
    if missing_groups:
        hint = ""
        if "organisation_type" in missing_groups:
            hint = (
                " Organisation attributes come from a mapping file: "
                "sofs_lib.organisations.add_organisation_attributes(df, path) "
                "(docs/asking_a_new_question.md)."
            )
        raise SofsInputError(
            f"compare: the table has no column {', '.join(map(repr, missing_groups))}.{hint}"
        )
    if definition.frame == "dashboard":
        return prepare(df, groups, definition.columns, f"compare({definition.name!r})")
    absent = [c for c in (*definition.columns, *groups) if c not in df.columns]
    if absent:
        raise SofsInputError(
            f"compare({definition.name!r}): the table lacks {', '.join(absent)}; pass the "
            "cleaned Binc children frame (load_binc_result().children)"
        )
    return df


def _group_values(series: pd.Series) -> pd.Series:
    """Group values with blanks as missing (an empty attribute is not a group)."""
    out = series.astype("object")
    blank = out.map(lambda v: isinstance(v, str) and not v.strip())
    return out.mask(blank.astype(bool))


def _catalogue_order(column: str) -> tuple[str, ...]:
    """Known value orders of coded columns (catalogue, report Table 6), else none."""
    if column in ("case_type", "plan_b", "status"):
        return tuple(
            {"case_type": CASE_TYPES, "plan_b": PLAN_B_WITH_BLANK, "status": STATUS}[column]
        )
    if column in ("organisation_type", "vzb_type"):
        from sofs_lib.organisations import organisation_types

        return organisation_types()
    return ()


def _sorted_unique(values: pd.Series, column: str = "") -> list:
    """Group values in display order: yes before no, catalogue order for coded columns,
    else sorted (numbers before text)."""
    present = list(pd.unique(values.dropna()))
    if present and all(isinstance(v, bool | np.bool_) for v in present):
        return [v for v in (True, False) if v in present]
    order = {v: i for i, v in enumerate(_catalogue_order(column))}
    return sorted(present, key=lambda v: (0, order[v], "") if v in order else (1, 0, _sort_key(v)))


def compare(
    df: pd.DataFrame,
    indicator: str,
    by: str,
    layer: str | None = None,
    *,
    population: str | None = None,
    lang: Lang = "nl",
    safe: bool = False,
    min_cell: int | None = None,
) -> Comparison:
    """Compare ``indicator`` across the groups of column ``by`` (and per ``layer``).

    ``df``: the cleaned dashboard frame (or the Binc children frame for ``vzb_type``),
    with organisation attributes joined when ``by`` is one. ``indicator``: a name of
    :data:`sofs_lib.indicators.registry.INDICATORS` (``safety_plan_child``,
    ``network_meetings``, ``case_type``...). ``population`` overrides the indicator's
    own (``"all"``, ``"closed"``, ``"open"``). Rows without a value for ``by`` or
    ``layer`` are left out and counted. ``safe=True`` applies the disclosure rules with
    threshold ``min_cell`` (default ``SOFS_MIN_CELL``).
    """
    if lang not in ("nl", "en"):
        raise SofsInputError(f"lang must be 'nl' or 'en', got {lang!r}")
    definition = registry.get(indicator)
    if not isinstance(by, str):
        raise SofsInputError("by must be one column name, e.g. by='organisation_type'")
    if layer is not None and not isinstance(layer, str):
        raise SofsInputError("layer must be one column name, e.g. layer='closing_year'")
    if layer == by:
        raise SofsInputError("by and layer must be different columns")
    groups = [c for c in (by, layer) if c]
    if definition.key in groups or any(c in definition.columns for c in groups if c != "status"):
        raise SofsInputError(f"compare: cannot group {indicator!r} by its own outcome")
    pop = population or definition.population
    data = _prepare(df, definition, groups)
    eligible = (
        population_mask(data, pop) if definition.frame == "dashboard" else np.ones(len(data), bool)
    )
    if definition.condition is not None:
        eligible = eligible & definition.condition(data)
    outcome = definition.outcome(data)
    by_values = _group_values(data[by])
    layer_values = _group_values(data[layer]) if layer else None
    has_outcome = outcome.notna().to_numpy(dtype=bool)
    has_group = by_values.notna().to_numpy(dtype=bool).copy()
    if layer_values is not None:
        has_group = has_group & layer_values.notna().to_numpy(dtype=bool)
    valid = eligible & has_outcome & has_group
    _check_against_indicator(definition, data, groups, pop, eligible, outcome, valid)

    sub_outcome = outcome[valid]
    sub_by = by_values[valid]
    sub_layer = layer_values[valid] if layer_values is not None else None
    blocks: list[LayerResult] = []
    layer_keys: list[Hashable | None] = [None]
    if sub_layer is not None:
        layer_keys = [*_sorted_unique(sub_layer, layer), None]
    for key in layer_keys:
        mask = (
            np.ones(len(sub_outcome), bool)
            if key is None
            else (sub_layer == key).to_numpy(dtype=bool)
        )
        blocks.append(_block(definition, key, sub_outcome[mask], sub_by[mask], by))

    comparison = Comparison(
        indicator=definition,
        by=by,
        layer=layer,
        population=pop,
        lang=lang,
        safe=safe,
        min_cell=min_cell,
        layers=blocks,
        n_population=int(eligible.sum()),
        n_missing_outcome=int((eligible & ~has_outcome).sum()),
        n_missing_group=int((eligible & has_outcome & ~has_group).sum()),
    )
    if layer and definition.kind != "distribution":
        tables = [b.cells.observed for b in blocks if b.layer is not None and b.cells is not None]
        if tables and all(t.shape == (2, 2) for t in tables) and len(tables) >= 2:
            comparison.mantel_haenszel = mantel_haenszel(
                [t.to_numpy() for t in tables],
                labels=[b.layer for b in blocks if b.layer is not None],
            )
    if safe:
        _apply_disclosure(comparison)
    return comparison


def _block(
    definition: IndicatorDefinition,
    key: Hashable | None,
    outcome: pd.Series,
    groups: pd.Series,
    by: str,
) -> LayerResult:
    n = len(outcome)
    if definition.kind == "distribution":
        return _distribution_block(key, outcome.astype("float64"), groups, by)
    if definition.kind == "share":
        values = outcome.astype(bool)
        columns: list = [True, False]
    else:
        values = outcome.astype("object")
        present = set(values.dropna())
        columns = [c for c in definition.categories if c in present] + sorted(
            present - set(definition.categories), key=_sort_key
        )
    rows = _sorted_unique(groups, by)
    observed = pd.crosstab(groups, values).reindex(index=rows, columns=columns, fill_value=0)
    observed = observed.loc[:, observed.sum(axis=0) > 0] if definition.kind != "share" else observed
    observed.index.name, observed.columns.name = None, None
    cells = crosstab_cells(observed)
    block = LayerResult(layer=key, n=n, cells=cells)
    if n == 0:
        return block
    chi2 = chi2_independence(
        groups.to_numpy(), values.to_numpy(), x_name=by, y_name=definition.name
    )
    block.results["chi2"] = chi2
    if chi2.ok:
        block.results["likelihood_ratio"] = chi2
        if chi2.is_2x2:
            block.results["fisher"] = chi2
            block.results["odds_ratio"] = _OddsRatio(*odds_ratio_2x2(observed.to_numpy()))
        elif chi2.share_expected_below_5 > SMALL_EXPECTED_SHARE:
            block.results["monte_carlo"] = _PValue(monte_carlo_p(chi2.crosstab.to_numpy()))
    return block


@dataclass(frozen=True)
class _OddsRatio:
    """SPSS "Risk Estimate": odds ratio (first row / second row) with its 95% CI."""

    estimate: float
    lower: float
    upper: float
    ok: bool = True

    def apa(self, lang: Lang = "nl") -> str:
        if not math.isfinite(self.estimate):
            return (
                "niet berekenbaar (een cel is 0)"
                if lang == "nl"
                else "not computable (a cell is 0)"
            )
        sep, ci = ("; ", "95%-BI") if lang == "nl" else (", ", "95% CI")
        return (
            f"OR = {fmt_stat(self.estimate, 2, lang)}, {ci} [{fmt_stat(self.lower, 2, lang)}{sep}"
            f"{fmt_stat(self.upper, 2, lang)}]"
        )


@dataclass(frozen=True)
class _PValue:
    p_value: float
    ok: bool = True

    def apa(self, lang: Lang = "nl") -> str:
        return fmt_p(self.p_value, lang)


def _distribution_block(
    key: Hashable | None, values: pd.Series, groups: pd.Series, by: str
) -> LayerResult:
    frame = pd.DataFrame({"value": values.to_numpy(), "group": groups.to_numpy()})
    order = _sorted_unique(frame["group"], by)
    ranks = frame["value"].rank()
    grouped = frame.assign(rank=ranks).groupby("group", sort=False)
    desc = pd.DataFrame(
        {
            "group": order,
            "n": [int(grouped.get_group(g)["value"].count()) for g in order],
            "mean": [grouped.get_group(g)["value"].mean() for g in order],
            "sd": [grouped.get_group(g)["value"].std(ddof=1) for g in order],
            "median": [grouped.get_group(g)["value"].median() for g in order],
            "min": [grouped.get_group(g)["value"].min() for g in order],
            "max": [grouped.get_group(g)["value"].max() for g in order],
            "mean_rank": [grouped.get_group(g)["rank"].mean() for g in order],
        }
    )
    block = LayerResult(layer=key, n=len(frame), descriptives=desc)
    if len(frame) == 0:
        return block
    # The tests get group codes 0..k-1 in display order (booleans and mixed values sort
    # and index unambiguously that way); labels are mapped back below.
    codes = (
        frame["group"].map({g: i for i, g in enumerate(order)}).astype("int64")
        if len(order) >= 2
        else frame["group"].map(str)  # one group: the tests only say so, with its name
    )
    values = frame["value"]
    if len(order) == 2:
        block.results["mann_whitney"] = mann_whitney(values, codes)
    else:
        block.results["kruskal_wallis"] = kruskal_wallis(values, codes)
    anova = anova_oneway(values, codes)
    block.results["anova"] = anova
    if anova.ok:
        block.results["welch"] = anova
    if len(order) > 2:
        post = posthoc_means(values, codes)
        kw = block.results["kruskal_wallis"]
        dunn = (
            kw.pairwise[["group1", "group2", "p_adjusted"]].rename(columns={"p_adjusted": "dunn_p"})
            if kw.ok
            else pd.DataFrame(columns=["group1", "group2", "dunn_p"])
        )
        if not post.empty:
            post = post.merge(dunn, on=["group1", "group2"], how="left")
            for col in ("group1", "group2"):
                post[col] = [order[int(c)] for c in post[col]]
            block.posthoc = post
    return block


def _check_against_indicator(
    definition: IndicatorDefinition,
    data: pd.DataFrame,
    groups: list[str],
    population: str,
    eligible: np.ndarray,
    outcome: pd.Series,
    valid: np.ndarray,
) -> None:
    """The table's margins must equal the indicator function's numerators/denominators."""
    reference = definition.reference(data, groups, population)
    reference = reference.dropna(subset=groups)
    for col in groups:
        reference = reference[
            ~reference[col].map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
        ]
    keys = [data[c].where(pd.Series(valid, index=data.index)) for c in groups]
    rows = pd.DataFrame({c: k for c, k in zip(groups, keys, strict=True)})[valid]
    if definition.kind == "distribution":
        ours = rows.assign(n=1).groupby(groups, sort=True)["n"].sum()
        theirs = reference.set_index(groups)["n"]
        theirs = theirs[theirs > 0]
    elif definition.kind == "share":
        hit = outcome[valid].astype(bool).to_numpy()
        ours = (
            rows.assign(numerator=hit.astype(int), denominator=1)
            .groupby(groups, sort=True)[["numerator", "denominator"]]
            .sum()
        )
        theirs = reference.set_index(groups)[["numerator", "denominator"]]
        theirs = theirs[theirs["denominator"] > 0]
    else:
        key = definition.key
        cats = outcome[valid].astype("object").to_numpy()
        ours = (
            rows.assign(**{key: cats, "numerator": 1})
            .groupby([*groups, key], sort=True)["numerator"]
            .sum()
        )
        theirs = reference.set_index([*groups, key])["numerator"]
        theirs = theirs[theirs > 0]
    ours = ours.sort_index()
    theirs = theirs.sort_index()
    if not _same(ours, theirs):
        raise RuntimeError(
            f"compare({definition.name!r}): the cross table does not match the indicator's own "
            "numerators/denominators; this is a bug in the indicator registry, please report it"
        )


def _same(a: pd.Series | pd.DataFrame, b: pd.Series | pd.DataFrame) -> bool:
    if len(a) != len(b):
        return False
    left = a.reset_index()
    right = b.reset_index()
    left.columns = right.columns = range(left.shape[1])
    left = left.astype(str).sort_values(list(left.columns)).reset_index(drop=True)
    right = right.astype(str).sort_values(list(right.columns)).reset_index(drop=True)
    return left.equals(right)


def _full_table(cells: CrosstabCells) -> np.ndarray:
    """Counts with the row totals as last column and the column totals as last row."""
    observed = cells.observed.to_numpy(dtype=float)
    with_rows = np.column_stack([observed, cells.row_totals.to_numpy(dtype=float)])
    bottom = np.append(cells.column_totals.to_numpy(dtype=float), float(cells.n))
    return np.vstack([with_rows, bottom])


def _apply_disclosure(cmp: Comparison) -> None:
    """Hide small counts (and what reveals them) and withhold tests that could.

    All blocks are protected together: within a block the cells of a row or column add up
    to its total, and across layers each cell adds up to the same cell of the "Totaal"
    block, so a count hidden in one year cannot be recovered as total minus other years.
    A block with fewer trajectories than the threshold shows no counts at all.
    """
    k = cmp._k()
    check = disclosure.check_selection(cmp.n_valid, k)
    if not check.ok:
        cmp.message = check.message
        return
    total_block = next(b for b in cmp.layers if b.layer is None)
    if total_block.cells is not None:
        _protect_crosstabs(cmp.layers, total_block, k)
    else:
        _protect_distributions(cmp.layers, total_block, k)


def _protect_crosstabs(blocks: list[LayerResult], total_block: LayerResult, k: int) -> None:
    values: list[np.ndarray] = []
    offsets: list[int] = []
    shapes: list[tuple[int, int]] = []
    start = 0
    for block in blocks:
        full = _full_table(block.cells)
        values.append(full.ravel())
        offsets.append(start)
        shapes.append(full.shape)
        start += full.size
    flat = np.concatenate(values)
    hidden = disclosure._primary(flat, k)
    groups: list[disclosure.Group] = []
    for block, offset, (n_rows, n_cols) in zip(blocks, offsets, shapes, strict=True):
        if block.cells.n < k:
            hidden[offset : offset + n_rows * n_cols] |= flat[offset : offset + n_rows * n_cols] > 0
        for r in range(n_rows):
            members = tuple(offset + r * n_cols + c for c in range(n_cols - 1))
            groups.append((members, offset + r * n_cols + n_cols - 1))
        for c in range(n_cols):
            members = tuple(offset + r * n_cols + c for r in range(n_rows - 1))
            groups.append((members, offset + (n_rows - 1) * n_cols + c))
    if len(blocks) > 1:
        t_index = blocks.index(total_block)
        t_rows = [*total_block.cells.observed.index, "_total"]
        t_cols = [*total_block.cells.observed.columns, "_total"]
        positions = []
        for block in blocks:
            rows = {v: i for i, v in enumerate([*block.cells.observed.index, "_total"])}
            cols = {v: j for j, v in enumerate([*block.cells.observed.columns, "_total"])}
            positions.append((rows, cols))
        for ti, r in enumerate(t_rows):
            for tj, c in enumerate(t_cols):
                members = []
                for b_index, (rows, cols) in enumerate(positions):
                    if b_index == t_index or r not in rows or c not in cols:
                        continue
                    n_cols = shapes[b_index][1]
                    members.append(offsets[b_index] + rows[r] * n_cols + cols[c])
                groups.append((tuple(members), offsets[t_index] + ti * shapes[t_index][1] + tj))
    disclosure._check_groups(flat, groups, "cross table")
    mask = disclosure.protect(flat, hidden, groups)
    shown = np.array(disclosure.format_counts(flat, mask, k), dtype=object)
    for block, offset, shape in zip(blocks, offsets, shapes, strict=True):
        size = shape[0] * shape[1]
        block.hidden = pd.DataFrame(mask[offset : offset + size].reshape(shape))
        block.display_counts = pd.DataFrame(shown[offset : offset + size].reshape(shape))
        block.withheld = bool(block.hidden.to_numpy().any())


def _protect_distributions(blocks: list[LayerResult], total_block: LayerResult, k: int) -> None:
    """Group sizes below the threshold are hidden with their statistics; across layers a
    group's sizes add up to its size in the total block, so one more is hidden there."""
    counts = [b.descriptives["n"].to_numpy(dtype=float) for b in blocks]
    offsets = np.cumsum([0, *[len(c) for c in counts]])[:-1]
    flat = np.concatenate(counts) if counts else np.zeros(0)
    hidden = disclosure._primary(flat, k)
    groups: list[disclosure.Group] = []
    t_index = blocks.index(total_block)
    t_groups = list(total_block.descriptives["group"])
    if len(blocks) > 1:
        for tj, g in enumerate(t_groups):
            members = tuple(
                int(offsets[b]) + list(block.descriptives["group"]).index(g)
                for b, block in enumerate(blocks)
                if b != t_index and g in list(block.descriptives["group"])
            )
            groups.append((members, int(offsets[t_index]) + tj))
    mask = disclosure.protect(flat, hidden, groups)
    for block, offset, c in zip(blocks, offsets, counts, strict=True):
        block.hidden = pd.DataFrame({"n": mask[int(offset) : int(offset) + len(c)]})
        block.withheld = bool(block.hidden["n"].any())


def indicators(kind: str | None = None, lang: Lang = "nl") -> pd.DataFrame:
    """The indicators ``compare`` accepts: name, kind, label, population, report source."""
    rows = [
        {
            "indicator": d.name,
            "kind": d.kind,
            "label": _indicator_label(d, lang),
            "population": d.population,
            "source": d.source,
            "frame": d.frame,
        }
        for d in registry.INDICATORS.values()
        if kind is None or d.kind == kind
    ]
    return pd.DataFrame(rows)
