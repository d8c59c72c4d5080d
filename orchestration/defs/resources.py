"""Resources: where the inbox and the warehouse are, and the dbt CLI.

Both paths come from environment variables resolved when a run starts (never at import):
`CIVSTAT_WAREHOUSE` (dbt runs in that folder: cli/dbt_child.py) and `CIVSTAT_INBOX`; their
names and DuckDB's memory limit are in orchestration/settings.py.
"""

import os
import sys
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from orchestration.defs.project import dbt_project
from orchestration.runlock import PID_TAG, acquire, ensure_writer, release, run_tags
from orchestration.settings import DB_FILE, INBOX_ENV, WAREHOUSE_ENV, memory_limit


class Warehouse(dg.ConfigurableResource):
    """The warehouse directory (database, caches, quarantine, releases) and the inbox it reads."""

    path: str
    inbox: str

    @property
    def dir(self) -> Path:
        return Path(self.path)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """For the whole run: hold the warehouse lock (re-entrant: `civstat run` holds it
        already), and tag the run with this process's PID and its start time unless the tags
        name this process (a run the daemon launched: a schedule, the sensor, the UI, a
        retry, whose inherited tags name the dead parent's process). Then `civstat run` sees
        the lock held and waits its turn instead of taking a live run for a dead one, and the
        run launcher's health check (cli/run_launcher.py) tells a crashed run from a live one.

        Raises `runlock.WarehouseBusy` when another process holds the lock."""
        if context.run is None or context.instance is None:
            return
        acquire(self.dir)
        # a retry or re-execution inherits its parent's tags: only this process's PID
        # (`civstat run` tags its own run before it starts it) may stay
        if context.run.tags.get(PID_TAG) != str(os.getpid()):
            context.instance.add_run_tags(context.run.run_id, run_tags())

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if context.run is not None and context.instance is not None:
            release(self.dir)

    @property
    def inbox_dir(self) -> Path:
        return Path(self.inbox)

    @property
    def db_path(self) -> Path:
        return self.dir / DB_FILE

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A short-lived connection; close it before dbt runs (DuckDB allows one writer).

        DuckDB may use at most `settings.memory_limit()` (it spills to disk beyond), the
        same limit dbt's connection gets, so the run stays within the machine's budget at
        province scale. Raises `runlock.WarehouseBusy` when another process holds the
        warehouse lock (a run the daemon launched while `civstat run` writes).
        """
        self.dir.mkdir(parents=True, exist_ok=True)
        ensure_writer(self.dir)  # never while another run holds the warehouse lock
        return duckdb.connect(str(self.db_path), read_only=read_only,
                              config={"memory_limit": memory_limit()})


class ReleaseSettings(dg.ConfigurableResource):
    """Which period a run checks and publishes, and who publishes it.

    `civstat run` passes them as run config; schedules pass their own.
    """

    period: str = ""
    published_by: str = "civstat"


def release_run_config(period: str, published_by: str) -> dict:
    """The run config that hands a run its period and publisher (`civstat run`, schedules).

    `period` is a canonical period code (`Period.code`, e.g. "2025H1"); the result is
    {"resources": {"release_settings": {"config": {"period": …, "published_by": …}}}}.
    """
    return {"resources": {"release_settings": {"config": {
        "period": period, "published_by": published_by}}}}


def venv_dbt() -> str:
    """The dbt installed beside this Python (the venv's), so PATH does not matter."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def dbt_executable() -> str:
    """`civstat-dbt` beside this Python (orchestration/cli/dbt_child.py: dbt then dies with
    the run that started it; docs/operations.md), else `venv_dbt`."""
    child = Path(sys.executable).parent / "civstat-dbt"
    return str(child) if child.exists() else venv_dbt()


class CivstatDbtCli(DbtCliResource):
    """dagster-dbt's dbt CLI resource without its two probes before every `dbt build`.

    dagster-dbt 0.29 runs `<dbt> --version` (a second interpreter start, ≈ 2 s) to tell dbt
    Core from the Fusion engine, and builds a dbt adapter in this process (≈ 3–7 s: dbt's
    imports, profile, project and base macros) that it uses only to fetch row counts or
    column metadata, which civstat does not ask for (docs/benchmarks.md "dbt step"). The
    executable is civstat's own wrapper of the dbt-core installed beside this Python, so
    its version is that package's; the events dbt streams are the same without an adapter.
    """

    @property
    def _cli_version(self):  # dagster-dbt: a cached_property running `dbt --version`
        from importlib.metadata import version as installed

        from packaging import version

        return version.parse(installed("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - dagster-dbt's signature
        return None  # no row counts or column metadata are fetched (see the class doc)


def build_resources() -> dict:
    return {
        "warehouse": Warehouse(path=dg.EnvVar(WAREHOUSE_ENV), inbox=dg.EnvVar(INBOX_ENV)),
        "dbt": CivstatDbtCli(project_dir=dbt_project(), dbt_executable=dbt_executable()),
        "release_settings": ReleaseSettings(),
    }


defs = dg.Definitions(resources=build_resources())

