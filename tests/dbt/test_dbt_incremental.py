"""The monthly roster model rebuilds only the months whose rows changed (incremental by month).

Both warehouses here start as copies of the session's build of the hand-made case
(`dbt_warehouse`: seeds loaded, every model built from all of ROWS), their raw roster cut to
what the test needs, and the model then built from scratch (`--full-refresh`: dbt builds an
incremental model as on its first run, `is_incremental()` false) — instead of a raw layer and
a `dbt seed` of their own, which cost a dbt start-up and a seeding each.
"""

import duckdb
import pytest
from conftest import ROWS, copy_warehouse, run_dbt, sql
from dbt_hand_case import APR, JUN, MAY

MODEL = "intermediate.int_dibao_households_monthly"
MARK = -1  # written into built rows: it survives only in months that are not rebuilt


def _by_month(database, relation: str, columns: str) -> dict[str, set]:
    """{month: {(columns…) of each of the month's rows}} of `relation`."""
    rows = sql(database, f"select strftime(month, '%Y-%m-%d'), {columns} from {relation}")
    out: dict[str, set] = {}
    for month, *rest in rows:
        out.setdefault(month, set()).add(tuple(rest))
    return out


def _months(database) -> dict[str, set]:
    return _by_month(database, MODEL, "household_id, monthly_amount, tier, applicable_standard")


def _build(warehouse, *args: str) -> None:
    result = run_dbt(warehouse, "run", "--select", *args)
    assert result.returncode == 0, result.stdout[-4000:]


def _from_scratch(dbt_warehouse, to, where: str, params: list):
    """A copy of the hand-made warehouse whose raw roster loses the rows `where` picks, and
    the monthly roster (with everything it is built from) built from scratch over it."""
    warehouse = copy_warehouse(dbt_warehouse, to)
    sql(warehouse / "civstat.duckdb", f"delete from raw.dibao_households where {where}", params)
    _build(warehouse, "+int_dibao_households_monthly", "--full-refresh")
    return warehouse


@pytest.fixture
def warehouse(dbt_warehouse, tmp_path):
    return _from_scratch(dbt_warehouse, tmp_path / "incremental", "month = ?", [JUN])


def test_added_month_is_built_alone_and_a_changed_month_again(warehouse, dbt_warehouse,
                                                               tmp_path_factory):
    database = warehouse / "civstat.duckdb"
    assert set(_months(database)) == {APR, MAY}
    sql(database, f"update {MODEL} set monthly_amount = ?", [MARK])
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

    # the same raw layer built from scratch: all of ROWS but May's H4
    fresh = _from_scratch(dbt_warehouse, tmp_path_factory.mktemp("fresh"),
                          "month = ? and household_id = 'H4'", [MAY])
    expected = _months(fresh / "civstat.duckdb")

    assert {a for _, a, *_ in built[APR]} == {MARK}  # April untouched: not rebuilt
    assert built[MAY] == expected[MAY] and built[JUN] == expected[JUN]
    assert {h for h, *_ in built[MAY]} == {"H1", "H2", "H3"}

    # April's rows leave the roster altogether: the month is dropped
    sql(database, "delete from raw.dibao_households where month = ?", [APR])
    _build(warehouse, "int_dibao_households_monthly")
    assert set(_months(database)) == {MAY, JUN}


CHANGES = "intermediate.int_dibao_changes_computed"


def _changes(database) -> dict[str, set]:
    return _by_month(database, CHANGES, "household_id, change_type, covered_persons")


def _add_june(database, june: list[dict], sha: str, numbers: list[int] | None = None) -> None:
    """June's raw roster replaced by `june`, as read from the file `sha` (row numbers
    `numbers`, else 100, 101, …)."""
    cols = ", ".join(june[0])
    con = duckdb.connect(str(database))
    con.execute("delete from raw.dibao_households where month = ?", [JUN])
    for i, row in enumerate(june):
        number = numbers[i] if numbers else 100 + i
        con.execute(f"insert into raw.dibao_households ({cols}, _file_sha256, _row_number, "
                    f"_rid) values ({', '.join('?' for _ in row)}, ?, ?, ?)",
                    [*row.values(), sha, number, i + 1])
    con.close()


