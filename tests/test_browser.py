"""The dashboards in a real browser: the server started as `make dashboards` does (demo
accounts on synthetic data), Chromium driven by Playwright, signed in through the Dutch login
page as each role. Also measures speed (printed, never asserted): per dashboard the time to
the first rendered figure and from a control change to the redrawn figure, beside an empty
notebook served the same way (signed in, kernel bound at sign-in) in the same run. Every
request a page makes is recorded: none may leave the server.

Without Chromium or Playwright the test is skipped with a message; with ``CI=true`` in the
environment it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pytest

from sofs_lib import access, config, serve
from sofs_lib.dashboards import registry
from sofs_lib.server import users

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("SOFS_ARTIFACTS") or Path(tempfile.gettempdir()) / "sofs-artifacts")
SCREENSHOTS = ARTIFACTS / "screenshots"
#: A page has settled when nothing in it changed for this long (MutationObserver).
QUIET_MS = 400
WIDTHS = (1280, 1920)
#: Generous limits: 8 engineers share 2 cores on the build machine.
READY_TIMEOUT_S = 240
RENDER_TIMEOUT_MS = 120_000
CHANGE_TIMEOUT_MS = 60_000
CHANGES_PER_DASHBOARD = 3

ERROR_TEXTS = ("Traceback", "kan op dit moment niet getoond worden", "konden niet geladen")

SPEED: dict[str, dict] = {}


def _unavailable(reason: str) -> None:
    message = f"browser test cannot run: {reason}"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(message + " (CI=true: the browser test is required)")
    pytest.skip(message + " (install it with: apt-get install chromium)")


@pytest.fixture(scope="module")
def playwright_browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:  # a broken browser install is "unavailable", not a bug
            _unavailable(f"Chromium does not start ({exc})")
        yield browser
        browser.close()


def _data_env(tmp: Path) -> dict[str, str]:
    """The committed synthetic set, or a fresh one when it is missing."""
    if config.dashboard_export_path().exists() and config.binc_export_path().exists():
        return {}
    from sofs_lib.synth import write_synthetic

    folder = tmp / "synthetic"
    write_synthetic(folder)
    return {"SOFS_DATA_DIR": str(folder)}


def _test_config(tmp: Path) -> Path:
    """The shipped voila.json, with room for every page this module keeps open."""
    folder = tmp / "voila_config"
    folder.mkdir()
    cfg = json.loads(serve.VOILA_CONFIG.read_text())
    cfg["SofsKernelManager"]["max_kernels_per_user"] = 4
    (folder / "voila.json").write_text(json.dumps(cfg, indent=2))
    return folder


def _cpu_seconds(root: int) -> float:
    """CPU time used so far by ``root`` and all its descendants (Linux /proc); kernels
    run in their own sessions, so the process group would miss them."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])  # ppid
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(ticks.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


#: Idle: the server and its kernels used less than ``quiet`` CPU-s per second over
#: ``IDLE_POLLS`` consecutive polls of ``IDLE_POLL_S`` (one calm second in all).
IDLE_POLL_S = 0.25
IDLE_POLLS = 4


def _wait_until_idle(pid: int, timeout: float, quiet: float = 0.15) -> None:
    """A "filled" pool only means its kernel started: wait until the preheated notebooks
    have finished executing (the server uses less than ``quiet`` CPU-s per second)."""
    deadline = time.monotonic() + timeout
    calm = 0
    last = _cpu_seconds(pid)
    while time.monotonic() < deadline and calm < IDLE_POLLS:
        time.sleep(IDLE_POLL_S)
        now = _cpu_seconds(pid)
        calm = calm + 1 if now - last < quiet * IDLE_POLL_S else 0
        last = now


@pytest.fixture(scope="module")
def voila(tmp_path_factory, playwright_browser):
    tmp = tmp_path_factory.mktemp("voila")
    env = _data_env(tmp)
    port = serve.free_port()
    log = tmp / "voila.log"
    proc = serve.start_server(port, log_path=log, config_dir=_test_config(tmp), env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        serve.wait_until_ready(base + "/login", proc, timeout=READY_TIMEOUT_S)
        _wait_until_idle(proc.pid, READY_TIMEOUT_S)
        own = serve.sign_in_env({**os.environ, **env})[users.DEMO_ORGANISATION_ENV]
        yield {"base": base, "pid": proc.pid, "organisations": _organisations(env), "own": own}
    finally:
        serve.stop_server(proc)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, ARTIFACTS / "voila.log")
    assert proc.poll() is not None, "Voila was not terminated"


def _organisations(env: dict[str, str]) -> list[str]:
    """Every organisation in the data the server reads."""
    from sofs_lib.datasets import load_dashboard

    path = Path(env["SOFS_DATA_DIR"]) / config.DASHBOARD_EXPORT_NAME if env else None
    return sorted(load_dashboard(path)["organisation"].dropna().astype(str).unique())


#: Requests a page made that did not go to the server under test (checked after each test).
FOREIGN: list[str] = []


def _sign_in(page, base: str, user: str, password: str = users.DEMO_PASSWORD) -> None:
    page.goto(base + "/login", wait_until="domcontentloaded")
    page.fill("#username", user)
    page.fill("#password", password)
    page.click("#login_submit")
    page.wait_for_load_state("domcontentloaded")


def _context(playwright_browser, voila):
    context = playwright_browser.new_context(viewport={"width": 1300, "height": 1000})

    def record(request) -> None:
        url = request.url
        if not (url.startswith(voila["base"] + "/") or url.startswith(("data:", "blob:"))):
            FOREIGN.append(url)

    context.on("request", record)
    return context


@pytest.fixture()
def page(playwright_browser, voila):
    """A page signed in as the agency (every organisation by name)."""
    context = _context(playwright_browser, voila)
    page = context.new_page()
    _sign_in(page, voila["base"], users.DEMO_ACCOUNTS["agentschap"])
    yield page
    context.close()
    assert not FOREIGN, f"the page contacted a third party: {FOREIGN[:5]}"


@pytest.fixture()
def anonymous_page(playwright_browser, voila):
    context = _context(playwright_browser, voila)
    page = context.new_page()
    yield page
    context.close()
    assert not FOREIGN, f"the page contacted a third party: {FOREIGN[:5]}"


@pytest.fixture()
def role_page(playwright_browser, voila):
    """``role_page(role)``: a new page signed in as that role's demo account."""
    contexts = []

    def open_as(role: str):
        context = _context(playwright_browser, voila)
        contexts.append(context)
        page = context.new_page()
        _sign_in(page, voila["base"], users.DEMO_ACCOUNTS[role])
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not FOREIGN, f"the page contacted a third party: {FOREIGN[:5]}"


#: Voila scrolls the page inside this element, so a "full page" screenshot of the document
#: shows only the window: the window is made as tall as the content for the screenshot.
SCROLLER = "#rendered_cells"
MAX_SHOT_HEIGHT = 16_000


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = str(SCREENSHOTS / f"{name}.png")
    size = page.viewport_size
    content = page.evaluate(
        "sel => { const e = document.querySelector(sel); "
        "return e ? e.scrollHeight + e.getBoundingClientRect().top : 0; }",
        SCROLLER,
    )
    if not size or content <= size["height"]:
        page.screenshot(path=path, full_page=True)
        return
    page.set_viewport_size({"width": size["width"], "height": min(int(content) + 16, MAX_SHOT_HEIGHT)})
    try:
        page.screenshot(path=path, full_page=True)
    finally:
        page.set_viewport_size(size)
        page.wait_for_timeout(300)  # let the page settle after the resize before timing anything


def _panel_state(page) -> list[tuple[str, str]]:
    """(figure src or message, table html) of every panel, in order."""
    return page.eval_on_selector_all(
        ".sofs-panel",
        """els => els.map(p => {
            const svg = p.querySelector('.sofs-figure svg');
            const msg = p.querySelector('.sofs-message');
            const shown = svg && svg.getBoundingClientRect().height > 0
                ? svg.outerHTML : (msg ? msg.innerText : '');
            const table = p.querySelector('.sofs-table');
            return [shown, table ? table.innerHTML : ''];
        })""",
    )


def _plain(text: str) -> str:
    """ipywidgets writes option labels with non-breaking spaces."""
    return text.replace("\xa0", " ")


def _panel_text(page) -> str:
    return _plain(" ".join(page.locator(".sofs-panel").all_inner_texts()))


def _assert_no_error(page) -> None:
    body = page.inner_text("body")
    for text in ERROR_TEXTS:
        assert text not in body, f"error text on the page: {text!r}"
    assert page.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0


#: The first panel shows its figure, or a message (then _assert_no_error says which).
FIRST_PANEL_SHOWN = """() => {
    const p = document.querySelector('.sofs-panel');
    if (!p) return false;
    const shown = el => el && el.offsetParent !== null && el.getBoundingClientRect().height > 0;
    return shown(p.querySelector('.sofs-figure svg')) || shown(p.querySelector('.sofs-message'));
}"""


def _first_render(
    page, url: str, ready_selector: str | None = None, server_pid: int | None = None
) -> float:
    """Seconds from navigation until the first panel (or ``ready_selector``) is visible.

    With ``server_pid``: first waits until the server (and its warm kernels) is idle, so every
    page is timed from the same state.
    """
    if server_pid is not None:
        _wait_until_idle(server_pid, READY_TIMEOUT_S)
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    try:
        if ready_selector is None:
            page.wait_for_function(FIRST_PANEL_SHOWN, timeout=RENDER_TIMEOUT_MS)
        else:
            page.wait_for_selector(ready_selector, state="visible", timeout=RENDER_TIMEOUT_MS)
    except Exception:
        _shot(page, "FOUT_" + url.rsplit("/", 1)[-1].replace(".ipynb", ""))
        raise
    return time.perf_counter() - started


def test_landing_page_lists_the_registry_dashboards_in_dutch(voila, page):
    page.goto(voila["base"] + "/", wait_until="domcontentloaded")
    page.wait_for_selector("#sofs-landing", timeout=RENDER_TIMEOUT_MS)
    titles = page.locator(".sofs-dashboards .sofs-title").all_inner_texts()
    assert titles == [d.title for d in serve.DASHBOARDS]
    assert serve.BASELINE_NOTEBOOK not in page.content()
    assert "Contextbegeleiding Signs of Safety" in page.inner_text("h1")
    _shot(page, "00_startpagina")


def test_empty_baseline_notebook(voila, page):
    seconds = _first_render(
        page,
        f"{voila['base']}/voila/render/{serve.BASELINE_NOTEBOOK}",
        "text=Lege pagina",
        server_pid=voila["pid"],
    )
    SPEED["leeg"] = {"first_render_s": seconds}


def _options(page, control: str) -> list[str]:
    return page.eval_on_selector_all(
        f".sofs-control-{control} select option", "os => os.map(o => o.textContent)"
    )


WATCH = """() => {
    if (window.__sofsWatch) return;
    window.__sofsWatch = {last: performance.now(), count: 0, acted: null};
    for (const kind of ['input', 'change']) {
        document.addEventListener(kind, () => {
            if (window.__sofsWatch.acted === null) window.__sofsWatch.acted = performance.now();
        }, true);
    }
    new MutationObserver(() => {
        window.__sofsWatch.last = performance.now();
        window.__sofsWatch.count += 1;
    }).observe(document.body, {subtree: true, childList: true, attributes: true,
                               characterData: true});
}"""

SETTLED = """quiet => {
    const w = window.__sofsWatch;
    const busy = [...document.querySelectorAll('.sofs-busy')]
        .some(e => getComputedStyle(e).visibility === 'visible');
    return w.count > w.start && !busy && performance.now() - w.last > quiet;
}"""


def _settle(page, act) -> float:
    """Seconds from the user's action until the last DOM change before a quiet period of
    :data:`QUIET_MS` (every panel redrawn, busy line gone), measured in the page.

    The action's moment is the control's first ``input``/``change`` event, when the page
    saw the choice: Playwright's own work before it (actionability checks, scrolling,
    30-70 ms on a page's first action) is not the user's wait. Without such an event, the
    moment ``act()`` was called."""
    page.evaluate(WATCH)
    t0 = page.evaluate("() => { window.__sofsWatch.start = window.__sofsWatch.count; "
                       "window.__sofsWatch.acted = null; return performance.now(); }")
    act()
    page.wait_for_function(SETTLED, arg=QUIET_MS, timeout=CHANGE_TIMEOUT_MS)
    last, acted = page.evaluate("() => [window.__sofsWatch.last, window.__sofsWatch.acted]")
    return (last - (acted if acted is not None else t0)) / 1000


def _change_and_time(page, control: str, label: str) -> float:
    """Select ``label``; seconds until the page settles."""
    return _settle(page, lambda: page.select_option(f".sofs-control-{control} select", label=label))


#: Dashboards of figures (panels from the release) and the feedback pages (own rows only).
CHARTS = [d for d in serve.DASHBOARDS if d.definition_ref]
FEEDBACK = [d for d in serve.DASHBOARDS if not d.definition_ref]


@pytest.mark.parametrize("dashboard", CHARTS, ids=[d.key for d in CHARTS])
def test_dashboard_renders_and_follows_its_controls(voila, page, dashboard):
    """Signed in as the agency (``page``)."""
    url = f"{voila['base']}/voila/render/{dashboard.notebook}"
    first = _first_render(page, url, server_pid=voila["pid"])
    n_panels = page.locator(".sofs-panel").count()
    assert n_panels >= 3
    page.wait_for_function(
        "n => document.querySelectorAll('.sofs-panel .sofs-figure svg').length >= n",
        arg=n_panels,
        timeout=RENDER_TIMEOUT_MS,
    )
    _assert_no_error(page)
    hidden = page.eval_on_selector_all(
        ".sofs-panel .sofs-message", "els => els.filter(e => e.offsetParent !== null).length"
    )
    assert hidden == 0, f"{hidden} panel(s) show a message instead of their figure"
    assert "n = " in _panel_text(page)
    _shot(page, f"{dashboard.key}_overzicht")

    changes: list[float] = []
    if dashboard.key == "profiel":
        control, labels = "year", _options(page, "year")[1:]
        assert labels, "no begeleidingsjaar to choose"
        picks = [lab for lab in labels if lab != labels[0]][:CHANGES_PER_DASHBOARD] or labels
    elif len(_options(page, "organisation")) > 1:
        control = "organisation"
        organisations = _options(page, "organisation")
        assert _plain(organisations[0]) == "Alle organisaties"
        # Signed in as the agency: every organisation of the data, by name.
        assert sorted(_plain(o) for o in organisations[1:]) == voila["organisations"]
        picks = organisations[1 : 1 + CHANGES_PER_DASHBOARD]
    else:  # a kernel bound to the public role: Flanders only, so follow the status control
        control = "status"
        picks = _options(page, "status")[1 : 1 + CHANGES_PER_DASHBOARD]
    overview = _panel_state(page)
    for i, label in enumerate(picks):
        changes.append(_change_and_time(page, control, label))
        if i == 0:
            after = _panel_state(page)
            assert [f for f, _ in after] != [f for f, _ in overview], "figures did not change"
            assert [t for _, t in after] != [t for _, t in overview], "tables did not change"
            _assert_no_error(page)
            if control == "organisation":
                shown = _panel_text(page)
                others = [_plain(o) for o in _options(page, "organisation")[1:] if o != label]
                leaked = [o for o in others if o in shown]
                assert not leaked, f"other organisations named: {leaked}"
                assert _plain(label) in shown
            _shot(page, f"{dashboard.key}_{control}")
    SPEED[dashboard.key] = {
        "first_render_s": first,
        "change_s": changes,
        "change_median_s": statistics.median(changes),
        "panels": n_panels,
    }


def test_anonymous_visitor_and_wrong_password_get_the_dutch_login_page(voila, anonymous_page):
    page = anonymous_page
    page.goto(f"{voila['base']}/voila/render/{serve.DASHBOARDS[0].notebook}")
    page.wait_for_selector("#sofs-login", timeout=RENDER_TIMEOUT_MS)
    assert page.locator(".sofs-panel").count() == 0
    _sign_in(page, voila["base"], users.DEMO_ACCOUNTS["organisatie"], "verkeerd-wachtwoord")
    message = page.inner_text("#sofs-login-message")
    assert message == "Onbekende gebruikersnaam of verkeerd wachtwoord."
    assert page.locator(".sofs-panel").count() == 0
    assert "Traceback" not in page.content()
    _shot(page, "aanmelden_fout")


def _open_dashboard(page, voila, dashboard) -> str:
    """Render ``dashboard``; the visible text of the page once every panel is drawn."""
    _first_render(page, f"{voila['base']}/voila/render/{dashboard.notebook}")
    n_panels = page.locator(".sofs-panel").count()
    page.wait_for_function(
        "n => document.querySelectorAll('.sofs-panel .sofs-figure, .sofs-panel .sofs-message')"
        ".length >= n",
        arg=n_panels,
        timeout=RENDER_TIMEOUT_MS,
    )
    _assert_no_error(page)
    return _plain(page.inner_text("body"))


OVERFLOW = """() => {
    const out = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) out.push('page ' + root.scrollWidth);
    for (const el of document.querySelectorAll('.sofs-panel, .sofs-headline, .sofs-controls')) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(el.className + ' ' + el.scrollWidth
                                                           + '>' + el.clientWidth);
        const box = el.getBoundingClientRect(), outer = el.parentElement.getBoundingClientRect();
        if (box.right > outer.right + 1 || box.left < outer.left - 1)
            out.push(el.className + ' sticks out of its container by '
                     + Math.round(Math.max(box.right - outer.right, outer.left - box.left)) + 'px');
    }
    return out;
}"""


def _identity(role: str, voila) -> access.Identity:
    return access.Identity(f"test-{role}", role, voila["own"] if role == access.ORGANISATION else None)


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target'] if v['nodes'] else ''}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


#: Release slices read by this test process: (role, organisation, profile) -> Slice.
_SLICES: dict[tuple, object] = {}


def _load_slice_once(identity=None, folder=None, *, profile: bool = False):
    """:func:`sofs_lib.release.load_slice`, each slice read (and checked against the
    release's manifest) once per test process instead of once per panel."""
    from sofs_lib.release import store

    key = (identity.role, identity.organisation, profile, folder)
    if key not in _SLICES:
        _SLICES[key] = store.load_slice(identity, folder, profile=profile)
    return _SLICES[key]


def _expected_rows(dashboard, role: str, voila) -> dict[str, int | None]:
    """Rows of each panel's table for the default selection, from the release (the same
    lookups the kernel does, without widgets); ``None``: the panel shows a message."""
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sofs_lib.release.load_slice", _load_slice_once)
        for spec in registry.get(dashboard.key).definition().panels:
            identity = _identity(role, voila)
            output, _meta = registry.resolve_panel(dashboard.key, spec.key, {}, identity)
            out[spec.key] = None if output.message is not None else len(output.table_spec().frame)
    return out


@pytest.mark.parametrize("role", access.ROLES)
@pytest.mark.parametrize("dashboard", CHARTS, ids=[d.key for d in CHARTS])
def test_dashboard_as_each_role_headline_tables_downloads_layout_and_axe(
    voila, role_page, dashboard, role
):
    page = role_page(role)
    if dashboard.key not in {d.key for d in registry.for_role(role)}:
        pytest.skip(f"{dashboard.key} is not offered to {role}")
    text = _open_dashboard(page, voila, dashboard)
    html = _plain(page.content())
    # headline: 3-5 tiles, then one sentence per drawn panel
    tiles = page.locator(".sofs-headline .sofs-tile").count()
    assert 3 <= tiles <= 5, f"{tiles} headline tiles"
    nav = page.locator("nav[aria-label='Dashboards'] a").all_inner_texts()
    assert "← Startpagina" in nav[0] and dashboard.title in nav
    # full tables: every row of the panel's table, and download links under each
    for key, rows in _expected_rows(dashboard, role, voila).items():
        panel = page.locator(f".sofs-panel-{key}")
        if rows is None:
            continue
        shown = panel.locator("table.sofs-data tbody tr").count()
        assert shown == rows, f"{key}: {shown} of {rows} rows shown"
        hrefs = panel.locator(".sofs-downloads a").evaluate_all("as => as.map(a => a.href)")
        assert sorted(h.split("?")[0].rsplit(".", 1)[-1] for h in hrefs) == ["csv", "png", "xlsx"]
        assert all(f"/sofs/download/{dashboard.key}/{key}." in h for h in hrefs)
    # who sees what
    if role == access.ORGANISATION:
        assert voila["own"] in text  # Profiel too: the Binc children of its own organisation
        named = [o for o in voila["organisations"] if o != voila["own"] and o in html]
        assert not named, f"an organisatie user sees other organisations: {named[:5]}"
    if role == access.PUBLIC:
        named = [o for o in voila["organisations"] if o in html]
        assert not named, f"the public sees organisations by name: {named[:5]}"
    # layout: nothing wider than its box at either width; screenshots for CI
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)
        overflow = page.evaluate(OVERFLOW)
        assert not overflow, f"overflow at {width}px: {overflow[:3]}"
        _shot(page, f"{dashboard.key}_{role}_{width}")
    violations = _axe_violations(page)
    assert not violations, f"axe: {violations}"


