"""Defect 1 of issue 16: a run killed mid-step no longer wedges the warehouse.

One real run on an empty inbox is killed with SIGKILL once it holds the `warehouse` pool
slot; the next command frees the slot, marks the dead run failed, says so, and completes
(not a hang). `make test` has the next command be `civstat ingest` (exit 0): it takes the very
path a `civstat run` takes (`cli/main.py` `_execute`: `release_stale`, then a job whose first
step, `raw_sources`, needs the `warehouse` slot), so a slot left held would hang it the same
way, in 15 s of CPU instead of a full run's 55. The case with a whole `civstat run` as the
next command (exit 0 or 2: published or gated) is marked e2e.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CIVSTAT = str(Path(sys.executable).parent / "civstat")


@contextlib.contextmanager
def _instance(home: Path):
    """The warehouse's Dagster instance, DAGSTER_HOME pointed at it meanwhile: its event log
    (where the pool slots are) lies under DAGSTER_HOME (`cli/event_log.py`), and a test run
    before this one in the same process may have pointed DAGSTER_HOME at another warehouse."""
    import dagster as dg

    with pytest.MonkeyPatch.context() as env:
        env.setenv("DAGSTER_HOME", str(home))
        with dg.DagsterInstance.from_config(str(home)) as inst:
            yield inst


def _claimed(home: Path) -> list[str]:
    if not (home / "dagster.yaml").exists():
        return []
    with _instance(home) as inst:
        if "warehouse" not in inst.event_log_storage.get_concurrency_keys():
            return []
        return [s.run_id for s in
                inst.event_log_storage.get_concurrency_info("warehouse").claimed_slots]


def _claimed_while_running(home: Path) -> list[str]:
    """The run ids holding the slot, read without opening a Dagster instance: an instance
    opened here while the run creates its storage could race it (read-only SQLite)."""
    index = home / "history" / "runs" / "index.db"
    if not index.exists():
        return []
    try:
        with sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=1) as con:
            rows = con.execute("select run_id from concurrency_slots where concurrency_key ="
                               " 'warehouse' and run_id is not null and deleted = 0").fetchall()
    except sqlite3.OperationalError:  # the table is not created yet, or locked a moment
        return []
    return [r[0] for r in rows]


@pytest.mark.parametrize(("second_command", "completed"), [
    (["ingest"], (0,)),
    # e2e: a whole run on an empty inbox (≈ 55 s CPU); its freeing is the `ingest` case's
    pytest.param(["run", "--period", "2025H1"], (0, 2), marks=pytest.mark.e2e),
], ids=["ingest", "run"])
def test_second_run_frees_what_a_killed_run_held(tmp_path, dbt_manifest, second_command,
                                                  completed):
    inbox, wh = tmp_path / "inbox", tmp_path / "wh"
    inbox.mkdir()
    argv = [CIVSTAT, "run", "--inbox", str(inbox), "--warehouse", str(wh), "--period", "2025H1"]
    env = {**os.environ, "CIVSTAT_PARSE_WORKERS": "1"}
    log = tmp_path / "first.log"
    with log.open("wb") as out:
        first = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240
    held = []
    while not held and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.5)
        held = _claimed_while_running(wh / "dagster")
    exited = first.poll()
    if exited is None:
        os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert held, (f"the first run never claimed the pool slot (it exited with {exited}):\n"
                  + log.read_text(errors="replace")[-3000:])
    second = subprocess.run([CIVSTAT, second_command[0], "--inbox", str(inbox), "--warehouse",
                             str(wh), *second_command[1:]],
                            env=env, capture_output=True, text=True, timeout=600)
    assert f"已释放被中断运行 {held[0]} 占用的资源" in second.stdout
    assert second.returncode in completed, second.stderr[-2000:]
    assert _claimed(wh / "dagster") == []

    import dagster as dg

    with _instance(wh / "dagster") as inst:
        assert inst.get_run_by_id(held[0]).status == dg.DagsterRunStatus.FAILURE
