"""The on-disk cache of cleaned exports (sofs_lib.clean_cache via sofs_lib.datasets)."""

from __future__ import annotations

import shutil
import stat
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sofs_lib import clean_cache, datasets
from sofs_lib.clean_cache import CACHE_DIR_NAME
from sofs_lib.synth import write_synthetic


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("gen")
    written = write_synthetic(root / "a", seed=11, n_dashboard=40, export_date=date(2025, 3, 1))
    other = write_synthetic(root / "b", seed=12, n_dashboard=30, export_date=date(2025, 3, 1))
    return {
        "dashboard": written["dashboard"],
        "binc": written["binc"],
        "other": other["dashboard"],
        "gen_dir": root / "a",
    }


@pytest.fixture
def export(tmp_path, generated, monkeypatch) -> Path:
    """A copy of a generated export without its manifest (as a real export arrives)."""
    folder = tmp_path / "export"
    folder.mkdir()
    for path in (generated["dashboard"], generated["binc"]):
        shutil.copy(path, folder / path.name)
    monkeypatch.setenv("SOFS_DATA_DIR", str(folder))
    monkeypatch.setenv("SOFS_EXPORT_DATE", "2025-03-01")
    monkeypatch.setenv("SOFS_BINC_EXPORT_DATE", "2025-02-01")
    monkeypatch.delenv("SOFS_CACHE", raising=False)
    monkeypatch.delenv("SOFS_DASHBOARD_EXPORT", raising=False)
    monkeypatch.delenv("SOFS_BINC_EXPORT", raising=False)
    _forget_in_memory()
    yield folder
    _forget_in_memory()


def _forget_in_memory() -> None:
    """Drop the in-process memo, so the next load behaves like a new kernel."""
    datasets._clean_dashboard_cached.cache_clear()
    datasets._clean_binc_cached.cache_clear()


def _entries(folder: Path) -> list[Path]:
    cache = folder / CACHE_DIR_NAME
    return sorted(cache.glob("*.pkl")) if cache.exists() else []


def _assert_same_result(first, second, names) -> None:
    for name in names:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), check_exact=True)
        assert getattr(first, name).attrs == getattr(second, name).attrs
    pd.testing.assert_frame_equal(first.quarantine, second.quarantine, check_exact=True)
    assert first.report == second.report


def test_cache_hit_returns_the_same_cleaned_frames_with_dtypes_and_attrs(export):
    fresh_dashboard = datasets.load_dashboard_result()
    fresh_binc = datasets.load_binc_result()
    entries = _entries(export)
    assert [p.name.split("-")[0] for p in entries] == ["binc", "dashboard"]
    _forget_in_memory()

    calls = []
    original = clean_cache.cached_clean

    def spy(kind, path, export_date, clean, expected):
        def counted():
            calls.append(kind)
            return clean()

        return original(kind, path, export_date, counted, expected)

    import unittest.mock

    with unittest.mock.patch.object(clean_cache, "cached_clean", spy):
        cached_dashboard = datasets.load_dashboard_result()
        cached_binc = datasets.load_binc_result()
    assert calls == [], "a valid entry is read, not cleaned again"
    assert cached_dashboard is not fresh_dashboard
    _assert_same_result(fresh_dashboard, cached_dashboard, ["data"])
    _assert_same_result(fresh_binc, cached_binc, ["modules", "children"])
    assert cached_dashboard.data.attrs["export_date"] == date(2025, 3, 1)
    assert cached_binc.modules.attrs["export_date"] == date(2025, 2, 1)
    assert cached_dashboard.data.attrs["provenance"] == "real"


