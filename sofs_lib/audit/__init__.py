"""``sofs audit``: check the published figures of a report automatically.

``audit_files(paths)`` reads each text (``parse.read_document``), runs every rule of
``rules.RULES`` over it, and returns an ``AuditResult``: ``.findings`` (one row per checked
statement, English column names, the CSV) and ``.table`` (the same rows with Dutch column
names, problems first, ready to show in a notebook). ``audit_figure_table()`` runs the
same checks over ``report_figures.csv``. ``report.write_outputs`` writes ``audit.csv`` and
``audit.html``. Rules, tolerances and sources: ``docs/audit.md``.

The names below load on first use, so reading (and refusing) a file needs neither pandas
nor scipy: ``sofs audit`` on a binary file answers at once.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "CHECK_LABELS_NL": "sofs_lib.audit.core",
    "COLUMNS": "sofs_lib.audit.core",
    "LABELS_NL": "sofs_lib.audit.core",
    "VERDICTS_NL": "sofs_lib.audit.core",
    "AuditResult": "sofs_lib.audit.core",
    "audit_document": "sofs_lib.audit.core",
    "audit_files": "sofs_lib.audit.core",
    "audit_report": "sofs_lib.audit.core",
    "audit_text": "sofs_lib.audit.core",
    "audit_figure_table": "sofs_lib.audit.figures",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sofs_lib.audit' has no attribute {name!r}")
