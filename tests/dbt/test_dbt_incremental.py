"""The monthly roster model rebuilds only the months whose rows changed (incremental by month)."""

import duckdb
import pytest
from conftest import ROWS, create_raw_layer, run_dbt
from dbt_hand_case import APR, JUN, MAY

MODEL = "intermediate.int_dibao_households_monthly"
MARK = -1  # written into built rows: it survives only in months that are not rebuilt


def _sql(database, query: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(database))
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def _months(database) -> dict[str, set]:
    rows = _sql(database, f"select strftime(month, '%Y-%m-%d'), household_id, monthly_amount, "
                          f"tier, applicable_standard from {MODEL}")
    out: dict[str, set] = {}
    for month, *rest in rows:
        out.setdefault(month, set()).add(tuple(rest))
    return out


def _build(warehouse, *select: str) -> None:
    result = run_dbt(warehouse, "run", "--select", *select)
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.fixture
def warehouse(tmp_path):
    rows = dict(ROWS, dibao_households=[r for r in ROWS["dibao_households"] if r["month"] != JUN])
    database = tmp_path / "civstat.duckdb"
    create_raw_layer(database, rows)
    result = run_dbt(tmp_path, "seed")
    assert result.returncode == 0, result.stdout[-4000:]
    _build(tmp_path, "+int_dibao_households_monthly")
    return tmp_path


def test_added_month_is_built_alone_and_a_changed_month_again(warehouse, tmp_path_factory):
    database = warehouse / "civstat.duckdb"
    assert set(_months(database)) == {APR, MAY}
    _sql(database, f"update {MODEL} set monthly_amount = ?", [MARK])
    # June arrives; May loses household H4 (its file was replaced)
    june = [r for r in ROWS["dibao_households"] if r["month"] == JUN]
    cols = ", ".join(june[0])
    con = duckdb.connect(str(database))
    for number, row in enumerate(june, start=100):
        con.execute(f"insert into raw.dibao_households ({cols}, _file_sha256, _row_number) "
                    f"values ({', '.join('?' for _ in row)}, ?, ?)",
                    [*row.values(), "1" * 64, number])
    con.execute("delete from raw.dibao_households where month = ? and household_id = 'H4'", [MAY])
    con.close()
    _build(warehouse, "int_dibao_households_monthly")
    built = _months(database)

    # the same raw layer built from scratch
    fresh = tmp_path_factory.mktemp("fresh")
    create_raw_layer(fresh / "civstat.duckdb", {**ROWS, "dibao_households": [
        r for r in ROWS["dibao_households"] if not (r["month"] == MAY and
                                                    r["household_id"] == "H4")]})
    assert run_dbt(fresh, "seed").returncode == 0
    _build(fresh, "+int_dibao_households_monthly")
    expected = _months(fresh / "civstat.duckdb")

    assert {a for _, a, *_ in built[APR]} == {MARK}  # April untouched: not rebuilt
    assert built[MAY] == expected[MAY] and built[JUN] == expected[JUN]
    assert {h for h, *_ in built[MAY]} == {"H1", "H2", "H3"}

    # April's rows leave the roster altogether: the month is dropped
    _sql(database, "delete from raw.dibao_households where month = ?", [APR])
    _build(warehouse, "int_dibao_households_monthly")
    assert set(_months(database)) == {MAY, JUN}
