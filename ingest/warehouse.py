"""The `raw` schema, all of its DDL: the source tables, quarantine / files / file_events, the
load and check bookkeeping (source_state, gx_passed), and the contract's lookup tables with
the view of the 低保 standard in force that stage 2, the GX suite and dbt read."""

from __future__ import annotations

import duckdb

from ingest.contract import DIBAO_TIER_RULES, SOURCES, URBAN_RURAL_CLASSES, raw_columns

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
    "row_id": "INTEGER",  # the row's _rid: unique in its file, unlike row_number across sheets
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


# what each source's last load depended on (ingest/pipeline.py)
SOURCE_STATE_COLUMNS = {
    "source": "VARCHAR PRIMARY KEY",
    "fingerprint": "VARCHAR",
    "loaded_at": "TIMESTAMP",
    "detail": "VARCHAR",
}
# files whose loaded rows passed a GX suite (orchestration/expectations.py)
# what the inbox listing did not read, and why (ingest/inbox.py): console and manifest
INBOX_IGNORED_COLUMNS = {
    "source": "VARCHAR",
    "entry": "VARCHAR",  # inbox-relative, a folder ends in "/"
    "why": "VARCHAR",  # symlink (with its target) | folder | hidden | missing_folder | not_a_folder
}
GX_PASSED_COLUMNS = {
    "source": "VARCHAR",
    "sha256": "VARCHAR",
    "suite": "VARCHAR",
    "rows": "BIGINT",
    "validated_at": "TIMESTAMP",
    "rows_hash": "UBIGINT",
}
# the contract's lookups (ingest/contract.py), written as tables
URBAN_RURAL_COLUMNS = {
    "urban_rural_code": "VARCHAR",
    "urban_rural_name": "VARCHAR",
    "area_class": "VARCHAR",
    "area": "VARCHAR",
}
TIER_RULE_COLUMNS = {"program": "VARCHAR", "area_class": "VARCHAR", "tier": "VARCHAR"}

# Each 低保 standard with the months it is in force, [effective_month, until_month): the
# standard in force in month m for a tier is the row with the latest effective_month <= m
# (data contract); until_month is the tier's next effective_month (9999-12-01: none yet).
STANDARD_IN_FORCE_VIEW = """
CREATE OR REPLACE VIEW raw.dibao_standard_in_force AS
SELECT tier, effective_month,
    coalesce(lead(effective_month) OVER (PARTITION BY tier ORDER BY effective_month),
             DATE '9999-12-01') AS until_month,
    monthly_standard
FROM raw.dibao_standards
"""
# The area class of every village of the regions table.
VILLAGE_CLASS_VIEW = """
CREATE OR REPLACE VIEW raw.village_area_classes AS
SELECT r.region_code, any_value(u.area_class) AS area_class
FROM raw.regions r JOIN raw.urban_rural_codes u ON u.urban_rural_code = r.urban_rural_code
WHERE r.level = 'village' GROUP BY r.region_code
"""


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
    con.execute(_ddl("source_state", SOURCE_STATE_COLUMNS))
    con.execute(_ddl("gx_passed", GX_PASSED_COLUMNS))
    con.execute(_ddl("inbox_ignored", INBOX_IGNORED_COLUMNS))
    # columns added after the first release of these tables
    con.execute("ALTER TABLE raw.source_state ADD COLUMN IF NOT EXISTS detail VARCHAR")
    con.execute("ALTER TABLE raw.gx_passed ADD COLUMN IF NOT EXISTS rows_hash UBIGINT")
    con.execute("ALTER TABLE raw.quarantine ADD COLUMN IF NOT EXISTS row_id INTEGER")
    for name in SOURCES:
        con.execute(_ddl(name, raw_columns(name)))
    _lookup(con, "urban_rural_codes", URBAN_RURAL_COLUMNS,
            [(code, *rest) for code, rest in URBAN_RURAL_CLASSES.items()])
    _lookup(con, "dibao_tier_rules", TIER_RULE_COLUMNS, list(DIBAO_TIER_RULES))
    con.execute(STANDARD_IN_FORCE_VIEW)
    con.execute(VILLAGE_CLASS_VIEW)


def _lookup(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str],
            rows: list[tuple]) -> None:
    """``raw.<table>`` holding exactly ``rows`` (rewritten only when they differ)."""
    con.execute(_ddl(table, columns))
    have = con.execute(f"SELECT * FROM raw.{q(table)}").fetchall()
    if sorted(map(repr, have)) != sorted(map(repr, map(tuple, rows))):
        con.execute(f"DELETE FROM raw.{q(table)}")
        con.executemany(f"INSERT INTO raw.{q(table)} VALUES ({', '.join('?' * len(columns))})",
                        rows)
