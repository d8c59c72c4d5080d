"""Defect 2 of issue 16: one writer per warehouse, seen at once, named, exit code 3."""

import subprocess
import sys
import time

from orchestration.cli.main import EXIT_BUSY, main

HOLD_LOCK = """
import sys, time
from orchestration.runlock import acquire
acquire(sys.argv[1]); print("held", flush=True); time.sleep(60)
"""
HOLD_DB = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1]); print("held", flush=True); time.sleep(60)
"""


def _holder(code: str, arg: str) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", code, arg], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def test_second_run_exits_at_once_naming_the_first(tmp_path, capsys):
    (tmp_path / "inbox").mkdir()
    wh = tmp_path / "wh"
    p = _holder(HOLD_LOCK, str(wh))
    try:
        t0 = time.monotonic()
        code = main(["run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(wh),
                     "--period", "2025H1"])
        took = time.monotonic() - t0
    finally:
        p.kill()
        p.wait()
    err = capsys.readouterr().err
    assert code == EXIT_BUSY == 3
    assert f"另一个运行正在使用该数据仓库 (PID {p.pid}, 开始于 " in err and "请等待其结束" in err
    assert "failed before the gate" not in err
    assert took < 10  # no Dagster job was started


def test_a_process_holding_the_database_is_named(tmp_path, capsys):
    (tmp_path / "inbox").mkdir()
    wh = tmp_path / "wh"
    wh.mkdir()
    p = _holder(HOLD_DB, str(wh / "civstat.duckdb"))
    try:
        code = main(["ingest", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(wh)])
    finally:
        p.kill()
        p.wait()
    err = capsys.readouterr().err
    assert code == EXIT_BUSY
    assert f"(PID {p.pid}:" in err and "failed before the gate" not in err


def test_the_lock_is_gone_when_its_holder_is_killed(tmp_path):
    from orchestration.runlock import hold

    p = _holder(HOLD_LOCK, str(tmp_path))
    p.kill()
    p.wait()
    with hold(tmp_path):  # the kernel dropped the dead holder's flock
        pass
