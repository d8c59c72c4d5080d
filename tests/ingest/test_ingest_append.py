"""An added file is appended, not rebuilt: and the tables end up as a full rebuild's would."""

import pytest
from ingest_cases import HH_HEADER, Env, hh

import ingest.pipeline as pipeline

ROW_COLS = "_source_file, _row_number, household_id, month, monthly_amount"


def _tables(env: Env) -> tuple[list, list, list]:
    rows = env.sql(f"SELECT {ROW_COLS} FROM raw.dibao_households ORDER BY 1, 2")
    quarantine = env.quarantine("dibao_households")
    files = env.sql("SELECT path, rows_read, rows_loaded, rows_quarantined FROM raw.files "
                    "WHERE source = 'dibao_households' ORDER BY 1")
    return rows, quarantine, files


def _no_rebuild(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("the whole source was rebuilt")

    monkeypatch.setattr(pipeline, "_run_sql", boom)


def _fresh(tmp_path, files: dict[str, list]) -> tuple[list, list, list]:
    """The tables of one full load of ``files`` into a new warehouse."""
    other = Env(tmp_path / "fresh")
    try:
        other.base()
        for rel, rows in files.items():
            other.xlsx(rel, rows)
        other.run("dibao_households")
        return _tables(other)
    finally:
        other.con.close()


@pytest.fixture
def grown(env, tmp_path):
    """Load ``first``, add ``second`` (appended: a rebuild would fail), compare with fresh."""
    def run(first: dict[str, list], second: dict[str, list], monkeypatch):
        (tmp_path / "fresh").mkdir()
        env.base()
        for rel, rows in first.items():
            env.xlsx(rel, rows)
        env.run("dibao_households")
        for rel, rows in second.items():
            env.xlsx(rel, rows)
        _no_rebuild(monkeypatch)
        report = env.run("dibao_households")
        monkeypatch.undo()
        assert _tables(env) == _fresh(tmp_path, {**first, **second})
        return report
    return run


def test_added_month_is_appended(grown, env, monkeypatch):
    june = {"dibao_households/06.xlsx": [HH_HEADER, hh(), hh(household_id="H002",
                                                               monthly_amount="abc")]}
    july = {"dibao_households/07.xlsx": [HH_HEADER, hh(month="2026-07"),
                                         hh(month="2026-07", household_id="H003")]}
    report = grown(june, july, monkeypatch)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 3, 1)
    assert env.quarantine("dibao_households") == [
        ("dibao_households/06.xlsx", 3, "monthly_amount", "invalid_amount")]
    assert env.sql("SELECT event FROM raw.file_events WHERE path LIKE '%07.xlsx'") == [("added",)]


def test_new_file_sorting_first_takes_the_loaded_copy(grown, env, monkeypatch):
    # the same row arrives again in a file that sorts before the one loaded earlier
    later = {"dibao_households/b.xlsx": [HH_HEADER, hh(), hh(household_id="H002")]}
    earlier = {"dibao_households/a.xlsx": [HH_HEADER, hh()]}
    report = grown(later, earlier, monkeypatch)
    assert (report.rows_loaded, report.rows_quarantined) == (2, 1)
    assert env.quarantine("dibao_households") == [
        ("dibao_households/b.xlsx", 2, "month", "duplicate_row")]  # first key column
    assert env.sql("SELECT _source_file FROM raw.dibao_households WHERE household_id = 'H001'"
                   ) == [("dibao_households/a.xlsx",)]


def test_third_copy_that_differs_turns_a_duplicate_into_a_conflict(grown, env, monkeypatch):
    first = {"dibao_households/a.xlsx": [HH_HEADER, hh()],
             "dibao_households/b.xlsx": [HH_HEADER, hh(household_id="H002"), hh()]}
    second = {"dibao_households/c.xlsx": [HH_HEADER, hh(monthly_amount="900")]}
    report = grown(first, second, monkeypatch)
    assert (report.rows_loaded, report.rows_quarantined) == (1, 3)
    assert {r[3] for r in env.quarantine("dibao_households")} == {"conflicting_duplicate"}


def test_conflict_set_aside_earlier_still_catches_a_new_copy(grown, env, monkeypatch):
    first = {"dibao_households/a.xlsx": [HH_HEADER, hh(), hh(monthly_amount="900")]}
    second = {"dibao_households/b.xlsx": [HH_HEADER, hh(), hh(household_id="H002")]}
    report = grown(first, second, monkeypatch)
    assert (report.rows_loaded, report.rows_quarantined) == (1, 3)


