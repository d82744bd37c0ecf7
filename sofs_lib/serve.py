"""Serve the Voila dashboards for stakeholders: ``make dashboards``.

``python -m sofs_lib.serve --port 8866 --ip 127.0.0.1`` starts the dashboard server
(:mod:`sofs_lib.server`: Voila with sign-in and roles) on the ``dashboards/`` folder with the
configuration shipped there (``dashboards/voila.json``: sources stripped, no tracebacks,
kernels bound to the signed-in user, capped and culled after minutes, a pool of pre-imported
kernels per dashboard) and the project's own
template (``dashboards/share/voila/templates/sofs``: the Dutch landing and login pages).
Only that configuration is read: a personal ``~/.jupyter/voila.json`` cannot change what
stakeholders see. Voila listens on localhost unless ``--ip`` says otherwise.

Who may sign in: the users file named by ``SOFS_USERS_FILE`` (``sofs users add``). Without one
the server starts only on synthetic exports, as a demonstration with one account per role
(:data:`sofs_lib.server.users.DEMO_ACCOUNTS`); on other data it refuses to start.

The browser test starts the same server through :func:`start_server` and
:func:`wait_until_ready`, so what is tested is what ``make dashboards`` serves.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from sofs_lib import access, config
from sofs_lib.dashboards import registry
from sofs_lib.errors import SofsInputError
from sofs_lib.server import users

DASHBOARDS_DIR = config.PROJECT_ROOT / "dashboards"
#: Voila's configuration file (read from this folder only).
VOILA_CONFIG = DASHBOARDS_DIR / "voila.json"
#: Extra Jupyter data folder holding the ``sofs`` Voila template (landing page, Dutch texts).
JUPYTER_DATA_DIR = DASHBOARDS_DIR / "share"
#: An empty notebook served the same way: the baseline of the speed measurement.
BASELINE_NOTEBOOK = "leeg.ipynb"
DEFAULT_PORT = 8866
DEFAULT_IP = "127.0.0.1"


#: The dashboards, in landing-page order: the one registry (``sofs_lib.dashboards.registry``).
Dashboard = registry.Dashboard
DASHBOARDS: tuple[Dashboard, ...] = registry.DASHBOARDS


def dashboard_paths() -> dict[str, Path]:
    """Each dashboard's notebook path by key."""
    return {d.key: DASHBOARDS_DIR / d.notebook for d in DASHBOARDS}


def voila_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment Voila runs in: the project template on ``JUPYTER_PATH``.

    Kernels inherit it, so ``SOFS_DATA_DIR`` and ``SOFS_MIN_CELL`` reach the dashboards.
    """
    env = dict(os.environ if base is None else base)
    paths = [str(JUPYTER_DATA_DIR)]
    if env.get("JUPYTER_PATH"):
        paths.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    # Figures are drawn to PNG bytes; no GUI backend may be picked up on a desktop.
    env["MPLBACKEND"] = "Agg"
    env.setdefault("PYTHONUNBUFFERED", "1")
    # Kernels inherit it: a served kernel that was never bound to a user is public.
    env[access.SERVED_ENV] = "1"
    return env


def sign_in_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """What the server needs to know about sign-in, checked before it starts.

    With ``SOFS_USERS_FILE``: the file must be readable (one plain message otherwise).
    Without: the exports must be synthetic; the demo ``organisatie`` account is then bound to
    the organisation with most trajectories, read from the data here (never a fixed name).
    Raises :class:`SofsInputError` on anything else: no sign-in, no server.
    """
    environment = dict(os.environ if base is None else base)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    try:
        path = users.users_file_path()
        if path is not None:
            users.load_users(path)
            environment.pop(users.DEMO_ORGANISATION_ENV, None)
            return environment
        if not users.data_is_synthetic():
            raise SofsInputError(users.no_users_message())
        environment[users.DEMO_ORGANISATION_ENV] = users.demo_organisation()
        return environment
    finally:
        os.environ.clear()
        os.environ.update(saved)


def voila_command(
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    *,
    root: Path = DASHBOARDS_DIR,
    config_dir: Path = DASHBOARDS_DIR,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The Voila command line: the folder, the port and address, and our config only."""
    return [
        sys.executable,
        "-m",
        "sofs_lib.server",
        str(root),
        f"--Voila.port={int(port)}",
        f"--Voila.ip={ip}",
        "--Voila.open_browser=False",
        "--Voila.port_retries=0",
        f"--Voila.config_file_paths={config_dir}",
        *extra_args,
    ]


