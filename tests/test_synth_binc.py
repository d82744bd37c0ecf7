"""The synthetic Binc extract: deterministic, the dictionary's layout, the intended mess."""

from __future__ import annotations

import pytest

from sofs_lib.errors import SofsInputError
from sofs_lib.readers import read_raw_table
from sofs_lib.synth.binc import CHILD_HEADERS, MODULE_HEADERS, write_binc_export


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("binc")
    a, b, c = folder / "a.xlsx", folder / "b.xlsx", folder / "c.xlsx"
    write_binc_export(a, seed=7)
    write_binc_export(b, seed=7)
    write_binc_export(c, seed=8)
    return a, b, c


def test_same_seed_gives_the_same_bytes(two_runs):
    a, b, _ = two_runs
    assert a.read_bytes() == b.read_bytes()


def test_another_seed_gives_another_extract(two_runs):
    a, _, c = two_runs
    assert a.read_bytes() != c.read_bytes()


def test_workbook_has_the_dictionary_sheets_and_headers(two_runs):
    a, _, _ = two_runs
    modules = read_raw_table(a, sheet="Schakelingen", required=MODULE_HEADERS)
    children = read_raw_table(a, sheet="Kindkenmerken", required=tuple(CHILD_HEADERS))
    assert len(children.frame) == 368
    # 1872 registrations + one exact duplicate + one stray row without pseudonym.
    assert len(modules.frame) == 1874
    assert modules.blank_rows_skipped == 2 and children.blank_rows_skipped == 1


def test_extract_carries_typing_mess(two_runs):
    a, _, _ = two_runs
    frame = read_raw_table(a, sheet="Schakelingen", required=MODULE_HEADERS).frame
    kinds = frame["Begindatum"].map(lambda v: type(v).__name__).value_counts()
    assert {"str", "date", "float"} <= set(kinds.index)
    modules = frame["Typemodule"].astype(str)
    assert (modules != modules.str.strip()).any()
    assert (modules.str.islower() & modules.ne("")).any()


def test_bad_seed_or_suffix_is_refused(tmp_path):
    with pytest.raises(SofsInputError):
        write_binc_export(tmp_path / "x.xlsx", seed=-1)
    with pytest.raises(SofsInputError):
        write_binc_export(tmp_path / "x.csv", seed=1)
