"""The dashboards in a real browser: Voila started as `make dashboards` does, Chromium driven
by Playwright. Also measures speed (printed, never asserted): per dashboard the time to the
first rendered figure and from a control change to the redrawn figure, beside an empty
notebook served the same way in the same run.

Without Chromium or Playwright the test is skipped with a message; with ``CI=true`` in the
environment it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from pathlib import Path

import pytest

from sofs_lib import config, serve

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
ARTIFACTS = config.PROJECT_ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
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
    """The shipped voila.json, with the baseline notebook preheated too: same serving."""
    folder = tmp / "voila_config"
    folder.mkdir()
    cfg = json.loads(serve.VOILA_CONFIG.read_text())
    pools = cfg["VoilaKernelManager"]["kernel_pools_config"]
    pools[serve.BASELINE_NOTEBOOK] = {"pool_size": 1}
    cfg["VoilaKernelManager"]["preheat_denylist"] = []
    # Each page is opened once: no pool refill, whose notebook execution would compete
    # for the CPU with the page being timed (and make the test slow).
    cfg["VoilaKernelManager"]["fill_delay"] = 3600
    (folder / "voila.json").write_text(json.dumps(cfg, indent=2))
    return folder


def _wait_for_pools(log: Path, proc, notebooks: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if all(f"Kernel pool of {nb} is filled" in text for nb in notebooks):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"Voila stopped:\n{text[-3000:]}")
        time.sleep(0.5)
    raise TimeoutError(f"kernel pools not filled within {timeout:.0f} s")


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


def _wait_until_idle(pid: int, timeout: float, quiet: float = 0.15) -> None:
    """A "filled" pool only means its kernel started: wait until the preheated notebooks
    have finished executing (the server uses less than ``quiet`` CPU-s per second)."""
    deadline = time.monotonic() + timeout
    calm = 0
    last = _cpu_seconds(pid)
    while time.monotonic() < deadline and calm < 2:
        time.sleep(1.0)
        now = _cpu_seconds(pid)
        calm = calm + 1 if now - last < quiet else 0
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
        serve.wait_until_ready(base + "/", proc, timeout=READY_TIMEOUT_S)
        notebooks = [d.notebook for d in serve.DASHBOARDS] + [serve.BASELINE_NOTEBOOK]
        _wait_for_pools(log, proc, notebooks, READY_TIMEOUT_S)
        _wait_until_idle(proc.pid, READY_TIMEOUT_S)
        yield {"base": base, "pid": proc.pid}
    finally:
        serve.stop_server(proc)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(log, ARTIFACTS / "voila.log")
    assert proc.poll() is not None, "Voila was not terminated"


@pytest.fixture()
def page(playwright_browser):
    context = playwright_browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _panel_state(page) -> list[tuple[str, str]]:
    """(figure src or message, table html) of every panel, in order."""
    return page.eval_on_selector_all(
        ".sofs-panel",
        """els => els.map(p => {
            const img = p.querySelector('img.sofs-figure, .sofs-figure img');
            const msg = p.querySelector('.sofs-message');
            const shown = img && img.offsetParent !== null ? img.src : (msg ? msg.innerText : '');
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
    return shown(p.querySelector('img.sofs-figure')) || shown(p.querySelector('.sofs-message'));
}"""


def _first_render(page, url: str, ready_selector: str | None = None) -> float:
    """Seconds from navigation until the first panel (or ``ready_selector``) is visible."""
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


def test_landing_page_lists_the_five_dashboards_in_dutch(voila, page):
    page.goto(voila["base"] + "/", wait_until="domcontentloaded")
    page.wait_for_selector("#sofs-landing", timeout=RENDER_TIMEOUT_MS)
    titles = page.locator(".sofs-dashboards .sofs-title").all_inner_texts()
    assert titles == [d.title for d in serve.DASHBOARDS]
    assert serve.BASELINE_NOTEBOOK not in page.content()
    assert "Contextbegeleiding Signs of Safety" in page.inner_text("h1")
    _shot(page, "00_startpagina")


def test_empty_baseline_notebook(voila, page):
    seconds = _first_render(
        page, f"{voila['base']}/voila/render/{serve.BASELINE_NOTEBOOK}", "text=Lege pagina"
    )
    SPEED["leeg"] = {"first_render_s": seconds}


def _options(page, control: str) -> list[str]:
    return page.eval_on_selector_all(
        f".sofs-control-{control} select option", "os => os.map(o => o.textContent)"
    )


def _change_and_time(page, control: str, label: str) -> float:
    """Select ``label``; seconds until the first figure is redrawn. Then waits for all."""
    before = _panel_state(page)
    started = time.perf_counter()
    page.select_option(f".sofs-control-{control} select", label=label)
    page.wait_for_function(
        """old => {
            const p = document.querySelector('.sofs-panel');
            const img = p.querySelector('img.sofs-figure, .sofs-figure img');
            const msg = p.querySelector('.sofs-message');
            const shown = img && img.offsetParent !== null ? img.src : (msg ? msg.innerText : '');
            return shown !== old;
        }""",
        arg=before[0][0],
        timeout=CHANGE_TIMEOUT_MS,
    )
    seconds = time.perf_counter() - started
    # every panel redrawn: the last one changes last
    page.wait_for_function(
        """old => {
            const ps = document.querySelectorAll('.sofs-panel');
            const p = ps[ps.length - 1];
            const img = p.querySelector('img.sofs-figure, .sofs-figure img');
            const msg = p.querySelector('.sofs-message');
            const shown = img && img.offsetParent !== null ? img.src : (msg ? msg.innerText : '');
            return shown !== old;
        }""",
        arg=before[-1][0],
        timeout=CHANGE_TIMEOUT_MS,
    )
    return seconds


@pytest.mark.parametrize("dashboard", serve.DASHBOARDS, ids=[d.key for d in serve.DASHBOARDS])
def test_dashboard_renders_and_follows_its_controls(voila, page, dashboard):
    url = f"{voila['base']}/voila/render/{dashboard.notebook}"
    first = _first_render(page, url)
    n_panels = page.locator(".sofs-panel").count()
    assert n_panels >= 3
    page.wait_for_function(
        "n => document.querySelectorAll('.sofs-panel .sofs-figure').length >= n",
        arg=n_panels,
        timeout=RENDER_TIMEOUT_MS,
    )
    _assert_no_error(page)
    hidden = page.eval_on_selector_all(
        ".sofs-panel img.sofs-figure", "els => els.filter(e => e.offsetParent === null).length"
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


def test_speed_report(capsys):
    """Print (never assert) the speed numbers; also saved in artifacts/speed.json."""
    if "leeg" not in SPEED or len(SPEED) < 2:
        pytest.skip("no speed measurements in this run")
    base = SPEED["leeg"]["first_render_s"]
    lines = [
        "",
        f"Speed (empty notebook served the same way: first render {base:.2f} s)",
        f"{'dashboard':<18}{'first render':>14}{'× empty':>9}{'change median':>15}  changes",
    ]
    for key, m in SPEED.items():
        if key == "leeg":
            continue
        lines.append(
            f"{key:<18}{m['first_render_s']:>12.2f} s{m['first_render_s'] / base:>9.2f}"
            f"{m['change_median_s'] * 1000:>12.0f} ms  "
            + ", ".join(f"{c * 1000:.0f}" for c in m["change_s"])
        )
    lines.append("targets: first render ≤ 1.5 × empty; change redrawn ≤ 300 ms median")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "speed.json").write_text(json.dumps(SPEED, indent=2))
    with capsys.disabled():
        print("\n".join(lines))
