"""Dagster's SQLite event log with its connections kept between events.

Dagster's `SqliteEventLogStorage` builds a new SQLAlchemy engine, opens a SQLite connection,
and closes both for every event it records. A district run records ≈ 1 500 events, and ≈ 900
of them are written twice (the run's own file and the cross-run `index.db`): that was ≈ 5 ms
of CPU per event, more than most dbt tests cost to run (docs/benchmarks.md, "Fixed costs").
This subclass keeps one engine, with its pooled connection, per database file it wrote last;
the data, the files and their layout are Dagster's own, so the webserver, the daemon and a
plain Dagster reading the same `history/runs/` see nothing different.

Configured in the `dagster.yaml` that `cli/instance.py` writes, with `base_dir` relative
to `$DAGSTER_HOME` (Dagster's default layout: `history/runs/`).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

KEPT_FILES = 4  # the index, the current run's file and a few a webserver reads


class KeptConnectionsEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` (one SQLite file per run plus `index.db`) that reuses one
    engine and connection per file for the last `KEPT_FILES` files it touched.

    Dagster holds `_db_lock` for the whole use of a connection, so one pooled connection per
    file is kept (creating a file's tables opens two more, closed after). Files are released
    (their engines disposed) when they drop out of the last `KEPT_FILES`, on `wipe` and on
    `dispose`.
    """

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_found: set[str] = set()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> KeptConnectionsEventLogStorage:
        base_dir = config_value["base_dir"]
        if not os.path.isabs(base_dir):  # relative to the instance's home
            base_dir = os.path.join(os.environ["DAGSTER_HOME"], base_dir)
        return cls(base_dir, inst_data=inst_data)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(self.conn_string_for_shard(shard), poolclass=QueuePool,
                               pool_size=1, max_overflow=2,  # _initdb nests two
                               connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                                             "check_same_thread": False})
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > KEPT_FILES:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:  # Dagster's, minus the new engine
        with self._db_lock:
            with self._engine(shard).connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        """Dagster's check, which builds a new engine on `index.db` each time (Dagster asks
        it for every asset check evaluation it stores); a table once found is remembered:
        Dagster's migrations add tables and never drop one (`wipe` forgets them)."""
        if table_name not in self._tables_found:
            if not super().has_table(table_name):
                return False
            self._tables_found.add(table_name)
        return True

    def _release_all(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._release_all()  # the run files are deleted: no connection may stay on them
        self._tables_found.clear()
        super().wipe()

    def dispose(self) -> None:
        self._release_all()
        super().dispose()
