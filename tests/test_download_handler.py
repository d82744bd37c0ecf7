"""The download handler as visitors and attackers meet it: sign-in, roles, organisations,
formats, and what the files say. A fake resolver stands in for the dashboard registry; the
handler runs in a tornado application with the server's own identity provider and authorizer
(no Voila, no kernels: fast)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import threading
import time
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import quote

import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from sofs_lib import access
from sofs_lib.dashboards.spec import ChartSpec, DownloadMeta, TableSpec, download_url
from sofs_lib.server import auth, users
from sofs_lib.server import downloads as handler_mod

OWN = "Organisatie Één"
OTHER = "=cmd|' /C calc'!A0"  # an organisation whose name reads as a formula
PASSWORD = "lang-genoeg-1"
SECRET = b"s" * 32


@dataclass
class FakeOutput:
    chart: ChartSpec | None
    table: TableSpec | None
    message: str | None = None


def fake_resolver(dashboard, panel, selection, identity):
    """A registry of one dashboard/panel that, like the real one, reads the identity's slice."""
    if dashboard != "modelgetrouwheid" or panel not in ("stappen", "tekst"):
        raise KeyError(panel)
    org = selection.get("organisation") or None
    if org is not None:
        if identity.role == access.PUBLIC or (
            identity.role == access.ORGANISATION and org != identity.organisation
        ):
            raise PermissionError(org)
        if org not in (OWN, OTHER):
            raise LookupError(org)
    if selection.get("closing_year", "2041") not in ("2040", "2041", "2039"):
        raise LookupError("year")
    if selection.get("closing_year") == "2039":  # too few trajectories: a message, no chart
        return FakeOutput(None, None, "Te weinig trajecten in deze selectie."), DownloadMeta(
            dashboard, "Modelgetrouwheid", panel, "Gezette stappen", "Vlaanderen", "",
            "synthetische testgegevens", date(2042, 3, 1),
        )
    group = org or "Vlaanderen"
    frame = pd.DataFrame({"Stap": ["Plan B", "Netwerkberaad"], group: [0.25, np.nan],
                          "n": [40.0, 3.0]})
    hidden = pd.DataFrame({"Stap": [False, False], group: [False, True], "n": [False, True]})
    table = TableSpec(frame, hidden, {"Stap": "text", group: "pct", "n": "int"})
    chart = None
    if panel == "stappen":
        chart = ChartSpec(
            "bars",
            "Gezette stappen",
            pd.DataFrame(
                [
                    {"item": "Plan B", "group": group, "role": "own", "value": 0.25, "n": 40,
                     "hidden": False},
                    {"item": "Netwerkberaad", "group": group, "role": "own", "value": np.nan,
                     "n": 3, "hidden": True},
                ]
            ),
        )
    meta = DownloadMeta(
        dashboard, "Modelgetrouwheid", panel, "Gezette stappen",
        ", ".join(p for p in (org, f"afgesloten in {selection.get('closing_year', '2041')}") if p),
        "n = 40 trajecten", "synthetische testgegevens", date(2042, 3, 1), organisation=org,
    )
    return FakeOutput(chart, table), meta


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    path = tmp_path_factory.mktemp("users") / "users.json"
    users.add_user(path, "anna", access.ORGANISATION, PASSWORD, OWN)
    users.add_user(path, "bert", access.AGENCY, PASSWORD)
    users.add_user(path, "piet", access.PUBLIC, PASSWORD)
    return path


@pytest.fixture(scope="module")
def running(accounts):
    """(base URL, identity provider): the handler behind the server's identity provider and
    authorizer, served from its own thread and event loop."""
    saved = os.environ.get(users.USERS_FILE_ENV)
    os.environ[users.USERS_FILE_ENV] = str(accounts)
    provider = auth.SofsIdentityProvider()
    settings = {
        "base_url": "/",
        "cookie_secret": SECRET,
        "identity_provider": provider,
        "authorizer": auth.SofsAuthorizer(identity_provider=provider),
        "login_url": "/login",
        "allow_remote_access": False,
        "local_hostnames": ["localhost"],
    }
    sock, port = bind_unused_port()
    ready = threading.Event()
    state: dict = {}

    def serve() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        http = HTTPServer(web.Application(handler_mod.handlers("/"), **settings))
        http.add_sockets([sock])
        state["loop"], state["http"] = loop, http
        ready.set()
        loop.run_forever()
        http.stop()
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://127.0.0.1:{port}", provider
    finally:
        state["loop"].call_soon_threadsafe(state["loop"].stop)
        thread.join(10)
        if saved is None:
            os.environ.pop(users.USERS_FILE_ENV, None)
        else:
            os.environ[users.USERS_FILE_ENV] = saved


@pytest.fixture
def server(running):
    """(base URL, cookie maker) with the fake resolver installed."""
    base, provider = running
    handler_mod.set_resolver(fake_resolver)

    def cookie(user: str) -> str:
        name = provider.get_cookie_name(None)
        value = web.create_signed_value(
            SECRET, name, json.dumps({"u": user, "t": int(time.time())})
        )
        return f"{name}={value.decode()}"

    yield base, cookie
    handler_mod.set_resolver(None)


