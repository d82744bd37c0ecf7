"""Benchmark: concurrent visitors of one dashboard, and the memory their kernels take.

Starts the dashboard server as ``make dashboards`` does (``sofs_lib.serve.start_server``, the
shipped ``dashboards/voila.json``) with a users file of ``--visitors`` distinct accounts
(role ``--role``; ``organisatie`` accounts each bound to another organisation of the data)
and the kernel pool of the measured dashboard sized for them (``--pool``, default: one per
visitor). Then, in Chromium (``/usr/bin/chromium``, Playwright), every visitor signed in
beforehand (sign-in is not timed):

1. **empty page** (``dashboards/leeg.ipynb``, served the same way): one visitor, the baseline;
2. **first visitor**: one visitor opens the dashboard alone;
3. **concurrent visitors (burst)**: all ``--visitors`` open the dashboard at the same moment;
4. **staggered visitors** (``--arrival SECONDS``, 0: skipped): another ``--visitors`` accounts
   arrive that many seconds apart and stay connected (the pools refilled before they come),
   each timed from its own navigation.

Each time is from navigation until the page *settles*: the last change to the page (a
``MutationObserver`` installed before the page loads), once the page has loaded, shows a
widget (or, for the empty page, its text) and has not changed for ``--quiet`` seconds. Before
each step the server is left to finish refilling its pools (its processes idle).

Printed: the first, second and last (``--visitors``-th) visitor of the concurrent burst, and
every staggered visitor in order of arrival, as ratios to the first visitor alone and to the
empty page (issue 11's target: a second and a tenth concurrent visitor within 2x the first
visitor's time); the CPU seconds per visitor, split into the server process, the visitors'
kernels and the other kernels (pool refills); the memory (RSS and PSS, via
psutil) of a pooled kernel, of each visitor's kernel and of the server, and the total for the
concurrent visitors; the load average before and after (the machine may
be shared). ``--no-pools`` measures the same without kernel pools, for comparison.

    .venv/bin/python benchmarks/bench_visitors.py
    .venv/bin/python benchmarks/bench_visitors.py --dashboard evolutie.ipynb --visitors 5
    .venv/bin/python benchmarks/bench_visitors.py --arrival 2 --visitors 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

from sofs_lib import access, serve
from sofs_lib.server import users

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "bench-wachtwoord-1"
TIMEOUT_S = 300

#: Installed before any page script: the time (ms since navigation) of the last DOM change.
TRACK_CHANGES = """
window.__sofsLast = performance.now();
new MutationObserver(() => { window.__sofsLast = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
#: True once the page has loaded, shows what it is for, and has been still for ``quiet`` ms.
SETTLED = """([quiet, text]) => {
    if (document.readyState !== 'complete') return false;
    const shown = text ? document.body.innerText.includes(text)
                       : document.querySelector('.jupyter-widgets, .widget-box') !== null;
    return shown && performance.now() - window.__sofsLast >= quiet;
}"""


def _organisations() -> list[str]:
    from sofs_lib.datasets import load_dashboard

    return sorted(load_dashboard()["organisation"].dropna().astype(str).unique())


def _accounts(folder: Path, role: str, n: int) -> list[str]:
    path = folder / "users.json"
    organisations = _organisations() if role == access.ORGANISATION else [None]
    names = []
    for i in range(n):
        name = f"bezoeker{i + 1:02d}"
        organisation = organisations[i % len(organisations)]
        users.add_user(path, name, role, PASSWORD, organisation)
        names.append(name)
    return names


def _config(folder: Path, dashboard: str, visitors: int, pool: int, pools: bool) -> Path:
    """The shipped voila.json with room for the visitors: a pool for the measured dashboard
    and the empty page only, and a total cap that holds every visitor's kernel, the pools and
    the single visits' kernels (one user, at most ``max_kernels_per_user``)."""
    cfg = json.loads(serve.VOILA_CONFIG.read_text())
    manager = cfg["SofsKernelManager"]
    manager.update(
        pool_size=0,
        pool_sizes={dashboard: pool, serve.BASELINE_NOTEBOOK: 1},
        max_pooled=pool + 1,
        max_kernels=max(manager.get("max_kernels", 12), visitors + pool + 4),
    )
    if not pools:  # every page starts its own kernel, as before the pools
        manager.update(pool_sizes={}, max_pooled=0)
    out = folder / "config"
    out.mkdir()
    (out / "voila.json").write_text(json.dumps(cfg, indent=2))
    return out


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _kernels(pid: int) -> dict[str, psutil.Process]:
    """The server's kernel processes by kernel id (from their connection file argument)."""
    found = {}
    for proc in _tree(pid)[1:]:
        try:
            cmdline = " ".join(proc.cmdline())
        except psutil.Error:
            continue
        match = re.search(r"kernel-([0-9a-f-]{36})\.json", cmdline)
        if match:
            found[match.group(1)] = proc
    return found


def _memory(proc: psutil.Process) -> tuple[float, float]:
    """(RSS, PSS) in MB."""
    info = proc.memory_full_info()
    return info.rss / 2**20, getattr(info, "pss", info.rss) / 2**20


def _cpu_seconds(pid: int) -> float:
    total = 0.0
    for proc in _tree(pid):
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def _cpu_split(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) so far of the server (``pid``) and each of its children."""
    out = {}
    for proc in _tree(pid):
        try:
            times = proc.cpu_times()
            out[proc.pid] = times.user + times.system
        except psutil.Error:
            continue
    return out


def _browser_cpu(server: int) -> float:
    """CPU seconds so far of this benchmark's Chromium processes (its children that are not
    the server's; processes that ended are not counted)."""
    skip = {p.pid for p in _tree(server)}
    total = 0.0
    for proc in psutil.Process().children(recursive=True):
        try:
            if proc.pid in skip or "chrom" not in proc.name().lower():
                continue
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def _cpu_report(
    label: str,
    before: dict,
    after: dict,
    server: int,
    visitors: set[int],
    n: int,
    browser: float | None = None,
):
    """Where the CPU of one phase went: the server, the visitors' kernels, the rest."""
    used = {p: after[p] - before.get(p, 0.0) for p in after}
    parts = {
        "server": used.get(server, 0.0),
        "visitor kernels": sum(v for p, v in used.items() if p in visitors),
        "other kernels (pool refills)": sum(
            v for p, v in used.items() if p != server and p not in visitors
        ),
    }
    total = sum(parts.values())
    print(
        f"CPU during {label}: {total:.1f} s = {total / n:.2f} s per visitor ("
        + ", ".join(f"{k} {v / n:.2f}" for k, v in parts.items())
        + "; independent of other load, unlike the times)"
        + ("" if browser is None else f"; Chromium besides: {browser / n:.2f} s per visitor")
    )


def _wait_until_idle(pid: int, log: Path, pooled: int, quiet: float = 0.15) -> None:
    """Until ``pooled`` kernels are ready in the pools (logged ready, not yet taken), the server and its kernels use less than
    ``quiet`` CPU-s per second, plus 0.02 per kernel (idle kernels answer heartbeats), for two
    seconds in a row."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        ready = set(re.findall(r"Pool: kernel (\S+) ready", text))
        taken = set(re.findall(r"Kernel (\S+) serves user", text))
        if len((ready - taken) & set(_kernels(pid))) >= pooled:
            break
        time.sleep(0.5)
    calm, last = 0, _cpu_seconds(pid)
    while time.monotonic() < deadline and calm < 2:
        time.sleep(1.0)
        now = _cpu_seconds(pid)
        calm = calm + 1 if now - last < quiet + 0.02 * len(_kernels(pid)) else 0
        last = now


async def _sign_in(browser, base: str, user: str):
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    await context.add_init_script(TRACK_CHANGES)
    page = await context.new_page()
    await page.goto(base + "/login", wait_until="domcontentloaded")
    await page.fill("#username", user)
    await page.fill("#password", PASSWORD)
    await page.click("#login_submit")
    await page.wait_for_load_state("domcontentloaded")
    return context, page


async def _settle_time(page, url: str, quiet_s: float, text: str | None) -> float:
    """Seconds from navigation until the last change of the settled page."""
    await page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
    await page.wait_for_function(
        SETTLED, arg=[quiet_s * 1000, text], timeout=TIMEOUT_S * 1000, polling=100
    )
    return await page.evaluate("window.__sofsLast") / 1000


async def _kernel_id(page) -> str:
    return (
        await page.evaluate(
            '() => (document.body.innerHTML.match(/"kernelId": "([0-9a-f-]{36})"/) || [])[1]'
        )
        or ""
    )


async def _staggered(signed_in, url: str, quiet_s: float, arrival: float) -> list[float]:
    """Visitor ``i`` navigates ``i * arrival`` seconds after the first and stays connected."""

    async def one(i: int, page) -> float:
        await asyncio.sleep(i * arrival)
        return await _settle_time(page, url, quiet_s, None)

    return list(await asyncio.gather(*(one(i, page) for i, (_, page) in enumerate(signed_in))))


async def _visit_alone(browser, base, user, notebook, quiet_s, text=None) -> tuple[float, str]:
    context, page = await _sign_in(browser, base, user)
    seconds = await _settle_time(page, f"{base}/voila/render/{notebook}", quiet_s, text)
    kernel = await _kernel_id(page)
    await context.close()
    return seconds, kernel


async def _phase(args, proc, base, signed_in, label: str) -> dict:
    """Open the dashboard in every signed-in page (all at once, or ``args.arrival`` apart):
    their settle times, CPU split and kernels' memory."""
    url = f"{base}/voila/render/{args.dashboard}"
    before = _cpu_split(proc.pid)
    browser_before = _browser_cpu(proc.pid)
    if label == "burst":
        times = list(
            await asyncio.gather(*(_settle_time(p, url, args.quiet, None) for _, p in signed_in))
        )
    else:
        times = await _staggered(signed_in, url, args.quiet, args.arrival)
    after = _cpu_split(proc.pid)
    browser = _browser_cpu(proc.pid) - browser_before
    page_kernels = _kernels(proc.pid)
    memory, pids = [], set()
    for _, page in signed_in:
        kid = await _kernel_id(page)
        if kid in page_kernels:
            memory.append(_memory(page_kernels[kid]))
            pids.add(page_kernels[kid].pid)
    return {
        "times": times,
        "before": before,
        "after": after,
        "pids": pids,
        "memory": memory,
        "browser": browser,
    }


def _print_times(label: str, times: list[float], first: float, empty: float, ordered: bool):
    shown = times if ordered else sorted(times)
    n = len(shown)
    print(f"{label}, settled after (s): " + ", ".join(f"{t:.2f}" for t in shown))
    if ordered:
        print(
            "  ratios to the first visitor alone, in order of arrival: "
            + ", ".join(f"{t / first:.2f}" for t in shown)
        )
    for name, index in (("first", 0), ("second", 1), (f"last ({n}th)", n - 1)):
        if index < n:
            t = shown[index]
            print(
                f"  {name:<12} {t:6.2f} s = {t / first:5.2f}x first visitor alone, "
                f"{t / empty:5.2f}x empty page   (target <= 2x first)"
            )


async def run(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="bench_visitors_"))
    phases = ["burst"] + (["staggered"] if args.arrival > 0 else [])
    solo, *names = _accounts(tmp, args.role, args.visitors * len(phases) + 1)
    config_dir = _config(
        tmp, args.dashboard, args.visitors * len(phases), args.pool, not args.no_pools
    )
    log = tmp / "voila.log"
    port = serve.free_port()
    t0 = time.perf_counter()
    proc = serve.start_server(
        port,
        log_path=log,
        config_dir=config_dir,
        env={users.USERS_FILE_ENV: str(tmp / "users.json")},
    )
    base = f"http://127.0.0.1:{port}"
    results: dict[str, dict] = {}
    try:
        serve.wait_until_ready(base + "/login", proc, timeout=TIMEOUT_S)
        pooled = 0 if args.no_pools else args.pool + 1
        _wait_until_idle(proc.pid, log, pooled)
        print(
            f"server ready, pools filled: {time.perf_counter() - t0:.1f} s "
            + (
                "(no pools: every page starts its own kernel)"
                if args.no_pools
                else f"({args.pool} pooled for {args.dashboard}, 1 for {serve.BASELINE_NOTEBOOK})"
            )
        )
        kernels = _kernels(proc.pid)
        pooled_memory = [_memory(p) for p in kernels.values()]
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            empties = []
            for _ in range(args.repeat):
                _wait_until_idle(proc.pid, log, pooled)
                browser_before = _browser_cpu(proc.pid)
                seconds, _ = await _visit_alone(
                    browser, base, solo, serve.BASELINE_NOTEBOOK, args.quiet, "Lege pagina"
                )
                empties.append(seconds)
                empty_browser = _browser_cpu(proc.pid) - browser_before
            empty = statistics.median(empties)
            firsts, solo_cpu = [], []
            for _ in range(args.repeat):
                _wait_until_idle(proc.pid, log, pooled)
                before = _cpu_split(proc.pid)
                browser_before = _browser_cpu(proc.pid)
                seconds, kid = await _visit_alone(browser, base, solo, args.dashboard, args.quiet)
                first_browser = _browser_cpu(proc.pid) - browser_before
                firsts.append(seconds)
                kernel = _kernels(proc.pid).get(kid)
                solo_cpu.append((before, _cpu_split(proc.pid), {kernel.pid} if kernel else set()))
            first = statistics.median(firsts)

            for i, label in enumerate(phases):
                group = names[i * args.visitors : (i + 1) * args.visitors]
                signed_in = [await _sign_in(browser, base, name) for name in group]
                _wait_until_idle(proc.pid, log, pooled)
                results[label] = await _phase(args, proc, base, signed_in, label)
                for context, _ in signed_in:  # their kernels stay until culled
                    await context.close()
            server_memory = _memory(psutil.Process(proc.pid))
            await browser.close()
    finally:
        serve.stop_server(proc)
    load_after = os.getloadavg()

    print(
        f"load average before {load_before[0]:.2f} / after {load_after[0]:.2f} "
        f"(1 min; {os.cpu_count()} cores)"
    )
    print(
        f"empty page ({serve.BASELINE_NOTEBOOK}): {empty:.2f} s  (runs: "
        + ", ".join(f"{t:.2f}" for t in empties)
        + ")"
    )
    print(
        f"first visitor alone ({args.dashboard}): {first:.2f} s = {first / empty:.2f}x empty "
        "(runs: " + ", ".join(f"{t:.2f}" for t in firsts) + ")"
    )
    before, after, solo_kernel = solo_cpu[-1]
    _cpu_report("the last single visit", before, after, proc.pid, solo_kernel, 1, first_browser)
    print(f"  (Chromium for the last empty page: {empty_browser:.2f} s)")
    for label in phases:
        r = results[label]
        n = len(r["times"])
        title = (
            f"{n} concurrent visitors (burst)"
            if label == "burst"
            else f"{n} staggered visitors ({args.arrival:g} s apart)"
        )
        _print_times(title, r["times"], first, empty, ordered=label != "burst")
        _cpu_report(label, r["before"], r["after"], proc.pid, r["pids"], n, r["browser"])
    if pooled_memory:
        rss = [m[0] for m in pooled_memory]
        pss = [m[1] for m in pooled_memory]
        print(
            f"memory per pooled kernel (before any visitor): RSS {statistics.median(rss):.0f} MB, "
            f"PSS {statistics.median(pss):.0f} MB (median of {len(rss)})"
        )
    visitor_memory = results["burst"]["memory"]
    if visitor_memory:
        rss = [m[0] for m in visitor_memory]
        pss = [m[1] for m in visitor_memory]
        print(
            f"memory per visitor kernel: RSS {statistics.median(rss):.0f} MB, "
            f"PSS {statistics.median(pss):.0f} MB (median of {len(rss)}; "
            f"max RSS {max(rss):.0f} MB)"
        )
        print(
            f"memory of {len(rss)} concurrent visitors' kernels: RSS {sum(rss):.0f} MB, "
            f"PSS {sum(pss):.0f} MB; per 10 visitors: PSS {sum(pss) / len(pss) * 10:.0f} MB"
        )
    print(f"server process: RSS {server_memory[0]:.0f} MB, PSS {server_memory[1]:.0f} MB")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboard", default=serve.DASHBOARDS[0].notebook)
    parser.add_argument("--visitors", type=int, default=10)
    parser.add_argument("--pool", type=int, default=None, help="pool size (default: visitors)")
    parser.add_argument("--no-pools", action="store_true", help="no kernel pools (the comparison)")
    parser.add_argument("--role", default=access.ORGANISATION, choices=access.ROLES)
    parser.add_argument("--quiet", type=float, default=1.0, help="seconds without change")
    parser.add_argument("--repeat", type=int, default=2, help="runs of the single visits")
    parser.add_argument(
        "--arrival",
        type=float,
        default=2.0,
        help="seconds between staggered visitors after the burst (0: burst only)",
    )
    args = parser.parse_args(argv)
    if args.pool is None:
        args.pool = args.visitors
    if not Path(CHROMIUM).exists():
        print(f"bench_visitors: {CHROMIUM} not found", file=sys.stderr)
        return 2
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
