"""The audit on the 2024 process evaluation: the known inconsistencies are found.

The committed excerpts (tests/data/audit/seed_excerpts.txt) always run. The whole report is
audited too when ``config.report_text_path()`` finds it: the shared folder beside the
repository (``../shared``, as in CI), or ``SOFS_REPORT_TEXT``. docs/audit.md maps every case
of docs/caveats.md to what the audit reports or why it cannot see it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sofs_lib import config
from sofs_lib.audit import audit_files

ROOT = Path(__file__).resolve().parents[1]
EXCERPTS = ROOT / "tests" / "data" / "audit" / "seed_excerpts.txt"


def _seed_path() -> Path | None:
    path = config.report_text_path()
    return path if path.exists() else None


def _has(frame: pd.DataFrame, check: str, text: str, verdict: str, line: int | None = None) -> bool:
    rows = frame[(frame["check"] == check) & frame["reported"].str.contains(text, regex=False)]
    if line is not None:
        rows = rows[rows["line"] == line]
    return bool((rows["verdict"] == verdict).any())


#: (check, text in 'reported', verdict, line in the whole report)
KNOWN = [
    ("shares_total_100", "31,3 + 68,5", "inconsistent", 4466),  # 31,3% + 68,5% ≠ 100
    ("parts_sum_to_total", "kolom 2: som van 19 rijen = 201", "inconsistent", 4512),  # Table 5 age
    ("parts_sum_to_total", "kolom 4: som van 19 rijen = 174", "inconsistent", 4512),
    ("mean_from_distribution", "kolom 2: M = 9,0", "inconsistent", 4531),
    ("share_of_count", "12,7% van 47/368", "inconsistent", 4645),
    ("parts_sum_to_total", "252 + 115 = 367", "inconsistent", 4742),  # Table 6 n
    ("frequency_implied_total", "1×336 + 2×21", "inconsistent", 4815),  # Table 7: 415 ≠ 402
    ("share_of_count", "0,1% van 2/368", "inconsistent", 4818),
    ("share_of_count", "0,02% van 1/402", "inconsistent", 4834),
    ("shares_total_100", "15,1 + 4,6 + 47,37", "inconsistent", 5097),  # caveat 1: Fig. 4
    ("df_plausible", "df = 236", "inconsistent", 5310),  # caveat 4: N printed as df
    ("p_from_statistic", "χ² = 41,83", "decision error", 5310),
    ("df_plausible", "df = 207", "inconsistent", 5318),
    ("effect_size_r", "z = -2,659", "not checkable", 5346),  # caveat 6: implied N = 160
    ("significance_wording", "'voorspellend', p = 0.40", "inconsistent", 5353),  # caveat 7
]
#: Correct statements the audit must pass: (check, text, line in the whole report).
CORRECT = [
    ("p_from_statistic", "χ² = 32,2", 4738),
    ("table_chi2", "χ² = 32.2", 4738),
    ("df_plausible", "df = 10", 4738),
    ("share_of_count", "28,4% van 67/236", 5053),
    ("parts_sum_to_total", "370 = 134 + 236", 5011),
    ("p_from_statistic", "χ² = 10,15", 5445),
    ("p_from_statistic", "F = 6,21", 5528),
    ("p_from_statistic", "z = −2,11", 5346),
    ("significance_wording", "'niet significant', p = 0.46", 5526),
]


@pytest.fixture(scope="module")
def excerpts() -> pd.DataFrame:
    return audit_files([EXCERPTS]).findings


@pytest.mark.parametrize(("check", "text", "verdict", "_line"), KNOWN)
def test_report_inconsistencies_are_found_in_the_excerpts(excerpts, check, text, verdict, _line):
    assert _has(excerpts, check, text, verdict)


@pytest.mark.parametrize(("check", "text", "_line"), CORRECT)
def test_correct_report_statements_pass_in_the_excerpts(excerpts, check, text, _line):
    assert _has(excerpts, check, text, "ok")


@pytest.fixture(scope="module")
def whole_report() -> pd.DataFrame:
    path = _seed_path()
    if path is None:
        pytest.skip(
            f"the report text is not at {config.report_text_path()} "
            "(shared/ beside the repository, or set SOFS_REPORT_TEXT)"
        )
    return audit_files([path], figure_table=True).findings


def test_whole_report_finds_every_known_case_on_its_line(whole_report):
    missing = [k for k in KNOWN if not _has(whole_report, k[0], k[1], k[2], k[3])]
    assert missing == []


def test_whole_report_passes_its_correct_statements(whole_report):
    wrong = [c for c in CORRECT if not _has(whole_report, c[0], c[1], "ok", c[2])]
    assert wrong == []


def test_whole_report_problems_stay_few_and_named(whole_report):
    problems = whole_report[whole_report["verdict"] != "ok"]
    assert problems["reason"].str.len().gt(0).all()
    # every problem is one of the report's own errors listed in docs/audit.md, not noise
    assert len(problems) <= 50
    assert set(problems["check"]) <= {
        "shares_total_100",
        "parts_sum_to_total",
        "mean_from_distribution",
        "share_of_count",
        "frequency_implied_total",
        "df_plausible",
        "p_from_statistic",
        "effect_size_r",
        "significance_wording",
        "share_possible_for_n",
    }
