"""The Voila application of the dashboards: Voila 0.5 with our pieces plugged in.

Everything stakeholders see is configured in ``dashboards/voila.json`` (identity provider,
authorizer, kernel manager, websocket connection class, culling). What configuration cannot
express is set here, in a subclass of Voila's own application:

- the ``prelaunch_hook`` that binds each kernel to the signed-in identity (a callable);
- Host checking back on: Voila sets ``allow_remote_access``, so any Host header was accepted
  (DNS rebinding). Loopback addresses, ``localhost`` and the names in ``SOFS_ALLOWED_HOSTS``
  (the public name behind a reverse proxy) are accepted;
- the kernel websocket and shut-down handlers replaced by :mod:`sofs_lib.server.kernels`'s;
- Font Awesome served from the ``fontawesomefree`` package at ``voila/sofs/fontawesome/``,
  so the page asks no third party for anything;
- the page templates compiled once per server, not on every visit
  (:mod:`sofs_lib.server.templates`);
- the panel downloads at ``sofs/download/...`` (:mod:`sofs_lib.server.downloads`), and the
  base URL handed to kernels (``SOFS_BASE_URL``) so their download links point there.

Run with ``python -m sofs_lib.server`` (what ``sofs_lib.serve`` does).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jupyter_server.utils import url_path_join
from tornado import web
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from sofs_lib import access
from sofs_lib.errors import SofsInputError
from sofs_lib.server import auth, kernels, templates
from sofs_lib.server import downloads as server_downloads

ALLOWED_HOSTS_ENV = "SOFS_ALLOWED_HOSTS"
FONTAWESOME_URL = "voila/sofs/fontawesome"
#: The server's base URL as kernels see it (``spec.download_url`` reads it).
BASE_URL_ENV = "SOFS_BASE_URL"


def fontawesome_dir() -> Path:
    """The Font Awesome Free files of the ``fontawesomefree`` package (css/ and webfonts/)."""
    import fontawesomefree

    return Path(fontawesomefree.__file__).resolve().parent / "static" / "fontawesomefree"


def allowed_hosts() -> list[str]:
    extra = [h.strip().lower() for h in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",")]
    return ["localhost", *[h for h in extra if h]]


class FontAwesomeHandler(web.StaticFileHandler):
    """Font Awesome's CSS and web fonts, nothing else of the package."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        relative = Path(absolute_path).relative_to(Path(root).resolve())
        if relative.parts[:1] not in (("css",), ("webfonts",)):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)


class SofsVoila(Voila):
    """Voila with sign-in, roles and the hardening of ``sofs_lib.server``."""

    def initialize(self, argv=None) -> None:
        super().initialize(argv)
        self.voila_configuration.prelaunch_hook = kernels.bind_identity
        if self.voila_configuration.preheat_kernel:
            # Voila cannot bind a preheated kernel to a user who signs in later.
            raise SofsInputError("preheat_kernel must be false: kernels are bound at sign-in")
        os.environ[access.SERVED_ENV] = "1"  # kernels inherit it: unbound ones are public
        os.environ[BASE_URL_ENV] = self.base_url  # kernels build download links with it
        server_downloads.warm_up()
        templates.share_compiled_templates()  # compiled once per server, not per visit

    def init_settings(self) -> dict:
        settings = super().init_settings()
        settings["allow_remote_access"] = False
        settings["local_hostnames"] = allowed_hosts()
        return settings

    def init_handlers(self) -> list:
        replaced = {
            VoilaKernelWebsocketHandler: kernels.SofsKernelWebsocketHandler,
            VoilaShutdownKernelHandler: kernels.SofsShutdownKernelHandler,
        }
        handlers = []
        for spec in super().init_handlers():
            pattern, handler, *rest = spec
            handlers.append((pattern, replaced.get(handler, handler), *rest))
        handlers[0:0] = server_downloads.handlers(self.server_url)
        handlers.insert(
            0,
            (
                url_path_join(self.server_url, FONTAWESOME_URL, "(.*)"),
                FontAwesomeHandler,
                {"path": str(fontawesome_dir())},
            ),
        )
        return handlers


def main(argv: list[str] | None = None) -> int:
    try:
        SofsVoila.launch_instance(argv)
    except SofsInputError as exc:
        print(f"dashboards: {exc}", file=sys.stderr)
        return 2
    return 0


__all__ = ["SofsVoila", "auth", "main"]
