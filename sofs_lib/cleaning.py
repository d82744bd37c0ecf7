"""What both cleaners share: result type, quarantine layout, accounting, one atomic writer.

Each export adds only its own steps (``sofs_lib.clean_dashboard``,
``sofs_lib.clean_binc``); the steps every export needs live here once:

- :class:`CleaningResult`: ``quarantine`` + ``report`` and the named cleaned tables
  (``tables()``) every writer and loader reads;
- the quarantine layout: ``source_row``, ``reason_code`` (a stable code),
  ``reason`` (Dutch, for people), then the export's original cells
  (:func:`quarantine_frame`);
- the accounting check: accepted + quarantined + collapsed duplicates = rows read
  (:func:`check_accounting`);
- one output format (:func:`csv_ready`): UTF-8, ``,``-separated, dates ``YYYY-MM-DD``,
  booleans ``true``/``false``, empty for missing, and no cell that a spreadsheet reads
  as a formula (:func:`neutralise`);
- one atomic writer (:func:`write_outputs`): the whole set of files replaces the
  previous set, or nothing changes. A failure (disk full, read-only folder, a folder
  where a file should go) raises :class:`SofsInputError` with one plain message (exit
  status 2 in the CLI) and leaves the previous complete set in place.

Formula neutralisation: a text cell that starts with ``=``, ``+``, ``@``, a tab, a
carriage return, or ``-`` gets a leading ``'`` (the OWASP "CSV injection" advice),
unless the ``-`` starts a plain number (``-5``, ``-2,5``, ``-3%``): ``-2+3+cmd|...`` is a
formula although a digit follows the ``-``. Numbers and ISO dates are untouched. The
``defusedcsv`` package was considered: it wraps ``csv.writer`` row by row (the cleaned
dashboard can hold a million rows, written here by pandas in one vectorised pass), it
leaves a leading tab or carriage return alone, and it rewrites ``|`` inside cells; so
the rule is applied here, vectorised, once for every CSV and XLSX the project writes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib.errors import SofsInputError

#: The first columns of every quarantine table, in this order.
QUARANTINE_FIXED: tuple[str, ...] = ("source_row", "reason_code", "reason")
#: A text cell a spreadsheet would read as a formula (or command) starts like this.
FORMULA_START = r"^(?:[=+@\t\r]|-(?![0-9][0-9.,]*%?$|$))"
#: The prefix that makes such a cell plain text in every spreadsheet.
NEUTRAL_PREFIX = "'"


class CleaningResult:
    """The outcome of cleaning one export: quarantine, quality report, cleaned tables.

    Each export's result (a dataclass) has ``quarantine`` (the layout of
    :func:`quarantine_frame`) and ``report`` (JSON-able), holds its cleaned tables as
    fields and names them in ``tables()`` (file name -> frame), so one writer writes
    every export the same way.
    """

    quarantine: pd.DataFrame
    report: dict

    def tables(self) -> dict[str, pd.DataFrame]:  # pragma: no cover - overridden
        raise NotImplementedError


def quarantine_frame(
    source_row: pd.Series | np.ndarray,
    reason_code: pd.Series | np.ndarray,
    reason: pd.Series | np.ndarray,
    cells: pd.DataFrame | None = None,
    leading: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The quarantine layout: ``leading`` columns (e.g. ``sheet``), then ``source_row``,
    ``reason_code``, ``reason`` (Dutch), then the original cells under their headers."""
    n = len(source_row)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    for name, value in (leading or {}).items():
        out[name] = pd.Series([value] * n, dtype="str")
    out["source_row"] = pd.array(np.asarray(source_row), dtype="Int64")
    out["reason_code"] = pd.Series(np.asarray(reason_code, dtype=object), dtype="str")
    out["reason"] = pd.Series(np.asarray(reason, dtype=object), dtype="str")
    if cells is not None:
        for column in cells.columns:
            name = column if column not in out.columns else f"{column} (export)"
            out[name] = cells[column].to_numpy()
    return out


def check_accounting(what: str, rows_in: int, clean: int, quarantined: int, collapsed: int) -> None:
    """Accepted + quarantined + collapsed duplicates must be every row read (else a bug)."""
    if clean + quarantined + collapsed != rows_in:
        raise RuntimeError(
            f"row accounting broken (a bug in the {what} cleaner): "
            f"{clean} + {quarantined} + {collapsed} != {rows_in}"
        )


