"""The confidentiality guard: committed notebook outputs must come from the synthetic set."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from sofs_lib import config, provenance
from sofs_lib.notebook_run import inject_parameters, normalise, run_notebook
from sofs_lib.synth import sha256_of

COMMITTED = sorted(config.NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))


def _synthetic_folder(tmp_path: Path) -> tuple[Path, dict]:
    """A folder with one export listed in a synthetic manifest, as ``sofs synth`` writes."""
    export = tmp_path / "dashboard_export.xlsx"
    export.write_bytes(b"synthetic bytes")
    manifest = {"generator": "sofs_lib.synth", "files": {export.name: sha256_of(export)}}
    (tmp_path / "MANIFEST.json").write_text(json.dumps(manifest))
    return export, manifest


def _notebook(stamp: provenance.Stamp | None, *, with_metadata: bool = True):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="370\n")]
    if stamp is not None:
        bundle = stamp._repr_mimebundle_()
        cell.outputs.append(nbformat.v4.new_output("display_data", data=bundle))
    nb.cells = [cell]
    if with_metadata:
        nb.metadata[provenance.METADATA_KEY] = provenance.metadata_stamp(nb)
    return nb


def test_file_listed_in_synthetic_manifest_is_stamped_synthetic(tmp_path):
    export, _ = _synthetic_folder(tmp_path)
    stamp = provenance.stamp(export)
    assert stamp.synthetic
    assert stamp.text().startswith("Bron: synthetische gegevens")
    record = stamp.to_json()["inputs"][0]
    assert record == {
        "role": "dashboard",
        "file": "dashboard_export.xlsx",
        "sha256": sha256_of(export),
        "provenance": "synthetic",
    }
    assert str(tmp_path) not in json.dumps(stamp._repr_mimebundle_())


def test_edited_synthetic_file_is_stamped_real(tmp_path):
    export, _ = _synthetic_folder(tmp_path)
    export.write_bytes(b"somebody's real export")
    stamp = provenance.stamp(export)
    assert not stamp.synthetic
    assert "ECHTE" in stamp.text()


def test_stamp_reads_source_of_loaded_frame(tmp_path):
    export, _ = _synthetic_folder(tmp_path)
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["source_path"] = str(export)
    assert provenance.stamp(frame).inputs[0].provenance == "synthetic"


def test_stamp_refuses_frame_of_unknown_origin():
    with pytest.raises(ValueError, match="cannot tell where"):
        provenance.stamp(pd.DataFrame({"a": [1]}))


def test_notebook_from_synthetic_inputs_passes(tmp_path):
    export, manifest = _synthetic_folder(tmp_path)
    check = provenance.check_notebook(_notebook(provenance.stamp(export)), manifest)
    assert check.ok, str(check)


def test_notebook_without_stamp_is_refused(tmp_path):
    _, manifest = _synthetic_folder(tmp_path)
    check = provenance.check_notebook(_notebook(None), manifest)
    assert not check.ok
    assert any("no provenance stamp" in r for r in check.reasons)


def test_notebook_stamped_real_is_refused(tmp_path):
    export, manifest = _synthetic_folder(tmp_path)
    export.write_bytes(b"real")
    check = provenance.check_notebook(_notebook(provenance.stamp(export)), manifest)
    assert any("'real' data" in r for r in check.reasons)


def test_hash_not_in_committed_manifest_is_refused(tmp_path):
    export, manifest = _synthetic_folder(tmp_path)
    nb = _notebook(provenance.stamp(export))
    other = dict(manifest, files={export.name: "0" * 64})
    check = provenance.check_notebook(nb, other)
    assert any("the synthetic MANIFEST has 000000000000" in r for r in check.reasons)


def test_metadata_stamp_must_exist_and_agree_with_outputs(tmp_path):
    export, manifest = _synthetic_folder(tmp_path)
    nb = _notebook(provenance.stamp(export), with_metadata=False)
    assert any("no metadata stamp" in r for r in provenance.check_notebook(nb, manifest).reasons)
    nb.metadata[provenance.METADATA_KEY] = {"synthetic": True, "inputs": []}
    reasons = provenance.check_notebook(nb, manifest).reasons
    assert any("different inputs" in r for r in reasons)


def test_absolute_path_in_outputs_is_refused(tmp_path):
    export, manifest = _synthetic_folder(tmp_path)
    nb = _notebook(provenance.stamp(export))
    nb.cells[0].outputs[0]["text"] = f"read {config.PROJECT_ROOT}/data/raw/x.xlsx\n"
    reasons = provenance.check_notebook(nb, manifest).reasons
    assert any("absolute path" in r for r in reasons)


def test_notebook_without_outputs_needs_no_stamp(tmp_path):
    _, manifest = _synthetic_folder(tmp_path)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert provenance.check_notebook(nb, manifest).ok


def test_missing_manifest_is_a_reason_not_a_crash():
    check = provenance.check_notebook(_notebook(None), {"files": {}})
    assert not check.ok and "MANIFEST" in check.reasons[0]


def test_injected_parameters_follow_the_parameters_cell():
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("data_dir = None", metadata={"tags": ["parameters"]})
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), params, nbformat.v4.new_code_cell("x")]
    inject_parameters(nb, {"data_dir": "/elders"})
    inject_parameters(nb, {"data_dir": "/elders2"})
    assert [c.metadata.get("tags", []) for c in nb.cells] == [
        [],
        ["parameters"],
        ["injected-parameters"],
        [],
    ]
    assert "data_dir = '/elders2'" in nb.cells[2].source


def test_unknown_parameter_is_refused():
    from sofs_lib.errors import SofsInputError

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("data_dir = None", metadata={"tags": ["parameters"]})]
    with pytest.raises(SofsInputError, match="data_dri"):
        inject_parameters(nb, {"data_dri": "/x"})


def test_normalise_strips_timestamps_and_versions():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "2026-01-01"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.9"}
    cell = nbformat.v4.new_code_cell("x")
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    nb.cells = [cell]
    normalise(nb)
    assert "papermill" not in nb.metadata
    assert "version" not in nb.metadata["language_info"]
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "execution" not in nb.cells[0].metadata


def test_run_refuses_to_write_unstamped_outputs_into_the_repository(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1 + 1)")])
    inside = config.NOTEBOOKS_DIR / "_tmp_unstamped_test.ipynb"
    source = tmp_path / "unstamped.ipynb"
    nbformat.write(nb, source)
    result = run_notebook(source, out_dir=inside.parent, timeout=60)
    assert not result.ok and "not written inside the repository" in result.error
    assert not inside.exists()


def test_run_refuses_real_outputs_in_the_repository_but_writes_them_elsewhere(tmp_path):
    export = tmp_path / "data" / "dashboard_export.xlsx"
    export.parent.mkdir()
    export.write_bytes(b"an export without a synthetic manifest")
    source = f"from sofs_lib import provenance\nprovenance.stamp({str(export)!r})"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    path = tmp_path / "real.ipynb"
    nbformat.write(nb, path)

    refused = run_notebook(path, out_dir=config.NOTEBOOKS_DIR, timeout=60)
    assert not refused.ok and "non-synthetic" in refused.error
    assert not (config.NOTEBOOKS_DIR / "real.ipynb").exists()

    elsewhere = run_notebook(path, out_dir=tmp_path / "out", timeout=60)
    assert elsewhere.ok, elsewhere.error
    written = nbformat.read(elsewhere.written, as_version=4)
    assert written.metadata[provenance.METADATA_KEY]["synthetic"] is False
    assert not provenance.check_notebook(elsewhere.written).ok


@pytest.mark.parametrize("path", COMMITTED, ids=[p.name for p in COMMITTED])
def test_committed_notebook_outputs_come_from_the_synthetic_set(path):
    check = provenance.check_notebook(path)
    assert check.ok, str(check)


def test_the_notebook_collection_is_committed():
    assert len(COMMITTED) >= 6, [p.name for p in COMMITTED]


def test_path_check_ignores_image_data(tmp_path):
    export, manifest = _synthetic_folder(tmp_path)
    nb = _notebook(provenance.stamp(export))
    image = nbformat.v4.new_output(
        "display_data",
        data={"image/png": f"iVBOR{config.PROJECT_ROOT}AAAA", "text/plain": "<Figure>"},
    )
    nb.cells[0].outputs.append(image)
    assert provenance.check_notebook(nb, manifest).ok


def test_normalise_merges_split_stream_chunks():
    import nbformat

    from sofs_lib.notebook_run import normalise

    cell = nbformat.v4.new_code_cell("print('x')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="Vergeleken jaren: 2021"),
        nbformat.v4.new_output("stream", name="stdout", text="\n"),
        nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
    ]
    nb = normalise(nbformat.v4.new_notebook(cells=[cell]))
    assert [o["text"] for o in nb.cells[0].outputs] == ["Vergeleken jaren: 2021\n", "warning\n"]
