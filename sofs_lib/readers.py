"""Read a raw export table (``.xlsx`` via calamine, or a Belgian ``.csv``) as typed cells.

``read_raw_table`` is shared by the dashboard and Binc cleaners. It returns the cells
as people typed them (strings, and for workbooks also the typed values Excel keeps:
``date``/``datetime`` and numbers, so that dates are never lost to a display format),
each row tagged with its ``source_row``: the row number Excel shows (header row of a
normal export = 1).

What the reader settles, so that cleaners do not have to:

- file type: ``.xlsx``/``.xlsm``/``.xls``/``.xlsb``/``.ods`` through calamine (the
  first sheet, or a named one; when the first sheet is not the export but exactly
  that later sheet is, the later one); ``.csv``/``.txt``/``.tsv`` with sniffed encoding
  (BOM, UTF-8, else cp1252; UTF-16 with BOM as Excel's "Unicode text") and separator
  (``;``, ``,``, tab, ``|``; or Excel's ``sep=;`` first line);
- header: the first non-blank row (or, when that row holds none of the expected names,
  the first of the next rows that holds half of them: a title above the header);
  names matched case-insensitively, ignoring
  surrounding spaces, runs of whitespace, ``-``/``_`` (``Fiche-ID`` = ``Fiche ID``)
  and spaces around ``&``; ``aliases`` map other spellings onto a canonical name;
- fully blank rows are skipped (and counted apart);
- every structural problem (unreadable file, wrong type, empty file, no header,
  required columns missing or ambiguous) raises one :class:`SofsInputError` that
  names the problem and every missing column.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib.errors import SofsInputError

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
#: Separators tried when sniffing a text export, in order of preference on a tie.
SEPARATORS = (";", ",", "\t", "|")
#: Name of the column holding the Excel row number of each data row.
SOURCE_ROW = "source_row"

#: Magic bytes of file types people mistake for an export -> what to call them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (e.g. .xlsx/.docx)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.xls/.doc)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"{\\rtf", "an RTF document"),
)
_SNIFF_LINES = 200
#: How many non-blank rows may stand above the header (titles, notes).
_HEADER_SEARCH_ROWS = 10


@dataclass
class RawTable:
    """One raw export table as read, before any cleaning.

    ``frame`` holds one row per non-blank data row: a column per header (named by its
    canonical name when it matched a required/optional name, else by its text as
    typed, stripped) with the cells as typed (``str``, or ``date``/``datetime``/
    ``float``/``int``/``bool`` from a workbook; blank cells as ``""``), plus
    ``source_row`` (int64, the Excel row number).
    """

    frame: pd.DataFrame
    #: canonical (or stripped) column name -> header text exactly as in the file
    headers: dict[str, str]
    #: columns that were neither required nor optional, in file order
    extra_columns: list[str]
    #: optional columns that were not present
    missing_optional: list[str]
    path: Path | None
    file_format: str  #: "xlsx" (any workbook) or "csv"
    header_row: int  #: Excel row number of the header
    blank_rows_skipped: int
    #: non-blank rows above the header (a title), not counted as data
    preamble_rows_skipped: int = 0
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None

    @property
    def data_columns(self) -> list[str]:
        """The columns read from the file (everything but ``source_row``)."""
        return [c for c in self.frame.columns if c != SOURCE_ROW]


# --------------------------------------------------------------------------- headers


def normalise_header(text: object) -> str:
    """The comparison form of a header: case-folded; ``-``, ``_``, ``()``, ``:`` and ``.``
    as spaces; no spaces around ``&``; single spaces (``Fiche-ID`` = ``fiche  id``)."""
    if text is None:
        return ""
    value = str(text).replace("\ufeff", "").casefold()
    value = re.sub(r"[-_():.]+", " ", value)
    value = re.sub(r"\s*&\s*", "&", value)
    return " ".join(value.split())


def _match_headers(
    header_cells: Sequence[str],
    required: Sequence[str],
    optional: Sequence[str],
    aliases: Mapping[str, str],
) -> tuple[list[str], dict[str, str], list[str], list[str]]:
    """Names for each header cell, and the required columns missing.

    Returns ``(names, headers, missing_required, missing_optional)``. A column under
    the expected name itself wins over columns under an alias of it (those stay extra
    columns: the contract's own headers must always be accepted). Raises when two
    columns of the file map onto the same expected column with equal right (ambiguous).
    """
    wanted: dict[str, str] = {}
    for name in (*required, *optional):
        wanted[normalise_header(name)] = name
    exact = set(wanted)
    for alias, target in aliases.items():
        wanted.setdefault(normalise_header(alias), target)
    given_exactly = {
        wanted[normalise_header(str(c))] for c in header_cells if normalise_header(str(c)) in exact
    }

    names: list[str] = []
    headers: dict[str, str] = {}
    claimed: dict[str, list[str]] = {}
    used: set[str] = {SOURCE_ROW}  # the row-number column the reader adds
    for position, cell in enumerate(header_cells):
        original = str(cell)
        form = normalise_header(original)
        canonical = wanted.get(form)
        if canonical in given_exactly and form not in exact:
            canonical = None  # an alias of a column the file also has under its own name
        if canonical is not None:
            claimed.setdefault(canonical, []).append(original.strip())
            name = canonical
        else:
            name = " ".join(original.split()) or f"unnamed_{position + 1}"
        base, n = name, 2
        while name in used:
            name = f"{base} ({n})"
            n += 1
        used.add(name)
        names.append(name)
        headers[name] = original
    clashes = {k: v for k, v in claimed.items() if len(v) > 1}
    if clashes:
        described = "; ".join(
            f"{k!r} is given by {', '.join(repr(h) for h in v)}" for k, v in clashes.items()
        )
        raise SofsInputError(
            f"ambiguous columns: {described}. Keep one column per name and try again."
        )
    missing = [c for c in required if c not in claimed]
    missing_optional = [c for c in optional if c not in claimed]
    return names, headers, missing, missing_optional


# --------------------------------------------------------------------------- file types


def _describe_magic(head: bytes) -> str | None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def _open_workbook(path: Path):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return _with_sheets(path, CalamineWorkbook.from_path(str(path)))
    except (CalamineError, OSError, ValueError) as exc:
        error = exc
    try:  # a workbook saved under another Excel extension (an .xlsx renamed .xls)
        return _with_sheets(path, CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())))
    except (CalamineError, OSError, ValueError):
        pass
    with open(path, "rb") as handle:
        head = handle.read(8)
    what = _describe_magic(head)
    if what and not what.startswith("a zip"):
        detail = f"it is {what}"
    elif what:
        detail = "it is a zip archive but not an Excel workbook (a Word file, perhaps?)"
    elif head and all(b >= 0x20 or b in b"\t\r\n" for b in head.removeprefix(b"\xef\xbb\xbf")):
        detail = "it is a text file (a CSV export named like a workbook?)"
    else:
        detail = f"it cannot be opened as a workbook ({error})"
    raise SofsInputError(f"{path.name} is not a readable Excel workbook: {detail}.") from error


def _with_sheets(path: Path, workbook):
    names = list(workbook.sheet_names)
    if not names:
        raise SofsInputError(f"{path.name} holds no worksheet.")
    return workbook, names


def _sheet_index(path: Path, names: list[str], sheet: str | int) -> int:
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise SofsInputError(
                f"{path.name} has no sheet number {sheet + 1} (sheets: {', '.join(names)})."
            )
        return sheet
    match = [i for i, n in enumerate(names) if normalise_header(n) == normalise_header(sheet)]
    if not match:
        raise SofsInputError(
            f"{path.name} has no sheet called {sheet!r} (sheets: {', '.join(names)})."
        )
    return match[0]


def _sheet_cells(path: Path, workbook, index: int) -> pd.DataFrame:
    """All cells of one sheet, row *i* of the frame being Excel row *i + 1*."""
    from python_calamine import CalamineError

    try:
        rows = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise SofsInputError(f"{path.name}: the worksheet cannot be read ({exc}).") from exc
    width = max((len(r) for r in rows), default=0)
    if not rows or width == 0:
        return pd.DataFrame()
    return pd.DataFrame([list(r) + [""] * (width - len(r)) for r in rows], dtype=object)


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """Text and encoding name: BOMs first, then UTF-8, else cp1252 (else latin-1)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SofsInputError(f"{name} is not a readable text file ({exc}).") from exc
    what = _describe_magic(raw[:8])
    if what or b"\x00" in raw[:4096]:
        detail = f"it is {what}" if what else "it holds binary data"
        raise SofsInputError(f"{name} is not a text (CSV) export: {detail}.")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _split_sample(text: str, sep: str) -> list[list[str]]:
    lines = [line for line in text[: 1 << 18].splitlines() if line.strip()][:_SNIFF_LINES]
    try:
        return list(csv.reader(lines, delimiter=sep))
    except csv.Error:
        return []


def _sniff_separator(text: str, expected: Sequence[str]) -> str:
    """The separator under which the header holds most expected names, then most fields."""
    wanted = {normalise_header(e) for e in expected}
    best: tuple[tuple[int, int, int, int], str] | None = None
    for rank, sep in enumerate(SEPARATORS):
        rows = _split_sample(text, sep)
        if not rows:
            continue
        header = rows[0]
        hits = sum(normalise_header(c) in wanted for c in header)
        widths = [len(r) for r in rows[1:]]
        consistent = sum(w == len(header) for w in widths)
        score = (hits, len(header) if len(header) > 1 else 0, consistent, -rank)
        if best is None or score > best[0]:
            best = (score, sep)
    return best[1] if best else ";"


def _read_text_rows(
    raw: bytes, name: str, expected: Sequence[str]
) -> tuple[pd.DataFrame, str, str]:
    text, encoding = _decode(raw, name)
    hint = re.match(r"\s*sep=(.)[ \t]*\r?\n", text, flags=re.IGNORECASE)
    if hint:
        # Excel's "sep=;" first line: it names the separator and is not shown as a row.
        text = text[hint.end() :]
    if not text.strip():
        raise SofsInputError(f"{name} is empty.")
    sep = hint.group(1) if hint else _sniff_separator(text, expected)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quotechar='"',
            engine="c",
        )
    except pd.errors.ParserError:
        # Ragged rows (more cells than the first line): let the csv module pad them.
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    except pd.errors.EmptyDataError as exc:
        raise SofsInputError(f"{name} is empty.") from exc
    frame.columns = range(frame.shape[1])
    return frame, encoding, sep


