"""Sign-in for the dashboards: a jupyter_server IdentityProvider and Authorizer.

- :class:`SofsIdentityProvider` reads the accounts (:mod:`sofs_lib.server.users`), checks the
  password of the Dutch login form, and keeps the session in jupyter_server's signed cookie
  holding only the user name and the time of sign-in. Role and organisation are looked up in
  the users file on every request, so nothing in the browser can change them. A session ends
  after ``SOFS_SESSION_HOURS`` (default 8). With ``SOFS_TRUSTED_HEADER`` set, a reverse proxy
  that authenticated the visitor may name them in that header, accepted only from the proxy
  addresses in ``SOFS_TRUSTED_PROXIES`` (default: this computer).
- A wrong password, an unknown user, an expired session or a tampered cookie all end on the
  login page with one plain Dutch sentence, never a figure and never a traceback.
- :class:`SofsAuthorizer` lets a signed-in user reach only the kernels started for them (and
  read pages and downloads; which organisation's figures is decided per download).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.auth.login import LoginFormHandler
from jupyter_server.auth.logout import LogoutHandler
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Float, List, Unicode, default

from sofs_lib import access
from sofs_lib.server import users as users_mod

SESSION_HOURS_ENV = "SOFS_SESSION_HOURS"
TRUSTED_HEADER_ENV = "SOFS_TRUSTED_HEADER"
TRUSTED_PROXIES_ENV = "SOFS_TRUSTED_PROXIES"
SECURE_COOKIE_ENV = "SOFS_SECURE_COOKIE"
#: Short-lived cookie carrying why the visitor lands on the login page (never a secret).
NOTICE_COOKIE = "sofs-melding"

#: What the login page says, in plain Dutch.
MESSAGES: dict[str, str] = {
    "fout": "Onbekende gebruikersnaam of verkeerd wachtwoord.",
    "verlopen": "Uw sessie is verlopen. Meld u opnieuw aan.",
    "ongeldig": "Uw sessie is niet meer geldig. Meld u opnieuw aan.",
    "afgemeld": "U bent afgemeld.",
    "formulier": "Het aanmeldformulier was verlopen. Probeer het opnieuw.",
}


@dataclass
class SofsUser(User):
    """A signed-in visitor: jupyter_server's user plus the role and organisation."""

    role: str = access.PUBLIC
    organisation: str | None = None

    @property
    def identity(self) -> access.Identity:
        return access.Identity(self.username, self.role, self.organisation)


def _user_for(account: users_mod.Account) -> SofsUser:
    return SofsUser(username=account.name, role=account.role, organisation=account.organisation)


def _set_notice(handler: web.RequestHandler, key: str) -> None:
    handler.set_cookie(
        NOTICE_COOKIE,
        key,
        path=getattr(handler, "base_url", "/"),
        httponly=True,
        samesite="Strict",
        expires_days=None,
    )


