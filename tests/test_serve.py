"""`make dashboards`: the Voila configuration, landing page and server start-up."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import nbformat
import pytest

from sofs_lib import serve
from sofs_lib.dashboards.registry import landing_description

TEMPLATE_DIR = serve.JUPYTER_DATA_DIR / "voila" / "templates" / "sofs"


def _voila_config() -> dict:
    return json.loads(serve.VOILA_CONFIG.read_text())


def test_landing_page_lists_exactly_the_registry_dashboards_in_dutch():
    tree = (TEMPLATE_DIR / "tree.html").read_text()
    listed = re.findall(r'\("([^"]+\.ipynb)", "([^"]+)", "([^"]+)"\)', tree)
    assert [(nb, title, desc) for nb, title, desc in listed] == [
        (d.notebook, d.title, landing_description(d)) for d in serve.DASHBOARDS
    ]
    assert [d.key for d in serve.DASHBOARDS] == [
        "modelgetrouwheid",
        "partnerschap",
        "plan_b",
        "evolutie",
        "profiel",
        "impact",
        "opvolglijst",
        "registratiekwaliteit",
    ]
    assert serve.BASELINE_NOTEBOOK not in tree


def test_dashboard_notebooks_only_call_the_library():
    for path in serve.dashboard_paths().values():
        nb = nbformat.read(path, as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert 1 <= len(code) <= 5, path.name
        for source in code:
            assert not re.search(r"^\s*(def|class|for|while|if)\b", source, re.M), path.name
            assert "sofs_lib.dashboards" in source or "import" not in source
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_every_configured_option_exists_in_installed_voila():
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration

    from sofs_lib.server.kernels import SofsKernelManager

    classes = {
        "Voila": Voila,
        "VoilaConfiguration": VoilaConfiguration,
        "SofsKernelManager": SofsKernelManager,
    }
    config = _voila_config()
    assert set(config) <= set(classes)
    for section, options in config.items():
        traits = classes[section].class_traits(config=True)
        unknown = sorted(set(options) - set(traits))
        assert not unknown, f"{section} has no option(s) {unknown}"


def test_config_is_safe_for_stakeholders():
    config = _voila_config()
    voila = config["VoilaConfiguration"]
    assert voila["strip_sources"] is True
    assert voila["show_tracebacks"] is False
    assert voila["template"] == "sofs"
    assert config["Voila"]["ip"] == "127.0.0.1"
    # Sign-in and the kernel hardening are the project's classes, not Voila's defaults.
    assert config["Voila"]["identity_provider_class"] == "sofs_lib.server.auth.SofsIdentityProvider"
    assert config["Voila"]["authorizer_class"] == "sofs_lib.server.auth.SofsAuthorizer"
    assert config["Voila"]["kernel_websocket_connection_class"].startswith("sofs_lib.server.")
    assert voila["multi_kernel_manager_class"] == "sofs_lib.server.kernels.SofsKernelManager"
    # Kernels are bound to the user at sign-in: none may be preheated for nobody.
    assert voila["preheat_kernel"] is False


def test_idle_kernels_are_culled_after_minutes_and_capped():
    kernels = _voila_config()["SofsKernelManager"]
    assert 0 < kernels["cull_idle_timeout"] <= 15 * 60
    assert 0 < kernels["cull_interval"] <= kernels["cull_idle_timeout"]
    assert kernels["cull_connected"] is True
    assert 1 <= kernels["max_kernels_per_user"] <= kernels["max_kernels"]


def test_command_reads_only_the_project_config_and_listens_where_told():
    cmd = serve.voila_command(9001, "0.0.0.0")
    assert cmd[1:3] == ["-m", "sofs_lib.server"]
    assert "--Voila.port=9001" in cmd
    assert "--Voila.ip=0.0.0.0" in cmd
    assert f"--Voila.config_file_paths={serve.DASHBOARDS_DIR}" in cmd
    assert serve.build_parser().parse_args([]).ip == "127.0.0.1"


def test_environment_puts_the_project_template_first():
    env = serve.voila_env({"JUPYTER_PATH": "/elsewhere", "PATH": "/bin"})
    assert env["JUPYTER_PATH"].split(":") == [str(serve.JUPYTER_DATA_DIR), "/elsewhere"]
    assert env["MPLBACKEND"] == "Agg"
    assert env["SOFS_SERVED"] == "1"  # kernels inherit it: unbound ones are public


def test_port_in_use_gives_one_plain_message(capsys, monkeypatch):
    monkeypatch.setattr(serve, "_check_data", lambda: None)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert serve.main(["--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert "already in use" in err and "Traceback" not in err


def test_missing_exports_give_one_plain_message(capsys, monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SOFS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOFS_DASHBOARD_EXPORT", raising=False)
    assert serve.main(["--port", str(serve.free_port())]) == 2
    err = capsys.readouterr().err
    assert "make data" in err and "Traceback" not in err


@pytest.mark.slow
def test_served_landing_page_is_dutch_after_sign_in_and_notebooks_are_not_downloadable(
    tmp_path: Path,
):
    from server_client import Client

    from sofs_lib.server import users

    port = serve.free_port()
    proc = serve.start_server(port, log_path=tmp_path / "voila.log")
    base = f"http://127.0.0.1:{port}"
    try:
        serve.wait_until_ready(base + "/login", proc, timeout=60)
        client = Client(base)
        assert "Meld u aan" in client.request("/").body  # anonymous: the login page
        client.login(users.DEMO_ACCOUNTS["publiek"], users.DEMO_PASSWORD)
        landing = client.request("/").body
        for d in serve.DASHBOARDS:
            assert f"voila/render/{d.notebook}" in landing
            assert d.title in landing
        assert "Contextbegeleiding Signs of Safety" in landing
        missing = client.request("/voila/render/bestaat_niet.ipynb")
        assert missing.status == 404
        assert "Deze pagina bestaat niet" in missing.body
        source = client.request("/voila/files/modelgetrouwheid.ipynb")
        assert source.status in (403, 404)
    finally:
        serve.stop_server(proc)
    assert proc.poll() is not None


def test_dashboard_pages_have_dutch_titles():
    for d in serve.DASHBOARDS:
        nb = nbformat.read(serve.DASHBOARDS_DIR / d.notebook, as_version=4)
        assert nb.metadata["title"] == f"{d.title} — Signs of Safety"
