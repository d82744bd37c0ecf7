"""Kernels started together clean an export once: the others wait for its cache entry."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from sofs_lib import clean_cache

pytest.importorskip("fcntl")


def test_concurrent_loads_of_one_export_clean_it_once(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SOFS_CACHE", raising=False)
    export = tmp_path / "dashboard_export.xlsx"
    export.write_bytes(b"an export")
    calls: list[int] = []
    lock = threading.Lock()

    def clean() -> dict:
        with lock:
            calls.append(1)
        time.sleep(0.3)  # long enough for every other caller to arrive meanwhile
        return {"rows": 3}

    arrived = threading.Barrier(3)

    def load(_: int) -> dict:
        arrived.wait()  # the three loads start together, as kernels started together do
        return clean_cache.cached_clean("dashboard", export, date(2025, 3, 1), clean, dict)

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(load, range(3)))
    assert results == [{"rows": 3}] * 3
    assert len(calls) == 1
    assert len(list((tmp_path / clean_cache.CACHE_DIR_NAME).glob("*.pkl"))) == 1


def test_another_export_is_not_kept_waiting(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SOFS_CACHE", raising=False)
    exports = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in exports:
        path.write_bytes(path.name.encode())
    inside = {path.name: threading.Event() for path in exports}

    def cleaner(path: Path):
        def clean() -> dict:
            inside[path.name].set()
            # Both exports are being cleaned at the same time: neither waits for the other.
            other = next(e for name, e in inside.items() if name != path.name)
            return {"other_was_inside": other.wait(timeout=60)}

        return clean

    def load(path: Path) -> dict:
        return clean_cache.cached_clean("dashboard", path, None, cleaner(path), dict)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(load, exports))
    assert results == [{"other_was_inside": True}] * 2


def test_a_cache_folder_made_meanwhile_by_another_kernel_is_used(tmp_path: Path, monkeypatch):
    """The race behind a flaky CI run: two kernels both see no cache folder, one makes it,
    the other's mkdir fails. The loser must use the folder, not fall back to cleaning uncached."""
    folder = tmp_path / clean_cache.CACHE_DIR_NAME
    folder.mkdir(mode=0o700)  # the other kernel won the race
    monkeypatch.setattr(Path, "exists", lambda self: False)  # ... after we looked
    assert clean_cache._safe_dir(folder, create=True)
