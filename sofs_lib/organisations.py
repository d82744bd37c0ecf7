"""Organisation attributes as data: a small file a researcher fills in, joined by name.

The dashboard export names each trajectory's organisation but holds nothing *about* the
organisation (its VZB organisation type, region, ...), while the report compares
organisation types (Table 6). Such attributes live in a mapping file, one row per
organisation:

=================  ======================================================================
column             meaning
=================  ======================================================================
``organisation``   the name exactly as in the dashboard export (case and spaces are
                   forgiven)
``organisation_type``  VZB organisation type, one of the report's categories
                   (``data/reference/binc_categories.csv``, variable ``vzb_type``); the
                   usual abbreviations (CKG, CIG, OOC, ...) are accepted
any other column   free attributes (``region``, ``size_class``, ...), used as given
=================  ======================================================================

``write_attribute_template(df, path)`` writes the file with every organisation of the
export and empty attribute columns (``.csv`` for Belgian Excel, or ``.xlsx`` with a second
sheet listing the allowed organisation types). ``read_attributes(path)`` checks it and
``add_organisation_attributes(df, path)`` joins it. Mistakes are reported all at once, in
Dutch, never as a traceback: blank names, the same organisation twice (also when only
case or spaces differ), names that are not in the export (with the closest name when
there is one), unknown organisation types. Organisations of the export that the file
does not list get an empty attribute and a warning naming them.

The default file is ``organisation_attributes.csv`` in the data folder
(``SOFS_DATA_DIR``), next to the exports: it names real organisations, so it stays out of
git like the exports.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from sofs_lib import config
from sofs_lib.errors import SofsInputError

ORGANISATION = "organisation"
ORGANISATION_TYPE = "organisation_type"
DEFAULT_FILENAME = "organisation_attributes.csv"
#: Attribute columns of a fresh template.
TEMPLATE_ATTRIBUTES: tuple[str, ...] = (ORGANISATION_TYPE,)


class MissingOrganisationsWarning(UserWarning):
    """Organisations of the export that the attribute file does not list."""


def default_path() -> Path:
    """``organisation_attributes.csv`` in the data folder (``SOFS_DATA_DIR``)."""
    return config.data_dir() / DEFAULT_FILENAME


def _key(name: object) -> str:
    return " ".join(str(name).casefold().split())


@cache
def _type_vocabulary() -> dict[str, str]:
    """Typed organisation type (normalised) -> the report's category (Table 6 labels)."""
    from sofs_lib.clean_binc import category_table

    table = category_table()
    vocab: dict[str, str] = {}
    for row in table[table["variable"] == "vzb_type"].itertuples():
        vocab[_key(row.category)] = row.category
        for alias in filter(None, str(row.aliases).split("|")):
            if alias != "nan":
                vocab[_key(alias)] = row.category
    return vocab


def organisation_types() -> tuple[str, ...]:
    """The allowed organisation types, in the report's order."""
    from sofs_lib.clean_binc import categories

    return categories("vzb_type")


def write_attribute_template(
    df: pd.DataFrame,
    path: str | Path | None = None,
    attributes: Sequence[str] = TEMPLATE_ATTRIBUTES,
) -> Path:
    """Write a mapping file to fill in: every organisation of ``df``, sorted, with an empty
    column per attribute. ``.xlsx`` adds a sheet with the allowed organisation types.
    Refuses to overwrite an existing file (it may already be filled in)."""
    path = Path(path) if path is not None else default_path()
    if ORGANISATION not in df.columns:
        raise SofsInputError(f"de tabel heeft geen kolom {ORGANISATION!r}")
    if path.exists():
        raise SofsInputError(
            f"{path} bestaat al en kan ingevulde gegevens bevatten; kies een andere naam "
            "of verwijder het bestand eerst."
        )
    names = sorted({str(v).strip() for v in df[ORGANISATION].dropna()}, key=str.casefold)
    frame = pd.DataFrame({ORGANISATION: names})
    for attribute in attributes:
        frame[attribute] = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            frame.to_excel(writer, sheet_name="organisaties", index=False)
            allowed = pd.DataFrame({ORGANISATION_TYPE: list(organisation_types())})
            allowed.to_excel(writer, sheet_name="toegelaten_types", index=False)
    elif path.suffix.lower() == ".csv":
        frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    else:
        raise SofsInputError(f"een attributenbestand is .csv of .xlsx, niet {path.name!r}")
    return path


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise SofsInputError(
            f"geen attributenbestand gevonden op {path}. Maak er een met "
            "write_attribute_template(df, pad) en vul het in."
        )
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, sheet_name=0, dtype=str, engine="calamine")
    if path.suffix.lower() == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        sep = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        from io import StringIO

        return pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    raise SofsInputError(f"een attributenbestand is .csv of .xlsx, niet {path.name!r}")


