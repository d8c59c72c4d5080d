"""civstat's own `table` and `view` materializations (dbt_project/macros/materializations/):
a model's relation is replaced inside one transaction, not built beside it and swapped.

What must hold, on a copy of the session's hand-made warehouse: a rebuilt view and table hold
the new rows, under the same kinds, with no `__dbt_tmp` / `__dbt_backup` relation left (those
an older civstat's interrupted run left are dropped); a rebuild that fails leaves the previous
table and view as they were.
"""

import pytest
from conftest import copy_warehouse, run_dbt, sql
from dbt_hand_case import REGIONS, V22

VIEW = ("staging", "stg_raw__regions")
TABLE = ("intermediate", "int_regions_classified")  # reads VIEW


def _relations(database) -> dict[tuple[str, str], str]:
    """(schema, name) → 'table' or 'view', outside the raw layer."""
    rows = sql(database, "select schema_name, table_name, 'table' from duckdb_tables() "
                          "union all select schema_name, view_name, 'view' from duckdb_views() "
                          "where not internal")
    return {(schema, name): kind for schema, name, kind in rows if schema != "raw"}


def _codes(database, relation: tuple[str, str]) -> set[str]:
    return {code for (code,) in sql(database, f"select region_code from {'.'.join(relation)}")}


@pytest.fixture
def warehouse(dbt_warehouse, tmp_path):
    return copy_warehouse(dbt_warehouse, tmp_path / "materializations")


def test_a_rebuilt_view_and_table_hold_the_new_rows_and_leave_no_side_relation(warehouse):
    database = warehouse / "civstat.duckdb"
    every_code = {row["region_code"] for row in REGIONS}
    assert _codes(database, TABLE) == every_code
    # what an older civstat's swap left behind when its run was killed between two renames
    sql(database, "create table intermediate.int_regions_classified__dbt_tmp as select 1 as x;"
                   "create view staging.stg_raw__regions__dbt_backup as select 1 as x")
    sql(database, f"delete from raw.regions where region_code = '{V22}'")

    result = run_dbt(warehouse, "run", "--select", VIEW[1], TABLE[1])

    assert result.returncode == 0, result.stdout[-4000:]
    assert _codes(database, VIEW) == _codes(database, TABLE) == every_code - {V22}
    relations = _relations(database)
    assert relations[VIEW] == "view"
    assert relations[TABLE] == "table"
    assert [name for _, name in relations if name.endswith(("__dbt_tmp", "__dbt_backup"))] == []
    # civstat's materializations ran, not dbt's swap: the statement dbt ran for each model
    # (its copy in the target's run/ folder) drops the old relation and names no __dbt_tmp
    for (schema, name), kind in ((VIEW, "view"), (TABLE, "table")):
        [statement] = (warehouse / "dbt_target" / "run").rglob(f"{name}.sql")
        text = statement.read_text(encoding="utf-8")
        assert f'drop {kind} if exists "civstat"."{schema}"."{name}"' in text
        assert "__dbt_tmp" not in text


def test_a_failing_rebuild_leaves_the_previous_view_and_table(warehouse):
    database = warehouse / "civstat.duckdb"
    before = sql(database, "select * from intermediate.int_regions_classified order by all")
    view_sql = sql(database, "select sql from duckdb_views() where view_name = 'stg_raw__regions'")
    # the view no longer binds: its rebuild, and the table's read of it, fail in DuckDB
    sql(database, "alter table raw.regions rename column region_name to region_name_gone")

    for model in (VIEW[1], TABLE[1]):
        result = run_dbt(warehouse, "run", "--select", model)
        assert result.returncode == 1, result.stdout[-4000:]
        assert "region_name" in result.stdout  # DuckDB's binder names the missing column

    sql(database, "alter table raw.regions rename column region_name_gone to region_name")
    assert sql(database, "select sql from duckdb_views() "
                          "where view_name = 'stg_raw__regions'") == view_sql
    assert sql(database, "select * from intermediate.int_regions_classified "
                          "order by all") == before
    assert _relations(database)[TABLE] == "table"