# --------------------------------------------------------------------------- blank rows


def _blank_mask(frame: pd.DataFrame) -> np.ndarray:
    """True where a cell is empty: None/NaN or a string of only whitespace.

    Decided once per distinct cell value of the whole table, then spread back.
    """
    if frame.size == 0:
        return np.zeros(frame.shape, dtype=bool)
    cells = frame.to_numpy(dtype=object).ravel()
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    texts = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    is_text = texts.map(type).eq(str).to_numpy()
    empty = np.ones(len(texts) + 1, dtype=bool)  # last slot: code -1, a missing cell
    empty[:-1] = is_text & texts.where(is_text, "x").astype("str").str.strip().eq("").to_numpy()
    return empty[codes].reshape(frame.shape)


# --------------------------------------------------------------------------- public


def read_raw_table(
    path: Path | str,
    *,
    required: Sequence[str] = (),
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    what: str = "export",
) -> RawTable:
    """Read a raw export (workbook or CSV) into a :class:`RawTable`.

    ``required``/``optional`` are the canonical header names the caller expects;
    ``aliases`` maps other spellings (any case/spacing) onto those names. Columns of
    the file that match neither are kept under their own (stripped) header text.
    ``sheet`` picks a worksheet by name (case-insensitive) or 0-based index (default:
    the first). ``what`` names the export in messages ("dashboard export").

    Raises :class:`SofsInputError` (one message, nothing read) when the path is not a
    readable file of a supported type, is empty, has no header row, or lacks required
    columns (all of them named).
    """
    path = Path(path)
    aliases = dict(aliases or {})
    expected = [*required, *optional, *aliases.keys()]
    if not path.exists():
        raise SofsInputError(f"{what}: no file at {path}.")
    if path.is_dir():
        raise SofsInputError(f"{what}: {path} is a folder, not an export file.")
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES | TEXT_SUFFIXES:
        kinds = ", ".join(sorted(EXCEL_SUFFIXES | TEXT_SUFFIXES))
        raise SofsInputError(
            f"{path.name} is not {'an' if what[:1].lower() in 'aeiou' else 'a'} {what}: files of type {suffix or '(no extension)'!r} "
            f"cannot be read; expected one of {kinds}."
        )
    try:
        size = path.stat().st_size
        raw = path.read_bytes() if suffix in TEXT_SUFFIXES else b""
    except OSError as exc:
        raise SofsInputError(f"{path.name} cannot be read: {exc.strerror}.") from exc
    if size == 0:
        article = "an" if what[:1].lower() in "aeiou" else "a"
        raise SofsInputError(f"{path.name} is empty (0 bytes); expected {article} {what}.")

    options = {"required": required, "optional": optional, "aliases": aliases, "what": what}
    if suffix in TEXT_SUFFIXES:
        cells, encoding, separator = _read_text_rows(raw, path.name, expected)
        return _table_from_cells(
            cells, path=path, file_format="csv", encoding=encoding, separator=separator, **options
        )

    workbook, names = _open_workbook(path)
    first = 0 if sheet is None else _sheet_index(path, names, sheet)
    try:
        cells = _sheet_cells(path, workbook, first)
        return _table_from_cells(
            cells, path=path, file_format="xlsx", sheet=names[first], **options
        )
    except SofsInputError as first_error:
        if sheet is not None or len(names) == 1 or not required:
            raise
        # The export may sit on a later sheet (after a manual or a list sheet).
        for index in range(1, len(names)):
            try:
                cells = _sheet_cells(path, workbook, index)
                table = _table_from_cells(
                    cells, path=path, file_format="xlsx", sheet=names[index], **options
                )
            except SofsInputError:
                continue
            return table
        raise first_error from None


