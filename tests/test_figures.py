"""Behaviour of the seaborn figures: Dutch labels, decimal commas, bases, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sofs_lib import figures
from sofs_lib.errors import SofsInputError


def _shares(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["step", "status", "numerator", "denominator"])
    frame["share"] = frame["numerator"] / frame["denominator"].replace(0, np.nan)
    return frame


def _texts(fig) -> list[str]:
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts]


def _bar_widths(fig) -> list[float]:
    return [patch.get_width() for c in fig.axes[0].containers for patch in c]


def test_share_bars_annotate_percent_with_decimal_comma_and_base():
    frame = _shares([("safety_plan_adult", "closed", 67, 236)])
    fig = figures.share_bars(frame, "step", title="Stappen")
    assert _texts(fig) == ["28,4% (67/236)"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Veiligheidsplan volwassenen"]


def test_share_bars_axis_ticks_are_dutch_percentages():
    fig = figures.share_bars(_shares([("timeline", "closed", 1, 2)]), "step", title="t")
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["0%", "20%", "40%", "60%", "80%", "100%"]


def test_share_bars_with_hue_keep_category_and_hue_in_order():
    frame = _shares(
        [
            ("mapping_family", "open", 10, 20),
            ("mapping_family", "closed", 30, 40),
            ("timeline", "closed", 1, 4),
        ]
    )
    fig = figures.share_bars(frame, "step", hue="status", title="t", hue_order=["open", "closed"])
    # container per hue (open, closed), bars per step (mapping_family, timeline)
    assert _texts(fig) == ["50,0% (10/20)", "–", "75,0% (30/40)", "25,0% (1/4)"]
    assert _bar_widths(fig) == pytest.approx([0.5, 0.0, 0.75, 0.25])
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Open", "Afgesloten"]


def test_suppressed_share_is_drawn_empty_and_marked():
    frame = _shares([("timeline", "closed", 3, 4), ("three_houses", "closed", 8, 10)])
    frame["suppressed"] = pd.array([True, False], dtype="boolean")
    fig = figures.share_bars(frame, "step", title="t", order=["timeline", "three_houses"])
    assert _texts(fig) == ["verborgen", "80,0% (8/10)"]
    assert _bar_widths(fig) == pytest.approx([0.0, 0.8])


def test_share_without_a_base_is_annotated_with_its_percentage():
    # The median of the other organisations is a share with no numerator/denominator.
    frame = pd.DataFrame(
        {"step": ["timeline"], "numerator": [np.nan], "denominator": [np.nan], "share": [0.284]}
    )
    fig = figures.share_bars(frame, "step", title="t")
    assert _texts(fig) == ["28,4%"]
    assert _bar_widths(fig) == pytest.approx([0.284])


def test_zero_denominator_shows_dash_not_zero_percent():
    fig = figures.share_bars(_shares([("timeline", "open", 0, 0)]), "step", title="t")
    assert _texts(fig) == ["–"]


def test_missing_columns_raise_input_error_naming_them():
    frame = _shares([("timeline", "open", 1, 2)]).drop(columns=["denominator"])
    with pytest.raises(SofsInputError, match="denominator"):
        figures.share_bars(frame, "step", title="t")


def test_duplicate_rows_per_bar_are_refused():
    frame = _shares([("timeline", "open", 1, 2), ("timeline", "open", 2, 2)])
    with pytest.raises(SofsInputError, match="more than one row"):
        figures.share_bars(frame, "step", title="t")


def test_empty_selection_gives_a_figure_that_says_so():
    fig = figures.share_bars(_shares([]), "step", title="t")
    assert "Geen gegevens" in _texts(fig)[0]


def test_figures_have_fixed_size_and_stay_out_of_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = figures.share_bars(_shares([("timeline", "open", 1, 2)]), "step", title="t")
    assert tuple(fig.get_size_inches()) == figures.FIGSIZE
    assert plt.get_fignums() == before


def test_value_labels_come_from_the_catalogue():
    assert figures.value_label("words_pictures") == "Woord- en beeldverhaal"
    assert figures.value_label("IFG") == "Intrafamiliaal geweld"
    assert figures.value_label("residential") == "Verblijf"
    assert figures.value_label("consulent") == "Consulent"
    assert figures.value_label(2022.0) == "2022"
    assert figures.value_label(pd.NA) == "–"
    assert figures.value_label("x", {"x": "Iets"}) == "Iets"


def test_summary_ranges_annotate_mean_and_n():
    frame = pd.DataFrame(
        {
            "step": ["safety_plan_adult"],
            "n": [160],
            "mean": [7.6],
            "median": [7.0],
            "min": [-3.0],
            "max": [22.0],
        }
    )
    fig = figures.summary_ranges(frame, "step", title="t", guideline=(4, 8))
    assert "7,6 (n = 160)" in _texts(fig)


def test_count_distribution_draws_one_bar_per_value():
    frame = pd.DataFrame({"network_meetings": [2, 0, 1], "n": [5, 3, 4]})
    fig = figures.count_distribution(frame, "network_meetings", title="t", guideline=(6, 12))
    heights = sorted(
        (p.get_x() + p.get_width() / 2, p.get_height())
        for p in fig.axes[0].patches
        if p.get_height() > 0 and p.get_width() < 1
    )
    assert heights == [(0.0, 3.0), (1.0, 4.0), (2.0, 5.0)]


def test_trend_shares_write_each_year_with_its_denominator():
    frame = pd.DataFrame(
        {"closing_year": [2023, 2021], "numerator": [34, 13], "denominator": [46, 30]}
    )
    frame["share"] = frame["numerator"] / frame["denominator"]
    fig = figures.trend_shares(frame, title="t")
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["2021\n(n = 30)", "2023\n(n = 46)"]
    assert _texts(fig) == ["43,3%", "73,9%"]


def test_trend_means_annotate_means_with_decimal_comma():
    frame = pd.DataFrame({"closing_year": [2021, 2022], "n": [30, 90], "mean": [3.39, 4.69]})
    fig = figures.trend_means(frame, title="t")
    assert _texts(fig) == ["3,39", "4,69"]


def test_share_table_shows_percent_and_base_in_dutch():
    frame = _shares([("timeline", "closed", 67, 236), ("mapping_family", "closed", 1, 0)])
    table = figures.share_table(frame, "step", order=["timeline", "mapping_family"])
    assert list(table.columns) == ["SofS-stap", "Aandeel", "Teller/noemer"]
    assert table.to_dict("list") == {
        "SofS-stap": ["Traject (tijdslijn)", "Mapping met familie"],
        "Aandeel": ["28,4%", "–"],
        "Teller/noemer": ["67/236", "1/0"],
    }


def test_value_histogram_counts_values_and_reports_missing():
    values = pd.Series([0, 2, 2, None, 7], dtype="Int64", name="network_meetings")
    fig = figures.value_histogram(values, title="t", guideline=(6, 12))
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Aantal netwerkberaden (n = 4; ontbrekend: 1)"
    bars = sorted((p.get_x() + p.get_width() / 2, p.get_height()) for p in ax.patches[1:])
    assert bars == [(0.0, 1.0), (2.0, 2.0), (7.0, 1.0)]


def test_summary_table_writes_decimal_commas_and_dutch_headers():
    frame = pd.DataFrame(
        {
            "step": ["safety_plan_adult"],
            "n": [1234],
            "mean": [7.6],
            "sd": [4.25],
            "median": [7.0],
            "min": [-3.0],
            "max": [22.0],
        }
    )
    table = figures.summary_table(frame, key="step")
    assert table.iloc[0].to_dict() == {
        "SofS-stap": "Veiligheidsplan volwassenen",
        "n": "1.234",
        "Gemiddelde": "7,6",
        "SD": "4,2",
        "Mediaan": "7,0",
        "Minimum": "-3,0",
        "Maximum": "22,0",
    }


def test_crosstab_table_shows_counts_row_percent_and_totals():
    frame = pd.DataFrame(
        {
            "row_value": [True, True, False, False],
            "col_value": [True, False, True, False],
            "n": [30, 10, 5, 15],
            "row_share": [0.75, 0.25, 0.25, 0.75],
        }
    )
    table = figures.crosstab_table(frame, row_label="Plan", col_label="Beraad")
    assert list(table.columns) == ["Beraad: Ja", "Beraad: Nee", "Totaal"]
    assert list(table.index) == ["Ja", "Nee"]
    assert table.loc["Ja"].tolist() == ["30 (75,0%)", "10 (25,0%)", "40"]
    assert table.loc["Nee"].tolist() == ["5 (25,0%)", "15 (75,0%)", "20"]


def test_share_text_quotes_exactly_one_selected_row():
    frame = _shares([("timeline", "closed", 67, 236), ("timeline", "open", 0, 0)])
    assert figures.share_text(frame, status="closed") == "28,4% (67/236)"
    assert figures.share_text(frame, status="open") == "– (0/0)"
    with pytest.raises(SofsInputError, match="2 rows match"):
        figures.share_text(frame, step="timeline")


def test_steps_are_shown_in_dashboard_order_not_alphabetically():
    frame = _shares(
        [
            ("network_meeting", "closed", 1, 2),
            ("timeline", "closed", 1, 2),
            ("mapping_internal", "closed", 1, 2),
        ]
    )
    fig = figures.share_bars(frame, "step", title="t")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Mapping intern", "Traject (tijdslijn)", "Netwerkberaden"]


def test_trend_table_puts_years_side_by_side_with_their_test():
    shares = pd.DataFrame(
        {
            "closing_year": [2021, 2022, 2021, 2022, 2021, 2022],
            "indicator": ["step_taken"] * 2 + ["plan_b_type_in_effect"] * 4,
            "key": ["safety_plan_adult"] * 2 + ["network", "network", "residential", "residential"],
            "numerator": [13, 100, 5, 6, 4, 3],
            "denominator": [30, 138, 9, 9, 9, 9],
        }
    )
    shares["share"] = shares["numerator"] / shares["denominator"]
    tests = pd.DataFrame(
        {
            "indicator": ["step_taken", "plan_b_type_in_effect"],
            "key": ["safety_plan_adult", None],
            "apa": ["χ²(1) = 1", "χ²(1) = 2"],
        }
    )
    table = figures.trend_table(shares, tests=tests)
    assert list(table.columns) == ["Indicator", "Onderdeel", "2021", "2022", "Toets"]
    assert table.iloc[0].tolist() == [
        "SofS-stap gezet",
        "Veiligheidsplan volwassenen",
        "43,3% (13/30)",
        "72,5% (100/138)",
        "χ²(1) = 1",
    ]
    assert table["Toets"].tolist() == ["χ²(1) = 1", "χ²(1) = 2", ""]
    assert table["Onderdeel"].tolist()[1:] == ["Netwerk", "Verblijf"]


def test_trend_table_of_means_shows_mean_and_n():
    means = pd.DataFrame(
        {
            "closing_year": [2021, 2023],
            "indicator": ["network_meetings"] * 2,
            "n": [27, 34],
            "mean": [3.39, 7.39],
        }
    )
    table = figures.trend_table(means)
    assert table.iloc[0].tolist() == ["Aantal netwerkberaden", "3,39 (n = 27)", "7,39 (n = 34)"]


def test_quality_table_labels_counts_in_dutch_and_keeps_unknown_keys():
    report = {
        "source": "/somewhere/secret.xlsx",
        "rows_in": 1380,
        "rows_clean": 1370,
        "problems": {"network_meetings_dates": 92, "new_kind": 1},
    }
    table = figures.quality_table(report)
    assert table.to_dict("list") == {
        "Wat": [
            "Rijen ingelezen (niet leeg)",
            "Rijen aanvaard",
            "Datum in plaats van aantal netwerkberaden",
            "new_kind",
        ],
        "Aantal": ["1.380", "1.370", "92", "1"],
    }


def test_count_table_uses_dutch_labels_and_thousands_dot():
    frame = pd.DataFrame({"position": ["before", "after"], "n": [1872, 5]})
    table = figures.count_table(frame, ["position"])
    assert table.to_dict("list") == {
        "Plaats in het zorgtraject": ["Voortraject", "Natraject"],
        "n": ["1.872", "5"],
    }


def test_share_table_orders_groups_by_catalogue_not_alphabet():
    frame = _shares([("timeline", "open", 1, 2), ("timeline", "closed", 1, 4)])
    assert figures.share_table(frame, "step", by=["status"])["Status"].tolist() == [
        "Open",
        "Afgesloten",
    ]


def test_quarantine_table_lists_reasons_and_rows_but_no_cell_values():
    quarantine = pd.DataFrame(
        {
            "source_row": [217, 91, 216],
            "reason_code": ["dup", "no_org", "dup"],
            "Organisatie": ["Geheime organisatie", None, "Geheime organisatie"],
        }
    )
    table = figures.quarantine_table(
        quarantine, code="reason_code", reasons={"dup": "Dubbel", "no_org": "Geen organisatie"}
    )
    assert table.to_dict("list") == {
        "Reden": ["Dubbel", "Geen organisatie"],
        "n": ["2", "1"],
        "Rijen in de export": ["216, 217", "91"],
    }
    assert "Geheime" not in table.to_string()


def test_empty_quarantine_gives_empty_table_with_headers():
    quarantine = pd.DataFrame({"source_row": [], "reason": []})
    table = figures.quarantine_table(quarantine, code="reason", reasons={})
    assert table.empty and list(table.columns) == ["Reden", "n", "Rijen in de export"]


def test_cell_kinds_table_names_columns_by_export_header():
    report = {"columns": {"network_meetings": {"count": 242, "date": 92, "blank": 36}}}
    table = figures.cell_kinds_table(report, headers={"Netwerkberaden": "network_meetings"})
    assert table.to_dict("list") == {
        "Kolom": ["Netwerkberaden"],
        "datum": ["92"],
        "aantal": ["242"],
        "leeg": ["36"],
    }


def test_axis_numbers_keep_their_decimals_with_a_comma():
    fmt = figures.number_formatter()
    assert [fmt(v, None) for v in (-5.0, 2.5, 10.0, 0.25)] == ["-5", "2,5", "10", "0,25"]


def test_comparison_table_puts_report_and_data_side_by_side():
    reference = pd.DataFrame(
        {
            "id": ["dash_all_steps", "dash_all_steps_n", "dash_meetings_mean", "binc_x"],
            "description_nl": ["Alle stappen", "Alle stappen (n)", "Netwerkberaden", "x"],
            "value": [28.4, 67.0, 5.0, 1.0],
            "unit": ["pct", "count", "mean", "count"],
            "location": ["r. 5053", "r. 5053", "r. 5217", "r. 1"],
        }
    )

    class Figure:
        value = 4.87

    computed = {"dash_all_steps": 28.39, "dash_all_steps_n": 1067.0, "dash_meetings_mean": Figure()}
    table = figures.comparison_table(reference, computed, prefixes=("dash_",))
    assert table.to_dict("list") == {
        "Cijfer": ["Alle stappen", "Alle stappen (n)", "Netwerkberaden"],
        "Rapport": ["28,4%", "67", "5,00"],
        "Deze data": ["28,4%", "1.067", "4,87"],
        "Bron in het rapport": ["r. 5053", "r. 5053", "r. 5217"],
    }
    missing = figures.comparison_table(reference, {}, ids=["binc_x"])
    assert missing["Deze data"].tolist() == ["–"]


def test_missing_category_is_drawn_as_unknown_not_dropped():
    frame = pd.DataFrame({"plan_b": ["network", None], "numerator": [3, 1], "denominator": [4, 2]})
    frame["share"] = frame["numerator"] / frame["denominator"]
    fig = figures.share_bars(frame, "plan_b", title="t")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Netwerk", "Onbekend"]
    assert _texts(fig) == ["75,0% (3/4)", "50,0% (1/2)"]
    ranges = pd.DataFrame(
        {
            "plan_b": ["residential", None],
            "n": [5, 2],
            "mean": [3.0, 1.0],
            "median": [3.0, 1.0],
            "min": [0.0, 0.0],
            "max": [6.0, 2.0],
        }
    )
    fig = figures.summary_ranges(ranges, "plan_b", title="t")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Verblijf", "Onbekend"]