async def _get(base: str, path: str, cookie: str | None = None):
    client = AsyncHTTPClient()
    headers = {"Cookie": cookie} if cookie else {}
    try:
        return await client.fetch(
            base + path, headers=headers, follow_redirects=False, request_timeout=60
        )
    except HTTPClientError as err:
        return err.response


def get(base, path, cookie=None):
    return asyncio.run(_get(base, path, cookie))


def _path(panel_fmt: str, **selection) -> str:
    dashboard, rest = "modelgetrouwheid", panel_fmt
    panel, fmt = rest.rsplit(".", 1)
    return download_url(dashboard, panel, fmt, selection, base_url="/")


def test_anonymous_visitor_is_sent_to_the_login_page(server):
    base, _ = server
    response = get(base, _path("stappen.xlsx"))
    assert response.code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_tampered_session_cookie_gets_no_file(server):
    base, cookie = server
    forged = cookie("bert")[:-6] + "AAAAAA"
    response = get(base, _path("stappen.xlsx"), forged)
    assert response.code in (302, 403)
    assert b"PK" not in (response.body or b"")[:2]


def test_agency_downloads_any_organisation_as_a_real_workbook(server):
    base, cookie = server
    response = get(base, _path("stappen.xlsx", organisation=OWN, closing_year=2040), cookie("bert"))
    assert response.code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="modelgetrouwheid_stappen_organisatie-een_afgesloten-2040_'
        'export-2042-03-01.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.body))["Tabel"]
    assert sheet["B2"].value == 0.25 and sheet["B2"].number_format == "0.0%"
    assert sheet["B3"].value == "x"


def test_organisation_user_downloads_its_own_organisation(server):
    base, cookie = server
    response = get(base, _path("stappen.csv", organisation=OWN), cookie("anna"))
    assert response.code == 200
    assert response.body.decode("utf-8-sig").splitlines()[0] == f"Stap;{OWN};n"


def test_organisation_user_asking_another_organisation_is_refused_in_dutch(server):
    base, cookie = server
    response = get(base, _path("stappen.xlsx", organisation=OTHER), cookie("anna"))
    assert response.code == 403
    text = response.body.decode()
    assert "geen toegang" in text and "Traceback" not in text
    assert "calc" not in text and "Content-Disposition" not in response.headers


def test_public_user_asking_any_organisation_is_refused(server):
    base, cookie = server
    assert get(base, _path("stappen.png", organisation=OWN), cookie("piet")).code == 403
    assert get(base, _path("stappen.csv"), cookie("piet")).code == 200  # Flanders


def test_unknown_dashboard_panel_format_or_selection_is_404_in_dutch(server):
    base, cookie = server
    bert = cookie("bert")
    for path in (
        "/sofs/download/bestaat_niet/stappen.xlsx",
        "/sofs/download/modelgetrouwheid/bestaat_niet.xlsx",
        "/sofs/download/modelgetrouwheid/stappen.exe",
        "/sofs/download/modelgetrouwheid/stappen",
        _path("stappen.xlsx", organisation="Organisatie die niet bestaat"),
        _path("stappen.xlsx", closing_year=1900),
        _path("tekst.png"),  # a panel without a figure
    ):
        response = get(base, path, bert)
        assert response.code == 404, path
        assert "Download niet mogelijk" in response.body.decode() and "Traceback" not in (
            response.body.decode()
        )


def test_a_panel_without_figures_for_the_selection_says_why(server):
    base, cookie = server
    response = get(base, _path("stappen.png", closing_year=2039), cookie("bert"))
    assert response.code == 404
    assert "Te weinig trajecten in deze selectie." in response.body.decode()


def test_odd_selection_fields_are_refused_without_a_lookup(server):
    base, cookie = server
    long_value = "a" * 500
    for query in (f"organisation={long_value}", "Organisation=x", "status=%0d%0aSet-Cookie:x"):
        response = get(base, f"/sofs/download/modelgetrouwheid/stappen.csv?{query}", cookie("bert"))
        assert response.code == 400, query