@pytest.mark.parametrize("dashboard", FEEDBACK, ids=[d.key for d in FEEDBACK])
def test_feedback_page_shows_own_rows_to_the_organisation_and_nothing_to_others(
    voila, role_page, dashboard
):
    url = f"{voila['base']}/voila/render/{dashboard.notebook}"
    page = role_page(access.ORGANISATION)
    _first_render(page, url, ready_selector="table.sofs-feedback-table")
    _assert_no_error(page)
    rows = page.locator("table.sofs-feedback-table tbody tr").count()
    assert rows >= 1, "no rows for the own organisation"
    nav = page.locator("nav[aria-label='Dashboards'] a").all_inner_texts()
    assert "← Startpagina" in nav[0] and dashboard.title in nav
    html = _plain(page.content())
    named = [o for o in voila["organisations"] if o != voila["own"] and o in html]
    assert not named, f"an organisatie user sees other organisations: {named[:5]}"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)
        _shot(page, f"{dashboard.key}_organisatie_{width}")
    violations = _axe_violations(page)
    assert not violations, f"axe: {violations}"
    for role in (access.AGENCY, access.PUBLIC):
        other = role_page(role)
        _first_render(other, url, ready_selector=".sofs-organisation-only")
        assert other.locator("table.sofs-feedback-table").count() == 0
        shown = _plain(other.content())
        assert not [o for o in voila["organisations"] if o in shown], role


