"""What the parse cache's entries say of themselves, kept beside them so a run need not
open every entry (issue 18: reading the footers of a province's 33 000 entries took ≈ 15 s
of every added month, at ≈ 0.4 ms each).

``<warehouse>/cache/parsed/index/<source>.json`` maps a content's sha256 to the entry's
``[inode, size, mtime_ns]`` and the ``FileInfo`` in its footer. An index line is trusted
only while the entry's file is the one it was read from (same inode, size and modification
time to the nanosecond); an entry written again (``os.replace`` of a new file) no longer
matches, and its footer is read as before. So a lost, stale or corrupt index costs time,
never a wrong parse: the footer stays the one source of truth (``cache.read_info``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from ingest.cache import FileInfo, entry_path, fits, read_info
from ingest.warehouse_layout import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE

INDEX_DIR = "index"


class CacheIndex:
    """The index of one source's entries; ``save`` keeps only the entries looked up or
    recorded since it was opened (the source's current files)."""

    def __init__(self, cache_dir: Path, source: str):
        self.cache_dir = Path(cache_dir)
        self.path = self.cache_dir / INDEX_DIR / f"{source}.json"
        self._old = load_json(self.path)
        self._new: dict[str, list] = {}

    def cached(self, sha: str, tag: str) -> tuple[Path, FileInfo] | None:
        """As ``cache.cached``: the entry of a content parsed with these settings, or None."""
        target = entry_path(self.cache_dir, sha, tag)
        stamp = _stamp(target)
        if stamp is None:
            return None
        line = self._old.get(sha)
        info = None
        if isinstance(line, list) and len(line) == 2 and line[0] == stamp:
            try:
                info = FileInfo(**line[1])
                self._new[sha] = line
            except TypeError:  # a field renamed since: read the footer
                info = None
        if info is None:
            info = read_info(target)
            if info is None:
                return None
            self._new[sha] = [stamp, asdict(info)]
        return (target, info) if fits(info, sha, tag) else None

    def record(self, sha: str, entry: Path, info: FileInfo) -> None:
        """An entry this run wrote (``info``: what its footer holds)."""
        stamp = _stamp(Path(entry))
        if stamp is not None:
            self._new[sha] = [stamp, asdict(info)]

    def save(self) -> None:
        """Write the index (``save_json``) when it changed."""
        if self._new != self._old:
            save_json(self.path, self._new)


def load_json(path: Path) -> dict:
    """An index written by `save_json`; {} when it is missing, unreadable or not an object
    (an index only saves time)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_json(path: Path, data: dict) -> None:
    """Write `data` to `path` as JSON atomically and owner-only (as the cache). A failure to
    write (a full disk, say) is ignored and leaves no file behind: an index only saves time.
    A value JSON cannot hold raises before any file is made (`TypeError`, or `ValueError`
    for a circular one: a caller's bug)."""
    # ASCII: a key may hold an undecodable file name's surrogates (\udcXX). `dumps`, not
    # `dump`: the one-shot text is made by json's C encoder, `dump` streams it through the
    # Python one (≈ 3 × the CPU for a province source's 12 870 entries)
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    try:
        path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except (OSError, ValueError):  # no half-written file is left behind
        tmp.unlink(missing_ok=True)


def _stamp(entry: Path) -> list[int] | None:
    """[inode, size, mtime_ns] of an entry's file, or None when it is gone."""
    try:
        st = entry.stat()
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]
