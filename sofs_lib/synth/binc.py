"""A synthetic raw Binc extract, calibrated to the report's Tables 5–8 (lines 4438–4985).

``write_binc_export(path, seed=...)`` writes the workbook described in
``docs/binc_data_dictionary.md``: sheet ``Schakelingen`` (one row per module
registration) and sheet ``Kindkenmerken`` (one row per child). The calibration is
*constructive*: the counts the report publishes are laid out exactly (368 children,
402 CB SofS modules, 252/115/1 children open/closed/unknown, Table 6 per status,
Table 7 frequency/combination/link order, Table 8 clusters before/after, the Table 5
categories) and the seed only shuffles who gets what and draws dates and typing mess.
Where the report contradicts itself the choice is recorded in the ``note`` column of
``sofs_lib/reference/report_figures.csv`` (source ``binc``); the layout constants below follow it.

The mess of a real export is added at modest rates: dates typed as text in several
forms or stored as Excel serial numbers, case and spacing variants, ``NVT`` for
*Niet van toepassing*, blank cells for missing values, a few blank rows, one exact
duplicate row and one stray row without child pseudonym (quarantined by the cleaner).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from sofs_lib import config
from sofs_lib.errors import SofsInputError
from sofs_lib.reference.layouts import (
    CHILD_FIELDS,
    CHILD_SHEET,
    MODULE_OPTIONAL,
    MODULE_REQUIRED,
    MODULE_SHEET,
)

SOFS_MODULE = "Contextbegeleiding in functie van veiligheidsplanning Signs of Safety"
SHORT_STAY = "Verblijf voor kinderen (korte duur)"
FOSTER_STAY = "Verblijf in pleeggezin"

#: The raw layout is the cleaner's (docs/binc_data_dictionary.md): one definition.
MODULE_HEADERS: tuple[str, ...] = (*MODULE_REQUIRED, *MODULE_OPTIONAL)
#: Child sheet: header -> cleaned column (the Table 5 variables keep their categories).
CHILD_HEADERS: dict[str, str] = CHILD_FIELDS

N_CHILDREN = 368
YEARS = (2020, 2021, 2022, 2023)
#: Children per span of begeleidingsjaren with an active CB SofS module; the per-year
#: totals are Table 5's 1–179–263–162 (a child counts in each year it is in the module).
SPANS: tuple[tuple[int, int, int], ...] = (
    (2020, 2020, 1),
    (2021, 2021, 39),
    (2021, 2022, 110),
    (2021, 2023, 30),
    (2022, 2022, 56),
    (2022, 2023, 67),
    (2023, 2023, 65),
)
#: Children per status of the last link (Table 6: 252 open, 115 closed; one unknown so
#: that 115/368 = 31.3% and 252/368 = 68.5%, lines 4458–4460).
N_OPEN_SOFS_NO_AFTER = 150
N_AFTER_OPEN = 102
N_AFTER_CLOSED = 22
N_CLOSED_2023 = 11
#: Link structure (Table 7/8, read as the note of the reference CSV explains).
N_NO_BEFORE = 159
N_SOLE = 91
N_NO_BEFORE_WITH_AFTER = 68
N_AFTER_CHILDREN = N_AFTER_OPEN + N_AFTER_CLOSED  # 124
N_AFTER_LINKS = 319
#: Multi-SofS children: 30 with two, 2 with three modules -> 402 modules (8.7% > once).
N_TWICE, N_THRICE = 30, 2
N_EARLIER_AT_RANK_1 = 3
#: Link order (schakeling) of the 240 CB SofS modules not in link 1 (Table 7: 72 in the
#: 2nd, 51 in the 3rd, 107 in the 4th–9th, 10 in the 10th or later).
RANK_POOL: dict[int, int] = {
    2: 72, 3: 51, 4: 30, 5: 24, 6: 18, 7: 14, 8: 12, 9: 9,
    10: 2, 11: 2, 12: 2, 13: 1, 14: 1, 15: 1, 16: 1,
}  # fmt: skip
#: Ranks of the 31 earlier CB SofS modules not in link 1 (sum 186, so that the links
#: before the last CB SofS module total 649, Table 8).
EARLIER_RANKS: dict[int, int] = {4: 4, 5: 8, 6: 8, 7: 6, 8: 5}

#: Table 8 clusters of the links before / after the last CB SofS module (the rest of
#: n = 649 / n = 319 falls outside the eight published clusters).
CLUSTER_KEYS = (
    "foster", "broad", "sofs", "cb_crisis", "low", "crisis", "family", "diagnostics", "other",
)  # fmt: skip
BEFORE_CLUSTERS = dict(zip(CLUSTER_KEYS, (138, 46, 42, 45, 53, 76, 103, 48, 98), strict=True))
AFTER_CLUSTERS = dict(zip(CLUSTER_KEYS, (79, 44, 0, 4, 52, 29, 38, 15, 58), strict=True))
#: Module registrations in total (rows of Schakelingen): "n totaal aantal schakelingen
#: = 1872" (line 4816); reached by combined modules within a link.
N_MODULE_ROWS = 1872

_VERBLIJF = (
    "Verblijf voor minderjarigen (hoge frequentie)",
    "Verblijf voor minderjarigen (lage frequentie)",
)
#: Module combinations per cluster: (single-module forms, two-module forms).
TEMPLATES: dict[str, tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]] = {
    "foster": (
        (),
        tuple(
            (care, FOSTER_STAY)
            for care in (
                "Perspectiefzoekende pleegzorg",
                "Perspectiefbiedende pleegzorg",
                "Crisispleegzorg",
                "Kortdurende pleegzorg",
                "Ondersteunende pleegzorg",
            )
        ),
    ),
    "broad": (
        (("Contextbegeleiding breedsporig",),),
        tuple(
            ("Contextbegeleiding breedsporig", other)
            for other in ("Dagbegeleiding in groep", "Kortdurend crisisverblijf", *_VERBLIJF)
        ),
    ),
    "sofs": (((SHORT_STAY,),), ()),
    "cb_crisis": ((("Contextbegeleiding in functie van crisis (Crisishulp aan Huis)",),), ()),
    "low": (
        (("Contextbegeleiding laagintensief",),),
        tuple(
            ("Contextbegeleiding laagintensief", other)
            for other in (
                "Dagbegeleiding in groep",
                "Ondersteunende begeleiding (projectwerking)",
                *_VERBLIJF,
            )
        ),
    ),
    "family": (
        (("Gezinsbegeleiding",),),
        tuple(("Gezinsbegeleiding", other) for other in ("Dagbegeleiding in groep", *_VERBLIJF)),
    ),
    "diagnostics": (
        (("Kortdurende handelingsgerichte diagnostiek",),),
        (("Kortdurende handelingsgerichte diagnostiek", "Verblijf in functie van diagnostiek"),),
    ),
    "crisis": (
        (("Crisisbegeleiding",), ("Crisisinterventie",), ("Kortdurend crisisverblijf",)),
        (("Crisisbegeleiding", "Kortdurend crisisverblijf"),),
    ),
    "other": (
        (
            *((v,) for v in _VERBLIJF),
            ("Verblijf voor minderjarigen (hoge urgentie)",),
            ("Dagbegeleiding in groep",),
            ("Ondersteunende begeleiding (projectwerking)",),
            ("Contextbegeleiding in functie van positieve heroriëntering",),
            ("Contextbegeleiding in functie van autonoom wonen",),
            ("Kamertraining",),
        ),
        (
            (
                "Contextbegeleiding in functie van autonoom wonen",
                "Verblijf in functie van autonoom wonen",
            ),
            ("Dagbegeleiding in groep", "Verblijf voor minderjarigen (lage frequentie)"),
            ("Ondersteunende begeleiding (projectwerking)", "Dagbegeleiding in groep"),
        ),
    ),
}
#: Modules combined with a CB SofS module in the same link (Table 7, 24 of 402).
SOFS_COMBINATIONS: tuple[tuple[tuple[str, ...], int], ...] = (
    ((SHORT_STAY,), 12),
    (("Contextbegeleiding laagintensief", "Dagbegeleiding in groep"), 3),
    (("Ondersteunende begeleiding (projectwerking)",), 3),
    (("Contextbegeleiding laagintensief", "Verblijf voor minderjarigen (hoge frequentie)"), 2),
    (("Contextbegeleiding in functie van positieve heroriëntering",), 1),
    (("Kortdurend crisisverblijf",), 1),
    (("Verblijf voor minderjarigen (hoge urgentie)",), 1),
    (("Contextbegeleiding laagintensief",), 1),
)

#: VZB organisation type of the last link, per status (Table 6, lines 4752–4763).
VZB_TYPES: tuple[str, ...] = (
    "Crisishulp aan huis",
    "Centrum Integrale Gezinszorg",
    "Centrum Kinderzorg en Gezinsondersteuning",
    "Naadloos Flexibel Traject",
    "Voorziening extreme gedrags- en emotionele problemen (GES+)",
    "Observatie- en behandelcentrum",
    "Onthaal-, observatie- en oriëntatiecentrum",
    "Organisatie voor bijzondere jeugdzorg met verblijf",
    "Organisatie voor bijzondere jeugdzorg zonder verblijf",
    "Pleegzorg",
    "Niet van toepassing",
)
VZB_OPEN = (1, 0, 16, 3, 0, 1, 8, 140, 20, 35, 28)
VZB_CLOSED = (1, 1, 4, 3, 1, 0, 2, 83, 15, 4, 1)

NVT = "Niet van toepassing"
N_NVT = 257
#: Table 5 counts among the 111 children with a full registration (the other 257 are
#: "Niet van toepassing" throughout); ``None`` is Missing (a blank cell).
FULL_REGISTRATION: dict[str, dict[str | None, int]] = {
    "daytime_activity": {"Nog niet schoolgaand": 37, "Schoolgaand": 68, "Andere": 1, None: 5},
    "education_child": {
        "Kleuteronderwijs": 19, "Lager onderwijs": 27, "BLO": 1, "ASO": 6, "BSO": 5,
        "TSO": 1, "BuSO": 2, "Geen": 36, None: 14,
    },
    "school_delay": {"0": 58, "1": 9, NVT: 33, None: 11},
    "unaccompanied_minor": {"Nee": 107, None: 4},
    "family_situation": {
        "Bi-locatieregeling (co-ouderschap)": 11, "Eenoudergezin moeder": 20,
        "Eenoudergezin vader": 3, "Familie": 1, "Kerngezin": 56, "Monolocatieregeling": 1,
        "Nieuw-samengesteld gezin moeder": 10, "Nieuw-samengesteld gezin vader": 1,
        "Andere": 2, None: 6,
    },
    "adoptive_family": {"Nee": 7, None: 104},
    "foster_family": {"Ja": 1, "Nee": 7, None: 103},
    "housing": {"Positief": 76, "Negatief": 19, None: 16},
    "home_language": {"Nederlands": 82, "Nederlands en andere": 15, "Andere": 7, None: 7},
    "health": {"Positief": 64, "Negatief": 27, None: 20},
    "debts": {"Ja": 27, "Nee": 37, None: 47},
    "education_parent": {
        "Lager onderwijs": 3, "Lager secundair onderwijs": 13, "Hoger secundair onderwijs": 14,
        "Hoger onderwijs": 9, "Geen": 2, None: 70,
    },
    "income_situation": {
        "Inkomen uit arbeid deeltijds": 7,
        "Inkomen uit arbeid deeltijds + inkomen uit arbeid voltijds": 3,
        "Inkomen uit arbeid deeltijds + vervangingsinkomen": 2,
        "Inkomen uit arbeid voltijds": 29,
        "Inkomen uit arbeid voltijds + vervangingsinkomen": 15,
        "Inkomen uit arbeid voltijds + wisselende arbeidssituatie": 2,
        "Vervangingsinkomen": 26, "Wisselende arbeidssituatie": 2, "Geen": 4,
        "Geen + inkomen uit arbeid deeltijds": 1, "Geen + inkomen uit arbeid voltijds": 4,
        "Geen + vervangingsinkomen": 1, None: 15,
    },
}  # fmt: skip
#: Foster care at some point in the trajectory (Table 5 and lines 4720–4724).
FOSTER_CARE = {"Ja, bestandspleegzorg": 34, "Ja, netwerkpleegzorg": 183, "Nee": 151}
FOSTER_NETWORK = {"In familiaal netwerk": 120, "In sociaal netwerk": 55, None: 8}

#: Per-year targets of Table 5 (lines 4493–4603): sex, and number of children.
SEX_BY_YEAR = {
    2020: {"Mannelijk": 1, "Vrouwelijk": 0},
    2021: {"Mannelijk": 85, "Vrouwelijk": 94},
    2022: {"Mannelijk": 121, "Vrouwelijk": 142},
    2023: {"Mannelijk": 78, "Vrouwelijk": 84},
}
KIDS_ROWS = {  # 1..8 children, then Missing (Table 5, lines 4589–4598)
    2020: (0, 0, 0, 1, 0, 0, 0, 0, 0),
    2021: (45, 47, 39, 27, 7, 5, 2, 2, 5),
    2022: (69, 83, 40, 30, 15, 10, 4, 1, 11),
    2023: (33, 37, 21, 15, 8, 3, 2, 1, 43),
}
#: Age rows (0..18) of Table 5 for 2021–2023; they sum to 201/323/174, not to the year
#: totals, and imply means of 8.0/7.4/7.2 against the printed 9.0/9.1/7.8. We keep the
#: printed means (repeated in the text, lines 4486 and 4962) and the rows' shape,
#: exponentially tilted to those means and scaled to the year totals.
AGE_ROWS = {
    2021: (7, 15, 7, 14, 11, 10, 11, 13, 15, 19, 14, 15, 20, 5, 11, 3, 8, 3, 0),
    2022: (15, 27, 21, 23, 22, 17, 15, 22, 25, 21, 20, 20, 26, 12, 13, 13, 6, 4, 1),
    2023: (8, 13, 15, 10, 15, 17, 9, 9, 13, 14, 5, 3, 10, 9, 9, 7, 5, 3, 0),
}
AGE_MEANS = {2021: 9.0, 2022: 9.1, 2023: 7.8}

N_ORGANISATIONS = 20
N_OTHER_PROVIDERS = 60
_EXPORT = pd.Timestamp(config.REPORT_BINC_DATE)


# --------------------------------------------------------------------------- helpers


def _exact(counts: dict, rng: np.random.Generator) -> np.ndarray:
    """The keys of ``counts`` repeated by their counts, shuffled (object array)."""
    values: list = []
    for key, n in counts.items():
        values.extend([key] * int(n))
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    rng.shuffle(arr)
    return arr


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Whole counts proportional to ``weights`` summing to ``total``."""
    raw = weights / weights.sum() * total
    counts = np.floor(raw).astype(int)
    short = total - counts.sum()
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def _tilted_ages(year: int, total: int) -> dict[int, int]:
    """Table 5's age rows of ``year`` tilted to the printed mean, as whole counts."""
    base = np.asarray(AGE_ROWS[year], dtype=float) + 0.5
    ages = np.arange(len(base), dtype=float)
    lo, hi = -2.0, 2.0
    for _ in range(60):
        mid = (lo + hi) / 2
        w = base * np.exp(mid * ages)
        if (w * ages).sum() / w.sum() < AGE_MEANS[year]:
            lo = mid
        else:
            hi = mid
    counts = _largest_remainder(base * np.exp(lo * ages), total)
    return {int(a): int(c) for a, c in zip(ages, counts, strict=True)}


