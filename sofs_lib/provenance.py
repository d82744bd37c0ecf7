"""The confidentiality guard: which inputs a notebook's outputs were computed from.

Real registration data is confidential; only outputs computed from the committed
synthetic set may enter the repository. Two stamps make that checkable:

1. **Visible stamp** (in the outputs). Each notebook ends its set-up cell with
   ``provenance.stamp(dashboard, binc)``: a display output that says in Dutch which
   files were read and whether they are synthetic, and carries the same facts as JSON
   under the mimetype :data:`STAMP_MIME` (file *names* and SHA-256, never paths, so
   the output is the same in every clone). Whoever runs the notebook — in JupyterLab,
   papermill or ``make notebooks`` — the stamp is recomputed from the data actually read.
2. **Metadata stamp**. :mod:`sofs_lib.notebook_run` collects the visible stamps of
   an executed notebook into ``metadata["sofs_provenance"]``.

:func:`check_notebook` refuses a notebook whose outputs lack a stamp, whose stamp
says ``real``, or whose stamped hashes are not those of the committed synthetic
``MANIFEST.json``; ``tests/test_provenance.py`` runs it over every committed notebook.
Provenance itself is decided by :func:`sofs_lib.datasets.provenance` (synthetic iff the
file's hash is listed in the synthetic manifest beside it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sofs_lib import config
from sofs_lib.datasets import provenance as file_provenance
from sofs_lib.synth import MANIFEST_NAME, sha256_of

#: Mimetype of the machine-readable part of the visible stamp.
STAMP_MIME = "application/vnd.sofs.provenance+json"
#: Key of the stamp in a notebook's metadata.
METADATA_KEY = "sofs_provenance"
#: Version of the stamp layout.
STAMP_VERSION = 1


@dataclass(frozen=True, order=True)
class InputRecord:
    """One input file a notebook read: its role, file name, SHA-256 and provenance."""

    role: str  #: ``dashboard`` or ``binc``
    file: str  #: file name only (a path would differ per clone and may reveal a location)
    sha256: str
    provenance: str  #: ``synthetic`` or ``real``

    @classmethod
    def from_path(cls, role: str, path: Path) -> InputRecord:
        path = Path(path)
        return cls(role, path.name, sha256_of(path), file_provenance(path))


@dataclass
class Stamp:
    """What a notebook read; displays as a short Dutch sentence plus :data:`STAMP_MIME` JSON."""

    inputs: list[InputRecord] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return bool(self.inputs) and all(r.provenance == "synthetic" for r in self.inputs)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STAMP_VERSION,
            "synthetic": self.synthetic,
            "inputs": [asdict(r) for r in sorted(set(self.inputs))],
        }

    def text(self) -> str:
        files = ", ".join(
            f"{r.file} ({r.role}, sha256 {r.sha256[:12]}…)" for r in sorted(set(self.inputs))
        )
        if self.synthetic:
            return f"Bron: synthetische gegevens – {files}."
        return (
            f"Bron: ECHTE (vertrouwelijke) gegevens – {files}. "
            "Deze uitvoer mag niet in de repository terechtkomen."
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {"text/plain": self.text(), STAMP_MIME: self.to_json()}

    def __repr__(self) -> str:
        return self.text()


def _source_of(obj: object) -> tuple[str, Path] | None:
    """The (role, path) a loaded frame or cleaning result came from, via its attrs."""
    frames = [obj] + [getattr(obj, n, None) for n in ("data", "modules", "children")]
    for frame in frames:
        attrs = getattr(frame, "attrs", None)
        if isinstance(attrs, Mapping) and attrs.get("source_path"):
            path = Path(attrs["source_path"])
            return ("binc" if hasattr(obj, "modules") else _role(path)), path
    return None


def _role(path: Path) -> str:
    name = path.name.lower()
    if "kerndataset" in name:
        return "kerndataset"
    return "binc" if "binc" in name else "dashboard"


def stamp(*sources: object) -> Stamp:
    """The provenance stamp of the loaded frames/results (or paths) a notebook used.

    Pass what the notebook loaded (``load_dashboard()``'s frame, ``load_binc_result()``'s
    result) or file paths. Each file is hashed again here, so the stamp reflects the
    bytes actually on disk. An object without a known source raises ``ValueError``:
    a stamp that silently skipped an input would defeat its purpose.
    """
    records: list[InputRecord] = []
    for source in sources:
        if isinstance(source, str | Path):
            path = Path(source)
            records.append(InputRecord.from_path(_role(path), path))
            continue
        found = _source_of(source)
        if found is None:
            raise ValueError(
                f"cannot tell where this {type(source).__name__} was read from "
                "(no attrs['source_path']); load it with sofs_lib.datasets"
            )
        records.append(InputRecord.from_path(*found))
    return Stamp(records)


# --- reading and checking stamps in notebooks --------------------------------------


def output_stamps(nb: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every visible stamp (the :data:`STAMP_MIME` JSON) in a notebook's outputs."""
    found = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if STAMP_MIME in data:
                value = data[STAMP_MIME]
                found.append(json.loads(value) if isinstance(value, str) else dict(value))
    return found


