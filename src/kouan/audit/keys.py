"""The audit chain's key, kept outside the database: the ``audit_key`` setting, or a file (``audit_key_file``,
default ``audit.key`` in the data folder) made with mode 0600 when an empty chain records its first event."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from kouan.settings import get_settings

MIN_KEY_CHARS = 32


class MissingKey(Exception):
    """No audit key where the settings say it is (or it is too short to be one)."""


def audit_key(*, create: bool) -> bytes:
    """The configured key; ``create`` makes the key file when it is absent (only right for an empty chain)."""
    settings = get_settings()
    if settings.audit_key is not None:
        return settings.audit_key.get_secret_value().encode()
    path = settings.audit_key_path()
    if create and not path.exists():
        _create_key_file(path)
    try:
        found = path.stat()
    except FileNotFoundError as error:
        raise MissingKey(f"the audit key file {path} is missing") from error
    return _read_key_file(path.resolve(), found.st_ino, found.st_mtime_ns)


def sign(*, key: bytes, content: str) -> str:
    return hmac.new(key, content.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=8)
def _read_key_file(path: Path, inode: int, modified: int) -> bytes:
    """Read once per version of the file (a replaced or moved key file is read anew)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError as error:
        raise MissingKey(f"the audit key file {path} is missing") from error
    if len(text) < MIN_KEY_CHARS:
        raise MissingKey(f"the audit key file {path} holds fewer than {MIN_KEY_CHARS} characters")
    return text.encode()


def _create_key_file(path: Path) -> None:
    """64 random hex characters, written beside the target and linked into place so that two processes starting
    together end up with the same key (the second link fails and its key is thrown away)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