def raw_table_from_frame(
    frame: pd.DataFrame,
    *,
    required: Sequence[str] = (),
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
    what: str = "export",
) -> RawTable:
    """A :class:`RawTable` from a frame whose columns are the headers (e.g. a test frame).

    Rows keep a ``source_row`` column when the frame has one; otherwise row *i* gets
    Excel row number *i + 2* (the header being row 1). Header matching, the blank-row
    rule and the missing-column error are the same as for files.
    """
    frame = frame.copy()
    if SOURCE_ROW in frame.columns:
        source_rows = pd.to_numeric(frame.pop(SOURCE_ROW), errors="coerce")
        if source_rows.isna().any():
            raise SofsInputError(f"{what}: column {SOURCE_ROW!r} must hold row numbers.")
        source_rows = source_rows.astype("int64").to_numpy()
    else:
        source_rows = np.arange(2, len(frame) + 2, dtype="int64")
    header = [str(c) for c in frame.columns]
    body = frame.astype(object).where(frame.notna(), "")
    body.columns = range(body.shape[1])
    names, headers, missing, missing_optional = _match_headers(
        header, required, optional, aliases or {}
    )
    if missing:
        unmatched = [headers[n] for n in names if n not in set(required) | set(optional)]
        raise _missing_error(missing, what, "the frame", unmatched)
    body.columns = names
    blank_rows = _blank_mask(body).all(axis=1) if body.shape[1] else np.ones(len(body), bool)
    body = body.loc[~blank_rows].reset_index(drop=True)
    body[SOURCE_ROW] = source_rows[~blank_rows]
    return RawTable(
        frame=body,
        headers=headers,
        extra_columns=[n for n in names if n not in set(required) | set(optional)],
        missing_optional=missing_optional,
        path=None,
        file_format="frame",
        header_row=1,
        blank_rows_skipped=int(blank_rows.sum()),
    )


