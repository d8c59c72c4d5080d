"""Ctrl-C during a civstat command stops it and says so (orchestration/interrupts.py).

An interrupt that Dagster or DuckDB swallows (taken as a flag between a step's events, or
turned into RuntimeError("Query interrupted")) once let the run go on and publish, or
reported a failed source. Here the interrupts are sent in-process: SIGINT to this process
while a load runs, as the terminal sends it.
"""

import os
import signal
import sys
import time
from concurrent.futures import wait
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "ingest"))
from hostile import gone, wait_gone  # noqa: E402
from ingest_cases import HH_HEADER, REGIONS, STANDARDS, Env, hh  # noqa: E402

from orchestration import interrupts  # noqa: E402
from orchestration.cli.main import EXIT_INTERRUPTED, main  # noqa: E402


@pytest.fixture
def watched():
    """Watching in this process; anything heard is forgotten afterwards."""
    interrupts.watch()
    yield
    interrupts.watch()


def _wait_heard(seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not interrupts.requested() and time.monotonic() < deadline:
        time.sleep(0.01)
    return interrupts.requested()


def test_an_interrupt_a_handler_swallows_is_still_heard(watched):
    before = signal.signal(signal.SIGINT, lambda *_: None)  # a handler that drops it
    try:
        assert not interrupts.requested()
        interrupts.stop_if_requested()  # nothing heard: no effect
        os.kill(os.getpid(), signal.SIGINT)
        assert _wait_heard()
        with pytest.raises(KeyboardInterrupt):
            interrupts.stop_if_requested()
        interrupts.watch()  # a new command forgets it
        assert not interrupts.requested()
    finally:
        signal.signal(signal.SIGINT, before)


def test_another_signal_is_not_an_interrupt(watched):
    before = signal.signal(signal.SIGUSR1, lambda *_: None)
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(0.2)
        assert not interrupts.requested()
    finally:
        signal.signal(signal.SIGUSR1, before)


@pytest.fixture
def inbox(tmp_path):
    env = Env(tmp_path)
    env.xlsx("regions/regions.xlsx", REGIONS)
    env.xlsx("dibao_standards/std.xlsx", STANDARDS)
    env.xlsx("dibao_households/hh.xlsx", [HH_HEADER, hh()])
    return env.inbox


def _swallowing_load(monkeypatch, at: str, calls: list):
    """pipeline.ingest_source, but loading `at` receives Ctrl-C, which is swallowed as
    DuckDB does during a query (the error it leaves: RuntimeError("Query interrupted"))."""
    from ingest import pipeline

    real = pipeline.ingest_source

    def load(source, *args, **kwargs):
        calls.append(source)
        if source == at:
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.5)  # Dagster's handler raises here, into DuckDB's hands
            except BaseException:  # noqa: BLE001 - as DuckDB takes it
                pass
            assert _wait_heard()
            raise RuntimeError("Query interrupted")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_source", load)


def test_a_swallowed_interrupt_stops_the_ingest_and_says_so(tmp_path, inbox, monkeypatch,
                                                           capsys):
    calls: list[str] = []
    _swallowing_load(monkeypatch, "dibao_standards", calls)
    code = main(["ingest", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh")])
    err = capsys.readouterr().err
    assert code == EXIT_INTERRUPTED == 130
    assert "已中断 interrupted (Ctrl-C)" in err and "Traceback" not in err
    # not retried as a failed load, and no source loaded after it
    assert calls.count("dibao_standards") == 1 and "dibao_households" not in calls
    assert "入库失败" not in err


def test_an_interrupt_dagster_raises_stops_the_ingest_and_says_so(tmp_path, inbox,
                                                                  monkeypatch, capsys):
    from ingest import pipeline

    real = pipeline.ingest_source

    def load(source, *args, **kwargs):
        if source == "dibao_standards":
            raise KeyboardInterrupt
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_source", load)
    code = main(["ingest", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh")])
    err = capsys.readouterr().err
    assert code == EXIT_INTERRUPTED
    assert "已中断 interrupted (Ctrl-C)" in err and "Traceback" not in err
    interrupts.watch()  # main watched in this process: nothing heard is left behind


def test_interrupts_heard_before_a_new_watch_are_forgotten(watched):
    before = signal.signal(signal.SIGINT, lambda *_: None)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        interrupts.watch()  # unread in the pipe yet: forgotten all the same
        assert not interrupts.requested()
    finally:
        signal.signal(signal.SIGINT, before)


def test_an_interrupt_between_two_sources_stops_before_the_next(tmp_path, inbox, monkeypatch,
                                                               capsys):
    """Ctrl-C while Dagster's own code runs (after a source was loaded) stops the ingest
    before the next source; the source loaded stays loaded."""
    from ingest import pipeline

    real, calls = pipeline.ingest_source, []

    def load(source, *args, **kwargs):
        calls.append(source)
        report = real(source, *args, **kwargs)
        if source == "regions":
            before = signal.signal(signal.SIGINT, lambda *_: None)  # as Dagster notes it
            try:
                os.kill(os.getpid(), signal.SIGINT)
                assert _wait_heard()
            finally:
                signal.signal(signal.SIGINT, before)
        return report

    monkeypatch.setattr(pipeline, "ingest_source", load)
    code = main(["ingest", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh")])
    assert code == EXIT_INTERRUPTED
    assert calls == ["regions"]
    assert "已中断 interrupted (Ctrl-C)" in capsys.readouterr().err
    import duckdb

    with duckdb.connect(str(tmp_path / "wh" / "civstat.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.regions").fetchone()[0] == 5
    interrupts.watch()


def _slow(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_an_interrupted_pool_ends_at_once_its_workers_ignore_ctrl_c():
    """A parse worker ignores Ctrl-C (the run handles it), and `stop` ends a busy pool at
    once: the exit of an interrupted run does not wait for the group being parsed."""
    from ingest import parallel

    pool = parallel.new_pool()
    try:
        busy = [pool.submit(_slow, 30) for _ in range(parallel.workers())]
        time.sleep(3)  # the workers have started and taken their work
        pids = [process.pid for process in pool._processes.values()]
        for pid in pids:
            os.kill(pid, signal.SIGINT)
        time.sleep(0.5)
        assert not any(gone(pid) for pid in pids)  # ignored
        started = time.monotonic()
        parallel.stop(pool)
        # by pid: the pool's own thread may reap a worker first, and a Process object whose
        # child another thread reaped still says it is alive
        assert all(wait_gone(pid, 10) for pid in pids)
        assert time.monotonic() - started < 10
        wait(busy, timeout=10)
        assert all(f.cancelled() or f.done() for f in busy)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def test_parse_workers_die_with_a_killed_parent():
    """SIGKILL (or the OOM killer) of the process that started the pool: its workers go
    too (they were left, ≈ 300 MB each, re-parented to init)."""
    import subprocess

    code = ("import time\nfrom ingest import parallel\npool = parallel.new_pool()\n"
            "busy = [pool.submit(time.sleep, 60) for _ in range(parallel.workers())]\n"
            "time.sleep(3)\nprint(*[p.pid for p in pool._processes.values()], flush=True)\n"
            "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              cwd=os.getcwd())
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert pids and not any(gone(pid) for pid in pids)
        parent.kill()
        parent.wait(10)
        assert all(wait_gone(pid, 10) for pid in pids)
    finally:
        parent.kill()
