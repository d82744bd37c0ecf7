"""Seaborn figures of tidy indicator frames, with Dutch labels and one palette.

Every function takes a tidy frame as the indicator modules return it (see
``docs/ARCHITECTURE.md``: shares carry ``numerator``/``denominator``/``share``,
distributions ``n``/``mean``/``median``/``min``/``max``) and returns a
:class:`matplotlib.figure.Figure` of a fixed size. Figures are built without
``pyplot`` so that no global figure registry fills up in a long-running dashboard
kernel, and so that a notebook shows each figure exactly once (by returning it).

Conventions shared by all figures:

- category values are shown with their Dutch label from :mod:`sofs_lib.catalogue`
  (steps, case types, plan B kinds, statuses, CB/consulent); callers may pass
  ``labels=`` to override or extend;
- shares are drawn as percentages with decimal commas (``28,4%``) via
  :mod:`sofs_lib.formatting`, and every bar is annotated with ``numerator/denominator``
  so a reader sees the base of each percentage;
- a share whose denominator is 0 is drawn as an empty bar annotated ``–``; a row with
  ``suppressed`` true (disclosure control) is drawn empty and annotated ``verborgen``;
- an empty frame gives a figure that says so instead of raising, because a dashboard
  selection can legitimately be empty; a frame without the needed columns raises
  :class:`~sofs_lib.errors.SofsInputError` naming the missing columns.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sofs_lib import catalogue
from sofs_lib.errors import SofsInputError
from sofs_lib.formatting import MISSING, fmt_count_of, fmt_int, fmt_number, fmt_pct

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

# seaborn and matplotlib are imported when a figure is drawn, not with this module: the
# tables, labels and formats here are used by notebooks and modules that draw nothing.


def _sns():
    import seaborn

    return seaborn


#: Figure sizes in inches; fixed so that images and dashboards do not jump around.
FIGSIZE = (8.0, 4.5)
FIGSIZE_TALL = (8.0, 6.0)
DPI = 100

#: The one seaborn palette of the project (colour-blind safe).
PALETTE_NAME = "colorblind"
#: Colour of the guideline band (6–12 meetings, 4–8 months).
GUIDELINE_COLOUR = "#d9d9d9"

#: Stands in for a missing category value (a blank plan B kind...), shown as "Onbekend",
#: so a group without a value is drawn instead of silently dropped.
UNKNOWN = "__unknown__"


#: Default display order of known category columns (catalogue order, not alphabetical).
DEFAULT_ORDERS: dict[str, tuple[object, ...]] = {
    "step": (*catalogue.STEP_KEYS, "network_meeting"),
    "case_type": tuple(catalogue.CASE_TYPES),
    "plan_b": (*catalogue.PLAN_B, "none"),
    "status": tuple(catalogue.STATUS),
    "person": ("cb", "consulent"),
    "position": ("all", "before", "last_sofs", "after"),
}

_REQUIRED_SHARE = ("numerator", "denominator", "share")


def palette(n: int | None = None) -> list[tuple[float, float, float]]:
    """The project palette as RGB tuples (``n`` colours, cycling when more are needed)."""
    return _sns().color_palette(PALETTE_NAME, n_colors=n)


def text(key: str) -> str:
    """A Dutch label by key from the label catalogue (the key itself when it has none)."""
    if key == UNKNOWN:
        return catalogue.LABELS["unknown"]
    return catalogue.LABELS.get(key) or key


def column_label(column: str) -> str:
    """The Dutch name of a column (``closing_year`` -> ``Jaar van afsluiting``)."""
    return text(column)


def value_label(value: object, labels: Mapping[object, str] | None = None) -> str:
    """The Dutch label of one category value.

    Looks in ``labels`` first, then the step, case type, plan B and status
    vocabularies, then the label catalogue (``cb``, ``consulent``, ``all_steps``...).
    Whole numbers such as closing years are written without decimals.
    """
    if labels and value in labels:
        return labels[value]
    if isinstance(value, str) and value == UNKNOWN:
        return catalogue.LABELS["unknown"]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, str):
        for table in (
            catalogue.STEP_LABELS,
            catalogue.CASE_TYPES,
            catalogue.PLAN_B,
            catalogue.STATUS,
            catalogue.LABELS,
        ):
            if value in table:
                return table[value]
        return value
    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return str(value)


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SofsInputError(f"{what}: expected a table (DataFrame), got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SofsInputError(
            f"{what}: the table lacks the column(s) {', '.join(missing)}; "
            f"it has {', '.join(map(str, frame.columns)) or 'no columns'}"
        )


def _new_figure(figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    sns = _sns()
    with sns.axes_style("whitegrid"), sns.plotting_context("notebook", font_scale=0.9):
        fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
        ax = fig.add_subplot()
    return fig, ax


def warm_up() -> None:
    """Draw one throw-away figure with no data, so fonts, the style and the PNG writer are
    loaded before a page needs them (run in a warm dashboard kernel; see
    ``sofs_lib.server.kernels``)."""
    import io

    fig, ax = _new_figure()
    ax.bar(["a", "b"], [1.0, 2.0])
    ax.set_title("warm-up")
    fig.savefig(io.BytesIO(), format="png")


def _empty_figure(title: str, figsize: tuple[float, float] = FIGSIZE) -> Figure:
    fig, ax = _new_figure(figsize)
    ax.set_axis_off()
    ax.text(0.5, 0.5, text("no_data"), ha="center", va="center", fontsize=12, color="0.4")
    fig.suptitle(title)
    return fig


#: Category labels longer than this wrap onto more lines, so the bars keep their room.
WRAP_WIDTH = 30


def _wrap(label: str) -> str:
    return textwrap.fill(label, WRAP_WIDTH, break_long_words=False)


def _legend_below(ax: Axes, title: str | None = None) -> None:
    """A legend under the axes, so it never hides a bar or an annotation."""
    handles, names = ax.get_legend_handles_labels()
    ax.legend(
        handles,
        names,
        title=title,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=min(len(names), 4) or 1,
        fontsize=8,
        title_fontsize=8,
        frameon=False,
    )


def percent_formatter(decimals: int = 0) -> FuncFormatter:
    """An axis formatter writing 0–1 shares as Dutch percentages (``40%``, ``28,4%``)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: fmt_pct(value, decimals))


