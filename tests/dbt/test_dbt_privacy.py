"""No model outside the raw layer has a name/ID/bank/phone column or value."""

import duckdb
from dbt_hand_case import DIBAO_HOUSEHOLDS

from ingest.contract import SOURCES

PII_COLUMNS = {c.name for source in SOURCES.values() for c in source.columns if c.pii}
ALLOWED_NAMES = {"region_name", "indicator_name", "urban_rural_name",
                 "org_name"}  # a social organisation's name is public (contract v2)


def _is_pii_column(column: str) -> bool:
    column = column.lower()
    return (
        column in PII_COLUMNS
        or "id_number" in column
        or "phone" in column
        or "bank" in column
        or column in ("name", "姓名")
        or (column.endswith("_name") and column not in ALLOWED_NAMES)
    )


def test_pii_column_detector_catches_contract_pii():
    assert {"head_name", "head_id_number", "bank_account", "name", "id_number",
            "applicant_id_number", "phone"} <= PII_COLUMNS
    assert all(_is_pii_column(c) for c in PII_COLUMNS)
    assert not _is_pii_column("head_person_key") and not _is_pii_column("region_name")


def test_no_pii_column_outside_raw(dbt_warehouse):
    con = duckdb.connect(str(dbt_warehouse), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema <> 'raw'"
        ).fetchall()
    finally:
        con.close()
    tables = {(s, t) for s, t, _ in columns}
    assert ("main", "fct_indicators") in tables and ("staging", "stg_raw__veterans") in tables
    offending = [c for c in columns if _is_pii_column(c[2])]
    assert offending == []


def test_no_pii_value_outside_raw(dbt_warehouse):
    """Every text value of every non-raw relation, against every PII value of the raw layer."""
    con = duckdb.connect(str(dbt_warehouse), read_only=True)
    try:
        secrets = set()
        for source, src in SOURCES.items():
            for column in src.pii_columns:
                secrets |= {r[0] for r in con.execute(
                    f'select distinct cast("{column}" as varchar) from raw.{source} '
                    f'where "{column}" is not null').fetchall()}
        assert DIBAO_HOUSEHOLDS[0]["head_id_number"] in secrets and len(secrets) > 30
        text_columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema <> 'raw' and data_type = 'VARCHAR'"
        ).fetchall()
        leaks = []
        for schema, table, column in text_columns:
            values = {r[0] for r in con.execute(
                f'select distinct "{column}" from "{schema}"."{table}"').fetchall()}
            leaks += [(schema, table, column) for v in values & secrets]
    finally:
        con.close()
    assert leaks == []


def test_nothing_finer_than_an_age_band_leaves_staging(dbt_warehouse):
    """Indicators v2 §1/§8: no relation outside raw holds a birth date or an age in years;
    the member's age leaves staging only as `age_band` (stg_raw__dibao_members_banded), and
    that model exposes the key, the household, the month, the band and that month's
    roster village and program (already in stg_raw__dibao_households), nothing else."""
    con = duckdb.connect(str(dbt_warehouse), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema <> 'raw'").fetchall()
    finally:
        con.close()
    finer = [c for c in columns if "birth" in c[1].lower() or c[1].lower() in ("age", "age_years")
             or (c[1].lower().startswith("age") and c[1].lower() != "age_band")
             or (c[2] == "DATE" and c[1].lower().startswith("born"))]
    assert finer == []
    banded = sorted(c[1] for c in columns if c[0] == "stg_raw__dibao_members_banded")
    assert banded == ["age_band", "household_id", "month", "person_key", "program",
                      "village_code"]
