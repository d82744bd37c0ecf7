"""Dashboard kernels: whose they are, how many, what the browser may send them.

- :func:`bind_identity` — Voila's ``prelaunch_hook``: inserts, as the notebook's first cell,
  the call to :func:`sofs_lib.access.bind` with the signed-in identity. Voila strips cell
  sources, so the cell never reaches the browser, and it runs before the dashboard's cells.
- :class:`SofsKernelManager` — records which user each kernel was started for (the
  authorizer checks it), caps kernels per user (the user's oldest is shut down) and in total
  (the page says the server is busy). Idle kernels are culled after minutes
  (``dashboards/voila.json``). Keeps a pool of started kernels per dashboard notebook that
  imported the notebook's modules and hold no data and no identity (``docs/deployment.md``).
- :class:`SofsWebsocketConnection` — from the browser only the messages widgets need
  (:data:`ALLOWED_MESSAGE_TYPES`); frames are parsed with bounds, so a crafted frame cannot
  make the server loop or allocate without limit.
- :class:`SofsKernelWebsocketHandler` — refuses kernel websockets without the v1 subprotocol
  (the legacy protocol's frames made Voila 0.5.13 loop at 100% CPU: its
  ``read_header_from_binary_message`` reads a legacy frame's first 8 bytes as a count of
  offsets) and reads outgoing headers with :func:`read_v1_header`.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import itertools
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat
from jupyter_server._tz import utcnow
from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from tornado.ioloop import IOLoop
from traitlets import Bool, Dict, Float, Integer, List, Unicode
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from sofs_lib import access

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: Message types a dashboard page may send to its kernel: widget traffic only.
ALLOWED_MESSAGE_TYPES = frozenset(
    {"comm_open", "comm_close", "comm_msg", "comm_info_request", "kernel_info_request"}
)
#: Comm targets a page may open (ipywidgets).
ALLOWED_COMM_TARGETS = frozenset({"jupyter.widget", "jupyter.widget.control"})
ALLOWED_CHANNELS = frozenset({"shell", "control"})
#: Most offsets a v1 frame may declare (channel, 4 message parts and binary buffers).
MAX_V1_OFFSETS = 256
BIND_CELL_TAG = "sofs-identity"
#: A page's kernel that sent or received a message this recently counts as busy for refills.
PAGE_QUIET_S = 0.3


# --- identity binding ---------------------------------------------------------------------


def bind_source(identity: access.Identity) -> str:
    """The code of the injected first cell (values as Python literals, nothing else)."""
    return (
        "import sofs_lib.access as _sofs_access\n"
        f"_sofs_access.bind(user={identity.user!r}, role={identity.role!r}, "
        f"organisation={identity.organisation!r})\n"
        "del _sofs_access"
    )


def bind_identity(req: web.RequestHandler, notebook: Any, cwd: str) -> Any:
    """Voila ``prelaunch_hook``: bind the kernel to the signed-in user before any cell runs."""
    identity = getattr(req.current_user, "identity", None)
    if not isinstance(identity, access.Identity):
        raise web.HTTPError(403)
    cell = nbformat.v4.new_code_cell(source=bind_source(identity))
    cell.metadata["tags"] = [BIND_CELL_TAG]
    notebook.cells.insert(0, cell)
    return notebook


# --- kernels per user -------------------------------------------------------------------


class SofsKernelManager(AsyncMappingKernelManager):
    """Kernels owned by the user they were started for; capped per user and in total; a pool
    of started kernels per dashboard notebook.

    **Pools.** For every notebook in the served folder (``pool_size`` each, ``pool_sizes`` per
    notebook) a few kernels are kept started, with the modules that notebook imports already
    imported (:func:`pool_imports`: the imports of its first code cell, plus
    ``pool_modules``) and ``pool_warm_code`` run. Nothing else: no release, no data, no
    identity. A pooled kernel belongs to nobody; a signed-in page takes one of its notebook's
    pool (or, when that pool is empty, a ready one of another notebook: every pooled kernel is
    the same unbound Python), the prelaunch hook then binds it exactly as a fresh kernel, and
    the dashboard's own cells load that visitor's release slice. The pools are refilled in
    the background, one kernel at a time, ``pool_refill_delay`` seconds after a page took
    one and once no page is being drawn (``pool_refill_patience`` at most), so a refill does
    not compete with the pages of a burst of visitors. While a pooled kernel starts, its
    process is stopped whenever a page's kernel is busy (``pool_refill_yields``,
    :func:`pause_while`): a visitor's control change or first render is not slowed down by
    a refill that began while they were reading.

    **Caps.** Pooled kernels count toward ``max_kernels`` (it bounds memory, and a pooled
    kernel takes memory like any other); at most ``max_pooled`` are kept. A page is refused
    (503) only when the kernels *pages* hold reach ``max_kernels``: pooled kernels give way,
    because a page that arrives at the cap takes one. A user's pages are capped at
    ``max_kernels_per_user`` (the oldest is shut down). Pooled kernels are never culled;
    kernels of pages are culled after ``cull_idle_timeout`` seconds idle.
    """

    max_kernels_per_user = Integer(
        3, config=True, help="Kernels one user may hold; starting one more shuts the oldest."
    )
    max_kernels = Integer(
        12,
        config=True,
        help="Kernels in total, pooled ones included; pages beyond it say the server is busy.",
    )
    pool_size = Integer(
        1, config=True, help="Pooled kernels per notebook not named in pool_sizes (0: none)."
    )
    pool_sizes = Dict(
        value_trait=Integer(),
        config=True,
        help="Pooled kernels per notebook, by path relative to the served folder, "
        'e.g. {"modelgetrouwheid.ipynb": 3, "leeg.ipynb": 0}.',
    )
    max_pooled = Integer(
        8, config=True, help="Pooled kernels in total, over all notebooks (0: no pools)."
    )
    warm_kernels = Integer(
        None,
        allow_none=True,
        config=True,
        help="Deprecated (before per-notebook pools): read as max_pooled when set.",
    )
    pool_modules = List(
        Unicode(),
        ["pandas", "ipywidgets", "sofs_lib.access"],
        config=True,
        help="Modules imported in every pooled kernel, besides its notebook's first-cell imports.",
    )
    pool_warm_code = Unicode(
        "",
        config=True,
        help="Run in a pooled kernel after its imports: warm-ups that need no data and no "
        "identity (e.g. a throw-away figure). Never data, never an identity.",
    )
    pool_refill_delay = Float(
        3.0, config=True, help="Seconds after a page took a pooled kernel before refilling."
    )
    pool_refill_patience = Float(
        60.0,
        config=True,
        help="Seconds a refill waits at most for busy pages to finish drawing.",
    )
    warm_fill_delay = Float(
        None, allow_none=True, config=True, help="Deprecated: read as pool_refill_delay."
    )
    pool_refill_yields = Bool(
        True,
        config=True,
        help="While a pooled kernel starts, stop its process whenever a page's kernel is busy "
        "and continue it when none is (POSIX signals; for pool_refill_patience seconds at "
        "most): a refill then uses only the processor that pages leave idle.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owners: dict[str, tuple[str, float]] = {}
        self._starting = 0
        self._order = itertools.count()
        #: notebook -> pooled kernels (tasks resolving to a kernel id), oldest first
        self._pools: dict[str, list[asyncio.Future]] = {}
        self._pooled_ids: set[str] = set()
        self._refill: asyncio.Future | None = None
        self._retiring: set[asyncio.Future] = set()
        self._stopped_pids: set[int] = set()  # starting pooled kernels paused for pages
        self._last_take = 0.0
        if self.warm_kernels is not None:
            self.max_pooled = self.warm_kernels
        if self.warm_fill_delay is not None:
            self.pool_refill_delay = self.warm_fill_delay
        if self.max_pooled > 0:
            IOLoop.current().add_callback(self._schedule_refill, 0.0)

    # -- ownership ------------------------------------------------------------------

    def kernel_owner(self, kernel_id: str) -> str | None:
        entry = self._owners.get(kernel_id)
        return entry[0] if entry and kernel_id in self else None

    def kernels_of(self, user: str) -> list[str]:
        """``user``'s running kernels, oldest first."""
        mine = [(t, k) for k, (o, t) in self._owners.items() if o == user and k in self]
        return [k for _, k in sorted(mine)]

    # -- pools -------------------------------------------------------------------------

    def pool_targets(self) -> dict[str, int]:
        """Pooled kernels wanted per notebook: every notebook in the served folder."""
        root = Path(self.root_dir or ".")
        found = sorted(p.relative_to(root).as_posix() for p in root.glob("*.ipynb"))
        targets = {nb: self.pool_size for nb in found}
        targets.update({nb: n for nb, n in self.pool_sizes.items() if (root / nb).is_file()})
        return {nb: n for nb, n in targets.items() if n > 0}

    def pool_code(self, notebook: str) -> str:
        """What a pooled kernel of ``notebook`` runs before any page takes it."""
        modules = list(dict.fromkeys([*self.pool_modules, *pool_imports(self._read(notebook))]))
        return import_code(modules) + ("\n" + self.pool_warm_code if self.pool_warm_code else "")

    def _read(self, notebook: str) -> Any:
        try:
            return nbformat.read(Path(self.root_dir or ".") / notebook, as_version=4)
        except Exception:  # an unreadable notebook gets the common modules only
            self.log.warning("Pool: cannot read %s for its imports", notebook)
            return nbformat.v4.new_notebook()

    def _in_use(self) -> int:
        """Kernels of pages, starting for pages, or still shutting down after their page."""
        return len(self._owners) + self._starting + len(self._retiring)

    def _pooled_total(self) -> int:
        return sum(len(tasks) for tasks in self._pools.values())

    def _usable(self, task: asyncio.Future) -> bool:
        return (
            task.done()
            and not task.cancelled()
            and task.exception() is None
            and task.result() in self
        )

    def _next_to_fill(self) -> str | None:
        """The notebook whose pool is furthest below its size, when the caps allow one more."""
        for nb in list(self._pools):
            self._pools[nb] = [t for t in self._pools[nb] if not t.done() or self._usable(t)]
        if self._pooled_total() >= self.max_pooled:
            return None
        if self._in_use() + self._pooled_total() >= self.max_kernels:
            return None
        missing = {nb: n - len(self._pools.get(nb, [])) for nb, n in self.pool_targets().items()}
        missing = {nb: m for nb, m in missing.items() if m > 0}
        if not missing:
            return None
        return max(missing, key=lambda nb: (missing[nb], -len(self._pools.get(nb, []))))

    def _schedule_refill(self, delay: float | None = None) -> None:
        if self._refill is None or self._refill.done():
            self._refill = asyncio.ensure_future(self._refill_pools(delay))

    async def _refill_pools(self, delay: float | None) -> None:
        """Fill the pools one kernel at a time until they are full or a cap is reached."""
        await asyncio.sleep(self.pool_refill_delay if delay is None else delay)
        while self._next_to_fill() is not None:
            await self._pages_first()
            # Pages may have arrived while the refill waited: the caps are read again, and
            # nothing awaits between this reading and the task counting as pooled.
            if (notebook := self._next_to_fill()) is None:
                return
            task = asyncio.ensure_future(self._start_pooled(notebook))
            self._pools.setdefault(notebook, []).append(task)
            try:
                await task
            except Exception:
                self.log.exception("Pool: a kernel for %s did not start", notebook)
                return

    async def _pages_first(self) -> None:
        """Wait while pages arrive or are being drawn: a refill must not slow them down.

        Until ``pool_refill_delay`` seconds after the last page took a pooled kernel, and while
        a page's kernel is busy, for at most ``pool_refill_patience`` seconds in all.
        """
        patience = time.monotonic() + self.pool_refill_patience
        while time.monotonic() < patience:
            if (wait := self._last_take + self.pool_refill_delay - time.monotonic()) > 0:
                await asyncio.sleep(wait)
                continue
            if not self._pages_busy(quiet=0.0):
                return
            await asyncio.sleep(0.5)

    def _pages_busy(self, quiet: float = PAGE_QUIET_S) -> bool:
        """True while a page's kernel is starting or handling a message, or sent one less
        than ``quiet`` seconds ago: a control change is handled in a moment (the kernel
        is idle again) and drawn right after, while the kernel sends the panels."""
        now = utcnow()
        for k in self._owners:
            kernel = self._kernels.get(k)
            if kernel is None:
                continue
            if getattr(kernel, "execution_state", "") in ("busy", "starting"):
                return True
            last = getattr(kernel, "last_activity", None)
            if last is not None and (now - last).total_seconds() < quiet:
                return True
        return False

    async def _start_pooled(self, notebook: str) -> str:
        task = asyncio.current_task()
        kid = await super().start_kernel(
            kernel_name=self.default_kernel_name, path=folder_of(notebook), env=dict(os.environ)
        )
        self._pooled_ids.add(kid)
        pid = getattr(getattr(self.get_kernel(kid), "provisioner", None), "pid", None)
        yielding = None
        if self.pool_refill_yields and pid:
            # Pause only while the kernel is still in its pool: a page that took it waits.
            yielding = asyncio.ensure_future(
                pause_while(
                    pid,
                    self._pages_busy,
                    lambda: any(task in tasks for tasks in self._pools.values()),
                    patience=self.pool_refill_patience,
                    stopped=self._stopped_pids,
                )
            )
        client = self.get_kernel(kid).client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=300)
            reply = await client.execute_interactive(
                self.pool_code(notebook),
                silent=True,
                store_history=False,
                timeout=300,
                output_hook=lambda _msg: None,
            )
            if reply["content"].get("status") != "ok":
                self.log.warning(
                    "Pool: warm-up of %s for %s failed: %s",
                    kid,
                    notebook,
                    reply["content"].get("ename"),
                )
        except Exception:  # a slow or failed warm-up still leaves a usable kernel
            self.log.warning("Pool: warm-up of kernel %s did not finish", kid)
        finally:
            client.stop_channels()
            if yielding is not None:
                yielding.cancel()
                paused = await yielding
                if paused:
                    self.log.info("Pool: kernel %s paused %.1f s for busy pages", kid, paused)
        self.log.info("Pool: kernel %s ready for %s", kid, notebook)
        return kid

    async def _take_pooled(
        self, notebook: str | None, kwargs: dict[str, Any], path: Any
    ) -> str | None:
        """A pooled kernel for a page of ``notebook``: its own pool's first, else a ready one of
        another notebook in the same folder, else (at the cap) one still starting."""
        name = kwargs.get("kernel_name") or self.default_kernel_name
        if name != self.default_kernel_name:
            return None
        folder = str(path or "")
        same_folder = {
            nb: tasks for nb, tasks in self._pools.items() if tasks and folder_of(nb) == folder
        }
        own = same_folder.get(notebook or "", [])
        at_cap = self._in_use() + self._pooled_total() > self.max_kernels
        candidates = (
            [t for t in own if self._usable(t)]
            + [
                t
                for nb, ts in sorted(same_folder.items(), key=lambda kv: -len(kv[1]))
                if nb != notebook
                for t in ts
                if self._usable(t)
            ]
            + [t for t in own if not t.done()]
            + ([t for ts in same_folder.values() for t in ts if not t.done()] if at_cap else [])
        )
        for task in candidates:
            for tasks in self._pools.values():
                if task in tasks:
                    tasks.remove(task)
            self._last_take = time.monotonic()
            self._schedule_refill()
            try:
                kid = await task
            except Exception:
                continue
            self._pooled_ids.discard(kid)
            if kid not in self:
                continue
            self.get_kernel(kid).last_activity = utcnow()
            return kid
        return None

    async def cull_kernel_if_idle(self, kernel_id: str):
        kernel = self._kernels.get(kernel_id)
        if kernel_id in self._pooled_ids and getattr(kernel, "execution_state", "") != "dead":
            return None  # waiting for a page, not idle
        return await super().cull_kernel_if_idle(kernel_id)

    # -- start and stop --------------------------------------------------------------------

    async def start_kernel(self, *, kernel_id: str | None = None, path: Any = None, **kwargs):
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        user = getattr(getattr(handler, "current_user", None), "username", None)
        if user is None:
            raise web.HTTPError(403)
        for stale in [k for k in self._owners if k not in self]:
            del self._owners[stale]
        mine = self.kernels_of(user)
        while len(mine) >= self.max_kernels_per_user:
            oldest = mine.pop(0)
            self.log.info("User %s holds %d kernels: shutting down %s", user, len(mine) + 1, oldest)
            self._retire(oldest)
        if len(self._owners) + self._starting >= self.max_kernels:
            self.log.warning("Kernel limit (%d) reached; refusing a page", self.max_kernels)
            raise web.HTTPError(503, reason="Server druk")
        self._starting += 1
        try:
            kid = None
            if kernel_id is None:
                kid = await self._take_pooled(notebook_of(handler), kwargs, path)
            if kid is None:
                await self._make_room()
                kid = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        finally:
            self._starting -= 1
        self._owners[kid] = (user, time.monotonic() + next(self._order) * 1e-9)
        self.log.info("Kernel %s serves user %s", kid, user)
        return kid

    def _retire(self, kernel_id: str) -> None:
        """Shut a page's kernel down in the background. It stops counting (and belongs to
        nobody: its page can no longer reach it) at once; the page that replaces it does not
        wait for the old kernel to exit (about half a second, a third of a first render)."""
        self._owners.pop(kernel_id, None)
        task = asyncio.ensure_future(self.shutdown_kernel(kernel_id))
        self._retiring.add(task)

        def done(t: asyncio.Future) -> None:
            self._retiring.discard(t)
            if not t.cancelled() and t.exception() is not None:
                self.log.warning("Shutting down kernel %s failed: %s", kernel_id, t.exception())

        task.add_done_callback(done)

    async def _make_room(self) -> None:
        """Shut pooled kernels down while pages and pools together exceed ``max_kernels``."""
        while self._in_use() + self._pooled_total() > self.max_kernels and (
            largest := max(self._pools.values(), key=len, default=[])
        ):
            task = largest.pop()
            try:
                kid = await task
            except Exception:
                continue
            self.log.info("Pool: kernel %s gives way to a page", kid)
            await self.shutdown_kernel(kid)

    def _continue_stopped(self) -> None:
        """Continue every pooled kernel paused for pages: a stopped process cannot answer a
        shutdown request (the server would wait for it, then kill it)."""
        for pid in list(self._stopped_pids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
            self._stopped_pids.discard(pid)

    async def _async_shutdown_all(self, now: bool = False) -> None:
        self._continue_stopped()
        await super()._async_shutdown_all(now=now)

    shutdown_all = _async_shutdown_all

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any):
        self._continue_stopped()
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self._owners.pop(kernel_id, None)
            self._pooled_ids.discard(kernel_id)