def number_formatter(decimals: int | None = None) -> FuncFormatter:
    """An axis formatter with decimal commas (``2,5``).

    ``decimals=None`` writes whole ticks without decimals and others with as few as
    needed (up to two), so a tick at 2.5 never reads "2".
    """

    def fmt(value: float, _pos: object) -> str:
        if decimals is not None:
            return fmt_number(value, decimals)
        for places in (0, 1, 2):
            if abs(value - round(value, places)) < 1e-9:
                return fmt_number(value, places)
        return fmt_number(value, 2)

    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(fmt)


def _ordered(values: pd.Series, order: Sequence[object] | None) -> list[object]:
    """Display order: ``order``, else the catalogue's, else numbers sorted (years) and
    other values as they first appear (indicator tables come in a meaningful order)."""
    present = list(pd.unique(values.dropna()))
    if order is None:
        order = DEFAULT_ORDERS.get(str(values.name))
    if order is None:
        if pd.api.types.is_numeric_dtype(values):
            return sorted(present)
        return present
    return [v for v in order if v in set(present)] + [v for v in present if v not in set(order)]


def _fill_unknown(frame: pd.DataFrame, columns: Sequence[str | None]) -> pd.DataFrame:
    """``frame`` with missing values of the category ``columns`` set to :data:`UNKNOWN`."""
    fills = {
        c: frame[c].astype("object").where(frame[c].notna(), UNKNOWN)
        for c in columns
        if c and frame[c].isna().any()
    }
    return frame.assign(**fills) if fills else frame


def _suppressed(frame: pd.DataFrame) -> pd.Series:
    if "suppressed" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["suppressed"].astype("boolean").fillna(False).astype(bool)


def _share_annotation(
    share: float, numerator: object, denominator: object, suppressed: bool
) -> str:
    if suppressed:
        return text("hidden_share")
    if pd.isna(share):
        return MISSING
    if pd.isna(denominator) or pd.isna(numerator):
        # A summary share without a base of its own (the median of the other organisations).
        return fmt_pct(share)
    if denominator == 0:
        return MISSING
    return f"{fmt_pct(share)} ({fmt_count_of(int(numerator), int(denominator))})"


