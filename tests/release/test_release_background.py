"""indicators.xlsx made in a second process (orchestration/release/background.py): the same
value as in process, the child's error carried back, the child ended by `close`, and a
release whose workbook was made aside byte-identical to one made in process."""

import multiprocessing
import os
import time

import pytest
from release_sample import SAMPLE, make_frame, make_manifest

import dashboards
from orchestration.release import background, write_release
from orchestration.release.background import Background

two_cores = pytest.mark.skipif(background.cores() < 2, reason="one core: made in process")


def _pid_and_double(x):
    return os.getpid(), x * 2


def _refuse(message):
    raise ValueError(message)


def _write_pid_then_sleep(path):
    with open(f"{path}.part", "w") as fh:
        fh.write(str(os.getpid()))
    os.rename(f"{path}.part", path)
    time.sleep(600)


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


@two_cores
def test_the_childs_error_is_raised_by_result():
    with Background(_refuse, "第3行 bad row") as job, pytest.raises(ValueError,
                                                                match="第3行 bad row"):
        job.result()


@two_cores
def test_close_ends_a_child_still_working(tmp_path):
    pidfile = tmp_path / "pid"
    job = Background(_write_pid_then_sleep, str(pidfile))
    deadline = time.monotonic() + 120
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(pidfile.read_text())
    job.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended and reaped, not left sleeping


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@two_cores
def test_a_workbook_made_aside_is_the_same_release(tmp_path, monkeypatch):
    made = []

    class Watched(Background):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self._pool is not None)

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
def test_a_release_failing_while_the_workbook_is_made_leaves_no_child(tmp_path, monkeypatch):
    monkeypatch.setattr(background, "MIN_ROWS", 0)

    def boom(view):
        raise RuntimeError("power cut")
        yield

    monkeypatch.setattr(dashboards, "pages", boom)
    with pytest.raises(RuntimeError, match="power cut"):
        write_release(tmp_path, "2025H1", make_frame(SAMPLE), make_manifest(run_id="run-a"))
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "2025H1").exists()
    assert list((tmp_path / ".staging").iterdir()) == []


def test_one_core_makes_it_in_process(monkeypatch):
    monkeypatch.setattr(background, "cores", lambda: 1)
    with Background(_pid_and_double, 1) as job:
        assert job.result() == (os.getpid(), 2)