def test_formula_looking_organisation_names_arrive_neutralised(server):
    base, cookie = server
    response = get(base, _path("stappen.xlsx", organisation=OTHER), cookie("bert"))
    assert response.code == 200
    name = response.headers["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
    book = openpyxl.load_workbook(io.BytesIO(response.body))
    assert book["Tabel"]["B1"].value == "'" + OTHER
    about = {r[0].value: r[1].value for r in book["Over deze tabel"].iter_rows()}
    assert about["Organisatie"] == "'" + OTHER
    csv = get(base, _path("stappen.csv", organisation=OTHER), cookie("bert")).body
    first = csv.decode("utf-8-sig").splitlines()[0]
    assert first.split(";", 1)[1].lstrip('"').startswith("'=")


def test_png_download_is_print_resolution(server):
    base, cookie = server
    response = get(base, _path("stappen.png", organisation=OWN), cookie("anna"))
    assert response.code == 200 and response.headers["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.body))
    assert image.info["dpi"][0] >= 199.5 and OWN in image.info["Description"]


def test_without_a_registry_downloads_say_they_are_not_available(server, monkeypatch):
    base, cookie = server
    handler_mod.set_resolver(None)
    monkeypatch.setattr(handler_mod, "current_resolver", lambda: None)
    response = get(base, _path("stappen.xlsx"), cookie("bert"))
    assert response.code == 503 and "niet beschikbaar" in response.body.decode()


def test_a_failing_resolver_gives_a_dutch_message_not_a_traceback(server):
    base, cookie = server

    def broken(*_args):
        raise RuntimeError("secret internal detail")

    handler_mod.set_resolver(broken)
    response = get(base, _path("stappen.xlsx"), cookie("bert"))
    assert response.code == 500
    assert "secret" not in response.body.decode() and "kon niet" in response.body.decode()


def test_the_handler_answers_others_while_a_png_is_drawn(server):
    """Rendering runs in a worker thread: a refusal is answered before the PNG is done."""
    base, cookie = server

    async def both():
        png = asyncio.ensure_future(
            _get(base, _path("stappen.png", organisation=OWN), cookie("bert"))
        )
        await asyncio.sleep(0.05)
        quick = await _get(base, _path("stappen.csv", organisation=OWN), cookie("piet"))
        png_was_done = png.done()
        return quick, png_was_done, await png

    quick, png_was_done, slow = asyncio.run(both())
    assert quick.code == 403 and slow.code == 200
    assert not png_was_done  # the refusal did not wait for the drawing


def test_selection_in_the_link_is_url_encoded(server):
    base, cookie = server
    path = f"/sofs/download/modelgetrouwheid/stappen.csv?organisation={quote(OWN)}"
    assert get(base, path, cookie("anna")).code == 200


def test_the_dashboard_server_routes_download_links_below_its_base_url():
    """SofsVoila registers the handler before Voila's own routes, at the path the links use."""
    import re

    from jupyter_server.auth.identity import IdentityProvider
    from voila.configuration import VoilaConfiguration

    from sofs_lib.server.app import SofsVoila

    app = SofsVoila()
    app.base_url = app.server_url = "/sofs-proxy/"
    app.voila_configuration = VoilaConfiguration(parent=app)
    app.identity_provider = IdentityProvider()
    routes = [(spec[0], spec[1]) for spec in app.init_handlers()]
    link = download_url("plan_b", "soorten", "png", {"organisation": OWN}, base_url="/sofs-proxy/")
    matching = [handler for pattern, handler in routes if re.fullmatch(pattern, link.split("?")[0])]
    assert matching[0] is handler_mod.DownloadHandler


def test_one_user_cannot_queue_more_than_their_share(server):
    base, cookie = server
    gate = threading.Event()

    def slow(*args):
        gate.wait(30)
        return fake_resolver(*args)

    handler_mod.set_resolver(slow)

    async def burst():
        bert = cookie("bert")
        first = [asyncio.ensure_future(_get(base, _path("stappen.csv"), bert))
                 for _ in range(handler_mod.MAX_PENDING_PER_USER)]
        await asyncio.sleep(0.3)
        extra = await _get(base, _path("stappen.csv"), bert)
        other = asyncio.ensure_future(_get(base, _path("stappen.csv"), cookie("anna")))
        await asyncio.sleep(0.3)
        gate.set()
        return extra, await asyncio.gather(*first), await other

    extra, first, other = asyncio.run(burst())
    assert extra.code == 503 and "te veel downloads" in extra.body.decode()
    assert [r.code for r in first] == [200] * handler_mod.MAX_PENDING_PER_USER
    assert other.code == 200
    assert handler_mod._pending == {}


def test_a_missing_export_date_follows_the_projects_rule_and_is_never_guessed(monkeypatch):
    from sofs_lib import config

    _output, meta = fake_resolver("modelgetrouwheid", "stappen", {}, access.Identity("b", "agentschap"))
    undated = replace(meta, export_date=None)
    monkeypatch.setenv(config.EXPORT_DATE_ENV["dashboard"], "2043-07-14")
    assert handler_mod.with_export_date(undated).export_date == date(2043, 7, 14)
    assert handler_mod.with_export_date(meta).export_date == date(2042, 3, 1)  # kept
    monkeypatch.delenv(config.EXPORT_DATE_ENV["dashboard"])
    monkeypatch.setattr(config, "resolve_export_date", lambda *a, **k: (date.today(), "today"))
    assert handler_mod.with_export_date(undated).export_date is None


def test_warm_up_runs_in_the_download_worker():
    future = handler_mod.warm_up()
    assert future.result(timeout=120) is None  # imports and one PNG drawn without error