def _kids_targets(year: int, total: int) -> dict[int | None, int]:
    row = np.asarray(KIDS_ROWS[year], dtype=float)
    counts = _largest_remainder(row, total) if row.sum() != total else row.astype(int)
    keys: list[int | None] = [*range(1, 9), None]
    return {k: int(c) for k, c in zip(keys, counts, strict=True)}


def _assign_by_year(
    years: Sequence[tuple[int, ...]],
    targets: dict[int, dict],
    rng: np.random.Generator,
    fixed: dict[int, object] | None = None,
) -> list:
    """Values per child so that per-year counts (a child counts in each of its years)
    come as close as possible to ``targets`` (greedy, most-constrained children first)."""
    remaining = {y: dict(t) for y, t in targets.items()}
    values: list = [None] * len(years)
    for i, v in (fixed or {}).items():
        values[i] = v
        for y in years[i]:
            remaining[y][v] -= 1
    order = sorted(
        (i for i in range(len(years)) if i not in (fixed or {})),
        key=lambda i: (-len(years[i]), rng.random()),
    )
    for i in order:
        options = list(remaining[years[i][0]])
        best, best_key = None, None
        for v in options:
            scores = [remaining[y][v] for y in years[i]]
            key = (min(scores), sum(scores), rng.random())
            if best_key is None or key > best_key:
                best, best_key = v, key
        values[i] = best
        for y in years[i]:
            remaining[y][best] -= 1
    return values