def has_outputs(nb: Mapping[str, Any]) -> bool:
    return any(cell.get("outputs") for cell in nb.get("cells", []))


def metadata_stamp(nb: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata stamp summarising a notebook's visible stamps (for ``notebook_run``)."""
    inputs = {
        tuple(sorted(rec.items())): rec for s in output_stamps(nb) for rec in s.get("inputs", [])
    }
    records = [inputs[k] for k in sorted(inputs)]
    return {
        "version": STAMP_VERSION,
        "synthetic": bool(records) and all(r.get("provenance") == "synthetic" for r in records),
        "inputs": records,
    }


def synthetic_manifest(folder: Path | None = None) -> dict[str, Any] | None:
    """The committed synthetic ``MANIFEST.json`` (None when absent or unreadable)."""
    path = Path(folder or config.SYNTHETIC_DIR) / MANIFEST_NAME
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


@dataclass
class StampCheck:
    """Result of :func:`check_notebook`: ``ok`` and, when not, every ``reasons``."""

    name: str
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons

    def __str__(self) -> str:
        if self.ok:
            return f"{self.name}: outputs computed from the synthetic set"
        return f"{self.name}: " + "; ".join(self.reasons)


def _check_records(
    where: str, records: Iterable[Mapping[str, Any]], manifest_files: Mapping[str, str]
) -> list[str]:
    reasons = []
    for rec in records:
        name = rec.get("file", "?")
        if rec.get("provenance") != "synthetic":
            reasons.append(f"{where} says {name} is {rec.get('provenance', 'unknown')!r} data")
        expected = manifest_files.get(name)
        if expected is None:
            reasons.append(f"{where}: {name} is not listed in the synthetic MANIFEST")
        elif rec.get("sha256") != expected:
            reasons.append(
                f"{where}: {name} has sha256 {str(rec.get('sha256'))[:12]}…, "
                f"the synthetic MANIFEST has {expected[:12]}…"
            )
    return reasons


def check_notebook(
    nb_or_path: Mapping[str, Any] | str | Path, manifest: Mapping[str, Any] | None = None
) -> StampCheck:
    """Is every stored output of this notebook computed from the committed synthetic set?

    Refuses (reasons listed) when the notebook has outputs but no visible stamp, has
    no metadata stamp, when any stamp says ``real`` or names a file whose hash is not
    in the synthetic manifest, when the metadata and visible stamps disagree, or when
    an output holds an absolute path of this clone (outputs must read the same in
    every clone and never reveal where data lives).
    """
    if isinstance(nb_or_path, str | Path):
        path = Path(nb_or_path)
        name = path.name
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return StampCheck(name, [f"cannot read notebook: {exc}"])
    else:
        nb, name = nb_or_path, "notebook"
    check = StampCheck(name)
    if manifest is None:
        manifest = synthetic_manifest()
    if manifest is None or manifest.get("generator") != "sofs_lib.synth":
        check.reasons.append("no synthetic MANIFEST.json to check against (run `make data`)")
        return check
    manifest_files = manifest.get("files", {})

    if not has_outputs(nb):
        return check
    visible = output_stamps(nb)
    if not visible:
        check.reasons.append("outputs carry no provenance stamp (call provenance.stamp(...))")
    for i, s in enumerate(visible, 1):
        if not s.get("inputs"):
            check.reasons.append(f"visible stamp {i} names no inputs")
        check.reasons += _check_records(f"visible stamp {i}", s.get("inputs", []), manifest_files)

    meta = nb.get("metadata", {}).get(METADATA_KEY)
    if not meta:
        check.reasons.append(
            "no metadata stamp (execute with `make notebooks` / sofs_lib.notebook_run)"
        )
    else:
        if not meta.get("synthetic"):
            check.reasons.append("metadata stamp does not say synthetic")
        check.reasons += _check_records("metadata stamp", meta.get("inputs", []), manifest_files)
        if visible and meta.get("inputs") != metadata_stamp(nb)["inputs"]:
            check.reasons.append("metadata stamp and visible stamps name different inputs")

    root = str(config.PROJECT_ROOT)
    if any(root in text for text in _output_texts(nb)):
        check.reasons.append(f"an output contains the absolute path {root}")
    return check


def _output_texts(nb: Mapping[str, Any]) -> list[str]:
    """Every textual output (streams, text/*, JSON); images are skipped, since a short
    path could turn up in base64 by chance."""
    texts = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            if "text" in output:
                texts.append(
                    "".join(output["text"])
                    if isinstance(output["text"], list)
                    else str(output["text"])
                )
            for mime, value in (output.get("data") or {}).items():
                if mime.startswith("image/"):
                    continue
                texts.append(
                    json.dumps(value) if not isinstance(value, str | list) else "".join(value)
                )
            if "traceback" in output:
                texts.append("\n".join(output["traceback"]))
    return texts
