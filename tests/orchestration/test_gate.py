"""The §7 gate on a hand-made warehouse: each case worked out by hand."""

from datetime import date

import duckdb
import pytest

from ingest.periods import parse_period
from ingest.warehouse import ensure_raw_schema
from orchestration.quality import gate

H1 = parse_period("2025H1")
TOWNS = {"990102001000": ["990102001001"], "990102002000": ["990102002001"]}


@pytest.fixture
def con():
    c = duckdb.connect()
    ensure_raw_schema(c)
    c.execute("insert into raw.regions (region_code, level) values ('990102000000', 'district')")
    for town, villages in TOWNS.items():
        c.execute("insert into raw.regions (region_code, level, parent_code) values (?, ?, ?)",
                  [town, "township", "990102000000"])
        for v in villages:
            c.execute("insert into raw.regions (region_code, level, parent_code) values (?,?,?)",
                      [v, "village", town])
    c.execute("""create table fct_indicators (period varchar, region_code varchar,
                 region_level varchar, indicator varchar, breakdown varchar, value decimal(18,2))""")
    c.execute("""create table indicator_catalogue (indicator varchar, value_kind varchar,
                 breakdowns varchar, district_only boolean)""")
    return c


def roster(con, village: str, months: list[int], per_month: int = 1):
    for m in months:
        for i in range(per_month):
            con.execute(
                "insert into raw.dibao_households (month, household_id, region_code) "
                "values (?, ?, ?)", [date(2025, m, 1), f"{village}-{i}", village])


def quarantine(con, source: str, month: date | None, n: int):
    for i in range(n):
        con.execute("insert into raw.quarantine (source, row_number, reason, month) "
                    "values (?, ?, 'invalid_amount', ?)", [source, i + 2, month])


@pytest.mark.parametrize(
    ("source", "months", "passed", "severity"),
    [
        ("dibao_households", '["2025-12"]', True, "error"),  # outside H1: not this period's
        # the month before H1: January's new and exited households are counted against it
        ("dibao_households", '["2024-12"]', False, "error"),
        ("dibao_households", '["2024-11"]', True, "error"),
        ("dibao_households", '["2025-03", "2025-12"]', False, "error"),
        ("dibao_households", "[]", False, "warning"),  # unknown month: completeness guards
        ("dibao_households", None, False, "warning"),
        ("veterans", "[]", False, "error"),  # a non-monthly source: always this period's
    ],
)
def test_rejected_file_blocks_the_periods_it_touches(con, source, months, passed, severity):
    con.execute("insert into raw.files (path, sha256, source, status, reason, months) values "
                "(?, ?, ?, 'rejected', 'total_mismatch', ?)",
                [f"{source}/a.xlsx", "ab" * 32, source, months])
    out = gate.check_files_rejected(con, H1)
    assert (out.passed, out.severity) == (passed, severity)
    if not passed:  # named by its label, not its own name (release.md, "Privacy")
        assert [(i["path"], i["reason"]) for i in out.items] == [
            (f"{source}/文件-abababab.xlsx", "total_mismatch")]


def test_a_rejected_file_is_named_by_its_label_never_by_its_own_name(con):
    path = "dibao_households/张三_110101199003077777_低保名单.xlsx"
    con.execute("insert into raw.files (path, sha256, source, status, reason, detail, months) "
                "values (?, ?, 'dibao_households', 'rejected', 'unreadable_file', ?, null)",
                [path, "0135eab6" + "0" * 56, f"cannot open {path}: bad zip"])
    out = gate.check_files_rejected(con, H1)
    assert out.items[0]["path"] == "dibao_households/文件-0135eab6.xlsx"
    assert out.items[0]["detail"] == "cannot open dibao_households/文件-0135eab6.xlsx: bad zip"
    assert "张三" not in out.detail and "张三" not in repr(out.items)


def test_quarantine_share_one_percent_is_a_warning_above_is_an_error(con):
    roster(con, "990102001001", [1, 2, 3, 4, 5, 6], per_month=33)  # 198 loaded rows in H1
    quarantine(con, "dibao_households", date(2025, 12, 1), 50)  # outside H1: ignored
    quarantine(con, "dibao_households", date(2025, 2, 1), 2)  # 2 / 200 = 1.00 %
    out = gate.check_quarantine_share(con, H1)
    assert (out.passed, out.severity) == (False, "warning")
    assert out.items[0]["quarantined"] == 2 and out.items[0]["rows"] == 200
    quarantine(con, "dibao_households", None, 1)  # month unknown: counts in every period
    out = gate.check_quarantine_share(con, H1)
    assert (out.passed, out.severity) == (False, "error")
    assert out.items[0]["quarantined"] == 3 and out.items[0]["rows"] == 201
    assert out.detail == "dibao_households: 3/201 = 1.49% (超过 over 1 %)"  # the one to fix


