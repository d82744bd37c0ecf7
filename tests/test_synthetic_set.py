"""The committed synthetic set is exactly what the generator writes today.

If a change to ``sofs_lib/synth`` shifts the data, this fails until ``make data`` and
``make notebooks`` are re-run and their outputs committed — so the notebooks, dashboards
and calibration never silently describe a different data set than the code produces.
"""

from __future__ import annotations

import json

from sofs_lib import config
from sofs_lib.synth import sha256_of, write_synthetic


def test_committed_synthetic_set_is_reproduced_by_the_generator(tmp_path):
    manifest = json.loads((config.SYNTHETIC_DIR / "MANIFEST.json").read_text())
    written = write_synthetic(tmp_path, seed=manifest["seed"], n_dashboard=manifest["n_dashboard"])
    fresh = {path.name: sha256_of(path) for name, path in written.items() if name != "manifest"}
    assert fresh == manifest["files"], "run `make data` and `make notebooks`, then commit both"
    for name, digest in manifest["files"].items():
        assert sha256_of(config.SYNTHETIC_DIR / name) == digest
