"""Sign-in pieces without a server: the users file, ``sofs users``, sessions, kernel frames."""

from __future__ import annotations

import asyncio
import io
import json
import time
from pathlib import Path
from unittest import mock

import pytest
from jupyter_server.services.kernels.connection.base import (
    serialize_binary_message,
    serialize_msg_to_ws_v1,
)
from tornado import httputil, web

from sofs_lib import access, cli, serve
from sofs_lib.errors import SofsInputError
from sofs_lib.server import auth, kernels, users

PASSWORD = "lang-genoeg-1"


# --- users file and `sofs users` -----------------------------------------------------


def test_users_file_holds_argon2_hashes_and_never_the_password(tmp_path: Path):
    path = tmp_path / "users.json"
    users.add_user(path, "an", "organisatie", PASSWORD, "Organisatie X")
    users.add_user(path, "bo", "agentschap", PASSWORD)
    text = path.read_text()
    assert PASSWORD not in text
    assert json.loads(text)["users"]["an"]["password"].startswith("argon2:$argon2id$")
    assert path.stat().st_mode & 0o777 == 0o600
    store = users.load_users(path)
    assert store.verify("an", PASSWORD).identity() == access.Identity(
        "an", "organisatie", "Organisatie X"
    )
    assert store.verify("an", "fout") is None
    assert store.verify("niemand", PASSWORD) is None


def test_sofs_users_add_reads_the_password_from_stdin(tmp_path: Path, capsys, monkeypatch):
    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["users", "add", "an", "--role", "publiek", "--file", str(path)]) == 0
    assert "role publiek" in capsys.readouterr().out
    assert users.load_users(path).verify("an", PASSWORD) is not None
    assert cli.main(["users", "list", "--file", str(path)]) == 0
    listing = capsys.readouterr().out
    assert "an\tpubliek" in listing and "argon2" not in listing


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["an", "--role", "organisatie"], "needs an organisation"),
        (["an", "--role", "publiek", "--organisation", "X"], "not bound to an organisation"),
        (["an zonder", "--role", "publiek"], "is not allowed"),
    ],
)
def test_sofs_users_add_refuses_an_inconsistent_account_plainly(
    tmp_path: Path, capsys, args, expected
):
    path = tmp_path / "users.json"
    assert cli.main(["users", "add", *args, "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not path.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{niet json", "not valid JSON"),
        ('{"users": []}', "must hold"),
        ('{"users": {"an": {"role": "baas"}}}', "unknown role"),
        ('{"users": {"an": {"role": "publiek", "password": "geheim"}}}', "not an argon2 hash"),
    ],
)
def test_a_broken_users_file_gives_one_message(tmp_path: Path, content, expected):
    path = tmp_path / "users.json"
    path.write_text(content)
    with pytest.raises(SofsInputError, match=expected):
        users.load_users(path)


def test_demo_accounts_exist_only_for_synthetic_data(tmp_path: Path, monkeypatch):
    monkeypatch.delenv(users.USERS_FILE_ENV, raising=False)
    env = serve.sign_in_env(serve.voila_env())
    own = env[users.DEMO_ORGANISATION_ENV]
    assert own == users.demo_organisation()
    store = users.demo_store(own)
    assert {a.role for a in store.accounts.values()} == set(access.ROLES)
    assert store.verify(users.DEMO_ACCOUNTS["organisatie"], users.DEMO_PASSWORD).organisation == own

    # The same exports without their manifest count as real data: no demo, no server.
    real = tmp_path / "echt"
    real.mkdir()
    for path in (serve.config.dashboard_export_path(), serve.config.binc_export_path()):
        (real / path.name).write_bytes(path.read_bytes())
    with pytest.raises(SofsInputError, match="SOFS_USERS_FILE"):
        serve.sign_in_env({**serve.voila_env(), "SOFS_DATA_DIR": str(real)})


