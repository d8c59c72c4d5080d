"""GX suites on hand-made batches: each bad value is found and only counted, never shown."""

import dataclasses
from datetime import date

import duckdb
import pandas as pd
import pytest

from ingest.contract import SOURCES
from orchestration.quality.suites import (
    mart_batch_sql,
    mart_expectations,
    source_expectations,
    validate,
)

GOOD_ID = "11010519491231002X"  # GB 11643 example ID: check digit X


def dibao_rows(**change):
    row = {
        "month": date(2025, 6, 1), "household_id": "H1", "region_code": "990102001001",
        "program": "urban", "head_name": "某某", "head_id_number": GOOD_ID,
        "head_id_number_hash": "a" * 64, "family_size": 3, "covered_persons": 2,
        "per_capita_income": 100.0, "monthly_amount": 260.0, "bank_account": None,
        "max_amount": 460.0, "temp_subsidy": None,  # v2, optional: empty passes
    }
    bad = dict(row, household_id="H2", **change)
    return pd.DataFrame([row, bad])


def failed(res):
    return {(f["expectation"], f["column"]): f["unexpected"] for f in res.failures}


def test_source_suite_passes_good_rows():
    res = validate("t", dibao_rows(), source_expectations("dibao_households"))
    assert res.success and res.rows == 2


def test_source_suite_finds_each_bad_value_without_showing_it():
    res = validate("t", dibao_rows(covered_persons=4, program="城市", monthly_amount=500.0,
                                   head_id_number="1234"),
                   source_expectations("dibao_households"))
    assert not res.success
    assert failed(res) == {
        ("expect_column_values_to_be_in_set", "program"): 1,
        ("expect_column_values_to_match_regex", "head_id_number"): 1,
        ("expect_column_pair_values_a_to_be_greater_than_b", "max_amount≥monthly_amount"): 1,
        ("expect_column_pair_values_a_to_be_greater_than_b", "family_size≥covered_persons"): 1,
    }
    assert "1234" not in repr(res.failures)


def test_batches_are_not_fingerprinted_and_still_counted(monkeypatch):
    """GX's batch fingerprint (a hash of every cell, twice per validation) is never made;
    the expectations still see every row."""
    from great_expectations.execution_engine import pandas_execution_engine

    def refuse(df):
        raise AssertionError("a batch was hashed")

    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", refuse)
    res = validate("t", dibao_rows(program="城市"), source_expectations("dibao_households"))
    assert res.rows == 2 and failed(res) == {("expect_column_values_to_be_in_set", "program"): 1}


def mart_con():
    """An in-memory mart of five rows: one 低保率 above 30 %, one negative sum (by hand)."""
    con = duckdb.connect()
    con.execute("create table indicator_catalogue (indicator varchar, value_kind varchar)")
    con.execute("insert into indicator_catalogue values ('dibao_coverage_rate', 'rate'),"
                "('dibao_funds', 'sum'), ('target_completion_rate', 'rate'),"
                "('dibao_avg_subsidy', 'ratio')")
    con.execute("create table fct_indicators (indicator varchar, unit varchar, value decimal(18,2),"
                " numerator double, denominator double)")
    con.execute("""insert into fct_indicators values
        ('dibao_coverage_rate', '%', 6.80, 68, 1000),     -- consistent
        ('dibao_coverage_rate', '%', 31.00, 310, 1000),   -- above 30 %
        ('target_completion_rate', '%', 120.00, 120, 100), -- over-completion is allowed
        ('dibao_funds', '万元', -1.00, null, null),        -- negative sum
        ('dibao_avg_subsidy', '元', 279.06, 2221.35, 7.96) -- 2221.35/7.96 = 279.06
    """)
    return con


MART_FAILURES = {("expect_column_values_to_be_between", "coverage_value"): 1,
                 ("expect_column_values_to_be_between", "count_value"): 1}


def test_mart_suite():
    con = mart_con()
    ok = validate("m", con.execute(mart_batch_sql()).df(), mart_expectations())
    assert failed(ok) == MART_FAILURES
    con.execute("insert into fct_indicators values ('dibao_avg_subsidy', '元', 280.00, 2221.35, 7.96)")
    bad = validate("m2", con.execute(mart_batch_sql()).df(), mart_expectations())
    assert failed(bad)[("expect_column_values_to_be_in_set", "consistent")] == 1


