"""Clean the SofS dashboard export into the contract's tidy frame.

Implements ``shared/contracts/dashboard_export.md`` (raw layout → cleaned fields):
``clean_dashboard`` returns a :class:`CleanResult` (``data``, ``quarantine``,
``report``); ``write_clean`` writes ``dashboard.csv``, ``dashboard_quarantine.csv`` and
``quality_report.json``; ``clean_dashboard_to_dir`` does both (``sofs clean dashboard``).

Decisions the contract leaves open, fixed here:

- *Implausible dates* (before 2015-01-01 or after the export date) become empty and are
  then treated as a blank cell: a step whose only date was implausible is not counted as
  taken (``K_taken`` empty when the other column is blank too).
- *Invalid cells* (text that is neither a date nor ``nee``/``ja``/``x``) are likewise
  treated as blank and counted per column in the quality report.
- *Duplicates* are compared on the cleaned meaning of every contract column, not on the
  typed text: ``4``, ``4.0`` and ``4,0`` are the same count, ``12/03/2022``, ``12-3-22``
  and an Excel date cell of that day the same date, ``nee`` and ``NEEN`` the same word.
  Cells that did not parse are compared on their trimmed, case-folded text. Extra
  columns (not in the contract) are not compared. The first row (lowest Excel row)
  of an exact duplicate group is kept.
- *Identifiers*: organisation and fiche id are trimmed, inner whitespace collapsed;
  case is kept (``Org A`` and ``org a`` are different organisations); a numeric id
  typed as ``12`` or stored as ``12.0`` is ``12``.
- *Network meetings*: a cell with a count is a count; a date cell, Excel serial
  (≥ 10000) or one or more text dates mean a meeting was held (``date``); ``nee``/``ja``
  and other text are ``invalid`` (held unknown) and counted.
- *Quality report* counts describe the rows in ``dashboard.csv`` (after quarantine and
  duplicate collapse), apart from the row accounting and quarantine reasons.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib import cleaning, config
from sofs_lib.catalogue import CASE_TYPE_ALIASES, PLAN_B_ALIASES, STEPS
from sofs_lib.cleaning import CleaningResult, check_accounting, write_result
from sofs_lib.errors import SofsInputError
from sofs_lib.readers import SOURCE_ROW, RawTable, raw_table_from_frame, read_raw_table
from sofs_lib.reference.layouts import (  # noqa: F401  (part of this module's API)
    ALIASES,
    CORE_ALIASES,
    CORE_HEADERS,
    HEADERS,
    ROLE_ALIASES,
    ROLES,
    STEP_HEADERS,
    STEP_NAME_ALIASES,
)
from sofs_lib.schemas.dashboard import DASHBOARD_COLUMNS, validate_dashboard
from sofs_lib.values import (
    Parsed,
    cell_text,
    normalise_id,
    normalise_text,
    parse_counts,
    parse_date_lists,
    parse_dates,
    parse_words,
)

WHAT = "dashboard export"
DATA_FILE = "dashboard.csv"
QUARANTINE_FILE = "dashboard_quarantine.csv"
REPORT_FILE = "quality_report.json"

# The raw layout (headers and their aliases) is reference data: sofs_lib.reference.layouts.


#: Case type spellings beyond the catalogue's (e.g. the manual's "emotionele misbruik").
EXTRA_CASE_TYPE_ALIASES: dict[str, str] = {
    "emotionele misbruik": "EM",
    "emotionele mishandeling": "EM",
    "fysieke mishandeling": "FM",
    "seksuele misbruik": "SM",
    "intrafamiliaal geweld (ifg)": "IFG",
    "ifg intrafamiliaal geweld": "IFG",
}
CASE_TYPE_VOCABULARY: dict[str, str] = {**CASE_TYPE_ALIASES, **EXTRA_CASE_TYPE_ALIASES}
PLAN_B_VOCABULARY: dict[str, str] = {**PLAN_B_ALIASES, "in netwerk": "network"}

#: Counts above these are not believable (a typo or a date typed as a number).
COUNT_MAXIMUM: dict[str, int] = {"network_size": 500, "network_meetings": 500}
#: A number this large in the meetings column is an Excel serial date, not a count.
MEETINGS_SERIAL_FROM = 10_000

#: Date columns that are not steps: internal key -> output column.
DATE_FIELDS: tuple[str, ...] = ("start_date", "consulent_start_date", "end_date", "plan_b_active")

#: Why a row is quarantined: code -> Dutch text shown to people.
QUARANTINE_REASONS: dict[str, str] = {
    "missing_organisation": "Organisatie ontbreekt",
    "missing_trajectory_id": "Fiche ID ontbreekt",
    "missing_organisation_and_trajectory_id": "Organisatie en Fiche ID ontbreken",
    "conflicting_duplicate": "Fiche ID komt meermaals voor met verschillende waarden",
}


@dataclass
class CleanResult(CleaningResult):
    """The outcome of cleaning one export.

    ``data``: the cleaned frame (``schemas.dashboard.DASHBOARD_COLUMNS``, sorted by
    organisation and trajectory_id). ``quarantine``: every rejected row with
    ``source_row``, ``reason_code``, ``reason`` (Dutch) and the original cells under their
    original headers. ``report``: the quality report (see :func:`clean_dashboard`).
    """

    data: pd.DataFrame
    quarantine: pd.DataFrame
    report: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {DATA_FILE: self.data}


# --------------------------------------------------------------------------- reading


def _read(source: Path | str | pd.DataFrame) -> RawTable:
    required = list(HEADERS)
    if isinstance(source, pd.DataFrame):
        return raw_table_from_frame(source, required=required, aliases=ALIASES, what=WHAT)
    if not isinstance(source, str | os.PathLike):
        raise SofsInputError(
            f"cannot clean a {type(source).__name__}: give a path to a {WHAT} or a DataFrame."
        )
    return read_raw_table(Path(source), required=required, aliases=ALIASES, what=WHAT)


def _export_date(value: date | str | None) -> date:
    """The export date as a ``date`` (today when None); ISO text is accepted."""
    if value is None:
        return date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SofsInputError(f"export date must be a date (YYYY-MM-DD), got {value!r}")


# --------------------------------------------------------------------------- fields


def _meetings(
    raw: pd.Series, export_date: date
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, pd.Series]:
    """Count, held flag, public kind (ARCHITECTURE.md), detailed kind and a comparable
    text per cell of the network-meetings column (contract: "in practice sometimes
    one or more dates")."""
    count = parse_counts(raw)
    kind = count.kind.astype("str")
    values = count.values.copy()
    serial_like = (values >= MEETINGS_SERIAL_FROM).fillna(False).to_numpy(dtype=bool)
    values = values.mask(serial_like)
    kind = kind.mask(serial_like, "invalid")
    too_big = (values > COUNT_MAXIMUM["network_meetings"]).fillna(False).to_numpy(dtype=bool)
    values = values.mask(too_big)
    kind = kind.mask(too_big, "implausible_count")

    # Not a count: a single date (typed cell, serial, text), else dates inside text.
    maybe_date = kind.isin(["invalid"]).to_numpy()
    detail = kind.copy()
    # What duplicates are compared on: the count, else the one date, else the text.
    compare = values.astype("str").where(values.notna(), detail + ":" + normalise_text(raw))
    if maybe_date.any():
        single = parse_dates(raw[maybe_date], export_date=export_date)
        one_date = single.values.notna().to_numpy()
        if one_date.any():
            positions = np.flatnonzero(maybe_date)[one_date]
            compare.iloc[positions] = (
                "date:" + single.values[one_date].dt.strftime("%Y-%m-%d")
            ).to_numpy()
        single_kind = single.kind.astype("str")
        several = single_kind.eq("invalid").to_numpy()
        found = single_kind.where(single_kind.isin(["date", "implausible"]), "invalid")
        if several.any():
            listed = parse_date_lists(raw[maybe_date][several], export_date=export_date)
            found[several] = listed.kind.astype("str").to_numpy()
        detail[maybe_date] = found.map(
            {"date": "date", "implausible": "implausible_date", "invalid": "invalid"}
        ).to_numpy()
    public_kind = detail.map(
        {
            "count": "count",
            "date": "date",
            "blank": "blank",
        }
    ).fillna("invalid")
    held = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    has_count = values.notna().to_numpy()
    held[has_count] = (values[has_count] >= 1).to_numpy()
    held[detail.eq("date").to_numpy()] = True
    return values, held, public_kind, detail, compare


def _parse_date_columns(frame: pd.DataFrame, keys: list[str], export: date) -> dict[str, Parsed]:
    """Parse many date columns as one long column (distinct values are shared), then split."""
    n = len(frame)
    stacked = pd.Series(frame[keys].to_numpy(dtype=object).ravel(order="F"), dtype=object)
    both = parse_dates(stacked, export_date=export)
    out: dict[str, Parsed] = {}
    for i, key in enumerate(keys):
        part = slice(i * n, (i + 1) * n)
        values = both.values.iloc[part].set_axis(frame.index)
        kind = both.kind.iloc[part].set_axis(frame.index)
        out[key] = Parsed(values, kind)
    return out


def _step_fields(cb: Parsed, consulent: Parsed) -> dict[str, pd.Series]:
    """``taken``/``date``/``cb``/``consulent`` of one step from its two parsed columns."""
    did_cb = cb.kind.isin(["date", "yes"]).to_numpy()
    did_cons = consulent.kind.isin(["date", "yes"]).to_numpy()
    said_no = (cb.kind.eq("no") | consulent.kind.eq("no")).to_numpy()
    taken = pd.Series(pd.NA, index=cb.kind.index, dtype="boolean")
    taken[said_no] = False
    taken[did_cb | did_cons] = True
    when = pd.concat([cb.values, consulent.values], axis=1).min(axis=1)
    return {
        "taken": taken,
        "date": when.astype("datetime64[ns]"),
        "cb": pd.Series(did_cb, index=cb.kind.index, dtype="boolean"),
        "consulent": pd.Series(did_cons, index=cb.kind.index, dtype="boolean"),
    }


def _canonical(values: pd.Series, kind: pd.Series, raw: pd.Series) -> pd.Series:
    """A comparable text per cell: the cleaned value, else the kind, else the typed text
    (trimmed, case-folded) for cells that did not parse."""
    kind = kind.astype("str")
    shown = values.dt.strftime("%Y-%m-%d") if values.dtype.kind == "M" else values.astype("str")
    fallback = kind.where(kind.isin(["blank", "no", "yes"]), kind + ":" + normalise_text(raw))
    return shown.where(values.notna(), fallback)


# --------------------------------------------------------------------------- cleaning


QUARANTINE_FIXED = cleaning.QUARANTINE_FIXED


def _quarantine_headers(table: RawTable) -> dict[str, str]:
    """Column -> header for the original cells in the quarantine: the header as typed
    (trimmed), made unique and kept apart from the fixed columns."""
    used = set(QUARANTINE_FIXED)
    out: dict[str, str] = {}
    for column in table.data_columns:
        header = " ".join(str(table.headers.get(column, column)).split()) or column
        if header in QUARANTINE_FIXED:
            header = f"export {header}"
        base, n = header, 2
        while header in used:
            header = f"{base} ({n})"
            n += 1
        used.add(header)
        out[column] = header
    return out


def _empty_quarantine(table: RawTable) -> pd.DataFrame:
    columns = [
        "source_row",
        "reason_code",
        "reason",
        *_quarantine_headers(table).values(),
    ]
    return pd.DataFrame({c: pd.Series(dtype="str") for c in columns}).astype(
        {"source_row": "Int64"}
    )


def clean_dashboard(
    source: Path | str | pd.DataFrame, *, export_date: date | None = None
) -> CleanResult:
    """Clean a dashboard export (a file, or a frame whose columns are the raw headers).

    Follows ``shared/contracts/dashboard_export.md`` field by field (see the module
    docstring for the decisions it leaves open). ``export_date`` bounds plausible dates
    (default: today). Raises :class:`SofsInputError` when the source is not a readable
    export; the cleaned frame is validated against ``schemas.dashboard`` (a failure is a
    bug and raises ``CleanedSchemaError``).

    ``report`` holds ``rows_in``, ``rows_clean``, ``rows_quarantined``,
    ``duplicates_collapsed`` (``rows_clean + rows_quarantined + duplicates_collapsed ==
    rows_in``), ``blank_rows_skipped``, ``quarantine_reasons``, ``problems`` (a count
    per kind of problem), ``columns`` (per cleaned column: a count per kind of cell),
    and where the data came from.
    """
    if export_date is None:
        from_file = not isinstance(source, pd.DataFrame)
        export_date = config.export_date(
            "dashboard", path=Path(source) if from_file else None, use_manifest=from_file
        )
    export = _export_date(export_date)
    table = _read(source)
    frame = table.frame.rename(columns=HEADERS)
    index = frame.index

    organisation = normalise_id(frame["organisation"])
    trajectory_id = normalise_id(frame["trajectory_id"])

    parsed = _parse_date_columns(frame, [*DATE_FIELDS, *STEP_HEADERS.values()], export)
    parsed["case_type"] = parse_words(frame["case_type"], CASE_TYPE_VOCABULARY)
    parsed["plan_b"] = parse_words(frame["plan_b"], PLAN_B_VOCABULARY)
    parsed["network_size"] = parse_counts(
        frame["network_size"], maximum=COUNT_MAXIMUM["network_size"]
    )
    meetings, held, meetings_kind, meetings_detail, meetings_compare = _meetings(
        frame["network_meetings"], export
    )

    end = parsed["end_date"].values
    plan_active = parsed["plan_b_active"]
    active = pd.Series(pd.NA, index=index, dtype="boolean")
    active[plan_active.kind.eq("no").to_numpy()] = False
    active[plan_active.kind.isin(["date", "yes"]).to_numpy()] = True

    columns: dict[str, pd.Series] = {
        "organisation": organisation,
        "trajectory_id": trajectory_id,
        "start_date": parsed["start_date"].values,
        "consulent_start_date": parsed["consulent_start_date"].values,
        "end_date": end,
        "status": pd.Series(np.where(end.notna(), "closed", "open"), index=index, dtype="str"),
        "case_type": parsed["case_type"].values,
        "network_size": parsed["network_size"].values,
        "network_meetings": meetings,
        "network_meeting_held": held,
        "plan_b": parsed["plan_b"].values,
        "plan_b_active": active,
        "plan_b_active_date": plan_active.values,
    }
    for step in STEPS:
        fields = _step_fields(parsed[f"{step.key}_cb"], parsed[f"{step.key}_consulent"])
        for part, series in fields.items():
            columns[f"{step.key}_{part}"] = series
    columns["source_row"] = frame[SOURCE_ROW].astype("Int64")
    columns["network_meetings_kind"] = meetings_kind.astype("str")
    cleaned = pd.DataFrame(columns, index=index)[list(DASHBOARD_COLUMNS)]

    reason, collapsed, differs = _triage(
        table, frame, organisation, trajectory_id, parsed, meetings_compare
    )
    quarantined = reason.notna().to_numpy()
    keep = ~quarantined & ~collapsed

    data = (
        cleaned[keep]
        .sort_values(["organisation", "trajectory_id", "source_row"], kind="stable")
        .reset_index(drop=True)
    )
    data = validate_dashboard(data)

    quarantine = _quarantine(
        table, frame, reason, quarantined, organisation, trajectory_id, differs
    )
    report = _report(
        table,
        export,
        parsed=parsed,
        meetings_detail=meetings_detail,
        meetings_public=meetings_kind,
        data=data,
        keep=keep,
        reason=reason[quarantined],
        duplicates=int(collapsed.sum()),
    )
    return CleanResult(data=data, quarantine=quarantine, report=report)


def _triage(
    table: RawTable,
    frame: pd.DataFrame,
    organisation: pd.Series,
    trajectory_id: pd.Series,
    parsed: Mapping[str, Parsed],
    meetings_compare: pd.Series,
) -> tuple[pd.Series, np.ndarray, pd.Series]:
    """Which rows are quarantined (reason code per row, NA when accepted), which are
    exact duplicates of an earlier row (collapsed), and for conflicting rows the
    export headers whose values differ within their group."""
    index = frame.index
    no_org = organisation.isna().to_numpy()
    no_id = trajectory_id.isna().to_numpy()
    reason = pd.Series(pd.NA, index=index, dtype="str")
    reason[no_org & no_id] = "missing_organisation_and_trajectory_id"
    reason[no_org & ~no_id] = "missing_organisation"
    reason[~no_org & no_id] = "missing_trajectory_id"

    identified = ~(no_org | no_id)
    keys = pd.DataFrame({"organisation": organisation, "trajectory_id": trajectory_id})
    shared = identified & keys.duplicated(keep=False).to_numpy()
    collapsed = np.zeros(len(index), dtype=bool)
    differs = pd.Series(dtype="str")
    if not shared.any():
        return reason, collapsed, differs
    # Only rows sharing an id need comparing; compare their cleaned meaning.
    canon = pd.DataFrame(
        {
            key: _canonical(p.values[shared], p.kind[shared], frame[key][shared])
            for key, p in parsed.items()
        }
    )
    canon["network_meetings"] = meetings_compare[shared]
    group = keys[shared].assign(hash=pd.util.hash_pandas_object(canon, index=False))
    variants = group.groupby(["organisation", "trajectory_id"], sort=False)["hash"].transform(
        "nunique"
    )
    conflict = variants.to_numpy() > 1
    reason[group.index[conflict]] = "conflicting_duplicate"
    if conflict.any():
        differs = _differing_columns(canon[conflict], group[conflict], table)
    # Frame rows are in file order, so keep="first" keeps the lowest Excel row.
    consistent = group[~conflict]
    repeat = consistent.duplicated(["organisation", "trajectory_id"], keep="first")
    collapsed[index.get_indexer(consistent.index[repeat.to_numpy()])] = True
    return reason, collapsed, differs


def _differing_columns(canon: pd.DataFrame, keys: pd.DataFrame, table: RawTable) -> pd.Series:
    """Per conflicting row: the export headers whose cleaned values differ in its group."""
    key_to_header = {key: table.headers.get(header, header) for header, key in HEADERS.items()}
    varies = (
        canon.groupby([keys["organisation"], keys["trajectory_id"]], sort=False)
        .transform("nunique")
        .gt(1)
    )
    names = pd.Index([key_to_header.get(c, c) for c in varies.columns]) + ", "
    return varies.dot(names).str.removesuffix(", ")


def _quarantine(
    table: RawTable,
    frame: pd.DataFrame,
    reason: pd.Series,
    quarantined: np.ndarray,
    organisation: pd.Series,
    trajectory_id: pd.Series,
    differs: pd.Series,
) -> pd.DataFrame:
    if not quarantined.any():
        return _empty_quarantine(table)
    rows = table.frame.loc[quarantined]
    codes = reason[quarantined]
    text = codes.map(QUARANTINE_REASONS).astype("str")
    conflict = codes.eq("conflicting_duplicate").to_numpy()
    if conflict.any():
        groups = pd.DataFrame(
            {
                "organisation": organisation[quarantined][conflict],
                "trajectory_id": trajectory_id[quarantined][conflict],
                "row": frame.loc[quarantined, SOURCE_ROW][conflict].astype("str"),
            }
        )
        listed = groups.groupby(["organisation", "trajectory_id"], sort=False)["row"].transform(
            ", ".join
        )
        text[conflict] = (
            "Fiche ID "
            + groups["trajectory_id"]
            + " van "
            + groups["organisation"]
            + " komt meermaals voor met verschillende waarden (rijen "
            + listed
            + "; verschil in: "
            + differs.reindex(groups.index).fillna("?")
            + ")"
        ).to_numpy()
    out = pd.DataFrame(
        {
            "source_row": rows[SOURCE_ROW].astype("Int64"),
            "reason_code": codes.astype("str"),
            "reason": text,
        }
    )
    for column, header in _quarantine_headers(table).items():
        out[header] = cell_text(rows[column])
    return out.sort_values("source_row", kind="stable").reset_index(drop=True)


def _kind_counts(parsed: Parsed, mask: np.ndarray) -> dict[str, int]:
    counts = parsed.kind[mask].value_counts(sort=False)
    return {str(k): int(v) for k, v in counts.items() if v}


def _report(
    table: RawTable,
    export: date,
    *,
    parsed: Mapping[str, Parsed],
    meetings_detail: pd.Series,
    meetings_public: pd.Series,
    data: pd.DataFrame,
    keep: np.ndarray,
    reason: pd.Series,
    duplicates: int,
) -> dict:
    rows_in = len(table.frame)
    per_column: dict[str, dict[str, int]] = {}
    for key, p in parsed.items():
        per_column[key] = _kind_counts(p, keep)
    detail = meetings_detail[keep].value_counts(sort=False)
    per_column["network_meetings"] = {str(k): int(v) for k, v in detail.items() if v}

    date_keys = [*DATE_FIELDS, *STEP_HEADERS.values()]

    def total(keys: list[str], kind: str) -> int:
        return int(sum(per_column[k].get(kind, 0) for k in keys))

    steps_before_start = 0
    for step in STEPS:
        steps_before_start += int((data[f"{step.key}_date"] < data["start_date"]).sum())
    starts = ("start_date", "consulent_start_date", "end_date")
    problems = {
        "implausible_dates": total(date_keys, "implausible")
        + per_column["network_meetings"].get("implausible_date", 0),
        "invalid_dates": total(date_keys, "invalid"),
        "yes_or_no_in_start_or_end_date": total(list(starts), "yes")
        + total(list(starts), "no")
        - per_column["end_date"].get("no", 0),
        "unknown_case_types": per_column["case_type"].get("invalid", 0)
        + per_column["case_type"].get("no", 0),
        "unknown_plan_b": per_column["plan_b"].get("invalid", 0)
        + per_column["plan_b"].get("no", 0),
        "invalid_network_size": per_column["network_size"].get("invalid", 0)
        + per_column["network_size"].get("no", 0)
        + per_column["network_size"].get("yes", 0),
        "implausible_network_size": per_column["network_size"].get("implausible", 0),
        "network_meetings_dates": per_column["network_meetings"].get("date", 0),
        "network_meetings_implausible_dates": per_column["network_meetings"].get(
            "implausible_date", 0
        ),
        "invalid_network_meetings": int((meetings_public[keep] == "invalid").sum())
        - per_column["network_meetings"].get("implausible_date", 0),
        "steps_before_start": steps_before_start,
        "end_before_start": int((data["end_date"] < data["start_date"]).sum()),
        "missing_start_date": int(data["start_date"].isna().sum()),
    }
    reasons = reason.value_counts(sort=False)
    rows_quarantined = int(len(reason))
    report = {
        "source": str(table.path) if table.path else "DataFrame",
        "format": table.file_format,
        "sheet": table.sheet,
        "encoding": table.encoding,
        "separator": table.separator,
        "header_row": table.header_row,
        "export_date": export.isoformat(),
        "rows_in": rows_in,
        "rows_clean": len(data),
        "rows_quarantined": rows_quarantined,
        "duplicates_collapsed": duplicates,
        "blank_rows_skipped": table.blank_rows_skipped,
        "rows_above_header_skipped": table.preamble_rows_skipped,
        "quarantine_reasons": {str(k): int(v) for k, v in sorted(reasons.items()) if v},
        "problems": problems,
        "columns": per_column,
        "extra_columns": [table.headers[c] for c in table.extra_columns],
    }
    check_accounting("dashboard", rows_in, report["rows_clean"], rows_quarantined, duplicates)
    return report


# --------------------------------------------------------------------------- writing


def write_clean(result: CleanResult, out_dir: Path | str) -> dict[str, Path]:
    """Write ``dashboard.csv``, ``dashboard_quarantine.csv`` and ``quality_report.json``.

    The one output format and atomic writer of ``sofs_lib.cleaning``: UTF-8,
    ``,``-separated, ISO dates, ``true``/``false``, empty for missing, no live formula;
    the three files replace the previous three together or not at all. Returns the
    paths by name (``data``, ``quarantine``, ``report``).
    """
    paths = write_result(result, out_dir, REPORT_FILE, QUARANTINE_FILE)
    return {
        "data": paths[DATA_FILE],
        "quarantine": paths[QUARANTINE_FILE],
        "report": paths[REPORT_FILE],
    }


def clean_dashboard_to_dir(
    input_path: Path | str, out_dir: Path | str, *, export_date: date | None = None
) -> CleanResult:
    """Clean ``input_path`` and write the three files into ``out_dir`` (``sofs clean``).

    Nothing is written when the input is not a readable export (the
    :class:`SofsInputError` is raised before the output folder is touched).
    """
    result = clean_dashboard(Path(input_path), export_date=export_date)
    write_clean(result, out_dir)
    return result
