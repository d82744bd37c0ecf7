"""Errors that carry a message meant for a person, not a traceback."""

from __future__ import annotations


class SofsInputError(Exception):
    """A file or argument the project cannot use.

    The message names the problem (and, for exports, the missing columns) in plain
    words; the CLI prints it alone and exits with status 2, writing nothing.
    """
