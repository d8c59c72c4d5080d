"""A run the daemon launched names its process, holds the warehouse lock while it runs, and
Dagster's run monitoring can tell a crashed one (cli/run_launcher.py, defs/resources.py)."""

import subprocess
import sys

import dagster as dg
from dagster._core.launcher.base import WorkerStatus

from orchestration.cli import instance
from orchestration.cli.run_launcher import CivstatRunLauncher
from orchestration.defs.resources import Warehouse
from orchestration.runlock import PID_TAG, STARTED_TAG, _held
from orchestration.settings import INBOX_ENV, MEMORY_LIMIT_ENV, WAREHOUSE_ENV


def _own_tags() -> tuple[str, str]:
    """This process's PID and its start time, read here from /proc/self/stat (field 22)."""
    import os
    from pathlib import Path

    stat = Path("/proc/self/stat").read_text()
    return str(os.getpid()), stat[stat.rindex(")") + 2:].split()[19]


def _run(tags: dict) -> dg.DagsterRun:
    return dg.DagsterRun(job_name="civstat_run", run_id="r1", tags=tags)


def test_the_instance_monitors_runs_with_civstats_launcher(tmp_path, monkeypatch):
    for name in ("DAGSTER_HOME", WAREHOUSE_ENV, INBOX_ENV, MEMORY_LIMIT_ENV):
        monkeypatch.setenv(name, "")
    home = instance.configure(None, tmp_path / "warehouse")
    with dg.DagsterInstance.from_config(str(home)) as inst:
        assert isinstance(inst.run_launcher, CivstatRunLauncher)
        assert inst.run_monitoring_enabled and inst.run_launcher.supports_check_run_worker_health
        assert inst.run_monitoring_max_resume_run_attempts == 0


def test_a_run_whose_process_is_gone_or_replaced_is_failed_a_live_one_running():
    launcher = CivstatRunLauncher()
    health = launcher.check_run_worker_health
    pid, started = _own_tags()
    assert health(_run({PID_TAG: pid, STARTED_TAG: started})).status == WorkerStatus.RUNNING
    assert health(_run({})).status == WorkerStatus.RUNNING  # just launched: not tagged yet
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert health(_run({PID_TAG: str(child.pid)})).status == WorkerStatus.FAILED
    # the PID of this process, but started at another time: a PID the kernel reused
    reused = {PID_TAG: pid, STARTED_TAG: "1"}
    assert health(_run(reused)).status == WorkerStatus.FAILED


def test_a_run_never_tagged_is_failed_after_a_while():
    import time

    from orchestration.cli import run_launcher

    with dg.instance_for_test() as inst:
        launcher = CivstatRunLauncher()
        launcher.register_instance(inst)
        run = inst.add_run(dg.DagsterRun(job_name="civstat_run", run_id="r2",
                                         status=dg.DagsterRunStatus.NOT_STARTED))
        inst.handle_new_event(dg.EventLogEntry(
            error_info=None, level="debug", user_message="", run_id="r2", timestamp=time.time()
            - run_launcher.UNTAGGED_SECONDS - 5, dagster_event=dg.DagsterEvent(
                dg.DagsterEventType.RUN_START.value, job_name="civstat_run")))
        assert inst.get_run_record_by_id("r2").start_time is not None
        assert launcher.check_run_worker_health(run).status == WorkerStatus.FAILED


def test_a_retry_gets_its_own_pid_tags_not_its_dead_parents(tmp_path):
    @dg.asset
    def probe(warehouse: Warehouse) -> None:
        pass

    with dg.instance_for_test() as inst:
        result = dg.materialize([probe], instance=inst, tags={PID_TAG: "999999999",
                                                               STARTED_TAG: "1"}, resources={
            "warehouse": Warehouse(path=str(tmp_path), inbox=str(tmp_path))})
        tags = inst.get_run_by_id(result.run_id).tags
    assert (tags[PID_TAG], tags[STARTED_TAG]) == _own_tags()


def test_a_run_without_a_pid_tag_gets_one_and_holds_the_lock_while_it_runs(tmp_path):
    seen = {}

    @dg.asset
    def probe(warehouse: Warehouse) -> None:
        seen["held"] = str(tmp_path.resolve()) in _held

    with dg.instance_for_test() as inst:
        result = dg.materialize([probe], instance=inst, resources={
            "warehouse": Warehouse(path=str(tmp_path), inbox=str(tmp_path))})
        tags = inst.get_run_by_id(result.run_id).tags
    assert seen == {"held": True} and str(tmp_path.resolve()) not in _held  # released after
    assert (tags[PID_TAG], tags[STARTED_TAG]) == _own_tags()
