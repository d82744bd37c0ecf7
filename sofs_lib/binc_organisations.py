"""Which dashboard organisation a Binc child belongs to: matching provider names.

Logins of role *organisatie* are bound to an organisation **as the dashboard export names
it**. Binc registers the provider's own name on each module (often its legal name: "vzw
…", other capitals, a curly apostrophe), so the Binc names are matched to the dashboard
export's names before the Profiel release is built:

1. **Mapping file first** (optional): a CSV with the columns ``binc`` and ``dashboard``
   (``;`` or ``,``, UTF-8), one row per Binc name, read from ``SOFS_BINC_ORGANISATIONS``
   or else ``binc_organisaties.csv`` in the data folder (``SOFS_DATA_DIR``), next to the
   exports and out of git like them. A row's ``dashboard`` must be a name of the dashboard
   export; an empty ``dashboard`` says on purpose that the Binc name has no dashboard
   organisation.
2. **Normalised exact match**: both names compared after :func:`normalise_name` (Unicode
   NFC, case, spaces, apostrophes and dashes, and a Belgian legal form such as "vzw" at the
   start or end). Accents count: "Élan" is not "Elan" (use the mapping file).
3. **Everything else is unmatched**, never dropped: such a child counts in Flanders (all
   organisations together) but in no organisation's own figures, and :class:`NameMatch`
   reports the unmatched names with their number of children and the closest dashboard
   name, in Dutch and English (``sofs release`` prints it; the release manifest keeps it).

Which organisation a child belongs to (the provider of its last CB SofS module):
:func:`sofs_lib.clean_binc.child_organisation`.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pandas as pd

from sofs_lib import config
from sofs_lib.errors import SofsInputError

#: Environment variable naming the mapping file.
MAPPING_ENV = "SOFS_BINC_ORGANISATIONS"
#: Default mapping file name in the data folder.
DEFAULT_FILENAME = "binc_organisaties.csv"
#: Columns of the mapping file.
BINC, DASHBOARD = "binc", "dashboard"
#: Belgian legal forms dropped at the start or end of a name before comparing.
LEGAL_FORMS = ("vzw", "ivzw", "izw", "bv", "bvba", "nv", "cv", "cvba", "vof", "ov", "ev")

_LEGAL = "|".join(LEGAL_FORMS)
_LEGAL_RE = re.compile(rf"^(?:{_LEGAL})\s+|\s+(?:{_LEGAL})$")


def normalise_name(name: object) -> str:
    """A provider name for comparing: NFC, casefolded, one space between words, typographic
    apostrophes and dashes as ASCII, dots of abbreviations ("v.z.w.") removed, and a legal
    form at the start or end dropped. Accents stay."""
    text = unicodedata.normalize("NFC", str(name)).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub("[\u2010-\u2015]", "-", text)
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # v.z.w. -> vzw.
    text = re.sub(r"\b(vzw|ivzw|bv|nv|cv)\.", r"\1", text)
    text = " ".join(text.replace(",", " ").split())
    previous = None
    while previous != text:
        previous = text
        text = _LEGAL_RE.sub("", text).strip()
    return text


def mapping_path() -> Path:
    """``SOFS_BINC_ORGANISATIONS``, else ``binc_organisaties.csv`` in the data folder."""
    env = os.environ.get(MAPPING_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return config.data_dir() / DEFAULT_FILENAME


def read_mapping(path: str | Path, dashboard_names: Sequence[str]) -> dict[str, str | None]:
    """The mapping file as {Binc name (normalised): dashboard name or None}.

    Every mistake is reported at once in one Dutch :class:`SofsInputError`: missing
    columns, a dashboard name that is not in the export (with the closest), one Binc name
    mapped to two organisations."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SofsInputError(f"het koppelbestand {path} kan niet gelezen worden: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise SofsInputError(f"het koppelbestand {path} is geen UTF-8-tekst") from exc
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") >= first.count(",") else ","
    try:
        table = pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SofsInputError(f"het koppelbestand {path} is geen leesbare CSV: {exc}") from exc
    table.columns = [str(c).strip().casefold() for c in table.columns]
    missing = [c for c in (BINC, DASHBOARD) if c not in table.columns]
    if missing:
        raise SofsInputError(
            f"het koppelbestand {path.name} mist de kolom(men) {', '.join(missing)} "
            f"(verwacht: '{BINC}' en '{DASHBOARD}')"
        )
    known = {normalise_name(n): n for n in dashboard_names}
    problems: list[str] = []
    out: dict[str, str | None] = {}
    for i, row in enumerate(table.itertuples(index=False), start=2):
        binc = str(getattr(row, BINC)).strip()
        target = str(getattr(row, DASHBOARD)).strip()
        if not binc:
            if target:
                problems.append(f"rij {i}: geen Binc-naam bij '{target}'")
            continue
        name: str | None = None
        if target:
            name = target if target in dashboard_names else known.get(normalise_name(target))
            if name is None:
                close = difflib.get_close_matches(target, list(dashboard_names), n=1)
                hint = f" (bedoelt u '{close[0]}'?)" if close else ""
                problems.append(f"rij {i}: '{target}' is geen organisatie van de dashboardexport{hint}")
                continue
        key = normalise_name(binc)
        if key in out and out[key] != name:
            problems.append(f"rij {i}: '{binc}' staat al gekoppeld aan '{out[key]}'")
            continue
        out[key] = name
    if problems:
        raise SofsInputError(f"fouten in het koppelbestand {path.name}: " + "; ".join(problems))
    return out


