"""Shares in words (``narrate.portion``): the word never says more or less than the number."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sofs_lib.narrate import NOT_COMPUTABLE, portion

ORDER = [
    "bijna geen",
    "een minderheid van de",
    "iets minder dan de helft van de",
    "ongeveer de helft van de",
    "iets meer dan de helft van de",
    "de meeste",
    "bijna alle",
]


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.05, "bijna geen"),
        (0.30, "een minderheid van de"),
        (0.44, "iets minder dan de helft van de"),
        (0.45, "ongeveer de helft van de"),
        (0.50, "ongeveer de helft van de"),
        (0.55, "ongeveer de helft van de"),
        (0.56, "iets meer dan de helft van de"),
        (0.75, "de meeste"),
        (0.95, "bijna alle"),
    ],
)
def test_a_share_gets_the_words_of_its_band(share: float, words: str) -> None:
    assert portion(share) == words


@given(st.floats(0, 1), st.floats(0, 1))
def test_a_larger_share_never_gets_smaller_words(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert ORDER.index(portion(low)) <= ORDER.index(portion(high))


def test_a_missing_share_is_said_to_be_not_computable() -> None:
    assert portion(math.nan) == NOT_COMPUTABLE
    assert portion(None) == NOT_COMPUTABLE
