"""Where a report's tables are: a caption ('Tabel 5.') up to its note or the next prose, with
the table's n; found once per document and shared by the rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sofs_lib.audit.parse import COUNT, Document, parse_count

N_EQ = re.compile(rf"(?<![A-Za-z])[nN]\s*=\s*(?P<n>{COUNT})(?![.,]\d)")
PCT_NUM = r"\d{1,3}(?:[.,]\d+)?"


def line_span(doc: Document, first: int, last: int) -> tuple[int, int]:
    start = doc.offset_of(first)
    end = doc.offset_of(last) + len(doc.lines[last - 1])
    return start, end


_CAPTION = re.compile(r"^\s*(?:Tabel|Table)\s+\d+\s*[.:]", re.I)
FIG_CAPTION = re.compile(r"^\s*(?:Figuur|Figure|Grafiek)\s+\d+\s*[.:]", re.I)
_NOTE = re.compile(r"^\s*(?:Noot|Note|Bron|Source)\b", re.I)


@dataclass
class Table:
    caption_line: int
    first: int  # first line after the caption
    last: int
    n: int | None


def tables_of(doc: Document) -> list[Table]:
    if "tables" not in doc.cache:
        doc.cache["tables"] = _find_tables(doc)
    return doc.cache["tables"]


def _find_tables(doc: Document) -> list[Table]:
    tables = []
    lines = doc.lines
    i = 0
    while i < len(lines):
        if not _CAPTION.match(lines[i]):
            i += 1
            continue
        caption = lines[i]
        j = i + 1
        if caption.count("(") > caption.count(")"):
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines):
                caption += " " + lines[j]
                j += 1
        nm = N_EQ.search(caption)
        prose = 0
        k = j
        while k < len(lines):
            text = lines[k].strip()
            if _NOTE.match(text) or _CAPTION.match(text) or FIG_CAPTION.match(text):
                break
            if len(text) >= 85 and not re.match(r"^[-•*–]", text):
                prose += 1
                if prose >= 3:
                    k -= 2
                    break
            elif text:
                prose = 0
            k += 1
        tables.append(Table(i + 1, j + 1, k, parse_count(nm.group("n")) if nm else None))
        i = max(k, i + 1)
    return tables


def structured_spans(doc: Document) -> list[tuple[int, int]]:
    if "spans" in doc.cache:
        return doc.cache["spans"]
    spans = []
    for t in tables_of(doc):
        spans.append(line_span(doc, t.caption_line, max(t.last, t.caption_line)))
    doc.cache["spans"] = spans
    return spans


def in_spans(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)
