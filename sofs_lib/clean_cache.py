"""A cache of cleaned exports on disk, shared by every kernel and process that loads them.

Cleaning the same export again in each notebook kernel costs seconds per kernel (reading
the workbook, parsing, validating). :func:`cached_clean` stores the cleaning result once,
**beside the export** in ``<export folder>/.sofs-cache/`` (created with mode 0700, files
0600), so the cached copy carries the same protection as the export itself and leaves
with it when the folder is deleted. ``data/synthetic/.sofs-cache/`` is git-ignored, and
real exports live outside git anyway.

An entry is keyed by everything its content depends on: the SHA-256 of the export's
bytes (every file of a CSV folder), the export date it was cleaned with, the export's
resolved path (the quality report names its source), and the cleaner version — a hash
of the source of the whole ``sofs_lib`` package (code and reference CSVs) plus the
Python and pandas versions. Any change to one of them is a miss. Entries are pickles
written atomically (temporary file, then ``os.replace``) behind a header with the
SHA-256 of the payload: an entry whose hash, header or type does not check out, or
that cannot be read, is ignored and rebuilt, never trusted. Entries live only in a
folder owned by the current user and closed to others; otherwise nothing is cached.
(Parquet would need pyarrow, which the environment does not carry, and would not keep
the quality report or the frames' ``attrs``; the pickle keeps dtypes and attrs exactly.)

``SOFS_CACHE=0`` (or ``false``/``no``/``off``) turns the cache off: nothing is read or
written. A folder that cannot be written (a read-only export) simply goes uncached.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

CACHE_DIR_NAME = ".sofs-cache"
#: Version of the entry layout; bump when it changes.
CACHE_FORMAT = 1
_MAGIC = b"SOFS-CLEAN-CACHE\n"
_OFF = {"0", "false", "no", "off"}

T = TypeVar("T")


def cache_enabled() -> bool:
    """False when ``SOFS_CACHE`` is ``0``/``false``/``no``/``off``."""
    return os.environ.get("SOFS_CACHE", "1").strip().lower() not in _OFF


def _hash_file(digest: Any, path: Path) -> None:
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def content_hash(path: Path) -> str:
    """SHA-256 of an export: the file's bytes, or every file of a folder (name and bytes)."""
    path = Path(path)
    digest = hashlib.sha256()
    if path.is_dir():
        for child in sorted(p for p in path.iterdir() if p.is_file()):
            digest.update(child.name.encode() + b"\0")
            _hash_file(digest, child)
            digest.update(b"\0")
    else:
        _hash_file(digest, path)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def cleaner_version() -> str:
    """A hash of the code that cleans: every ``.py`` and ``.csv`` of ``sofs_lib``,
    plus the Python and pandas versions (a pickle is only read by the versions that wrote it)."""
    import pandas as pd

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            _hash_file(digest, path)
            digest.update(b"\0")
    digest.update(f"{sys.version}|{pd.__version__}|{CACHE_FORMAT}".encode())
    return digest.hexdigest()


def cache_dir_for(path: Path) -> Path:
    """The cache folder of an export: ``.sofs-cache`` in the folder holding it."""
    path = Path(path).resolve()
    return path.parent / CACHE_DIR_NAME


def _safe_dir(folder: Path, create: bool) -> bool:
    """True when ``folder`` exists (or was created, mode 0700), is ours and closed to others."""
    try:
        if create:
            # Several kernels may create it at the same moment: the loser of that race
            # uses the folder the winner made (its owner and mode are checked below).
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def entry_path(kind: str, path: Path, export_date: date | None, extra: dict | None = None) -> Path:
    """The cache file for cleaning ``path`` as ``kind`` with ``export_date``; ``extra``:
    whatever else the result depends on (JSON-able, e.g. the hashes of other inputs)."""
    path = Path(path).resolve()
    key = json.dumps(
        {
            "kind": kind,
            "extra": extra or {},
            "path": str(path),
            "content": content_hash(path),
            "export_date": export_date.isoformat() if export_date else None,
            "cleaner": cleaner_version(),
        },
        sort_keys=True,
    )
    source = hashlib.sha256(f"{kind}|{path}".encode()).hexdigest()[:16]
    return (
        cache_dir_for(path) / f"{kind}-{source}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pkl"
    )


def _read(entry: Path, expected: type) -> Any | None:
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    header_len = len(_MAGIC) + 65
    if len(blob) <= header_len or not blob.startswith(_MAGIC):
        return None
    digest, payload = blob[len(_MAGIC) : header_len - 1], blob[header_len:]
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a damaged entry is rebuilt, whatever it raises
        return None
    return value if isinstance(value, expected) else None


def _write(entry: Path, value: Any) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    blob = _MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".pkl")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, entry)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # Older entries of the same export and kind are stale now: remove them.
    prefix = entry.name.rsplit("-", 1)[0] + "-"
    for old in entry.parent.glob(f"{prefix}*.pkl"):
        if old != entry:
            old.unlink(missing_ok=True)


def cached_clean(
    kind: str,
    path: Path,
    export_date: date | None,
    clean: Callable[[], T],
    expected: type,
    extra: dict | None = None,
) -> T:
    """``clean()``'s result for the export at ``path``, from the cache when it holds a valid
    entry, else cleaned now and stored (unless ``SOFS_CACHE=0`` or the folder is unusable)."""
    if not cache_enabled():
        return clean()
    path = Path(path)
    try:
        entry = entry_path(kind, path, export_date, extra)
    except OSError:
        return clean()
    if _safe_dir(entry.parent, create=False):
        value = _read(entry, expected)
        if value is not None:
            return value
    if not _safe_dir(entry.parent, create=True):
        return clean()
    # Kernels started together (``notebook_run -j 2``) clean an export once: the first
    # cleans while holding the export's lock, the others wait and then read its entry.
    with _export_lock(entry):
        value = _read(entry, expected)
        if value is not None:
            return value
        value = clean()
        # An entry that cannot be written leaves an uncached, still correct, load.
        with contextlib.suppress(OSError, pickle.PicklingError):
            _write(entry, value)
    return value


@contextlib.contextmanager
def _export_lock(entry: Path):
    """An exclusive lock on one export and kind (a ``.lock`` file beside its entries),
    where the platform offers ``fcntl``; elsewhere, and when the lock file cannot be
    opened, no lock (then two processes may both clean, which is correct, only slower)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    lock = entry.parent / (entry.name.rsplit("-", 1)[0] + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


__all__ = [
    "CACHE_DIR_NAME",
    "cache_dir_for",
    "cache_enabled",
    "cached_clean",
    "cleaner_version",
    "content_hash",
    "entry_path",
]
