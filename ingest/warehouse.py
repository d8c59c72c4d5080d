"""The `raw` schema: DDL of the source tables and of quarantine / files / file_events."""

from __future__ import annotations

import duckdb

from ingest.contract import SOURCES, raw_columns

QUARANTINE_COLUMNS = {
    "source": "VARCHAR",
    "source_file": "VARCHAR",
    "file_sha256": "VARCHAR",
    "row_number": "INTEGER",
    "column_name": "VARCHAR",
    "reason": "VARCHAR",
    "detail": "VARCHAR",
    "month": "DATE",
    "original": "JSON",
    "quarantined_at": "TIMESTAMP",
}
FILES_COLUMNS = {
    "sha256": "VARCHAR",
    "source": "VARCHAR",
    "path": "VARCHAR",
    "other_paths": "JSON",
    "format": "VARCHAR",
    "encoding": "VARCHAR",
    "header_row": "INTEGER",
    "status": "VARCHAR",
    "reason": "VARCHAR",
    "detail": "VARCHAR",
    "rows_read": "BIGINT",
    "rows_loaded": "BIGINT",
    "rows_quarantined": "BIGINT",
    "months": "JSON",
    "arrived_at": "TIMESTAMP",
    "parsed_at": "TIMESTAMP",
}
FILE_EVENTS_COLUMNS = {
    "at": "TIMESTAMP",
    "source": "VARCHAR",
    "path": "VARCHAR",
    "sha256": "VARCHAR",
    "event": "VARCHAR",
    "previous_sha256": "VARCHAR",
}


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def _ddl(table: str, columns: dict[str, str]) -> str:
    cols = ", ".join(f"{q(c)} {t}" for c, t in columns.items())
    return f"CREATE TABLE IF NOT EXISTS raw.{q(table)} ({cols})"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the `raw` schema and every raw table that does not exist yet."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(_ddl("quarantine", QUARANTINE_COLUMNS))
    con.execute(_ddl("files", FILES_COLUMNS))
    con.execute(_ddl("file_events", FILE_EVENTS_COLUMNS))
    for name in SOURCES:
        con.execute(_ddl(name, raw_columns(name)))
