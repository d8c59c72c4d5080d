"""What may be shown of a file name or a free text outside the raw and quarantine layers.

Two rules, one home (issue 16, defect 7):

- :func:`file_label` — a published file is named by its source folder and a label taken from
  its content's SHA-256, never by its own name: clerks name files after people
  (``张三_110101196001020017.xlsx``), and a person's name cannot be recognised in general.
- :func:`scrub` — free text (check details, waiver reasons, notes) has every ID-number-, phone-
  or bank-account-like digit run replaced by :data:`MASK`. It masks by shape only (no check
  digit), so it errs on the side of hiding; names are not detected.

The release's privacy scan (``orchestration/release/privacy.py``) is the last line: it
refuses a release that still holds a valid ID number, a mobile number or a card number.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

MASK = "［已隐去］"
LABEL_HEX = 8  # hex digits of the SHA-256 in a file label
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_ACCOUNT_RE = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1\d{2}[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def scrub(text: object) -> str:
    """`text` (None → "") with ID numbers (18 or 15 digits), bank-account-like runs (16–19
    digits) and mainland mobile numbers (11 digits from 1, also written 138-1234-5678 or
    with +86) replaced by MASK."""
    s = "" if text is None else str(text)
    for rx in (_ID_RE, _ACCOUNT_RE, _PHONE_RE):
        s = rx.sub(MASK, s)
    return s


def file_label(path: str, sha256: str | None = None) -> str:
    """The published name of an inbox file: ``<source folder>/文件-<first 8 hex of sha256>
    <suffix>``, e.g. ``dibao_households/张三.xlsx`` with content hash ``3fa2c1d0…`` →
    ``dibao_households/文件-3fa2c1d0.xlsx``. Without `sha256` the hash of the path text is
    used. The folder is kept only when it is a plain source name (ASCII letters, digits, _)."""
    parts = PurePosixPath(str(path).replace("\\", "/")).parts
    digest = sha256 or hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()
    suffix = _SUFFIX.search(parts[-1]) if parts else None
    name = f"文件-{digest[:LABEL_HEX]}{suffix.group(0).lower() if suffix else ''}"
    folder = parts[0] if len(parts) > 1 and re.fullmatch(r"[A-Za-z0-9_]+", parts[0]) else ""
    return f"{folder}/{name}" if folder else name
