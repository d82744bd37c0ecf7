"""What the controls say (:class:`Selection`), what a panel builder gets (:class:`View`) and
which options each control offers for the signed-in role (:func:`control_options`).

No widgets here: the download handler and the report use these too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sofs_lib import catalogue
from sofs_lib.errors import SofsInputError

#: The "no filter" value of every control.
ALL = "__alle__"
#: Environment variable limiting the organisation dropdown (comma-separated names).
ORGANISATIONS_ENV = "SOFS_ORGANISATIONS"


@dataclass(frozen=True)
class Selection:
    """What the controls say; ``None`` means *all*."""

    organisation: str | None = None
    closing_year: int | None = None
    status: str | None = None
    case_type: str | None = None
    year: int | None = None  #: Binc: begeleidingsjaar
    variable: str | None = None  #: Binc: the Table 5 characteristic shown
    year_from: int | None = None  #: Evolutie: first closing year of the range
    year_to: int | None = None  #: Evolutie: last closing year of the range
    #: Profiel: leave "niet van toepassing" out of the denominator ("ja"/None)
    exclude_nvt: str | None = None

    def describe(self) -> str:
        """The filters in Dutch, for the status line and the downloads."""
        parts = []
        if self.year is not None:
            parts.append(f"begeleidingsjaar {self.year}")
        if self.closing_year is not None:
            parts.append(f"afgesloten in {self.closing_year}")
        if self.year_from is not None or self.year_to is not None:
            lo, hi = self.year_range()
            parts.append(f"afgesloten van {lo} tot en met {hi}" if lo != hi else f"afgesloten in {lo}")
        if self.status is not None:
            parts.append(f"status {catalogue.STATUS.get(self.status, self.status).lower()}")
        if self.case_type is not None:
            parts.append(f"typering {catalogue.CASE_TYPES.get(self.case_type, self.case_type)}")
        if self.exclude_nvt:
            parts.append("zonder 'niet van toepassing'")
        return ", ".join(parts)

    def year_range(self) -> tuple[int | None, int | None]:
        """(first, last) closing year of the Evolutie range, in order."""
        lo, hi = self.year_from, self.year_to
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        return lo, hi

    def as_query(self) -> dict[str, str]:
        """The set fields as text (the query of a download link)."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None}


_INT_FIELDS = frozenset({"closing_year", "year", "year_from", "year_to"})


@dataclass(frozen=True)
class View:
    """What a builder gets: the role's released tables and the selection."""

    release: Any  #: a ``sofs_lib.release.store.Slice``
    selection: Selection
    min_cell: int
    cell_dims: tuple[str, ...] = ("closing_year", "status", "case_type")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def organisation(self) -> str | None:
        return self.selection.organisation

    def cell(self, population: str = "all", **override: Any) -> str | None:
        """The release key of the selection's cell; ``None`` when the population excludes
        the selected status (open trajectories in a closed-only figure)."""
        values = {d: getattr(self.selection, d, None) for d in self.cell_dims}
        values.update(override)
        if population in ("open", "closed") and "status" in values:
            if values["status"] not in (None, population):
                return None
            values["status"] = population
        return "|".join(ALL if values[d] is None else str(values[d]) for d in self.cell_dims)

    def with_selection(self, **changes: Any) -> View:
        return replace(self, selection=replace(self.selection, **changes))


@dataclass(frozen=True)
class ControlSpec:
    """A dropdown: the selection field it sets, its Dutch label, its levels in the release.

    ``options``: a function giving (label, value) pairs from the release slice (default:
    the levels the release offers, with *Alle* first); ``default``: the first value, or a
    function of the options (e.g. the last year)."""

    field: str
    label: str
    column: str
    options: Callable[[Any], list[tuple[str, Any]]] | None = None
    default: Any = None


