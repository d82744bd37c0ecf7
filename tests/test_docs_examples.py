"""The worked examples of docs/asking_a_new_question.md run, as written, on the synthetic set."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from sofs_lib.organisations import MissingOrganisationsWarning

DOC = Path(__file__).parents[1] / "docs" / "asking_a_new_question.md"
THREE_LINES = "<!-- the question in three lines -->"


def _sections() -> dict[str, list[str]]:
    """Python blocks per ``## `` section, in order."""
    sections: dict[str, list[str]] = {}
    current = "intro"
    for part in re.split(r"^(## .*)$", DOC.read_text(), flags=re.M):
        if part.startswith("## "):
            current = part[3:].strip()
            continue
        sections.setdefault(current, []).extend(re.findall(r"```python\n(.*?)```", part, re.S))
    return {name: blocks for name, blocks in sections.items() if blocks}


def _run(blocks: list[str], where: Path, monkeypatch) -> dict:
    monkeypatch.chdir(where)
    namespace: dict = {"__name__": "docs_example"}
    with warnings.catch_warnings():
        # the example's mapping file must cover every organisation (no warning to ignore)
        warnings.simplefilter("error", MissingOrganisationsWarning)
        for block in blocks:
            exec(compile(block, str(DOC), "exec"), namespace)
    return namespace


def test_the_doc_has_two_worked_examples_and_a_listing():
    names = list(_sections())
    assert sum(n.startswith("Example ") for n in names) == 2
    assert "Which indicators can I compare?" in names


def test_the_headline_question_takes_at_most_three_lines():
    text = DOC.read_text()
    block = re.search(re.escape(THREE_LINES) + r"\n```python\n(.*?)```", text, re.S).group(1)
    lines = [line for line in block.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 3
    assert "safety_plan_child" in block and "organisation_type" in block
    assert "closing_year" in block


@pytest.mark.parametrize("section", [n for n in _sections() if n.startswith("Example")])
def test_worked_example_runs(section, tmp_path, monkeypatch, capsys):
    namespace = _run(_sections()[section], tmp_path, monkeypatch)
    from sofs_lib.analysis import Comparison

    results = [v for v in namespace.values() if isinstance(v, Comparison)]
    assert results, "an example must end in a comparison"
    assert all(r.n_valid > 0 for r in results)
    printed = capsys.readouterr().out
    assert printed.strip()
    if section.startswith("Example 1"):
        assert (tmp_path / "kindversie_per_type_en_jaar.xlsx").exists()
        assert namespace["mh"].ok
        assert "χ²" in printed


def test_indicator_listing_runs():
    namespace: dict = {}
    for block in _sections()["Which indicators can I compare?"]:
        exec(compile(block, str(DOC), "exec"), namespace)