async def pause_while(
    pid: int,
    busy: Callable[[], bool],
    keep: Callable[[], bool],
    *,
    poll: float = 0.05,
    patience: float = 60.0,
    stopped: set[int] | None = None,
) -> float:
    """Stop process ``pid`` (``SIGSTOP``) while ``busy()`` and ``keep()`` are true, continue it
    (``SIGCONT``) when either is not, checking every ``poll`` seconds; stops pausing for good
    once ``keep()`` is false or the pauses add up to ``patience`` seconds. Runs until
    cancelled or the process is gone, then returns the seconds paused; never leaves the
    process stopped. ``stopped`` (optional) holds ``pid`` while it is stopped, so a server
    that shuts down meanwhile can continue it first. Without POSIX job-control signals (Windows) it does nothing."""
    if not hasattr(signal, "SIGSTOP"):
        return 0.0
    stopped_at: float | None = None
    paused = 0.0
    try:
        while True:
            now = time.monotonic()
            held = paused + (now - stopped_at if stopped_at is not None else 0.0)
            want = held < patience and keep() and busy()
            if want and stopped_at is None:
                if stopped is not None:
                    stopped.add(pid)
                os.kill(pid, signal.SIGSTOP)
                stopped_at = now
            elif not want and stopped_at is not None:
                os.kill(pid, signal.SIGCONT)
                paused += now - stopped_at
                stopped_at = None
                if stopped is not None:
                    stopped.discard(pid)
            await asyncio.sleep(poll)
    except ProcessLookupError:
        stopped_at = None
    except asyncio.CancelledError:  # the way it ends: the kernel is ready
        pass
    finally:
        if stopped_at is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
            paused += time.monotonic() - stopped_at
        if stopped is not None:
            stopped.discard(pid)
    return paused


