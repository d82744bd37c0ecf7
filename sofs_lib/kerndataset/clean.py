"""Clean filled kerndataset workbooks and survey-tool exports (contract: docs/kerndataset.md).

Sources:

- the **registration workbook** (``sofs kerndataset template``): one sheet per moment
  (``Afronding``, ``6 maanden``, ``12 maanden``), headers as :func:`instrument.sheet_headers`;
- **survey-tool exports** (``.csv``/``.xlsx``, e.g. Microsoft Forms): one row per
  submitted parent/child survey, always moment *closure*. Columns are matched to items by
  item id (``O15``, ``K1a``), by the item's Dutch text, or by its number and text
  (``15. De doelen, ...``); ``Fiche ID`` is required, ``Organisatie`` unless given as a
  parameter; the completion time (``Tijd van voltooien``) decides between two submissions;
  name and e-mail columns are never read into the result.

Rules (each counted in ``report``; nothing dropped silently):

- a row without Organisatie or Fiche ID, or whose Fiche ID is not a trajectory of that
  organisation in the dashboard export, is **quarantined** with its reason and cells;
- a row with nothing filled in beyond its keys and contact date (a prefilled template
  row) is skipped and counted (``rows_without_answers``);
- answer labels typed in other forms (``akkoord ``, ``Akk.``, ``4``) are mapped when the
  form is listed in :data:`instrument.SCALE_VARIANTS` or is a number on a numeric scale,
  and every mapping is counted by typed form; anything else becomes missing and is listed
  in ``cell_issues`` (moment, row, column, typed value, reason);
- **an item answered twice** (two rows for the same organisation × Fiche ID × moment — two
  workbook rows, or workbook and survey export): per field the answer of the *latest*
  registration wins (latest completion/contact date; without dates the later row, a
  survey export after the workbook); a blank never overwrites an answer. Merged rows are
  counted (``rows_merged``), and so are items answered twice with the same and with a
  different value;
- consent is recorded when the closure row has a consent date and a contact channel
  (not ``Geen toestemming``); a consent date after a follow-up contact date is flagged
  (``consent_after_contact``) and counted, as is a follow-up contact without consent.

Accounting per sheet and in total: ``rows_in = rows_clean + rows_quarantined + rows_merged
+ rows_without_answers``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib import config
from sofs_lib.errors import SofsInputError
from sofs_lib.kerndataset import instrument as ins
from sofs_lib.readers import SOURCE_ROW, RawTable, raw_table_from_frame, read_raw_table
from sofs_lib.values import cell_text, normalise_id, parse_counts, parse_dates

WHAT = "kerndataset"
DATA_FILE = "kerndataset.csv"
QUARANTINE_FILE = "kerndataset_quarantine.csv"
CELL_ISSUES_FILE = "kerndataset_cell_issues.csv"
REPORT_FILE = "kerndataset_quality_report.json"
#: A count above this is not a number of people around one family.
COUNT_MAXIMUM = 50

REASONS: dict[str, str] = {
    "missing_organisation": "Organisatie ontbreekt",
    "missing_trajectory_id": "Fiche ID ontbreekt",
    "unknown_trajectory": "Fiche ID komt niet voor in de dashboardexport van deze organisatie",
}
CELL_REASONS: dict[str, str] = {
    "invalid_answer": "Antwoord niet herkend",
    "invalid_date": "Geen datum",
    "implausible_date": "Onmogelijke datum (te vroeg of na de exportdatum)",
    "invalid_count": "Geen aantal (geheel getal)",
    "implausible_count": "Onwaarschijnlijk groot aantal",
}
#: Survey-tool columns that hold personal data: never read into the result.
PERSONAL_COLUMNS: tuple[str, ...] = ("Naam", "E-mail", "Email", "Name")
#: Survey-tool column with the completion time, and its other spellings.
COMPLETED_COLUMN = "Tijd van voltooien"
COMPLETED_ALIASES: dict[str, str] = {
    "Completion time": COMPLETED_COLUMN,
    "Voltooid": COMPLETED_COLUMN,
    "Tijdstempel": COMPLETED_COLUMN,
    "Timestamp": COMPLETED_COLUMN,
    "Ingediend op": COMPLETED_COLUMN,
}


@dataclass
class KernCleanResult:
    """Cleaned kerndataset.

    ``data``: one row per organisation × Fiche ID × moment (``schemas.kerndataset``);
    ``quarantine``: rejected rows (``moment``, ``source``, ``source_row``, ``reason_code``,
    ``reason``, ``cells`` as JSON); ``cell_issues``: cells that became missing;
    ``report``: counts (module docstring).
    """

    data: pd.DataFrame
    quarantine: pd.DataFrame
    cell_issues: pd.DataFrame
    report: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- values


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().replace(".", " ").split())


def parse_scale(values: pd.Series, scale: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Values of an answer scale from typed cells.

    Returns ``(values, form, label)``: the scale value (NA when blank or not recognised),
    the form found per cell (``blank``, ``label``, ``variant``, ``number``, ``invalid``) and
    the label it was read as (for counting mappings).
    """
    spec = ins.SCALES[scale]
    labels = {_norm(label): label for label in spec.labels}
    variants = {_norm(k): v for k, v in ins.SCALE_VARIANTS.get(scale, {}).items()}
    numeric = scale in ins.NUMERIC_SCALES
    text = normalise_id(values).fillna("")
    uniques = pd.unique(text)
    lookup: dict[str, tuple[str, str | None]] = {}
    for typed in uniques:
        key = _norm(typed)
        if key == "":
            lookup[typed] = ("blank", None)
        elif key in labels:
            lookup[typed] = ("label", labels[key])
        elif key in variants:
            lookup[typed] = ("variant", variants[key])
        elif numeric and key.isdigit() and 1 <= int(key) <= len(spec.labels):
            lookup[typed] = ("number", spec.labels[int(key) - 1])
        else:
            lookup[typed] = ("invalid", None)
    form = text.map(lambda t: lookup[t][0]).astype("str")
    label = text.map(lambda t: lookup[t][1]).astype("str")
    mapping = spec.mapping()
    raw = label.map(mapping, na_action="ignore")
    if scale == "ja_nee":
        out = pd.Series(pd.array(raw.tolist(), dtype="boolean"), index=values.index)
    elif scale == "netwerk_verblijf":
        out = pd.Series(pd.array(raw.tolist(), dtype="str"), index=values.index)
    else:
        out = pd.Series(pd.array(raw.tolist(), dtype="Int64"), index=values.index)
    return out, form, label


