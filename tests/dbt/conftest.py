"""Builds the hand-made district into a temp warehouse and runs `dbt build` once per session."""

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import dbt_hand_case as case
import dbt_hand_case_more as more
import dbt_hand_case_social as social
import dbt_hand_case_welfare as welfare
import duckdb
import pytest

from ingest.contract import SOURCES, raw_columns
from ingest.warehouse import ensure_raw_schema
from orchestration.settings import QUIET_ENV

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "dbt_project"
PREPARED_PARSE = PROJECT / "target" / "partial_parse.msgpack"  # `civstat prepare` writes it

ROWS = {
    "regions": case.REGIONS,
    "dibao_standards": case.DIBAO_STANDARDS,
    "targets": case.TARGETS,
    "dibao_households": case.DIBAO_HOUSEHOLDS,
    "dibao_members": case.DIBAO_MEMBERS,
    "tekun_persons": case.TEKUN_PERSONS,
    "lowincome_households": case.LOWINCOME_HOUSEHOLDS,
    "temp_assistance": case.TEMP_ASSISTANCE,
    "disaster_reports": more.DISASTER_REPORTS,
    "disaster_relief": more.DISASTER_RELIEF,
    "disaster_officers": more.DISASTER_OFFICERS,
    "veterans": more.VETERANS,
    "veteran_payments": more.VETERAN_PAYMENTS,
    "soldiers_received": more.SOLDIERS_RECEIVED,
    **social.ROWS,  # issue 13: the social-affairs registers (regions gain a burial zone)
    **welfare.ROWS,
    # both hand cases hold deaths: one deaths register with all of them (issue 14's four,
    # in villages of the cremation zone and with no cremation, are counted in issue 13's figures)
    "deaths": social.ROWS["deaths"] + welfare.ROWS["deaths"],
}


def create_raw_layer(database: Path, rows: dict[str, list[dict]]) -> None:
    """Every raw.<source> table with the contract's columns; rows given as dicts."""
    con = duckdb.connect(str(database))
    try:
        ensure_raw_schema(con)  # the raw tables, the contract's lookups and their views
        for source in SOURCES:
            columns = raw_columns(source)
            con.execute(f"delete from raw.{source}")
            for number, row in enumerate(rows.get(source, []), start=2):
                unknown = set(row) - set(columns)
                assert not unknown, f"{source}: no such raw columns {unknown}"
                record = {**row, "_file_sha256": "0" * 64, "_source_file": f"{source}/t.xlsx",
                          "_row_number": number, "_loaded_at": datetime(2026, 7, 1)}
                names = list(record)
                quoted = ", ".join(f'"{n}"' for n in names)  # a column may be named "group"
                con.execute(
                    f"insert into raw.{source} ({quoted}) "
                    f"values ({', '.join('?' for _ in names)})",
                    [record[n] for n in names],
                )
    finally:
        con.close()


def run_dbt(warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` on `warehouse`/civstat.duckdb, its target folder in the warehouse. A new
    target folder starts from `civstat prepare`'s parse when there is one, as a warehouse's
    first dbt step does (docs/operations.md, "dbt's parse"): dbt parses only what changed
    since (≈ 5 s of CPU instead of a whole parse's 9)."""
    dbt = Path(sys.executable).parent / "dbt"
    env = {**os.environ, **QUIET_ENV, "CIVSTAT_WAREHOUSE": str(warehouse)}
    target = warehouse / "dbt_target"
    if PREPARED_PARSE.exists() and not (target / PREPARED_PARSE.name).exists():
        target.mkdir(exist_ok=True)
        shutil.copy(PREPARED_PARSE, target / PREPARED_PARSE.name)
    return subprocess.run(
        [str(dbt), *args, "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
         "--target-path", str(target), "--log-path", str(warehouse / "dbt_logs")],
        env=env, capture_output=True, text=True, timeout=600,
        cwd=warehouse,  # profiles.yml names civstat.duckdb relative to the warehouse
    )


@pytest.fixture(scope="session")
def dbt_warehouse(tmp_path_factory, dbt_manifest) -> Path:
    """The path of civstat.duckdb after a successful `dbt build` of the hand-made case. Read
    only: a test that changes it works on a copy (`copy_warehouse`)."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    database = warehouse / "civstat.duckdb"
    create_raw_layer(database, ROWS)
    result = run_dbt(warehouse, "build")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return database


def sql(database: Path, query: str, params=None) -> list[tuple]:
    """The rows of `query` (with `params`) on the warehouse file `database`, on a connection
    of its own, closed afterwards."""
    con = duckdb.connect(str(database))
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def copy_warehouse(database: Path, to: Path) -> Path:
    """A copy of the built hand-made warehouse (`dbt_warehouse`) in the folder `to`, for a test
    that changes its raw layer and runs dbt again: seeds loaded, every model built."""
    to.mkdir(parents=True, exist_ok=True)
    shutil.copy(database, to / "civstat.duckdb")
    return to
