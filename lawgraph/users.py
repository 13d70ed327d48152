"""Accounts of the people who may write: review links, add suggestions.

Reading is public; every write names an account from this file, never a name typed into a form.
Accounts live in ``$LAWGRAPH_HOME/accounts/users.json`` (not in the graph, so they survive
``rebuild``), written atomically (temporary file, fsync, rename) under an exclusive lock, mode 0600.

Passwords are hashed with the standard library's scrypt; API tokens are 32 random bytes shown once
and stored as their SHA-256 (a random 256-bit secret needs no slow hash: nothing to brute-force).
The same directory holds the key that signs session cookies and CSRF tokens (``secret_key``).
"""
from __future__ import annotations

import base64
import contextlib
import fcntl
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Iterator

from lawgraph.errors import InputError

ACCOUNTS_DIR = "accounts"
USERS_FILE = "users.json"
SECRET_FILE = "secret_key"

# scrypt cost: N=2**17, r=8, p=1 is the OWASP Password Storage Cheat Sheet's minimum for scrypt;
# it needs 128 * N * r = 128 MiB, hence maxmem 256 MiB (OpenSSL's default cap is 32 MiB).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
SCRYPT_MAXMEM = 256 * 1024 * 1024
# Reason: NIST SP 800-63B asks for at least 8 characters in a user-chosen secret.
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # reason: bounds the work a login form can ask of scrypt's input hashing
# Account names are shown as "the reviewer" on pages and in the journal: letters, digits, . _ - and
# inner spaces, 2-64 characters (reason: a person's name or login fits; markup and control characters do not).
NAME_RE = re.compile(r"^[\w.\-]+(?: [\w.\-]+)*$")
MAX_NAME = 64


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """'scrypt$N$r$p$salt$hash' for ``password`` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    h = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(h)}"


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant-time compare)."""
    try:
        algo, n, r, p, salt, want = stored.split("$")
        if algo != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=SCRYPT_MAXMEM, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _unb64(want))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_name(name: str) -> str:
    """An account name as stored: NFC, trimmed; raises InputError when it is not acceptable."""
    n = unicodedata.normalize("NFC", (name or "").strip())
    if not (2 <= len(n) <= MAX_NAME) or not NAME_RE.match(n):
        raise InputError(None, f"nombre de cuenta no válido: {name!r} (de 2 a {MAX_NAME} letras, cifras, "
                               "espacios, puntos, guiones o guiones bajos)")
    return n


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(None, f"la contraseña debe tener al menos {MIN_PASSWORD} caracteres")
    if len(password) > MAX_PASSWORD or "\x00" in password:
        raise InputError(None, "la contraseña es demasiado larga o contiene caracteres no válidos")


@dataclass
class Account:
    name: str
    password: str
    created: str
    # bumped when the password changes: sessions signed with an older epoch stop working
    epoch: int = 0
    tokens: list[dict[str, str]] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return {"name": self.name, "created": self.created,
                "tokens": [{"id": t["id"], "created": t["created"]} for t in self.tokens]}


class Accounts:
    """The accounts file of one data directory."""

    def __init__(self, home: str | Path):
        self.dir = Path(home) / ACCOUNTS_DIR
        self.path = self.dir / USERS_FILE

    # ----------------------------------------------------------------------------- storage
    def _read(self) -> dict[str, Account]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(raw)
            return {a["name"]: Account(**a) for a in data["accounts"]}
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(self.path, f"el archivo de cuentas está dañado ({e}); no se modificó") from e

    def _write(self, accounts: dict[str, Account]) -> None:
        body = json.dumps({"accounts": [a.__dict__ for a in accounts.values()]}, ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".users-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        dfd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Account]]:
        """The accounts, under an exclusive lock; written back when the block ends without error."""
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.dir / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            accounts = self._read()
            yield accounts
            self._write(accounts)

    # ----------------------------------------------------------------------------- operations
    def add(self, name: str, password: str) -> Account:
        name = normalise_name(name)
        check_new_password(password)
        with self._locked() as accounts:
            if name in accounts:
                raise InputError(None, f"ya existe la cuenta {name!r} (cambie su contraseña con: lawgraph user password)")
            acc = Account(name=name, password=hash_password(password), created=_now())
            accounts[name] = acc
        return acc

    def set_password(self, name: str, password: str) -> None:
        check_new_password(password)
        with self._locked() as accounts:
            acc = self._need(accounts, name)
            acc.password = hash_password(password)
            acc.epoch += 1

    def remove(self, name: str) -> None:
        with self._locked() as accounts:
            self._need(accounts, name)
            del accounts[name]

    def new_token(self, name: str) -> str:
        """A new API token for ``name``; only its digest is kept, so this is the one time it is seen."""
        token = "lg_" + secrets.token_urlsafe(32)
        with self._locked() as accounts:
            acc = self._need(accounts, name)
            acc.tokens.append({"id": secrets.token_hex(4), "sha256": token_digest(token), "created": _now()})
        return token

    def revoke_tokens(self, name: str) -> int:
        with self._locked() as accounts:
            acc = self._need(accounts, name)
            n = len(acc.tokens)
            acc.tokens = []
        return n

    def list(self) -> list[Account]:
        return sorted(self._read().values(), key=lambda a: a.name)

    def get(self, name: str) -> Account | None:
        return self._read().get(name)

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is right, else None (same work either way: no user probing)."""
        acc = self._read().get(unicodedata.normalize("NFC", (name or "").strip()))
        if acc is None:
            check_password(password, _dummy_hash())
            return None
        return acc if check_password(password, acc.password) else None

    def by_token(self, token: str) -> Account | None:
        want = token_digest(token)
        for acc in self._read().values():
            if any(hmac.compare_digest(t["sha256"], want) for t in acc.tokens):
                return acc
        return None

    @staticmethod
    def _need(accounts: dict[str, Account], name: str) -> Account:
        acc = accounts.get(unicodedata.normalize("NFC", (name or "").strip()))
        if acc is None:
            raise InputError(None, f"no existe la cuenta {name!r} (vea: lawgraph user list)")
        return acc

    # ----------------------------------------------------------------------------- signing key
    def secret_key(self) -> bytes:
        """The key that signs session cookies and CSRF tokens, made once per data directory."""
        path = self.dir / SECRET_FILE
        with contextlib.suppress(FileNotFoundError):
            key = path.read_bytes()
            if len(key) >= 32:
                return key
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_bytes(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return path.read_bytes()
        with os.fdopen(fd, "wb") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
        return key


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist, so a wrong name costs as much as
    a wrong password (made once per process, with a throw-away password)."""
    return hash_password(secrets.token_urlsafe(12))
