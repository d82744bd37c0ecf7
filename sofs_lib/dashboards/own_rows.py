"""What the two feedback pages (Opvolglijst, Registratiekwaliteit) share: only the role
``organisatie`` gets its own rows, from its own release slice; every other role one
sentence; a failure one Dutch line (the details go to the log)."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as ipw

from sofs_lib import access
from sofs_lib.feedback import present

log = logging.getLogger(__name__)


def organisation_only() -> ipw.HTML:
    """The one sentence every role but ``organisatie`` sees."""
    from sofs_lib.dashboards.navigation import home_link

    return ipw.HTML(
        f'<p class="sofs-organisation-only">{html.escape(present.ORGANISATION_ONLY)}</p>'
        f"<p>{home_link()}</p>"
    )


def own_rows_page(
    identity: access.Identity | None,
    release_slice: Any,
    folder: Any,
    build: Callable[[Any, access.Identity], ipw.Widget],
    load_error: str,
) -> ipw.Widget:
    """``build(slice, identity)`` for the signed-in organisation's own slice (``release_slice``
    when given, else loaded from ``folder`` / the release in use); anything else refused."""
    identity = identity or access.current()
    if identity.role != access.ORGANISATION:
        return organisation_only()
    try:
        if release_slice is None:
            from sofs_lib.release import load_slice

            release_slice = load_slice(identity, folder)
        if release_slice.role != access.ORGANISATION or release_slice.organisation != identity.organisation:
            raise PermissionError("the slice does not belong to the signed-in organisation")
        return build(release_slice, identity)
    except Exception:
        log.exception("loading a feedback page failed")
        return ipw.HTML(f"<p>{html.escape(load_error)}</p>")