#: Installed before a page loads: every frame the kernel websocket receives, as text.
RECORD_FRAMES = """(() => {
    window.__sofsFrames = [];
    const Native = window.WebSocket;
    class Recording extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', (e) => {
                const d = e.data;
                window.__sofsFrames.push(typeof d === 'string' ? d
                    : new TextDecoder().decode(d instanceof ArrayBuffer ? d : new Uint8Array()));
            });
        }
    }
    window.WebSocket = Recording;
})();"""

#: Sent from inside the page, over the widgets' own comms, as any script there could: a
#: positive control (another control moved to its second option), then the organisation
#: control pointed at other organisations by index (beyond the options too), label and value.
CRAFT = """async (others) => {
    const wm = window.jupyterapp.widgetManager;
    const models = await Promise.all(Object.keys(wm._models).map(id => wm.get_model(id)));
    const cls = m => (m.get('_dom_classes') || []).find(c => c.startsWith('sofs-control-')) || '';
    const drops = models.filter(m => m && m.get('_model_name') === 'DropdownModel');
    const org = drops.find(m => cls(m) === 'sofs-control-organisation');
    const other = drops.find(m => cls(m) && m !== org && (m.get('_options_labels') || []).length > 1);
    const sent = [];
    const send = (m, state) => {
        m.comm.send({method: 'update', state: state, buffer_paths: []});
        sent.push(cls(m));
    };
    if (other) send(other, {index: 1});
    if (org) {
        const n = (org.get('_options_labels') || []).length;
        for (const i of [1, 2, n, n + 1, 99]) send(org, {index: i});
        for (const o of others) { send(org, {label: o}); send(org, {value: o}); }
    }
    return {sent: sent, control: other ? cls(other) : null, organisation: !!org};
}"""


