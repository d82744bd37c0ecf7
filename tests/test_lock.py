"""The lock is the installation: pyproject.toml, uv.lock, environment.yml and the pinned uv
must agree, and the lock must install the same way on any machine.

Every failure names the command that repairs it (`make lock`), so whoever merges a branch
that added a dependency knows what to run.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from typing import Any

import pytest
import yaml
from conftest import uv_executable
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from sofs_lib import config

ROOT = config.PROJECT_ROOT
FIX = (
    "Run `make lock` (re-resolves only what changed, keeps every other pin, regenerates "
    "environment.yml), then commit uv.lock and environment.yml."
)
PYPI_SIMPLE = "https://pypi.org/simple"
PYPI_FILES = "https://files.pythonhosted.org/"

Key = tuple[str, tuple[str, ...], SpecifierSet, str]


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _lock() -> dict[str, Any]:
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def _project_entry(lock: dict[str, Any]) -> dict[str, Any]:
    name = canonicalize_name(_pyproject()["project"]["name"])
    for package in lock["package"]:
        if canonicalize_name(package["name"]) == name:
            return package
    raise AssertionError(f"uv.lock has no entry for the project {name!r}. {FIX}")


def _marker(text: str | None) -> str:
    return str(Marker(text)) if text else ""


def _from_pyproject() -> set[Key]:
    """Every requirement pyproject.toml declares, in the form uv.lock records it."""
    project = _pyproject()["project"]
    groups: list[tuple[str | None, list[str]]] = [(None, project.get("dependencies", []))]
    groups += list(project.get("optional-dependencies", {}).items())
    keys: set[Key] = set()
    for extra, requirements in groups:
        for text in requirements:
            req = Requirement(text)
            marker = str(req.marker) if req.marker else ""
            if extra is not None:
                own = f"({marker}) and " if marker else ""
                marker = _marker(f"{own}extra == '{extra}'")
            keys.add(
                (canonicalize_name(req.name), tuple(sorted(req.extras)), req.specifier, marker)
            )
    return keys


def _from_lock(entry: dict[str, Any]) -> set[Key]:
    return {
        (
            canonicalize_name(r["name"]),
            tuple(sorted(r.get("extras", []))),
            SpecifierSet(r.get("specifier", "")),
            _marker(r.get("marker")),
        )
        for r in entry.get("metadata", {}).get("requires-dist", [])
    }


def _show(keys: set[Key]) -> str:
    lines = []
    for name, extras, spec, marker in sorted(keys, key=lambda k: (k[0], str(k[2]), k[3])):
        extra = f"[{','.join(extras)}]" if extras else ""
        lines.append(f"  {name}{extra}{spec}" + (f" ; {marker}" if marker else ""))
    return "\n".join(lines)


def _locked_versions(lock: dict[str, Any]) -> set[tuple[str, str]]:
    """(name, version) of every package uv installs from the registry."""
    return {
        (canonicalize_name(p["name"]), p["version"])
        for p in lock["package"]
        if "registry" in p.get("source", {})
    }


def test_lock_records_exactly_the_dependencies_in_pyproject():
    declared = _from_pyproject()
    locked = _from_lock(_project_entry(_lock()))
    missing, stale = declared - locked, locked - declared
    assert not missing and not stale, (
        "pyproject.toml and uv.lock disagree.\n"
        + (f"In pyproject.toml, not in uv.lock:\n{_show(missing)}\n" if missing else "")
        + (f"In uv.lock, no longer in pyproject.toml:\n{_show(stale)}\n" if stale else "")
        + FIX
    )


def test_lock_was_made_for_the_python_pyproject_requires():
    wanted = _pyproject()["project"]["requires-python"]
    locked = _lock().get("requires-python")
    assert SpecifierSet(locked) == SpecifierSet(wanted), (
        f"pyproject.toml requires Python {wanted}, uv.lock was resolved for {locked}. {FIX}"
    )


def test_environment_yml_pins_exactly_the_locked_versions():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1, f"environment.yml needs one `pip:` list. {FIX}"
    pinned: set[tuple[str, str]] = set()
    others = []
    for line in pip_lists[0]:
        if line.strip() == "-e .":
            continue
        req = Requirement(line)
        versions = [s.version for s in req.specifier if s.operator == "=="]
        if len(versions) != 1:
            others.append(line)
            continue
        pinned.add((canonicalize_name(req.name), versions[0]))
    assert "-e ." in [line.strip() for line in pip_lists[0]], "environment.yml must end in `-e .`"
    assert not others, f"environment.yml has requirements without an exact pin: {others}. {FIX}"
    locked = _locked_versions(_lock())
    missing, extra = sorted(locked - pinned), sorted(pinned - locked)
    assert not missing and not extra, (
        "environment.yml and uv.lock disagree.\n"
        + (f"Locked, not in environment.yml: {missing}\n" if missing else "")
        + (f"In environment.yml, not locked: {extra}\n" if extra else "")
        + FIX
    )
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    wanted = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert conda == [f"python{wanted}", "pip"], (
        f"environment.yml asks conda for {conda}; only Python ({wanted}) and pip come from "
        f"conda, every package comes from the lock. {FIX}"
    )


def test_every_locked_file_comes_from_pypi_with_a_hash():
    """No machine-specific index (a local mirror, file:// URL) may end up in the lock."""
    problems = []
    for package in _lock()["package"]:
        name, source = package["name"], package.get("source", {})
        if source.get("editable") == ".":
            continue
        if source.get("registry") != PYPI_SIMPLE:
            problems.append(f"{name}: source {source}")
        files = list(package.get("wheels", []))
        if "sdist" in package:
            files.append(package["sdist"])
        if not files:
            problems.append(f"{name}: no file recorded")
        for file in files:
            if not str(file.get("url", "")).startswith(PYPI_FILES):
                problems.append(f"{name}: file {file.get('url') or file.get('path')}")
            if not re.fullmatch(r"sha256:[0-9a-f]{64}", file.get("hash", "")):
                problems.append(f"{name}: {file.get('url')} has no sha256")
    assert not problems, (
        "uv.lock must name PyPI files with hashes only (was `uv lock` pointed at another "
        "index, e.g. UV_INDEX_URL or a uv.toml?):\n  "
        + "\n  ".join(problems[:20])
        + "\nUnset it and run `make lock`."
    )


def test_uv_itself_is_pinned_with_hashes():
    text = (ROOT / "requirements-uv.txt").read_text(encoding="utf-8")
    pins = re.findall(r"^uv==(\S+)", text, flags=re.MULTILINE)
    hashes = re.findall(r"--hash=sha256:[0-9a-f]{64}", text)
    assert len(pins) == 1, "requirements-uv.txt must pin uv to one version (make upgrade)"
    assert hashes, "requirements-uv.txt must carry the hashes of uv's files (make upgrade)"
    backend = Requirement(_pyproject()["build-system"]["requires"][0])
    major, minor = pins[0].split(".")[:2]
    wanted = f"uv_build>={major}.{minor},<{major}.{int(minor) + 1}"
    assert backend.name == "uv_build" and backend.specifier.contains(pins[0]), (
        f"the pinned uv {pins[0]} builds the project in-process only when pyproject.toml's "
        f"[build-system] requires a uv_build range that holds it (now {backend}): "
        f"edit it to {wanted}"
    )


def test_uv_finds_the_lock_current():
    """uv's own check (no network): the authority behind the comparison above."""
    uv = uv_executable()
    if uv is None:
        pytest.skip("uv is not installed here (make install brings it)")
    result = subprocess.run(
        [uv, "lock", "--check", "--offline", "--no-progress"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    assert result.returncode == 0, (
        f"uv cannot confirm that uv.lock matches pyproject.toml:\n{result.stderr.strip()}\n{FIX}"
    )
