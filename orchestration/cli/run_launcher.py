"""The run launcher of the Dagster instance civstat configures (cli/instance.py).

Dagster's `DefaultRunLauncher`, which also says whether a run's process still runs, so that
Dagster's run monitoring (enabled in `DAGSTER_YAML`) marks failed a run whose process was
killed (the OOM killer, `kill -9`, a power cut) and the retry daemon runs it again. Without
it a crashed run launched by a schedule, the sensor or the UI stayed STARTED for ever and
held the one run slot, so every later scheduled run queued behind it.

A run names its process in its tags (`runlock.run_tags`: the PID and its start time, set by
`civstat run` or, for a run the daemon launched, by the `warehouse` resource as the run
starts). A run without them yet (just launched) counts as running; Dagster's start timeout
covers a run that never starts.
"""

from __future__ import annotations

import dagster as dg

# no public home for these in dagster 1.13: the launcher interface's own result types
from dagster._core.launcher.base import CheckRunHealthResult, WorkerStatus

from orchestration.runlock import run_process_alive


class CivstatRunLauncher(dg.DefaultRunLauncher):
    """`DefaultRunLauncher` with a health check from the run's PID tags."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        alive = run_process_alive(run.tags)
        if alive is False:
            return CheckRunHealthResult(
                WorkerStatus.FAILED, "civstat: the run's process is gone (killed or power lost)")
        return CheckRunHealthResult(WorkerStatus.RUNNING)
