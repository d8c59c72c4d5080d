"""Clearing what a killed run left behind, at the start of every run (docs/operations.md).

Called only while this process holds the warehouse lock (``orchestration/runlock.py``):
then no other civstat run is alive, so every run the instance still records as in
progress is dead (its process was killed, or the machine lost power). For each: free the
Dagster pool slots it claimed (pool ``warehouse``: otherwise every later run waits on the
slot forever), mark it failed, and say so. A ``dbt`` process still working on this
warehouse (the orphan of a killed run) is stopped first, so nothing keeps writing.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from orchestration.runlock import PID_TAG, pid_exists, run_process_alive
from orchestration.settings import WAREHOUSE_ENV

IN_PROGRESS = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.CANCELING, dg.DagsterRunStatus.NOT_STARTED]
POOLS = ["warehouse"]
# a run the daemon has just launched (STARTING, NOT_STARTED) may not have its lock yet
YOUNG_SECONDS = 300


# dbt's processes as a run starts them: `civstat-dbt` (cli/dbt_child.py), which runs dbt's
# command line in its own process; `dbt`, as started by hand or by an older civstat
DBT_COMMANDS = ("civstat-dbt", "dbt")


def orphan_dbt(warehouse: Path) -> list[int]:
    """PIDs of dbt processes (`DBT_COMMANDS`, other than ours) whose CIVSTAT_WAREHOUSE is
    this warehouse."""
    want = f"{WAREHOUSE_ENV}={Path(warehouse).resolve()}".encode()
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().split(b"\0")
            if not any(Path(a.decode("utf-8", "replace")).name in DBT_COMMANDS
                       for a in cmd[:3]):
                continue
            if want in (d / "environ").read_bytes().split(b"\0"):
                found.append(int(d.name))
        except OSError:
            continue
    return found


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            time.sleep(0.1)
            if not pid_exists(pid):
                return
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def release_stale(instance: dg.DagsterInstance, warehouse: Path) -> list[str]:
    """Stop orphaned dbt, fail dead runs, free their slots; the console lines saying so."""
    said = []
    for pid in orphan_dbt(warehouse):
        _stop(pid)
        said.append(f"已停止被中断运行遗留的 dbt 进程 (PID {pid}) / stopped an orphaned dbt")
    now = datetime.now(UTC).timestamp()
    dead = set()
    for rec in instance.get_run_records(dg.RunsFilter(statuses=IN_PROGRESS)):
        run = rec.dagster_run
        pid = run.tags.get(PID_TAG)
        if pid and pid.isdigit() and int(pid) != os.getpid() and not run_process_alive(run.tags):
            dead.add(run.run_id)
        elif not pid:  # not started by `civstat run`: dead unless just launched
            updated = rec.update_timestamp.timestamp() if rec.update_timestamp else 0
            if run.status == dg.DagsterRunStatus.STARTED or now - updated > YOUNG_SECONDS:
                dead.add(run.run_id)
    storage = instance.event_log_storage
    for pool in POOLS:  # slots claimed by runs that are no longer in progress at all
        for slot in storage.get_concurrency_info(pool).claimed_slots:
            run = instance.get_run_by_id(slot.run_id)
            if run is None or run.is_finished:
                dead.add(slot.run_id)
    for run_id in sorted(dead):
        storage.free_concurrency_slots_for_run(run_id)
        run = instance.get_run_by_id(run_id)
        if run is not None and not run.is_finished:
            instance.report_run_failed(run, message="civstat: the run's process is gone "
                                       "(killed or power lost); marked failed at the next run")
        said.append(f"已释放被中断运行 {run_id} 占用的资源 / freed the slots of interrupted "
                    f"run {run_id} and marked it failed")
    return said
