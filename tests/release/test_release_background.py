"""indicators.xlsx made in a second process (orchestration/release/background.py): the same
value as in process, the child's error carried back, a child that dies replaced by the work
in process, the child ended by `close` and by a failing release, and a release whose
workbook was made aside byte-identical to one made in process."""

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from release_sample import SAMPLE, make_frame, make_manifest

import dashboards
from orchestration.release import background, write_release, writer
from orchestration.release.background import Background

two_cores = pytest.mark.skipif(background.cores() < 2, reason="one core: made in process")
PIDFILE_ENV = "CIVSTAT_TEST_ASIDE_PIDFILE"  # the spawned child inherits the environment


def _pid_and_double(x):
    return os.getpid(), x * 2


def _refuse(message):
    raise ValueError(message)


def _write_pid(path):
    with open(f"{path}.part", "w") as fh:
        fh.write(str(os.getpid()))
    os.rename(f"{path}.part", path)


def _slow_in_a_child(path, parent):
    """In a child: note its pid and sleep; in the parent itself: its pid at once."""
    if os.getpid() != parent:
        _write_pid(path)
        time.sleep(600)
    return os.getpid()


def _slow_workbook(cells, manifest):  # stands in for tables.xlsx_bytes
    _write_pid(os.environ[PIDFILE_ENV])
    time.sleep(600)
    return b""


def _wait_for(path: Path) -> int:
    deadline = time.monotonic() + 120
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return int(path.read_text())


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@two_cores
def test_aside_runs_in_another_process_and_returns_its_value():
    with Background(_pid_and_double, 21) as job:
        pid, value = job.result()
    assert value == 42 and pid != os.getpid()
    assert multiprocessing.active_children() == []


def test_not_aside_runs_at_once_in_this_process():
    job = Background(_pid_and_double, 21, aside=False)
    assert job.result() == (os.getpid(), 42)
    job.close()
    assert job.result() == (os.getpid(), 42)


def test_one_core_makes_it_in_process(monkeypatch):
    monkeypatch.setattr(background, "cores", lambda: 1)
    with Background(_pid_and_double, 1) as job:
        assert job.result() == (os.getpid(), 2)


@two_cores
def test_the_childs_error_is_raised_by_result():
    with Background(_refuse, "第3行 bad row") as job, pytest.raises(ValueError,
                                                                match="第3行 bad row"):
        job.result()


@two_cores
def test_a_child_that_dies_is_replaced_by_the_work_in_process(tmp_path):
    pidfile = tmp_path / "pid"
    with Background(_slow_in_a_child, str(pidfile), os.getpid()) as job:
        os.kill(_wait_for(pidfile), signal.SIGKILL)  # as the kernel's OOM killer would
        assert job.result() == os.getpid()  # not a hang: made here instead
    assert multiprocessing.active_children() == []


@two_cores
def test_close_ends_a_child_still_working(tmp_path):
    pidfile = tmp_path / "pid"
    job = Background(_slow_in_a_child, str(pidfile), os.getpid())
    pid = _wait_for(pidfile)
    job.close()
    assert _gone(pid)  # ended and reaped, not left sleeping


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@two_cores
def test_a_workbook_made_aside_is_the_same_release(tmp_path, monkeypatch):
    made = []

    class Watched(Background):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self._process is not None)

    monkeypatch.setattr(background, "Background", Watched)
    releases = {}
    for min_rows in (len(SAMPLE) + 1, len(SAMPLE)):  # in process, then aside
        monkeypatch.setattr(background, "MIN_ROWS", min_rows)
        root = tmp_path / str(min_rows)
        releases[min_rows] = _snapshot(write_release(
            root, "2025H1", make_frame(SAMPLE), make_manifest(run_id="run-a"), pages=False))
    assert made == [False, True]
    inside, aside = releases.values()
    assert aside["indicators.xlsx"] == inside["indicators.xlsx"]
    assert aside == inside


@two_cores
def test_a_release_failing_while_the_workbook_is_made_ends_the_child(tmp_path, monkeypatch):
    pidfile = tmp_path / "pid"
    monkeypatch.setenv(PIDFILE_ENV, str(pidfile))
    monkeypatch.setattr(background, "MIN_ROWS", 0)
    monkeypatch.setattr(writer, "xlsx_bytes", _slow_workbook)

    def boom(view):
        _wait_for(pidfile)  # the workbook's child is at work
        raise RuntimeError("power cut")
        yield

    monkeypatch.setattr(dashboards, "pages", boom)
    root = tmp_path / "published"
    with pytest.raises(RuntimeError, match="power cut"):
        write_release(root, "2025H1", make_frame(SAMPLE), make_manifest(run_id="run-a"))
    assert _gone(int(pidfile.read_text()))
    assert multiprocessing.active_children() == []
    assert not (root / "2025H1").exists()
    assert list((root / ".staging").iterdir()) == []


# A release (parent) with its workbook's child at work; the test kills the parent.
PARENT = """
import time
from orchestration.release.background import Background
job = Background(time.sleep, 120)
print(job._process.pid, flush=True)
time.sleep(120)
"""


def _ended(pid: int) -> bool:
    try:
        return "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text()  # a zombie: ended
    except FileNotFoundError:
        return True


@two_cores
def test_the_child_dies_with_the_release_that_started_it():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)  # no `close`, no `finally`: the kernel's doing
    parent.wait()
    deadline = time.monotonic() + 60
    while not _ended(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ended(child)