def test_a_crafted_widget_message_from_the_page_cannot_switch_the_organisation(voila, role_page):
    """Signed in as an organisation, a script in the page tells the widgets' kernel to show
    other organisations; the kernel moves an ordinary control but sends nothing of another
    organisation, and the page shows none."""
    page = role_page(access.ORGANISATION)
    page.add_init_script(RECORD_FRAMES)
    dashboard = next(d for d in serve.DASHBOARDS if d.key == "modelgetrouwheid")
    _open_dashboard(page, voila, dashboard)
    others = [o for o in voila["organisations"] if o != voila["own"]]
    before = page.inner_text(".sofs-status")
    crafted: dict = {}
    _settle(page, lambda: crafted.update(page.evaluate(CRAFT, others[:3])))
    print(f"crafted from the page: {crafted}")
    assert crafted["control"] and crafted["sent"].count(crafted["control"]) == 1
    assert crafted["organisation"], "no organisation control to point elsewhere"
    assert page.evaluate("() => window.__sofsFrames.length") > 0, "no kernel frames recorded"
    assert page.inner_text(".sofs-status") != before, "the positive control moved nothing"
    _assert_no_error(page)
    frames = page.evaluate("() => window.__sofsFrames.join('\\n')")
    shown = _plain(page.inner_text("body"))
    for other in others:
        escaped = json.dumps(other)[1:-1]
        assert other not in shown and escaped not in frames and other not in frames, other
    assert voila["own"] in shown