def test_server_refuses_to_start_on_real_data_without_users_file(tmp_path, capsys, monkeypatch):
    real = tmp_path / "echt"
    real.mkdir()
    for path in (serve.config.dashboard_export_path(), serve.config.binc_export_path()):
        (real / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("SOFS_DATA_DIR", str(real))
    monkeypatch.delenv(users.USERS_FILE_ENV, raising=False)
    assert serve.main(["--port", str(serve.free_port())]) == 2
    err = capsys.readouterr().err
    assert "SOFS_USERS_FILE" in err and "sofs users add" in err and "Traceback" not in err


def test_a_broken_users_file_stops_the_server_with_one_message(tmp_path, capsys, monkeypatch):
    path = tmp_path / "users.json"
    path.write_text('{"users": {"an": {"role": "organisatie"}}}')
    monkeypatch.setenv(users.USERS_FILE_ENV, str(path))
    assert serve.main(["--port", str(serve.free_port())]) == 2
    err = capsys.readouterr().err
    assert "needs an organisation" in err and "Traceback" not in err


# --- sessions ----------------------------------------------------------------------------


class _Handler(web.RequestHandler):
    base_url = "/"


def _handler(cookie: str | None, secret: bytes = b"s" * 32, remote_ip: str = "127.0.0.1"):
    app = web.Application(cookie_secret=secret)
    headers = httputil.HTTPHeaders({"Host": "localhost"})
    if cookie is not None:
        headers["Cookie"] = cookie
    conn = mock.Mock()
    conn.context.remote_ip = remote_ip
    request = httputil.HTTPServerRequest(
        start_line=httputil.RequestStartLine("GET", "/", "HTTP/1.1"),
        headers=headers,
        connection=conn,
    )
    request.remote_ip = remote_ip
    return _Handler(app, request)


@pytest.fixture()
def provider(tmp_path: Path, monkeypatch):
    path = tmp_path / "users.json"
    users.add_user(path, "an", "organisatie", PASSWORD, "Organisatie X")
    monkeypatch.setenv(users.USERS_FILE_ENV, str(path))
    monkeypatch.setenv(auth.SESSION_HOURS_ENV, "1")
    return auth.SofsIdentityProvider()


def _signed(name: str, value: str, secret: bytes = b"s" * 32) -> str:
    return f"{name}={web.create_signed_value(secret, name, value).decode()}"


def _notice(handler) -> str:
    """The Set-Cookie headers the handler would send."""
    return " ".join(str(v) for v in getattr(handler, "_new_cookie", {}).values())


def test_valid_session_carries_role_and_organisation_from_the_users_file(provider):
    cookie = _signed("sofs-sessie", json.dumps({"u": "an", "t": int(time.time())}))
    user = asyncio.run(provider.get_user(_handler(cookie)))
    assert user.identity == access.Identity("an", "organisatie", "Organisatie X")


@pytest.mark.parametrize(
    ("cookie", "notice"),
    [
        (
            _signed("sofs-sessie", json.dumps({"u": "an", "t": int(time.time()) - 2 * 3600})),
            "verlopen",
        ),
        (_signed("sofs-sessie", json.dumps({"u": "an", "t": 0}), secret=b"x" * 32), "ongeldig"),
        ("sofs-sessie=rommel", "ongeldig"),
        (_signed("sofs-sessie", json.dumps({"u": "weg", "t": int(time.time())})), "ongeldig"),
    ],
    ids=["expired", "other-secret", "garbage", "removed-user"],
)
def test_expired_or_tampered_session_signs_out_with_a_notice(provider, cookie, notice):
    handler = _handler(cookie)
    assert asyncio.run(provider.get_user(handler)) is None
    sent = _notice(handler)
    assert f"{auth.NOTICE_COOKIE}={notice}" in sent
    assert auth.MESSAGES[notice].startswith("Uw sessie")


def test_trusted_header_only_when_configured_and_from_the_proxy(provider):
    def with_header(ip: str):
        handler = _handler(None, remote_ip=ip)
        handler.request.headers["X-Remote-User"] = "an"
        return handler

    assert asyncio.run(provider.get_user(with_header("127.0.0.1"))) is None  # not configured
    provider.trusted_header = "X-Remote-User"
    assert asyncio.run(provider.get_user(with_header("127.0.0.1"))).username == "an"
    assert asyncio.run(provider.get_user(with_header("203.0.113.9"))) is None


# --- kernel frames and binding ---------------------------------------------------------------


def _v1(msg_type: str, channel: str = "shell", content: dict | None = None) -> bytes:
    parts = [
        json.dumps({"msg_type": msg_type, "msg_id": "1"}).encode(),
        b"{}",
        b"{}",
        json.dumps(content or {}).encode(),
    ]
    return serialize_msg_to_ws_v1(parts, channel)


def test_only_widget_messages_pass_from_the_browser():
    v1 = kernels.V1_PROTOCOL
    for allowed in sorted(kernels.ALLOWED_MESSAGE_TYPES - {"comm_open"}):
        assert kernels.refusal_reason(_v1(allowed), v1) is None, allowed
    widget_open = _v1("comm_open", content={"target_name": "jupyter.widget.control"})
    assert kernels.refusal_reason(widget_open, v1) is None
    for refused in (
        "execute_request",
        "inspect_request",
        "complete_request",
        "history_request",
        "is_complete_request",
        "shutdown_request",
        "input_reply",
        "debug_request",
    ):
        assert kernels.refusal_reason(_v1(refused), v1) == f"message type {refused!r}"
    other_target = _v1("comm_open", content={"target_name": "ipython.kernel"})
    assert "comm target" in kernels.refusal_reason(other_target, v1)
    assert "channel" in kernels.refusal_reason(_v1("comm_msg", channel="stdin"), v1)
    assert kernels.refusal_reason(_v1("comm_msg"), None) is not None  # legacy protocol


def test_no_traceback_and_no_server_code_reaches_the_page():
    """Kernel messages the server withholds from the page (as sent to the browser)."""
    traceback = {"name": "stderr", "text": "Traceback (most recent call last):\n  File \"/srv/x.py\""}
    for withheld in (_v1("stream", "iopub", traceback), _v1("error", "iopub", {"ename": "E"}),
                     _v1("execute_input", "iopub", {"code": "import os"})):
        assert kernels.withheld_from_page(withheld)
    assert kernels.withheld_from_page({"header": {"msg_type": "error"}, "content": {}})
    for passed in (_v1("stream", "iopub", {"name": "stdout", "text": "ok"}),
                   _v1("comm_msg", "iopub", {"data": {"method": "update"}}), _v1("status", "iopub"),
                   b"", b"not a frame"):
        assert not kernels.withheld_from_page(passed)


def test_legacy_frame_is_read_in_bounded_time():
    """The cause of the hang: a legacy binary frame read as v1 declares ~10**18 offsets."""
    legacy = serialize_binary_message(
        {
            "header": {"msg_type": "comm_msg"},
            "parent_header": {},
            "metadata": {},
            "content": {"data": {"method": "update"}},
            "buffers": [b"\x89PNG" + b"\0" * 100],
            "channel": "iopub",
        }
    )
    assert int.from_bytes(legacy[:8], "little") > 10**9  # what Voila 0.5.13 loops over
    started = time.perf_counter()
    assert kernels.read_v1_header(legacy) is None
    assert kernels.refusal_reason(legacy, kernels.V1_PROTOCOL) == "malformed frame"
    assert time.perf_counter() - started < 1
    assert kernels.read_v1_header(_v1("comm_msg"))["msg_type"] == "comm_msg"
    for bogus in (b"", b"\xff" * 8, (2**62).to_bytes(8, "little") + b"\0" * 64):
        assert kernels.v1_parts(bogus) is None


def test_bind_cell_names_the_identity_as_literals_only():
    identity = access.Identity("o'hara", "organisatie", 'Org "A"\nimport os')
    source = kernels.bind_source(identity)
    namespace: dict = {}
    with mock.patch.object(access, "bind") as bind:
        exec(compile(source, "<bind>", "exec"), namespace)  # noqa: S102 - the cell itself
    bind.assert_called_once_with(
        user="o'hara", role="organisatie", organisation='Org "A"\nimport os'
    )
    assert "_sofs_access" not in namespace


def test_session_cookie_is_http_only_and_secure_behind_a_tls_proxy(provider, monkeypatch):
    handler = _handler(None)
    provider.set_login_cookie(handler, auth.SofsUser(username="an"))
    sent = _notice(handler).lower()
    assert "httponly" in sent and "samesite=lax" in sent
    assert "expires" not in sent and "secure" not in sent  # plain HTTP on localhost
    monkeypatch.setenv(auth.SECURE_COOKIE_ENV, "1")
    behind_proxy = auth.SofsIdentityProvider()
    handler = _handler(None)
    behind_proxy.set_login_cookie(handler, auth.SofsUser(username="an"))
    assert "secure" in _notice(handler).lower()
