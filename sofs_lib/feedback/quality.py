"""Registratiekwaliteit: what in an organisation's own registrations the cleaner could not use.

For every organisation of a dashboard export, one row per kind of problem (the codes of
``sofs_lib/reference/registration_advice.csv``): how many cells or rows, out of how many,
a Dutch sentence ("38% van uw Netwerkberaden-cellen bevat een datum in plaats van een
aantal (…)") and how to register it correctly, following the dashboard manual in the
report's appendix (lines 9598–9724; the file keeps the manual's line numbers per item).
Beside it, up to :data:`EXAMPLES_PER_ITEM` examples from that organisation's own rows
(Fiche ID, Excel row, column as typed in the export, the value typed).

The counts use the cleaner's own parsers (``sofs_lib.values``, with the cleaner's
vocabularies and limits from ``sofs_lib.clean_dashboard``) on the raw cells, and the
cleaning result for the rest: the cleaned rows (``network_meetings_kind``, dates) and the
quarantine (``reason_code``). Cell counts are over the rows the cleaner kept; the three
``Fiche ID`` items over every row read with that organisation's name. A row without an
organisation name cannot be attributed to anyone, so it appears in no organisation's
feedback (the researcher sees it in the quarantine file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib import reference
from sofs_lib.catalogue import STEPS
from sofs_lib.formatting import fmt_int, fmt_pct
from sofs_lib.readers import SOURCE_ROW, RawTable, raw_table_from_frame, read_raw_table
from sofs_lib.reference.layouts import ALIASES, HEADERS, STEP_HEADERS
from sofs_lib.values import cell_text, normalise_id, parse_counts, parse_dates, parse_words

ADVICE_FILE = "registration_advice.csv"
#: Examples shown per item (lowest Excel rows first).
EXAMPLES_PER_ITEM = 3

ITEM_COLUMNS: tuple[str, ...] = (
    "order",
    "code",
    "field",
    "label",
    "count",
    "denominator",
    "share",
    "sentence",
    "advice",
    "manual_section",
    "manual_lines",
)
EXAMPLE_COLUMNS: tuple[str, ...] = ("code", "trajectory_id", "source_row", "column", "value")
LABELS: dict[str, str] = {
    "order": "Nr.",
    "code": "Code",
    "field": "Veld",
    "label": "Probleem",
    "count": "Aantal",
    "denominator": "Van",
    "share": "Aandeel",
    "sentence": "Wat we vonden",
    "advice": "Hoe registreren",
    "manual_section": "Handleiding",
    "manual_lines": "Evaluatierapport, regels",
    "trajectory_id": "Fiche ID",
    "source_row": "Rij in de export",
    "column": "Kolom",
    "value": "Ingevuld",
}

DATE_KEYS: tuple[str, ...] = (
    "start_date",
    "consulent_start_date",
    "end_date",
    "plan_b_active",
    *STEP_HEADERS.values(),
)
#: Columns whose ``ja``/``x`` should have been a date ("Indien ja: Datum of nee").
YES_DATE_KEYS: tuple[str, ...] = (*STEP_HEADERS.values(), "plan_b_active")
START_KEYS: tuple[str, ...] = ("start_date", "consulent_start_date")


@lru_cache(maxsize=1)
def advice_table() -> pd.DataFrame:
    """``sofs_lib/reference/registration_advice.csv``: code, order, field, label,
    sentence (template with ``{share}``, ``{count}``, ``{denominator}``), advice,
    manual_section (where a team finds it: the manual's element, in Dutch) and
    manual_lines (the report's lines, for researchers)."""
    table = reference.read_csv(ADVICE_FILE)
    table["order"] = table["order"].astype(int)
    return table.sort_values("order", kind="stable").reset_index(drop=True)


@dataclass
class _Raw:
    """The raw cells under internal keys, with organisation and id normalised."""

    frame: pd.DataFrame
    headers: dict[str, str]  #: internal key -> header as typed in the export
    organisation: pd.Series
    trajectory_id: pd.Series


def _read(source: Path | str | pd.DataFrame) -> _Raw:
    required = list(HEADERS)
    what = "dashboard export"
    if isinstance(source, pd.DataFrame):
        table: RawTable = raw_table_from_frame(source, required=required, aliases=ALIASES, what=what)
    else:
        table = read_raw_table(Path(source), required=required, aliases=ALIASES, what=what)
    frame = table.frame.rename(columns=HEADERS)
    headers = {key: " ".join(str(table.headers.get(h, h)).split()) for h, key in HEADERS.items()}
    return _Raw(
        frame,
        headers,
        normalise_id(frame["organisation"]),
        normalise_id(frame["trajectory_id"]),
    )


def assess(
    source: Path | str | pd.DataFrame,
    result=None,
    *,
    export_date: date | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Items and examples for every organisation of the export ``source``.

    ``result``: its :class:`~sofs_lib.clean_dashboard.CleanResult` (cleaned here when
    None); ``export_date``: the one the result was cleaned with (default: the date in its
    report). Returns ``(items, examples)``, both with an ``organisation`` column first:
    items :data:`ITEM_COLUMNS` (every item for every organisation, zero counts included),
    examples :data:`EXAMPLE_COLUMNS`.
    """
    if result is None:
        from sofs_lib.clean_dashboard import clean_dashboard

        result = clean_dashboard(source, export_date=export_date)
    if export_date is None:
        export_date = date.fromisoformat(result.report["export_date"])
    raw = _read(source)
    data = result.data
    rows = raw.frame[SOURCE_ROW].to_numpy(dtype="int64")
    kept_rows = data["source_row"].astype("int64").to_numpy()
    # raw frame aligned to the cleaned rows (one per cleaned row, same order)
    position = pd.Series(np.arange(len(rows)), index=rows)
    at = position.reindex(kept_rows).to_numpy(dtype="int64")
    kept = raw.frame.iloc[at].reset_index(drop=True)
    ids = data["trajectory_id"].astype("str").reset_index(drop=True)
    orgs = data["organisation"].astype("str").reset_index(drop=True)

    hits: list[pd.DataFrame] = []  # code, organisation, trajectory_id, source_row, column, value
    dens: list[pd.Series] = []  # per code: a count per organisation (the denominators)
    org_codes, org_names = pd.factorize(orgs.to_numpy(dtype=object))

    def cells(code: str, mask: np.ndarray, key: str | None, value=None) -> None:
        if not mask.any():
            return
        shown = (
            np.asarray(value, dtype=object)[mask]
            if value is not None
            else cell_text(kept[key][mask]).to_numpy(dtype=object)
        )
        hits.append(
            pd.DataFrame(
                {
                    "code": code,
                    "organisation": orgs[mask].to_numpy(),
                    "trajectory_id": ids[mask].to_numpy(),
                    "source_row": kept_rows[mask],
                    "column": raw.headers.get(key, key) if key else "",
                    "value": shown,
                }
            )
        )

    def base(code: str, mask: np.ndarray) -> None:
        counts = np.bincount(org_codes[mask], minlength=len(org_names))
        dens.append(pd.Series(counts, index=pd.MultiIndex.from_product(
            [list(org_names), [code]], names=["organisation", "code"])))

    everyone = np.ones(len(data), dtype=bool)
    closed = data["status"].astype("str").eq("closed").to_numpy()

    # --- network meetings (the cleaner's own per-row kind)
    kind = data["network_meetings_kind"].astype("str").to_numpy()
    cells("meetings_date", kind == "date", "network_meetings")
    base("meetings_date", everyone)
    cells("meetings_invalid", kind == "invalid", "network_meetings")
    base("meetings_invalid", everyone)
    cells("meetings_blank_closed", (kind == "blank") & closed, "network_meetings")
    base("meetings_blank_closed", closed)

    # --- date columns, parsed with the cleaner's parser and window
    kinds = _date_kinds(kept, export_date)
    for key in YES_DATE_KEYS:
        cells("yes_without_date", kinds[key] == "yes", key)
        base("yes_without_date", np.isin(kinds[key], ["date", "yes"]))
    for key in DATE_KEYS:
        cells("date_invalid", kinds[key] == "invalid", key)
        cells("date_implausible", kinds[key] == "implausible", key)
        filled = kinds[key] != "blank"
        base("date_invalid", filled)
        base("date_implausible", filled)
    for key in START_KEYS:
        cells("start_word", np.isin(kinds[key], ["yes", "no"]), key)
    base("start_word", everyone)
    cells("start_missing", data["start_date"].isna().to_numpy(), "start_date")
    base("start_missing", everyone)

    start = data["start_date"].reset_index(drop=True)
    for step in STEPS:
        when = data[f"{step.key}_date"].reset_index(drop=True)
        early = (when < start).fillna(False).to_numpy(dtype=bool)
        if early.any():
            text = ("stap " + when.dt.strftime("%Y-%m-%d").fillna("") + ", start "
                    + start.dt.strftime("%Y-%m-%d").fillna(""))
            cells("step_before_start", early, None, text.to_numpy(dtype=object))
            hits[-1]["column"] = step.label
        base("step_before_start", when.notna().to_numpy())
    end = data["end_date"].reset_index(drop=True)
    end_early = (end < start).fillna(False).to_numpy(dtype=bool)
    text = ("einde " + end.dt.strftime("%Y-%m-%d").fillna("") + ", start "
            + start.dt.strftime("%Y-%m-%d").fillna(""))
    cells("end_before_start", end_early, "end_date", text.to_numpy(dtype=object))
    base("end_before_start", closed)

    # --- words and counts, with the cleaner's vocabularies and limits
    from sofs_lib.clean_dashboard import (
        CASE_TYPE_VOCABULARY,
        COUNT_MAXIMUM,
        PLAN_B_VOCABULARY,
    )

    case = parse_words(kept["case_type"], CASE_TYPE_VOCABULARY).kind.astype("str").to_numpy()
    cells("case_type_unknown", np.isin(case, ["invalid", "no", "yes"]), "case_type")
    base("case_type_unknown", everyone)
    plan = parse_words(kept["plan_b"], PLAN_B_VOCABULARY).kind.astype("str").to_numpy()
    cells("plan_b_unknown", np.isin(plan, ["invalid", "no", "yes"]), "plan_b")
    base("plan_b_unknown", everyone)
    size = parse_counts(kept["network_size"], maximum=COUNT_MAXIMUM["network_size"])
    size_kind = size.kind.astype("str").to_numpy()
    cells("network_size_invalid", np.isin(size_kind, ["invalid", "no", "yes", "implausible"]),
          "network_size")
    base("network_size_invalid", everyone)

    # --- rows the cleaner could not use (quarantine) or counted once (exact copies)
    row_items = _row_items(raw, result, set(kept_rows.tolist()))
    hits.extend(row_items[0])
    dens.extend(row_items[1])

    return _summarise(hits, dens)


def _date_kinds(kept: pd.DataFrame, export_date: date) -> dict[str, np.ndarray]:
    """The parser's kind of every date cell: all date columns parsed as one long column
    (distinct values shared, as the cleaner does), then split per column."""
    n = len(kept)
    stacked = pd.Series(kept[list(DATE_KEYS)].to_numpy(dtype=object).ravel(order="F"), dtype=object)
    kind = parse_dates(stacked, export_date=export_date).kind.astype("str").to_numpy()
    return {key: kind[i * n : (i + 1) * n] for i, key in enumerate(DATE_KEYS)}


def _row_items(raw: _Raw, result, kept: set[int]):
    rows = raw.frame[SOURCE_ROW].astype("int64")
    org = raw.organisation
    named = org.notna().to_numpy()
    hits, dens = [], []
    for code in ("missing_trajectory_id", "conflicting_duplicate", "exact_duplicate"):
        counts = org[named].astype("str").value_counts(sort=False)
        dens.append(pd.Series(counts.to_numpy(), index=pd.MultiIndex.from_arrays(
            [counts.index.astype("str"), [code] * len(counts)], names=["organisation", "code"])))
    quarantine = result.quarantine
    reason = pd.Series(
        quarantine["reason_code"].astype("str").to_numpy(),
        index=quarantine["source_row"].astype("int64").to_numpy(),
    )
    code = reason.reindex(rows.to_numpy()).to_numpy(dtype=object)
    in_quarantine = pd.notna(code)
    collapsed = named & raw.trajectory_id.notna().to_numpy() & ~in_quarantine & ~rows.isin(
        kept
    ).to_numpy()
    id_text = raw.trajectory_id.fillna("").astype("str").to_numpy()
    id_header = raw.headers.get("trajectory_id", "Fiche ID")
    for name, mask in (
        ("missing_trajectory_id", named & (code == "missing_trajectory_id")),
        ("conflicting_duplicate", named & (code == "conflicting_duplicate")),
        ("exact_duplicate", collapsed),
    ):
        if mask.any():
            hits.append(
                pd.DataFrame(
                    {
                        "code": name,
                        "organisation": org[mask].astype("str").to_numpy(),
                        "trajectory_id": id_text[mask],
                        "source_row": rows[mask].to_numpy(),
                        "column": id_header,
                        "value": id_text[mask],
                    }
                )
            )
    return hits, dens


def _summarise(hits: list[pd.DataFrame], dens: list[pd.Series]):
    advice = advice_table()
    hit = (
        pd.concat(hits, ignore_index=True)
        if hits
        else pd.DataFrame(columns=["code", "organisation", *EXAMPLE_COLUMNS[1:]])
    )
    denominators = pd.concat(dens).groupby(level=["organisation", "code"]).sum()
    orgs = sorted(set(denominators.index.get_level_values("organisation").astype("str")))
    counts = hit.groupby(["organisation", "code"]).size()
    grid = pd.MultiIndex.from_product([orgs, advice["code"].tolist()], names=["organisation", "code"])
    items = pd.DataFrame(
        {
            "count": counts.reindex(grid, fill_value=0).astype("int64"),
            "denominator": denominators.reindex(grid, fill_value=0).astype("int64"),
        }
    ).reset_index()
    items = items.merge(advice, on="code", how="left")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = items["count"] / items["denominator"].where(items["denominator"] > 0)
    items["share"] = share.astype("Float64")
    items["sentence"] = [
        template.format(
            share=_share_text(s),
            count=fmt_int(c),
            denominator=fmt_int(d),
        )
        for template, s, c, d in zip(
            items["sentence"], items["share"], items["count"], items["denominator"], strict=True
        )
    ]
    items = items.sort_values(["organisation", "order"], kind="stable").reset_index(drop=True)
    items = items[["organisation", *ITEM_COLUMNS]]
    examples = (
        hit.sort_values(["organisation", "code", "source_row", "column"], kind="stable")
        .groupby(["organisation", "code"], sort=False)
        .head(EXAMPLES_PER_ITEM)
    )
    order = dict(zip(advice["code"], advice["order"], strict=True))
    examples = (
        examples.assign(_order=examples["code"].map(order))
        .sort_values(["organisation", "_order", "source_row"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    examples["source_row"] = examples["source_row"].astype("int64")
    for col in ("organisation", "code", "trajectory_id", "column", "value"):
        examples[col] = examples[col].astype("str")
    return items, examples[["organisation", *EXAMPLE_COLUMNS]]


def _share_text(share) -> str:
    """One decimal, as every share on the dashboards (``23,9%``), so the sentence and the
    table agree."""
    return fmt_pct(0.0 if pd.isna(share) else float(share), 1)


def by_organisation(
    items: pd.DataFrame, examples: pd.DataFrame
) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Organisation -> (its items, its examples), without the organisation column."""
    out = {}
    for org in sorted(items["organisation"].astype("str").unique()):
        own_items = items.loc[items["organisation"].eq(org).to_numpy()].drop(columns="organisation")
        own_ex = examples.loc[examples["organisation"].eq(org).to_numpy()].drop(
            columns="organisation"
        )
        out[org] = (own_items.reset_index(drop=True), own_ex.reset_index(drop=True))
    return out


def source_of(data: pd.DataFrame) -> Path | None:
    """The export a loaded frame was cleaned from (``attrs["source_path"]``), if any."""
    path = data.attrs.get("source_path")
    return Path(path) if path and os.path.exists(path) else None


__all__ = ["EXAMPLES_PER_ITEM", "advice_table", "assess", "by_organisation", "source_of"]