def share_bars(
    frame: pd.DataFrame,
    category: str,
    *,
    hue: str | None = None,
    title: str,
    order: Sequence[object] | None = None,
    hue_order: Sequence[object] | None = None,
    labels: Mapping[object, str] | None = None,
    xlabel: str | None = None,
    annotate: bool = True,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Horizontal bars of ``share`` per ``category`` (and per ``hue``), annotated ``28,4% (67/236)``.

    The workhorse for step shares by status (Fig. 5), CB vs consulent presence
    (Fig. 6, ``hue="person"``), plan B kinds (Fig. 9), case types (Fig. 4) and
    any share by organisation. ``frame`` holds one row per (category, hue) with
    ``numerator``, ``denominator`` and ``share`` (0–1); a missing combination is
    drawn as an empty bar.
    """
    columns = [category, *([hue] if hue else []), *_REQUIRED_SHARE]
    _require(frame, columns, "share_bars")
    if figsize is None:
        figsize = FIGSIZE_TALL if frame[category].nunique() > 6 else FIGSIZE
    if frame.empty:
        return _empty_figure(title, figsize)
    frame = _fill_unknown(frame, [category, hue])

    cats = _ordered(frame[category], order)
    hues = _ordered(frame[hue], hue_order) if hue else [""]
    keys = [category, *([hue] if hue else [])]
    if frame.duplicated(keys).any():
        raise SofsInputError(
            f"share_bars: more than one row per {' × '.join(keys)}; filter the table "
            f"(for example on 'indicator') before drawing it"
        )
    # Full category × hue grid in drawing order: seaborn makes one bar container per
    # hue level with the bars in category order, so row i * len(hues) + j is bar i of
    # container j.
    grid = pd.MultiIndex.from_product([cats, hues], names=[category, "_hue"])
    data = frame.assign(_hue=frame[hue] if hue else "", _suppressed=_suppressed(frame))
    data = data.set_index([category, "_hue"]).reindex(grid).reset_index()
    data["_suppressed"] = data["_suppressed"].astype("boolean").fillna(False).astype(bool)
    share = data["share"].astype("Float64").astype(float)
    data["_draw"] = share.where(~data["_suppressed"]).fillna(0.0)
    data["_cat_label"] = [_wrap(value_label(v, labels)) for v in data[category]]
    data["_hue_label"] = [value_label(v, labels) for v in data["_hue"]] if hue else ""
    annotations = [
        _share_annotation(sh, nu, de, sup)
        for sh, nu, de, sup in zip(
            share, data["numerator"], data["denominator"], data["_suppressed"], strict=True
        )
    ]

    fig, ax = _new_figure(figsize)
    colours = palette(len(hues))
    _sns().barplot(
        data=data,
        x="_draw",
        y="_cat_label",
        hue="_hue_label" if hue else None,
        order=[_wrap(value_label(v, labels)) for v in cats],
        hue_order=[value_label(v, labels) for v in hues] if hue else None,
        palette=colours if hue else None,
        color=None if hue else colours[0],
        orient="h",
        errorbar=None,
        ax=ax,
    )
    if annotate:
        for j, container in enumerate(ax.containers[: len(hues)]):
            ax.bar_label(container, labels=annotations[j :: len(hues)], padding=3, fontsize=8)
    ax.set_xlim(0, 1.18 if annotate else 1.0)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.set_xlabel(xlabel or text("share"))
    ax.set_ylabel("")
    if hue:
        _legend_below(ax, title=column_label(hue))
    fig.suptitle(title)
    return fig


def count_distribution(
    frame: pd.DataFrame,
    value: str,
    *,
    title: str,
    count: str = "n",
    guideline: tuple[float, float] | None = None,
    xlabel: str | None = None,
    figsize: tuple[float, float] = FIGSIZE,
) -> Figure:
    """Bars of how many trajectories have each ``value`` (e.g. number of network meetings).

    ``frame`` holds one row per value with its ``count`` column. ``guideline`` shades
    the band the model asks for (6–12 meetings, report line 5430) so a reader sees
    at once how many trajectories fall short.
    """
    _require(frame, [value, count], "count_distribution")
    if frame.empty:
        return _empty_figure(title, figsize)
    data = frame[[value, count]].dropna(subset=[value]).sort_values(value)
    fig, ax = _new_figure(figsize)
    if guideline is not None:
        low, high = guideline
        ax.axvspan(
            low - 0.5,
            high + 0.5,
            color=GUIDELINE_COLOUR,
            alpha=0.6,
            zorder=0,
            label=f"{text('guideline')} ({fmt_int(low)}–{fmt_int(high)})",
        )
    ax.bar(
        data[value].astype(float),
        data[count].astype(float),
        width=0.8,
        color=palette(1)[0],
        zorder=2,
    )
    ax.set_xlabel(xlabel or column_label(value))
    ax.set_ylabel(text("trajectories"))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(number_formatter())
    if guideline is not None:
        ax.legend(loc="upper right", fontsize=8)
    fig.suptitle(title)
    return fig


def summary_ranges(
    frame: pd.DataFrame,
    category: str,
    *,
    title: str,
    order: Sequence[object] | None = None,
    labels: Mapping[object, str] | None = None,
    xlabel: str | None = None,
    guideline: tuple[float, float] | None = None,
    decimals: int = 1,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Mean, median and min–max per ``category``: the form of Fig. 12 (months to each step).

    ``frame`` holds one row per category with ``n``, ``mean``, ``median``, ``min``,
    ``max`` (``sd`` optional). Each row is a line from min to max with the mean
    (dot, annotated with its value and n) and the median (bar); a vertical line at
    0 marks the start of the trajectory, so steps dated before the start (negative
    months, report line 5380) stand out.
    """
    _require(frame, [category, "n", "mean", "median", "min", "max"], "summary_ranges")
    if figsize is None:
        figsize = FIGSIZE_TALL if frame[category].nunique() > 6 else FIGSIZE
    if frame.empty:
        return _empty_figure(title, figsize)
    frame = _fill_unknown(frame, [category])
    cats = _ordered(frame[category], order)
    data = frame.set_index(category).reindex(cats).reset_index()
    data["_label"] = [value_label(v, labels) for v in data[category]]
    stats = data[["mean", "median", "min", "max"]].astype("Float64").astype(float)
    y = np.arange(len(data))
    colours = palette(3)

    fig, ax = _new_figure(figsize)
    if guideline is not None:
        low, high = guideline
        ax.axvspan(
            low,
            high,
            color=GUIDELINE_COLOUR,
            alpha=0.6,
            zorder=0,
            label=f"{text('guideline')} ({fmt_int(low)}–{fmt_int(high)})",
        )
    ax.hlines(
        y, stats["min"], stats["max"], color=colours[0], linewidth=2, zorder=2, label=text("range")
    )
    sns = _sns()
    sns.scatterplot(
        x=stats["mean"], y=y, color=colours[1], s=60, zorder=3, ax=ax, label=text("mean")
    )
    sns.scatterplot(
        x=stats["median"],
        y=y,
        color=colours[2],
        marker="|",
        s=250,
        linewidth=2.5,
        zorder=3,
        ax=ax,
        label=text("median"),
    )
    ax.axvline(0, color="0.3", linewidth=0.8)
    for yi, (mean, n) in enumerate(zip(stats["mean"], data["n"], strict=True)):
        if not pd.isna(mean):
            ax.annotate(
                f"{fmt_number(mean, decimals)} (n = {fmt_int(n)})",
                (mean, yi),
                textcoords="offset points",
                xytext=(0, 10),
                ha="center",
                fontsize=8,
            )
    ax.set_yticks(y, data["_label"])
    ax.set_ylim(len(data) - 0.5, -0.7)
    ax.xaxis.set_major_formatter(number_formatter())
    ax.set_xlabel(xlabel or text("months"))
    ax.set_ylabel("")
    _legend_below(ax)
    fig.suptitle(title)
    return fig


def trend_shares(
    frame: pd.DataFrame,
    *,
    title: str,
    x: str = "closing_year",
    hue: str | None = None,
    hue_order: Sequence[object] | None = None,
    labels: Mapping[object, str] | None = None,
    figsize: tuple[float, float] = FIGSIZE,
) -> Figure:
    """Shares by closing year (or another ordered ``x``), one line per ``hue``.

    Used for every fidelity figure by closing year (report lines 5433–5540). The
    x tick labels carry the denominator of each year when there is a single line.
    """
    _require(frame, [x, *([hue] if hue else []), *_REQUIRED_SHARE], "trend_shares")
    if frame.empty:
        return _empty_figure(title, figsize)
    data = _fill_unknown(frame, [hue])
    data = data.assign(_share=data["share"].astype("Float64").astype(float))
    data = data.assign(_share=data["_share"].where(~_suppressed(data)))
    xs = _ordered(data[x], None)
    data["_x"] = data[x].map({v: i for i, v in enumerate(xs)})
    hues = _ordered(data[hue], hue_order) if hue else [None]
    fig, ax = _new_figure(figsize)
    colours = palette(len(hues))
    for j, (colour, h) in enumerate(zip(colours, hues, strict=False)):
        part = (data[data[hue] == h] if hue else data).sort_values("_x")
        # Several lines: spread their labels sideways so close values stay readable.
        dx = (j - (len(hues) - 1) / 2) * 30
        _sns().lineplot(
            x=part["_x"],
            y=part["_share"],
            marker="o",
            color=colour,
            ax=ax,
            label=value_label(h, labels) if hue else None,
            errorbar=None,
        )
        for xi, share in zip(part["_x"], part["_share"], strict=True):
            if not pd.isna(share):
                ax.annotate(
                    fmt_pct(share),
                    (xi, share),
                    textcoords="offset points",
                    xytext=(dx, 6),
                    ha="center",
                    fontsize=8,
                    color=colour,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
                )
    if hue is None:
        dens = data.set_index("_x")["denominator"]
        ticks = [
            f"{value_label(v, labels)}\n(n = {fmt_int(dens.get(i))})" for i, v in enumerate(xs)
        ]
    else:
        ticks = [value_label(v, labels) for v in xs]
    ax.set_xticks(range(len(xs)), ticks)
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.set_xlabel(column_label(x))
    ax.set_ylabel(text("share"))
    if hue:
        _legend_below(ax, title=column_label(hue))
    fig.suptitle(title)
    return fig


def trend_means(
    frame: pd.DataFrame,
    *,
    title: str,
    x: str = "closing_year",
    ylabel: str | None = None,
    labels: Mapping[object, str] | None = None,
    decimals: int = 2,
    figsize: tuple[float, float] = FIGSIZE,
) -> Figure:
    """Mean (± one SD when ``sd`` is present) by closing year, with n on each tick.

    The form of the network-meeting and network-figure trends tested with a one-way
    ANOVA (report lines 5500–5540).
    """
    _require(frame, [x, "n", "mean"], "trend_means")
    if frame.empty:
        return _empty_figure(title, figsize)
    data = frame.sort_values(x).reset_index(drop=True)
    mean = data["mean"].astype("Float64").astype(float)
    sd = data["sd"].astype("Float64").astype(float) if "sd" in data else None
    positions = np.arange(len(data))
    fig, ax = _new_figure(figsize)
    colour = palette(1)[0]
    if sd is not None:
        ax.errorbar(positions, mean, yerr=sd, fmt="none", ecolor=colour, alpha=0.5, capsize=4)
    _sns().lineplot(x=positions, y=mean, marker="o", color=colour, ax=ax, errorbar=None)
    for xi, m in zip(positions, mean, strict=True):
        if not pd.isna(m):
            ax.annotate(
                fmt_number(m, decimals),
                (xi, m),
                textcoords="offset points",
                xytext=(8, 4),
                fontsize=8,
            )
    ax.set_xticks(
        positions,
        [
            f"{value_label(v, labels)}\n(n = {fmt_int(n)})"
            for v, n in zip(data[x], data["n"], strict=True)
        ],
    )
    ax.set_xlim(-0.5, len(data) - 0.5)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.set_xlabel(column_label(x))
    ax.set_ylabel(ylabel or text("mean"))
    fig.suptitle(title)
    return fig


def share_table(
    frame: pd.DataFrame,
    category: str,
    *,
    by: Sequence[str] = (),
    labels: Mapping[object, str] | None = None,
    order: Sequence[object] | None = None,
) -> pd.DataFrame:
    """A display table of a share frame: Dutch headers, ``28,4%`` and ``67/236`` as text.

    One row per ``category`` (and ``by`` values); for notebooks and downloads where
    a reader needs the numerator and denominator beside each percentage.
    """
    keys = [*by, category]
    _require(frame, [*keys, *_REQUIRED_SHARE], "share_table")
    ranks = {
        f"_rank_{k}": frame[k].map({v: i for i, v in enumerate(_ordered(frame[k], o))})
        for k, o in [*((b, None) for b in by), (category, order)]
    }
    data = frame.assign(**ranks).sort_values(list(ranks), kind="stable", na_position="last")
    sup = _suppressed(data)
    out = pd.DataFrame({column_label(k): [value_label(v, labels) for v in data[k]] for k in keys})
    out[text("share")] = [
        text("hidden_share") if s else fmt_pct(v) for v, s in zip(data["share"], sup, strict=True)
    ]
    out[text("base")] = [
        text("suppressed") if s else (MISSING if pd.isna(d) else fmt_count_of(int(nu), int(d)))
        for nu, d, s in zip(data["numerator"], data["denominator"], sup, strict=True)
    ]
    return out.reset_index(drop=True)


def value_histogram(
    values: pd.Series,
    *,
    title: str,
    guideline: tuple[float, float] | None = None,
    xlabel: str | None = None,
    figsize: tuple[float, float] = FIGSIZE,
) -> Figure:
    """How many trajectories have each whole-number value (Fig. 7 meetings, Fig. 8 network).

    ``values`` is one column of the cleaned frame (e.g. ``network_meetings``); missing
    values are left out and their number is written under the axis, so the reader knows
    the base. ``guideline`` shades the band the model asks for (6–12 meetings, line 5430).
    """
    if not isinstance(values, pd.Series):
        raise SofsInputError(
            f"value_histogram: expected a column (Series), got {type(values).__name__}"
        )
    numeric = pd.to_numeric(values, errors="coerce").astype("Float64")
    known = numeric.dropna().astype(float)
    counts = known.value_counts().sort_index()
    frame = pd.DataFrame({"value": counts.index.to_numpy(), "n": counts.to_numpy()})
    name = xlabel or column_label(str(values.name))
    fig = count_distribution(
        frame, "value", title=title, guideline=guideline, xlabel=name, figsize=figsize
    )
    missing = int(numeric.isna().sum())
    fig.axes[0].set_xlabel(f"{name} (n = {fmt_int(len(known))}; ontbrekend: {fmt_int(missing)})")
    return fig


def summary_table(
    frame: pd.DataFrame,
    *,
    key: str | None = None,
    by: Sequence[str] = (),
    labels: Mapping[object, str] | None = None,
    decimals: int = 1,
) -> pd.DataFrame:
    """A display table of a distribution frame: n, mean, SD, median, min, max in Dutch.

    ``key`` (e.g. ``step``) and ``by`` columns are shown first with Dutch labels;
    numbers get decimal commas (``7,6``), n a thousands dot.
    """
    keys = [*by, *([key] if key else [])]
    _require(frame, [*keys, "n", "mean", "median", "min", "max"], "summary_table")
    out = pd.DataFrame({column_label(k): [value_label(v, labels) for v in frame[k]] for k in keys})
    out[text("n")] = [fmt_int(v) for v in frame["n"]]
    for col in ("mean", "sd", "median", "min", "max"):
        if col in frame.columns:
            out[text(col)] = [fmt_number(v, decimals) for v in frame[col]]
    return out.reset_index(drop=True)


def crosstab_table(frame: pd.DataFrame, *, row_label: str, col_label: str) -> pd.DataFrame:
    """A 2×2 cross table (``indicators.cooccurrence``) as ``n (row %)`` cells, Dutch labels.

    ``frame`` holds ``row_value``, ``col_value`` (True/False), ``n`` and ``row_share``
    for one indicator; rows and columns read Ja/Nee, and a Totaal column gives each
    row's base so the row percentages can be checked.
    """
    _require(frame, ["row_value", "col_value", "n", "row_share"], "crosstab_table")
    if frame.duplicated(["row_value", "col_value"]).any():
        raise SofsInputError("crosstab_table: one indicator (and group) at a time, please")
    yes_no = {True: text("yes"), False: text("no")}
    cell = [
        f"{fmt_int(n)} ({fmt_pct(sh)})"
        for n, sh in zip(frame["n"], frame["row_share"], strict=True)
    ]
    data = frame.assign(_cell=cell)
    table = data.pivot(index="row_value", columns="col_value", values="_cell")
    table = table.reindex(index=[True, False], columns=[True, False])
    totals = data.groupby("row_value")["n"].sum().reindex([True, False]).fillna(0)
    table["Totaal"] = [fmt_int(v) for v in totals]
    table.index = pd.Index([yes_no[v] for v in table.index], name=row_label)
    table.columns = pd.Index(
        [f"{col_label}: {yes_no[c]}" if isinstance(c, bool) else c for c in table.columns]
    )
    return table


def share_text(frame: pd.DataFrame, **where: object) -> str:
    """One share of a tidy share frame as people write it: ``28,4% (67/236)``.

    ``where`` selects the row (``step="timeline", status="closed"``); exactly one row
    must match, so a notebook sentence can never quote the wrong group silently.
    """
    _require(frame, [*where, *_REQUIRED_SHARE], "share_text")
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column].eq(value).fillna(False).astype(bool)
    rows = frame[mask]
    if len(rows) != 1:
        raise SofsInputError(
            f"share_text: {len(rows)} rows match {where or 'the whole table'}; expected one"
        )
    row = rows.iloc[0]
    if _suppressed(rows).iloc[0]:
        return text("hidden_share")
    if pd.isna(row["share"]):
        return f"{MISSING} ({fmt_count_of(int(row['numerator']), int(row['denominator']))})"
    return (
        f"{fmt_pct(row['share'])} ({fmt_count_of(int(row['numerator']), int(row['denominator']))})"
    )