def test_the_quarantine_of_a_period_is_its_months_and_no_month_for_a_roster(con):
    quarantine(con, "dibao_households", date(2025, 12, 1), 50)  # after H1
    quarantine(con, "dibao_households", date(2025, 2, 1), 2)
    quarantine(con, "dibao_households", None, 1)  # month unknown: every period's
    quarantine(con, "veterans", None, 3)  # not a monthly source: all its rows
    got = con.execute("select source, count(*) from raw.quarantine where "
                      f"{gate.quarantine_of_period(H1)} group by 1 order by 1").fetchall()
    assert got == [("dibao_households", 3), ("veterans", 3)]


def test_non_monthly_source_counts_all_rows(con):
    for i in range(99):
        con.execute("insert into raw.veterans (id_number) values (?)", [str(i)])
    quarantine(con, "veterans", None, 1)  # 1 / 100 = 1 %: warning
    out = gate.check_quarantine_share(con, H1)
    assert (out.passed, out.severity) == (False, "warning")


def test_reporting_completeness_names_the_missing_township_month(con):
    roster(con, "990102001001", [1, 2, 3, 4, 5, 6])
    roster(con, "990102002001", [1, 2, 4, 5, 6])
    out = gate.check_reporting_completeness(con, H1)
    assert not out.passed
    assert out.items == [{"source": "dibao_households", "township": "990102002000",
                          "month": "2025-03"}]
    roster(con, "990102002001", [3])
    assert gate.check_reporting_completeness(con, H1).passed


def test_coverage_range_and_swing(con):
    rows = [("2025H1", "990102001000", "township", "dibao_coverage_rate", "urban", 30.0),
            ("2025H1", "990102002000", "township", "dibao_coverage_rate", "rural", 30.01)]
    for m, v in zip(range(1, 7), [100, 100, 130, 100, 131, 131], strict=True):
        rows.append((f"2025-0{m}", "990102001000", "township", "dibao_persons_end", "total", v))
    con.executemany("insert into fct_indicators values (?, ?, ?, ?, ?, ?)", rows)
    cov = gate.check_coverage_rate_range(con, H1)
    assert [i["township"] for i in cov.items] == ["990102002000"]
    swing = gate.check_dibao_persons_swing(con, H1)
    # 100→130 is exactly 30 % (allowed); 130→100 is 23 %; 100→131 is 31 % (warned)
    assert (swing.passed, swing.severity) == (False, "warning")
    assert [(i["from"], i["to"]) for i in swing.items] == [("2025-04", "2025-05")]


def test_missing_indicator_rows(con):
    # the slots dbt owes for a sum with breakdowns total|urban over a district and two
    # townships (int_indicator_slots_enumerated; its own rule is tested in dbt)
    con.execute("create schema if not exists intermediate")
    con.execute("create table intermediate.int_indicator_slots_enumerated (period varchar, "
                "region_code varchar, indicator varchar, breakdown varchar, domain varchar)")
    con.executemany(
        "insert into intermediate.int_indicator_slots_enumerated values (?, ?, ?, ?, 'x')",
        [(p, r, "dibao_funds", b) for p in ("2025H1", "2025-06")
         for r in ("990102000000", "990102001000", "990102002000") for b in ("total", "urban")])
    have = [("990102000000", "dibao_funds", "total"), ("990102000000", "dibao_funds", "urban"),
            ("990102000000", "dibao_standard", "city"), ("990102001000", "dibao_funds", "total"),
            ("990102001000", "dibao_funds", "urban"), ("990102002000", "dibao_funds", "total")]
    con.executemany("insert into fct_indicators values ('2025H1', ?, null, ?, ?, 0)", have)
    out = gate.check_indicator_rows_complete(con, H1)
    assert out.items == [{"region": "990102002000", "indicator": "dibao_funds",
                          "breakdown": "urban"}]
    # a standard with no data (no standard in force) has no row, and none is expected
    con.execute("delete from fct_indicators where indicator = 'dibao_standard'")
    assert gate.check_indicator_rows_complete(con, H1).items == out.items


