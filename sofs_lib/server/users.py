"""Who may sign in: one users file outside git, or the demo accounts of synthetic data.

The users file (path in ``SOFS_USERS_FILE``) is JSON, written by ``sofs users add``::

    {"users": {
        "an": {"role": "organisatie", "organisation": "Naam", "password": "argon2:$argon2id$..."},
        "bo": {"role": "agentschap", "password": "argon2:..."}
    }}

Passwords are stored only as argon2 hashes made by ``jupyter_server.auth.passwd``. An account
without ``password`` can only sign in through the trusted proxy header (``SOFS_TRUSTED_HEADER``,
see ``docs/deployment.md``). The role and organisation always come from this file, never from
the browser.

When the exports read are synthetic (their hashes listed in the ``MANIFEST.json`` that
``sofs synth`` writes beside them) and no users file is set, the server is a demonstration with
one account per role (:data:`DEMO_ACCOUNTS`, password :data:`DEMO_PASSWORD`); the demo
``organisatie`` account is bound to the organisation with most trajectories in the data.
On any other data the server does not start without a users file.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sofs_lib import access, config
from sofs_lib.errors import SofsInputError

USERS_FILE_ENV = "SOFS_USERS_FILE"
#: Set by ``sofs_lib.serve`` for the server process: the demo organisation read from the data.
DEMO_ORGANISATION_ENV = "SOFS_DEMO_ORGANISATION"
DEMO_PASSWORD = "demo"
#: Demo account name per role (synthetic data only).
DEMO_ACCOUNTS: dict[str, str] = {
    access.PUBLIC: "demo-publiek",
    access.ORGANISATION: "demo-organisatie",
    access.AGENCY: "demo-agentschap",
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class Account:
    """One person who may sign in, with the role the server binds their kernels to."""

    name: str
    role: str
    organisation: str | None = None
    password_hash: str | None = None

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise SofsInputError(
                f"user name {self.name!r} is not allowed: use 1-64 letters, digits, '.', '_', "
                f"'@' or '-', starting with a letter or digit"
            )
        try:
            self.identity()
        except ValueError as exc:
            raise SofsInputError(f"user {self.name!r}: {exc}") from exc

    def identity(self) -> access.Identity:
        return access.Identity(self.name, self.role, self.organisation)

    def to_json(self) -> dict[str, str]:
        out = {"role": self.role}
        if self.organisation is not None:
            out["organisation"] = self.organisation
        if self.password_hash is not None:
            out["password"] = self.password_hash
        return out


def hash_password(password: str) -> str:
    """An argon2 hash in jupyter_server's format (``argon2:$argon2id$...``)."""
    from jupyter_server.auth.security import passwd

    return passwd(password, algorithm="argon2")


def check_password(password_hash: str, password: str) -> bool:
    from jupyter_server.auth.security import passwd_check

    try:
        return bool(passwd_check(password_hash, password))
    except Exception:  # a malformed hash never signs anyone in
        return False


