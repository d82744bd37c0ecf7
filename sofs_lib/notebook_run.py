"""Re-execute the research notebooks in place: ``python -m sofs_lib.notebook_run NB...``.

What ``make notebooks`` runs after a change in ``sofs_lib/`` or ``data/``. Each
notebook is executed top to bottom with nbclient in a fresh ``python3`` kernel whose
working directory is ``notebooks/``, then written back with deterministic metadata
(no execution timestamps, no interpreter version, fixed kernelspec) so that a rerun
on unchanged inputs gives an unchanged file. The visible provenance stamps the
notebook displayed are collected into ``metadata["sofs_provenance"]``
(:mod:`sofs_lib.provenance`).

Confidentiality: outputs computed from anything but the synthetic set are never
written over the repository's notebooks. To run on real exports, point
``SOFS_DATA_DIR`` (or ``-p data_dir PATH``) at them and give ``--out`` a folder outside
the repository.

``-j N`` runs N notebooks at once (default 2, each in its own kernel); the
outputs do not depend on it. Parameters (``-p NAME VALUE``) are injected papermill-style: a cell tagged
``injected-parameters`` right after the cell tagged ``parameters``.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from sofs_lib import config, provenance
from sofs_lib.errors import SofsInputError

KERNEL_NAME = "python3"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
#: Notebooks executed at once by default: the project runs on small (2-core) machines.
DEFAULT_JOBS = max(1, min(2, os.cpu_count() or 1))
#: Per-cell timeout in seconds.
DEFAULT_TIMEOUT = 300
_VOLATILE_NB_METADATA = ("papermill", "widgets", "execution")
_VOLATILE_CELL_METADATA = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled")


@dataclass
class RunResult:
    """What happened to one notebook: where it was written, how long it took, its stamp."""

    source: Path
    written: Path | None
    seconds: float
    stamp: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        if not self.ok:
            return f"{self.source.name}: FAILED after {self.seconds:.1f} s: {self.error}"
        if not self.stamp.get("inputs"):
            origin = "NOT STAMPED"
        else:
            origin = "synthetic" if self.stamp.get("synthetic") else "REAL"
        return f"{self.source.name}: {self.seconds:.1f} s, inputs {origin} -> {self.written}"


def inject_parameters(nb: nbformat.NotebookNode, parameters: Mapping[str, Any]) -> None:
    """Put ``parameters`` in a cell tagged ``injected-parameters`` after the ``parameters`` cell.

    A previous injected cell is replaced. The notebook must have a ``parameters`` cell,
    and each name must be assigned there, so a misspelt name fails loudly instead of
    being ignored.
    """
    cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    index = next(
        (i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), None
    )
    if index is None:
        raise SofsInputError("the notebook has no cell tagged 'parameters'")
    declared = {
        target.id
        for node in ast.walk(ast.parse(cells[index].source))
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise SofsInputError(
            f"unknown parameter(s) {', '.join(unknown)}; the parameters cell declares "
            f"{', '.join(sorted(declared)) or 'nothing'}"
        )
    source = "# Injected parameters\n" + "".join(
        f"{name} = {value!r}\n" for name, value in parameters.items()
    )
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    injected.id = "injected-parameters"
    cells.insert(index + 1, injected)
    nb.cells = cells


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip what differs between runs and machines (timestamps, versions, widget state)."""
    for key in _VOLATILE_NB_METADATA:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for cell in nb.cells:
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = _coalesce_streams(cell.outputs)
    return nb


def _coalesce_streams(outputs: list) -> list:
    """Merge consecutive stdout/stderr chunks: how a kernel splits a print is timing."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def run_notebook(
    path: Path,
    *,
    out_dir: Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    timeout: int = DEFAULT_TIMEOUT,
) -> RunResult:
    """Execute one notebook and write it (in place, or into ``out_dir``).

    Nothing is written when a cell fails, or when the outputs were computed from
    non-synthetic data and the target is inside the repository.
    """
    path = Path(path)
    started = time.perf_counter()
    if not path.is_file():
        return RunResult(path, None, 0.0, error="no such notebook")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        return RunResult(path, None, 0.0, error=f"not a readable notebook ({exc})")
    target = (Path(out_dir) / path.name) if out_dir else path
    try:
        if parameters:
            inject_parameters(nb, parameters)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=KERNEL_NAME,
            record_timing=False,
            resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}},
        )
        client.execute()
    except SofsInputError as exc:
        return RunResult(path, None, time.perf_counter() - started, error=str(exc))
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        summary = str(exc).strip().splitlines()
        return RunResult(
            path, None, time.perf_counter() - started, error=summary[-1] if summary else "error"
        )
    seconds = time.perf_counter() - started
    stamp = provenance.metadata_stamp(nb)
    nb.metadata[provenance.METADATA_KEY] = stamp
    normalise(nb)
    if not stamp["synthetic"] and _inside(target, config.PROJECT_ROOT):
        reason = (
            "outputs carry no provenance stamp"
            if not stamp["inputs"]
            else "outputs were computed from non-synthetic data"
        )
        return RunResult(
            path,
            None,
            seconds,
            stamp,
            error=f"{reason}; not written inside the repository (use --out outside it)",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return RunResult(path, target, seconds, stamp)


def _parse_value(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sofs_lib.notebook_run",
        description="Re-execute notebooks in place with deterministic metadata and a "
        "provenance stamp.",
    )
    parser.add_argument("notebooks", nargs="+", help="notebooks to execute")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a parameter (value read as a Python literal, else as text)",
    )
    parser.add_argument("--out", default=None, help="write executed notebooks to this folder")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=DEFAULT_JOBS,
        help="notebooks executed at the same time, each in its own kernel "
        f"(default {DEFAULT_JOBS}); outputs do not depend on it",
    )
    parser.add_argument(
        "--check", action="store_true", help="only check the stored provenance stamps"
    )
    args = parser.parse_args(argv)

    if args.check:
        checks = [provenance.check_notebook(Path(p)) for p in args.notebooks]
        for check in checks:
            print(check)
        return 0 if all(c.ok for c in checks) else 1

    parameters = {name: _parse_value(value) for name, value in args.parameter}
    out_dir = Path(args.out) if args.out else None
    if parameters and out_dir is None:
        print(
            "notebook_run: parameters change what a notebook reads; give --out so the "
            "committed notebooks keep their synthetic outputs",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    paths = [Path(name) for name in args.notebooks]
    kwargs = {"out_dir": out_dir, "parameters": parameters, "timeout": args.timeout}
    if args.jobs > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(partial(run_notebook, **kwargs), paths))
    else:
        results = [run_notebook(path, **kwargs) for path in paths]
    failures = 0
    for result in results:
        print(result.line(), flush=True)
        failures += not result.ok
    print(f"{len(args.notebooks)} notebook(s) in {time.perf_counter() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
