"""Settings: one home for civstat's env var names, the quiet environment and DuckDB's limit."""

import os
import re
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.resources import Warehouse
from orchestration.settings import (
    DB_FILE,
    DBT_FILE_LOG_ENV,
    DEFAULT_MEMORY_LIMIT,
    MEMORY_LIMIT_ENV,
    WAREHOUSE_ENV,
    dbt_file_log_level,
    environment,
    memory_limit,
    quiet,
)

PROFILES = Path(__file__).resolve().parents[2] / "dbt_project" / "profiles.yml"


def test_dbt_profile_reads_the_same_variables_and_default():
    text = PROFILES.read_text()
    # relative to the warehouse folder, where civstat-dbt starts dbt (cli/dbt_child.py)
    assert re.search(rf"^\s+path: {re.escape(DB_FILE)}$", text, re.M)
    assert WAREHOUSE_ENV not in text  # a path naming it changes dbt's profile hash
    limit = re.search(r"memory_limit: \"\{\{ env_var\('(\w+)', '([\w.]+)'\) \}\}\"", text)
    assert limit is not None and limit.groups() == (MEMORY_LIMIT_ENV, DEFAULT_MEMORY_LIMIT)
    assert DEFAULT_MEMORY_LIMIT == "2.5GB"
    # given when dbt opens the database: dbt-duckdb runs each of `settings:` as a SET on
    # every node's cursor (the limit is the same either way)
    assert re.search(r"^\s+config_options:\n\s+threads: \d+\n\s+memory_limit: ", text, re.M)
    assert not re.search(r"^\s+settings:", text, re.M)


def test_memory_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    assert memory_limit() == "2.5GB"
    monkeypatch.setenv(MEMORY_LIMIT_ENV, " ")
    assert memory_limit() == "2.5GB"
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "1GiB")
    assert memory_limit() == "1GiB"


def test_warehouse_connections_get_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "1GiB")
    with Warehouse(path=str(tmp_path), inbox=str(tmp_path)).connect() as con:
        got = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert got == "1.0 GiB"  # 1 GiB as DuckDB prints it


def test_quiet_sets_every_tool_off_and_can_keep_a_users_choice():
    env = {"DO_NOT_TRACK": "0"}
    quiet(env, override=False)
    assert env == {"DO_NOT_TRACK": "0", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                   "DAGSTER_DISABLE_TELEMETRY": "1", "GX_ANALYTICS_ENABLED": "false"}
    quiet(env)
    assert env["DO_NOT_TRACK"] == "1"


def test_a_connection_without_the_setting_has_another_limit():
    # guards the test above: the limit seen there is ours, not DuckDB's default
    with duckdb.connect() as con:
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] != "1.0 GiB"


def test_environment_sets_and_unsets_for_the_block_only(monkeypatch):
    monkeypatch.setenv("CIVSTAT_T_SET", "before")
    monkeypatch.delenv("CIVSTAT_T_NEW", raising=False)
    with pytest.raises(RuntimeError), environment({"CIVSTAT_T_SET": None, "CIVSTAT_T_NEW": "x"}):
        assert "CIVSTAT_T_SET" not in os.environ and os.environ["CIVSTAT_T_NEW"] == "x"
        raise RuntimeError("the block fails")
    assert os.environ["CIVSTAT_T_SET"] == "before" and "CIVSTAT_T_NEW" not in os.environ


def test_dbt_file_log_is_off_unless_the_operator_asks_for_it():
    assert DBT_FILE_LOG_ENV == "DBT_LOG_LEVEL_FILE"  # dbt's own variable, which dbt reads
    assert dbt_file_log_level({}) == "none"
    assert dbt_file_log_level({DBT_FILE_LOG_ENV: "  "}) == "none"
    assert dbt_file_log_level({DBT_FILE_LOG_ENV: "debug"}) == "debug"
