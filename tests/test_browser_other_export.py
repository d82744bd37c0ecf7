"""The dashboards in a real browser on an export that is not the committed synthetic set.

A later export (another period, organisation names with accents, apostrophes and ``&``) is
generated and copied without its manifest, so the server treats it as a real export: it
needs a users file (written here with ``sofs_lib.server.users``) and its own release,
built before the server starts (once per run, ``generated_release("accented")`` in
``conftest.py``; ``test_release`` attacks the same release). Signed in as the agency, every dashboard renders, the
evolutie dashboard shows the export's later closing years and the organisation control
offers the accented names; signed in as an organisation with an accented name, the user
sees that name. One server, a small export (n = 300), to keep the run short.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from conftest import OTHER_EXPORT_VARS
from test_browser import (
    ARTIFACTS,
    READY_TIMEOUT_S,
    RENDER_TIMEOUT_MS,
    _assert_no_error,
    _first_render,
    _options,
    _plain,
    _shot,
    _sign_in,
    _test_config,
    _wait_until_idle,
    playwright_browser,  # noqa: F401 - the fixture, shared
)

from sofs_lib import access, config, serve
from sofs_lib.release import store
from sofs_lib.server import users

pytestmark = pytest.mark.browser

PASSWORD = "wachtwoord-voor-de-test"
AGENCY_USER = "agentschap"
ORG_USER = "organisatie-accent"


@pytest.fixture(scope="module")
def later_export(tmp_path_factory, generated_release) -> dict:
    """The later export (no manifest) and its release, shared with the release tests
    (``generated_release``), and a users file of this module."""
    released = generated_release("accented")
    tmp = tmp_path_factory.mktemp("other_export")
    env = {**released.env, "SOFS_USERS_FILE": str(tmp / "users.json")}
    with pytest.MonkeyPatch.context() as mp:
        for name in OTHER_EXPORT_VARS:
            mp.delenv(name, raising=False)
        for name, value in env.items():
            mp.setenv(name, value)
        from sofs_lib import datasets

        data = datasets.load_dashboard(config.dashboard_export_path())
        assert data.attrs["provenance"] == "real", "copied without manifest: a real export"
        organisations = sorted(data["organisation"].dropna().astype(str).unique())
        closing = sorted(int(y) for y in data["end_date"].dropna().dt.year.unique())
        assert store.is_current(released.release), "the server would rebuild the release"
    accented = [o for o in organisations if any(c in o for c in "ÇçïÉé")]
    assert accented, f"the generator did not use the accented names: {organisations}"
    own = accented[0]
    users.add_user(Path(env["SOFS_USERS_FILE"]), AGENCY_USER, access.AGENCY, PASSWORD)
    users.add_user(
        Path(env["SOFS_USERS_FILE"]), ORG_USER, access.ORGANISATION, PASSWORD, organisation=own
    )
    return {
        "env": env,
        "tmp": tmp,
        "organisations": organisations,
        "closing_years": closing,
        "own": own,
    }


@pytest.fixture(scope="module")
def voila_other(later_export, playwright_browser):  # noqa: F811
    tmp = later_export["tmp"]
    port = serve.free_port()
    log = tmp / "voila.log"
    proc = serve.start_server(
        port, log_path=log, config_dir=_test_config(tmp), env=later_export["env"]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        serve.wait_until_ready(base + "/login", proc, timeout=READY_TIMEOUT_S)
        _wait_until_idle(proc.pid, READY_TIMEOUT_S)
        yield {"base": base, "pid": proc.pid, **later_export}
    finally:
        serve.stop_server(proc)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(log, ARTIFACTS / "voila_other_export.log")


def _signed_in_page(browser, voila, user: str):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    foreign: list[str] = []

    def record(request) -> None:
        url = request.url
        if not (url.startswith(voila["base"] + "/") or url.startswith(("data:", "blob:"))):
            foreign.append(url)

    context.on("request", record)
    page = context.new_page()
    _sign_in(page, voila["base"], user, PASSWORD)
    return context, page, foreign


def _render_all_panels(page, voila, dashboard) -> str:
    # Not timed here (test_browser measures speed): no wait for an idle server between pages.
    _first_render(page, f"{voila['base']}/voila/render/{dashboard.notebook}")
    n_panels = page.locator(".sofs-panel").count()
    assert n_panels >= 1
    page.wait_for_function(
        "n => document.querySelectorAll('.sofs-panel .sofs-figure, .sofs-panel .sofs-message')"
        ".length >= n",
        arg=n_panels,
        timeout=RENDER_TIMEOUT_MS,
    )
    _assert_no_error(page)
    return _plain(page.inner_text("body"))


def test_agency_sees_every_dashboard_of_a_later_export_with_its_years_and_names(
    voila_other,
    playwright_browser,  # noqa: F811
):
    voila = voila_other
    assert max(voila["closing_years"]) > 2023, "the export is later than the report's period"
    context, page, foreign = _signed_in_page(playwright_browser, voila, AGENCY_USER)
    try:
        for dashboard in [d for d in serve.DASHBOARDS if d.definition_ref]:  # figures
            text = _render_all_panels(page, voila, dashboard)
            _shot(page, f"ander_export_{dashboard.key}")
            if dashboard.key == "evolutie":
                missing = [y for y in voila["closing_years"] if str(y) not in text]
                assert not missing, f"closing years missing on the evolutie dashboard: {missing}"
            offered = [_plain(o) for o in _options(page, "organisation")]
            if len(offered) > 1:
                assert offered[0] == "Alle organisaties"
                assert sorted(offered[1:]) == voila["organisations"]
                assert voila["own"] in offered
    finally:
        context.close()
    assert not foreign, f"the page contacted a third party: {foreign[:5]}"


def test_organisation_with_an_accented_name_sees_its_name(
    voila_other,
    playwright_browser,  # noqa: F811
):
    voila = voila_other
    context, page, foreign = _signed_in_page(playwright_browser, voila, ORG_USER)
    try:
        dashboard = next(d for d in serve.DASHBOARDS if d.key == "plan_b")
        text = _render_all_panels(page, voila, dashboard)
        _shot(page, "ander_export_plan_b_organisatie")
        assert voila["own"] in text
        page_html = _plain(html.unescape(page.content()))
        others = [o for o in voila["organisations"] if o != voila["own"] and o in page_html]
        assert not others, f"an organisation user sees other organisations: {others}"
    finally:
        context.close()
    assert not foreign, f"the page contacted a third party: {foreign[:5]}"