def trend_table(
    frame: pd.DataFrame,
    *,
    x: str = "closing_year",
    keys: Sequence[str] = ("indicator", "key"),
    tests: pd.DataFrame | None = None,
    labels: Mapping[object, str] | None = None,
    decimals: int = 2,
) -> pd.DataFrame:
    """A wide table of a figure by year: one row per figure, one column per ``x`` value.

    Share frames give ``43,3% (13/30)`` cells, distribution frames ``3,39 (n = 30)``.
    With ``tests`` (rows with the same ``keys`` and an ``apa`` text, as
    ``indicators.trends`` returns them) a column *Toets* puts each χ²/ANOVA beside its
    figure. Rows keep the order of ``frame``; a missing key (NA) reads ``–``.
    """
    keys = [k for k in keys if k in frame.columns]
    is_share = "share" in frame.columns
    needed = [x, *keys, *(_REQUIRED_SHARE if is_share else ("n", "mean"))]
    _require(frame, needed, "trend_table")
    if is_share:
        sup = _suppressed(frame)
        cells = [
            _share_annotation(sh, nu, de, s)
            for sh, nu, de, s in zip(
                frame["share"], frame["numerator"], frame["denominator"], sup, strict=True
            )
        ]
    else:
        cells = [
            f"{fmt_number(m, decimals)} (n = {fmt_int(n)})"
            for m, n in zip(frame["mean"], frame["n"], strict=True)
        ]
    work = frame[[x, *keys]].copy()
    for k in keys:
        work[k] = work[k].astype("object").where(work[k].notna(), "")
    work["_cell"] = cells
    row_order = work[keys].drop_duplicates()
    wide = work.pivot(index=keys, columns=x, values="_cell")
    wide = wide.reindex(
        pd.MultiIndex.from_frame(row_order) if len(keys) > 1 else row_order[keys[0]]
    )
    wide = wide.reindex(columns=_ordered(frame[x], None))
    wide.columns = [value_label(c, labels) for c in wide.columns]
    if tests is not None:
        _require(tests, [*keys, "apa"], "trend_table tests")
        tkeys = tests[keys].astype("object").where(tests[keys].notna(), "")
        apa = dict(zip(map(tuple, tkeys.to_numpy()), tests["apa"], strict=True))
        index_tuples = [t if isinstance(t, tuple) else (t,) for t in wide.index]
        # A test over a whole indicator (key NA, e.g. year × plan B kind) goes on the
        # first row of that indicator.
        column, seen = [], set()
        for t in index_tuples:
            whole = (t[0], *([""] * (len(t) - 1)))
            if t in apa:
                column.append(apa[t])
            elif whole in apa and t[0] not in seen:
                column.append(apa[whole])
            else:
                column.append("")
            seen.add(t[0])
        wide["Toets"] = column
    out = wide.reset_index()
    for k in keys:
        out[k] = [value_label(v, labels) if v != "" else "" for v in out[k]]
    return out.rename(columns={k: column_label(k) for k in keys})