def _consent_channel(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    allowed = {_norm(c): c for c in (*ins.CONSENT_CHANNELS, ins.NO_CONSENT)}
    allowed |= {_norm(k): v for k, v in ins.CONSENT_VARIANTS.items()}
    text = normalise_id(values).fillna("")
    key = text.map(_norm)
    channel = key.map(allowed)
    form = np.where(key.eq(""), "blank", np.where(channel.notna(), "value", "invalid"))
    return pd.Series(pd.array(channel.tolist(), dtype="str"), index=values.index), pd.Series(
        form, index=values.index
    )


# --------------------------------------------------------------------------- reading


def _item_aliases(moment: str, survey: bool) -> dict[str, str]:
    """Other names of item columns -> workbook header (item id, Dutch text, numbered text)."""
    aliases: dict[str, str] = dict(ins.HEADER_ALIASES)
    for _, item in ins.items_for(moment).iterrows():
        header = item["header"]
        for name in (item["item_id"], item["text"]):
            if name != header:
                aliases[name] = header
        if item["item_id"][0] in "OK" and item["item_id"][1:2].isdigit():
            number = item["item_id"][1:]
            aliases[f"{number}. {item['text']}"] = header
            aliases[f"{number} {item['text']}"] = header
            if item["item_id"].startswith("K1"):
                # the five parts of question 1: the part alone, as a form lists them
                part = item["text"].removeprefix("Heb je het gevoel dat deze persoon ")
                aliases[part] = header
    if survey:
        aliases |= COMPLETED_ALIASES
    return aliases


def _read_sheet(
    source: Path | pd.DataFrame, moment: str, *, sheet: str | None, survey: bool
) -> RawTable:
    headers = ins.sheet_headers(moment)
    required = list(ins.KEY_COLUMNS)
    if survey:
        required = ["Fiche ID"]
        optional = ["Organisatie", COMPLETED_COLUMN, *headers[2:]]
    else:
        optional = headers[2:]
    aliases = _item_aliases(moment, survey)
    what = f"kerndataset ({ins.MOMENT_SHEETS[moment]})" if not survey else "enquête-export"
    if isinstance(source, pd.DataFrame):
        return raw_table_from_frame(
            source, required=required, optional=optional, aliases=aliases, what=what
        )
    return read_raw_table(
        source, required=required, optional=optional, aliases=aliases, sheet=sheet, what=what
    )


def _workbook_sheets(path: Path) -> dict[str, str]:
    """moment -> sheet name as in the workbook (matched ignoring case/spaces)."""
    from python_calamine import CalamineWorkbook

    try:
        names = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception as exc:  # calamine raises several types for non-workbooks
        raise SofsInputError(f"{path.name} is geen leesbare werkmap: {exc}") from exc
    found = {}
    for moment, wanted in ins.MOMENT_SHEETS.items():
        for name in names:
            if _norm(name) == _norm(wanted) or _norm(name).replace(" ", "") == _norm(
                wanted
            ).replace(" ", ""):
                found[moment] = name
    if not found:
        raise SofsInputError(
            f"{path.name} is geen kerndataset-werkmap: geen tabblad "
            + ", ".join(repr(s) for s in ins.MOMENT_SHEETS.values())
            + f" (gevonden: {', '.join(names)})."
        )
    return found


# --------------------------------------------------------------------------- one table


def _table_rows(
    table: RawTable, moment: str, source: str, export: date, organisation: str | None
) -> tuple[pd.DataFrame, list[dict], Counter, Counter]:
    """The parsed rows of one sheet/export (before keys are checked) and its cell issues."""
    frame = table.frame
    index = frame.index
    out: dict[str, pd.Series] = {}
    issues: list[dict] = []
    problems: Counter = Counter()
    mappings: Counter = Counter()

    def issue(mask: pd.Series, column: str, code: str) -> None:
        if not mask.any():
            return
        typed = cell_text(frame.loc[mask, column])
        for row, value in zip(frame.loc[mask, SOURCE_ROW], typed, strict=True):
            issues.append(
                {
                    "moment": moment,
                    "source": source,
                    "source_row": int(row),
                    "column": table.headers.get(column, column),
                    "typed": value,
                    "reason_code": code,
                    "reason": CELL_REASONS[code],
                }
            )
        problems[f"{code}"] += int(mask.sum())

    def column(name: str) -> pd.Series:
        if name in frame.columns:
            return frame[name]
        return pd.Series("", index=index, dtype=object)

    org = normalise_id(column("Organisatie"))
    if organisation is not None:
        org = org.fillna(organisation)
    out["organisation"] = org
    out["trajectory_id"] = normalise_id(column("Fiche ID"))
    out["moment"] = pd.Series(moment, index=index, dtype="str")

    def dates(name: str, target: str) -> None:
        parsed = parse_dates(column(name), export_date=export)
        out[target] = parsed.values.astype("datetime64[ns]")
        issue(parsed.kind.eq("invalid") | parsed.kind.isin(["no", "yes"]), name, "invalid_date")
        issue(parsed.kind.eq("implausible"), name, "implausible_date")

    if source == "survey_export":
        parsed = parse_dates(column(COMPLETED_COLUMN), export_date=export)
        out["contact_date"] = parsed.values.dt.normalize().astype("datetime64[ns]")
        out["_order_time"] = parsed.values.astype("datetime64[ns]")
    else:
        dates("Contactdatum", "contact_date")
        out["_order_time"] = out["contact_date"]
    if moment == "closure" and source == "workbook":
        dates("Toestemming datum", "consent_date")
        channel, form = _consent_channel(column("Toestemming kanaal"))
        out["consent_channel"] = channel
        issue(form.eq("invalid"), "Toestemming kanaal", "invalid_answer")
        out["binc_child_id"] = normalise_id(column("Kind ID (Binc)"))
    if moment != "closure":
        reached, form, _ = parse_scale(column("Bereikt"), "ja_nee")
        out["reached"] = reached
        issue(form.eq("invalid"), "Bereikt", "invalid_answer")

    for _, item in ins.items_for(moment).iterrows():
        header, item_id, scale = item["header"], item["item_id"], item["scale"]
        if header not in frame.columns or _all_blank(frame[header]):
            continue
        if scale == "count":
            parsed = parse_counts(frame[header], maximum=COUNT_MAXIMUM)
            out[item_id] = parsed.values
            issue(parsed.kind.isin(["invalid", "no", "yes", "date"]), header, "invalid_count")
            issue(parsed.kind.eq("implausible"), header, "implausible_count")
        elif scale == "text":
            text = cell_text(frame[header]).str.strip()
            out[item_id] = text.where(text.ne(""))
        else:
            values, form, label = parse_scale(frame[header], scale)
            out[item_id] = values
            issue(form.eq("invalid"), header, "invalid_answer")
            typed = cell_text(frame[header])  # as typed, spaces included
            for kind in ("variant", "number"):
                mask = form.eq(kind)
                for t, lab in zip(typed[mask], label[mask], strict=True):
                    mappings[(scale, kind, t, lab)] += 1
            exact = form.eq("label") & typed.ne(label)
            for t, lab in zip(typed[exact], label[exact], strict=True):
                mappings[(scale, "case_or_spacing", t, lab)] += 1
    remarks = cell_text(column("Opmerkingen")).str.strip()
    out["remarks"] = remarks.where(remarks.ne(""))
    out["source"] = pd.Series(source, index=index, dtype="str")
    out["source_row"] = frame[SOURCE_ROW].astype("Int64")
    parsed_frame = pd.DataFrame(out, index=index)
    answered = [c for c in parsed_frame.columns if c not in _NOT_ANSWERS]
    parsed_frame["_has_answer"] = parsed_frame[answered].notna().any(axis=1)
    cells = frame[[c for c in frame.columns if c != SOURCE_ROW and c not in _personal(table)]]
    parsed_frame["_cells"] = [
        json.dumps(
            {table.headers.get(k, k): v for k, v in zip(cells.columns, row, strict=True) if v},
            ensure_ascii=False,
        )
        for row in cell_text_frame(cells).itertuples(index=False)
    ]
    return parsed_frame, issues, problems, mappings


#: Fields that do not make a row a registration (a prefilled row with a date only is empty).
_NOT_ANSWERS = frozenset(
    {"organisation", "trajectory_id", "moment", "source", "source_row", "_order_time",
     "contact_date"}  # fmt: skip
)


def _all_blank(values: pd.Series) -> bool:
    """Every cell empty (a column nobody filled in): nothing to parse."""
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        return bool((values.isna() | values.astype("str").str.strip().eq("")).all())
    return bool(values.isna().all())


def _personal(table: RawTable) -> set[str]:
    personal = {_norm(p) for p in PERSONAL_COLUMNS}
    return {c for c in table.frame.columns if _norm(c) in personal}


def cell_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({c: cell_text(frame[c]) for c in frame.columns}, index=frame.index)


# --------------------------------------------------------------------------- merge


def _merge_twice(rows: pd.DataFrame) -> tuple[pd.DataFrame, int, Counter]:
    """One row per organisation × Fiche ID × moment by the latest-answer-wins rule."""
    keys = ["organisation", "trajectory_id", "moment"]
    counts: Counter = Counter()
    order_time = rows["_order_time"].fillna(pd.Timestamp.min)
    rows = rows.assign(_t=order_time, _src=rows["source"].eq("survey_export").astype(int))
    rows = rows.sort_values([*keys, "_t", "_src", "_seq"], kind="stable")
    dup = rows.duplicated(keys, keep=False)
    if not dup.any():
        return rows.drop(columns=["_t", "_src"]), 0, counts
    single = rows[~dup]
    value_columns = [c for c in rows.columns if c not in (*keys, "_t", "_src", "_seq")]
    item_ids = set(ins.load_items()["item_id"])
    # Per group (rows in answer order): each column's latest non-blank answer (a blank
    # never overwrites; a column blank in every row stays blank), "_has_answer" if any row
    # has an answer.
    groups = rows[dup].groupby(keys, sort=True)
    merged = groups.last()
    if "_has_answer" in value_columns:
        merged["_has_answer"] = groups["_has_answer"].any()
    for column in value_columns:
        if column not in item_ids:
            continue
        answers = rows.loc[dup, [*keys, column]].dropna(subset=[column])
        answers[column] = answers[column].map(str)
        per_group = answers.groupby(keys, sort=False)[column].agg(["size", "nunique"])
        twice = per_group[per_group["size"] > 1]
        for key, n in (
            ("items_answered_twice_same", int(twice["nunique"].eq(1).sum())),
            ("items_answered_twice_conflicting", int(twice["nunique"].ne(1).sum())),
        ):
            if n:
                counts[key] += n
    merged = merged.reset_index()[list(rows.columns)]
    out = pd.concat([single, merged.astype(single.dtypes.to_dict())], ignore_index=True)
    return out.drop(columns=["_t", "_src"]), int(dup.sum()) - len(merged), counts


# --------------------------------------------------------------------------- public


def clean_kerndataset(
    workbook: Path | str | dict[str, pd.DataFrame] | None = None,
    *,
    survey_exports: Sequence[Path | str | pd.DataFrame] = (),
    dashboard: pd.DataFrame | None = None,
    organisation: str | None = None,
    export_date: date | None = None,
) -> KernCleanResult:
    """Clean a filled registration workbook and/or survey-tool exports.

    ``workbook``: the path of a filled workbook, or ``{moment: frame}`` with the raw
    headers (tests). ``survey_exports``: survey-tool exports (closure surveys).
    ``dashboard``: the cleaned dashboard frame; when given, a Fiche ID that is not a
    trajectory of its organisation is quarantined. ``organisation``: fills a blank
    Organisatie (an organisation's own exports). ``export_date``: later dates are
    implausible (default today).
    """
    if workbook is None and not survey_exports:
        raise SofsInputError("kerndataset: geef een werkmap of minstens één enquête-export.")
    export = export_date or date.today()
    tables: list[tuple[str, str, RawTable]] = []
    if isinstance(workbook, dict):
        for moment, frame in workbook.items():
            tables.append((moment, "workbook", _read_sheet(frame, moment, sheet=None, survey=False)))
    elif workbook is not None:
        path = Path(workbook)
        if not path.exists():
            raise SofsInputError(f"kerndataset: geen bestand op {path}.")
        for moment, sheet in _workbook_sheets(path).items():
            tables.append((moment, "workbook", _read_sheet(path, moment, sheet=sheet, survey=False)))
    for export_source in survey_exports:
        source = export_source if isinstance(export_source, pd.DataFrame) else Path(export_source)
        tables.append(("closure", "survey_export", _read_sheet(source, "closure", sheet=None, survey=True)))

    parts, issues, problems, mappings = [], [], Counter(), Counter()
    per_sheet: dict[str, dict] = {}
    blank_rows = 0
    seq = 0
    for moment, source, table in tables:
        rows, sheet_issues, sheet_problems, sheet_mappings = _table_rows(
            table, moment, source, export, organisation
        )
        rows["_seq"] = np.arange(seq, seq + len(rows))
        seq += len(rows)
        rows["_sheet"] = f"{source}:{moment}"
        parts.append(rows)
        issues += sheet_issues
        problems += sheet_problems
        mappings += sheet_mappings
        blank_rows += table.blank_rows_skipped
        key = f"{source}:{moment}"
        per_sheet.setdefault(key, Counter())["rows_in"] += len(rows)
        if source == "survey_export":
            problems["personal_columns_not_read"] += len(_personal(table))
    rows = pd.concat(parts, ignore_index=True)

    # ---- quarantine and skipped rows
    reason = pd.Series(pd.NA, index=rows.index, dtype="str")
    reason[rows["trajectory_id"].isna()] = "missing_trajectory_id"
    reason[rows["organisation"].isna() & reason.isna()] = "missing_organisation"
    if dashboard is not None:
        known = set(zip(dashboard["organisation"], dashboard["trajectory_id"], strict=True))
        pairs = list(zip(rows["organisation"], rows["trajectory_id"], strict=True))
        unknown = pd.Series([p not in known for p in pairs], index=rows.index)
        reason[unknown & reason.isna()] = "unknown_trajectory"
    empty = ~rows["_has_answer"].astype(bool) & reason.isna()
    quarantined = reason.notna()
    quarantine = pd.DataFrame(
        {
            "moment": rows.loc[quarantined, "moment"],
            "source": rows.loc[quarantined, "source"],
            "source_row": rows.loc[quarantined, "source_row"],
            "reason_code": reason[quarantined],
            "reason": reason[quarantined].map(REASONS),
            "cells": rows.loc[quarantined, "_cells"],
        }
    ).reset_index(drop=True)
    kept = rows[~quarantined & ~empty]
    merged, n_merged, twice = _merge_twice(kept)
    problems += twice

    # ---- consent (per family, from its closure row) and its checks
    data = _finish(merged, problems)
    if dashboard is not None:
        closed = dashboard.loc[dashboard["status"].eq("closed"), ["organisation", "trajectory_id"]]
        closed_keys = set(zip(closed["organisation"], closed["trajectory_id"], strict=True))
        is_closed = pd.Series(
            [k in closed_keys for k in zip(data["organisation"], data["trajectory_id"], strict=True)],
            index=data.index,
        )
        problems["registration_for_open_trajectory"] += int((~is_closed).sum())

    from sofs_lib.schemas.kerndataset import validate_kerndataset

    data = validate_kerndataset(data)
    for key, sheet_rows in rows.groupby("_sheet"):
        sheet = per_sheet[key]
        sheet["rows_quarantined"] = int(quarantined[sheet_rows.index].sum())
        sheet["rows_without_answers"] = int(empty[sheet_rows.index].sum())
    report = {
        "rows_in": len(rows),
        "rows_clean": len(data),
        "rows_quarantined": int(quarantined.sum()),
        "rows_merged": n_merged,
        "rows_without_answers": int(empty.sum()),
        "blank_rows_skipped": blank_rows,
        "export_date": export.isoformat(),
        "fiche_check": "dashboard" if dashboard is not None else "skipped",
        "sheets": {k: dict(v) for k, v in sorted(per_sheet.items())},
        "quarantine_reasons": dict(sorted(Counter(reason[quarantined]).items())),
        "problems": dict(sorted(problems.items())),
        "answer_mappings": [
            {"scale": s, "form": f, "typed": t, "read_as": lab, "count": n}
            for (s, f, t, lab), n in sorted(mappings.items())
        ],
    }
    assert (
        report["rows_clean"] + report["rows_quarantined"] + report["rows_merged"]
        + report["rows_without_answers"] == report["rows_in"]
    ), "kerndataset accounting broken"  # fmt: skip
    cell_issues = pd.DataFrame(
        issues,
        columns=["moment", "source", "source_row", "column", "typed", "reason_code", "reason"],
    )
    return KernCleanResult(data=data, quarantine=quarantine, cell_issues=cell_issues, report=report)


def _finish(merged: pd.DataFrame, problems: Counter) -> pd.DataFrame:
    """Contract columns, consent per family, consent/contact checks; sorted."""
    from sofs_lib.schemas.kerndataset import KERNDATASET_COLUMNS, empty_kerndataset

    frame = merged.drop(
        columns=[c for c in merged.columns if c.startswith("_")], errors="ignore"
    ).reset_index(drop=True)
    template = empty_kerndataset()
    for column in KERNDATASET_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index).astype(template[column].dtype)
        elif str(frame[column].dtype) != str(template[column].dtype):
            frame[column] = frame[column].astype(template[column].dtype)
    closure = frame[frame["moment"].eq("closure")]
    consent = closure["consent_date"].notna() & closure["consent_channel"].isin(
        list(ins.CONSENT_CHANNELS)
    )
    consent_by_family = dict(
        zip(zip(closure["organisation"], closure["trajectory_id"], strict=True), consent, strict=True)
    )
    consent_date = dict(
        zip(
            zip(closure["organisation"], closure["trajectory_id"], strict=True),
            closure["consent_date"],
            strict=True,
        )
    )
    family = list(zip(frame["organisation"], frame["trajectory_id"], strict=True))
    frame["has_consent"] = pd.array([bool(consent_by_family.get(f, False)) for f in family], dtype="boolean")
    given = pd.Series([consent_date.get(f, pd.NaT) for f in family], index=frame.index).astype(
        "datetime64[ns]"
    )
    follow_up = frame["moment"].ne("closure")
    after = follow_up & given.notna() & frame["contact_date"].notna() & (given > frame["contact_date"])
    frame["consent_after_contact"] = pd.array(after.tolist(), dtype="boolean")
    problems["consent_after_contact"] += int(after.sum())
    contacted = follow_up & frame["reached"].fillna(False).astype(bool)
    problems["followup_contact_without_consent"] += int(
        (contacted & ~frame["has_consent"].astype(bool)).sum()
    )
    no_channel = closure["consent_date"].notna() & closure["consent_channel"].isna()
    problems["consent_date_without_channel"] += int(no_channel.sum())
    order = {m: i for i, m in enumerate(ins.MOMENTS)}
    frame = frame.assign(_m=frame["moment"].map(order)).sort_values(
        ["organisation", "trajectory_id", "_m"], kind="stable"
    )
    return frame.drop(columns="_m")[list(KERNDATASET_COLUMNS)].reset_index(drop=True)