class UserStore:
    """The accounts the server knows, by name."""

    def __init__(self, accounts: Mapping[str, Account], source: str) -> None:
        self.accounts = dict(accounts)
        self.source = source
        self._dummy_hash: str | None = None

    @property
    def demo(self) -> bool:
        return self.source == "demo"

    def get(self, name: str) -> Account | None:
        return self.accounts.get(name)

    def verify(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is right; ``None`` for a wrong password or unknown name.

        An unknown name costs one hash check too, so timing does not tell which names exist.
        """
        account = self.accounts.get(name)
        if account is None or account.password_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = hash_password("x")
            check_password(self._dummy_hash, password)
            return None
        return account if check_password(account.password_hash, password) else None


def users_file_path() -> Path | None:
    """The users file named by ``SOFS_USERS_FILE``, or ``None``."""
    raw = os.environ.get(USERS_FILE_ENV, "").strip()
    return Path(raw).expanduser().resolve() if raw else None


def _read(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SofsInputError(
            f"users file {path} does not exist; create it with `sofs users add NAME --role ROLE`"
        ) from exc
    except OSError as exc:
        raise SofsInputError(f"cannot read users file {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text) if text.strip() else {"users": {}}
    except ValueError as exc:
        raise SofsInputError(f"users file {path} is not valid JSON (line {exc.lineno})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("users", {}), dict):
        raise SofsInputError(f'users file {path} must hold {{"users": {{NAME: {{...}}}}}}')
    return data


def load_users(path: Path) -> UserStore:
    """Read the users file; one plain message naming the problem when it is unusable."""
    data = _read(path)
    accounts: dict[str, Account] = {}
    for name, entry in sorted(data.get("users", {}).items()):
        if not isinstance(entry, dict):
            raise SofsInputError(f"users file {path}: entry of {name!r} is not an object")
        password = entry.get("password")
        if password is not None and not str(password).startswith("argon2:"):
            raise SofsInputError(
                f"users file {path}: the password of {name!r} is not an argon2 hash; "
                f"set it with `sofs users add {name} --role ...`"
            )
        accounts[name] = Account(
            name, str(entry.get("role", "")), entry.get("organisation"), password
        )
    return UserStore(accounts, str(path))


def _write_atomic(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False, sort_keys=True)
            handle.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_user(
    path: Path, name: str, role: str, password: str | None, organisation: str | None = None
) -> Account:
    """Add or replace ``name`` in the users file (created when missing, mode 0600)."""
    if password is not None and len(password) < 8:
        raise SofsInputError("the password must be at least 8 characters")
    account = Account(
        name, role, organisation or None, hash_password(password) if password else None
    )
    data = _read(path) if path.exists() else {"users": {}}
    data.setdefault("users", {})[name] = account.to_json()
    try:
        _write_atomic(path, data)
    except OSError as exc:
        raise SofsInputError(f"cannot write users file {path}: {exc.strerror}") from exc
    return account


def remove_user(path: Path, name: str) -> None:
    data = _read(path)
    if name not in data.get("users", {}):
        raise SofsInputError(f"no user {name!r} in {path}")
    del data["users"][name]
    try:
        _write_atomic(path, data)
    except OSError as exc:
        raise SofsInputError(f"cannot write users file {path}: {exc.strerror}") from exc


# --- demonstration on synthetic data ----------------------------------------------------


def data_is_synthetic() -> bool:
    """True when both exports the dashboards read were written by ``sofs synth``."""
    from sofs_lib.datasets import provenance

    paths = (config.dashboard_export_path(), config.binc_export_path())
    return all(p.exists() and provenance(p) == "synthetic" for p in paths)


def demo_organisation() -> str:
    """The organisation of the demo ``organisatie`` account: most trajectories, then name."""
    from sofs_lib.datasets import load_dashboard

    counts = load_dashboard()["organisation"].dropna().astype(str).value_counts()
    if counts.empty:
        raise SofsInputError("the dashboard export names no organisation")
    ranked = sorted(counts.items(), key=lambda kv: (-int(kv[1]), kv[0]))
    return ranked[0][0]


def demo_store(organisation: str) -> UserStore:
    """One account per role, password :data:`DEMO_PASSWORD` (synthetic data only)."""
    hashed = hash_password(DEMO_PASSWORD)
    accounts = {
        name: Account(name, role, organisation if role == access.ORGANISATION else None, hashed)
        for role, name in DEMO_ACCOUNTS.items()
    }
    return UserStore(accounts, "demo")


def server_store() -> UserStore:
    """The accounts of a running server: the users file, else the demo accounts.

    The demo needs synthetic exports *and* the organisation ``sofs_lib.serve`` read from them;
    anything else raises with a plain message, so the server never runs without sign-in.
    """
    path = users_file_path()
    if path is not None:
        return load_users(path)
    organisation = os.environ.get(DEMO_ORGANISATION_ENV, "").strip()
    if organisation and data_is_synthetic():
        return demo_store(organisation)
    raise SofsInputError(no_users_message())


def no_users_message() -> str:
    return (
        "these exports are not synthetic, so the dashboards need sign-in: set "
        f"{USERS_FILE_ENV} to a users file outside git and add people with "
        "`sofs users add NAME --role publiek|organisatie|agentschap [--organisation NAAM]` "
        "(see docs/deployment.md)"
    )


# --- command line: sofs users ... ------------------------------------------------------


def _password_from_user(name: str) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line.strip():
            raise SofsInputError("no password on standard input")
        return line.rstrip("\r\n")
    first = getpass.getpass(f"Password for {name}: ")
    second = getpass.getpass("Repeat password: ")
    if first != second:
        raise SofsInputError("the two passwords differ")
    return first


def _file_arg(args: argparse.Namespace) -> Path:
    path = Path(args.file).expanduser().resolve() if args.file else users_file_path()
    if path is None:
        raise SofsInputError(f"name the users file with --file or {USERS_FILE_ENV}")
    return path


def _cmd_add(args: argparse.Namespace) -> int:
    path = _file_arg(args)
    Account(args.name, args.role, args.organisation)  # validate before asking a password
    password = None if args.no_password else _password_from_user(args.name)
    account = add_user(path, args.name, args.role, password, args.organisation)
    bound = f", organisation {account.organisation}" if account.organisation else ""
    print(f"user {account.name}: role {account.role}{bound} (written to {path})")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    path = _file_arg(args)
    remove_user(path, args.name)
    print(f"user {args.name} removed from {path}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    store = load_users(_file_arg(args))
    for account in store.accounts.values():
        bound = f"\t{account.organisation}" if account.organisation else ""
        login = "password" if account.password_hash else "proxy header only"
        print(f"{account.name}\t{account.role}{bound}\t({login})")
    return 0


def add_users_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``sofs users add|remove|list`` on the ``sofs`` command line."""
    users = sub.add_parser("users", help="manage who may sign in to the dashboards")
    actions = users.add_subparsers(dest="users_command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--file", default=None, help=f"users file (default: ${USERS_FILE_ENV})")

    add = actions.add_parser(
        "add", parents=[common], help="add or replace a user (password from prompt or stdin)"
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=access.ROLES)
    add.add_argument(
        "--organisation", default=None, help="the organisation (role organisatie only)"
    )
    add.add_argument(
        "--no-password",
        action="store_true",
        help="no password: signs in only through the trusted proxy header",
    )
    add.set_defaults(func=_cmd_add)

    remove = actions.add_parser("remove", parents=[common], help="remove a user")
    remove.add_argument("name")
    remove.set_defaults(func=_cmd_remove)

    listing = actions.add_parser("list", parents=[common], help="list users (never passwords)")
    listing.set_defaults(func=_cmd_list)