def test_the_runs_worker_validates_the_mart(tmp_path):
    from orchestration.defs.checks_suites import mart_suite_result
    from orchestration.quality import suite_worker

    suite_worker.start_shared()
    try:
        check = mart_suite_result(mart_con(), tmp_path / "batches")
    finally:
        suite_worker.stop_shared()
    assert not check.passed
    assert {(f["expectation"], f["column"]): f["unexpected"]
            for f in check.metadata["failures"].value} == MART_FAILURES
    assert not list((tmp_path / "batches").iterdir())  # written, validated there, removed


def test_large_tables_are_validated_in_chunks_and_counts_add_up():
    import great_expectations as gx

    from orchestration.quality.suites import validate_query

    con = duckdb.connect()
    con.execute("create table t as select i, case when i in (7, 3000, 4999) then -1 else i end "
                "as amount from range(5000) r(i)")
    res = validate_query("t", con, "select * from t",
                         [gx.expectations.ExpectColumnValuesToBeBetween(column="amount",
                                                                         min_value=0)],
                         chunk_rows=2048)  # three chunks: 2048 + 2048 + 904 rows
    assert res.rows == 5000 and not res.success
    assert failed(res) == {("expect_column_values_to_be_between", "amount"): 3}


def _payments(con, sha: str, amounts: list[float]) -> None:
    for i, amount in enumerate(amounts, start=1):
        con.execute("insert into raw.veteran_payments values (date '2025-06-01', ?, ?, "
                    "'living_allowance', ?, ?, 'p.csv', ?, ?, now(), null)",
                    [GOOD_ID, "b" * 64, amount, sha, i + 1, i - 1])


def test_source_suite_reads_only_files_it_has_not_passed(monkeypatch):
    from ingest.warehouse import ensure_raw_schema
    from orchestration.quality import suites as expectations

    con = duckdb.connect()
    ensure_raw_schema(con)
    con.execute("insert into raw.source_state values ('veterans', 'v1', now(), null)")
    _payments(con, "f1", [100.0, 200.0])
    first = expectations.validate_source(con, "veteran_payments")
    assert (first.success, first.rows, first.validated) == (True, 2, 2)
    again = expectations.validate_source(con, "veteran_payments")
    assert (again.success, again.rows, again.validated) == (True, 2, 0)

    _payments(con, "f2", [300.0, -5.0, 10.0])  # a new file with one negative amount
    bad = expectations.validate_source(con, "veteran_payments")
    assert (bad.success, bad.rows, bad.validated) == (False, 5, 3)
    assert failed(bad) == {("expect_column_values_to_be_between", "amount"): 1}
    # a failing file is not recorded as passed: the next run still fails
    assert not expectations.validate_source(con, "veteran_payments").success

    con.execute("delete from raw.veteran_payments where amount < 0")
    fixed = expectations.validate_source(con, "veteran_payments")
    assert (fixed.success, fixed.validated) == (True, 2)
    # same number of rows in f1, but another row of the file is loaded now
    con.execute("update raw.veteran_payments set _row_number = 9, _rid = 7 "
                "where _file_sha256 = 'f1' and _row_number = 2")
    assert expectations.validate_source(con, "veteran_payments").validated == 2
    assert expectations.validate_source(con, "veteran_payments").validated == 0
    # the payments' batch query does not read veterans: a new load of it changes nothing
    con.execute("update raw.source_state set fingerprint = 'v2'")
    assert expectations.validate_source(con, "veteran_payments").validated == 0
    # a query that reads another source is run again on every file after that source changes
    monkeypatch.setitem(SOURCES, "veteran_payments", dataclasses.replace(
        SOURCES["veteran_payments"], expectation_reads=("veterans",)))
    assert expectations.validate_source(con, "veteran_payments").validated == 4
    assert expectations.validate_source(con, "veteran_payments").validated == 0
    con.execute("update raw.source_state set fingerprint = 'v3'")
    assert expectations.validate_source(con, "veteran_payments").validated == 4


