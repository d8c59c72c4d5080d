"""File-system moves of a release: lock, history links, hashes, the atomic symlink swap."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from orchestration.release.rows import ReleaseError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@contextmanager
def locked(lock_file: Path):
    """One writer per period at a time (advisory lock, released when the process dies)."""
    with open(lock_file, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def compact_time(created_at) -> str:
    """'2025-07-03T10:15:00+08:00' → '20250703T101500' (the wall-clock time as written)."""
    try:
        return datetime.fromisoformat(str(created_at)).strftime("%Y%m%dT%H%M%S")
    except ValueError:
        raise ReleaseError(f"created_at {created_at!r} 不是ISO时间 is not an ISO date-time") from None


def clear_stale(staging: Path, prefix: str) -> None:
    """Remove staging folders of this period (only called while holding the period's lock)."""
    for entry in staging.iterdir():
        if entry.name.startswith(prefix) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def write_bytes(path: Path, data: bytes) -> None:
    write_chunks(path, [data])


def write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """A new file (FileExistsError when there is one) of `chunks` in order, synced to disk;
    a large file need not be held whole."""
    with open(path, "xb") as handle:
        for chunk in chunks:
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def hash_files(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """{posix path relative to folder: sha256} of every file, except top-level names in skip."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if rel.parts[0] not in skip:
            out[rel.as_posix()] = sha256(path)
    return out


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def manifest_bytes(manifest: dict) -> bytes:
    try:
        text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2,
                          default=_json_default)
    except (TypeError, ValueError) as exc:
        raise ReleaseError(f"manifest 无法写成JSON cannot be written as JSON: {exc}") from None
    return (text + "\n").encode("utf-8")


def open_folders(*folders: Path) -> None:
    """Folders of the published tree are 0755 whatever the run's umask (a release holds no
    personal data; the warehouse around it is private, ingest/warehouse_layout.py)."""
    for folder in folders:
        folder.chmod(0o755)


def freeze_file(path: Path) -> None:
    """Make a published file read-only and flush it to disk."""
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def freeze(folder: Path) -> None:
    """Freeze every file under folder (folders stay removable)."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            freeze_file(path)


def _link_tree(src: Path, dst: Path, skip: tuple[str, ...] = ()) -> None:
    """Recreate src at dst with hard links (copies where linking is impossible)."""
    dst.mkdir(parents=True)
    for entry in sorted(src.iterdir()):
        target = dst / entry.name
        if entry.name in skip:
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), target)
        elif entry.is_dir():
            _link_tree(entry, target)
        else:
            try:
                os.link(entry, target)
            except OSError:
                shutil.copy2(entry, target)


LEDGER = "manifests.jsonl"  # under published/.releases/: every manifest.json published


def record_manifest(releases_root: Path, period: str, run_id: str, manifest: Path) -> None:
    """Append {period, run_id, sha256} of a manifest about to be published to
    `releases_root/LEDGER` (fsync'd), so that `civstat verify` can tell a manifest.json
    changed after publishing: a release's files are checked against its manifest, and the
    manifest itself against this line."""
    line = json.dumps({"period": period, "run_id": run_id, "sha256": sha256(manifest)})
    path = releases_root / LEDGER
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    path.chmod(0o644)


def read_ledger(releases_root: Path) -> dict[str, str]:
    """run_id → the SHA-256 of the manifest.json it published (`record_manifest`); lines that
    cannot be read are left out (a release without a line is not checked against it)."""
    out = {}
    try:
        lines = (releases_root / LEDGER).read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        try:
            entry = json.loads(line)
            out[str(entry["run_id"])] = str(entry["sha256"])
        except (ValueError, KeyError, TypeError):
            continue
    return out


def release_label(release: Path) -> str:
    """history entry name of a release: <created_at compact>_<run_id>."""
    try:
        meta = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
        stamp, run_id = compact_time(meta["created_at"]), str(meta["run_id"])
    except (OSError, ValueError, KeyError, TypeError, ReleaseError):
        mtime = datetime.fromtimestamp(release.stat().st_mtime)
        stamp, run_id = mtime.strftime("%Y%m%dT%H%M%S"), release.name
    return f"{stamp}_{_UNSAFE.sub('-', run_id)}"


def label_run_id(label: str) -> str:
    """The run id a history entry's name (`release_label`: <time>_<run_id>) ends with."""
    return label.split("_", 1)[1] if "_" in label else label


def keep_history(current: Path, history: Path) -> None:
    """history/ of the new release = the current release and every entry of its history."""
    history.mkdir()
    _link_tree(current, history / release_label(current), skip=("history",))
    old = current / "history"
    if old.is_dir():
        for entry in sorted(old.iterdir()):
            if entry.is_dir() and not (history / entry.name).exists():
                _link_tree(entry, history / entry.name)


def adopt_current(link: Path, releases: Path) -> Path | None:
    """The folder of the period's current release, or None.

    An old-style plain folder at published/<P> is first moved under .releases/<P>/ and
    linked back (the one step where readers may briefly find no release)."""
    if link.is_symlink():
        target = link.resolve()
        return target if target.is_dir() else None
    if not link.exists():
        return None
    if not link.is_dir():
        raise ReleaseError(f"{link}: 不是发布目录 exists and is not a release folder")
    name = release_label(link).split("_", 1)[1] or "legacy"
    dest = releases / name
    n = 1
    while dest.exists():
        n += 1
        dest = releases / f"{name}.{n}"
    os.rename(link, dest)
    swap(link, dest)
    return dest


def swap(link: Path, target: Path) -> None:
    """Point `link` at `target` atomically: a new relative symlink os.replace'd onto it."""
    tmp = link.parent / f".{link.name}.{uuid.uuid4().hex}.tmp"
    os.symlink(os.path.relpath(target, link.parent), tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
