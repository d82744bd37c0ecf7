"""The page templates are compiled once per server, not on every visit, and a changed
template is compiled again (``sofs_lib.server.templates``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from sofs_lib.server import templates


def _environment(folder: Path, cache: templates.MemoryBytecodeCache) -> Environment:
    env = Environment(loader=FileSystemLoader(str(folder)), enable_async=True)  # noqa: S701
    env.bytecode_cache = cache
    return env


def test_a_new_environment_reuses_the_compiled_template(tmp_path: Path, monkeypatch):
    (tmp_path / "page.j2").write_text("Hallo {{ name }}")
    cache = templates.MemoryBytecodeCache()
    assert _environment(tmp_path, cache).get_template("page.j2").render(name="a") == "Hallo a"
    assert len(cache) == 1

    compiled = []
    original = Environment._compile
    monkeypatch.setattr(
        Environment, "_compile", lambda self, *a: compiled.append(a) or original(self, *a)
    )
    page = _environment(tmp_path, cache).get_template("page.j2")
    assert compiled == []  # a second environment (a second visit) compiles nothing
    assert page.render(name="b") == "Hallo b"  # and renders its own context


def test_a_changed_template_is_compiled_again(tmp_path: Path):
    (tmp_path / "page.j2").write_text("Oud {{ name }}")
    cache = templates.MemoryBytecodeCache()
    assert _environment(tmp_path, cache).get_template("page.j2").render(name="x") == "Oud x"
    (tmp_path / "page.j2").write_text("Nieuw {{ name }}")
    assert _environment(tmp_path, cache).get_template("page.j2").render(name="x") == "Nieuw x"


def test_every_voila_page_environment_gets_the_shared_cache():
    pytest.importorskip("voila")
    from voila.exporter import VoilaExporter

    templates.share_compiled_templates()
    templates.share_compiled_templates()  # idempotent
    one, two = VoilaExporter(template_name="lab"), VoilaExporter(template_name="lab")
    assert one.environment is not two.environment
    assert one.environment.bytecode_cache is two.environment.bytecode_cache
    assert isinstance(one.environment.bytecode_cache, templates.MemoryBytecodeCache)
