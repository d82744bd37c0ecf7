"""Who is looking: the roles of the dashboards and the identity a dashboard kernel is bound to.

Three roles (threat model and rules: ``docs/disclosure.md``):

- ``organisatie`` — bound to one organisation at login, server-side. Sees its own figures in
  full, Flanders, and other organisations only as aggregates that single none out.
- ``agentschap`` — the funding agency: Flanders and every organisation by name, under the
  small-number rule.
- ``publiek`` — Flanders only (what ``make report`` publishes).

The server authenticates the visitor and, before the dashboard notebook runs, injects one
cell that calls :func:`bind` with the signed-in identity. Nothing the browser sends can reach
:func:`bind`: the server refuses execute requests from the browser, and a second call with
another identity raises. A kernel started by the server (environment variable
``SOFS_SERVED=1``) that was never bound fails closed to ``publiek``. Outside the server
(a researcher's notebook, tests) the local user is the agency.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Roles, from least to most that may be seen of other organisations.
ROLES: tuple[str, ...] = ("publiek", "organisatie", "agentschap")
ORGANISATION = "organisatie"
AGENCY = "agentschap"
PUBLIC = "publiek"

#: Set in the environment of the dashboard server, so its kernels inherit it.
SERVED_ENV = "SOFS_SERVED"


@dataclass(frozen=True)
class Identity:
    """A signed-in visitor: user name, role and (role ``organisatie`` only) organisation."""

    user: str
    role: str
    organisation: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")
        if self.role == ORGANISATION and not self.organisation:
            raise ValueError("role 'organisatie' needs an organisation")
        if self.role != ORGANISATION and self.organisation is not None:
            raise ValueError(f"role {self.role!r} is not bound to an organisation")

    def as_dict(self) -> dict[str, str | None]:
        return {"user": self.user, "role": self.role, "organisation": self.organisation}


LOCAL = Identity("lokaal", AGENCY)
UNBOUND_SERVED = Identity("anoniem", PUBLIC)

_bound: Identity | None = None


def bind(user: str, role: str, organisation: str | None = None) -> Identity:
    """Bind this kernel to a signed-in identity, once. Called by the cell the server injects."""
    global _bound
    identity = Identity(user, role, organisation)
    if _bound is not None and _bound != identity:
        raise PermissionError("this kernel is already bound to another identity")
    _bound = identity
    return identity


def served() -> bool:
    """True inside a kernel started by the dashboard server."""
    return os.environ.get(SERVED_ENV, "") == "1"


def current() -> Identity:
    """The identity this kernel serves: bound by the server, else local (or public if served)."""
    if _bound is not None:
        return _bound
    return UNBOUND_SERVED if served() else LOCAL


def _reset_for_tests() -> None:
    global _bound
    _bound = None