DASHBOARD_CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec("organisation", catalogue.LABELS["organisation"], "organisation"),
    ControlSpec("closing_year", catalogue.LABELS["closing_year"], "closing_year"),
    ControlSpec("status", catalogue.LABELS["status"], "status"),
    ControlSpec("case_type", catalogue.LABELS["case_type"], "case_type"),
)


def _years_only(release: Any) -> list[tuple[str, Any]]:
    return [(str(v), int(v)) for v in release.levels.get("closing_year", [])]


def _last(options: list[tuple[str, Any]]) -> Any:
    return options[-1][1] if options else ALL


#: Evolutie: the closing years as a range (from, to), never a filter that collapses a trend.
TREND_CONTROLS: tuple[ControlSpec, ...] = (
    DASHBOARD_CONTROLS[0],
    ControlSpec("year_from", "Afgesloten vanaf", "closing_year", options=_years_only),
    ControlSpec("year_to", "tot en met", "closing_year", options=_years_only, default=_last),
    DASHBOARD_CONTROLS[3],
)


def visible_organisations() -> frozenset[str] | None:
    """The organisations a server may offer in the dropdown, or ``None`` for all
    (``SOFS_ORGANISATIONS="Naam"``; the role's slice limits it further)."""
    raw = os.environ.get(ORGANISATIONS_ENV, "").strip()
    if not raw:
        return None
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def control_options(release: Any, spec: ControlSpec) -> list[tuple[str, Any]]:
    """Dropdown options (Dutch label, value) from the levels of the role's release slice.

    Organisation: the agency gets *Alle organisaties* and every organisation; an
    organisation *Vlaanderen* and itself; the public *Vlaanderen* only."""
    from sofs_lib import access

    if spec.options is not None:
        return spec.options(release)
    if spec.field == "organisation":
        names = list(release.organisations)
        allowed = visible_organisations()
        if allowed is not None:
            names = [n for n in names if n in allowed]
        first = (
            catalogue.LABELS["all_organisations"]
            if release.role == access.AGENCY
            else catalogue.LABELS["flanders"]
        )
        return [(first, ALL), *((n, n) for n in names)]
    levels = list(release.levels.get(spec.column, []))
    options: list[tuple[str, Any]] = [("Alle", ALL)]
    if spec.field == "case_type":
        return options + [(catalogue.CASE_TYPES.get(k, k), k) for k in levels]
    if spec.field == "status":
        return options + [(catalogue.STATUS.get(k, k), k) for k in levels]
    if spec.field in _INT_FIELDS:
        return options + [(str(v), int(v)) for v in levels]
    return options + [(str(v), v) for v in levels]


def default_value(release: Any, spec: ControlSpec, options: list[tuple[str, Any]]) -> Any:
    """The value a control opens on: an organisation's own figures, else the spec's default."""
    values = [v for _, v in options]
    default = spec.default(options) if callable(spec.default) else spec.default
    if spec.field == "organisation" and getattr(release, "organisation", None) in values:
        return release.organisation
    return default if default in values else (values[0] if values else ALL)


def parse_selection(
    release: Any, controls: tuple[ControlSpec, ...], query: Mapping[str, str]
) -> Selection:
    """A :class:`Selection` from text (a download link's query), accepting only the values
    the role's controls offer; anything else is a :class:`SofsInputError` (Dutch)."""
    by_field = {c.field: c for c in controls}
    values: dict[str, Any] = {}
    for name, raw in query.items():
        spec = by_field.get(name)
        if spec is None:
            raise SofsInputError(f"Onbekende keuze '{name}' voor dit dashboard.")
        options = {str(v): v for _, v in control_options(release, spec)}
        if str(raw) not in options:
            raise SofsInputError(f"De waarde '{raw}' kan niet gekozen worden bij '{spec.label}'.")
        value = options[str(raw)]
        values[name] = None if value == ALL else value
    for spec in controls:  # fields not in the query: the control's default
        if spec.field not in values:
            options = control_options(release, spec)
            value = default_value(release, spec, options)
            values[spec.field] = None if value == ALL else value
    return Selection(**values)