def test_cremated_without_death_record_is_a_warning_with_the_district_count(con):
    # two persons in the district row; the township rows are not added on top
    con.execute("""insert into fct_indicators values
        ('2025H1', '990102000000', 'district', 'cremated_without_death_record', 'total', 2),
        ('2025H1', '990102001000', 'township', 'cremated_without_death_record', 'total', 2)""")
    out = gate.check_cremated_without_death_record(con, H1)
    assert (out.passed, out.severity, out.items) == (False, "warning", [{"persons": 2.0}])
    con.execute("update fct_indicators set value = 0")
    assert gate.check_cremated_without_death_record(con, H1).passed


def test_quarantine_share_small_source_exception(con):
    """v2 §7: > 1 % AND at least 3 rows is an error; 2 bad rows out of 79 only warn."""
    roster(con, "990102001001", [1], per_month=77)
    for n in range(2):
        con.execute("insert into raw.quarantine (source, row_number, reason, month) values "
                    "('dibao_households', ?, 'invalid_amount', DATE '2025-01-01')", [n + 2])
    out = gate.check_quarantine_share(con, H1)
    assert (out.passed, out.severity) == (False, "warning")
    assert out.items[0]["quarantined"] == 2 and out.items[0]["rows"] == 79
    con.execute("insert into raw.quarantine (source, row_number, reason, month) values "
                "('dibao_households', 9, 'invalid_amount', DATE '2025-01-01')")
    assert gate.check_quarantine_share(con, H1).severity == "error"


def test_completeness_catches_a_township_silent_since_the_month_before(con):
    """Township 2 reported in Dec 2024 and nothing in 2025H1: every month of H1 is missing.
    A township that reported neither in the period nor in December is not expected."""
    roster(con, "990102001001", [1, 2, 3, 4, 5, 6])
    con.execute("insert into raw.dibao_households (month, household_id, region_code) values "
                "(DATE '2024-12-01', 'x', '990102002001')")
    out = gate.check_reporting_completeness(con, H1)
    assert out.items == [{"source": "dibao_households", "township": "990102002000",
                          "month": f"2025-0{m}"} for m in range(1, 7)]
    grid = gate.completeness_grid(con, H1)
    assert len(grid) == 4 * 2 * 6  # dibao, tekun, veteran_payments, elderly × 2 townships × 6 months
    assert {(c["source"], c["township"]) for c in grid if c["expected"]} == {
        ("dibao_households", "990102001000"), ("dibao_households", "990102002000")}
    con.execute("delete from raw.dibao_households where month = DATE '2024-12-01'")
    assert gate.check_reporting_completeness(con, H1).passed


def test_completeness_of_veteran_payments_by_the_veterans_village(con):
    con.execute("insert into raw.veterans (id_number, region_code) values "
                "('a', '990102001001'), ('b', '990102002001')")
    for m in (1, 2, 3, 4, 5, 6):
        con.execute("insert into raw.veteran_payments (month, id_number, benefit) values "
                    "(?, 'a', 'survivor_pension')", [date(2025, m, 1)])
    con.execute("insert into raw.veteran_payments (month, id_number, benefit) values "
                "(DATE '2025-02-01', 'b', 'survivor_pension')")
    out = gate.check_reporting_completeness(con, H1)
    assert [(i["source"], i["township"], i["month"]) for i in out.items] == [
        ("veteran_payments", "990102002000", m) for m in
        ("2025-01", "2025-03", "2025-04", "2025-05", "2025-06")]


def test_members_mismatch_counts_households_by_township(con):
    assert gate.check_members_mismatch(con, H1).passed  # not built yet
    con.execute("create schema intermediate")
    con.execute("create table intermediate.int_dibao_members_mismatched (period varchar, "
                "household_id varchar, township_code varchar)")
    con.execute("insert into intermediate.int_dibao_members_mismatched values "
                "('2025H1', 'a', 'T1'), ('2025H1', 'b', 'T1'), ('2025-06', 'c', 'T2')")
    out = gate.check_members_mismatch(con, H1)
    assert (out.passed, out.severity, out.items) == (
        False, "warning", [{"township": "T1", "households": 2}])