@dataclass
class NameMatch:
    """How the Binc provider names were matched to the dashboard export's names.

    ``mapping``: Binc name → dashboard name (matched names only); ``how``: Binc name →
    ``"bestand"`` (mapping file) or ``"naam"`` (normalised exact match); ``unmatched``:
    Binc name → number of children; ``excluded``: names the file maps to no organisation;
    ``ambiguous``: dashboard names that normalise alike (never matched by name)."""

    mapping: dict[str, str] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, int] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    ambiguous: list[str] = field(default_factory=list)
    closest: dict[str, str] = field(default_factory=dict)
    children_matched: int = 0
    children_unknown: int = 0  #: no CB SofS module names a provider
    mapping_file: str | None = None

    @property
    def children_unmatched(self) -> int:
        return sum(self.unmatched.values()) + sum(self.excluded.values())

    def lines(self, language: str = "nl") -> list[str]:
        """The report people read (``nl`` or ``en``): what was matched, what was not."""
        nl = language == "nl"
        out = []
        n_names = len(self.mapping)
        if nl:
            out.append(
                f"Binc-organisaties: {n_names} naam/namen gekoppeld aan de dashboardexport "
                f"({self.children_matched} kinderen)"
                + (f", via koppelbestand {self.mapping_file}" if self.mapping_file else "")
                + "."
            )
        else:
            out.append(
                f"Binc organisations: {n_names} name(s) matched to the dashboard export "
                f"({self.children_matched} children)"
                + (f", using mapping file {self.mapping_file}" if self.mapping_file else "")
                + "."
            )
        for name, n in sorted(self.unmatched.items(), key=lambda kv: (-kv[1], kv[0])):
            hint = self.closest.get(name)
            if nl:
                out.append(
                    f"  niet gekoppeld: '{name}' ({n} kinderen; telt enkel mee in Vlaanderen)"
                    + (f"; lijkt op '{hint}'" if hint else "")
                )
            else:
                out.append(
                    f"  not matched: '{name}' ({n} children; counted in Flanders only)"
                    + (f"; close to '{hint}'" if hint else "")
                )
        for name, n in sorted(self.excluded.items()):
            out.append(
                f"  bewust niet gekoppeld (koppelbestand): '{name}' ({n} kinderen)"
                if nl
                else f"  left unmatched by the mapping file: '{name}' ({n} children)"
            )
        if self.ambiguous:
            names = ", ".join(f"'{n}'" for n in self.ambiguous)
            out.append(
                f"  dashboardnamen die op elkaar lijken (enkel via koppelbestand): {names}"
                if nl
                else f"  dashboard names alike after normalising (mapping file only): {names}"
            )
        if self.children_unknown:
            out.append(
                f"  {self.children_unknown} kinderen zonder organisatie in Binc (tellen enkel "
                "mee in Vlaanderen)"
                if nl
                else f"  {self.children_unknown} children without an organisation in Binc "
                "(counted in Flanders only)"
            )
        if self.unmatched:
            out.append(
                f"  Koppel ontbrekende namen in {DEFAULT_FILENAME} (kolommen '{BINC}' en "
                f"'{DASHBOARD}') of met {MAPPING_ENV}."
                if nl
                else f"  Map missing names in {DEFAULT_FILENAME} (columns '{BINC}' and "
                f"'{DASHBOARD}') or point {MAPPING_ENV} at a file."
            )
        return out

    def as_dict(self) -> dict:
        """For the release manifest (names of organisations stay beside the export)."""
        return {
            "matched": dict(sorted(self.mapping.items())),
            "how": dict(sorted(self.how.items())),
            "unmatched": dict(sorted(self.unmatched.items())),
            "excluded": dict(sorted(self.excluded.items())),
            "ambiguous": list(self.ambiguous),
            "children_matched": self.children_matched,
            "children_unmatched": self.children_unmatched,
            "children_unknown": self.children_unknown,
            "mapping_file": self.mapping_file,
        }


