"""Keyed hashing of ID numbers (HMAC-SHA256), and the warehouse's key.

The key comes from the environment variable ``CIVSTAT_PII_KEY`` (its UTF-8 bytes; read when
:func:`pii_key` is called, never at import) or else from ``<warehouse>/secrets/pii.key``,
created on first use with 32 random bytes, mode 0600, in a directory of mode 0700.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from ingest import idnumber
from ingest.idnumber import WEIGHTS as _WEIGHTS  # noqa: F401  (ingest/values.py reads it here)
from ingest.warehouse_layout import WarehouseLayout

ENV_KEY = "CIVSTAT_PII_KEY"
KEY_BYTES = 32


def pii_key(warehouse: Path) -> bytes:
    """The HMAC key of this warehouse (env ``CIVSTAT_PII_KEY`` wins over the key file)."""
    env = os.environ.get(ENV_KEY)
    if env:
        return env.encode("utf-8")
    layout = WarehouseLayout(warehouse)
    secrets_dir, path = layout.secrets, layout.pii_key
    secrets_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(secrets_dir, 0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
        key = path.read_bytes()
        if len(key) < 16:
            raise ValueError(f"{path}: PII key file is too short ({len(key)} bytes)") from None
        return key
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(KEY_BYTES))
    os.chmod(path, 0o600)
    return path.read_bytes()


def hash_id(key: bytes, id_number: str) -> str:
    """HMAC-SHA256 (hex) of the normalised ID number (ingest.idnumber.normalise)."""
    return hmac.new(key, idnumber.normalise(id_number).encode("utf-8"),
                    hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes) -> str:
    """A short, non-reversible tag of the key, used to invalidate cached hashes."""
    return hmac.new(key, b"civstat-cache-fingerprint", hashlib.sha256).hexdigest()[:16]