#: Dutch names of the counts in the cleaning quality reports (clean_dashboard, clean_binc).
QUALITY_LABELS: dict[str, str] = {
    "rows_in": "Rijen ingelezen (niet leeg)",
    "rows_clean": "Rijen aanvaard",
    "rows_quarantined": "Rijen in quarantaine",
    "duplicates_collapsed": "Identieke dubbele rijen samengevoegd",
    "blank_rows_skipped": "Lege rijen overgeslagen",
    "implausible_dates": "Onmogelijke datums (vóór 2015 of na de exportdatum) leeggemaakt",
    "invalid_dates": "Onleesbare datums",
    "yes_or_no_in_start_or_end_date": "ja/nee in een start- of einddatum",
    "unknown_case_types": "Onbekende typering casus",
    "unknown_plan_b": "Onbekende soort plan B",
    "invalid_network_size": "Onleesbaar aantal netwerkfiguren",
    "implausible_network_size": "Onmogelijk aantal netwerkfiguren",
    "network_meetings_dates": "Datum in plaats van aantal netwerkberaden",
    "network_meetings_implausible_dates": "Onmogelijke datum bij netwerkberaden",
    "invalid_network_meetings": "Onleesbaar aantal netwerkberaden",
    "steps_before_start": "Stappen gedateerd vóór de startdatum (behouden)",
    "end_before_start": "Einddatum vóór de startdatum",
    "missing_start_date": "Startdatum ontbreekt",
    "end_date_invalid": "Onleesbare einddatum",
    "status_unknown": "Status onbekend",
}


