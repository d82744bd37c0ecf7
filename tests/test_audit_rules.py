"""Each audit rule on small Dutch and English statements: it flags errors, stays quiet otherwise."""

from __future__ import annotations

import pytest

from sofs_lib.audit import audit_text
from sofs_lib.audit.parse import parse_number
from sofs_lib.audit.rules import grim_share, mean_possible, share_possible


def _rows(text: str, check: str | None = None):
    frame = audit_text(text).findings
    return frame if check is None else frame[frame["check"] == check]


def _verdicts(text: str, check: str) -> list[str]:
    return list(_rows(text, check)["verdict"])


# ----------------------------------------------------------------- p from the statistic


@pytest.mark.parametrize(
    "text",
    [
        "(χ²(2, N = 236) = 10,15, p = ,006)",
        "t(48) = 2,31, p = ,025",
        "F(2, 197) = 21,28, p < ,001",
        "r(98) = ,35, p < ,001",
        "Z = -3,33, p < ,001",
        "X2(1) = 4,12, p = ,04",
        "t(60) = 2,10, p=0,04",
        "F(2,205) = 1.27, p = 0.28",
        "t(120) = 1,98, p = ,05",
        "(χ2 (3) = 12,30; p = ,006)",
        "(t = 2,45; df = 30; p = ,02)",
    ],
)
def test_correct_results_pass_the_p_recomputation(text):
    assert _verdicts(text, "p_from_statistic") == ["ok"]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("(χ²(2, N = 236) = 10,15, p = ,04)", "inconsistent"),
        ("t(48) = 1,21, p = ,03", "decision error"),
        ("F(3, 120) = 2,10, p = ,02", "decision error"),
        ("r(98) = ,15, p = ,001", "decision error"),
        ("t(25) = 2.95, p = .21", "decision error"),
        ("t(40) = 5,20, p = ,000", "inconsistent"),
    ],
)
def test_wrong_p_values_are_flagged(text, verdict):
    assert _verdicts(text, "p_from_statistic") == [verdict]


def test_a_result_split_over_two_lines_is_checked_on_its_first_line():
    rows = _rows("Een ANOVA toont een verschil (F(1,\n\n88) = 0,52, p < ,001).", "p_from_statistic")
    assert list(rows["verdict"]) == ["decision error"]
    assert list(rows["line"]) == [1]


def test_one_sided_p_needs_one_sided_wording():
    assert _verdicts("Hogere scores, t(30) = 1,80, p = ,041.", "p_from_statistic") == [
        "inconsistent"
    ]
    assert _verdicts("Een eenzijdige toets: t(30) = 1,80, p = ,041.", "p_from_statistic") == ["ok"]
    assert _verdicts("Een eenzijdige toets: t(30) = 2,10, p = ,044.", "p_from_statistic") == [
        "inconsistent"
    ]


def test_chi_square_with_n_in_the_brackets_is_a_decision_error_with_its_df_flagged():
    text = "meer netwerkberaden (X2(236) = 41.83, p < 0.001) bij een plan."
    rows = _rows(text)
    stat = rows[rows["check"] == "p_from_statistic"].iloc[0]
    assert stat["verdict"] == "decision error"
    assert "df = 1" in stat["reason"]
    assert _verdicts(text, "df_plausible") == ["inconsistent"]


def test_chi_square_df_not_below_n_is_flagged():
    assert _verdicts("χ²(40, N = 40) = 3,2, p = ,99", "df_plausible") == ["inconsistent"]


def test_statistic_without_df_is_listed_as_not_checkable_with_the_reason():
    rows = _rows("Het verschil was groot (t = 2,31, p = ,03).", "p_from_statistic")
    assert list(rows["verdict"]) == ["not checkable"]
    assert "vrijheidsgraden" in rows["reason"].iloc[0]


# ----------------------------------------------------------------- wording, effect sizes


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Het verschil is significant (p = ,12).", "inconsistent"),
        ("Er is geen significant verschil tussen de groepen (p = ,003).", "inconsistent"),
        ("Beide zijn voorspellend (β = 0.13, p = 0.40).", "inconsistent"),
        ("Er is geen significant verschil doorheen de tijd (χ²(4) = 5,37, p = ,25).", "ok"),
        ("Er zijn significant meer netwerkberaden (F(2,145) = 6,21, p < ,01).", "ok"),
    ],
)
def test_significance_words_must_match_the_p_value(text, verdict):
    assert _verdicts(text, "significance_wording") == [verdict]