def test_controls_work_from_the_keyboard(voila, role_page):
    page = role_page("agentschap")
    dashboard = next(d for d in serve.DASHBOARDS if d.key == "plan_b")
    _open_dashboard(page, voila, dashboard)
    before = page.inner_text(".sofs-status")
    select = page.locator(".sofs-control-status select")
    select.focus()
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT"
    _settle(page, lambda: page.keyboard.press("ArrowDown"))
    assert page.inner_text(".sofs-status") != before
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT"


def test_speed_report(capsys):
    """Print (never assert) the speed numbers; also saved in artifacts/speed.json."""
    if "leeg" not in SPEED or len(SPEED) < 2:
        pytest.skip("no speed measurements in this run")
    base = SPEED["leeg"]["first_render_s"]
    lines = [
        "",
        f"Speed, signed in (empty notebook served the same way: first render {base:.2f} s)",
        f"{'dashboard':<18}{'first render':>14}{'× empty':>9}{'settle median':>15}  changes",
    ]
    for key, m in SPEED.items():
        if key == "leeg":
            continue
        lines.append(
            f"{key:<18}{m['first_render_s']:>12.2f} s{m['first_render_s'] / base:>9.2f}"
            f"{m['change_median_s'] * 1000:>12.0f} ms  "
            + ", ".join(f"{c * 1000:.0f}" for c in m["change_s"])
        )
    lines.append("targets: first render ≤ 1.5 × empty; change settled ≤ 300 ms median "
                 "(from the control's change event to the page's last DOM change)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "speed.json").write_text(json.dumps(SPEED, indent=2))
    with capsys.disabled():
        print("\n".join(lines))
