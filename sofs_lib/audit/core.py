"""The audit's entry points (imported lazily through ``sofs_lib.audit``).

``audit_files(paths)`` reads each text (``parse.read_document``), runs every rule of
``rules.RULES`` over it, and returns an ``AuditResult``: ``.findings`` (one row per checked
statement, English column names, the CSV) and ``.table`` (the same rows with Dutch column
names, problems first, ready to show in a notebook). ``audit_figure_table()`` runs the
same checks over ``report_figures.csv``. ``report.write_outputs`` writes ``audit.csv`` and
``audit.html``. Rules, tolerances and sources: ``docs/audit.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sofs_lib.audit.figures import audit_figure_table
from sofs_lib.audit.parse import Document, document_from_text, read_document
from sofs_lib.audit.rules import (
    DECISION_ERROR,
    INCONSISTENT,
    NOT_CHECKABLE,
    OK,
    RULES,
    VERDICTS,
    Finding,
)
from sofs_lib.errors import SofsInputError

if TYPE_CHECKING:
    import pandas as pd

#: Start of the reason when a rule itself failed on a text (a bug to report).
RULE_FAILED = "regel kon deze tekst niet lezen"
COLUMNS = ("file", "line", "statement", "check", "reported", "recomputed", "verdict", "reason")
#: Dutch column labels of ``AuditResult.table``.
LABELS_NL = {
    "file": "bestand",
    "line": "regel",
    "statement": "uitspraak zoals afgedrukt",
    "check": "controle",
    "reported": "gerapporteerd",
    "recomputed": "herberekend",
    "verdict": "oordeel",
    "reason": "toelichting",
}
#: Dutch names of the checks (``AuditResult.table``, the HTML report).
CHECK_LABELS_NL = {
    "p_from_statistic": "p herberekend uit de toetsingsgrootheid",
    "df_plausible": "vrijheidsgraden mogelijk",
    "significance_wording": "woorden ('significant') en p",
    "effect_size_r": "effectgrootte r = z/√N",
    "exp_b": "Exp(B) = e^B",
    "share_of_count": "percentage past bij aantal en n",
    "share_possible_for_n": "percentage mogelijk voor n (GRIM)",
    "shares_total_100": "percentages tellen op tot 100%",
    "parts_sum_to_total": "delen tellen op tot het totaal",
    "mean_possible": "gemiddelde mogelijk voor n (GRIM)",
    "mean_from_distribution": "gemiddelde volgt uit de verdeling",
    "frequency_implied_total": "frequenties geven het totaal",
    "table_chi2": "χ² volgt uit de tabel",
}
VERDICTS_NL = {
    OK: "klopt",
    INCONSISTENT: "inconsistent",
    DECISION_ERROR: "beslissingsfout",
    NOT_CHECKABLE: "niet controleerbaar",
}

Row = dict[str, Any]


@dataclass
class AuditResult:
    """All findings of one audit run: ``rows`` (plain dicts, in ``COLUMNS`` order) and,
    built on first use, the same as pandas frames."""

    rows: list[Row] = field(default_factory=list)

    @cached_property
    def findings(self) -> pd.DataFrame:
        """One row per checked statement, English column names (the CSV)."""
        import pandas as pd

        frame = pd.DataFrame(self.rows, columns=list(COLUMNS))
        return frame.astype({"line": "int64"}) if len(frame) else frame

    @property
    def problems(self) -> pd.DataFrame:
        """Rows whose verdict is not ``ok``."""
        return self.findings[self.findings["verdict"] != OK].reset_index(drop=True)

    @property
    def table(self) -> pd.DataFrame:
        """The findings for people: Dutch labels, problems first, then by file and line."""
        frame = self.findings.copy()
        order = {v: i for i, v in enumerate(VERDICTS)}
        frame["_o"] = frame["verdict"].map(order)
        frame = frame.sort_values(["_o", "file", "line", "check"], kind="stable").drop(columns="_o")
        frame["verdict"] = frame["verdict"].map(VERDICTS_NL)
        frame["check"] = frame["check"].map(lambda c: CHECK_LABELS_NL.get(c, c))
        return frame.rename(columns=LABELS_NL).reset_index(drop=True)

    @property
    def problem_table(self) -> pd.DataFrame:
        """``table`` without the rows that are ``ok``: what a reader should look at."""
        table = self.table
        return table[table[LABELS_NL["verdict"]] != VERDICTS_NL[OK]].reset_index(drop=True)

    def counts(self) -> pd.DataFrame:
        """Findings per check and verdict (rows: checks; columns: verdicts)."""
        import pandas as pd

        table = pd.crosstab(self.findings["check"], self.findings["verdict"])
        return table.reindex(columns=[v for v in VERDICTS if v in table.columns], fill_value=0)


def _rows(file: str, findings: Iterable[Finding]) -> list[Row]:
    return [{"file": file, **asdict(f)} for f in findings]


def audit_document(doc: Document) -> list[Row]:
    """Every rule over one document, as rows (sorted by line, then check), duplicates dropped."""
    findings: list[Finding] = []
    for rule in RULES:
        try:
            findings.extend(rule.func(doc))
        except (ArithmeticError, ValueError, IndexError, KeyError) as exc:
            # A text form no rule foresaw must not end the audit in a traceback: say so.
            findings.append(
                Finding(
                    0,
                    "",
                    rule.id,
                    "–",
                    "–",
                    NOT_CHECKABLE,
                    f"{RULE_FAILED}: {type(exc).__name__}: {exc}",
                )
            )
    rows, seen = [], set()
    for row in sorted(_rows(doc.name, findings), key=lambda r: (r["line"], r["check"])):
        key = (row["line"], row["check"], row["reported"])
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return rows


def audit_text(text: str, name: str = "tekst") -> AuditResult:
    """Audit text in memory (tests, notebooks); no statements found is not an error here."""
    return AuditResult(audit_document(document_from_text(text, name)))


def audit_files(
    paths: Iterable[Path | str | Document],
    *,
    figure_table: bool = False,
    require_statements: bool = True,
) -> AuditResult:
    """Audit text files (and, with ``figure_table``, ``report_figures.csv``).

    ``paths`` may also hold documents already read (``parse.read_document``). A file that is
    not readable text raises ``SofsInputError`` (one plain message). With
    ``require_statements`` a file in which no statement is found raises it too.
    """
    rows: list[Row] = []
    count = 0
    for path in paths:
        count += 1
        doc = path if isinstance(path, Document) else read_document(path)
        found = audit_document(doc)
        if require_statements and not found:
            raise SofsInputError(
                f"{doc.name}: no statistical results, percentages or counts found to check"
            )
        rows.extend(found)
    if figure_table:
        name, findings = audit_figure_table()
        rows.extend(_rows(name, findings))
    if not count and not figure_table:
        raise SofsInputError("no files to audit")
    return AuditResult(rows)


def audit_report(path: Path | str | None = None, *, figure_table: bool = True) -> AuditResult:
    """The audit of the evaluation report (``config.report_text_path()``) and, by default,
    of the figure table: what the data-quality notebook shows."""
    from sofs_lib import config

    target = Path(path) if path is not None else config.report_text_path()
    if not target.exists():
        raise SofsInputError(
            f"report text not found: {target} (set SOFS_REPORT_TEXT to the report as text)"
        )
    return audit_files([target], figure_table=figure_table)