def match_names(
    binc_names: Mapping[str, int] | Iterable[str],
    dashboard_names: Sequence[str],
    mapping: Mapping[str, str | None] | None = None,
) -> NameMatch:
    """Match Binc names (with their number of children, or a plain list) to the dashboard
    names: the mapping first (keys normalised, :func:`read_mapping`), then the normalised
    exact name."""
    counts = dict(binc_names) if isinstance(binc_names, Mapping) else {n: 0 for n in binc_names}
    mapping = {normalise_name(k): v for k, v in (mapping or {}).items()}
    by_key: dict[str, list[str]] = {}
    for name in dashboard_names:
        by_key.setdefault(normalise_name(name), []).append(name)
    ambiguous = sorted(n for names in by_key.values() if len(names) > 1 for n in names)
    result = NameMatch(ambiguous=ambiguous)
    for name, n in counts.items():
        key = normalise_name(name)
        if key in mapping:
            if mapping[key] is None:
                result.excluded[name] = n
            else:
                result.mapping[name] = mapping[key]
                result.how[name] = "bestand"
                result.children_matched += n
            continue
        found = by_key.get(key, [])
        if len(found) == 1:
            result.mapping[name] = found[0]
            result.how[name] = "naam"
            result.children_matched += n
            continue
        result.unmatched[name] = n
        close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
        if close:
            result.closest[name] = by_key[close[0]][0]
    return result


def assign(
    children: pd.DataFrame,
    dashboard_names: Sequence[str],
    *,
    mapping_file: str | Path | None = None,
) -> tuple[pd.DataFrame, NameMatch]:
    """``children`` with ``organisation`` as the dashboard export names it (NA when
    unknown or unmatched: the child counts in Flanders only) and the match report.

    ``mapping_file``: the CSV of :func:`read_mapping`; default :func:`mapping_path` when
    that file exists (no file: names only)."""
    if "organisation" not in children.columns:
        return children, NameMatch()
    path = Path(mapping_file) if mapping_file is not None else mapping_path()
    mapping = None
    if mapping_file is not None or path.exists():
        mapping = read_mapping(path, dashboard_names)
    names = children["organisation"].astype("str")
    counts = names.dropna().value_counts(sort=False)
    result = match_names(
        {str(k): int(v) for k, v in counts.items()}, list(dashboard_names), mapping
    )
    result.children_unknown = int(names.isna().sum())
    if mapping is not None:
        result.mapping_file = path.name
    matched = names.map(result.mapping).astype("str")
    return children.assign(organisation=matched), result


__all__ = [
    "DEFAULT_FILENAME",
    "MAPPING_ENV",
    "NameMatch",
    "assign",
    "mapping_path",
    "match_names",
    "normalise_name",
    "read_mapping",
]
