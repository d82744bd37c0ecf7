"""The dashboard server as an attacker meets it: sign-in, roles, kernel messages, hardening.

One server per module (as ``make dashboards`` starts it, with a users file of three people and
lower kernel limits), driven over HTTP and the kernel websocket by ``server_client``.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time

import nbformat
import pytest
from server_client import (
    PASSWORD,
    Client,
    KernelSocket,
    identity_on_page,
    msg,
    set_widget_state,
    signed_in,
    widget_states,
)

from sofs_lib import serve
from sofs_lib.server import users

pytestmark = pytest.mark.slow

PER_USER = 1
TOTAL = 3
PROBE = "probe.ipynb"
DASHBOARD = "modelgetrouwheid.ipynb"


def _organisations() -> list[str]:
    from sofs_lib.datasets import load_dashboard

    return sorted(load_dashboard()["organisation"].dropna().astype(str).unique())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("server")
    organisations = _organisations()
    own = users.demo_organisation()
    users_file = tmp / "users.json"
    users.add_user(users_file, "anna", "organisatie", PASSWORD, own)
    users.add_user(users_file, "bert", "agentschap", PASSWORD)
    users.add_user(users_file, "piet", "publiek", PASSWORD)
    users.add_user(users_file, "karel", "publiek", PASSWORD)

    root = tmp / "root"
    root.mkdir()
    for name in (serve.BASELINE_NOTEBOOK, DASHBOARD):
        shutil.copy(serve.DASHBOARDS_DIR / name, root / name)
    probe = nbformat.v4.new_notebook()
    probe.cells = [
        nbformat.v4.new_code_cell(
            "import json\nfrom sofs_lib import access\n"
            "print('IDENTITEIT', json.dumps(access.current().as_dict()))"
        )
    ]
    probe.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(probe, root / PROBE)

    cfg_dir = tmp / "config"
    cfg_dir.mkdir()
    cfg = json.loads(serve.VOILA_CONFIG.read_text())
    # One warm kernel: pages take it (and are bound like a fresh one), with less CPU spent
    # refilling a larger pool while the tests run.
    cfg["SofsKernelManager"].update(
        max_kernels_per_user=PER_USER, max_kernels=TOTAL, warm_kernels=1, warm_fill_delay=0.5
    )
    (cfg_dir / "voila.json").write_text(json.dumps(cfg))

    port = serve.free_port()
    log = tmp / "voila.log"
    proc = serve.start_server(
        port,
        log_path=log,
        config_dir=cfg_dir,
        root=root,
        env={users.USERS_FILE_ENV: str(users_file), "SOFS_ALLOWED_HOSTS": ""},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        serve.wait_until_ready(base + "/login", proc, timeout=120)
        yield {
            "base": base,
            "own": own,
            "others": [o for o in organisations if o != own],
            "log": log,
            "proc": proc,
        }
    finally:
        serve.stop_server(proc)


def _server_answers(server, timeout: float = 5) -> bool:
    started = time.monotonic()
    response = Client(server["base"]).request("/login", timeout=timeout)
    return response.status == 200 and time.monotonic() - started < timeout


# --- sign-in ---------------------------------------------------------------------------


def test_anonymous_visitors_get_the_login_page_and_no_kernel(server):
    client = Client(server["base"])
    for path in ("/", f"/voila/render/{DASHBOARD}", f"/voila/render/{PROBE}"):
        response = client.request(path)
        assert response.url.startswith(server["base"] + "/login"), path
        assert "Meld u aan" in response.body and "kernelId" not in response.body
    assert "serves user" not in server["log"].read_text()
    # Voila's file route serves nothing: no file of the dashboards folder without sign-in.
    assert client.request(f"/voila/files/{DASHBOARD}").status == 403
    api = client.request("/api/kernels/00000000-0000-0000-0000-000000000000", follow=False)
    assert api.status in (302, 403)


@pytest.mark.parametrize("user", ["anna", "onbekend"])
def test_wrong_password_or_unknown_user_gives_one_dutch_sentence(server, user):
    client = Client(server["base"])
    response = client.login(user, "fout-wachtwoord")
    assert response.status == 401
    assert "Onbekende gebruikersnaam of verkeerd wachtwoord." in response.body
    assert "Traceback" not in response.body and "kernelId" not in response.body
    assert client.cookie("sofs-sessie") is None


def test_tampered_session_cookie_ends_on_the_login_page(server):
    client = signed_in(server, "bert")
    cookie = client.cookie("sofs-sessie")
    assert cookie
    quote = '"' if cookie.endswith('"') else ""
    head, signature = cookie.rstrip('"').rsplit("|", 1)
    client.set_cookie_value("sofs-sessie", f"{head}|{'0' * len(signature)}{quote}")
    response = client.request(f"/voila/render/{PROBE}")
    assert response.url.startswith(server["base"] + "/login")
    assert "Uw sessie is niet meer geldig" in response.body
    assert "IDENTITEIT" not in response.body and "Traceback" not in response.body


def test_signing_out_ends_the_session(server):
    client = signed_in(server, "piet")
    response = client.request("/logout")
    assert response.url.startswith(server["base"] + "/login")
    assert "U bent afgemeld." in response.body
    assert "Meld u aan" in client.request("/").body


def test_login_refuses_a_foreign_next_url(server):
    client = Client(server["base"])
    response = client.login("piet", PASSWORD, next_path="https://elders.example/")
    assert response.url.rstrip("/") == server["base"]


# --- roles bound server-side -------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "role", "bound"),
    [("anna", "organisatie", True), ("bert", "agentschap", False), ("piet", "publiek", False)],
)
def test_kernel_is_bound_to_the_signed_in_identity_before_the_notebook_runs(
    server, user, role, bound
):
    client = signed_in(server, user)
    response, kernel_id = client.render(PROBE)
    assert response.status == 200 and kernel_id
    identity = identity_on_page(response.body)
    assert identity == {
        "user": user,
        "role": role,
        "organisation": server["own"] if bound else None,
    }
    assert "_sofs_access" not in response.body and "bind(" not in response.body


# --- kernel messages from the browser ----------------------------------------------------


def test_browser_may_not_run_code_inspect_or_complete(server, tmp_path):
    client = signed_in(server, "bert")
    _, kernel_id = client.render(serve.BASELINE_NOTEBOOK)
    marker = tmp_path / "uitgevoerd"
    code = f"open({str(marker)!r}, 'w').write('x')"

    execute = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    forbidden = [
        msg("execute_request", execute),
        msg("inspect_request", {"code": "open", "cursor_pos": 4, "detail_level": 1}),
        msg("complete_request", {"code": "op", "cursor_pos": 2}),
        msg("history_request", {"output": True, "raw": True, "hist_access_type": "tail", "n": 9}),
        msg("execute_request", execute, channel="control"),
        msg("execute_request", execute, channel="stdin"),
    ]
    # An allowed message sent last: the kernel answers in order, so by its reply any
    # forbidden message that got through would have been answered too.
    sentinel = msg("kernel_info_request", {})

    async def attack() -> list[dict]:
        sock = await KernelSocket.open(client, kernel_id)
        try:
            for message in [*forbidden, sentinel]:
                await sock.send(message)
            return await sock.collect_until(sentinel["header"]["msg_id"], timeout=60)
        finally:
            sock.close()

    seen = asyncio.run(attack())
    answered = {m["parent_header"].get("msg_id") for m in seen}
    assert sentinel["header"]["msg_id"] in answered, "the allowed message got no answer"
    for message in forbidden:
        assert message["header"]["msg_id"] not in answered, (
            f"{message['header']['msg_type']} on {message['channel']} reached the kernel"
        )
    assert not marker.exists()
    assert "Refused a kernel message from the browser: message type 'execute_request'" in (
        server["log"].read_text()
    )


def test_crafted_comm_message_cannot_switch_the_bound_organisation(server):
    """An organisatie visitor's kernel serves only its own organisation, whatever widget
    state the browser sends: the organisation control moved by index (beyond the options
    too), by label and by value, after a positive control that such a message does move an
    ordinary control."""
    client = signed_in(server, "anna")
    response, kernel_id = client.render(DASHBOARD)
    assert response.status == 200 and kernel_id

    async def attack() -> tuple[dict, dict, dict]:
        sock = await KernelSocket.open(client, kernel_id)
        try:
            before = await widget_states(sock)
            dropdowns = {
                next(
                    (
                        c
                        for c in s["state"].get("_dom_classes", [])
                        if c.startswith("sofs-control-")
                    ),
                    "",
                ): (mid, s["state"])
                for mid, s in before.items()
                if s["model_name"] == "DropdownModel"
            }
            # Positive control: the same kind of message moves another control.
            other_id, other = next(
                (
                    v
                    for k, v in dropdowns.items()
                    if k != "sofs-control-organisation" and len(v[1]["_options_labels"]) > 1
                ),
            )
            await sock.request(set_widget_state(other_id, {"index": 1}), timeout=60)
            moved = await widget_states(sock)
            # The attack: point the organisation control at every other organisation, by
            # index beyond the options offered and by label.
            org = dropdowns.get("sofs-control-organisation")
            if org is not None:
                org_id, state = org
                labels = state["_options_labels"]
                for index in (1, 2, len(labels), len(labels) + 1):
                    await sock.request(set_widget_state(org_id, {"index": index}), timeout=60)
                for key in ("label", "value"):
                    change = set_widget_state(org_id, {key: server["others"][0]})
                    await sock.request(change, timeout=60)
            after = await widget_states(sock)
            return before, moved, after
        finally:
            sock.close()

    before, moved, after = asyncio.run(attack())
    changed = [m for m in before if before[m]["state"] != moved[m]["state"]]
    assert changed, "the positive control changed nothing: the crafted message is malformed"
    shown = json.dumps(after)
    leaked = [o for o in server["others"] if o in shown]
    assert not leaked, f"other organisations reached the kernel's widgets: {leaked[:5]}"
    assert server["own"] in shown


# --- hardening ---------------------------------------------------------------------------


def test_legacy_websocket_message_is_refused_and_the_server_keeps_answering(server):
    """Regression: one dropdown change over a legacy (no subprotocol) kernel websocket made
    Voila 0.5.13 loop at 100% CPU. The server refuses the connection and stays responsive."""
    from tornado.websocket import WebSocketClosedError

    client = signed_in(server, "bert")
    _, kernel_id = client.render(serve.BASELINE_NOTEBOOK)
    legacy_change = json.dumps(
        msg(
            "comm_msg",
            {
                "comm_id": "0" * 32,
                "data": {"method": "update", "state": {"index": 1}, "buffer_paths": []},
            },
        )
    )

    async def send_legacy() -> str:
        try:
            sock = await KernelSocket.open(client, kernel_id, subprotocols=[])
        except Exception as exc:  # the handshake is refused
            return f"refused: {exc}"
        try:
            await sock.conn.write_message(legacy_change)
            await asyncio.sleep(2)
            return "accepted"
        except WebSocketClosedError:
            return "closed"
        finally:
            sock.close()

    tracebacks = server["log"].read_text().count("Traceback")
    outcome = asyncio.run(send_legacy())
    assert outcome.startswith("refused") and "400" in outcome, outcome
    assert _server_answers(server)
    # Refused in one log line, not with a traceback per connection (a way to flood the log).
    assert server["log"].read_text().count("Traceback") == tracebacks

    async def send_bogus_v1() -> list:
        sock = await KernelSocket.open(client, kernel_id)
        try:
            # A v1 frame claiming 2**62 offsets: upstream's parser would loop over them.
            await sock.conn.write_message((2**62).to_bytes(8, "little") + b"\0" * 64, binary=True)
            return await sock.request(msg("kernel_info_request", {}))
        finally:
            sock.close()

    replies = asyncio.run(send_bogus_v1())
    assert "kernel_info_reply" in [m["header"]["msg_type"] for m in replies]
    assert _server_answers(server)


def test_a_user_reaches_only_their_own_kernels(server):
    owner = signed_in(server, "anna")
    _, kernel_id = owner.render(serve.BASELINE_NOTEBOOK)
    intruder = signed_in(server, "bert")
    assert intruder.request(f"/api/kernels/{kernel_id}").status == 403
    assert owner.request(f"/api/kernels/{kernel_id}").status == 200

    async def connect() -> str:
        try:
            sock = await KernelSocket.open(intruder, kernel_id)
        except Exception as exc:
            return str(exc)
        sock.close()
        return "connected"

    assert "403" in asyncio.run(connect())
    xsrf = intruder.cookie("_xsrf")
    shut = intruder.request(f"/voila/api/shutdown/{kernel_id}", {"_xsrf": xsrf}, method="POST")
    assert shut.status == 404
    assert owner.request(f"/api/kernels/{kernel_id}").status == 200


def test_host_and_origin_are_checked(server):
    client = signed_in(server, "piet")
    rebound = client.request("/", headers={"Host": "aanvaller.example"})
    assert rebound.status == 403
    _, kernel_id = client.render(serve.BASELINE_NOTEBOOK)

    async def connect(origin: str) -> str:
        try:
            sock = await KernelSocket.open(client, kernel_id, origin=origin)
        except Exception as exc:
            return str(exc)
        sock.close()
        return "connected"

    assert "403" in asyncio.run(connect("http://aanvaller.example"))
    assert asyncio.run(connect(server["base"])) == "connected"


def test_kernels_are_capped_per_user_and_in_total(server):
    # Each user holds at most PER_USER (= 1) kernel: a new page shuts the user's oldest.
    anna = signed_in(server, "anna")
    first = [anna.render(serve.BASELINE_NOTEBOOK)[1] for _ in range(2)]
    assert [anna.request(f"/api/kernels/{k}").status for k in first] == [403, 200]
    # anna, bert and piet now hold one kernel each: TOTAL (= 3) is reached.
    for user in ("bert", "piet"):
        assert signed_in(server, user).render(serve.BASELINE_NOTEBOOK)[0].status == 200
    page, kernel_id = signed_in(server, "karel").render(serve.BASELINE_NOTEBOOK)
    assert page.status == 503 and kernel_id is None
    assert "De server is even druk" in page.body and "Traceback" not in page.body


def test_pages_name_no_third_party_asset(server):
    client = signed_in(server, "piet")
    pages = [client.request("/login").body, client.request("/").body]
    pages.append(client.render(serve.BASELINE_NOTEBOOK)[0].body)
    for body in pages:
        for tag in re.findall(r"<(?:link|script|img)[^>]+(?:href|src)=\"(https?:)?//", body):
            raise AssertionError(f"third-party asset on a page: {tag}")
    assert "voila/sofs/fontawesome/css/all.min.css" in pages[-1]
    font = client.request("/voila/sofs/fontawesome/css/all.min.css")
    assert font.status == 200 and "@font-face" in font.body
    assert client.request("/voila/sofs/fontawesome/svgs/solid/user.svg").status == 404