def test_mann_whitney_r_is_checked_against_n_or_its_implied_n_is_shown():
    ok = "(U = 210,5, z = -2,80, p = ,005, r = -0,36, N = 60)"
    bad = "(U = 210,5, z = -2,80, p = ,005, r = -0,52, N = 60)"
    assert _verdicts(ok, "effect_size_r") == ["ok"]
    assert _verdicts(bad, "effect_size_r") == ["inconsistent"]
    rows = _rows("(U = 1850,00, z = -2,659, p < 0.01, r = -0.21)", "effect_size_r")
    assert list(rows["verdict"]) == ["not checkable"]
    assert "160" in rows["recomputed"].iloc[0]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("(β = 0.26, Exp. β = 1.30, p < 0.1)", "ok"),
        ("(B = 0,45, Exp(B) = 1,22, p = ,01)", "inconsistent"),
        ("(OR = 1,45; B = 0,62; p = ,03)", "inconsistent"),
        ("(B = 0,62; OR = 1,86; p = ,03)", "ok"),
    ],
)
def test_odds_ratio_must_be_e_to_the_b(text, verdict):
    assert _verdicts(text, "exp_b") == [verdict]


# ----------------------------------------------------------------- GRIM


def test_grim_share_and_mean_primitives():
    assert grim_share(67, 236, parse_number("28,4"))
    assert not grim_share(2, 368, parse_number("0,1"))
    assert share_possible(179, parse_number("47,5"))
    assert not share_possible(368, parse_number("12,7"))
    assert mean_possible(12, parse_number("3,50"))
    assert not mean_possible(12, parse_number("3,47"))


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("in 28,4% (67/236) van de afgesloten trajecten", "ok"),
        ("in 28,4% (68/236) van de afgesloten trajecten", "inconsistent"),
        ("- 0,1% vier maal (2/368 trajecten)", "inconsistent"),
        ("- 0,02% CB SofS + kortdurend crisisverblijf (1/402 modules)", "inconsistent"),
        ("opgemaakt in 45/120 (35,0%) trajecten", "inconsistent"),
        ("Bij 2 van de 368 kinderen (0,1%)", "inconsistent"),
        ("Bij 5 van de 18 gezinnen (27,8%)", "ok"),
        ("(0,1% (2 van 368)", "inconsistent"),
        ("er 1.872 van de 2.500 geregistreerd (74,9%)", "ok"),
        ("deze trajecten (79.1%, 53/67) duurden lang", "ok"),
        ("Van de 33 jongeren waren er 15 jongens (42,5%) en 18 meisjes (57,5%).", "inconsistent"),
    ],
)
def test_share_beside_its_count_must_be_k_over_n(text, verdict):
    assert verdict in _verdicts(text, "share_of_count")
    if verdict == "ok":
        assert "inconsistent" not in _verdicts(text, "share_of_count")


def test_truncated_share_is_named_as_such():
    rows = _rows("Missing: 47/368 (12,7%)", "share_of_count")
    assert "afgekapt" in rows["reason"].iloc[0]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("De twaalf ouders waren positief (M = 3,47, n = 12).", "inconsistent"),
        ("De twaalf ouders waren positief (M = 3,50, n = 12).", "ok"),
        ("Gemiddeld werden 2,47 netwerkberaden georganiseerd (n = 9).", "inconsistent"),
        ("Gemiddeld werden 2,44 netwerkberaden georganiseerd (n = 9).", "ok"),
    ],
)
def test_mean_must_be_possible_for_its_n(text, verdict):
    assert _verdicts(text, "mean_possible") == [verdict]


# ----------------------------------------------------------------- totals


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("waren 31,3% van deze trajecten afgesloten en 68,5% open.", "inconsistent"),
        ("60,2% duurt acht maanden of minder en 39,8% langer.", "ok"),
        ("65,6% familiaal netwerk, 30,1% sociaal netwerk en in 4,4% ontbreekt dit.", "ok"),
    ],
)
def test_shares_of_one_split_total_100(text, verdict):
    assert _verdicts(text, "shares_total_100") == [verdict]


def test_unrelated_shares_and_ranges_are_not_summed():
    assert _rows("In 68,1% een plan voor volwassenen en in 52,7% een kindversie.").empty
    assert _rows("In bijna alle trajecten (97–98%) gebeurt een mapping.").empty


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("In totaal 370 trajecten, waarvan 134 open trajecten en 236 gesloten.", "ok"),
        ("In totaal 412 gezinnen, waarvan 198 via het OCJ en 203 via de SDJ.", "inconsistent"),
        (
            "In 2021 sloten 43 af, in 2022 139 en in 2023 55, in totaal 236 trajecten.",
            "inconsistent",
        ),
        ("De 96 organisaties bestaan uit 40 met verblijf, 33 zonder en 21 andere.", "inconsistent"),
    ],
)
def test_parts_sum_to_their_total(text, verdict):
    assert _verdicts(text, "parts_sum_to_total") == [verdict]


