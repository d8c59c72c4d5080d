"""Dagster's SQLite storage of a warehouse commits without an fsync per event."""

import sqlite3

from sqlalchemy import create_engine, text

from orchestration.cli import instance
from orchestration.settings import INBOX_ENV, MEMORY_LIMIT_ENV, WAREHOUSE_ENV

FULL, NORMAL = 2, 1  # SQLite's `PRAGMA synchronous` values


def test_only_databases_under_the_warehouse_dagster_home_are_relaxed(tmp_path, monkeypatch):
    for name in ("DAGSTER_HOME", WAREHOUSE_ENV, INBOX_ENV, MEMORY_LIMIT_ENV):
        monkeypatch.setenv(name, "")  # restored after the test: configure() sets them
    home = instance.configure(None, tmp_path / "warehouse")
    inside, elsewhere = home / "history" / "runs.db", tmp_path / "other.db"
    inside.parent.mkdir(parents=True)
    for db, expected in ((inside, NORMAL), (elsewhere, FULL)):
        engine = create_engine(f"sqlite:///{db}")
        with engine.connect() as con:
            assert con.execute(text("PRAGMA synchronous")).scalar() == expected
        engine.dispose()
    # an idle connection stays open on Dagster's file (so closing Dagster's own does not
    # checkpoint the WAL with an fsync), none on the other
    assert isinstance(instance._kept.get(str(inside)), sqlite3.Connection)
    assert str(elsewhere) not in instance._kept
