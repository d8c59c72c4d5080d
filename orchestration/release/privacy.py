"""The release's privacy rules: what the manifest may say, and the last scan before the swap.

:func:`public_manifest` rewrites the manifest before anything is written from it: each input
file is named by :func:`ingest.redact.file_label` (source folder + content hash), and every
other text of it goes through :func:`ingest.redact.scrub`. So manifest.json, the 质量检查 sheet
of indicators.xlsx, summary.md and the pages all show the same scrubbed text.

:func:`assert_no_personal_numbers` runs last, over the finished release folder (manifest.json
included, ``history/`` excluded: those files were published before), reading every file — the
text of an .xlsx is read from its zipped XML parts — and every file's own name. A valid
18-character ID number (real birth date, GB 11643 check digit), a mainland mobile number or a
bank-card number (16–19 digits passing the Luhn check) as a whole token refuses the release.
Digit runs inside hashes or longer numbers do not count; plotly.js, byte-identical to the
library's copy, is not data and is not read. Names are not detected: the file
label keeps them out of file names, and docs/release.md says what is left to people.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from functools import cache
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from dashboards.html import PLOTLY_JS
from dashboards.view import Manifest
from ingest import idnumber
from ingest.redact import file_label, scrub
from orchestration.release.rows import ReleaseError

ZIPPED_SUFFIXES = {".xlsx", ".xlsm", ".docx", ".zip"}
MAX_SCANNED_BYTES = 256 * 1024 * 1024  # a zipped part larger than this is refused unread
PIECE_BYTES = 4 * 1024 * 1024  # a file is scanned in pieces of about this size (16 MB: +190 MB)
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9A-Za-z.])(1[3-9]\d{9})(?![0-9A-Za-z]|\.\d)")
_CARD = re.compile(r"(?<![0-9A-Za-z.])(\d{16,19})(?![0-9A-Za-z]|\.\d)")
_KEEP = {"sha256", "files"}  # hashes, never personal


def is_id_number(token: str) -> bool:
    """An 18-character token that is a valid ID number (ingest.idnumber) born 1900–2100."""
    return idnumber.is_valid(token) and 1900 <= int(token[6:10]) <= 2100


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


# A superset of the three patterns above for Rust's regex (polars), which has no
# lookbehind: each pattern's boundary is matched as a character (or the text's start or end)
# instead of asserted. Wherever _ID, _PHONE or _CARD match, this matches; it also matches
# some texts they do not (a phone number followed by ".5"), which the patterns then judge.
# Python's re took ≈ 11 s over a province's 212 MB monthly.csv for the three patterns, this
# ≈ 0.6 s (docs/benchmarks.md, "Issue 18, fourth round").
_CANDIDATES = (r"(?:^|[^0-9A-Za-z])\d{17}[\dXx](?:[^0-9A-Za-z]|$)"
               r"|(?:^|[^0-9A-Za-z.])1[3-9]\d{9}(?:[^0-9A-Za-z]|$)"
               r"|(?:^|[^0-9A-Za-z.])\d{16,19}(?:[^0-9A-Za-z]|$)")


def may_hold_personal_numbers(text: str) -> bool:
    """False when no token of `text` can be an ID, phone or bank-card number (one pass of
    polars' regex engine over the text)."""
    import polars as pl

    try:
        series = pl.Series([text], dtype=pl.String)
    except UnicodeEncodeError:  # a lone surrogate (a file name not in UTF-8): the exact way
        return True
    return bool(series.str.contains(_CANDIDATES).item())


def find_personal_numbers(text: str) -> list[str]:
    """Kinds of personal number found in text ('身份证号', '手机号', '银行卡号'), at most one
    of each."""
    if not may_hold_personal_numbers(text):
        return []
    found = []
    if any(is_id_number(m) for m in _ID.findall(text)):
        found.append("身份证号 ID number")
    if _PHONE.search(text):
        found.append("手机号 phone number")
    if any(_luhn(m) and not is_id_number(m) for m in _CARD.findall(text)):
        found.append("银行卡号 bank-card number")
    return found


@cache
def _vendored() -> dict[str, bytes]:
    """Files of the release that are a library's own bytes (no data): plotly.js."""
    from plotly.offline import get_plotlyjs

    return {f"dashboards/{PLOTLY_JS}": get_plotlyjs().encode("utf-8")}


def _texts(path: Path, rel: str):
    """(where, text) of a file: its XML/text parts for a zip container, nothing for a vendored
    library file byte-identical to the library's, else the file. Read in pieces
    (`_read_pieces`), never whole."""
    if rel in _vendored() and path.read_bytes() == _vendored()[rel]:
        return
    if path.suffix.lower() in ZIPPED_SUFFIXES:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                yield info.filename, info.filename
                if info.file_size > MAX_SCANNED_BYTES:
                    raise ReleaseError(f"{path.name}:{info.filename}: 过大无法检查 too large "
                                       "to scan; 不发布 refusing to publish it")
                with z.open(info) as part:
                    for n, piece in enumerate(_read_pieces(part, PIECE_BYTES)):
                        yield info.filename, piece.decode("utf-8-sig" if n == 0 else "utf-8",
                                                          errors="replace")
    else:
        with open(path, "rb") as handle:
            for n, piece in enumerate(_read_pieces(handle, PIECE_BYTES)):
                yield "", piece.decode("utf-8-sig" if n == 0 else "utf-8", errors="replace")


_BOUNDARIES = (b"\n", b"<", b">")


def _read_pieces(handle: BinaryIO, size: int) -> Iterator[bytes]:
    """The bytes of `handle` in pieces of about `size` bytes, each ending just after a
    newline, `<` or `>` (or at the end). No pattern's token holds one of those, and each is
    a boundary for all three patterns as the start or end of a text is, so a piece finds
    exactly what the whole finds; and none splits a UTF-8 character. A piece is cut after
    the last boundary within `size` bytes, else after the first one beyond (else it is the
    rest). Read as needed: a province's 212 MB monthly.csv read whole took ≈ 330 MB beside
    the release's rows (as one Python text, ≈ 850 MB: docs/benchmarks.md)."""
    buf, ended, given = bytearray(), False, False

    def fill(n: int) -> None:  # at least n bytes in buf, or the whole rest
        nonlocal ended
        while len(buf) < n and not ended:
            more = handle.read(max(size, n - len(buf)))
            ended = not more
            buf.extend(more)

    while True:
        fill(size + 1)
        if len(buf) <= size:
            break
        cut = max(buf.rfind(d, 0, size) for d in _BOUNDARIES)
        while cut < 0:  # no boundary in the window: up to the next one, or all
            after = [i for i in (buf.find(d, size) for d in _BOUNDARIES) if i >= 0]
            if after:
                cut = min(after)
            elif ended:
                break
            else:
                fill(len(buf) + size)
        if cut < 0:
            break
        yield bytes(buf[:cut + 1])
        given = True
        del buf[:cut + 1]
    if buf or not given:
        yield bytes(buf)


def assert_no_personal_numbers(folder: Path, skip: tuple[str, ...] = ("history",)) -> None:
    """Raise ReleaseError naming the first file of `folder` (top-level names in `skip` left
    out) whose name or content (xlsx: any zipped part) holds a personal number."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(folder)
        if rel.parts[0] in skip:
            continue
        for part, text in chain([("", rel.as_posix())], _texts(path, rel.as_posix())):
            found = find_personal_numbers(text)
            if found:
                where = f"{rel.as_posix()}{':' + part if part else ''}"
                raise ReleaseError(
                    f"{where}: 含有个人信息 holds a {' and a '.join(found)}; "
                    "不发布 refusing to publish it"
                )


def _scrubbed(value, key: str = ""):
    if key in _KEEP:
        return value
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrubbed(v, key) for v in value]
    if isinstance(value, dict):
        return {(scrub(k) if isinstance(k, str) else k): _scrubbed(v, k)
                for k, v in value.items()}
    return value


def public_manifest(manifest: Manifest) -> Manifest:
    """The manifest as it may be published: inputs' paths as file labels (their folder and
    content hash), every other string (check details, waiver reasons, extra keys) scrubbed."""
    doc = manifest.model_dump(mode="json")
    for item in doc.get("inputs", []):
        item["path"] = file_label(item.get("path", ""), item.get("sha256") or None)
    return Manifest.model_validate(_scrubbed(doc))
