"""Reading a report as text, and the Dutch and English number forms it prints.

A report arrives as plain text: the PDF converted with ``pdftotext``, a Markdown file, a
copy from a word processor. ``read_document`` refuses what is not text (binary, PDF, empty,
undecodable) with one message for a person; everything else becomes a ``Document``: the
lines as printed plus one *flat* string (lines joined by a space) in which a statement
that runs over a line break (or a blank line) reads as one, with a map from every
character back to its line.

Numbers are read by ``parse_number`` in both conventions: ``10,15`` and ``10.15``,
``,006`` and ``.001``, ``−2,659`` with a typographic minus, ``1.872`` as a thousands
separator where a count is expected.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sofs_lib.errors import SofsInputError

#: Minus signs as typeset (hyphen, en dash, minus sign).
MINUS = "-−–"
#: A signed decimal in either convention: ``-2,659``, ``,35``, ``41.83``, ``10``.
NUM = rf"[{MINUS}]?\s?(?:\d+(?:[.,]\d+)?|[.,]\d+)"
#: A count, with optional thousands separator (``1.872``, ``1 872``).
COUNT = r"\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?!\d)(?![.,]\d)|\d+"
#: Comparison signs of a printed result.
CMP = r"[=<>≤≥]"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00c0-\u00dd“\"‘'(•])|\s+(?=[-•]\s+\d)")
_MARKDOWN_NOISE = re.compile(r"(\*\*|__|`|^#{1,6}\s+|^\s*>\s?)", re.MULTILINE)
_TABLE_PIPE = re.compile(r"\s*\|\s*")

MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class Num:
    """A number as printed: its value and how many decimals it was printed with."""

    value: float
    decimals: int
    text: str

    @property
    def half_unit(self) -> float:
        """Half of the last printed digit: the rounding allowance of this number."""
        return 0.5 * 10.0 ** (-self.decimals)


def parse_number(text: str) -> Num:
    """A printed decimal in Dutch or English form; raises ValueError when it is none.

    ``,006`` / ``.006`` -> 0.006; ``10,15`` / ``10.15`` -> 10.15; ``−3,33`` -> -3.33.
    When both separators occur (``1.234,5`` or ``1,234.5``) the last one is the decimal.
    """
    raw = text.strip()
    t = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    sign = 1.0
    if t and t[0] in MINUS:
        sign, t = -1.0, t[1:]
    if not t or not re.fullmatch(r"[\d.,]+", t) or not re.search(r"\d", t):
        raise ValueError(f"not a number: {text!r}")
    if "," in t and "." in t:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if dec == "," else ","
        t = t.replace(thousands, "")
    else:
        dec = "," if "," in t else "."
    if t.count(dec) > 1:
        raise ValueError(f"not a number: {text!r}")
    whole, _, frac = t.partition(dec)
    value = float(f"{whole or '0'}.{frac or '0'}")
    return Num(sign * value, len(frac), raw)


def parse_count(text: str) -> int:
    """A printed count: ``1.872``, ``1 872`` and ``1872`` are all 1872."""
    t = re.sub(r"[.\u00a0\u202f ]", "", text.strip())
    if not t.isdigit():
        raise ValueError(f"not a count: {text!r}")
    return int(t)


@dataclass
class Document:
    """A report as lines, plus the flat text in which statements may span lines."""

    name: str
    lines: list[str]
    flat: str = field(init=False)
    _starts: list[int] = field(init=False, repr=False)
    #: Structures found once and shared by the rules (tables, list blocks).
    cache: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line) + 1
        self._starts = starts
        self.flat = " ".join(self.lines)

    def line_of(self, offset: int) -> int:
        """The 1-based line number of a character of ``flat``."""
        return bisect.bisect_right(self._starts, offset)

    def offset_of(self, line_no: int) -> int:
        """Where 1-based line ``line_no`` starts in ``flat``."""
        return self._starts[line_no - 1]

    def snippet(self, start: int, end: int, limit: int = 160) -> str:
        """The statement as printed, on one line (whitespace collapsed)."""
        text = re.sub(r"\s+", " ", self.flat[start:end]).strip()
        return text if len(text) <= limit else text[: limit - 1] + "…"

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Spans of sentences (and list items) of ``flat``."""
        spans, begin = [], 0
        for m in _SENTENCE_END.finditer(self.flat):
            if m.start() > begin:
                spans.append((begin, m.start()))
            begin = m.end()
        if begin < len(self.flat):
            spans.append((begin, len(self.flat)))
        return spans

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_around(self, offset: int) -> tuple[int, int]:
        """The span of the sentence that holds ``offset``."""
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        return self.sentences[max(i, 0)]

    def windows(self, marker: re.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
        """Merged spans of ``flat`` around each match of ``marker``: where a costly pattern
        can match at all (a share needs a '%'), so it need not scan the whole text."""
        spans: list[tuple[int, int]] = []
        for m in marker.finditer(self.flat):
            lo, hi = max(0, m.start() - before), min(len(self.flat), m.end() + after)
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
            else:
                spans.append((lo, hi))
        return spans


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.05


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SofsInputError(f"{name}: cannot read the UTF-16 text ({exc.reason})") from exc
    if data.startswith(b"%PDF"):
        raise SofsInputError(
            f"{name} is a PDF, not text: convert it first (pdftotext -layout {name} out.txt)"
        )
    if _looks_binary(data):
        raise SofsInputError(f"{name} is a binary file, not text (or UTF-16 without a BOM)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SofsInputError(
            f"{name}: unreadable text encoding (neither UTF-8 nor Windows-1252); "
            "save it as UTF-8 and try again"
        ) from exc
    odd = sum(1 for ch in text if not (ch.isprintable() or ch in "\t\r\n\f"))
    if odd / max(len(text), 1) > 0.01:
        raise SofsInputError(f"{name}: unreadable text encoding; save it as UTF-8 and try again")
    return text


def _clean_markdown(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line) and "-" in line and "|" in line:
            lines.append("")  # a Markdown table rule |---|---|
            continue
        if line.lstrip().startswith("|"):
            line = _TABLE_PIPE.sub("  ", line.strip().strip("|")).strip()
        lines.append(line)
    return _MARKDOWN_NOISE.sub("", "\n".join(lines))


def document_from_text(text: str, name: str = "tekst", *, markdown: bool = False) -> Document:
    """A ``Document`` from text in memory (tests, notebooks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if markdown:
        text = _clean_markdown(text)
    if not text.strip():
        raise SofsInputError(f"{name} is empty: there is nothing to audit")
    return Document(name, text.split("\n"))


def read_document(path: Path | str) -> Document:
    """Read a text, Markdown or ``pdftotext`` file; one plain message when it cannot be."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise SofsInputError(f"file not found: {path}")
    if path.is_dir():
        raise SofsInputError(f"{path} is a folder, not a text file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SofsInputError(f"{name} is {size // 1_000_000} MB: too large for a report text")
        data = path.read_bytes()
    except OSError as exc:
        raise SofsInputError(f"cannot read {path}: {exc.strerror}") from exc
    if not data.strip():
        raise SofsInputError(f"{name} is empty: there is nothing to audit")
    text = _decode(data, name)
    return document_from_text(text, name, markdown=path.suffix.lower() in {".md", ".markdown"})
