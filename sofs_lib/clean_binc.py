"""Clean a raw Binc extract into tidy ``modules`` and ``children`` frames.

The raw layout is ``docs/binc_data_dictionary.md``: a workbook with sheets
``Schakelingen`` (one row per module registration) and ``Kindkenmerken`` (one row per
child), or the same two tables as CSV files (``binc_schakelingen.csv`` and
``binc_kindkenmerken.csv`` in one folder). Reading goes through
:mod:`sofs_lib.readers`, values through :mod:`sofs_lib.values`; categories and module
clusters are data (``sofs_lib/reference/binc_categories.csv``, ``module_clusters.csv``).

Rules (each counted in the quality report, nothing dropped silently):

- a row without child pseudonym, without usable link number (schakeling) or without
  module type is quarantined, with its source row and reason;
- exact duplicate rows collapse into one; rows that share a key (modules: child, link,
  module; children: child) but disagree are all quarantined;
- a category typed in another case/spacing or as a known alias (``NVT``) becomes the
  report's category; blank, ``Missing`` or ``onbekend`` become NA (the report's
  "Missing"); an unknown value becomes NA and is counted per column;
- a module type not in the cluster table is kept (cluster "Andere modules") and counted;
- dates in every typed form; a blank end date means the module is still open; an end
  date that is not a date (or implausible) leaves the status unknown (NA);
- per child the care path is summarised: CB SofS modules, links before / after the last
  CB SofS module (voor- en natraject, line 4808), status and VZB type of the last link
  (Table 6), the begeleidingsjaren with an active CB SofS module (Table 5 per year).

Accounting, per sheet and in total: ``rows_clean + rows_quarantined +
duplicates_collapsed == rows_in`` (non-blank data rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib.cleaning import CleaningResult, quarantine_frame, write_result
from sofs_lib.errors import SofsInputError
from sofs_lib.readers import SOURCE_ROW, RawTable, raw_table_from_frame, read_raw_table
from sofs_lib.reference import categories, category_table, cluster_labels, module_table  # noqa: F401
from sofs_lib.reference.layouts import (  # noqa: F401  (part of this module's API)
    CHILD_ALIASES,
    CHILD_FIELDS,
    CHILD_REQUIRED,
    CHILD_SHEET,
    MODULE_ALIASES,
    MODULE_OPTIONAL,
    MODULE_REQUIRED,
    MODULE_SHEET,
)
from sofs_lib.values import normalise_id, normalise_text, parse_counts, parse_dates

MODULES_CSV = "binc_schakelingen.csv"
CHILDREN_CSV = "binc_kindkenmerken.csv"
MODULES_FILE = "binc_modules.csv"
CHILDREN_FILE = "binc_children.csv"
QUARANTINE_FILE = "binc_quarantine.csv"
REPORT_FILE = "binc_quality_report.json"

#: Dates before this cannot belong to a youth-care path of these children (the oldest
#: were born around 2005; Binc started in 2013, but earlier modules were migrated).
BINC_EARLIEST_DATE = date(2005, 1, 1)
MAX_LINK_NUMBER = 99
MAX_AGE = 25
MAX_CHILDREN_IN_FAMILY = 20
OTHER_CLUSTER = "Andere modules"

#: Why a row is quarantined: code -> text for people (Dutch).
QUARANTINE_REASONS: dict[str, str] = {
    "missing_child_id": "geen pseudoniem van het kind (Kind ID)",
    "invalid_link_number": "schakeling is geen nummer van 1 tot 99",
    "missing_module": "geen typemodule",
    "conflicting_module_rows": "meerdere verschillende rijen voor hetzelfde kind, dezelfde "
    "schakeling en dezelfde module",
    "conflicting_child_rows": "meerdere verschillende rijen voor hetzelfde kind",
}


# --------------------------------------------------------------------------- reference data


def _key(text: str) -> str:
    return " ".join(str(text).casefold().split())


@cache
def _vocabulary(variable: str) -> dict[str, str | None]:
    """Typed text (normalised) -> category; the shared missing words -> None."""
    table = category_table()
    vocab: dict[str, str | None] = {}
    for row in table[table["variable"] == "*"].itertuples():
        for alias in [row.category, *filter(None, row.aliases.split("|"))]:
            vocab[_key(alias)] = None
    for row in table[table["variable"] == variable].itertuples():
        vocab[_key(row.category)] = row.category
        for alias in filter(None, row.aliases.split("|")):
            vocab[_key(alias)] = row.category
    vocab[""] = None
    return vocab


@lru_cache(maxsize=1)
def _missing_words() -> frozenset[str]:
    """Typed forms of a missing value ("Missing", "onbekend", blank, ...)."""
    return frozenset(k for k, v in _vocabulary("").items() if v is None)


@lru_cache(maxsize=1)
def _module_vocabulary() -> dict[str, str]:
    vocab: dict[str, str] = {}
    for row in module_table().itertuples():
        vocab[_key(row.module)] = row.module
        for alias in filter(None, row.aliases.split("|")):
            vocab[_key(alias)] = row.module
    return vocab


# --------------------------------------------------------------------------- result


@dataclass
class BincCleanResult(CleaningResult):
    """The cleaned Binc extract.

    ``modules``: one row per accepted module registration (``schemas.binc.MODULE_COLUMNS``);
    ``children``: one row per accepted child (``schemas.binc.CHILD_COLUMNS``);
    ``quarantine``: every rejected row with ``sheet``, then the shared layout
    (``source_row``, ``reason_code``, ``reason`` in Dutch) and its original cells;
    ``report``: the quality report (JSON-able).
    """

    modules: pd.DataFrame
    children: pd.DataFrame
    quarantine: pd.DataFrame
    report: dict = field(default_factory=dict)
    #: the year open modules are counted up to (export date's, else latest date seen)
    reference_year: int | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        return {MODULES_FILE: self.modules, CHILDREN_FILE: self.children}


# --------------------------------------------------------------------------- reading


def _sibling(path: Path, old: str, new: str) -> Path:
    """The other CSV of the pair: ``old`` replaced by ``new`` in the name, any case."""
    wanted = re.sub(f"(?i){old}", new, path.name)
    for candidate in sorted(path.parent.iterdir()):
        if candidate.name.casefold() == wanted.casefold():
            return candidate
    return path.with_name(wanted)


def _read(source: Path | str | tuple[pd.DataFrame, pd.DataFrame]) -> tuple[RawTable, RawTable]:
    what_m = "extract of Binc (sheet Schakelingen)"
    what_c = "extract of Binc (sheet Kindkenmerken)"
    if isinstance(source, tuple):
        modules, children = source
        return (
            raw_table_from_frame(modules, required=MODULE_REQUIRED, optional=MODULE_OPTIONAL,
                                 aliases=MODULE_ALIASES, what=what_m),
            raw_table_from_frame(children, required=CHILD_REQUIRED, optional=tuple(CHILD_FIELDS),
                                 aliases=CHILD_ALIASES, what=what_c),
        )  # fmt: skip
    path = Path(source)
    if path.is_dir():
        module_path, child_path = path / MODULES_CSV, path / CHILDREN_CSV
        missing = [p.name for p in (module_path, child_path) if not p.exists()]
        if missing:
            raise SofsInputError(
                f"{path} is not a Binc extract folder: {', '.join(missing)} not found "
                f"(expected {MODULES_CSV} and {CHILDREN_CSV}, or one .xlsx workbook)."
            )
        module_sheet = child_sheet = None
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        name = path.name.casefold()
        if "schakeling" in name:
            module_path = path
            child_path = _sibling(path, "schakelingen", "kindkenmerken")
        elif "kindkenmerk" in name:
            child_path = path
            module_path = _sibling(path, "kindkenmerken", "schakelingen")
        else:
            raise SofsInputError(
                f"{path.name}: a Binc extract as CSV is two files, {MODULES_CSV} and "
                f"{CHILDREN_CSV}; give either of them or their folder."
            )
        if not module_path.exists() or not child_path.exists():
            raise SofsInputError(
                f"{path.name}: the other table of the Binc extract is missing "
                f"(expected {module_path.name} and {child_path.name} side by side)."
            )
        module_sheet = child_sheet = None
    else:
        module_path = child_path = path
        module_sheet, child_sheet = MODULE_SHEET, CHILD_SHEET
    modules = read_raw_table(
        module_path,
        required=MODULE_REQUIRED,
        optional=MODULE_OPTIONAL,
        aliases=MODULE_ALIASES,
        sheet=module_sheet,
        what=what_m,
    )
    children = read_raw_table(child_path, required=CHILD_REQUIRED, optional=tuple(CHILD_FIELDS),
                              aliases=CHILD_ALIASES, sheet=child_sheet, what=what_c)  # fmt: skip
    return modules, children


# --------------------------------------------------------------------------- values


def _categorise(raw: pd.Series, variable: str) -> tuple[pd.Series, int]:
    """Cells -> the report's categories (NA for missing); and how many were unknown."""
    text = normalise_text(raw)
    vocab = _vocabulary(variable)
    mapped = text.map(vocab)
    unknown = ~text.isin(list(vocab))
    out = pd.Series(mapped.where(~unknown), index=raw.index).astype("str")
    return out, int(unknown.sum())