def without_free_text(data: pd.DataFrame) -> pd.DataFrame:
    """The cleaned frame without free-text answers (for anything shown beyond the
    organisation's own view: free text may identify a family)."""
    return data.drop(columns=[c for c in ins.free_text_items() if c in data.columns])


# --------------------------------------------------------------------------- writing


def _csv_ready(data: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for column in data.columns:
        series = data[column]
        if series.dtype.kind == "M":
            out[column] = series.dt.strftime("%Y-%m-%d").fillna("")
        elif str(series.dtype) == "boolean":
            out[column] = series.map({True: "true", False: "false"}, na_action="ignore").fillna("")
        else:
            out[column] = series.astype("str").fillna("")
    return pd.DataFrame(out, columns=data.columns)


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_clean(result: KernCleanResult, out_dir: Path | str) -> dict[str, Path]:
    """Write the cleaned data, quarantine, cell issues and quality report into ``out_dir``."""
    out = config.ensure_output_dir(Path(out_dir))
    paths = {
        "data": out / DATA_FILE,
        "quarantine": out / QUARANTINE_FILE,
        "cell_issues": out / CELL_ISSUES_FILE,
        "report": out / REPORT_FILE,
    }
    for name in ("data", "quarantine", "cell_issues"):
        frame = _csv_ready(getattr(result, name))
        _write_atomic(paths[name], frame.to_csv(index=False, lineterminator="\n"))
    _write_atomic(paths["report"], json.dumps(result.report, indent=2, ensure_ascii=False) + "\n")
    return paths


__all__ = [
    "KernCleanResult",
    "clean_kerndataset",
    "parse_scale",
    "without_free_text",
    "write_clean",
]
