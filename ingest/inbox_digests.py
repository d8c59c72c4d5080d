"""The SHA-256 of an inbox file, read again only when the file may have changed (issue 18).

Every run identifies every inbox file by its content's sha256 (data contract: the same
file dropped twice, same content hash, is loaded once; the parse cache is keyed by it).
Reading the whole inbox for that cost an added month the bytes of every earlier month too:
a province's 2.3 GB, ≈ 3 s of a run with nothing new on a warm page cache and ≈ 10 s from a
cold one (docs/benchmarks.md, "Issue 18, twelfth round"). So the digest of a file is kept
beside the parse cache, ``<warehouse>/cache/parsed/index/<source>.digests.json``::

    {relative path: [st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns, sha256 hex]}

and a file whose ``stat`` still shows all five is not read again. The status-change time
(ctime) is the guard: the kernel sets it on every write, truncate, rename onto, link or
chmod, and no user tool can set it back (``touch -d`` and ``cp -p`` set the mtime only,
and move the ctime while doing so). Git's index trusts a file on the same fields.

That holds only where the kernel keeps the ctime itself and ``stat`` asks the file system:
a local disk or memory (``TRUSTED_FS``, the inbox's file system read from
/proc/self/mountinfo by its device). FAT keeps no ctime (Linux shows the mtime), sshfs
likewise, and NFS and CIFS may answer ``stat`` from a cache of a few seconds: on those, and
on any file system not known, every file is read at every run, as before.

Racy files, as git calls them: a file changed again within one tick of the file system's
clock may keep the same times. So a digest is kept only when the file's last change
(mtime or ctime, whichever is later) was already ``SETTLED_NS`` old before it was read; a
file changed more recently is read in full at every run until it has settled. A lost,
stale or corrupt index costs a read, never a wrong digest.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from ingest.cache_index import INDEX_DIR, load_json, save_json

SETTLED_NS = 2_000_000_000  # 2 s: above the timestamp tick of every TRUSTED_FS
# local file systems whose ctime the kernel sets on every change (mountinfo's type names)
TRUSTED_FS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "zfs", "tmpfs",
                        "overlay"})


def mounted_types(mountinfo: str) -> dict[tuple[int, int], str]:
    """{(major, minor): file system type} from the text of /proc/<pid>/mountinfo (fields:
    id, parent, major:minor, root, mount point, options, optional fields, "-", type, …);
    a malformed line is skipped."""
    out: dict[tuple[int, int], str] = {}
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields, kind = left.split(), right.split()[:1]
        if not sep or len(fields) < 3 or not kind:
            continue
        major, _, minor = fields[2].partition(":")
        if major.isdigit() and minor.isdigit():
            out.setdefault((int(major), int(minor)), kind[0])
    return out


def _mounts() -> dict[tuple[int, int], str]:
    """This process's mounts (`mounted_types`); {} where there is no /proc (not Linux)."""
    try:
        return mounted_types(Path("/proc/self/mountinfo").read_text(encoding="utf-8",
                                                                    errors="replace"))
    except OSError:
        return {}


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class DigestIndex:
    """The digests of one source's inbox files; ``save`` keeps only the files looked up
    since it was opened (the source's current files)."""

    def __init__(self, cache_dir: Path, source: str):
        self.path = Path(cache_dir) / INDEX_DIR / f"{source}.digests.json"
        self._old = load_json(self.path)
        self._new: dict[str, list] = {}
        self._mounts = _mounts()  # read once per source and run: a mount may come and go

    def trusted(self, st: os.stat_result) -> bool:
        """Whether the file system `st` is on is one of TRUSTED_FS."""
        return self._mounts.get((os.major(st.st_dev), os.minor(st.st_dev))) in TRUSTED_FS

    def digest(self, full: Path, rel: str) -> tuple[str, os.stat_result, os.stat_result]:
        """(sha256 hex of `full`'s bytes, its stat before the read, its stat after). On a
        kept digest nothing is read and both stats are the one taken now. `rel`: the
        file's path in the inbox (the index's key). Raises OSError as ``open`` does."""
        now = time.time_ns()  # before the stat: the file had settled before it was read
        before = full.stat()
        key, trusted = _stat_key(before), self.trusted(before)
        line = self._old.get(rel)
        if trusted and isinstance(line, list) and len(line) == 6 and line[:5] == key \
                and isinstance(line[5], str):
            self._new[rel] = line
            return line[5], before, before
        with open(full, "rb") as fh:
            sha = hashlib.file_digest(fh, "sha256").hexdigest()
        after = full.stat()
        changed = max(after.st_mtime_ns, after.st_ctime_ns)
        if trusted and _stat_key(after) == key and now - changed >= SETTLED_NS:
            self._new[rel] = [*key, sha]
        return sha, before, after

    def save(self) -> None:
        """Write the index (``cache_index.save_json``) when it changed."""
        if self._new != self._old:
            save_json(self.path, self._new)
