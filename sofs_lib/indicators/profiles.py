"""Profiles of the families in CB SofS, from the cleaned Binc extract (report lines 4438–4985).

- Table 5 (lines 4493–4712): child and family characteristics, per begeleidingsjaar for
  sex, age at entry and number of children, over all children for the rest. A child
  counts in every year from the start of its first CB SofS module to the end of its last
  (open: the export year) — which is why the report's per-year totals (1–179–263–162)
  add up to more than 368. As in the report, shares of Table 5 are taken over *all*
  children of the column, "Niet van toepassing" and "Missing" included.
- Foster care during the trajectory (Table 5, lines 4720–4724): shares over all
  children; the kind of network over the children in network foster care.
- Table 6 (lines 4742–4763): VZB organisation type of the last link by its status (open /
  closed), shares within each status; χ² test of independence (line 4740: χ²(10) = 32.2).
- Table 7 (lines 4790–4825): how often a child gets the module, alone or combined with
  other modules in the same link, and in which link (schakeling) it is used.
- Table 8 (lines 4826–4870): the links before / after the last CB SofS module
  (voor-/natraject) clustered; shares within the position.

Every function takes cleaned frames (``BincCleanResult.children`` / ``.modules``, any
subset), ``by`` grouping columns of that frame, and returns a tidy frame: the ``by``
columns, ``indicator``, inner keys (``category``, ``year``...), ``numerator``,
``denominator``, ``share`` (0–1, NaN when the denominator is 0), or distribution
columns ``n, mean, sd, median, min, max``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sofs_lib.clean_binc import (
    BincCleanResult,
    categories,
    cluster_labels,
    join_sorted_groups,
    links_frame,
)
from sofs_lib.indicators.derive import distribution_table, shares_table

#: Label of a missing value in the tables (the report's "Missing").
MISSING = "Missing"
NVT = "Niet van toepassing"
#: Table 5 variables shown over all children (report order) and their Dutch titles.
TABLE5_VARIABLES: dict[str, str] = {
    "daytime_activity": "Dagbesteding",
    "education_child": "Opleidingsniveau",
    "school_delay": "Aantal jaren schoolachterstand",
    "unaccompanied_minor": "Niet-begeleide minderjarige",
    "family_situation": "Gezinssituatie",
    "adoptive_family": "Adoptiegezin",
    "foster_family": "Pleeggezin",
    "foster_care": "Pleegzorg op een bepaald moment in traject",
    "housing": "Huisvesting",
    "home_language": "Thuistaal",
    "health": "Gezondheid gezinsleden",
    "debts": "Schuldenlast",
    "education_parent": "Opleidingsniveau opvoedingsfiguur",
    "income_situation": "Arbeidssituatie combinatie",
}
#: The per-year variables of Table 5 (lines 4497–4598) and their Dutch titles.
TABLE5_YEAR_VARIABLES: dict[str, str] = {
    "children": "Unieke kinderen",
    "sex": "Geslacht",
    "age": "Instroomleeftijd in jaar",
    "kids": "Aantal kinderen in het gezin",
}
#: Link-order groups of Table 7 (line 4818): label -> (first, last) link number.
LINK_ORDER_GROUPS: dict[str, tuple[int, int]] = {
    "1e schakeling": (1, 1),
    "2e schakeling": (2, 2),
    "3e schakeling": (3, 3),
    "4e-9e schakeling": (4, 9),
    ">= 10e schakeling": (10, 10_000),
}
#: Frequency groups of Table 7 (line 4796).
FREQUENCY_GROUPS: dict[str, tuple[int, int]] = {
    "éénmalig": (1, 1),
    "twee maal": (2, 2),
    "drie maal": (3, 3),
    "vier maal": (4, 4),
    "vijf maal of meer": (5, 10_000),
}


def _by(by: Sequence[str] | str) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def category_shares(
    df: pd.DataFrame,
    column: str,
    *,
    by: Sequence[str] = (),
    indicator: str | None = None,
    order: Sequence[str] | None = None,
    include_missing: bool = True,
) -> pd.DataFrame:
    """Share of each category of ``column`` per ``by`` group, every category listed.

    With ``include_missing`` (Table 5's way) NA counts as the category "Missing" and the
    denominator is every row of the group; otherwise missing rows are left out of the
    denominator (line 5015's rule). ``order`` fixes the categories and their order
    (default: the report's, from ``binc_categories.csv``; unknown extras follow).
    """
    by = _by(by)
    cats = list(order) if order is not None else list(categories(column))
    values = df[column].astype("str")
    seen = [v for v in pd.unique(values.dropna()) if v not in cats]
    cats = cats + sorted(seen)
    if include_missing:
        cats = [*cats, MISSING]
        values = values.fillna(MISSING)
    dummies = {c: values.eq(c).fillna(False) for c in cats}
    if not include_missing:
        known = values.notna()
        dummies = {c: d.astype("boolean").where(known) for c, d in dummies.items()}
    out = shares_table(df, by, indicator or column, dummies, key="category")
    out.insert(len(by) + 1, "variable", column)
    return out


# --------------------------------------------------------------------------- Table 5


def children_by_year(children: pd.DataFrame) -> pd.DataFrame:
    """One row per child and begeleidingsjaar with an active CB SofS module (``year``).

    The years run from ``sofs_first_year`` to ``sofs_last_year`` (see module docstring);
    children without CB SofS module do not appear.
    """
    first = children["sofs_first_year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    last = children["sofs_last_year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(first) & ~np.isnan(last) & (last >= first)
    span = np.where(ok, last - first + 1, 0).astype(int)
    rows = np.repeat(np.arange(len(children)), span)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(span) - span, span)
    out = children.iloc[rows].reset_index(drop=True)
    out.insert(1, "year", pd.array(first[rows] + offset, dtype="Int64"))
    return out


def children_per_year(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Unique children per begeleidingsjaar (Table 5, line 4499: 1 – 179 – 263 – 162)."""
    long = children_by_year(children)
    keys = [*_by(by), "year"]
    counts = long.groupby(keys, sort=True, dropna=False).size().rename("n").reset_index()
    counts.insert(len(keys) - 1, "indicator", "children_per_year")
    return counts


def sex_by_year(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Sex per begeleidingsjaar, shares of all children of the year (Table 5, line 4503)."""
    return category_shares(
        children_by_year(children), "sex", by=[*_by(by), "year"], indicator="sex_by_year"
    )


def _numeric_by_year(children: pd.DataFrame, column: str, by: Sequence[str]) -> pd.DataFrame:
    long = children_by_year(children)
    return distribution_table(long, [*_by(by), "year"], f"{column}_by_year", {column: long[column]})


def age_by_year(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Age at entry per begeleidingsjaar: n, mean (M of Table 5, line 4525), sd, ...

    The report prints M = 11.0 – 9.0 – 9.1 – 7.8; its age rows imply other means (see
    ``report_figures.csv``). Missing ages are left out.
    """
    return _numeric_by_year(children, "age_at_entry", by)


def age_distribution_by_year(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """The age rows of Table 5 (lines 4506–4524): each age 0–18 per year, Missing too."""
    long = children_by_year(children)
    ages = long["age_at_entry"].astype("Int64").astype("str")
    long = long.assign(age=ages)
    return category_shares(
        long,
        "age",
        by=[*_by(by), "year"],
        indicator="age_at_entry_by_year",
        order=[str(a) for a in range(19)],
    )


def n_children_by_year(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Number of children in the family per year: n, mean (Table 5 M, line 4598), ..."""
    return _numeric_by_year(children, "n_children", by)


def n_children_distribution_by_year(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """The rows 1–8 and Missing of Table 5's number of children (lines 4589–4597)."""
    long = children_by_year(children)
    long = long.assign(kids=long["n_children"].astype("Int64").astype("str"))
    return category_shares(
        long,
        "kids",
        by=[*_by(by), "year"],
        indicator="n_children_by_year",
        order=[str(k) for k in range(1, 9)],
    )


def table5_by_year(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """The per-year part of Table 5 in one tidy frame (lines 4497–4598): unique children,
    sex, each age at entry and each number of children per begeleidingsjaar, with
    ``variable`` (``children``, ``sex``, ``age``, ``kids``), ``category``, ``year``,
    ``numerator``, ``denominator`` (children of that year) and ``share``."""
    counts = children_per_year(children, by)
    head = counts.rename(columns={"n": "numerator"}).assign(
        variable="children", category="Totaal", denominator=counts["n"], share=1.0
    )
    head["indicator"] = "table5_by_year"
    parts = [head, sex_by_year(children, by)]
    parts.append(age_distribution_by_year(children, by))
    parts.append(n_children_distribution_by_year(children, by))
    columns = [*_by(by), "year", "indicator", "variable", "category",
               "numerator", "denominator", "share"]  # fmt: skip
    out = pd.concat([p[columns] for p in parts], ignore_index=True)
    out["indicator"] = "table5_by_year"
    return out


def table5_by_year_wide(children: pd.DataFrame) -> pd.DataFrame:
    """Table 5's per-year rows as the report prints them: one row per variable and
    category, one column per year holding ``85 (47,5%)``; means as ``M`` rows (``9,0``).
    For reading, not for computing (text in Dutch number format)."""
    from sofs_lib.formatting import fmt_int, fmt_number, fmt_pct

    long = table5_by_year(children)
    text = [
        fmt_int(n) if v == "children" else f"{fmt_int(n)} ({fmt_pct(s)})"
        for v, n, s in zip(long["variable"], long["numerator"], long["share"], strict=True)
    ]
    long = long.assign(text=text, year=long["year"].astype("int64"))
    order = {"children": 0, "sex": 1, "age": 2, "kids": 3}
    means = []
    for variable, stats in (("age", age_by_year(children)), ("kids", n_children_by_year(children))):
        means.append(
            pd.DataFrame(
                {
                    "variable": variable,
                    "category": "M",
                    "year": stats["year"].astype("int64"),
                    "text": [fmt_number(m) for m in stats["mean"]],
                }
            )
        )
    long = pd.concat([long[["variable", "category", "year", "text"]], *means], ignore_index=True)
    rows = long.drop_duplicates(["variable", "category"])[["variable", "category"]]
    rows = rows.assign(_v=rows["variable"].map(order), _i=np.arange(len(rows)))
    rows = rows.sort_values(["_v", "_i"], kind="stable")
    wide = long.pivot_table(
        index=["variable", "category"], columns="year", values="text", aggfunc="first"
    )
    wide = wide.reindex(pd.MultiIndex.from_frame(rows[["variable", "category"]])).reset_index()
    wide.columns.name = None
    wide["variable"] = wide["variable"].map(TABLE5_YEAR_VARIABLES)
    wide = wide.rename(columns={"variable": "Kenmerk", "category": "Categorie"})
    return wide.fillna("–")


def table5(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Every other Table 5 variable over all children, categories in report order,
    "Niet van toepassing" and "Missing" included (lines 4527–4712)."""
    parts = [
        category_shares(children, column, by=by, indicator="table5") for column in TABLE5_VARIABLES
    ]
    out = pd.concat(parts, ignore_index=True)
    out.insert(len(_by(by)) + 2, "variable_nl", out["variable"].map(TABLE5_VARIABLES).astype("str"))
    return out


def foster_care(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Foster care at some point in the trajectory (lines 4667–4673, 4720–4724).

    ``foster_care``: Nee / bestandspleegzorg / netwerkpleegzorg over all children (9.2%,
    49.7%); ``foster_network``: familial / social / Missing over the children in network
    foster care (65.6%, 30.1%, 4.4%).
    """
    care = category_shares(children, "foster_care", by=by, indicator="foster_care")
    network_rows = children[children["foster_care"].eq("Ja, netwerkpleegzorg").fillna(False)]
    network = category_shares(network_rows, "foster_network", by=by, indicator="foster_network")
    return pd.concat([care, network], ignore_index=True)


# --------------------------------------------------------------------------- status, Table 6


def status_shares(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Status of the last link: open / closed / Missing over all children
    (lines 4458–4460: 68.5% open, 31.3% closed)."""
    return category_shares(children, "status", by=by, indicator="status", order=["closed", "open"])


def vzb_by_status(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Table 6: VZB organisation type of the last link, shares within open / closed.

    Children whose status is unknown are left out (Table 6 has n = 252 + 115 = 367).
    """
    known = children[children["status"].notna()]
    return category_shares(
        known, "vzb_type", by=[*_by(by), "status"], indicator="vzb_by_status",
        include_missing=False,
    )  # fmt: skip


def vzb_status_test(children: pd.DataFrame):
    """χ² test of VZB type × status (Table 6; the report: χ²(10) = 32.2, p < .001).

    Returns ``sofs_lib.stats.Chi2Result`` (``.ok``/``.reason`` when not computable).
    """
    from sofs_lib.stats import chi2_independence

    return chi2_independence(
        children["vzb_type"], children["status"], x_name="vzb_type", y_name="status"
    )


# --------------------------------------------------------------------------- Table 7


def _grouped_counts(
    df: pd.DataFrame, column: str, groups: dict[str, tuple[int, int]], by: Sequence[str],
    indicator: str,
) -> pd.DataFrame:  # fmt: skip
    values = df[column].astype("Float64")
    items = {label: values.between(lo, hi).astype("boolean") for label, (lo, hi) in groups.items()}
    return shares_table(df, _by(by), indicator, items, key="category")


def module_frequency(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Table 7: how many CB SofS modules a child got (line 4796), over children with one
    or more; plus ``more than once`` (8.7%, line 4780)."""
    with_sofs = children[children["n_sofs_modules"].gt(0)]
    groups = {**FREQUENCY_GROUPS, "meer dan één keer": (2, 10_000)}
    return _grouped_counts(with_sofs, "n_sofs_modules", groups, by, "module_frequency")


def module_combination(modules: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Table 7: CB SofS modules alone or combined with other modules in the same link
    (lines 4803–4815), over all CB SofS modules; each combination listed by its other
    modules (e.g. "Verblijf voor kinderen (korte duur)")."""
    sofs = modules[modules["is_sofs"].to_numpy(dtype=bool)]
    others = modules[~modules["is_sofs"].to_numpy(dtype=bool)]
    partners = join_sorted_groups(
        others.sort_values(["child_id", "link_number", "module"]),
        ["child_id", "link_number"],
        "module",
    ).rename("partners")
    partner = sofs.join(partners, on=["child_id", "link_number"])["partners"]
    items: dict[str, pd.Series] = {
        "alleen CB SofS": partner.isna(),
        "CB SofS + andere module(s)": partner.notna(),
    }
    for combo in sorted(partner.dropna().unique()):
        items[f"CB SofS + {combo}"] = partner.eq(combo).fillna(False)
    items = {k: v.astype("boolean") for k, v in items.items()}
    return shares_table(sofs, _by(by), "module_combination", items, key="category")


def link_order(modules: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Table 7: in which link (schakeling) each CB SofS module is used (lines 4818–4825)."""
    sofs = modules[modules["is_sofs"].to_numpy(dtype=bool)]
    return _grouped_counts(sofs, "link_number", LINK_ORDER_GROUPS, by, "link_order")


def path_shapes(children: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Shares of children with links before / after the last CB SofS module and with CB
    SofS as the only module (24.6%, line 4785), over children with a CB SofS module."""
    with_sofs = children[children["n_sofs_modules"].gt(0)]
    items = {
        "voortraject": with_sofs["has_before"],
        "natraject": with_sofs["has_after"],
        "enige module": ~with_sofs["has_before"] & ~with_sofs["has_after"],
        "CB SofS als laatste module": ~with_sofs["has_after"],
    }
    items = {k: v.astype("boolean") for k, v in items.items()}
    return shares_table(with_sofs, _by(by), "path_shape", items, key="category")


# --------------------------------------------------------------------------- Table 8


def clusters_before_after(modules: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Table 8: links before / after the last CB SofS module by cluster, shares within the
    position (voortraject n = 649, natraject n = 319 links). A link of several modules
    takes the cluster of its main module (``clean_binc.links_frame``)."""
    links = links_frame(modules)
    links = links[links["position"].isin(["before", "after"])]
    if by:
        extra = modules.drop_duplicates(["child_id", "link_number"])[
            ["child_id", "link_number", *_by(by)]
        ]
        links = links.merge(extra, on=["child_id", "link_number"], how="left")
    return category_shares(
        links, "module_cluster", by=[*_by(by), "position"], indicator="clusters",
        order=cluster_labels(), include_missing=False,
    )  # fmt: skip


def links_summary(modules: pd.DataFrame) -> pd.DataFrame:
    """Counts of module registrations, links and children per position (Table 8 heads)."""
    links = links_frame(modules)
    rows = [
        ("module_rows", "all", len(modules)),
        ("links", "all", len(links)),
    ]
    for position in ("before", "last_sofs", "after"):
        sub = links[links["position"].eq(position)]
        rows.append(("links", position, len(sub)))
        rows.append(("children", position, sub["child_id"].nunique()))
    return pd.DataFrame(rows, columns=["indicator", "position", "n"])


# --------------------------------------------------------------------------- figures


def _pick(table: pd.DataFrame, **where: object) -> float:
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= table[column].astype("str").eq(str(value)).to_numpy()
    rows = table[mask]
    if len(rows) != 1:
        return float("nan")
    row = rows.iloc[0]
    if "share" in row:
        return float(row["share"]) * 100
    return float(row["mean"])


def binc_figures(result: BincCleanResult) -> dict[str, float]:
    """Every Binc reference figure (``sofs_lib/reference/report_figures.csv``) computed
    from a cleaned extract: percentages in points (31.3), means, counts, statistics."""
    children, modules = result.children, result.modules
    out: dict[str, float] = {}
    out["binc_children"] = float(len(children))
    out["binc_sofs_modules"] = float(modules["is_sofs"].sum())
    per_year = children_per_year(children).set_index("year")["n"]
    for year in sorted(int(y) for y in per_year.index):  # the care years in this data
        out[f"binc_children_{year}"] = float(per_year.get(year, 0))
    status = status_shares(children)
    out["binc_status_closed_pct"] = _pick(status, category="closed")
    out["binc_status_open_pct"] = _pick(status, category="open")
    sex = sex_by_year(children)
    ages = age_by_year(children)
    kids = n_children_by_year(children)
    for year in sorted({int(y) for y in sex["year"].dropna()}):
        out[f"binc_male_{year}_pct"] = _pick(sex, year=year, category="Mannelijk")
        out[f"binc_age_mean_{year}"] = _pick(ages, year=year)
        out[f"binc_n_children_mean_{year}"] = _pick(kids, year=year)
    t5 = table5(children)
    for fid, variable, category in (
        ("binc_nvt_pct", "daytime_activity", NVT),
        ("binc_school_going_pct", "daytime_activity", "Schoolgaand"),
        ("binc_not_yet_school_pct", "daytime_activity", "Nog niet schoolgaand"),
        ("binc_nuclear_family_pct", "family_situation", "Kerngezin"),
        ("binc_single_mother_pct", "family_situation", "Eenoudergezin moeder"),
        ("binc_adoptive_missing_pct", "adoptive_family", MISSING),
        ("binc_housing_negative_pct", "housing", "Negatief"),
        ("binc_housing_positive_pct", "housing", "Positief"),
        ("binc_language_dutch_pct", "home_language", "Nederlands"),
        ("binc_health_negative_pct", "health", "Negatief"),
        ("binc_debts_pct", "debts", "Ja"),
        ("binc_debts_missing_pct", "debts", MISSING),
        ("binc_parent_education_missing_pct", "education_parent", MISSING),
        ("binc_income_fulltime_pct", "income_situation", "Inkomen uit arbeid voltijds"),
        ("binc_school_delay_nvt_pct", "school_delay", NVT),
    ):
        out[fid] = _pick(t5, variable=variable, category=category)
    fc = foster_care(children)
    out["binc_foster_pool_pct"] = _pick(
        fc, indicator="foster_care", category="Ja, bestandspleegzorg"
    )
    out["binc_foster_network_pct"] = _pick(
        fc, indicator="foster_care", category="Ja, netwerkpleegzorg"
    )
    out["binc_foster_none_pct"] = _pick(fc, indicator="foster_care", category="Nee")
    out["binc_foster_network_family_pct"] = _pick(
        fc, indicator="foster_network", category="In familiaal netwerk"
    )
    out["binc_foster_network_social_pct"] = _pick(
        fc, indicator="foster_network", category="In sociaal netwerk"
    )
    out["binc_foster_network_missing_pct"] = _pick(fc, indicator="foster_network", category=MISSING)
    known = children[children["status"].notna()]
    out["binc_table6_n"] = float(len(known))
    out["binc_table6_open_n"] = float(known["status"].eq("open").sum())
    out["binc_table6_closed_n"] = float(known["status"].eq("closed").sum())
    t6 = vzb_by_status(children)
    for fid, category in (
        ("residential", "Organisatie voor bijzondere jeugdzorg met verblijf"),
        ("nonresidential", "Organisatie voor bijzondere jeugdzorg zonder verblijf"),
        ("foster", "Pleegzorg"),
        ("ckg", "Centrum Kinderzorg en Gezinsondersteuning"),
        ("nvt", NVT),
    ):
        for status_code in ("open", "closed"):
            out[f"binc_vzb_{fid}_{status_code}_pct"] = _pick(
                t6, status=status_code, category=category
            )
    test = vzb_status_test(children)
    out["binc_table6_chi2"] = float(test.statistic) if test.ok else float("nan")
    out["binc_table6_chi2_df"] = float(test.df) if test.ok else float("nan")
    freq = module_frequency(children)
    out["binc_once_pct"] = _pick(freq, category="éénmalig")
    out["binc_more_than_once_pct"] = _pick(freq, category="meer dan één keer")
    combo = module_combination(modules)
    out["binc_alone_pct"] = _pick(combo, category="alleen CB SofS")
    out["binc_combined_pct"] = _pick(combo, category="CB SofS + andere module(s)")
    out["binc_with_short_stay_pct"] = _pick(
        combo, category="CB SofS + Verblijf voor kinderen (korte duur)"
    )
    order = link_order(modules)
    for label, fid in zip(LINK_ORDER_GROUPS, ("1", "2", "3", "4_9", "10plus"), strict=True):
        out[f"binc_link_{fid}_pct"] = _pick(order, category=label)
    shapes = path_shapes(children)
    out["binc_sole_module_pct"] = _pick(shapes, category="enige module")
    out["binc_with_after_pct"] = _pick(shapes, category="natraject")
    summary = links_summary(modules).set_index(["indicator", "position"])["n"]
    out["binc_module_rows"] = float(summary[("module_rows", "all")])
    out["binc_before_links"] = float(summary[("links", "before")])
    out["binc_after_links"] = float(summary[("links", "after")])
    out["binc_before_children"] = float(summary[("children", "before")])
    out["binc_after_children"] = float(summary[("children", "after")])
    clusters = clusters_before_after(modules)
    for fid, label in zip(CLUSTER_IDS, cluster_labels(), strict=False):
        for position in ("before", "after"):
            out[f"binc_cluster_{fid}_{position}_pct"] = _pick(
                clusters, position=position, category=label
            )
    return out


#: Short ids of the Table 8 clusters, in ``cluster_labels()`` order.
CLUSTER_IDS: tuple[str, ...] = (
    "foster", "broad", "sofs", "cb_crisis", "low", "crisis", "family", "diagnostics",
)  # fmt: skip
