"""A small client of the dashboard server for tests: sign in over HTTP, open a dashboard, talk
to its kernel over the websocket as a browser would (or as an attacker would).

Only for tests (``tests/test_serve_*.py``); the browser test drives Chromium instead.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

V1 = "v1.kernel.websocket.jupyter.org"


@dataclass
class Response:
    status: int
    url: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: D102
        return None


class Client:
    """One visitor: a cookie jar and the server's base URL."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self._open = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self._open_no_redirect = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(
        self,
        path: str,
        data: dict | None = None,
        *,
        method: str | None = None,
        headers: dict[str, str] | None = None,
        follow: bool = True,
        timeout: float = 180,
    ) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(
            self.base + path, data=body, method=method, headers=headers or {}
        )
        opener = self._open if follow else self._open_no_redirect
        try:
            with opener.open(req, timeout=timeout) as resp:
                return Response(
                    resp.status,
                    resp.geturl(),
                    resp.read().decode(errors="replace"),
                    dict(resp.headers),
                )
        except urllib.error.HTTPError as err:
            return Response(
                err.code, err.geturl(), err.read().decode(errors="replace"), dict(err.headers)
            )

    def cookie(self, name: str) -> str | None:
        for c in self.jar:
            if c.name == name:
                return c.value
        return None

    def set_cookie_value(self, name: str, value: str) -> None:
        for c in self.jar:
            if c.name == name:
                c.value = value

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def login(self, user: str, password: str, next_path: str = "/") -> Response:
        page = self.request("/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.body)
        assert xsrf, "login page has no XSRF field"
        return self.request(
            f"/login?next={urllib.parse.quote(next_path)}",
            {"_xsrf": xsrf.group(1), "username": user, "password": password},
        )

    def render(self, notebook: str) -> tuple[Response, str | None]:
        """Open a dashboard page; (response, kernel id or None)."""
        resp = self.request(f"/voila/render/{notebook}")
        kid = re.search(r'"kernelId": "([0-9a-f-]{36})"', resp.body)
        return resp, kid.group(1) if kid else None


def msg(
    msg_type: str,
    content: dict,
    channel: str = "shell",
    session: str = "test",
    metadata: dict | None = None,
) -> dict:
    return {
        "channel": channel,
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "browser",
            "session": session,
            "date": "2026-01-01T00:00:00.000Z",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": metadata or {},
        "content": content,
        "buffers": [],
    }


def v1_frame(message: dict) -> bytes:
    parts = [
        json.dumps(message[k]).encode() for k in ("header", "parent_header", "metadata", "content")
    ]
    return serialize_msg_to_ws_v1(parts + list(message.get("buffers", [])), message["channel"])


def parse_v1(frame: bytes) -> dict:
    channel, parts = deserialize_msg_from_ws_v1(frame)
    header, parent, metadata, content = (json.loads(p) for p in parts[:4])
    return {
        "channel": channel,
        "header": header,
        "parent_header": parent,
        "metadata": metadata,
        "content": content,
        "buffers": parts[4:],
    }


class KernelSocket:
    """A kernel websocket (v1 unless ``subprotocols`` says otherwise)."""

    def __init__(self, conn) -> None:
        self.conn = conn

    @classmethod
    async def open(
        cls,
        client: Client,
        kernel_id: str,
        *,
        subprotocols: list[str] | None = None,
        origin: str | None = None,
    ) -> KernelSocket:
        ws_base = client.base.replace("http://", "ws://")
        headers = {"Cookie": client.cookie_header()}
        if origin is not None:
            headers["Origin"] = origin
        req = HTTPRequest(
            f"{ws_base}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}",
            headers=headers,
        )
        conn = await websocket_connect(
            req, subprotocols=[V1] if subprotocols is None else subprotocols
        )
        return cls(conn)

    async def send(self, message: dict) -> None:
        await self.conn.write_message(v1_frame(message), binary=True)

    async def replies(self, parent_id: str, timeout: float, reply: str | None = None) -> list[dict]:
        """Messages answering ``parent_id`` until its status goes idle and, when ``reply``
        is named, that shell reply has come too (the kernel sends them on two channels, in
        no fixed order), or until ``timeout``."""
        out: list[dict] = []
        idle = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (remaining := deadline - loop.time()) > 0:
            try:
                frame = await asyncio.wait_for(self.conn.read_message(), remaining)
            except TimeoutError:
                break
            if frame is None:
                break
            if not isinstance(frame, bytes):
                continue
            message = parse_v1(frame)
            if message["parent_header"].get("msg_id") != parent_id:
                continue
            out.append(message)
            idle = idle or (
                message["header"]["msg_type"] == "status"
                and message["content"].get("execution_state") == "idle"
            )
            if idle and (reply is None or any(m["header"]["msg_type"] == reply for m in out)):
                break
        return out

    async def collect_until(self, sentinel_id: str, timeout: float) -> list[dict]:
        """Every message received until the reply to ``sentinel_id`` has gone idle."""
        out: list[dict] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (remaining := deadline - loop.time()) > 0:
            try:
                frame = await asyncio.wait_for(self.conn.read_message(), remaining)
            except TimeoutError:
                break
            if not isinstance(frame, bytes):
                if frame is None:
                    break
                continue
            message = parse_v1(frame)
            out.append(message)
            if (
                message["parent_header"].get("msg_id") == sentinel_id
                and message["header"]["msg_type"] == "status"
                and message["content"].get("execution_state") == "idle"
            ):
                break
        return out

    async def request(self, message: dict, timeout: float = 10) -> list[dict]:
        await self.send(message)
        kind = message["header"]["msg_type"]
        reply = kind.removesuffix("_request") + "_reply" if kind.endswith("_request") else None
        return await self.replies(message["header"]["msg_id"], timeout, reply)

    def close(self) -> None:
        self.conn.close()


async def widget_states(sock: KernelSocket, timeout: float = 30) -> dict[str, dict]:
    """Every widget model in the kernel (ipywidgets' ``request_states``), by model id."""
    comm_id = uuid.uuid4().hex
    opened = msg(
        "comm_open",
        {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"},
    )
    await sock.send(opened)
    ask = msg("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
    replies = await sock.request(ask, timeout)
    for reply in replies:
        data = reply["content"].get("data", {})
        if reply["header"]["msg_type"] == "comm_msg" and data.get("method") == "update_states":
            return data["states"]
    return {}


def set_widget_state(model_id: str, state: dict) -> dict:
    """The comm message a browser sends when a control changes."""
    return msg(
        "comm_msg",
        {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}},
    )


#: The password of the users the server tests write into their users file.
PASSWORD = "juist-wachtwoord-1"


def signed_in(server: dict, user: str, password: str = PASSWORD) -> Client:
    """A client signed in as ``user`` on a test server (``server["base"]``)."""
    client = Client(server["base"])
    response = client.login(user, password)
    assert response.status == 200 and response.url.rstrip("/") == server["base"], response.url
    return client


def identity_on_page(body: str) -> dict:
    """The identity a probe notebook printed (``IDENTITEIT {...}``)."""
    import html

    found = re.search(r"IDENTITEIT (\{[^<]*\})", body)
    assert found, "probe printed no identity"
    return json.loads(html.unescape(found.group(1)))
