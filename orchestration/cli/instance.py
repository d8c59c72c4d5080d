"""Process environment and the Dagster instance of a warehouse (`<warehouse>/dagster/`).

Everything here runs when a command starts, never at import time.
"""

import atexit
import os
import sqlite3
import threading
from pathlib import Path

import dagster as dg

from ingest.warehouse_layout import WarehouseLayout, secure_warehouse
from orchestration.settings import INBOX_ENV, MEMORY_LIMIT_ENV, WAREHOUSE_ENV, memory_limit, quiet

DAGSTER_YAML = """\
# Written by civstat. The bureau is air-gapped: no telemetry.
telemetry:
  enabled: false
# One run at a time against the warehouse (DuckDB allows a single writer).
concurrency:
  runs:
    max_concurrent_runs: 1
  pools:
    default_limit: 1
# Runs the daemon launches (schedules, the sensor, the UI) in Dagster's way, with a health
# check from the run's PID tags: run monitoring marks a run whose process died failed, and
# the retries below run it again (cli/run_launcher.py).
run_launcher:
  module: orchestration.cli.run_launcher
  class: CivstatRunLauncher
run_monitoring:
  enabled: true
  start_timeout_seconds: 300
  poll_interval_seconds: 60
  max_resume_run_attempts: 0
# Retry runs that crashed, never runs that failed a data-quality check.
run_retries:
  enabled: true
  max_retries: 2
  retry_on_asset_or_op_failure: false
# No copy of each run's stdout and stderr under storage/ (Dagster's compute logs): civstat
# writes the run's log to <warehouse>/logs itself, and capturing them started a `tail` and a
# Python watcher per run, which printed tracebacks at Ctrl-C.
compute_logs:
  module: dagster._core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
# Dagster's SQLite event log in its default place, its connections kept between events
# (cli/event_log.py); base_dir is relative to DAGSTER_HOME.
event_log_storage:
  module: orchestration.cli.event_log
  class: KeptConnectionsEventLogStorage
  config:
    base_dir: history/runs
"""


def dagster_home(warehouse: Path) -> Path:
    return WarehouseLayout(warehouse).dagster_home


def configure(inbox: Path | None, warehouse: Path) -> Path:
    """Point this process (and the dbt subprocesses it starts) at one inbox and warehouse."""
    warehouse = Path(warehouse).resolve()
    secure_warehouse(warehouse)  # umask 077, folder 0700 (PII at rest, issue 16)
    home = dagster_home(warehouse)
    home.mkdir(parents=True, exist_ok=True)
    yaml = home / "dagster.yaml"
    if not yaml.exists() or yaml.read_text() != DAGSTER_YAML:
        yaml.write_text(DAGSTER_YAML)
    quiet()
    os.environ[MEMORY_LIMIT_ENV] = memory_limit()  # dbt's subprocesses get the run's limit
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ[WAREHOUSE_ENV] = str(warehouse)
    if inbox is not None:
        os.environ[INBOX_ENV] = str(Path(inbox).resolve())
    _cheap_commits(home)
    return home


_kept: dict[str, sqlite3.Connection] = {}
_kept_lock = threading.Lock()
_listening: list[Path] = []


def _cheap_commits(home: Path) -> None:
    """Dagster's SQLite storage under `home` without an fsync per event.

    Dagster opens, commits and closes a SQLite connection for every event it records (a
    district run records ≈ 1 500, each also mirrored in the index shard), and the last
    connection to close checkpoints the WAL with an fsync: ≈ 5–9 ms per event on the
    bureau's disks (docs/benchmarks.md, "Fixed costs"). Here each connection this process
    opens to a database under `home` runs with ``synchronous=NORMAL`` (in WAL mode a commit
    does not fsync; the database stays consistent after a power cut, which may lose only
    the last events), and one idle connection per database file is kept open until the
    process exits, so closing Dagster's connection no longer checkpoints. Applies to this
    process only (not to `civstat ui`'s webserver and daemon).
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if _listening:
        _listening[0] = home
        return
    _listening.append(home)

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
        path = next((r[2] for r in rows if r[1] == "main"), "")
        if not path or not path.startswith(f"{_listening[0]}{os.sep}"):
            return
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        with _kept_lock:
            keeper = _kept.get(path)
            if keeper is None:
                keeper = _kept[path] = sqlite3.connect(path, check_same_thread=False)
            # a read joins the WAL once Dagster has switched the file to it (a new shard is
            # created in rollback mode); it ends at once, so it never holds a checkpoint back
            keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()

    atexit.register(_close_kept)


def _close_kept() -> None:
    with _kept_lock:
        for con in _kept.values():
            con.close()
        _kept.clear()


def instance() -> dg.DagsterInstance:
    """The persistent instance under $DAGSTER_HOME (call `configure` first)."""
    return dg.DagsterInstance.get()
