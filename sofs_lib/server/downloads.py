"""The download of one dashboard panel, rendered by the server for the signed-in visitor.

``GET <base_url>sofs/download/<dashboard>/<panel>.<fmt>?<selection fields>`` (the link
:func:`sofs_lib.dashboards.spec.download_url` builds) answers with the panel's table as XLSX
or CSV, or its figure as a print-resolution PNG (:mod:`sofs_lib.downloads`).

Who may download what is decided here and by the resolver, never by the link:

- the visitor is the one jupyter_server's identity provider signed in
  (:mod:`sofs_lib.server.auth`); an anonymous visitor is sent to the login page, a
  request the authorizer refuses gets 403;
- the identity (role, organisation) comes from the users file, so a link copied to another
  account shows that account's own view or nothing;
- a selection naming an organisation the role may not see is refused with 403 before
  anything is looked up; the resolver reads only that identity's release slice and refuses
  anything else (``PermissionError``);
- an unknown dashboard, panel, format or selection is 404; every refusal is one plain Dutch
  sentence, never a traceback.

The resolver — ``resolve_panel(dashboard, panel, selection, identity) -> (PanelOutput,
DownloadMeta)`` — is :func:`sofs_lib.dashboards.registry.resolve_panel` unless
:func:`set_resolver` installed another (tests). The output's ``table`` (a ``TableSpec``)
and ``chart`` (a ``ChartSpec``) are what the files are made of.

Lookup and rendering run in a worker thread (drawing a 200 dpi PNG takes a moment), so the
server keeps answering everyone else; at most :data:`MAX_PENDING` downloads wait at a time
(:data:`MAX_PENDING_PER_USER` of one user).
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from tornado.ioloop import IOLoop

from sofs_lib import access
from sofs_lib.dashboards.spec import DOWNLOAD_FORMATS, ChartSpec, DownloadMeta, TableSpec
from sofs_lib.errors import SofsInputError

#: The route below the server's base URL.
DOWNLOAD_ROUTE = r"/sofs/download/([^/]+)/([^/]+)"
#: The authorizer's resource name of downloads.
RESOURCE = "downloads"
#: Downloads waiting for the worker at once, in total and per user; more get 503 (one
#: visitor cannot queue the server full).
MAX_PENDING = 8
MAX_PENDING_PER_USER = 2
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MAX_FIELDS = 12
_MAX_VALUE = 200
#: Selection values that mean "no organisation" (Flanders / every organisation together).
ALL_VALUES = frozenset({"", "__alle__", "alle", "vlaanderen"})

#: What a refused or failed download says, in plain Dutch.
MESSAGES: dict[str, str] = {
    "onbekend": "Deze download bestaat niet: onbekend dashboard, onderdeel of bestandsformaat.",
    "selectie": "Deze selectie wordt op dit dashboard niet aangeboden.",
    "bestaat_niet": (
        "Deze download bestaat niet, of deze selectie wordt op dit dashboard niet aangeboden."
    ),
    "geen_toegang": "U hebt geen toegang tot de cijfers van deze organisatie.",
    "niet_beschikbaar": "Downloads zijn op deze server (nog) niet beschikbaar.",
    "druk": "Er worden nu te veel downloads tegelijk gemaakt. Probeer het zo opnieuw.",
    "fout": "De download kon niet gemaakt worden. Probeer het later opnieuw.",
}

Resolver = Callable[[str, str, Mapping[str, str], access.Identity], tuple[Any, DownloadMeta]]
_resolver: Resolver | None = None
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sofs-download")
_pending: dict[str, int] = {}
_pending_lock = threading.Lock()


def _reserve(user: str) -> None:
    """Count one more waiting download of ``user``, or refuse (503) when too many wait."""
    with _pending_lock:
        if sum(_pending.values()) >= MAX_PENDING or _pending.get(user, 0) >= MAX_PENDING_PER_USER:
            raise DownloadRefused(503, "druk")
        _pending[user] = _pending.get(user, 0) + 1


def _release(user: str) -> None:
    with _pending_lock:
        left = _pending.get(user, 1) - 1
        if left > 0:
            _pending[user] = left
        else:
            _pending.pop(user, None)


def set_resolver(resolver: Resolver | None) -> None:
    """Install the function that looks a panel up (``None``: the dashboard registry's)."""
    global _resolver
    _resolver = resolver


def current_resolver() -> Resolver | None:
    """The installed resolver, else ``sofs_lib.dashboards.registry.resolve_panel`` when that
    module exists, else ``None`` (downloads answer 503)."""
    if _resolver is not None:
        return _resolver
    try:
        from sofs_lib.dashboards.registry import resolve_panel
    except ImportError:
        return None
    return resolve_panel


class DownloadRefused(Exception):
    """A download that is not given, with its HTTP status and the key of its message (or the
    panel's own Dutch message, e.g. too few trajectories)."""

    def __init__(self, status: int, key: str, text: str | None = None) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.text = text or MESSAGES[key]


def parse_selection(arguments: Mapping[str, list[bytes]]) -> dict[str, str]:
    """The selection fields of the query (last value each); odd keys or values refused."""
    if len(arguments) > _MAX_FIELDS:
        raise DownloadRefused(400, "selectie")
    out: dict[str, str] = {}
    for key, values in arguments.items():
        if not _KEY.match(key) or not values:
            raise DownloadRefused(400, "selectie")
        try:
            value = values[-1].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DownloadRefused(400, "selectie") from exc
        if len(value) > _MAX_VALUE or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise DownloadRefused(400, "selectie")
        out[key] = value.strip()
    return out


def check_organisation(identity: access.Identity, selection: Mapping[str, str]) -> None:
    """Refuse a selection naming an organisation this identity may not see (403).

    ``publiek`` sees no organisation, ``organisatie`` only its own; ``agentschap`` any
    organisation of the release (the resolver says 404 for a name it does not know).
    """
    asked = selection.get("organisation", "")
    if asked.strip().lower() in ALL_VALUES:
        return
    if identity.role == access.AGENCY:
        return
    if identity.role == access.ORGANISATION and asked == identity.organisation:
        return
    raise DownloadRefused(403, "geen_toegang")


def split_panel(panel_file: str) -> tuple[str, str]:
    """``stappen.xlsx`` -> (``stappen``, ``xlsx``); anything else refused (404)."""
    panel, dot, fmt = panel_file.rpartition(".")
    if not dot or fmt not in DOWNLOAD_FORMATS or not _NAME.match(panel):
        raise DownloadRefused(404, "onbekend")
    return panel, fmt


def output_table(output: Any) -> TableSpec | None:
    """The panel's table as a :class:`TableSpec` (``PanelOutput.table_spec()`` when offered)."""
    convert = getattr(output, "table_spec", None)
    table = convert() if callable(convert) else getattr(output, "table", None)
    return table if isinstance(table, TableSpec) else None


def with_export_date(meta: DownloadMeta) -> DownloadMeta:
    """``meta`` with the export date filled in when the resolver left it out.

    The date follows the project's one rule (:func:`sofs_lib.config.resolve_export_date`:
    ``SOFS_EXPORT_DATE``/``SOFS_BINC_EXPORT_DATE``, else the synthetic manifest); a date that
    rule could only guess (today) is left out rather than written into a file name. The Binc
    export's date is used for a dashboard the registry marks as a profile (Binc) dashboard.
    """
    if meta.export_date is not None:
        return meta
    from sofs_lib import config

    kind = "dashboard"
    try:
        from sofs_lib.dashboards import registry

        if getattr(registry.get(meta.dashboard).definition(), "profile", False):
            kind = "binc"
    except Exception:  # no registry, or a dashboard it does not describe
        pass
    try:
        found, source = config.resolve_export_date(kind)
    except Exception:
        return meta
    return meta if source == "today" else replace(meta, export_date=found)


def build_download(
    dashboard: str,
    panel: str,
    fmt: str,
    selection: Mapping[str, str],
    identity: access.Identity,
    resolver: Resolver,
) -> tuple[bytes, str]:
    """Look the panel up for ``identity`` and render ``fmt``: (bytes, file name).

    Raises :class:`DownloadRefused` for everything that is not a download."""
    from sofs_lib import downloads

    try:
        output, meta = resolver(dashboard, panel, dict(selection), identity)
    except PermissionError as exc:
        raise DownloadRefused(403, "geen_toegang") from exc
    except (LookupError, SofsInputError, ValueError) as exc:
        raise DownloadRefused(404, "bestaat_niet") from exc
    if not isinstance(meta, DownloadMeta):
        raise TypeError(f"resolver returned {type(meta).__name__}, not DownloadMeta")
    meta = with_export_date(meta)
    table = output_table(output)
    chart = getattr(output, "chart", None)
    chart = chart if isinstance(chart, ChartSpec) else None
    try:
        data = downloads.render(fmt, table, chart, meta)
    except SofsInputError as exc:  # this panel has no figure / no table for this selection
        message = getattr(output, "message", None)
        raise DownloadRefused(404, "onbekend", message if isinstance(message, str) else None) from exc
    return data, downloads.filename(meta, fmt)


def _error_page(status: int, message: str, base_url: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head><meta charset="utf-8">'
        "<title>Download niet mogelijk</title></head>\n<body>\n"
        f"<h1>Download niet mogelijk</h1>\n<p>{html.escape(message)}</p>\n"
        f'<p><a href="{html.escape(base_url)}">Terug naar de dashboards</a></p>\n'
        "</body>\n</html>\n"
    )


class DownloadHandler(JupyterHandler):
    """``GET sofs/download/<dashboard>/<panel>.<fmt>?<selection>`` for the signed-in user."""

    auth_resource = RESOURCE

    def _refuse(self, status: int, text: str) -> None:
        self.clear()
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(_error_page(status, text, self.base_url))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Any other error (authorizer's 403, an unexpected failure): plain Dutch, no trace."""
        key = "geen_toegang" if status_code == 403 else "fout"
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(_error_page(status_code, MESSAGES[key], self.base_url))

    @web.authenticated
    @authorized
    async def get(self, dashboard: str, panel_file: str) -> None:
        user = self.current_user
        identity = getattr(user, "identity", None)
        if not isinstance(identity, access.Identity):
            raise web.HTTPError(403)
        try:
            if not _NAME.match(dashboard):
                raise DownloadRefused(404, "onbekend")
            panel, fmt = split_panel(panel_file)
            selection = parse_selection(self.request.query_arguments)
            check_organisation(identity, selection)
            resolver = current_resolver()
            if resolver is None:
                raise DownloadRefused(503, "niet_beschikbaar")
            _reserve(identity.user)
            started = time.perf_counter()
            try:
                data, name = await IOLoop.current().run_in_executor(
                    _executor, build_download, dashboard, panel, fmt, selection, identity, resolver
                )
            finally:
                _release(identity.user)
        except DownloadRefused as refused:
            self.log.info(
                "Download %s/%s refused for %s: %s",
                dashboard, panel_file, identity.user, refused.key,
            )
            self._refuse(refused.status, refused.text)
            return
        except Exception:
            self.log.exception("Download %s/%s failed", dashboard, panel_file)
            self._refuse(500, MESSAGES["fout"])
            return
        from sofs_lib.downloads import MIME

        self.log.info(
            "Download %s for %s (%s) in %.2f s",
            name, identity.user, identity.role, time.perf_counter() - started,
        )
        self.set_header("Content-Type", MIME[fmt])
        self.set_header("Content-Disposition", f'attachment; filename="{name}"')
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(data)


def _warm_up() -> None:
    """Import the renderers and the registry and draw one small PNG, so the first visitor's
    download does not pay for imports and the font cache."""
    from datetime import date

    import pandas as pd

    from sofs_lib import downloads

    current_resolver()
    chart = ChartSpec(
        "bars",
        "opwarmen",
        pd.DataFrame([{"item": "a", "group": "b", "role": "own", "value": 0.5, "n": 1,
                       "hidden": False}]),
    )
    meta = DownloadMeta("d", "d", "p", "p", "", "", "", date(2000, 1, 1))
    downloads.png_bytes(chart, meta)


def warm_up() -> Future:
    """Warm the download worker in the background (called when the server starts); a
    failed warm-up is not an error (the first download then pays for it)."""
    return _executor.submit(_warm_up)


def handlers(server_url: str) -> list[tuple[str, type]]:
    """The download route below ``server_url`` (what :class:`~sofs_lib.server.app.SofsVoila`
    adds to Voila's handlers)."""
    from jupyter_server.utils import url_path_join

    return [(url_path_join(server_url, DOWNLOAD_ROUTE), DownloadHandler)]
