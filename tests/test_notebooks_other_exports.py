"""Every research notebook runs on an export that is not the committed set, and tells the
truth about it: a cumulative export over several closing years that ends in a later
period, with new organisation names (accents, apostrophes, ``&``), without a manifest (as
a real export arrives), pointed at with the README's variables (``SOFS_DATA_DIR``,
``SOFS_EXPORT_DATE``, ``SOFS_BINC_EXPORT_DATE``). One export carries every difference: each
run of the seven notebooks costs about a minute and a half of the suite."""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from sofs_lib import config
from sofs_lib import indicators as ind
from sofs_lib.datasets import load_dashboard_result
from sofs_lib.notebook_run import run_notebook
from sofs_lib.synth import MANIFEST_NAME

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
PCT = re.compile(r"\d+(?:\.\d{3})*,\d%")


@pytest.fixture(scope="module")
def executed(tmp_path_factory, generated_export):
    """The notebooks executed on the cumulative export with new names: (notebooks by name,
    errors by name, cleaned frame)."""
    base = tmp_path_factory.mktemp("cumulative")
    real = base / "export"
    real.mkdir()
    # No manifest: a real export. The kerndataset workbook and survey export come along, as
    # an organisation's filled registrations would.
    for path in generated_export("cumulative").iterdir():
        if path.is_file() and path.name != MANIFEST_NAME:
            shutil.copy(path, real / path.name)
    out = base / "executed"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOFS_DATA_DIR", str(real))
        mp.setenv("SOFS_EXPORT_DATE", "2025-10-01")
        mp.setenv("SOFS_BINC_EXPORT_DATE", "2025-06-02")
        for var in ("SOFS_DASHBOARD_EXPORT", "SOFS_BINC_EXPORT"):
            mp.delenv(var, raising=False)
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda nb: run_notebook(nb, out_dir=out), NOTEBOOKS))
        data = load_dashboard_result(config.dashboard_export_path(real)).data
    errors = {r.source.name: r.error for r in results if not r.ok}
    notebooks = {r.source.name: nbformat.read(r.written, as_version=4) for r in results if r.ok}
    return notebooks, errors, ind.add_derived(data)


def _outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(output: dict, kinds=("text/plain", "text/html")) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return " ".join(str(data[k]) for k in kinds if k in data)


def test_every_notebook_runs_without_error(executed):
    notebooks, errors, _ = executed
    assert not errors, errors
    assert sorted(notebooks) == [nb.name for nb in NOTEBOOKS]


def test_trends_show_every_closing_year_of_the_export(executed):
    notebooks, _, data = executed
    years = sorted(int(y) for y in data.loc[data["status"] == "closed", "closing_year"].unique())
    outputs = _outputs(notebooks["04_evolutie.ipynb"])
    compared = next(o["text"] for o in outputs if "Vergeleken jaren" in o.get("text", ""))
    assert f"Vergeleken jaren: {', '.join(map(str, years))};" in compared
    assert "buiten die jaren: 0" in compared
    tables = " ".join(_text(o, ("text/html",)) for o in outputs)
    assert all(str(year) in tables for year in years)


def test_no_generated_sentence_disagrees_with_the_tables_beside_it(executed):
    notebooks, _, _ = executed
    for name, nb in notebooks.items():
        outputs = _outputs(nb)
        sentences = [
            o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})
        ]
        tables = " ".join(_text(o) for o in outputs if "text/markdown" not in o.get("data", {}))
        quoted = [p for s in sentences for p in PCT.findall(s)]
        missing = sorted({p for p in quoted if p not in tables})
        assert not missing, f"{name}: sentences quote {missing}, which no table shows"


def test_no_output_calls_a_real_export_synthetic_or_judges_it(executed):
    notebooks, _, _ = executed
    for name, nb in notebooks.items():
        text = " ".join(
            _text(o, ("text/plain", "text/html", "text/markdown")) for o in _outputs(nb)
        )
        assert "De synthetische set" not in text, name
        assert "synthetisch)" not in text, name
        assert " MIS" not in text, name


def test_new_organisation_names_reach_the_outputs_unmangled(executed):
    notebooks, _, data = executed
    names = set(data["organisation"])
    assert any(not name.isascii() or "'" in name or "&" in name for name in names)
    text = " ".join(
        o.get("text", "") for nb in notebooks.values() for o in _outputs(nb)
        if o.get("output_type") == "stream"
    )
    assert any(name in text for name in names), "no organisation name in a printed line"
    assert "Ã" not in text and "\ufffd" not in text  # UTF-8 read as Latin-1, or lost bytes