def test_roster_batch_reads_the_standard_in_force_and_no_unneeded_pii():
    from ingest.warehouse import ensure_raw_schema
    from orchestration.quality.suites import batch_columns, source_batch_sql

    assert "bank_account" not in batch_columns("dibao_households")
    con = duckdb.connect()
    ensure_raw_schema(con)
    con.execute("""insert into raw.regions (region_code, level, urban_rural_code) values
        ('c1', 'village', '111'), ('t1', 'village', '121'), ('r1', 'village', '220')""")
    con.execute("""insert into raw.dibao_standards (effective_month, tier, monthly_standard)
        values ('2025-01-01', 'city', 800), ('2025-04-01', 'city', 850),
               ('2025-01-01', 'town', 700), ('2025-01-01', 'rural', 500)""")
    rows = [("A", "2025-03-01", "c1", "urban"), ("B", "2025-04-01", "c1", "urban"),
            ("C", "2025-06-01", "t1", "urban"), ("D", "2025-06-01", "r1", "urban"),
            ("E", "2025-06-01", "c1", "rural"), ("F", "2025-06-01", "x9", "urban")]
    for hid, month, village, program in rows:
        con.execute("insert into raw.dibao_households (household_id, month, region_code, "
                    "program, covered_persons, _file_sha256) values (?, ?, ?, ?, 2, 's')",
                    [hid, month, village, program])
    batch = source_batch_sql("dibao_households")
    got = dict(con.execute(f"select household_id, max_amount from ({batch})").fetchall())
    # 2 covered persons × the standard of the tier in force in the row's month; a village
    # missing from the regions falls to the rural tier, as in the contract's "else rural"
    assert got == {"A": 1600, "B": 1700, "C": 1400, "D": 1000, "E": 1000, "F": 1000}


def test_chunks_are_not_kept_in_memory_after_validation():
    import gc

    import great_expectations as gx

    from orchestration.quality.suites import validate_query

    con = duckdb.connect()
    con.execute("create table t as select i as amount_kept_test from range(5000) r(i)")
    validate_query("t", con, "select * from t",
                   [gx.expectations.ExpectColumnValuesToBeBetween(column="amount_kept_test",
                                                                   min_value=0)],
                   chunk_rows=2048)
    gc.collect()
    alive = [o for o in gc.get_objects()
             if isinstance(o, pd.DataFrame) and "amount_kept_test" in o.columns]
    assert alive == []


def test_welfare_suites_cover_the_keyed_hash_and_amount_within_total_cost():
    from ingest.warehouse import ensure_raw_schema
    from orchestration.quality.suites import HASH_RE, batch_columns, source_batch_sql, source_specs

    child = source_specs("child_welfare_payments")
    assert ("ExpectColumnValuesToMatchRegex",
            {"column": "child_id_hash", "regex": HASH_RE}) in child
    assert "child_id_hash" in batch_columns("child_welfare_payments")
    con = duckdb.connect()
    ensure_raw_schema(con)
    con.execute("""insert into raw.medical_assistance (settlement_id, id_number, id_number_hash,
        region_code, beneficiary, assistance_type, settled_on, total_cost, amount) values
        ('S1', '110101195001010010', repeat('a', 64), '110101001001', 'other', 'inpatient',
         '2026-06-01', 100, 100),
        ('S2', '110101195001010010', repeat('a', 64), '110101001001', 'other', 'inpatient',
         '2026-06-01', null, 900),
        ('S3', '110101195001010010', repeat('a', 64), '110101001001', 'other', 'inpatient',
         '2026-06-01', 100, 100.01)""")
    got = validate("ma", con.execute(source_batch_sql("medical_assistance")).df(),
                   source_expectations("medical_assistance"))
    assert failed(got) == {("expect_column_pair_values_a_to_be_greater_than_b",
                            "total_cost≥amount"): 1}  # S3 only: S2 has no total cost


def test_v2_columns_are_in_the_suites():
    """The suites follow the declarations: a negative temp_subsidy, a grade 5 and a soldier
    placed before being received are each found."""
    res = validate("t", dibao_rows(temp_subsidy=-1.0), source_expectations("dibao_households"))
    assert failed(res) == {("expect_column_values_to_be_between", "temp_subsidy"): 1}
    members = pd.DataFrame([
        {"household_id": "H1", "name": "某", "id_number": GOOD_ID, "id_number_hash": "a" * 64,
         "relation": "户主", "covered": True, "disability_grade": g} for g in (2, None, 5)])
    assert failed(validate("m", members, source_expectations("dibao_members"))) == {
        ("expect_column_values_to_be_between", "disability_grade"): 1}
    soldiers = pd.DataFrame([
        {"name": "某", "id_number": GOOD_ID, "id_number_hash": "a" * 64,
         "region_code": "990102001001", "rank_type": "nco", "received_on": date(2025, 3, 1),
         "placement": p, "one_off_subsidy": 0.0, "placed_on": on}
        for p, on in (("assigned_job", date(2025, 3, 1)), ("pending", None),
                      ("assigned_job", date(2025, 2, 1)))])
    assert failed(validate("s", soldiers, source_expectations("soldiers_received"))) == {
        ("expect_column_pair_values_a_to_be_greater_than_b", "placed_on≥received_on"): 1}


