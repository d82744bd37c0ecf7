"""Writing the audit: ``audit.csv`` for analysis, ``audit.html`` for people, a terminal table.

The HTML is one self-contained Dutch page: what was checked, how many statements per
verdict, the problems with their explanation, and every checked statement below.
"""

from __future__ import annotations

import csv
import html
import io
import os
import tempfile
from collections import Counter
from pathlib import Path

from sofs_lib.audit.core import CHECK_LABELS_NL, COLUMNS, LABELS_NL, VERDICTS_NL, AuditResult, Row
from sofs_lib.audit.rules import DECISION_ERROR, INCONSISTENT, NOT_CHECKABLE, OK, RULES
from sofs_lib.config import ensure_output_dir

CSV_NAME = "audit.csv"
HTML_NAME = "audit.html"

_COLOURS = {
    OK: "#e6f4ea",
    INCONSISTENT: "#fde7e9",
    DECISION_ERROR: "#f8c9cf",
    NOT_CHECKABLE: "#fff4d6",
}


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_table(result: AuditResult, width: int = 60) -> str:
    """The findings as a fixed-width terminal table (statement cut to ``width``)."""
    frame = result.rows
    if not frame:
        return "(no statements checked)"
    rows = []
    for r in frame:
        st = r["statement"]
        stmt = st if len(st) <= width else st[: width - 1] + "…"
        rows.append(
            (
                r["file"],
                str(r["line"]),
                stmt,
                r["check"],
                r["reported"],
                r["recomputed"],
                r["verdict"],
                r["reason"],
            )
        )
    head = ("file", "line", "statement", "check", "reported", "recomputed", "verdict", "reason")
    cut = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head[:-1])]
    cut = [min(c, 48) for c in cut]

    def fmt(row: tuple[str, ...]) -> str:
        cells = [
            (row[i][: cut[i] - 1] + "…") if len(row[i]) > cut[i] else row[i].ljust(cut[i])
            for i in range(len(cut))
        ]
        return "  ".join(cells + [row[-1]]).rstrip()

    return "\n".join([fmt(head), *(fmt(r) for r in rows)])


def summary_line(result: AuditResult) -> str:
    """'N statements checked: a ok, b inconsistent, …'."""
    counts = Counter(r["verdict"] for r in result.rows)
    parts = [
        f"{int(counts.get(v, 0))} {v}" for v in (OK, INCONSISTENT, DECISION_ERROR, NOT_CHECKABLE)
    ]
    return f"{len(result.rows)} statements checked: " + ", ".join(parts)


def _rows_html(frame: list[Row]) -> str:
    out = []
    for row in frame:
        colour = _COLOURS.get(row["verdict"], "#fff")
        cells = [
            row["file"],
            str(row["line"]),
            row["statement"],
            CHECK_LABELS_NL.get(row["check"], row["check"]),
            row["reported"],
            row["recomputed"],
            VERDICTS_NL.get(row["verdict"], row["verdict"]),
            row["reason"],
        ]
        out.append(
            f'<tr style="background:{colour}">'
            + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
            + "</tr>"
        )
    return "\n".join(out)


def render_html(result: AuditResult, title: str = "Controle van de cijfers") -> str:
    """The audit as one Dutch HTML page a non-programmer can read."""
    frame = result.rows
    counts = Counter(r["verdict"] for r in frame)
    files = ", ".join(sorted({r["file"] for r in frame})) or "–"
    head = "".join(f"<th>{html.escape(LABELS_NL[c])}</th>" for c in COLUMNS)
    severity = {DECISION_ERROR: 0, INCONSISTENT: 1, NOT_CHECKABLE: 2}
    problems = sorted(
        (r for r in frame if r["verdict"] != OK),
        key=lambda r: (severity[r["verdict"]], r["file"], r["line"]),
    )
    summary = "".join(
        f'<li style="background:{_COLOURS[v]}"><b>{int(counts.get(v, 0))}</b> '
        f"{html.escape(VERDICTS_NL[v])}</li>"
        for v in (DECISION_ERROR, INCONSISTENT, NOT_CHECKABLE, OK)
    )
    rules = "".join(
        f"<tr><td>{html.escape(r.label_nl)}</td><td>{html.escape(r.tolerance)}</td>"
        f"<td>{html.escape(r.source)}</td></tr>"
        for r in RULES
    )
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; max-width: 1400px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
td, th {{ border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }}
th {{ background: #f0f0f0; position: sticky; top: 0; }}
ul.summary {{ list-style: none; padding: 0; display: flex; gap: 1em; }}
ul.summary li {{ padding: 0.5em 1em; border-radius: 4px; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Gecontroleerd: {html.escape(files)}. Elke rij is een uitspraak uit de tekst
(een toets, een percentage met zijn aantal, een som, een tabel) die opnieuw is berekend.
<b>Klopt</b>: de afgedrukte cijfers passen bij elkaar, rekening houdend met afronding.
<b>Inconsistent</b>: ze kunnen niet allemaal juist zijn. <b>Beslissingsfout</b>: bovendien
wordt een resultaat significant genoemd dat het niet is (of omgekeerd).
<b>Niet controleerbaar</b>: er ontbreekt iets om te rekenen; de toelichting zegt wat.</p>
<ul class="summary">{summary}</ul>
<h2>Wat nagekeken moet worden ({len(problems)})</h2>
<table><thead><tr>{head}</tr></thead><tbody>
{_rows_html(problems)}
</tbody></table>
<details><summary><h2 style="display:inline">Alle gecontroleerde uitspraken ({len(frame)})</h2>
</summary>
<table><thead><tr>{head}</tr></thead><tbody>
{_rows_html(frame)}
</tbody></table></details>
<h2>Regels</h2>
<table><thead><tr><th>controle</th><th>toegelaten afronding</th><th>bron</th></tr></thead>
<tbody>{rules}</tbody></table>
<p>Wat deze controle niet ziet: of een cijfer inhoudelijk juist is (de ruwe data), welke
noemer een percentage zonder aantal heeft, of twee uitspraken op verschillende plaatsen over
hetzelfde cijfer gaan, en cijfers in figuren die als afbeelding verloren gingen.</p>
</body></html>
"""


def to_csv(rows: list[Row]) -> str:
    """The findings as CSV text (comma, quoted where needed, ``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_outputs(result: AuditResult, out: Path) -> dict[str, Path]:
    """Write ``audit.csv`` (UTF-8 with BOM, for Excel) and ``audit.html`` into ``out``."""
    folder = ensure_output_dir(Path(out))
    csv_path, html_path = folder / CSV_NAME, folder / HTML_NAME
    _atomic_write(csv_path, "\ufeff" + to_csv(result.rows))
    _atomic_write(html_path, render_html(result))
    for path in (csv_path, html_path):
        path.chmod(0o644)
    return {"csv": csv_path, "html": html_path}
