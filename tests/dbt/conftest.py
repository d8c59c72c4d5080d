"""Builds the hand-made district into a temp warehouse and runs `dbt build` once per session."""

import os
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
    dbt = Path(sys.executable).parent / "dbt"
    env = {**os.environ, **QUIET_ENV, "CIVSTAT_WAREHOUSE": str(warehouse)}
    return subprocess.run(
        [str(dbt), *args, "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
         "--target-path", str(warehouse / "dbt_target"), "--log-path", str(warehouse / "dbt_logs")],
        env=env, capture_output=True, text=True, timeout=600,
        cwd=warehouse,  # profiles.yml names civstat.duckdb relative to the warehouse
    )


@pytest.fixture(scope="session")
def dbt_warehouse(tmp_path_factory) -> Path:
    """The path of civstat.duckdb after a successful `dbt build` of the hand-made case."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    database = warehouse / "civstat.duckdb"
    create_raw_layer(database, ROWS)
    result = run_dbt(warehouse, "build")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return database
