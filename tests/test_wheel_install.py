"""A wheel built from the project, installed into a clean virtual environment, cleans both
exports and calibrates from any working directory: the reference data ships inside the
package (``sofs_lib/reference``), nothing is read from the repository around it.

The clean venv gets the wheel only; its third-party dependencies are borrowed from the
running interpreter's site-packages through a ``.pth`` path line (no network install, and
the project's own editable install there is not activated: a path line in a ``.pth``
file does not run the ``.pth`` files of the folder it adds).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import uv_executable

from sofs_lib import config

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str], Path]:
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOFS_", "PYTHON"))}
    uv = uv_executable()
    if uv:  # the installer `make` uses (a uv-made venv has no pip)
        build = [uv, "build", "--wheel", "-q", "--out-dir", str(base / "dist"),
                 str(config.PROJECT_ROOT)]  # fmt: skip
    else:
        build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                 str(base / "dist"), str(config.PROJECT_ROOT)]  # fmt: skip
    built = _run(build, base, env)
    if built.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{built.stderr[-2000:]}")
    wheel = next((base / "dist").glob("sofs_notebooks-*.whl"))
    target = base / "venv"
    venv.EnvBuilder(with_pip=False, clear=True).create(target)
    python = target / "bin" / "python"
    if uv:
        install = [uv, "pip", "install", "--python", str(python), "--no-deps", "-q", str(wheel)]
    else:
        install = [sys.executable, "-m", "pip", "--python", str(python), "install",
                   "--no-deps", "-q", str(wheel)]  # fmt: skip
    done = _run(install, base, env)
    if done.returncode != 0:
        pytest.fail(f"installing the wheel failed:\n{done.stderr[-2000:]}")
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env
    ).stdout.strip()
    (Path(site) / "zz_borrowed_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    return python, env, base


def test_the_installed_package_is_the_wheel_not_the_repository(installed):
    python, env, base = installed
    where = _run([str(python), "-c", "import sofs_lib; print(sofs_lib.__file__)"], base, env)
    assert where.returncode == 0, where.stderr
    assert str(base / "venv") in where.stdout
    assert str(config.PROJECT_ROOT) not in where.stdout


def test_the_installed_package_cleans_both_exports_and_calibrates(installed):
    python, env, base = installed
    data = base / "exports"
    steps = [
        ["synth", "--out", str(data), "--seed", "9", "--export-date", "2025-10-01"],
        ["clean", "dashboard", str(data / "dashboard_export.xlsx"), "--out", str(base / "d")],
        ["clean", "binc", str(data / "binc_export.xlsx"), "--out", str(base / "b")],
        ["calibrate", "--data", str(data)],
    ]
    for step in steps:
        run = _run([str(python), "-m", "sofs_lib", *step], base, env)
        assert run.returncode == 0, (
            f"sofs {' '.join(step)}:\n{run.stdout[-1500:]}{run.stderr[-1500:]}"
        )
        assert "Traceback" not in run.stderr
    assert (base / "d" / "dashboard.csv").stat().st_size > 0
    assert (base / "b" / "binc_children.csv").stat().st_size > 0
