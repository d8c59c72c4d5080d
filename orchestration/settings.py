"""civstat's settings: the environment variables it reads and the quiet environment it sets.

Nothing is read at import time; the functions read the environment when they are called.

- `CIVSTAT_WAREHOUSE`: the warehouse folder (database, caches, quarantine, releases). Read by
  the Dagster `Warehouse` resource and by `civstat-dbt`, which starts dbt in that folder
  (profiles.yml names the database relative to it); `civstat` sets it.
- `CIVSTAT_INBOX`: the inbox folder the ingest assets and the inbox sensor read.
- `CIVSTAT_PERIOD`: the run's period, set by the dbt asset for dbt's own process (a month
  range is computed only for its own run: int_period_spans_enumerated reads it).
- `DBT_LOG_LEVEL_FILE` (dbt's own): the level of dbt's file log, `<warehouse>/dbt/dbt.log`.
  civstat starts dbt with `none` unless it is set: the debug log (every statement, ≈ 25
  events a node) cost ≈ 2 s of a district's 16 s dbt process (docs/benchmarks.md, tenth
  round). dbt's info lines and errors still reach the run's log; `debug` brings the file
  back (docs/operations.md, "dbt's file log").
- `CIVSTAT_DUCKDB_MEMORY_LIMIT`: DuckDB's memory limit (it spills to disk beyond), for the
  run's own connections and for dbt's (profiles.yml reads it with the same default). The
  default keeps a province-scale run within the machine's budget (docs/benchmarks.md).

Read where they are used, on the ground floor: `CIVSTAT_PII_KEY` (ingest/pii.py) and
`CIVSTAT_PARSE_WORKERS` (ingest/parallel.py); ingest does not import orchestration.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path

# the dbt project (its dbt_project.yml, models, profiles.yml, and `target/` where `civstat
# prepare` writes its parse); here, not in defs/project.py, so that a process without
# dagster-dbt (dbt's process ahead: cli/dbt_warm.py) finds it too
DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
WAREHOUSE_ENV = "CIVSTAT_WAREHOUSE"
INBOX_ENV = "CIVSTAT_INBOX"
PERIOD_ENV = "CIVSTAT_PERIOD"
MEMORY_LIMIT_ENV = "CIVSTAT_DUCKDB_MEMORY_LIMIT"
REBUILD_ENV = "CIVSTAT_DBT_REBUILD"  # non-empty: the dbt step builds everything (`run --rebuild`)
DBT_FILE_LOG_ENV = "DBT_LOG_LEVEL_FILE"  # dbt's variable; civstat's default below
DEFAULT_DBT_FILE_LOG = "none"
DEFAULT_MEMORY_LIMIT = "2.5GB"  # dbt_project/profiles.yml's env_var default says the same
from ingest.warehouse_layout import DB_FILE  # noqa: E402,F401  (the layout's one spelling)

# Air-gapped bureau: no telemetry from any tool, ever. Besides this dict, the tools' own
# files say so too: the Makefile (DO_NOT_TRACK), dbt_project.yml (send_anonymous_usage_stats)
# and the dagster.yaml that cli/instance.py writes (telemetry: enabled: false).
QUIET_ENV = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DAGSTER_DISABLE_TELEMETRY": "1",
    "GX_ANALYTICS_ENABLED": "false",
}


def quiet(environ: MutableMapping[str, str] | None = None, *, override: bool = True) -> None:
    """Turn telemetry off in `environ` (default: this process, inherited by dbt's).

    With `override=False` a value the user already set is kept.
    """
    environ = os.environ if environ is None else environ
    for name, value in QUIET_ENV.items():
        if override:
            environ[name] = value
        else:
            environ.setdefault(name, value)


def memory_limit() -> str:
    """DuckDB's memory limit, e.g. "3GB": `CIVSTAT_DUCKDB_MEMORY_LIMIT` or the default."""
    return os.environ.get(MEMORY_LIMIT_ENV, "").strip() or DEFAULT_MEMORY_LIMIT


def dbt_file_log_level(environ: Mapping[str, str] | None = None) -> str:
    """The level for dbt's file log: `DBT_LOG_LEVEL_FILE` if set (dbt's own variable, e.g.
    "debug"), else "none". `environ` defaults to this process's environment."""
    environ = os.environ if environ is None else environ
    return environ.get(DBT_FILE_LOG_ENV, "").strip() or DEFAULT_DBT_FILE_LOG


def _put(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (a str) or unset (None) these variables of this process for the `with` block,
    then put back what was there. The processes started inside inherit them (dbt's)."""
    before = {name: os.environ.get(name) for name in values}
    try:
        _put(values)
        yield
    finally:
        _put(before)