def test_changes_build_only_the_months_whose_rosters_changed(warehouse, dbt_warehouse):
    database = warehouse / "civstat.duckdb"
    _build(warehouse, "+int_dibao_changes_computed", "--full-refresh")
    # May against April, by hand: H1 raised 800 -> 900, H2 lowered 1200 -> 1100, H4 new
    assert {(h, t) for h, t, _ in _changes(database)[MAY]} == {
        ("H1", "raised"), ("H2", "lowered"), ("H4", "new")}
    sql(database, f"update {CHANGES} set covered_persons = ?", [MARK])

    june = [r for r in ROWS["dibao_households"] if r["month"] == JUN]
    _add_june(database, june, "1" * 64)
    _build(warehouse, "+int_dibao_changes_computed")
    built = _changes(database)
    assert {c for *_, c in built[MAY]} == {MARK}  # April and May unchanged: not rebuilt
    # June against May, by hand: H2 exited (its May row, 3 persons), H5 new (2 persons);
    # H1, H3 and H4 paid the same. The session's build of every row says the same.
    assert built[JUN] == {("H2", "exited", 3), ("H5", "new", 2)}
    assert built[JUN] == _changes(dbt_warehouse)[JUN]

    # June's roster becomes May's again: June is rebuilt to no change at all, and the rows
    # it had before are gone (no new row of June replaces them)
    may = [r for r in ROWS["dibao_households"] if r["month"] == MAY]
    _add_june(database, [{**r, "month": JUN} for r in may], "2" * 64)
    _build(warehouse, "+int_dibao_changes_computed")
    roster = {m: {(h, a) for h, a, *_ in rows} for m, rows in _months(database).items()}
    assert roster[JUN] == roster[MAY]  # a file of as many rows as before is seen as changed
    built = _changes(database)
    assert JUN not in built
    assert {c for *_, c in built[MAY]} == {MARK}


def test_a_changes_table_built_whole_by_an_older_civstat_is_rebuilt(dbt_warehouse, tmp_path):
    # before it was incremental the model had no fingerprint column; the first build after
    # the upgrade must give every row again, not take every month as built (an unqualified
    # column missing from the table bound to the outer query's and emptied the table)
    warehouse = copy_warehouse(dbt_warehouse, tmp_path / "older")
    database = warehouse / "civstat.duckdb"
    whole = _changes(database)
    sql(database, f"alter table {CHANGES} drop column months_fingerprint")
    _build(warehouse, "int_dibao_changes_computed")
    assert _changes(database) == whole and whole


def test_a_corrected_workbook_of_two_sheets_rebuilds_its_month(warehouse, dbt_warehouse):
    # a roster workbook with one sheet per program repeats row numbers across its sheets
    # (two rows of one file share (file, row number)); re-sent with H1 and H5 paid more in
    # the same shape, June must be rebuilt
    database = warehouse / "civstat.duckdb"

    def june_workbook(sha: str, amounts: dict) -> None:
        june = [r for r in ROWS["dibao_households"] if r["month"] == JUN]
        rows = [(n, r) for p in ("urban", "rural")
                for n, r in enumerate((r for r in june if r["program"] == p), start=2)]
        _add_june(database, [{**r, "monthly_amount": amounts.get(r["household_id"],
                                                                 r["monthly_amount"])}
                             for _, r in rows], sha, [n for n, _ in rows])

    june_workbook("a" * 64, {})
    _build(warehouse, "+int_dibao_changes_computed", "--full-refresh")
    june_workbook("b" * 64, {"H1": 950, "H5": 650})
    _build(warehouse, "+int_dibao_changes_computed")
    amounts = {h: float(a) for h, a, *_ in _months(database)[JUN]}
    assert amounts == {"H1": 950, "H3": 500, "H4": 1000, "H5": 650}
    # June against May: H1 raised 900 -> 950 now, H2 exited, H5 new
    assert {(h, t) for h, t, _ in _changes(database)[JUN]} == {
        ("H1", "raised"), ("H2", "exited"), ("H5", "new")}
