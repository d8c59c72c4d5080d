"""The dbt started ahead (orchestration/cli/dbt_ready.py): the wrapper `civstat-dbt` has the
run's ready process run dbt with the wrapper's arguments, environment, folder and streams,
and exits with its status; the ready process dies with the wrapper, takes its signals, and
serves once; without one the wrapper falls back to exec'ing dbt.

A stand-in for dbt's command line (FAKE, written per test) keeps these tests fast."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.cli.dbt_ready import READY_ENV, run_ready, started

FAKE = '''
import os, sys, time

def main():
    print("args", " ".join(sys.argv[1:]), flush=True)
    print("env", os.environ.get("CIVSTAT_TEST_VALUE"), flush=True)
    print("cwd", os.getcwd(), flush=True)
    print("pid", os.getpid(), flush=True)
    print("on stderr", file=sys.stderr, flush=True)
    if os.environ.get("CIVSTAT_TEST_SLEEP"):
        try:
            print("sleeping", flush=True)
            time.sleep(60)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            return 130
    sys.exit(int(os.environ.get("CIVSTAT_TEST_STATUS", "0")))
'''

WRAPPER = str(Path(sys.executable).parent / "civstat-dbt")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


@pytest.fixture
def fake_dbt(tmp_path, monkeypatch):
    """The stand-in's entry, importable by the ready process; the warehouse folder."""
    (tmp_path / "fake_dbt_cli.py").write_text(FAKE)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [
        str(tmp_path), os.environ.get("PYTHONPATH", "")])))
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    return "fake_dbt_cli:main", warehouse


def _env(warehouse: Path, **extra) -> dict:
    return {**os.environ, "CIVSTAT_WAREHOUSE": str(warehouse), **extra}


def _gone(process: subprocess.Popen, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return process.poll() is not None


def test_the_wrapper_runs_dbt_in_the_ready_process_and_exits_with_its_status(fake_dbt):
    entry, warehouse = fake_dbt
    with started(entry=entry) as ready:
        out = subprocess.run([WRAPPER, "build", "--select", "fqn:*"], capture_output=True,
                             text=True, timeout=60,
                             env=_env(warehouse, CIVSTAT_TEST_VALUE="v1",
                                      CIVSTAT_TEST_STATUS="3"))
        assert _gone(ready)  # it served once and ended
    assert out.returncode == 3
    assert out.stdout.splitlines() == ["args build --select fqn:*", "env v1",
                                       f"cwd {warehouse}", f"pid {ready.pid}"]
    assert sorted(out.stderr.splitlines()) == [
        f"civstat-dbt: dbt runs in the process started ahead (PID {ready.pid})", "on stderr"]
    assert READY_ENV not in os.environ  # named only while the block ran


def test_the_ready_process_dies_with_the_wrapper(fake_dbt):
    entry, warehouse = fake_dbt
    with started(entry=entry) as ready:
        wrapper = subprocess.Popen([WRAPPER, "build"], stdout=subprocess.PIPE, text=True,
                                   stderr=subprocess.DEVNULL,
                                   env=_env(warehouse, CIVSTAT_TEST_SLEEP="1"))
        assert wrapper.stdout.readline() == "args build\n"  # the stand-in runs there
        assert ready.poll() is None
        wrapper.kill()
        wrapper.wait()
        assert _gone(ready)
        wrapper.stdout.close()


def test_sigint_reaches_dbt_in_the_ready_process(fake_dbt):
    entry, warehouse = fake_dbt
    with started(entry=entry):
        wrapper = subprocess.Popen([WRAPPER, "build"], stdout=subprocess.PIPE, text=True,
                                   stderr=subprocess.DEVNULL,
                                   env=_env(warehouse, CIVSTAT_TEST_SLEEP="1"))
        for _ in range(5):  # args, env, cwd, pid, sleeping: it waits for the signal now
            wrapper.stdout.readline()
        wrapper.send_signal(signal.SIGINT)  # as dagster-dbt stops a dbt it started
        assert wrapper.wait(timeout=30) == 130
        assert wrapper.stdout.read() == "interrupted\n"
        wrapper.stdout.close()


def test_it_serves_once_then_the_wrapper_execs_dbt(fake_dbt):
    entry, warehouse = fake_dbt
    with started(entry=entry):
        path = os.environ[READY_ENV]
        first = subprocess.run([WRAPPER, "build"], capture_output=True, text=True, timeout=60,
                               env=_env(warehouse))
        assert first.returncode == 0
        assert not Path(path).exists()
        assert run_ready(path, ["build"]) is None  # nobody there: the caller execs dbt
    assert not Path(path).parent.exists()  # its private folder removed


def test_a_ready_process_that_could_not_start_dbt_leaves_it_to_the_wrapper(fake_dbt):
    _, warehouse = fake_dbt
    with started(entry="no_such_module_civstat:main") as ready:
        path = os.environ[READY_ENV]
        assert _gone(ready)  # its import failed
        assert run_ready(path, ["build"]) is None


def test_an_unused_ready_process_is_ended_with_the_block(fake_dbt):
    entry, _ = fake_dbt
    with started(entry=entry) as ready:
        assert ready.poll() is None
    assert ready.poll() is not None


def test_the_folder_a_killed_run_left_is_removed_by_the_next(fake_dbt, tmp_path, monkeypatch):
    entry, _ = fake_dbt
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    left = tmp_path / f"civstat-dbt-{dead}-abc"  # a run that is gone left this
    alive = tmp_path / f"civstat-dbt-{os.getppid()}-def"  # a running process's
    for folder in (left, alive):
        folder.mkdir()
        (folder / "dbt.sock").touch()
    with started(entry=entry) as ready:
        assert Path(os.environ[READY_ENV]).parent.parent == tmp_path
        assert ready.poll() is None
    assert not left.exists() and alive.exists()


def test_the_next_run_finds_a_ready_process_that_outlived_its_run(fake_dbt, tmp_path):
    from orchestration.cli.stale import orphan_dbt

    entry, warehouse = fake_dbt
    probe = "import sys; from orchestration.cli.stale import orphan_dbt; print(orphan_dbt(sys.argv[1]))"
    with started(warehouse, entry=entry) as ready:
        # another process (the next run) sees it as a dbt of this warehouse ...
        other = subprocess.run([sys.executable, "-c", probe, str(warehouse)],
                               capture_output=True, text=True, timeout=60)
        assert other.stdout.strip() == f"[{ready.pid}]"
        # ... the run that started it does not (release_stale runs after it started)
        assert orphan_dbt(warehouse) == []
        assert ready.poll() is None


def test_a_request_that_ends_early_is_refused_not_waited_for():
    import socket

    from orchestration.cli import dbt_ready

    ours, theirs = socket.socketpair()
    with ours, theirs:
        socket.send_fds(ours, [b"\x00\x00"], [0, 1, 2])  # half of the length, then the end
        ours.shutdown(socket.SHUT_WR)
        with pytest.raises(EOFError):
            dbt_ready._receive(theirs)
    ours, theirs = socket.socketpair()
    with ours, theirs:
        socket.send_fds(ours, [b"\x00\x00\x00\x10{}"], [0, 1, 2])  # 16 bytes said, 2 sent
        ours.shutdown(socket.SHUT_WR)
        with pytest.raises(EOFError):
            dbt_ready._receive(theirs)
