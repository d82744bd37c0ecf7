"""How long a visitor waits for a download: rendering alone and through the server's handler.

A table and a figure the size of the biggest panel (11 steps × own organisation, Flanders and
the other organisations) are rendered as CSV, XLSX and 200 dpi PNG. Baselines measured in
the same run: the table as shown on screen (``TableSpec.display``) for rendering, and a
refused request (403, no rendering) for the handler's round trip. Prints medians and ratios;
asserts nothing.

    python benchmarks/bench_downloads.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sofs_lib import access, downloads  # noqa: E402
from sofs_lib.dashboards.spec import ChartSpec, DownloadMeta, TableSpec  # noqa: E402

ITEMS = [f"Stap {i}" for i in range(1, 12)]
GROUPS = (("Uw organisatie", "own"), ("Vlaanderen", "flanders"), ("Andere organisaties", "others"))


def panel() -> tuple[TableSpec, ChartSpec, DownloadMeta]:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"Stap": ITEMS})
    formats = {"Stap": "text"}
    for group, _ in GROUPS:
        frame[group] = rng.uniform(0.3, 1.0, len(ITEMS))
        frame[f"n {group}"] = rng.integers(3, 400, len(ITEMS)).astype(float)
        formats[group], formats[f"n {group}"] = "pct", "int"
    hidden = frame.map(lambda _v: False)
    hidden.iloc[2, 1] = hidden.iloc[2, 2] = True
    table = TableSpec(frame, hidden, formats)
    rows = [
        {"item": item, "group": g, "role": r, "value": frame.loc[i, g], "n": 40,
         "hidden": i == 2 and r == "own"}
        for i, item in enumerate(ITEMS)
        for g, r in GROUPS
    ]
    chart = ChartSpec("bars", "Gezette stappen", pd.DataFrame(rows))
    meta = DownloadMeta("modelgetrouwheid", "Modelgetrouwheid", "stappen", "Gezette stappen",
                        "Uw organisatie, afgesloten in 2030", "n = 240 trajecten",
                        "benchmark", date(2031, 1, 1), organisation="Uw organisatie")
    return table, chart, meta


def median_seconds(fn, repeat: int) -> float:
    fn()  # warm-up (fonts, imports)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def handler_times(repeat: int, table, chart, meta) -> dict[str, float]:
    from tornado import web
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError
    from tornado.httpserver import HTTPServer
    from tornado.testing import bind_unused_port

    from sofs_lib.server import auth, users
    from sofs_lib.server import downloads as handler_mod

    folder = Path(tempfile.mkdtemp(prefix="bench-dl-"))
    users.add_user(folder / "users.json", "bert", access.AGENCY, "benchmark-1")
    users.add_user(folder / "users.json", "piet", access.PUBLIC, "benchmark-1")
    os.environ[users.USERS_FILE_ENV] = str(folder / "users.json")

    class Output:
        pass

    output = Output()
    output.table, output.chart = table, chart
    handler_mod.set_resolver(lambda *_args: (output, meta))
    provider = auth.SofsIdentityProvider()
    secret = os.urandom(32)
    settings = {"base_url": "/", "cookie_secret": secret, "identity_provider": provider,
                "authorizer": auth.SofsAuthorizer(identity_provider=provider),
                "login_url": "/login", "allow_remote_access": False,
                "local_hostnames": ["localhost"]}
    sock, port = bind_unused_port()
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        HTTPServer(web.Application(handler_mod.handlers("/"), **settings)).add_sockets([sock])
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    name = provider.get_cookie_name(None)

    def cookie(user: str) -> str:
        value = web.create_signed_value(secret, name, json.dumps({"u": user, "t": int(time.time())}))
        return f"{name}={value.decode()}"

    def fetch(path: str, user: str) -> None:
        async def go():
            with contextlib.suppress(HTTPClientError):  # the 403 baseline
                await AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}{path}",
                                              headers={"Cookie": cookie(user)})

        asyncio.run(go())

    base = "/sofs/download/modelgetrouwheid/stappen"
    out = {
        "refused (403)": median_seconds(lambda: fetch(f"{base}.xlsx?organisation=X", "piet"), repeat),
        "csv": median_seconds(lambda: fetch(f"{base}.csv", "bert"), repeat),
        "xlsx": median_seconds(lambda: fetch(f"{base}.xlsx", "bert"), repeat),
        "png": median_seconds(lambda: fetch(f"{base}.png", "bert"), repeat),
    }
    loop.call_soon_threadsafe(loop.stop)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    table, chart, meta = panel()
    base = median_seconds(table.display, args.repeat)
    print(f"rendering (median of {args.repeat}); baseline: table as shown on screen "
          f"{base * 1000:.1f} ms")
    for label, fn in (
        ("csv", lambda: downloads.csv_bytes(table, meta)),
        ("xlsx", lambda: downloads.xlsx_bytes(table, meta, chart)),
        ("png 200 dpi", lambda: downloads.png_bytes(chart, meta)),
    ):
        t = median_seconds(fn, args.repeat)
        print(f"  {label:<12} {t * 1000:8.1f} ms   {t / base:8.1f}× baseline")
    times = handler_times(args.repeat, table, chart, meta)
    ref = times.pop("refused (403)")
    print(f"through the handler; baseline: a refused request {ref * 1000:.1f} ms")
    for label, t in times.items():
        print(f"  {label:<12} {t * 1000:8.1f} ms   {t / ref:8.1f}× baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