def folder_of(notebook: str) -> str:
    """The folder of ``notebook`` as Voila passes it to ``start_kernel`` (``""``: the root)."""
    parent = PurePosixPath(notebook).parent.as_posix()
    return "" if parent == "." else parent


def notebook_of(handler: Any) -> str | None:
    """The notebook a Voila page handler renders (path relative to the served folder)."""
    notebook = getattr(handler, "notebook_path", None)
    if not notebook:
        args = getattr(handler, "path_args", None) or []
        notebook = args[0] if args else None
    return str(notebook).lstrip("/") if notebook else None


def pool_imports(notebook: Any) -> list[str]:
    """Modules imported by the first code cell of ``notebook`` (absolute imports only), plus
    ``package.name`` for ``from package import name`` (imported when it is a module)."""
    cells = [c for c in getattr(notebook, "cells", []) if c.get("cell_type") == "code"]
    if not cells:
        return []
    try:
        tree = ast.parse(cells[0].get("source", ""))
    except SyntaxError:
        return []
    modules: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
            modules.extend(f"{node.module}.{a.name}" for a in node.names if a.name != "*")
    return list(dict.fromkeys(modules))


def import_code(modules: list[str]) -> str:
    """Code that imports ``modules`` (those that are not modules are skipped) and leaves
    nothing behind in the kernel's namespace."""
    return (
        "def _sofs_pool_import(names):\n"
        "    import importlib, importlib.util\n"
        "    for name in names:\n"
        "        try:\n"
        "            if importlib.util.find_spec(name) is not None:\n"
        "                importlib.import_module(name)\n"
        "        except (ImportError, ValueError):\n"
        "            pass\n"
        f"_sofs_pool_import({modules!r})\n"
        "del _sofs_pool_import"
    )