def test_cache_folder_is_closed_to_others_like_the_export(export):
    datasets.load_dashboard_result()
    cache = export / CACHE_DIR_NAME
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    for entry in _entries(export):
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_a_changed_export_or_export_date_misses_the_cache(export, generated, monkeypatch):
    first = datasets.load_dashboard_result()
    old_entry = _entries(export)
    _forget_in_memory()

    shutil.copy(generated["other"], export / generated["dashboard"].name)
    second = datasets.load_dashboard_result()
    assert len(second.data) != len(first.data) or not second.data.equals(first.data)
    assert _entries(export) != old_entry, "the stale entry is replaced"
    assert len(_entries(export)) == 1, "one entry per export and kind"
    _forget_in_memory()

    monkeypatch.setenv("SOFS_EXPORT_DATE", "2025-06-01")
    third = datasets.load_dashboard_result()
    assert third.data.attrs["export_date"] == date(2025, 6, 1)
    assert clean_cache.entry_path(
        "dashboard", export / generated["dashboard"].name, date(2025, 6, 1)
    ).exists()


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_corrupted_entry_is_ignored_and_rebuilt(export, damage):
    fresh = datasets.load_dashboard_result()
    (entry,) = _entries(export)
    blob = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip":
        entry.write_bytes(blob[:-10] + bytes(b ^ 0xFF for b in blob[-10:]))
    else:
        entry.write_bytes(b"not a cache entry")
    _forget_in_memory()

    rebuilt = datasets.load_dashboard_result()
    _assert_same_result(fresh, rebuilt, ["data"])
    assert entry.read_bytes() == blob, "the entry is written again, whole"


def test_an_entry_of_the_wrong_type_is_not_trusted(export):
    datasets.load_dashboard_result()
    (entry,) = _entries(export)
    clean_cache._write(entry, {"not": "a result"})
    _forget_in_memory()
    assert clean_cache._read(entry, dict) == {"not": "a result"}
    result = datasets.load_dashboard_result()
    assert isinstance(result.data, pd.DataFrame) and len(result.data) > 0


def test_a_cache_folder_open_to_others_is_not_used(export):
    datasets.load_dashboard_result()
    cache = export / CACHE_DIR_NAME
    cache.chmod(0o777)
    (entry,) = _entries(export)
    entry.write_bytes(b"planted")
    _forget_in_memory()
    datasets.load_dashboard_result()
    assert entry.read_bytes() == b"planted", "neither read nor rewritten"


def test_sofs_cache_0_writes_nothing(export, monkeypatch):
    monkeypatch.setenv("SOFS_CACHE", "0")
    result = datasets.load_dashboard_result()
    datasets.load_binc_result()
    assert len(result.data) > 0
    assert not (export / CACHE_DIR_NAME).exists()


def test_the_synthetic_cache_folder_is_git_ignored():
    gitignore = (Path(__file__).resolve().parents[1] / ".gitignore").read_text().splitlines()
    assert f"data/synthetic/{CACHE_DIR_NAME}/" in gitignore


def test_kerndataset_cache_is_keyed_by_the_dashboard_frame_contents():
    from sofs_lib.kerndataset.data import _frame_fingerprint

    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    assert _frame_fingerprint(frame) == _frame_fingerprint(frame.copy())
    assert _frame_fingerprint(frame) != _frame_fingerprint(frame.iloc[:-1])
    changed = frame.copy()
    changed.loc[1, "b"] = "q"
    assert _frame_fingerprint(frame) != _frame_fingerprint(changed)
    assert _frame_fingerprint(frame) != _frame_fingerprint(frame.astype({"a": "float64"}))
    assert _frame_fingerprint(None) is None


def test_kerndataset_cache_hit_returns_the_same_result(tmp_path, generated, monkeypatch):
    from sofs_lib.kerndataset import data as kern

    folder = tmp_path / "kern"
    folder.mkdir()
    for path in generated["gen_dir"].iterdir():
        if path.name.startswith("kerndataset"):
            shutil.copy(path, folder / path.name)
    dashboard = datasets.load_dashboard(generated["dashboard"])
    first, _ = kern.load_kerndataset(dashboard, folder, export_date=date(2025, 3, 1))
    assert [p.name.split("-")[0] for p in _entries(folder)] == ["kerndataset"]

    def refuse(*args, **kwargs):
        raise AssertionError("cleaned again despite a valid cache entry")

    monkeypatch.setattr(kern, "clean_kerndataset", refuse)
    second, _ = kern.load_kerndataset(dashboard, folder, export_date=date(2025, 3, 1))
    pd.testing.assert_frame_equal(first.data, second.data, check_exact=True)
    assert first.data.attrs == second.data.attrs
