"""Property test: any text made of statistical fragments is audited without an error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sofs_lib.audit import audit_text
from sofs_lib.audit.core import RULE_FAILED
from sofs_lib.errors import SofsInputError

FRAGMENTS = [
    *"0123456789,.%()/-–− =<>;:\n",
    "p = ",
    "p < ,",
    "n = ",
    "N = ",
    "(n = ",
    "χ²(",
    "X2(",
    "F(",
    "t(",
    "r(",
    "Z = ",
    "z = ",
    "U = ",
    "M = ",
    "B = ",
    "Exp(B) = ",
    "OR = ",
    "df = ",
    "van de ",
    "op ",
    "waarvan ",
    "in totaal ",
    "bestaat uit ",
    "significant ",
    "niet ",
    "eenzijdig ",
    "- ",
    "eenmalig ",
    "twee maal ",
    "modules",
    "Tabel 1. ",
    "Figuur 2. Percentage ",
    "Noot. ",
    "M ",
    " – ",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=80).map("".join))
def test_any_statistical_looking_text_is_audited_without_error(text):
    try:
        result = audit_text(text)
    except SofsInputError:
        return  # only for empty text
    assert all(not row["reason"].startswith(RULE_FAILED) for row in result.rows)
    assert {row["verdict"] for row in result.rows} <= {
        "ok",
        "inconsistent",
        "decision error",
        "not checkable",
    }
