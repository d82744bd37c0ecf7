"""Dashboard kernels: whose they are, how many, what the browser may send them.

- :func:`bind_identity` — Voila's ``prelaunch_hook``: inserts, as the notebook's first cell,
  the call to :func:`sofs_lib.access.bind` with the signed-in identity. Voila strips cell
  sources, so the cell never reaches the browser, and it runs before the dashboard's cells.
- :class:`SofsKernelManager` — records which user each kernel was started for (the
  authorizer checks it), caps kernels per user (the user's oldest is shut down) and in total
  (the page says the server is busy). Idle kernels are culled after minutes
  (``dashboards/voila.json``).
- :class:`SofsWebsocketConnection` — from the browser only the messages widgets need
  (:data:`ALLOWED_MESSAGE_TYPES`); frames are parsed with bounds, so a crafted frame cannot
  make the server loop or allocate without limit.
- :class:`SofsKernelWebsocketHandler` — refuses kernel websockets without the v1 subprotocol
  (the legacy protocol's frames made Voila 0.5.13 loop at 100% CPU: its
  ``read_header_from_binary_message`` reads a legacy frame's first 8 bytes as a count of
  offsets) and reads outgoing headers with :func:`read_v1_header`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

import nbformat
from jupyter_server._tz import utcnow
from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from tornado.ioloop import IOLoop
from traitlets import Float, Integer, Unicode
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
    """Kernels owned by the user they were started for; capped per user and in total.

    A few kernels are kept warm (started, with the heavy third-party libraries imported and
    nothing else: no data, no identity), so a page need not wait for a kernel to start. A
    warm kernel belongs to nobody until a signed-in page takes it; the prelaunch hook then
    binds it, exactly as a freshly started kernel.
    """

    max_kernels_per_user = Integer(
        3, config=True, help="Kernels one user may hold; starting one more shuts the oldest."
    )
    max_kernels = Integer(
        12, config=True, help="Kernels users hold at most; further pages say it is busy."
    )
    warm_kernels = Integer(
        2, config=True, help="Started kernels kept ready for the next pages (0: none)."
    )
    warm_code = Unicode(
        "import sofs_lib.access\n"
        "import numpy, pandas, matplotlib, matplotlib.pyplot, ipywidgets, seaborn, scipy.stats\n"
        "import sofs_lib.widgets, sofs_lib.figures, sofs_lib.release, sofs_lib.downloads\n"
        "sofs_lib.figures.warm_up()",
        config=True,
        help="Run in a warm kernel before any page takes it: imports and a warm-up draw "
        "without data; never data, never an identity.",
    )
    warm_fill_delay = Float(
        3.0, config=True, help="Seconds after a page took a warm kernel before starting another."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owners: dict[str, tuple[str, float]] = {}
        self._starting = 0
        self._order = itertools.count()
        self._warm: list[asyncio.Task] = []
        self._warm_ids: set[str] = set()
        if self.warm_kernels > 0:
            IOLoop.current().add_callback(self._fill_warm, 0.0)

    # -- ownership ------------------------------------------------------------------

    def kernel_owner(self, kernel_id: str) -> str | None:
        entry = self._owners.get(kernel_id)
        return entry[0] if entry and kernel_id in self else None

    def kernels_of(self, user: str) -> list[str]:
        """``user``'s running kernels, oldest first."""
        mine = [(t, k) for k, (o, t) in self._owners.items() if o == user and k in self]
        return [k for _, k in sorted(mine)]

    # -- warm kernels -------------------------------------------------------------------

    async def _start_warm(self) -> str:
        kid = await super().start_kernel(kernel_name=self.default_kernel_name, path="")
        self._warm_ids.add(kid)
        client = self.get_kernel(kid).client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=300)
            await client.execute_interactive(
                self.warm_code,
                silent=True,
                store_history=False,
                timeout=300,
                output_hook=lambda _msg: None,
            )
        except Exception:  # a slow or failed warm-up still leaves a usable kernel
            self.log.warning("Warm-up of kernel %s did not finish", kid)
        finally:
            client.stop_channels()
        return kid

    async def _fill_warm(self, delay: float | None = None) -> None:
        await asyncio.sleep(self.warm_fill_delay if delay is None else delay)
        self._warm = [t for t in self._warm if not t.done() or self._usable(t)]
        while len(self._warm) < self.warm_kernels:
            self._warm.append(asyncio.ensure_future(self._start_warm()))

    def _usable(self, task: asyncio.Task) -> bool:
        return not task.cancelled() and task.exception() is None and task.result() in self

    async def _take_warm(self, kwargs: dict[str, Any], path: Any) -> str | None:
        name = kwargs.get("kernel_name") or self.default_kernel_name
        if name != self.default_kernel_name or (path or "") != "" or not self._warm:
            return None
        ready = [t for t in self._warm if t.done()]
        task = ready[0] if ready else self._warm[0]
        self._warm.remove(task)
        IOLoop.current().add_callback(self._fill_warm)
        try:
            kid = await task
        except Exception:
            return None
        self._warm_ids.discard(kid)
        if kid not in self:
            return None
        self.get_kernel(kid).last_activity = utcnow()
        return kid

    async def cull_kernel_if_idle(self, kernel_id: str):
        if kernel_id in self._warm_ids:
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
            await self.shutdown_kernel(oldest)
        if len(self._owners) + self._starting >= self.max_kernels:
            self.log.warning("Kernel limit (%d) reached; refusing a page", self.max_kernels)
            raise web.HTTPError(503, reason="Server druk")
        self._starting += 1
        try:
            kid = None if kernel_id is not None else await self._take_warm(kwargs, path)
            if kid is None:
                kid = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        finally:
            self._starting -= 1
        self._owners[kid] = (user, time.monotonic() + next(self._order) * 1e-9)
        self.log.info("Kernel %s serves user %s", kid, user)
        return kid

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any):
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self._owners.pop(kernel_id, None)
            self._warm_ids.discard(kernel_id)


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

    def write_message(self, message: Any, binary: bool = False):  # type: ignore[override]
        if isinstance(message, bytes):
            header = read_v1_header(message)
        elif isinstance(message, dict):
            header = message.get("header")
        else:
            header = None
        if isinstance(header, dict) and header.get("msg_type") == "execute_input":
            return None  # as Voila: never show the code the server runs
        return super(VoilaKernelWebsocketHandler, self).write_message(message, binary)


__all__ = [
    "ALLOWED_MESSAGE_TYPES",
    "SofsKernelManager",
    "SofsKernelWebsocketHandler",
    "SofsShutdownKernelHandler",
    "SofsWebsocketConnection",
    "bind_identity",
    "read_v1_header",
]
