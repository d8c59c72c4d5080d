"""One writer per warehouse: an exclusive `flock` on ``<warehouse>/.run.lock`` (docs/operations.md).

`civstat run` / `civstat ingest` take the lock before anything else and hold it for the
whole run; a second process sees it at once (``WarehouseBusy``, exit code 3) instead of
queueing behind a Dagster pool slot. The lock file holds the owner's PID and start time
(JSON) so the message can name it. The kernel drops a `flock` when its process dies, so a
killed run never leaves the lock behind: holding the lock proves no other civstat run is
alive on the warehouse (``orchestration/cli/stale.py`` relies on this).

Steps opening DuckDB call ``ensure_writer`` (via the `warehouse` resource): in a process
that holds the lock it is free; elsewhere (a run the Dagster daemon launched) it checks the
lock is not held by another process.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

from ingest.localtime import now_shanghai
from ingest.warehouse_layout import WarehouseLayout

_held: dict[str, list[int]] = {}  # resolved warehouse → [fd, depth]
PID_TAG = "civstat/pid"  # the run's tag naming the process that executes it
STARTED_TAG = "civstat/pid-started"  # that process's start, in clock ticks after boot


def _started(pid: int) -> str | None:
    """The process's start time (field 22 of /proc/<pid>/stat), None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[19]  # after the command's name in (…)


def run_tags() -> dict[str, str]:
    """Tags of a run this process executes: its PID and the PID's start time."""
    return {PID_TAG: str(os.getpid()), STARTED_TAG: _started(os.getpid()) or ""}


def pid_exists(pid: int) -> bool:
    """Whether a process `pid` exists (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_process_alive(tags: dict[str, str]) -> bool | None:
    """Whether the process a run's tags name still runs: None without a PID tag. A PID that
    now names another process (its start time differs from the tag's) is not the run's."""
    pid = tags.get(PID_TAG, "")
    if not pid.isdigit():
        return None
    if _started(os.getpid()) is None:  # no /proc here: whether the PID exists at all
        return pid_exists(int(pid))
    started = _started(int(pid))
    if started is None:
        return False
    return not tags.get(STARTED_TAG) or tags[STARTED_TAG] == started


class WarehouseBusy(Exception):
    """Another process writes the warehouse; the message names it and what to do."""

    def __init__(self, pid: int | None, started: str | None, what: str = "run") -> None:
        self.pid, self.started = pid, started
        if what == "duckdb":
            text = (f"另一个进程正在打开该数据仓库的数据库 (PID {pid}: {_cmdline(pid)}); "
                    "请等待其结束或关闭它 / another process holds the warehouse database open")
        else:
            text = (f"另一个运行正在使用该数据仓库 (PID {pid}, 开始于 {started or '未知'}); "
                    "请等待其结束 / another run is using this warehouse; wait for it to end")
        super().__init__(text)


def _cmdline(pid: int | None) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()[:200] or "?"
    except (OSError, TypeError):
        return "?"


def lock_path(warehouse: Path) -> Path:
    return WarehouseLayout(warehouse).run_lock


def holder(warehouse: Path) -> dict:
    """{"pid": n, "started": "…"} the current (or last) owner wrote; {} when unknown."""
    try:
        return json.loads(lock_path(warehouse).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def acquire(warehouse: Path) -> None:
    """Take the lock (re-entrant within a process) or raise ``WarehouseBusy`` at once."""
    key = str(Path(warehouse).resolve())
    if key in _held:
        _held[key][1] += 1
        return
    path = lock_path(Path(key))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        owner = holder(Path(key))
        raise WarehouseBusy(owner.get("pid"), owner.get("started")) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps({"pid": os.getpid(), "started": now_shanghai().strftime(
        "%Y-%m-%d %H:%M:%S")}).encode(), 0)
    _held[key] = [fd, 1]


def release(warehouse: Path) -> None:
    key = str(Path(warehouse).resolve())
    entry = _held.get(key)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] == 0:
        del _held[key]
        os.close(entry[0])  # closing the descriptor drops the flock


@contextmanager
def hold(warehouse: Path):
    acquire(warehouse)
    try:
        yield
    finally:
        release(warehouse)


def ensure_writer(warehouse: Path) -> None:
    """Raise ``WarehouseBusy`` unless this process may open the warehouse's DuckDB."""
    if str(Path(warehouse).resolve()) in _held:
        return
    with hold(warehouse):  # free now: nobody else runs (released at once)
        pass


_DUCKDB_PID = re.compile(r"Conflicting lock is held in .*\(PID (\d+)\)")


def check_database_free(warehouse: Path) -> None:
    """Raise ``WarehouseBusy`` naming the process that holds the `.duckdb` open, if any."""
    import duckdb

    db = WarehouseLayout(warehouse).db
    if not db.exists():
        return
    try:
        duckdb.connect(str(db), read_only=True).close()
    except duckdb.IOException as e:
        m = _DUCKDB_PID.search(str(e))
        if m is None:
            raise
        raise WarehouseBusy(int(m.group(1)), None, what="duckdb") from None
