"""The kerndataset instrument as data: items, answer scales, moments and workbook columns.

The report proposes a *kerndataset* (section 4.3, report lines 8023–8560; Tables 11–13):
registrations at closure, 6 and 12 months after closure, a parent survey (28 five-point
items) and a child survey (ja/soms/nee). ``items.csv`` (package data, read with
:mod:`importlib.resources`) holds every indicator and item once: id, Dutch text, scale,
subscale, the moments it is asked at and the report line it comes from. Template, cleaner,
scoring, generator and notebook all read it from here (``docs/kerndataset.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

#: The three registration moments, in order (Table 11's three columns).
MOMENTS: tuple[str, ...] = ("closure", "6m", "12m")
#: Months after closure at which each moment is due.
MOMENT_MONTHS: dict[str, int] = {"closure": 0, "6m": 6, "12m": 12}
#: Worksheet name of each moment in the registration workbook.
MOMENT_SHEETS: dict[str, str] = {
    "closure": "Afronding",
    "6m": "6 maanden",
    "12m": "12 maanden",
}
#: Dutch label of each moment for people.
MOMENT_LABELS: dict[str, str] = {
    "closure": "bij afronding",
    "6m": "6 maanden na afronding",
    "12m": "12 maanden na afronding",
}


@dataclass(frozen=True)
class Scale:
    """An answer scale: the labels offered (in order) and the value each stands for."""

    key: str
    labels: tuple[str, ...]
    values: tuple[object, ...]

    def mapping(self) -> dict[str, object]:
        return dict(zip(self.labels, self.values, strict=True))


#: Table 12: five-point agreement, scored 1 (helemaal niet akkoord) .. 5 (helemaal akkoord).
LIKERT5 = Scale(
    "likert5",
    ("Helemaal niet akkoord", "Niet akkoord", "Neutraal", "Akkoord", "Helemaal akkoord"),
    (1, 2, 3, 4, 5),
)
#: Table 13: ja / soms / nee, scored so that higher is better (3 = ja).
JA_SOMS_NEE = Scale("ja_soms_nee", ("Ja", "Soms", "Nee"), (3, 2, 1))
JA_NEE = Scale("ja_nee", ("Ja", "Nee"), (True, False))
NETWERK_VERBLIJF = Scale("netwerk_verblijf", ("Netwerk", "Verblijf"), ("network", "residential"))
SCALES: dict[str, Scale] = {s.key: s for s in (LIKERT5, JA_SOMS_NEE, JA_NEE, NETWERK_VERBLIJF)}

#: Other forms people type for a scale label -> the label (compared trimmed, case-folded,
#: single spaces, without a final full stop). A new form is a new line here.
SCALE_VARIANTS: dict[str, dict[str, str]] = {
    "likert5": {
        "helemaal niet akk": "Helemaal niet akkoord",
        "hel niet akkoord": "Helemaal niet akkoord",
        "helemaal oneens": "Helemaal niet akkoord",
        "hna": "Helemaal niet akkoord",
        "niet akk": "Niet akkoord",
        "niet akkord": "Niet akkoord",
        "oneens": "Niet akkoord",
        "neutr": "Neutraal",
        "neutral": "Neutraal",
        "akk": "Akkoord",
        "akkord": "Akkoord",
        "eens": "Akkoord",
        "helemaal akk": "Helemaal akkoord",
        "hel akkoord": "Helemaal akkoord",
        "helemaal eens": "Helemaal akkoord",
        "ha": "Helemaal akkoord",
    },
    "ja_soms_nee": {"j": "Ja", "jawel": "Ja", "soms wel": "Soms", "af en toe": "Soms",
                    "n": "Nee", "neen": "Nee"},  # fmt: skip
    "ja_nee": {"j": "Ja", "x": "Ja", "n": "Nee", "neen": "Nee"},
    "netwerk_verblijf": {
        "natuurlijk netwerk": "Netwerk",
        "bij natuurlijk netwerk": "Netwerk",
        "netwerkpleegzorg": "Netwerk",
        "residentieel": "Verblijf",
        "verblijfsmodule": "Verblijf",
    },
}
#: Scales on which a bare number 1..k is read as the k-th label (a survey tool's numeric
#: export). Not for ja/soms/nee: whether 1 means ja or nee differs between tools.
NUMERIC_SCALES: frozenset[str] = frozenset({"likert5"})

#: Consent channels (how the family agreed to be contacted, report lines 8280–8286). Only
#: the channel is registered; the address or number stays in the organisation's own file.
CONSENT_CHANNELS: tuple[str, ...] = ("E-mail", "Telefoon", "Post", "Huisbezoek")
NO_CONSENT = "Geen toestemming"
CONSENT_VARIANTS: dict[str, str] = {
    "email": "E-mail",
    "mail": "E-mail",
    "e mail": "E-mail",
    "tel": "Telefoon",
    "telefonisch": "Telefoon",
    "gsm": "Telefoon",
    "sms": "Telefoon",
    "brief": "Post",
    "nee": NO_CONSENT,
    "neen": NO_CONSENT,
    "geen": NO_CONSENT,
    "weigert": NO_CONSENT,
}

#: Administrative columns of each sheet: header -> cleaned column. Keys first.
KEY_COLUMNS: dict[str, str] = {"Organisatie": "organisation", "Fiche ID": "trajectory_id"}
CONTACT_COLUMN: dict[str, str] = {"Contactdatum": "contact_date"}
CONSENT_COLUMNS: dict[str, str] = {
    "Toestemming datum": "consent_date",
    "Toestemming kanaal": "consent_channel",
    "Kind ID (Binc)": "binc_child_id",
}
REACHED_COLUMN: dict[str, str] = {"Bereikt": "reached"}
REMARKS_COLUMN: dict[str, str] = {"Opmerkingen": "remarks"}
#: Other spellings of administrative headers -> header.
HEADER_ALIASES: dict[str, str] = {
    "Organisatienaam": "Organisatie",
    "FicheID": "Fiche ID",
    "Fichenummer": "Fiche ID",
    "Fiche nr": "Fiche ID",
    "Datum contact": "Contactdatum",
    "Datum registratie": "Contactdatum",
    "Registratiedatum": "Contactdatum",
    "Datum toestemming": "Toestemming datum",
    "Toestemming": "Toestemming kanaal",
    "Kanaal toestemming": "Toestemming kanaal",
    "Kind ID": "Kind ID (Binc)",
    "Binc Kind ID": "Kind ID (Binc)",
    "Gecontacteerd": "Bereikt",
    "Opmerking": "Opmerkingen",
}


@lru_cache(maxsize=1)
def load_items() -> pd.DataFrame:
    """Every indicator and survey item (``items.csv``), in instrument order.

    Columns: ``item_id``, ``header`` (the workbook column), ``text`` (Dutch, as the
    report prints it), ``scale`` (``likert5``, ``ja_soms_nee``, ``ja_nee``,
    ``netwerk_verblijf``, ``count`` or ``text``), ``subscale``, ``moments`` (tuple of
    :data:`MOMENTS`), ``source_line`` (line of the report text), ``free_text`` (bool),
    ``note``.
    """
    with resources.files("sofs_lib.kerndataset").joinpath("items.csv").open(
        encoding="utf-8"
    ) as handle:
        items = pd.read_csv(handle, dtype="str", keep_default_na=False)
    items["moments"] = items["moments"].str.split().map(tuple)
    items["source_line"] = items["source_line"].astype("int64")
    items["free_text"] = items["free_text"].eq("true")
    return items


def items_for(moment: str) -> pd.DataFrame:
    """The items registered at ``moment``, in instrument order."""
    if moment not in MOMENTS:
        raise ValueError(f"unknown moment {moment!r}; expected one of {', '.join(MOMENTS)}")
    items = load_items()
    return items[items["moments"].map(lambda m: moment in m)].reset_index(drop=True)


def survey_items(subscale: str | None = None) -> list[str]:
    """Ids of the parent (``O1``..``O28``) and child (``K1a``..``K7``) survey items,
    optionally of one subscale (``modelgetrouwheid``, ``effectiviteit``, ``kind``)."""
    items = load_items()
    survey = items[items["scale"].isin(["likert5", "ja_soms_nee"])]
    if subscale is not None:
        survey = survey[survey["subscale"].eq(subscale)]
    return survey["item_id"].tolist()


def free_text_items() -> list[str]:
    """Ids of items answered in free text: never shown outside the organisation's view."""
    items = load_items()
    return items.loc[items["free_text"], "item_id"].tolist() + ["remarks"]


def sheet_headers(moment: str) -> list[str]:
    """Every column header of the workbook sheet of ``moment``, in order."""
    headers = [*KEY_COLUMNS, *CONTACT_COLUMN]
    headers += list(CONSENT_COLUMNS) if moment == "closure" else list(REACHED_COLUMN)
    headers += items_for(moment)["header"].tolist()
    return headers + list(REMARKS_COLUMN)


#: Subscales of the surveys and their Dutch labels.
SUBSCALE_LABELS: dict[str, str] = {
    "modelgetrouwheid": "Modelgetrouwheid (ouder, items 1–14)",
    "effectiviteit": "Effectiviteit van de ondersteuning (ouder, items 15–28)",
    "kind": "Bevraging minderjarige (vragen 1–7)",
}

__all__ = [
    "CONSENT_CHANNELS",
    "JA_NEE",
    "JA_SOMS_NEE",
    "LIKERT5",
    "MOMENTS",
    "MOMENT_LABELS",
    "MOMENT_MONTHS",
    "MOMENT_SHEETS",
    "NO_CONSENT",
    "SCALES",
    "SUBSCALE_LABELS",
    "Scale",
    "free_text_items",
    "items_for",
    "load_items",
    "sheet_headers",
    "survey_items",
]