def port_is_free(port: int, ip: str = DEFAULT_IP) -> bool:
    """True when nothing listens on ``ip:port`` yet."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError:
            return False
    return True


def free_port(ip: str = DEFAULT_IP) -> int:
    """A TCP port the operating system says is free now (for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((ip, 0))
        return int(sock.getsockname()[1])


def _check_data() -> None:
    """Raise :class:`SofsInputError` when an export the dashboards read is missing."""
    for what, path in (
        ("dashboard", config.dashboard_export_path()),
        ("Binc", config.binc_export_path()),
    ):
        if not path.exists():
            raise SofsInputError(
                f"no {what} export found at {path}. Run `make data` for the synthetic set, "
                f"or set SOFS_DATA_DIR to the folder holding your exports."
            )


def check_can_serve(port: int, ip: str) -> None:
    """Raise :class:`SofsInputError` with a plain message when serving cannot work."""
    if not 1 <= port <= 65535:
        raise SofsInputError(f"--port must be between 1 and 65535, got {port}")
    missing = [d.notebook for d in DASHBOARDS if not (DASHBOARDS_DIR / d.notebook).exists()]
    if missing:
        raise SofsInputError(
            f"dashboard notebooks missing in {DASHBOARDS_DIR}: {', '.join(missing)}"
        )
    if not VOILA_CONFIG.exists():
        raise SofsInputError(f"Voila configuration missing: {VOILA_CONFIG}")
    _check_data()
    if not port_is_free(port, ip):
        raise SofsInputError(
            f"port {port} on {ip} is already in use (is the dashboard server running already?). "
            f"Stop it, or choose another port: make dashboards VOILA_PORT=8867"
        )


def start_server(
    port: int,
    ip: str = DEFAULT_IP,
    *,
    extra_args: Sequence[str] = (),
    log_path: Path | None = None,
    config_dir: Path = DASHBOARDS_DIR,
    env: Mapping[str, str] | None = None,
    root: Path = DASHBOARDS_DIR,
    build_release: bool = True,
) -> subprocess.Popen:
    """Start Voila in the background (own process group); the caller must stop it.

    The release of the exports in use is built first when it is missing or stale
    (``build_release``), so no visitor waits for it and no kernel ever builds it.

    Output goes to ``log_path`` (or is discarded) so that a full pipe never blocks Voila.
    ``config_dir``: where ``voila.json`` is read (tests use a copy with other kernel
    limits); ``env``: environment overrides (``SOFS_DATA_DIR``,
    ``SOFS_USERS_FILE``); ``root``: the notebook folder (tests serve a probe notebook).
    Raises :class:`SofsInputError` when nobody could sign in (see :func:`sign_in_env`).
    """
    cmd = voila_command(port, ip, root=root, config_dir=config_dir, extra_args=extra_args)
    environment = voila_env()
    environment.update(env or {})
    environment = sign_in_env(environment)
    if build_release:
        ensure_release_built(environment)
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        return subprocess.Popen(
            cmd,
            cwd=root,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        if log_path:
            out.close()


def ensure_release_built(environment: Mapping[str, str]) -> None:
    """``sofs release --if-stale`` for the exports ``environment`` points at; plain error."""
    done = subprocess.run(
        [sys.executable, "-m", "sofs_lib", "release", "--if-stale"],
        env=dict(environment),
        cwd=config.PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise SofsInputError(
            "the release could not be built: " + (detail[-1] if detail else "unknown error")
        )


def wait_until_ready(url: str, proc: subprocess.Popen | None = None, timeout: float = 90.0) -> None:
    """Block until ``url`` answers HTTP 200; raise ``TimeoutError`` or ``RuntimeError``."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"Voila stopped with exit status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = exc
        time.sleep(0.25)
    raise TimeoutError(f"Voila did not answer at {url} within {timeout:.0f} s ({last})")


def stop_server(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a server from :func:`start_server` and its kernels (its process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sofs_lib.serve",
        description="Serve the Dutch Voila dashboards (landing page + five dashboards).",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8866)")
    parser.add_argument(
        "--ip",
        default=DEFAULT_IP,
        help="address to listen on (default 127.0.0.1: this computer only)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        check_can_serve(args.port, args.ip)
    except SofsInputError as exc:
        print(f"dashboards: {exc}", file=sys.stderr)
        return 2
    try:
        environment = sign_in_env(voila_env())
        ensure_release_built(environment)
    except SofsInputError as exc:
        print(f"dashboards: {exc}", file=sys.stderr)
        return 2
    host = "localhost" if args.ip in ("127.0.0.1", "localhost") else args.ip
    print(f"Dashboards op http://{host}:{args.port}/ (stoppen met Ctrl+C)", flush=True)
    if users.DEMO_ORGANISATION_ENV in environment:
        accounts = ", ".join(users.DEMO_ACCOUNTS.values())
        print(
            f"Demonstratie op synthetische gegevens: meld u aan als {accounts} "
            f"(wachtwoord {users.DEMO_PASSWORD!r}); demo-organisatie = "
            f"{environment[users.DEMO_ORGANISATION_ENV]}",
            flush=True,
        )
    cmd = voila_command(args.port, args.ip)
    if os.name == "posix":
        # Become the server: Ctrl+C and SIGTERM reach it directly, so its kernels are shut
        # down with it and nothing is left running when `make dashboards` stops.
        os.chdir(DASHBOARDS_DIR)
        os.execve(cmd[0], cmd, environment)
    try:  # pragma: no cover - other systems
        return subprocess.call(cmd, cwd=DASHBOARDS_DIR, env=environment)
    except KeyboardInterrupt:  # pragma: no cover
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
