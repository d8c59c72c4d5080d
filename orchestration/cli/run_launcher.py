"""The run launcher of the Dagster instance civstat configures (cli/instance.py).

Dagster's `DefaultRunLauncher`, which also says whether a run's process still runs, so that
Dagster's run monitoring (enabled in `DAGSTER_YAML`) marks failed a run whose process was
killed (the OOM killer, `kill -9`, a power cut) and the retry daemon runs it again. Without
it a crashed run launched by a schedule, the sensor or the UI stayed STARTED for ever and
held the one run slot, so every later scheduled run queued behind it.

A run names its process in its tags (`runlock.run_tags`: the PID and its start time, set by
`civstat run` or, for a run the daemon launched, by the `warehouse` resource as the run
starts). A run without them counts as running for `UNTAGGED_SECONDS` after it started (its
resources are set up within seconds), then as failed: it died before it could say who runs
it. Dagster's start timeout covers a run that never reaches STARTED.
"""

from __future__ import annotations

import time

import dagster as dg

# no public home for these in dagster 1.13: the launcher interface's own result types
from dagster._core.launcher.base import CheckRunHealthResult, WorkerStatus

from orchestration.runlock import run_process_alive

UNTAGGED_SECONDS = 600


class CivstatRunLauncher(dg.DefaultRunLauncher):
    """`DefaultRunLauncher` with a health check from the run's PID tags."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        alive = run_process_alive(run.tags)
        if alive is None:
            record = self._instance.get_run_record_by_id(run.run_id) if self.has_instance \
                else None
            started = record.start_time if record is not None else None
            alive = started is None or time.time() - started < UNTAGGED_SECONDS
        if not alive:
            return CheckRunHealthResult(
                WorkerStatus.FAILED, "civstat: the run's process is gone (killed or power lost)")
        return CheckRunHealthResult(WorkerStatus.RUNNING)