def read_attributes(
    source: str | Path | pd.DataFrame | None = None,
    known_organisations: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The checked mapping: ``organisation`` (as written in the export when
    ``known_organisations`` is given) plus one column per attribute, blanks as NA and
    organisation types in the report's spelling. Raises :class:`SofsInputError` listing
    every mistake (file row numbers as Excel shows them: the header is row 1)."""
    if isinstance(source, pd.DataFrame):
        raw, where = source.astype("str").where(source.notna(), ""), "de tabel"
    else:
        path = Path(source) if source is not None else default_path()
        raw, where = _read_table(path), str(path)
    raw.columns = [str(c).strip() for c in raw.columns]
    if ORGANISATION not in raw.columns:
        raise SofsInputError(
            f"{where}: de kolom {ORGANISATION!r} ontbreekt (gevonden: {', '.join(raw.columns)})"
        )
    frame = raw.apply(lambda col: col.astype("str").str.strip()).replace({"": pd.NA, "nan": pd.NA})
    attributes = [c for c in frame.columns if c != ORGANISATION]
    problems: list[str] = []
    excel_row = pd.Series(range(2, len(frame) + 2), index=frame.index)

    blank = frame[ORGANISATION].isna()
    filled = frame[attributes].notna().any(axis=1) if attributes else blank & False
    for i in frame.index[blank & filled]:
        problems.append(f"rij {excel_row[i]}: geen organisatienaam maar wel attributen")
    frame = frame[~blank]

    keys = frame[ORGANISATION].map(_key)
    for rows in frame.groupby(keys, sort=True).groups.values():
        if len(rows) > 1:
            shown = ", ".join(f"rij {excel_row[i]} ({frame.at[i, ORGANISATION]!r})" for i in rows)
            problems.append(
                f"organisatie {frame.at[rows[0], ORGANISATION]!r} staat er meer dan één keer: {shown}"
            )

    if ORGANISATION_TYPE in frame.columns:
        vocab = _type_vocabulary()
        typed = frame[ORGANISATION_TYPE]
        mapped = typed.map(lambda v: vocab.get(_key(v)) if pd.notna(v) else pd.NA)
        for i in frame.index[typed.notna() & mapped.isna()]:
            close = difflib.get_close_matches(str(typed[i]), organisation_types(), n=1, cutoff=0.6)
            hint = f"; bedoelde u {close[0]!r}?" if close else ""
            problems.append(
                f"rij {excel_row[i]}: onbekend organisatietype {typed[i]!r}{hint} "
                f"(toegelaten: {', '.join(organisation_types())})"
            )
        frame = frame.assign(**{ORGANISATION_TYPE: mapped})

    if known_organisations is not None:
        by_key = {_key(n): str(n) for n in known_organisations if pd.notna(n)}
        for i in frame.index:
            name = frame.at[i, ORGANISATION]
            if _key(name) not in by_key:
                close = difflib.get_close_matches(str(name), list(by_key.values()), n=1, cutoff=0.6)
                hint = f"; bedoelde u {close[0]!r}?" if close else ""
                problems.append(
                    f"rij {excel_row[i]}: organisatie {name!r} komt niet voor in de export{hint}"
                )
        frame = frame.assign(
            **{ORGANISATION: frame[ORGANISATION].map(lambda n: by_key.get(_key(n), n))}
        )
    if problems:
        raise SofsInputError(f"{where} bevat {len(problems)} fout(en):\n- " + "\n- ".join(problems))
    out = frame.reset_index(drop=True)
    return out.astype({c: "str" for c in out.columns})


def add_organisation_attributes(
    df: pd.DataFrame, source: str | Path | pd.DataFrame | None = None
) -> pd.DataFrame:
    """``df`` with the attribute columns of the mapping file joined on ``organisation``.

    Checks the file against the organisations in ``df`` (see :func:`read_attributes`).
    Organisations without a row get NA and a :class:`MissingOrganisationsWarning` naming
    them; rows and their order are kept, and ``df.attrs`` (provenance) too.
    """
    if ORGANISATION not in df.columns:
        raise SofsInputError(f"de tabel heeft geen kolom {ORGANISATION!r}")
    names = sorted({str(v) for v in df[ORGANISATION].dropna()})
    mapping = read_attributes(source, known_organisations=names)
    clash = [c for c in mapping.columns if c != ORGANISATION and c in df.columns]
    if clash:
        raise SofsInputError(
            f"de tabel heeft al kolom(men) {', '.join(clash)}; het attributenbestand mag ze "
            "niet overschrijven"
        )
    listed = set(mapping[ORGANISATION])
    missing = [n for n in names if n not in listed]
    if missing:
        warnings.warn(
            f"{len(missing)} organisatie(s) staan niet in het attributenbestand en krijgen een "
            f"leeg attribuut: {', '.join(missing)}",
            MissingOrganisationsWarning,
            stacklevel=2,
        )
    lookup = mapping.set_index(ORGANISATION)
    out = df.copy()
    for column in lookup.columns:
        out[column] = df[ORGANISATION].map(lookup[column]).astype("str")
    out.attrs = dict(df.attrs)
    return out