def quality_table(report: Mapping[str, Any]) -> pd.DataFrame:
    """The counts of a cleaning quality report as a Dutch two-column table.

    Takes the top-level row counts and the ``problems`` counts (nested one level, as
    both cleaners write them); unknown keys are shown as they are rather than dropped.
    Paths and other text in the report are left out: they differ per machine.
    """
    if not isinstance(report, Mapping):
        raise SofsInputError(
            f"quality_table: expected a report (dict), got {type(report).__name__}"
        )
    rows: list[tuple[str, int]] = []
    for key in (
        "rows_in",
        "rows_clean",
        "rows_quarantined",
        "duplicates_collapsed",
        "blank_rows_skipped",
    ):
        if isinstance(report.get(key), int):
            rows.append((QUALITY_LABELS[key], report[key]))
    for key, value in (report.get("problems") or {}).items():
        if isinstance(value, int):
            rows.append((QUALITY_LABELS.get(key, key), value))
    return pd.DataFrame({"Wat": [r[0] for r in rows], "Aantal": [fmt_int(r[1]) for r in rows]})


def count_table(
    frame: pd.DataFrame,
    keys: Sequence[str],
    *,
    count: str = "n",
    labels: Mapping[object, str] | None = None,
) -> pd.DataFrame:
    """A table of counts with Dutch headers and labels (``1.872``), rows as in ``frame``."""
    keys = list(keys)
    _require(frame, [*keys, count], "count_table")
    out = pd.DataFrame({column_label(k): [value_label(v, labels) for v in frame[k]] for k in keys})
    out[text("n")] = [fmt_int(v) for v in frame[count]]
    return out