def _missing_error(
    missing: Sequence[str], what: str, name: str, unmatched: Sequence[str] = ()
) -> SofsInputError:
    """The one message for missing columns: every missing name, and for each a column
    of the file that looks like a misspelling of it."""
    listed = ", ".join(repr(m) for m in missing)
    noun = "a required column is" if len(missing) == 1 else f"{len(missing)} required columns are"
    by_form = {normalise_header(u): u for u in unmatched if str(u).strip()}
    hints = []
    for column in missing:
        close = difflib.get_close_matches(normalise_header(column), list(by_form), n=1, cutoff=0.8)
        if close:
            hints.append(f"{by_form[close[0]]!r} for {column!r}")
    hint = f" Perhaps misspelled: {'; '.join(hints)}." if hints else ""
    return SofsInputError(
        f"{name} is not a complete {what}: {noun} missing: {listed}.{hint} "
        f"Check the header row (names are matched ignoring case and spaces)."
    )


def _table_from_cells(
    cells: pd.DataFrame,
    *,
    required: Sequence[str],
    optional: Sequence[str],
    aliases: Mapping[str, str],
    what: str,
    path: Path,
    file_format: str,
    sheet: str | None = None,
    encoding: str | None = None,
    separator: str | None = None,
) -> RawTable:
    blank = _blank_mask(cells)
    blank_rows = blank.all(axis=1) if cells.shape[1] else np.ones(len(cells), dtype=bool)
    non_blank = np.flatnonzero(~blank_rows)
    if len(non_blank) == 0:
        raise SofsInputError(f"{path.name} is empty: it holds no header and no data.")
    header_idx, preamble = _find_header(
        cells, blank, non_blank, required, [*required, *optional, *aliases]
    )
    header_text = _row_text(cells, blank, header_idx)

    # Columns with neither a header nor any data (trailing empty columns) are dropped.
    data_part = blank[header_idx + 1 :]
    keep = [j for j in range(cells.shape[1]) if header_text[j].strip() or not data_part[:, j].all()]
    header_text = [header_text[j] for j in keep]

    names, headers, missing, missing_optional = _match_headers(
        header_text, required, optional, aliases
    )
    if missing:
        wanted = {normalise_header(n) for n in (*required, *optional, *aliases)}
        if required and not any(normalise_header(h) in wanted for h in header_text):
            first = ", ".join(repr(h) for h in header_text[:4] if h.strip())
            raise SofsInputError(
                f"{path.name} has no header row: the first non-blank row (row "
                f"{header_idx + 1}) holds none of the expected column names "
                f"({', '.join(repr(r) for r in required[:4])}, ...) but {first}. "
                f"Missing {len(missing)} required columns: "
                f"{', '.join(repr(m) for m in missing)}."
            )
        unmatched = [headers[n] for n in names if n not in set(required) | set(optional)]
        raise _missing_error(missing, what, path.name, unmatched)

    body = cells.iloc[header_idx + 1 :, keep]
    body_blank = blank_rows[header_idx + 1 :]
    excel_rows = np.arange(header_idx + 2, len(cells) + 1, dtype="int64")
    body = body.loc[~body_blank].reset_index(drop=True)
    body.columns = names
    body[SOURCE_ROW] = excel_rows[~body_blank]
    return RawTable(
        frame=body,
        headers=headers,
        extra_columns=[n for n in names if n not in set(required) | set(optional)],
        missing_optional=missing_optional,
        path=path,
        file_format=file_format,
        header_row=header_idx + 1,
        blank_rows_skipped=int(body_blank.sum()),
        preamble_rows_skipped=preamble,
        sheet=sheet,
        encoding=encoding,
        separator=separator,
    )


def _row_text(cells: pd.DataFrame, blank: np.ndarray, row: int) -> list[str]:
    return ["" if blank[row, j] else _header_text(cells.iat[row, j]) for j in range(cells.shape[1])]


def _find_header(
    cells: pd.DataFrame,
    blank: np.ndarray,
    non_blank: np.ndarray,
    required: Sequence[str],
    expected: Sequence[str],
) -> tuple[int, int]:
    """The header row and how many non-blank rows stand above it.

    The first non-blank row, unless that row holds none of the expected names and one
    of the next few non-blank rows holds at least half of the required ones (a title
    or note above the header, as people add to a sheet they print).
    """
    first = int(non_blank[0])
    wanted = {normalise_header(e) for e in expected}
    if not required:
        return first, 0

    def hits(row: int) -> int:
        return sum(normalise_header(t) in wanted for t in _row_text(cells, blank, row))

    if hits(first) > 0:
        return first, 0
    needed = max(1, (len(set(required)) + 1) // 2)
    for skipped, row in enumerate(non_blank[1:_HEADER_SEARCH_ROWS], start=1):
        if hits(int(row)) >= needed:
            return int(row), skipped
    return first, 0


def _header_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)
