"""Pandera schemas of the cleaned forms: ``dashboard`` (here) and ``binc``.

A cleaner validates its output against its schema as its last step; a failure means
the cleaner has a bug (the raw data can be anything, the cleaned form cannot).
"""

from sofs_lib.schemas.dashboard import (
    DASHBOARD_COLUMNS,
    CleanedSchemaError,
    dashboard_schema,
    validate_dashboard,
)

__all__ = ["DASHBOARD_COLUMNS", "CleanedSchemaError", "dashboard_schema", "validate_dashboard"]