def test_list_of_shares_with_counts_totals_and_implied_frequency_total():
    text = (
        "Tabel 4. Hoe vaak werd de module ingezet?\n\n"
        "Hoe vaak per gezin? (n = 200 gezinnen)\n"
        "- 80,0% eenmalig (160/200 gezinnen)\n- 15,0% twee keer (30/200 gezinnen)\n"
        "- 5,0% drie keer (10/200 gezinnen)\n\n"
        "In welke volgorde? (n = 240 modules)\n- 50,0% eerst (120/240 modules)\n"
        "- 50,0% later (120/240 modules)\n\nNoot. Binc."
    )
    rows = _rows(text)
    implied = rows[rows["check"] == "frequency_implied_total"].iloc[0]
    assert implied["verdict"] == "inconsistent" and implied["recomputed"] == "250"
    assert set(rows[rows["check"] == "shares_total_100"]["verdict"]) == {"ok"}


def test_sub_list_after_waarvan_must_add_up_to_its_parent():
    text = (
        "- 94,0% alleen (378/402 modules)\n- 6,0% gecombineerd (24/402 modules), waarvan:\n"
        "- 3,0% met verblijf (12/402 modules)\n- 2,0% met dagbesteding (8/402 modules)\n"
        "- 1,0% andere (4/402 modules)\n\nEinde van de lijst met een lange zin erna."
    )
    rows = _rows(text, "parts_sum_to_total")
    assert set(rows["verdict"]) == {"ok"}
    assert "12 + 8 + 4 = 24" in set(rows["reported"])


def test_column_percentage_table_checks_n_grim_100_and_its_chi_square():
    text = (
        "Een toets (X2(2) = 3,93, p = ,14) vergelijkt de kolommen.\n"
        "Tabel 2. Type naargelang de status (n = 250 trajecten)\n\n"
        "Type Open (n = 140) (%) Afgesloten (n = 108) (%)\n"
        "Met verblijf 50,0 62,0\nZonder verblijf 30,0 25,0\nPleegzorg 20,0 13,0\n\nNoot. Per kolom."
    )
    rows = _rows(text)
    n_sum = rows[(rows["check"] == "parts_sum_to_total")].iloc[0]
    assert n_sum["verdict"] == "inconsistent" and n_sum["recomputed"].startswith("250")
    assert set(rows[rows["check"] == "share_possible_for_n"]["verdict"]) == {"ok"}
    assert set(rows[rows["check"] == "df_plausible"]["verdict"]) == {"ok"}
    assert list(rows[rows["check"] == "table_chi2"]["verdict"]) == ["ok"]


def test_table_chi_square_with_more_df_than_the_table_allows_is_flagged():
    text = (
        "Een toets (X2(4) = 3,93, p = ,42) vergelijkt de kolommen.\n"
        "Tabel 2. Type naargelang de status (n = 248 trajecten)\n\n"
        "Type Open (n = 140) (%) Afgesloten (n = 108) (%)\n"
        "Met verblijf 50,0 62,0\nZonder verblijf 30,0 25,0\nPleegzorg 20,0 13,0\n\nNoot. Per kolom."
    )
    assert _verdicts(text, "df_plausible") == ["inconsistent"]


def test_dash_series_table_rows_must_sum_to_the_column_totals_and_give_the_mean():
    text = (
        "Tabel 5. Leeftijd bij instroom (n = 155)\n\n"
        "Kinderen (2021 – 2022 – 2023) 10 – 12 – 6\nLeeftijd\n"
        "0 2 – 4 – 1\n1 3 – 4 – 2\n2 5 – 5 – 3\nM 1,3 – 1,4 – 1,3\n\nNoot. Per jaar."
    )
    rows = _rows(text)
    sums = rows[rows["check"] == "parts_sum_to_total"]
    assert list(sums["verdict"]) == ["ok", "inconsistent", "ok"]
    means = rows[rows["check"] == "mean_from_distribution"]
    assert list(means["verdict"]) == ["ok", "inconsistent", "ok"]


def test_count_share_rows_are_checked_against_the_table_n():
    text = (
        "Tabel 3. Kenmerken van de jongeren (n = 120)\n\nGeslacht\n"
        "Jongen 64 (52,5%)\nMeisje 56 (46,7%)\n\nNoot. Bron: registratie."
    )
    rows = _rows(text, "share_of_count")
    assert list(rows["verdict"]) == ["inconsistent", "ok"]


def test_percentage_figure_labels_must_total_100():
    bad = "12,5\n30,0\n41,2\n10,3\nFiguur 3. Percentage trajecten per regio (n = 200)\nA\nB"
    good = "12,5\n30,0\n41,2\n16,3\nFiguur 3. Percentage trajecten per regio (n = 200)\nA\nB"
    assert _verdicts(bad, "shares_total_100") == ["inconsistent"]
    assert _verdicts(good, "shares_total_100") == ["ok"]
