"""The warehouse's Dagster event log keeps its connections and stays Dagster's layout."""

import sqlite3
import time

import dagster as dg
from dagster._core.events import DagsterEvent, DagsterEventType, EngineEventData
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.dagster_run import DagsterRun

from orchestration.cli import instance
from orchestration.cli.event_log import KEPT_FILES, KeptConnectionsEventLogStorage
from orchestration.settings import INBOX_ENV, MEMORY_LIMIT_ENV, WAREHOUSE_ENV


def _engine_event(run_id: str, message: str) -> EventLogEntry:
    event = DagsterEvent(DagsterEventType.ENGINE_EVENT.value, "job", message=message,
                         event_specific_data=EngineEventData())
    return EventLogEntry(error_info=None, level=10, user_message="", run_id=run_id,
                         timestamp=time.time(), dagster_event=event, job_name="job")


def test_runs_events_are_stored_in_dagsters_own_files_with_one_engine_each(tmp_path,
                                                                          monkeypatch):
    for name in ("DAGSTER_HOME", WAREHOUSE_ENV, INBOX_ENV, MEMORY_LIMIT_ENV):
        monkeypatch.setenv(name, "")  # restored after the test: configure() sets them
    home = instance.configure(None, tmp_path / "warehouse")
    with dg.DagsterInstance.get() as inst:
        storage = inst.event_log_storage
        assert isinstance(storage, KeptConnectionsEventLogStorage)
        run_ids = [f"{n:08d}-0000-0000-0000-000000000000" for n in range(KEPT_FILES + 2)]
        for run_id in run_ids:
            inst.add_run(DagsterRun(job_name="job", run_id=run_id))
            for n in range(3):
                inst.handle_new_event(_engine_event(run_id, f"event {n}"))
        # the first run's engine was given up (only the last KEPT_FILES files are kept)…
        assert len(storage._engines) == KEPT_FILES
        assert run_ids[0] not in storage._engines and run_ids[-1] in storage._engines
        # …and every event is where Dagster itself keeps it: one SQLite file per run
        for run_id in run_ids:
            path = home / "history" / "runs" / f"{run_id}.db"
            with sqlite3.connect(path) as con:
                messages = [m for (m,) in con.execute(
                    "select event from event_logs where dagster_event_type = 'ENGINE_EVENT'")]
            assert len(messages) == 3
        assert len(inst.get_records_for_run(run_ids[1]).records) == 3
    assert not storage._engines  # disposing the instance releases every file


def test_a_table_found_is_not_looked_up_again(tmp_path, monkeypatch):
    """Dagster asks `has_table` for every check evaluation it stores, each time on a new
    engine; a table found is remembered, a table missing is asked again."""
    from dagster._core.storage.event_log.sqlite import sqlite_event_log as dagster_sqlite

    for name in ("DAGSTER_HOME", WAREHOUSE_ENV, INBOX_ENV, MEMORY_LIMIT_ENV):
        monkeypatch.setenv(name, "")
    instance.configure(None, tmp_path / "warehouse")
    engines = []
    real = dagster_sqlite.create_engine
    monkeypatch.setattr(dagster_sqlite, "create_engine",
                        lambda *a, **kw: engines.append(a) or real(*a, **kw))
    with dg.DagsterInstance.get() as inst:
        storage = inst.event_log_storage
        assert storage.has_table("asset_check_executions")
        first = len(engines)  # opening the instance may have made some
        assert storage.has_table("asset_check_executions")
        assert len(engines) == first
        assert not storage.has_table("no_such_table")
        assert not storage.has_table("no_such_table")
        assert len(engines) == first + 2