def quarantine_table(
    quarantine: pd.DataFrame,
    *,
    code: str,
    reasons: Mapping[str, str],
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Why rows were quarantined: one row per reason with its count and source rows.

    Shows only the reason (Dutch, from ``reasons``) and the Excel row numbers, never the
    original cells: a quarantined row of a real export can hold names. ``code`` is the
    column with the reason code (``reason_code`` for the dashboard, ``reason`` for Binc);
    ``by`` adds grouping columns such as Binc's ``sheet``.
    """
    keys = [*by, code]
    _require(quarantine, [*keys, "source_row"], "quarantine_table")
    columns = [*(column_label(b) for b in by), "Reden", text("n"), "Rijen in de export"]
    if quarantine.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    rows = pd.to_numeric(quarantine["source_row"]).astype("Int64")
    work = quarantine[keys].assign(_row=rows).sort_values([*keys, "_row"], kind="stable")
    grouped = work.groupby(keys, sort=True, dropna=False)["_row"]
    summary = grouped.agg(["size", lambda r: ", ".join(str(int(v)) for v in r.dropna())])
    summary.columns = ["n", "rows"]
    summary = summary.reset_index()
    out = pd.DataFrame({column_label(b): summary[b].astype("str") for b in by})
    out["Reden"] = [reasons.get(c, str(c)) for c in summary[code]]
    out[text("n")] = [fmt_int(v) for v in summary["n"]]
    out["Rijen in de export"] = summary["rows"].to_numpy()
    return out[columns]


#: Dutch names of the kinds of cell the cleaners count per column.
CELL_KINDS: dict[str, str] = {
    "date": "datum",
    "count": "aantal",
    "value": "waarde",
    "yes": "ja of x",
    "no": "nee",
    "blank": "leeg",
    "implausible": "onmogelijke datum",
    "invalid": "onleesbaar",
}


def cell_kinds_table(
    report: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """What the cells of each cleaned column held (report ``columns``): one row per column.

    A count per kind of cell (date, count, ``nee``, blank...), so a reader sees for
    instance how often *Netwerkberaden* held a date instead of a count. ``headers``
    maps export headers to column keys (``clean_dashboard.HEADERS``), so the rows carry
    the headers people know from their export.
    """
    columns = report.get("columns") if isinstance(report, Mapping) else None
    if not isinstance(columns, Mapping):
        raise SofsInputError("cell_kinds_table: the report has no 'columns' counts")
    kinds = [k for k in CELL_KINDS if any(k in v for v in columns.values())]
    kinds += sorted({k for v in columns.values() for k in v} - set(kinds))
    names = {key: header for header, key in (headers or {}).items()}
    out = pd.DataFrame({"Kolom": [names.get(c, c) for c in columns]})
    for kind in kinds:
        out[CELL_KINDS.get(kind, kind)] = [fmt_int(v.get(kind, 0)) for v in columns.values()]
    return out


def reference_value_text(value: float, unit: str) -> str:
    """A reference figure as people read it: ``28,4%``, ``236``, ``7,60``."""
    return _reference_value(value, unit)


def _reference_value(value: float, unit: str) -> str:
    if value is None or pd.isna(value):
        return MISSING
    if unit == "pct":
        return f"{fmt_number(value, 1)}%"
    if unit == "count":
        return fmt_int(value)
    return fmt_number(value, 2)


def comparison_table(
    reference: pd.DataFrame,
    computed: Mapping[str, object],
    *,
    prefixes: Sequence[str] = (),
    ids: Sequence[str] = (),
) -> pd.DataFrame:
    """The report's published figures beside the same figures computed from this data.

    ``reference`` is ``calibration.load_reference()`` (``id``, ``description_nl``,
    ``value``, ``unit``, ``location``); ``computed`` maps the same ids to numbers or to
    objects with a ``value`` (``calibration.dashboard_figures``,
    ``profiles.binc_figures``). Rows are the reference ids starting with one of
    ``prefixes`` or listed in ``ids``, in reference order; a figure this data cannot
    give reads ``–``. Percentages are in points (``28,4%``), tests show their statistic.
    """
    _require(reference, ["id", "description_nl", "value", "unit", "location"], "comparison_table")
    chosen = reference["id"].isin(list(ids))
    for prefix in prefixes:
        chosen |= reference["id"].str.startswith(prefix)
    rows = reference[chosen]
    values = []
    for key in rows["id"]:
        found = computed.get(key)
        found = getattr(found, "value", found)
        values.append(float(found) if found is not None else float("nan"))
    return pd.DataFrame(
        {
            "Cijfer": rows["description_nl"].astype("str").to_numpy(),
            "Rapport": [
                _reference_value(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)
            ],
            "Deze data": [
                _reference_value(v, u) for v, u in zip(values, rows["unit"], strict=True)
            ],
            "Bron in het rapport": rows["location"].astype("str").to_numpy(),
        }
    )