def neutralise(values: pd.Series) -> pd.Series:
    """Text cells that would be read as a formula, with a leading ``'``; others unchanged."""
    if values.dtype.kind in "biufcmM" or str(values.dtype) in ("boolean", "Int64", "Float64"):
        return values
    text = values.astype("str")
    risky = text.str.contains(FORMULA_START, regex=True, na=False).to_numpy(dtype=bool)
    if not risky.any():
        return values
    out = values.astype(object).copy()
    out[risky] = NEUTRAL_PREFIX + text[risky]
    return out


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text column neutralised (see :func:`neutralise`); column names too."""
    out = pd.DataFrame(
        {column: neutralise(frame[column]) for column in frame.columns}, index=frame.index
    )
    out.columns = neutralise(pd.Series([str(c) for c in frame.columns], dtype=object)).tolist()
    return out


def csv_ready(data: pd.DataFrame) -> pd.DataFrame:
    """The one output format: ISO dates, ``true``/``false``, empty for missing, neutral text."""
    out = {}
    for column in data.columns:
        series = data[column]
        if series.dtype.kind == "M":
            out[column] = series.dt.strftime("%Y-%m-%d").fillna("")
        elif str(series.dtype) in ("boolean", "bool"):
            out[column] = (
                series.astype("boolean")
                .map({True: "true", False: "false"}, na_action="ignore")
                .astype(object)
                .fillna("")
            )
        else:
            text = series.astype(object).where(series.notna(), "")
            out[column] = neutralise(text.map(str))
    return neutralise_frame(pd.DataFrame(out, columns=data.columns))


def csv_text(data: pd.DataFrame) -> str:
    """A cleaned table as the project's CSV text (``csv_ready``, ``\\n`` line ends)."""
    return csv_ready(data).to_csv(index=False, lineterminator="\n")


def json_text(report: Mapping) -> str:
    """A quality report as JSON text (sorted keys, UTF-8 characters kept)."""
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


Content = str | bytes | Callable[[Path], None]


def write_outputs(out_dir: Path | str, files: Mapping[str, Content]) -> dict[str, Path]:
    """Write a complete set of output files into ``out_dir``, atomically as a set.

    ``files`` maps a file name to its text, its bytes, or a function writing the file at
    the path it is given. Every file is first written into a staging folder inside
    ``out_dir`` (same file system); only when all are complete are they moved into place,
    the previous files kept aside until the last move succeeded and put back if one
    fails. So the folder holds the previous complete set or the new one, never a mix.
    Any failure raises :class:`SofsInputError` naming the folder and the cause.
    """
    from sofs_lib import config

    out = config.ensure_output_dir(Path(out_dir))
    targets = {name: out / name for name in files}
    for name, path in targets.items():
        if path.is_dir():
            raise SofsInputError(f"cannot write {name}: {path} is a folder; move it out of the way")
    try:
        staging = Path(tempfile.mkdtemp(prefix=".sofs-writing-", dir=out))
    except OSError as exc:
        raise SofsInputError(f"cannot write into {out}: {exc.strerror or exc}") from exc
    moved: list[tuple[Path, Path | None]] = []
    try:
        for name, content in files.items():
            path = staging / name
            if callable(content):
                content(path)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        backup = staging / ".previous"
        backup.mkdir()
        for name, target in targets.items():
            kept = None
            if target.exists() or target.is_symlink():
                kept = backup / name
                os.replace(target, kept)
            moved.append((target, kept))
            os.replace(staging / name, target)
    except OSError as exc:
        _roll_back(moved)
        raise SofsInputError(
            f"cannot write the outputs into {out}: {exc.strerror or exc}"
            + (f" ({exc.filename})" if getattr(exc, "filename", None) else "")
            + "; the previous outputs are unchanged"
        ) from exc
    except BaseException:
        _roll_back(moved)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets


def _roll_back(moved: list[tuple[Path, Path | None]]) -> None:
    """Put the previous files back (newest move first); a new file without one goes."""
    for target, kept in reversed(moved):
        try:
            if kept is not None and kept.exists():
                os.replace(kept, target)
            elif kept is None:
                target.unlink(missing_ok=True)
        except OSError:
            pass


def write_result(
    result: CleaningResult, out_dir: Path | str, report_name: str, quarantine_name: str
) -> dict[str, Path]:
    """Write a cleaning result: its tables, its quarantine (CSV) and its report (JSON)."""
    files: dict[str, Content] = {name: csv_text(frame) for name, frame in result.tables().items()}
    files[quarantine_name] = csv_text(result.quarantine)
    files[report_name] = json_text(result.report)
    return write_outputs(out_dir, files)