def test_removed_or_replaced_file_rebuilds(env, monkeypatch):
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh()])
    env.xlsx("dibao_households/b.xlsx", [HH_HEADER, hh(household_id="H002")])
    env.run("dibao_households")
    (env.inbox / "dibao_households/b.xlsx").unlink()
    env.xlsx("dibao_households/c.xlsx", [HH_HEADER, hh(household_id="H003")])
    calls = []
    real = pipeline._run_sql
    monkeypatch.setattr(pipeline, "_run_sql", lambda *a: calls.append(1) or real(*a))
    report = env.run("dibao_households")
    assert calls == [1]
    assert env.sql("SELECT household_id FROM raw.dibao_households ORDER BY 1") == [
        ("H001",), ("H003",)]
    assert report.rows_loaded == 2


def test_worker_processes_parse_like_the_main_process(env, tmp_path, monkeypatch):
    from ingest import parallel

    rows = {f"dibao_households/{i:02d}.xlsx": [HH_HEADER, hh(household_id=f"H{i:03d}"),
                                               hh(household_id=f"H{i:03d}", per_capita_income="x")]
            for i in range(6)}
    (tmp_path / "fresh").mkdir()
    in_process = _fresh(tmp_path, rows)  # small: parsed in this process
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    monkeypatch.setenv("CIVSTAT_PARSE_WORKERS", "2")
    started = []
    real_pool = parallel.pool
    monkeypatch.setattr(parallel, "pool", lambda: started.append(1) or real_pool())
    env.base()
    for rel, r in rows.items():
        env.xlsx(rel, r)
    try:
        report = env.run("dibao_households")
        assert started  # the workers did the parsing
        assert parallel._pool is None  # and were shut down when the source's files were parsed
    finally:
        parallel.shutdown()
    # the second row of each file fails its own check, so it is no duplicate of the first
    assert (report.rows_loaded, report.rows_quarantined) == (6, 6)
    assert report.reasons == {"invalid_amount": 6}
    assert _tables(env) == in_process


def test_a_dead_worker_pool_falls_back_to_parsing_in_process(env, monkeypatch):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from ingest import parallel

    class DeadPool:
        def submit(self, *a, **k):
            f = Future()
            f.set_exception(BrokenProcessPool("a worker was killed"))
            return f

        def shutdown(self, cancel_futures=False):
            pass

    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh(), hh(household_id="H002")])
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    monkeypatch.setenv("CIVSTAT_PARSE_WORKERS", "2")
    monkeypatch.setattr(parallel, "_pool", DeadPool())
    report = env.run("dibao_households")
    assert (report.rows_read, report.rows_loaded) == (2, 2)
    assert parallel._pool is None  # the broken pool was dropped; the next load starts anew


def _two_sheets(path, sheets: dict[str, list[list]]) -> None:
    """A workbook with one data sheet per entry (row numbers repeat across the sheets)."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                sheet.write_string(r, c, str(v))
    book.close()


def test_appended_conflict_in_a_second_sheet_leaves_the_first_sheets_row(env, tmp_path,
                                                                         monkeypatch):
    # a.xlsx: sheet 城市 holds H001 on row 2, sheet 农村 holds H003 on row 2 (same row number);
    # the appended b.xlsx brings H003 again with another amount: both H003 rows become
    # conflicting duplicates, and H001 (row 2 of the other sheet) must stay loaded
    sheets = {"城市": [HH_HEADER, hh()], "农村": [HH_HEADER, hh(household_id="H003")]}
    added = [HH_HEADER, hh(household_id="H003", monthly_amount="120")]
    env.base()
    _two_sheets(env.inbox / "dibao_households/a.xlsx", sheets)
    env.run("dibao_households")
    env.xlsx("dibao_households/b.xlsx", added)
    _no_rebuild(monkeypatch)
    report = env.run("dibao_households")
    monkeypatch.undo()
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 1, 2)
    assert env.sql("SELECT household_id, _row_number FROM raw.dibao_households") == [
        ("H001", 2)]
    assert sorted((r[0], r[1], r[3]) for r in env.quarantine("dibao_households")) == [
        ("dibao_households/a.xlsx", 2, "conflicting_duplicate"),
        ("dibao_households/b.xlsx", 2, "conflicting_duplicate")]
    # the same as one full load of both files
    (tmp_path / "fresh").mkdir()
    other = Env(tmp_path / "fresh")
    try:
        other.base()
        _two_sheets(other.inbox / "dibao_households/a.xlsx", sheets)
        other.xlsx("dibao_households/b.xlsx", added)
        other.run("dibao_households")
        assert _tables(other) == _tables(env)
    finally:
        other.con.close()
