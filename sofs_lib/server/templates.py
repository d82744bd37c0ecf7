"""Page templates compiled once per server, not once per visit.

Voila 0.5 makes a new ``VoilaExporter`` for every page it renders, and with it a new Jinja
environment, so the page templates (``index.html.j2`` and what it extends) were parsed and
compiled to Python again on every visit: about a tenth of the server's CPU per dashboard
visit (``benchmarks/bench_visitors.py``). :func:`share_compiled_templates` gives every such
environment one in-memory Jinja bytecode cache.

What the cache holds is the *compiled template code*, keyed by template name and file and
checked against the SHA-1 of the template source (Jinja's ``Bucket`` protocol): a changed
template is compiled again. No rendered page, no notebook output and nothing of any user is
kept: each page is still rendered from its own notebook, for its own kernel.
"""

from __future__ import annotations

import threading
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled template code, in memory, per (template key, source checksum)."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, Any]] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            entry = self._code.get(bucket.key)
        if entry is not None and entry[0] == bucket.checksum:
            bucket.code = entry[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            self._code[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        with self._lock:
            self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


#: One cache per environment flavour: code compiled for an async environment differs.
_CACHES: dict[tuple, MemoryBytecodeCache] = {}


def cache_for(environment: Any) -> MemoryBytecodeCache:
    flavour = (bool(environment.is_async), tuple(sorted(environment.extensions)))
    return _CACHES.setdefault(flavour, MemoryBytecodeCache())


def share_compiled_templates() -> None:
    """Give the Jinja environment of every ``VoilaExporter`` the shared bytecode cache
    (idempotent; called once when the server starts)."""
    from voila.exporter import VoilaExporter

    original = VoilaExporter._create_environment
    if getattr(original, "_sofs_shared", False):
        return

    def create_environment(self: Any) -> Any:
        environment = original(self)
        if environment.bytecode_cache is None:
            environment.bytecode_cache = cache_for(environment)
        return environment

    create_environment._sofs_shared = True  # type: ignore[attr-defined]
    VoilaExporter._create_environment = create_environment  # type: ignore[method-assign]


__all__ = ["MemoryBytecodeCache", "cache_for", "share_compiled_templates"]