def _random_day(rng: np.random.Generator, start: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    span = max(int((end - start).days), 0)
    return start + pd.Timedelta(days=int(rng.integers(0, span + 1)))


# --------------------------------------------------------------------------- children


def _children_plan(rng: np.random.Generator) -> pd.DataFrame:
    """One row per child: span, status kind, link structure, ranks of its SofS modules."""
    first = np.concatenate([[a] * n for a, _b, n in SPANS])
    last = np.concatenate([[b] * n for _a, b, n in SPANS])
    plan = pd.DataFrame({"first_year": first, "last_year": last})
    idx = np.arange(N_CHILDREN)
    kind = np.full(N_CHILDREN, "", dtype=object)

    ends_2023 = idx[plan["last_year"].to_numpy() == 2023]
    only_2023 = idx[(plan["first_year"] == 2023).to_numpy()]
    unknown = rng.choice(only_2023, 1, replace=False)
    kind[unknown] = "unknown"
    pool = np.setdiff1d(ends_2023[plan["first_year"].to_numpy()[ends_2023] < 2023], unknown)
    closed_2023 = rng.choice(pool, N_CLOSED_2023, replace=False)
    kind[closed_2023] = "closed"
    kind[np.setdiff1d(ends_2023, np.concatenate([unknown, closed_2023]))] = "open_sofs"
    earlier = idx[plan["last_year"].to_numpy() < 2023]
    after = rng.choice(earlier, N_AFTER_CHILDREN, replace=False)
    after_open = rng.choice(after, N_AFTER_OPEN, replace=False)
    kind[np.setdiff1d(earlier, after)] = "closed"
    kind[np.setdiff1d(after, after_open)] = "after_closed"
    kind[after_open] = "after_open"
    plan["kind"] = kind
    has_after = np.isin(kind, ["after_open", "after_closed"])
    plan["has_after"] = has_after

    # Who has no link before the last CB SofS module: 68 with, 91 without a natraject.
    no_before = np.concatenate(
        [
            rng.choice(idx[has_after], N_NO_BEFORE_WITH_AFTER, replace=False),
            rng.choice(idx[~has_after], N_SOLE, replace=False),
        ]
    )
    plan["has_before"] = ~np.isin(idx, no_before)
    before_idx = rng.permutation(idx[plan["has_before"].to_numpy()])
    n_multi = N_TWICE + N_THRICE
    multi, single = before_idx[:n_multi], before_idx[n_multi:]

    # Ranks: earlier SofS modules first, then the last module above its earlier ones.
    pool_ranks = sorted(_exact(RANK_POOL, rng).tolist())
    for rank, n in EARLIER_RANKS.items():
        for _ in range(n):
            pool_ranks.remove(rank)
    earlier_ranks = sorted(_exact(EARLIER_RANKS, rng).tolist())
    sofs_ranks: dict[int, list[int]] = {int(i): [1] for i in no_before}
    thrice, twice = multi[:N_THRICE], multi[N_THRICE:]
    triple_earlier = [(earlier_ranks.pop(0), earlier_ranks.pop(-1)) for _ in range(N_THRICE)]
    for child, pair in zip(thrice, triple_earlier, strict=True):
        sofs_ranks[int(child)] = sorted(pair)
    twice_earlier = [1] * N_EARLIER_AT_RANK_1 + earlier_ranks
    rng.shuffle(twice_earlier)
    for child, rank in zip(twice, twice_earlier, strict=True):
        sofs_ranks[int(child)] = [rank]
    # Most demanding multi children first: smallest pool rank above their earlier ranks.
    for child in sorted(multi, key=lambda c: -max(sofs_ranks[int(c)])):
        need = max(sofs_ranks[int(child)])
        pick = next(r for r in pool_ranks if r > need)
        pool_ranks.remove(pick)
        sofs_ranks[int(child)].append(pick)
    rng.shuffle(pool_ranks)
    for child, rank in zip(single, pool_ranks, strict=True):
        sofs_ranks[int(child)] = [rank]
    plan["sofs_ranks"] = [tuple(sofs_ranks[i]) for i in range(N_CHILDREN)]
    plan["last_rank"] = [r[-1] for r in plan["sofs_ranks"]]

    n_after = np.zeros(N_CHILDREN, dtype=int)
    n_after[has_after] = 1
    extra = rng.choice(idx[has_after], N_AFTER_LINKS - N_AFTER_CHILDREN, replace=True)
    np.add.at(n_after, extra, 1)
    plan["n_after"] = n_after
    return plan


def _characteristics(plan: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    years = [
        tuple(range(a, b + 1)) for a, b in zip(plan["first_year"], plan["last_year"], strict=True)
    ]
    per_year = {y: sum(y in ys for ys in years) for y in YEARS}
    the_2020_child = int(np.flatnonzero(plan["first_year"].to_numpy() == 2020)[0])
    sex = _assign_by_year(years, SEX_BY_YEAR, rng, {the_2020_child: "Mannelijk"})
    age_targets = {y: _tilted_ages(y, per_year[y]) for y in (2021, 2022, 2023)}
    age_targets[2020] = {a: int(a == 11) for a in range(19)}
    ages = _assign_by_year(years, age_targets, rng, {the_2020_child: 11})
    kids_targets = {y: _kids_targets(y, per_year[y]) for y in YEARS}
    kids = _assign_by_year(years, kids_targets, rng, {the_2020_child: 4})

    out = pd.DataFrame({"registration_year": plan["first_year"], "sex": sex})
    out["age_at_entry"] = ages
    out["n_children"] = kids
    nvt = np.zeros(N_CHILDREN, dtype=bool)
    nvt[rng.choice(N_CHILDREN, N_NVT, replace=False)] = True
    for column, counts in FULL_REGISTRATION.items():
        values = np.full(N_CHILDREN, NVT, dtype=object)
        values[~nvt] = _exact(counts, rng)
        out[column] = values
    foster = _exact(FOSTER_CARE, rng)
    out["foster_care"] = foster
    network = np.full(N_CHILDREN, None, dtype=object)
    network[foster == "Ja, netwerkpleegzorg"] = _exact(FOSTER_NETWORK, rng)
    out["foster_network"] = network
    return out


# --------------------------------------------------------------------------- modules


def _link_templates(rng: np.random.Generator, clusters: np.ndarray) -> list[tuple[str, ...]]:
    """A module combination for each non-SofS link, with exactly enough two-module links
    to reach :data:`N_MODULE_ROWS` registrations in total."""
    sofs_extra = sum(len(mods) * n for mods, n in SOFS_COMBINATIONS)
    n_sofs = N_CHILDREN + N_TWICE + 2 * N_THRICE
    forced_double = clusters == "foster"
    can_double = np.isin(clusters, ["broad", "low", "family", "diagnostics", "crisis", "other"])
    n_double = N_MODULE_ROWS - n_sofs - sofs_extra - len(clusters) - int(forced_double.sum())
    double = forced_double.copy()
    double[rng.choice(np.flatnonzero(can_double), n_double, replace=False)] = True
    out: list[tuple[str, ...]] = []
    for cluster, is_double in zip(clusters, double, strict=True):
        singles, doubles = TEMPLATES[str(cluster)]
        options = doubles if is_double else singles
        out.append(options[int(rng.integers(len(options)))])
    return out


def _vzb_for(cluster: str, rng: np.random.Generator) -> str:
    if cluster == "foster":
        return "Pleegzorg"
    if cluster == "cb_crisis":
        return "Crisishulp aan huis"
    choices = (
        "Organisatie voor bijzondere jeugdzorg met verblijf",
        "Organisatie voor bijzondere jeugdzorg zonder verblijf",
        "Centrum Kinderzorg en Gezinsondersteuning",
        "Onthaal-, observatie- en oriëntatiecentrum",
        "Niet van toepassing",
    )
    return choices[int(rng.choice(len(choices), p=(0.55, 0.2, 0.1, 0.05, 0.1)))]


def _secondary_start(start, end, position: int, rng: np.random.Generator) -> pd.Timestamp:
    """A combined module starts with the main one or a few days later (never after its end)."""
    if position == 0:
        return start
    later = start + pd.Timedelta(days=int(rng.integers(0, 10)))
    return later if end is None or later <= end else start


def _module_rows(plan: pd.DataFrame, rng: np.random.Generator) -> list[dict]:
    """Every module registration with link number, dates (end None = open) and VZB type."""
    n_earlier_sofs = N_TWICE + 2 * N_THRICE
    before_clusters = _exact(
        BEFORE_CLUSTERS | {"sofs": BEFORE_CLUSTERS["sofs"] - n_earlier_sofs}, rng
    )
    after_clusters = _exact(AFTER_CLUSTERS, rng)
    templates = _link_templates(rng, np.concatenate([before_clusters, after_clusters]))
    before_templates = iter(templates[: len(before_clusters)])
    after_templates = iter(templates[len(before_clusters) :])
    before_iter, after_iter = iter(before_clusters), iter(after_clusters)

    n_sofs = int(plan["sofs_ranks"].map(len).sum())
    combos = np.full(n_sofs, None, dtype=object)
    combo_list = [mods for mods, n in SOFS_COMBINATIONS for _ in range(n)]
    combos[rng.choice(n_sofs, len(combo_list), replace=False)] = combo_list
    combo_iter = iter(combos)

    open_vzb = iter(_exact(dict(zip(VZB_TYPES, VZB_OPEN, strict=True)), rng))
    closed_vzb = iter(_exact(dict(zip(VZB_TYPES, VZB_CLOSED, strict=True)), rng))
    sofs_orgs = rng.integers(1, N_ORGANISATIONS + 1, size=N_CHILDREN)

    rows: list[dict] = []
    for i, child in plan.iterrows():
        kind = child["kind"]
        y0, y1 = int(child["first_year"]), int(child["last_year"])
        ranks = list(child["sofs_ranks"])
        last_rank = ranks[-1]
        jan1, dec31 = pd.Timestamp(y0, 1, 1), pd.Timestamp(y0, 12, 31)
        if y0 == 2023:
            s = _random_day(rng, jan1, pd.Timestamp(2023, 4, 15))
        elif y0 == y1:
            s = _random_day(rng, jan1, pd.Timestamp(y0, 9, 30))
        else:
            s = _random_day(rng, jan1, dec31)
        if kind in ("open_sofs", "unknown"):
            e = None
            horizon = _EXPORT - pd.Timedelta(days=20)
        else:
            lo = max(s + pd.Timedelta(days=75), pd.Timestamp(y1, 1, 5))
            hi = pd.Timestamp(y1, 12, 20) if y1 < 2023 else pd.Timestamp(2023, 5, 20)
            e = _random_day(rng, lo, max(lo, hi))
            horizon = e - pd.Timedelta(days=30)
        starts = sorted(
            [s] + [_random_day(rng, s + pd.Timedelta(days=40), horizon) for _ in ranks[1:]]
        )
        sofs_at = dict(zip(ranks, starts, strict=True))
        # SofS modules chain: each earlier one ends when the next one starts.
        sofs_end = {r: sofs_at[ranks[k + 1]] for k, r in enumerate(ranks[:-1])}
        sofs_end[last_rank] = e
        link_dates: dict[int, tuple[pd.Timestamp, pd.Timestamp | None]] = {}
        first_rank = ranks[0]
        cursor = s
        for r in range(first_rank - 1, 0, -1):
            end = cursor - pd.Timedelta(days=int(rng.integers(0, 45)))
            start = end - pd.Timedelta(days=int(rng.integers(60, 330)))
            link_dates[r] = (start, end)
            cursor = start
        for k, r in enumerate(ranks[:-1]):
            between = [q for q in range(r + 1, ranks[k + 1])]
            lo, hi = sofs_at[r], sofs_at[ranks[k + 1]]
            inner = sorted(
                _random_day(rng, lo + pd.Timedelta(days=1), hi - pd.Timedelta(days=1))
                for _ in between
            )
            for q, start in zip(between, inner, strict=True):
                link_dates[q] = (start, min(start + pd.Timedelta(days=45), hi))
        status = "open" if kind in ("open_sofs", "after_open") else "closed"
        if kind == "unknown":
            status = "unknown"

        def add(link: int, modules: Sequence[str], start, end, cluster: str, vzb=None, i=i) -> None:
            org_vzb = vzb or _vzb_for(cluster, rng)
            for m, module in enumerate(modules):
                is_sofs = module == SOFS_MODULE
                rows.append(
                    {
                        "child": i,
                        "link": link,
                        "module": module,
                        "start": _secondary_start(start, end, m, rng),
                        "end": end,
                        "vzb": org_vzb,
                        "organisation": (
                            f"Organisatie {sofs_orgs[i]:02d}"
                            if is_sofs
                            else f"Voorziening {int(rng.integers(1, N_OTHER_PROVIDERS + 1)):03d}"
                        ),
                        "invalid_end": False,
                    }
                )

        n_after = int(child["n_after"])
        for link in range(1, last_rank + 1):
            if link in sofs_at:
                extra = next(combo_iter)
                modules = (SOFS_MODULE, *(extra or ()))
                vzb = None
                if link == last_rank and n_after == 0:
                    if status == "unknown":
                        vzb = VZB_TYPES[7]
                    else:
                        vzb = next(open_vzb) if status == "open" else next(closed_vzb)
                add(link, modules, sofs_at[link], sofs_end[link], "sofs_main", vzb)
                if link == last_rank and status == "unknown":
                    for row in rows[-len(modules) :]:
                        row["invalid_end"] = True
            else:
                cluster = str(next(before_iter))
                start, end = link_dates[link]
                add(link, next(before_templates), start, end, cluster)
        if n_after:
            window_start = e + pd.Timedelta(days=int(rng.integers(1, 40)))
            window_end = _EXPORT - pd.Timedelta(days=25)
            after_starts = sorted(
                _random_day(rng, window_start, window_end) for _ in range(n_after)
            )
            for k, start in enumerate(after_starts):
                link = last_rank + 1 + k
                cluster = str(next(after_iter))
                if k + 1 < n_after:
                    end = after_starts[k + 1]
                    vzb = None
                elif status == "open":
                    end = None
                    vzb = next(open_vzb)
                else:
                    end = _random_day(
                        rng, start + pd.Timedelta(days=5), _EXPORT - pd.Timedelta(days=2)
                    )
                    vzb = next(closed_vzb)
                add(link, next(after_templates), start, end, cluster, vzb)
    return rows


# --------------------------------------------------------------------------- mess + write


def _child_ids(rng: np.random.Generator, block: int = 0) -> np.ndarray:
    numbers = rng.choice(np.arange(100_000, 1_000_000), N_CHILDREN, replace=False)
    prefix = f"K{block}" if block else "K"
    return np.asarray([f"{prefix}{n}" for n in numbers], dtype=object)


def _mess_text(value: str, rng: np.random.Generator) -> str:
    """Case and spacing variants people type, at modest rates."""
    u = rng.random()
    if u < 0.05:
        return value.lower()
    if u < 0.08:
        return value.upper()
    if u < 0.14:
        return f" {value}  "
    return value


def _mess_category(value: object, rng: np.random.Generator) -> object:
    if value is None or pd.isna(value):
        return "Missing" if rng.random() < 0.15 else ""
    if value == NVT:
        u = rng.random()
        return "NVT" if u < 0.08 else ("nvt" if u < 0.12 else value)
    return _mess_text(str(value), rng)


def _mess_date(value: pd.Timestamp | None, rng: np.random.Generator) -> object:
    """A date cell (kept as a date), or the same date typed as text or an Excel serial."""
    if value is None:
        return None
    d = value.date()
    u = rng.random()
    if u < 0.06:
        return d.strftime("%d/%m/%Y")
    if u < 0.09:
        return f"{d.day}-{d.month}-{d.year}"
    if u < 0.11:
        return d.isoformat()
    if u < 0.13:
        return float((value - pd.Timestamp("1899-12-30")).days)
    return d


def binc_provider_name(name: str, index: int) -> str:
    """How Binc registers the dashboard organisation ``name`` (the ``index``-th): the
    provider's own spelling — for some its legal form ("vzw …") or capitals — which
    ``sofs_lib.binc_organisations`` matches back to the dashboard's name. No random draw:
    the rest of the extract does not change with the names."""
    if index % 4 == 1:
        return f"vzw {name}"
    if index % 6 == 2:
        return name.upper()
    return name


def _build_frames(
    seed: int | Sequence[int],
    *,
    shift_days: int = 0,
    block: int = 0,
    org_names: Sequence[str] | None = None,
) -> tuple[list[list[object]], list[list[object]]]:
    """Rows of both sheets for one block of 368 children (``block`` > 0: an extra block
    with its own child ids), every date ``shift_days`` later, SofS providers named after
    the dashboard's ``org_names`` as Binc spells them (:func:`binc_provider_name`;
    ``None``: ``Organisatie 01`` ..)."""
    rng = np.random.default_rng(seed)
    plan = _children_plan(rng)
    chars = _characteristics(plan, rng)
    rows = _module_rows(plan, rng)
    ids = _child_ids(rng, block)
    shift = pd.Timedelta(days=shift_days)
    if shift_days:
        years = int(round(shift_days / 365.25))
        chars["registration_year"] = chars["registration_year"] + years
        for row in rows:
            row["start"] = row["start"] + shift
            row["end"] = None if row["end"] is None else row["end"] + shift
    if org_names is not None:
        for row in rows:
            name = str(row["organisation"])
            if name.startswith("Organisatie "):
                index = (int(name.split()[-1]) - 1) % len(org_names)
                row["organisation"] = binc_provider_name(org_names[index], index)

    module_rows: list[list[object]] = []
    for row in sorted(rows, key=lambda r: (ids[r["child"]], r["link"], r["module"] != SOFS_MODULE)):
        child_id = str(ids[row["child"]])
        if rng.random() < 0.03:
            child_id = f" {child_id} "
        link: object = int(row["link"])
        if rng.random() < 0.04:
            link = f" {link} "
        end: object = "onbekend" if row["invalid_end"] else _mess_date(row["end"], rng)
        module_rows.append(
            [
                child_id,
                link,
                _mess_text(row["module"], rng),
                _mess_date(row["start"], rng),
                end,
                _mess_category(row["vzb"], rng),
                row["organisation"],
            ]
        )
    # An exact duplicate (collapsed), a stray row without pseudonym (quarantined),
    # and blank rows (skipped).
    dup_at = int(rng.integers(10, len(module_rows) - 10))
    module_rows.insert(dup_at + 1, list(module_rows[dup_at]))
    stray_day = (pd.Timestamp(2022, 3, 1) + shift).date()
    stray = ["", 1, "Contextbegeleiding breedsporig", stray_day, None, "", "Voorziening 001"]
    module_rows.insert(int(rng.integers(10, len(module_rows) - 10)), stray)
    for _ in range(2):
        module_rows.insert(int(rng.integers(5, len(module_rows) - 5)), [None] * len(MODULE_HEADERS))

    child_rows: list[list[object]] = []
    order = np.argsort(ids, kind="stable")
    columns = list(CHILD_HEADERS.values())
    for i in order:
        values: list[object] = []
        for column in columns:
            if column == "child_id":
                values.append(str(ids[i]))
            elif column in ("registration_year",):
                values.append(int(chars.at[i, column]))
            elif column in ("age_at_entry", "n_children"):
                v = chars.at[i, column]
                if pd.isna(v):
                    values.append("" if rng.random() < 0.8 else "onbekend")
                else:
                    values.append(int(v) if rng.random() < 0.9 else f"{int(v)} ")
            elif column == "sex":
                v = str(chars.at[i, column])
                u = rng.random()
                values.append(v[0] if u < 0.1 else _mess_text(v, rng))
            elif column == "foster_network":
                v = chars.at[i, column]
                values.append("" if pd.isna(v) else _mess_category(v, rng))
            else:
                values.append(_mess_category(chars.at[i, column], rng))
        child_rows.append(values)
    child_rows.insert(int(rng.integers(5, len(child_rows) - 5)), [None] * len(columns))
    return module_rows, child_rows


def _write_sheet(workbook, name: str, headers: Sequence[str], rows: list[list[object]]) -> None:
    sheet = workbook.add_worksheet(name)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    bold = workbook.add_format({"bold": True})
    for j, header in enumerate(headers):
        sheet.write_string(0, j, header, bold)
    for r, values in enumerate(rows, start=1):
        for j, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_datetime(
                    r, j, datetime(value.year, value.month, value.day), date_format
                )
            elif isinstance(value, int | float):
                sheet.write_number(r, j, value)
            else:
                sheet.write_string(r, j, str(value))
    sheet.freeze_panes(1, 0)


def write_binc_export(
    path: Path,
    *,
    seed: int,
    blocks: int = 1,
    shifts: Sequence[int] = (0,),
    org_names: Sequence[str] | None = None,
) -> None:
    """Write the synthetic raw Binc extract (``.xlsx``, two sheets) to ``path``.

    Deterministic: the same arguments give the same bytes (the workbook's creation time
    is the extraction date, report line 4453, moved as the dates are). ``blocks`` scales
    the extract: each block is the report-calibrated set of 368 children with its own
    seed and ids; block ``j`` moves its dates ``shifts[j % len(shifts)]`` days (the
    periods of ``synth.dashboard.period_shifts``), the first block the last period's.
    """
    import xlsxwriter

    path = Path(path)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SofsInputError(f"seed must be a whole number of at least 0, got {seed!r}")
    if path.suffix.lower() != ".xlsx":
        raise SofsInputError(f"the Binc extract is written as .xlsx, not {path.suffix!r}")
    shifts = tuple(shifts) or (0,)
    module_rows: list[list[object]] = []
    child_rows: list[list[object]] = []
    for block in range(max(1, int(blocks))):
        shift = shifts[(len(shifts) - 1 - block) % len(shifts)]
        block_seed: int | tuple[int, int] = seed if block == 0 else (seed, block)
        m, c = _build_frames(block_seed, shift_days=shift, block=block, org_names=org_names)
        module_rows += m
        child_rows += c
    workbook = xlsxwriter.Workbook(str(path))
    extraction = config.REPORT_BINC_DATE + timedelta(days=shifts[-1])
    created = datetime.combine(extraction, datetime.min.time())
    workbook.set_properties({"title": "Binc extract (synthetic)", "created": created})
    _write_sheet(workbook, MODULE_SHEET, MODULE_HEADERS, module_rows)
    _write_sheet(workbook, CHILD_SHEET, tuple(CHILD_HEADERS), child_rows)
    workbook.close()


def binc_export_date(shifts: Sequence[int] = (0,)) -> date:
    """The extraction date of an extract written with ``shifts``."""
    return config.REPORT_BINC_DATE + timedelta(days=tuple(shifts or (0,))[-1])


__all__ = ["write_binc_export", "SOFS_MODULE", "MODULE_SHEET", "CHILD_SHEET"]