class SofsIdentityProvider(IdentityProvider):
    """Users from the one users file (or the demo accounts), sessions in a signed cookie."""

    session_hours = Float(config=True, help="Hours a sign-in stays valid.")
    trusted_header = Unicode(
        config=True, help="Header a trusted reverse proxy sets to the signed-in user name."
    )
    trusted_proxies = List(
        Unicode(), config=True, help="Addresses whose trusted header is believed."
    )

    @default("session_hours")
    def _session_hours_default(self) -> float:
        raw = os.environ.get(SESSION_HOURS_ENV, "8")
        try:
            return max(float(raw), 0.01)
        except ValueError:
            return 8.0

    @default("trusted_header")
    def _trusted_header_default(self) -> str:
        return os.environ.get(TRUSTED_HEADER_ENV, "").strip()

    @default("trusted_proxies")
    def _trusted_proxies_default(self) -> list[str]:
        raw = os.environ.get(TRUSTED_PROXIES_ENV, "127.0.0.1,::1")
        return [p.strip() for p in raw.split(",") if p.strip()]

    @default("cookie_name")
    def _cookie_name_default(self) -> str:
        return "sofs-sessie"

    @default("secure_cookie")
    def _secure_cookie_default(self) -> bool | None:
        # Behind a TLS proxy the server sees plain HTTP: SOFS_SECURE_COOKIE=1 marks the
        # session cookie Secure anyway (unset: Secure exactly when the request is HTTPS).
        return True if os.environ.get(SECURE_COOKIE_ENV, "") == "1" else None

    @default("cookie_options")
    def _cookie_options_default(self) -> dict:
        # A browser-session cookie (ends when the browser closes); the server ends it after
        # session_hours regardless. SameSite keeps it off other sites' requests.
        return {"expires_days": None, "samesite": "Lax"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs["token"] = ""  # no token sign-in: only people in the users file
        super().__init__(**kwargs)
        self.store = users_mod.server_store()
        self._store_mtime = self._mtime()

    # -- accounts ---------------------------------------------------------------------

    def _mtime(self) -> float | None:
        if self.store.demo:
            return None
        try:
            return os.stat(self.store.source).st_mtime
        except OSError:
            return None

    def account(self, name: str) -> users_mod.Account | None:
        """The current account of ``name``; the users file is re-read when it changed."""
        if not self.store.demo and self._mtime() != self._store_mtime:
            try:
                self.store = users_mod.load_users(Path(self.store.source))
            except Exception:
                self.log.exception("users file unreadable; keeping the accounts read before")
            self._store_mtime = self._mtime()
        return self.store.get(name)

    # -- jupyter_server hooks -----------------------------------------------------------

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    def get_handlers(self) -> list[tuple[str, object]]:
        return [(r"/login", SofsLoginHandler), (r"/logout", SofsLogoutHandler)]

    def user_to_cookie(self, user: User) -> str:
        return json.dumps({"u": user.username, "t": int(time.time())})

    def user_from_cookie(self, cookie_value: str) -> User | None:
        data = json.loads(cookie_value)
        if time.time() - float(data["t"]) > self.session_hours * 3600:
            raise _Expired()
        account = self.account(str(data["u"]))
        return _user_for(account) if account else None

    def _header_user(self, handler: web.RequestHandler) -> SofsUser | None:
        if not self.trusted_header:
            return None
        name = handler.request.headers.get(self.trusted_header, "").strip()
        if not name:
            return None
        if handler.request.remote_ip not in self.trusted_proxies:
            self.log.warning(
                "Ignoring %s header from untrusted address %s",
                self.trusted_header,
                handler.request.remote_ip,
            )
            return None
        account = self.account(name)
        return _user_for(account) if account else None

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        cached = getattr(handler, "_jupyter_current_user", None)
        if cached:
            return cached
        header_user = self._header_user(handler)
        if header_user is not None:
            return header_user
        name = self.get_cookie_name(handler)
        if handler.get_cookie(name) is None:
            return None
        raw = handler.get_secure_cookie(name, max_age_days=self.session_hours / 24 + 1)
        problem = "ongeldig"
        user = None
        if raw:
            try:
                user = self.user_from_cookie(raw.decode())
            except _Expired:
                problem = "verlopen"
            except Exception:
                problem = "ongeldig"
        if user is None:
            self.log.warning("Refusing a %s session cookie", problem)
            self.clear_login_cookie(handler)
            _set_notice(handler, problem)
        return user

    def process_login_form(self, handler: web.RequestHandler) -> User | None:
        name = handler.get_argument("username", default="").strip()
        password = handler.get_argument("password", default="")
        if not name or not password:
            return None
        account = self.store.get(name) if self.store.demo else self.account(name)
        if account is None:
            self.store.verify("", password)  # same cost as a wrong password
            return None
        checked = self.store.verify(name, password)
        return _user_for(checked) if checked else None


class _Expired(Exception):
    pass


def _render_login(handler: web.RequestHandler, message_key: str | None) -> None:
    provider: SofsIdentityProvider = handler.identity_provider  # type: ignore[attr-defined]
    template = handler.settings["voila_jinja2_env"].get_template("login.html")
    demo = (
        [(role, name, users_mod.DEMO_PASSWORD) for role, name in users_mod.DEMO_ACCOUNTS.items()]
        if provider.store.demo
        else []
    )
    handler.set_header("Cache-Control", "no-store")
    handler.write(
        template.render(
            base_url=handler.base_url,  # type: ignore[attr-defined]
            next=handler.get_argument("next", default=handler.base_url),  # type: ignore[attr-defined]
            message=MESSAGES.get(message_key or "", ""),
            xsrf_form_html=handler.xsrf_form_html(),
            demo_accounts=demo,
        )
    )


class SofsLoginHandler(LoginFormHandler):
    """The Dutch login page (``/login``)."""

    def _notice(self) -> str | None:
        key = self.get_cookie(NOTICE_COOKIE)
        if key is not None:
            self.clear_cookie(NOTICE_COOKIE, path=self.base_url)
        return key if key in MESSAGES else None

    @allow_unauthenticated
    def get(self) -> None:
        if self.current_user:
            self._redirect_safe(self.get_argument("next", default=self.base_url))
            return
        _render_login(self, self._notice())

    @allow_unauthenticated
    def post(self) -> None:
        user = self.identity_provider.process_login_form(self)
        if user is None:
            self.log.warning("Failed sign-in from %s", self.request.remote_ip)
            self.set_status(401)
            _render_login(self, "fout")
            return
        self.current_user = user
        self.log.info("User %s signed in", user.username)
        self.identity_provider.set_login_cookie(self, user)
        self._redirect_safe(self.get_argument("next", default=self.base_url))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A refused form (stale XSRF token, foreign origin) shows the login page again."""
        self.clear_header("Content-Type")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        _render_login(self, "formulier")


class SofsLogoutHandler(LogoutHandler):
    """Sign out and return to the login page."""

    @allow_unauthenticated
    def get(self) -> None:
        self.identity_provider.clear_login_cookie(self)
        _set_notice(self, "afgemeld")
        self.redirect(url_path_join(self.base_url, "login"))


class SofsAuthorizer(Authorizer):
    """Signed-in users only; kernels only by the user they were started for."""

    def is_authorized(
        self, handler: web.RequestHandler, user: User, action: str, resource: str
    ) -> bool:
        if not isinstance(user, SofsUser):
            return False
        if resource == "kernels":
            kernel_id = getattr(handler, "kernel_id", None) or handler.path_kwargs.get("kernel_id")
            owner = getattr(handler.kernel_manager, "kernel_owner", None)  # type: ignore[attr-defined]
            return bool(kernel_id) and owner is not None and owner(kernel_id) == user.username
        # "downloads": sofs_lib.server.downloads checks the organisation per request.
        return action == "read" and resource in ("contents", "downloads")