def test_validating_writes_no_yaml_of_the_ephemeral_config(monkeypatch):
    """Each chunk adds a GX data source, its asset and batch definition, then deletes them;
    the ephemeral context's save of its config (a YAML dump nothing reads) is not made, and
    the verdicts are the same: the bad row is found in each of two batches in a row."""
    from great_expectations.data_context.data_context_variables import DataContextVariables

    saves = []
    monkeypatch.setattr(DataContextVariables, "save", lambda self: saves.append(1))
    for _ in range(2):
        res = validate("t", dibao_rows(program="城市"), source_expectations("dibao_households"))
        assert failed(res) == {("expect_column_values_to_be_in_set", "program"): 1}
    assert saves == []


@pytest.fixture
def batch_file(tmp_path, monkeypatch):
    """(a suite batch of 4 rows with one bad amount, the in-memory databases opened since:
    one entry per `duckdb.connect`); the process's shared reader starts afresh."""
    from orchestration.quality import suites

    path = tmp_path / "batch.parquet"
    duckdb.connect().execute(f"copy (select case when i = 2 then -1 else i end as amount_paid "
                             f"from range(4) r(i)) to '{path}' (format parquet)")
    opened = []
    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: opened.append(a) or real(*a, **k))
    monkeypatch.setattr(suites, "suite_expectations", lambda name: [
        __import__("great_expectations").expectations.ExpectColumnValuesToBeBetween(
            column="amount_paid", min_value=0)])
    suites._drop_parquet_reader()
    yield path, opened
    suites._drop_parquet_reader()


AMOUNT_FAILED = (4, {("expect_column_values_to_be_between", "amount_paid"): 1})


def test_small_batches_are_read_on_one_database(batch_file):
    from orchestration.quality.suites import validate_file

    path, opened = batch_file
    results = [validate_file(path, "t") for _ in range(3)]
    assert opened == [()]  # one in-memory database for the three files
    assert [(r.rows, failed(r)) for r in results] == [AMOUNT_FAILED] * 3


def test_a_large_batch_gets_a_database_of_its_own(batch_file, monkeypatch):
    # DuckDB's allocator keeps some of a read's memory until its database is closed
    from orchestration.quality import suites

    path, opened = batch_file
    monkeypatch.setattr(suites, "SHARED_READER_MAX_BYTES", path.stat().st_size - 1)
    results = [suites.validate_file(path, "t") for _ in range(2)]
    assert opened == [(), ()]
    assert suites._parquet_reader.cache_info().currsize == 0  # no shared one made
    assert [(r.rows, failed(r)) for r in results] == [AMOUNT_FAILED] * 2


def test_a_failed_read_drops_the_shared_database(batch_file, monkeypatch):
    from orchestration.quality import suites

    path, opened = batch_file
    real = suites.validate_result

    def fail_once(*args, **kwargs):
        monkeypatch.setattr(suites, "validate_result", real)
        raise duckdb.FatalException("the database is invalidated")

    monkeypatch.setattr(suites, "validate_result", fail_once)
    with pytest.raises(duckdb.FatalException):
        suites.validate_file(path, "t")
    assert (suites.validate_file(path, "t").rows, opened) == (4, [(), ()])  # a new one


def test_each_chunk_is_freed_before_the_next_is_validated(monkeypatch):
    """GX's objects hold a chunk in reference cycles; without a collection after each chunk
    they piled up until a full collection (2.6 GB in the worker at province)."""
    import gc

    import great_expectations as gx

    from orchestration.quality import suites

    alive_at_each_chunk = []
    real = suites.validate

    def counting(name, df, expectations):
        alive_at_each_chunk.append(sum(1 for o in gc.get_objects() if isinstance(
            o, pd.DataFrame) and "amount_freed_test" in o.columns))
        return real(name, df, expectations)

    monkeypatch.setattr(suites, "validate", counting)
    con = duckdb.connect()
    con.execute("create table t as select i as amount_freed_test from range(8192) r(i)")
    gc.disable()  # as when no collection happens to come between two chunks
    try:
        res = suites.validate_query("t", con, "select * from t", [
            gx.expectations.ExpectColumnValuesToBeBetween(column="amount_freed_test",
                                                          min_value=0)], chunk_rows=2048)
    finally:
        gc.enable()
    assert res.rows == 8192 and res.success
    assert alive_at_each_chunk == [1, 1, 1, 1]  # 4 chunks of 2048 (without: [1, 2, 3, 4])
