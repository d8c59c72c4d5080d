"""Process environment and the Dagster instance of a warehouse (`<warehouse>/dagster/`).

Everything here runs when a command starts, never at import time.
"""

import os
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
# Retry runs that crashed, never runs that failed a data-quality check.
run_retries:
  enabled: true
  max_retries: 2
  retry_on_asset_or_op_failure: false
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
    return home


def instance() -> dg.DagsterInstance:
    """The persistent instance under $DAGSTER_HOME (call `configure` first)."""
    return dg.DagsterInstance.get()