def _mark_duplicates(
    frame: pd.DataFrame, key: list[str], content: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(collapsed, conflicting): exact repeats after the first; all rows of disagreeing keys."""
    as_text = frame[content].astype("str").fillna("\x00")
    exact = as_text.duplicated(keep="first").to_numpy()
    distinct = frame.loc[~exact, key].astype("str")
    clash_keys = distinct[distinct.duplicated(keep=False)].drop_duplicates()
    if clash_keys.empty:
        return exact, np.zeros(len(frame), dtype=bool)
    merged = frame[key].astype("str").merge(clash_keys.assign(_clash=True), on=key, how="left")
    conflicting = merged["_clash"].eq(True).to_numpy()
    return exact & ~conflicting, conflicting


def _quarantine_frame(
    table: RawTable, sheet: str, mask: np.ndarray, reason: pd.Series
) -> pd.DataFrame:
    rows = table.frame.loc[mask]
    codes = reason[mask].astype("str")
    cells = pd.DataFrame(
        {table.headers.get(c, c): normalise_id(rows[c]).to_numpy() for c in table.data_columns}
    )
    return quarantine_frame(
        rows[SOURCE_ROW].astype("Int64").to_numpy(),
        codes.to_numpy(),
        codes.map(QUARANTINE_REASONS).astype("str").to_numpy(),
        cells,
        leading={"sheet": sheet},
    )


def _accounting(rows_in: int, clean: int, quarantined: int, collapsed: int) -> dict[str, int]:
    if clean + quarantined + collapsed != rows_in:  # pragma: no cover - invariant
        raise RuntimeError(
            f"Binc accounting broken: {clean} + {quarantined} + {collapsed} != {rows_in}"
        )
    return {
        "rows_in": rows_in,
        "rows_clean": clean,
        "rows_quarantined": quarantined,
        "duplicates_collapsed": collapsed,
    }


# --------------------------------------------------------------------------- modules


def _clean_modules(
    table: RawTable, export_date: date | None
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    raw = table.frame
    problems: dict[str, int] = {}
    child_id = normalise_id(raw["Kind ID"])
    link = parse_counts(raw["Schakeling"], maximum=MAX_LINK_NUMBER)
    link_values = link.values.where(link.values >= 1)
    module_text = normalise_id(raw["Typemodule"])
    module_key = module_text.fillna("").map(_key)
    canonical = module_key.map(_module_vocabulary())
    known = canonical.notna() | module_text.isna()
    module = canonical.fillna(module_text).astype("str")
    problems["unknown_module_type"] = int((~known).sum())

    start = parse_dates(raw["Begindatum"], export_date=export_date, earliest=BINC_EARLIEST_DATE)
    end = parse_dates(raw["Einddatum"], export_date=export_date, earliest=BINC_EARLIEST_DATE)
    for name, parsed in (("start_date", start), ("end_date", end)):
        for kind, n in parsed.counts().items():
            if kind not in ("date", "blank"):
                problems[f"{name}_{kind}"] = n
    problems["start_date_blank"] = int(start.kind.eq("blank").sum())
    end_open = end.kind.isin(["blank", "no"]).to_numpy()
    status = pd.Series(
        np.select([end.kind.eq("date").to_numpy(), end_open], ["closed", "open"], "unknown"),
        index=raw.index,
    )
    problems["status_unknown"] = int(status.eq("unknown").sum())
    problems["end_before_start"] = int((end.values < start.values).sum())

    vzb = (
        _categorise(raw["VZB organisatietype"], "vzb_type")
        if "VZB organisatietype" in raw
        else (pd.Series(pd.NA, index=raw.index, dtype="str"), 0)
    )
    problems["vzb_type_unknown_value"] = vzb[1]
    organisation = (
        normalise_id(raw["Organisatie"])
        if "Organisatie" in raw
        else pd.Series(pd.NA, index=raw.index, dtype="str")
    )

    reason = pd.Series(pd.NA, index=raw.index, dtype="str")
    reason = reason.mask(module_text.isna(), "missing_module")
    reason = reason.mask(link_values.isna(), "invalid_link_number")
    reason = reason.mask(child_id.isna(), "missing_child_id")

    frame = pd.DataFrame(
        {
            "child_id": child_id,
            "link_number": link_values.astype("Int64"),
            "module": module,
            "module_known": pd.array(known.to_numpy(), dtype="boolean"),
            "start_date": start.values,
            "end_date": end.values,
            "status": status,
            "vzb_type": vzb[0],
            "organisation": organisation,
            "source_row": raw[SOURCE_ROW].astype("Int64"),
        }
    )
    ok = reason.isna().to_numpy()
    key = ["child_id", "link_number", "module"]
    content = [*key, "start_date", "end_date", "status", "vzb_type", "organisation"]
    collapsed = np.zeros(len(frame), dtype=bool)
    conflicting = np.zeros(len(frame), dtype=bool)
    c_ok, k_ok = _mark_duplicates(frame.loc[ok], key, content)
    collapsed[np.flatnonzero(ok)] = c_ok
    conflicting[np.flatnonzero(ok)] = k_ok
    reason = reason.mask(conflicting, "conflicting_module_rows")
    quarantined = reason.notna().to_numpy()
    keep = ~quarantined & ~collapsed
    modules = frame.loc[keep].reset_index(drop=True)
    quarantine = _quarantine_frame(table, MODULE_SHEET, quarantined, reason)
    report = _accounting(len(frame), int(keep.sum()), int(quarantined.sum()), int(collapsed.sum()))
    report["blank_rows_skipped"] = table.blank_rows_skipped
    report["quarantine_reasons"] = {
        k: int(v) for k, v in reason[quarantined].value_counts().sort_index().items()
    }
    report["problems"] = {k: v for k, v in sorted(problems.items()) if v}
    return _derive_modules(modules), quarantine, report


def _derive_modules(modules: pd.DataFrame) -> pd.DataFrame:
    """Cluster, CB SofS sequence, position relative to the last CB SofS link, combination."""
    table = module_table().set_index("module")
    modules = modules.sort_values(["child_id", "link_number", "source_row"], kind="stable")
    modules = modules.reset_index(drop=True)
    cluster = modules["module"].map(table["cluster"]).fillna(OTHER_CLUSTER).astype("str")
    is_sofs = modules["module"].isin(table.index[table["is_sofs"].to_numpy(dtype=bool)])
    modules.insert(4, "module_cluster", cluster)
    modules.insert(5, "is_sofs", pd.array(is_sofs.to_numpy(), dtype="boolean"))
    status = modules["status"].where(modules["status"].ne("unknown")).astype("str")
    modules["status"] = status

    sofs_links = modules["link_number"].where(is_sofs)
    last_sofs_link = sofs_links.groupby(modules["child_id"]).transform("max")
    seq = is_sofs.astype(int).groupby(modules["child_id"]).cumsum()
    modules["sofs_seq"] = pd.array(np.where(is_sofs, seq, pd.NA), dtype="Int64")
    modules["is_last_sofs"] = pd.array(
        (is_sofs & modules["link_number"].eq(last_sofs_link)).to_numpy(dtype=bool), dtype="boolean"
    )
    link = modules["link_number"].astype("float64")
    last = last_sofs_link.astype("float64")
    position = np.select(
        [last.isna().to_numpy(), (link < last).to_numpy(), (link == last).to_numpy()],
        [None, "before", "last_sofs"],
        "after",
    )
    modules["position"] = pd.Series(position, index=modules.index).astype("str")
    rows_in_link = modules.groupby(["child_id", "link_number"])["module"].transform("size")
    modules["combined"] = pd.array((rows_in_link > 1).to_numpy(), dtype="boolean")
    from sofs_lib.schemas.binc import MODULE_COLUMNS

    return modules[list(MODULE_COLUMNS)]


def join_sorted_groups(
    frame: pd.DataFrame, keys: list[str], column: str, sep: str = " + "
) -> pd.Series:
    """``frame.groupby(keys, sort=True)[column].agg(sep.join)`` for a frame already sorted
    by ``keys`` (no blank key): each group's texts joined in row order, indexed by the
    keys, without a pandas slice per group (a 2,500-trajectory extract has ~30,000 links,
    and every slice copies the frame's ``attrs``)."""
    group = frame.groupby(keys, sort=True)
    codes = group.ngroup().to_numpy()
    if len(codes) and (np.isnan(codes.astype(float)).any() or (np.diff(codes) < 0).any()):
        raise ValueError("join_sorted_groups: the frame is not sorted by its keys")
    values = frame[column].tolist()
    starts = np.flatnonzero(np.diff(codes, prepend=-1) != 0)
    ends = np.append(starts[1:], len(values)) if len(starts) else starts
    joined = [sep.join(values[a:b]) for a, b in zip(starts, ends, strict=True)]
    return pd.Series(joined, index=group.size().index, name=column, dtype="str")


def links_frame(modules: pd.DataFrame) -> pd.DataFrame:
    """One row per link (child × schakeling): its modules combined, cluster, status, VZB.

    A link's cluster and VZB type are those of its main module: the one with the lowest
    ``precedence`` in ``module_clusters.csv`` (CB SofS first; a residential module only
    decides when nothing else is in the link), ties by source row. A link is open when
    any of its modules is open, closed when all are closed, else unknown (NA).
    """
    table = module_table().set_index("module")
    precedence = modules["module"].map(table["precedence"]).fillna(99).astype(int)
    work = modules.assign(_precedence=precedence.to_numpy())
    work = work.sort_values(["child_id", "link_number", "_precedence", "source_row"], kind="stable")
    group = work.groupby(["child_id", "link_number"], sort=True)
    first = group.first()
    combination = join_sorted_groups(work, ["child_id", "link_number"], "module")
    keys = [work["child_id"], work["link_number"]]
    any_open = work["status"].eq("open").fillna(False).groupby(keys, sort=True).any()
    any_unknown = work["status"].isna().groupby(keys, sort=True).any()
    status = np.select(
        [any_open.to_numpy(dtype=bool), any_unknown.to_numpy(dtype=bool)], ["open", None], "closed"
    )
    out = pd.DataFrame(
        {
            "combination": combination.astype("str"),
            "n_modules": group.size().astype("int64"),
            "module_cluster": first["module_cluster"].astype("str"),
            "has_sofs": group["is_sofs"].any().astype("boolean"),
            "status": pd.Series(status, index=first.index).astype("str"),
            "vzb_type": first["vzb_type"].astype("str"),
            "position": first["position"].astype("str"),
            "start_date": group["start_date"].min(),
        }
    )
    return out.reset_index()


def _path_summary(modules: pd.DataFrame, reference_year: int) -> pd.DataFrame:
    """Per child: CB SofS modules, links before/after, status/VZB of the last link, years."""
    links = links_frame(modules)
    by_child = links.groupby("child_id", sort=True)
    sofs = modules[modules["is_sofs"].to_numpy(dtype=bool)]
    sofs_by_child = sofs.groupby("child_id", sort=True)
    out = pd.DataFrame(index=by_child.size().index)
    out["n_sofs_modules"] = sofs_by_child.size().reindex(out.index).fillna(0).astype("Int64")
    out["first_sofs_link"] = sofs_by_child["link_number"].min().reindex(out.index).astype("Int64")
    out["last_sofs_link"] = sofs_by_child["link_number"].max().reindex(out.index).astype("Int64")
    out["n_links"] = by_child.size().astype("Int64")
    out["n_before_links"] = (
        links["position"].eq("before").groupby(links["child_id"]).sum().astype("Int64")
    )
    out["n_after_links"] = (
        links["position"].eq("after").groupby(links["child_id"]).sum().astype("Int64")
    )
    out["has_before"] = out["n_before_links"].gt(0).astype("boolean")
    out["has_after"] = out["n_after_links"].gt(0).astype("boolean")
    # Years with an active CB SofS module: from the first start to the last end (an open
    # module runs to the reference year; an unknown end counts up to its start year).
    end_year = sofs["end_date"].dt.year.astype("Float64")
    end_year = end_year.mask(sofs["status"].eq("open").to_numpy(dtype=bool), reference_year)
    end_year = end_year.fillna(sofs["start_date"].dt.year.astype("Float64"))
    out["sofs_first_year"] = (
        sofs["start_date"]
        .dt.year.groupby(sofs["child_id"])
        .min()
        .reindex(out.index)
        .astype("Int64")
    )
    out["sofs_last_year"] = (
        end_year.groupby(sofs["child_id"]).max().reindex(out.index).astype("Int64")
    )
    last_link = links.groupby("child_id", sort=True).tail(1).set_index("child_id")
    out["status"] = last_link["status"].reindex(out.index).astype("str")
    out["vzb_type"] = last_link["vzb_type"].reindex(out.index).astype("str")
    out["organisation"] = child_organisation(modules).reindex(out.index).astype("str")
    return out


def child_organisation(modules: pd.DataFrame) -> pd.Series:
    """Per child, the organisation it belongs to in the Profiel dashboard: the provider
    named on its **last CB SofS module** (highest link number); when that registration
    names none, the latest earlier CB SofS module that does. NA when no CB SofS module
    names one (such a child counts in Flanders only). Names as registered in Binc
    (whitespace normalised): :mod:`sofs_lib.binc_organisations` matches them to the
    dashboard export's names."""
    sofs = modules.loc[modules["is_sofs"].fillna(False).to_numpy(dtype=bool)]
    named = sofs.loc[sofs["organisation"].notna().to_numpy()]
    named = named.sort_values(["child_id", "link_number", "source_row"], kind="stable")
    return named.groupby("child_id", sort=True)["organisation"].last().astype("str")


# --------------------------------------------------------------------------- children


def _clean_children(table: RawTable) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    raw = table.frame
    problems: dict[str, int] = {}
    columns: dict[str, pd.Series] = {"child_id": normalise_id(raw["Kind ID"])}
    for header, name, maximum in (
        ("Jaar beginregistratie", "registration_year", 2100),
        ("Instroomleeftijd", "age_at_entry", MAX_AGE),
        ("Aantal kinderen in gezin", "n_children", MAX_CHILDREN_IN_FAMILY),
    ):
        if header not in raw:
            columns[name] = pd.Series(pd.NA, index=raw.index, dtype="Int64")
            continue
        parsed = parse_counts(raw[header], maximum=maximum)
        values = parsed.values
        if name == "n_children":
            bad = values.eq(0).fillna(False).to_numpy(dtype=bool)
            problems["n_children_zero"] = int(bad.sum())
            values = values.mask(bad)
        if name == "registration_year":
            bad = values.lt(1990).fillna(False).to_numpy(dtype=bool)
            problems["registration_year_implausible"] = int(bad.sum())
            values = values.mask(bad)
        text = normalise_text(raw[header])
        missing_word = text.isin(_missing_words())
        invalid = parsed.kind.isin(["invalid", "implausible", "yes", "no"]) & ~missing_word
        problems[f"{name}_invalid"] = int(invalid.sum())
        columns[name] = values.astype("Int64")
    for header, name in CHILD_FIELDS.items():
        if name in columns:
            continue
        if header not in raw:
            columns[name] = pd.Series(pd.NA, index=raw.index, dtype="str")
            problems[f"{name}_column_absent"] = len(raw)
            continue
        values, unknown = _categorise(raw[header], name)
        problems[f"{name}_unknown_value"] = unknown
        columns[name] = values
    network_without = columns["foster_network"].notna() & columns["foster_care"].ne(
        "Ja, netwerkpleegzorg"
    ).fillna(True)
    problems["foster_network_without_network_care"] = int(network_without.sum())
    columns["foster_network"] = columns["foster_network"].mask(network_without)
    frame = pd.DataFrame(columns)
    frame["source_row"] = raw[SOURCE_ROW].astype("Int64")

    reason = pd.Series(pd.NA, index=raw.index, dtype="str").mask(
        frame["child_id"].isna(), "missing_child_id"
    )
    ok = reason.isna().to_numpy()
    content = [c for c in frame.columns if c != "source_row"]
    collapsed = np.zeros(len(frame), dtype=bool)
    conflicting = np.zeros(len(frame), dtype=bool)
    c_ok, k_ok = _mark_duplicates(frame.loc[ok], ["child_id"], content)
    collapsed[np.flatnonzero(ok)] = c_ok
    conflicting[np.flatnonzero(ok)] = k_ok
    reason = reason.mask(conflicting, "conflicting_child_rows")
    quarantined = reason.notna().to_numpy()
    keep = ~quarantined & ~collapsed
    children = frame.loc[keep].reset_index(drop=True)
    quarantine = _quarantine_frame(table, CHILD_SHEET, quarantined, reason)
    report = _accounting(len(frame), int(keep.sum()), int(quarantined.sum()), int(collapsed.sum()))
    report["blank_rows_skipped"] = table.blank_rows_skipped
    report["quarantine_reasons"] = {
        k: int(v) for k, v in reason[quarantined].value_counts().sort_index().items()
    }
    report["problems"] = {k: v for k, v in sorted(problems.items()) if v}
    return children, quarantine, report


# --------------------------------------------------------------------------- public


def clean_binc(
    source: Path | str | tuple[pd.DataFrame, pd.DataFrame],
    *,
    export_date: date | None = None,
) -> BincCleanResult:
    """Clean a raw Binc extract (workbook, CSV pair or folder, or two raw frames).

    ``export_date`` is the extraction date (the report's: 6 June 2023, line 4453): later
    dates are implausible and open modules count as active up to its year. When None,
    dates up to today are accepted and open modules run to the year of the latest date
    in the extract. A file that is not a Binc extract raises :class:`SofsInputError`
    (one message naming the problem); the cleaned frames are validated against
    ``schemas.binc`` (a failure there is a bug: ``CleanedBincSchemaError``).
    """
    from sofs_lib.schemas.binc import CHILD_COLUMNS, validate_binc

    module_table_raw, child_table_raw = _read(source)
    modules, quarantine_m, report_m = _clean_modules(module_table_raw, export_date)
    children, quarantine_c, report_c = _clean_children(child_table_raw)

    if export_date is not None:
        reference_year = export_date.year
    else:
        latest = pd.concat([modules["start_date"], modules["end_date"]]).max()
        reference_year = int(latest.year) if pd.notna(latest) else date.today().year
    path = _path_summary(modules, reference_year)
    children = children.join(path, on="child_id")
    for column in ("n_sofs_modules", "n_links", "n_before_links", "n_after_links"):
        children[column] = children[column].fillna(0).astype("Int64")
    for column in ("has_before", "has_after"):
        children[column] = children[column].fillna(False).astype("boolean")
    for column in ("status", "vzb_type", "organisation"):
        children[column] = children[column].astype("str")
    children = children.sort_values("child_id", kind="stable").reset_index(drop=True)
    children = children[list(CHILD_COLUMNS)]
    modules, children = validate_binc(modules, children)

    known_children = set(children["child_id"])
    module_children = set(modules["child_id"])
    problems = {
        "children_without_sofs_module": int(children["n_sofs_modules"].eq(0).sum()),
        "module_children_without_characteristics": len(module_children - known_children),
        "children_without_modules": len(known_children - module_children),
    }
    totals = _accounting(
        report_m["rows_in"] + report_c["rows_in"],
        report_m["rows_clean"] + report_c["rows_clean"],
        report_m["rows_quarantined"] + report_c["rows_quarantined"],
        report_m["duplicates_collapsed"] + report_c["duplicates_collapsed"],
    )
    report = {
        **totals,
        "source": module_table_raw.path.name if module_table_raw.path else "frames",
        "file_format": module_table_raw.file_format,
        "export_date": export_date.isoformat() if export_date else None,
        "reference_year": reference_year,
        "modules": report_m,
        "children": report_c,
        "problems": {k: v for k, v in problems.items() if v},
        "n_children": int(len(children)),
        "n_sofs_modules": int(modules["is_sofs"].sum()),
    }
    quarantine = pd.concat([quarantine_m, quarantine_c], ignore_index=True)
    return BincCleanResult(
        modules=modules,
        children=children,
        quarantine=quarantine,
        report=report,
        reference_year=reference_year,
    )


def clean_binc_to_dir(
    input_path: Path | str, out_dir: Path | str, *, export_date: date | None = None
) -> BincCleanResult:
    """Clean ``input_path`` and write ``binc_modules.csv``, ``binc_children.csv``,
    ``binc_quarantine.csv`` and ``binc_quality_report.json`` into ``out_dir``.

    Nothing is written when the input is not a Binc extract (:class:`SofsInputError`).
    """
    result = clean_binc(Path(input_path), export_date=export_date)
    write_result(result, out_dir, REPORT_FILE, QUARANTINE_FILE)
    return result


__all__ = [
    "BincCleanResult",
    "categories",
    "clean_binc",
    "clean_binc_to_dir",
    "cluster_labels",
    "links_frame",
    "module_table",
]