class SofsShutdownKernelHandler(VoilaShutdownKernelHandler):
    """Voila's shut-down-on-leave endpoint, for the kernel's own user only."""

    @web.authenticated
    async def post(self, kernel_id: str) -> None:
        owner = getattr(self.kernel_manager, "kernel_owner", lambda _k: None)(kernel_id)
        if owner is None or owner != getattr(self.current_user, "username", None):
            raise web.HTTPError(404)
        await super().post(kernel_id)


# --- websocket frames -----------------------------------------------------------------


def v1_parts(ws_msg: bytes) -> tuple[str, list[bytes]] | None:
    """(channel, message parts) of a v1 frame, or ``None`` when it is malformed.

    Bounded: at most :data:`MAX_V1_OFFSETS` offsets, all inside the frame and increasing.
    """
    if not isinstance(ws_msg, bytes | bytearray) or len(ws_msg) < 8:
        return None
    count = int.from_bytes(ws_msg[:8], "little")
    if not 6 <= count <= MAX_V1_OFFSETS or 8 * (count + 1) > len(ws_msg):
        return None
    offsets = [int.from_bytes(ws_msg[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    if offsets[0] < 8 * (count + 1) or offsets[-1] > len(ws_msg):
        return None
    if any(b < a for a, b in itertools.pairwise(offsets)):
        return None
    try:
        channel = bytes(ws_msg[offsets[0] : offsets[1]]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    parts = [bytes(ws_msg[offsets[i] : offsets[i + 1]]) for i in range(1, count - 1)]
    return channel, parts


def read_v1_header(ws_msg: bytes) -> dict | None:
    """The header of a v1 frame, or ``None`` (any other frame, read in bounded time)."""
    parsed = v1_parts(ws_msg)
    if parsed is None or not parsed[1]:
        return None
    try:
        header = json.loads(parsed[1][0])
    except (ValueError, UnicodeDecodeError):
        return None
    return header if isinstance(header, dict) else None


def withheld_from_page(ws_msg: Any) -> bool:
    """True for a kernel message a page must not receive: the code the server runs
    (``execute_input``, as Voila), and what a failure writes (``error``, and ``stream`` on
    stderr: a traceback with the server's paths; it is in the kernel's log already)."""
    if isinstance(ws_msg, dict):
        header, content = ws_msg.get("header"), ws_msg.get("content")
    else:
        parsed = v1_parts(ws_msg) if isinstance(ws_msg, bytes | bytearray) else None
        if parsed is None or len(parsed[1]) < 4:
            return False
        try:
            header = json.loads(parsed[1][0])
        except (ValueError, UnicodeDecodeError):
            return False
        content = parsed[1][3]  # read below for a stream only (a redraw sends kBs of widgets)
    if not isinstance(header, dict):
        return False
    kind = header.get("msg_type")
    if kind in ("execute_input", "error"):
        return True
    if kind != "stream":
        return False
    if isinstance(content, bytes | bytearray):
        try:
            content = json.loads(content) if content else {}
        except (ValueError, UnicodeDecodeError):
            return False
    return isinstance(content, dict) and content.get("name") == "stderr"


def refusal_reason(ws_msg: Any, subprotocol: str | None) -> str | None:
    """Why a frame from the browser is refused, or ``None`` when it may reach the kernel."""
    if subprotocol != V1_PROTOCOL:
        return "not the v1 kernel websocket protocol"
    parsed = v1_parts(ws_msg)
    if parsed is None:
        return "malformed frame"
    channel, parts = parsed
    if channel not in ALLOWED_CHANNELS:
        return f"channel {channel!r}"
    if len(parts) < 4:
        return "incomplete message"
    try:
        header = json.loads(parts[0])
        msg_type = header.get("msg_type")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return "unreadable header"
    if msg_type not in ALLOWED_MESSAGE_TYPES:
        return f"message type {msg_type!r}"
    if msg_type == "comm_open":
        try:
            target = json.loads(parts[3]).get("target_name")
        except (ValueError, UnicodeDecodeError, AttributeError):
            return "unreadable comm_open"
        if target not in ALLOWED_COMM_TARGETS:
            return f"comm target {target!r}"
    return None


class SofsWebsocketConnection(ZMQChannelsWebsocketConnection):
    """Only widget messages from the browser reach a dashboard kernel."""

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        reason = refusal_reason(incoming_msg, self.subprotocol)
        if reason is not None:
            self.log.warning("Refused a kernel message from the browser: %s", reason)
            return
        super().handle_incoming_message(incoming_msg)


class SofsKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket, v1 subprotocol only, with a bounded header reader."""

    async def get(self, kernel_id: str) -> None:  # type: ignore[override]
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if V1_PROTOCOL not in [p.strip() for p in offered.split(",")]:
            self.log.warning("Refused a kernel websocket without the %s subprotocol", V1_PROTOCOL)
            raise web.HTTPError(400, "the v1 kernel websocket subprotocol is required")
        await super().get(kernel_id)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A refused handshake gets its status and one plain line; the server's error page
        (a template a websocket route cannot render) would log three tracebacks for every
        refused connection, which a stranger could repeat to flood the log."""
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(f"{status_code} {self._reason}\n")

    def write_message(self, message: Any, binary: bool = False):  # type: ignore[override]
        if withheld_from_page(message):
            return None  # no code the server runs, no traceback (``withheld_from_page``)
        return super(VoilaKernelWebsocketHandler, self).write_message(message, binary)


__all__ = [
    "ALLOWED_MESSAGE_TYPES",
    "SofsKernelManager",
    "SofsKernelWebsocketHandler",
    "SofsShutdownKernelHandler",
    "SofsWebsocketConnection",
    "bind_identity",
    "read_v1_header",
    "withheld_from_page",
]
