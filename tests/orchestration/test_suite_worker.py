"""The sources' GX suites validated by a worker process beside the ingest
(orchestration/quality/suite_worker.py) give what the same suites give in this process: the
same counts, the same files recorded as passed; a worker that dies costs only time. (The
mart through the run's worker: test_expectations.py.)"""

import gc
import subprocess
import sys

import duckdb
import pytest

from ingest.warehouse import ensure_raw_schema
from orchestration.defs.checks_suites import SourceSuites
from orchestration.quality import suite_worker
from orchestration.quality.suite_worker import SuiteWorker
from orchestration.quality.suites import export_batch, source_batch, validate_source

GOOD_ID = "11010519491231002X"  # GB 11643 example ID: check digit X
NEGATIVE = ("expect_column_values_to_be_between", "amount")


def payments(con, sha: str, amounts: list[float]) -> None:
    for i, amount in enumerate(amounts, start=1):
        con.execute("insert into raw.veteran_payments values (date '2025-06-01', ?, ?, "
                    "'living_allowance', ?, ?, 'p.csv', ?, ?, now(), null)",
                    [GOOD_ID, "b" * 64, amount, sha, i + 1, i - 1])


@pytest.fixture
def con(tmp_path):
    """A warehouse with two files of 优抚 payments: f1 (2 rows) and f2 (3 rows, one negative)."""
    db = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_raw_schema(db)
    db.execute("insert into raw.source_state values ('veterans', 'v1', now(), null)")
    payments(db, "f1", [100.0, 200.0])
    payments(db, "f2", [300.0, -5.0, 10.0])
    yield db
    db.close()


def failed(res) -> dict:
    return {(f["expectation"], f["column"]): f["unexpected"] for f in res.failures}


def all_results(suites: SourceSuites, con) -> dict:
    out = {}
    while suites.waiting:
        out |= dict(suites.results(lambda: con, wait=True))
    return out


def test_the_worker_counts_what_this_process_counts_and_records_the_same(con, tmp_path):
    batches = tmp_path / "batches"
    with SourceSuites(batches) as suites:
        suites.submit(con, "veteran_payments")
        assert suites.waiting == {"veteran_payments"}
        check = all_results(suites, con)["veteran_payments"]
    # by hand: 5 rows read, one negative amount; a failing suite records nothing
    assert not check.passed
    assert check.metadata["rows"].value == 5 and check.metadata["rows_validated_now"].value == 5
    assert {(f["expectation"], f["column"]): f["unexpected"]
            for f in check.metadata["failures"].value} == {NEGATIVE: 1}
    assert con.execute("select count(*) from raw.gx_passed").fetchall() == [(0,)]
    assert not list(batches.iterdir())  # the batch file is gone once answered
    here = validate_source(con, "veteran_payments")  # the same suite in this process
    assert (here.success, here.rows, here.validated, failed(here)) == (False, 5, 5, {NEGATIVE: 1})

    con.execute("delete from raw.veteran_payments where amount < 0")
    with SourceSuites(batches) as suites:
        suites.submit(con, "veteran_payments")
        check = all_results(suites, con)["veteran_payments"]
    assert check.passed and check.metadata["rows_validated_now"].value == 4
    assert con.execute("select _file_sha256, count(*) from raw.veteran_payments group by 1 "
                       "order by 1").fetchall() == con.execute(
        "select sha256, rows from raw.gx_passed order by 1").fetchall()
    with SourceSuites(batches) as suites:  # nothing new: answered at once, no batch written
        suites.submit(con, "veteran_payments")
        assert suites.results(lambda: con)[0][1].metadata["rows_validated_now"].value == 0


def test_a_worker_that_dies_costs_only_time(con, tmp_path):
    path = tmp_path / "b.parquet"
    export_batch(con, source_batch(con, "veteran_payments"), path)
    with SuiteWorker() as worker:
        if not worker.start():
            pytest.skip("one core: no worker is started")
        worker._process.kill()  # e.g. the kernel's out-of-memory killer
        worker._process.join()
        worker.submit("k", path, "raw_veteran_payments")
        (key, res), = worker.wait()
    assert key == "k" and (res.rows, failed(res)) == (5, {NEGATIVE: 1})
    assert not path.exists()


def test_one_core_validates_when_submitted(con, tmp_path):
    path = tmp_path / "b.parquet"
    export_batch(con, source_batch(con, "veteran_payments"), path)
    with SuiteWorker(aside=False) as worker:
        worker.submit("k", path, "raw_veteran_payments")
        assert worker._process is None
        (key, res), = worker.answered()
    assert failed(res) == {NEGATIVE: 1}


def test_closing_removes_the_batches_of_unanswered_suites(con, tmp_path):
    path = tmp_path / "b.parquet"
    export_batch(con, source_batch(con, "veteran_payments"), path)
    worker = SuiteWorker()
    worker.submit("k", path, "raw_veteran_payments")
    worker.close()
    assert not path.exists() and worker.pending == set()


def test_a_worker_that_cannot_start_validates_here(con, tmp_path, monkeypatch):
    import multiprocessing.context

    def refuse(self):
        raise OSError(11, "Resource temporarily unavailable")  # e.g. fork's EAGAIN

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    path = tmp_path / "b.parquet"
    export_batch(con, source_batch(con, "veteran_payments"), path)
    with SuiteWorker() as worker:
        assert not worker.start()
        worker.submit("k", path, "raw_veteran_payments")
        (key, res), = worker.answered()
    assert failed(res) == {NEGATIVE: 1} and not path.exists()


def test_a_step_on_the_runs_worker_forgets_its_unanswered_suites(con, tmp_path):
    """An ingest step that ends before its suites answered (it failed) leaves no file, and
    the late answer is not taken for the same source's next suite."""
    batches = tmp_path / "batches"
    worker = suite_worker.start_shared()
    try:
        with SourceSuites(batches) as suites:
            suites.submit(con, "veteran_payments")  # f2's negative amount: fails
        assert not list(batches.iterdir()) and worker.pending == set()
        con.execute("delete from raw.veteran_payments where amount < 0")
        with SourceSuites(batches) as suites:
            suites.submit(con, "veteran_payments")
            check = all_results(suites, con)["veteran_payments"]
        assert suite_worker.shared() is worker  # the run's, not closed by a step
    finally:
        suite_worker.stop_shared()
    assert check.passed and check.metadata["rows_validated_now"].value == 4


def test_a_suite_that_raises_in_the_worker_is_answered_as_an_error(tmp_path):
    missing = tmp_path / "gone.parquet"  # e.g. removed by hand while the run waited
    with SuiteWorker() as worker:
        worker.submit("k", missing, "raw_veteran_payments")
        (key, answer), = worker.wait()
    assert key == "k" and isinstance(answer, suite_worker.SuiteError)
    # the exception's type and message, not a traceback
    assert str(answer).startswith("IOException: ") and "gone.parquet" in str(answer)
    assert "Traceback" not in str(answer)


class _Ending:
    """The worker's end of the pipe: the parent's `None` (done), or the parent gone."""

    def __init__(self, ending):
        self.ending = ending

    def recv(self):
        if self.ending is None:
            return None
        raise self.ending


@pytest.mark.parametrize("ending", [None, EOFError()])
def test_the_worker_ends_with_its_objects_frozen_out_of_the_collector(monkeypatch, ending):
    # so that its interpreter's end (GX's and pandas' objects) does not hold the run's end
    import signal

    from orchestration.quality import suites

    monkeypatch.setattr(suite_worker, "die_with_parent", lambda parent: None)
    monkeypatch.setattr(suites, "_context", lambda: None)
    previous = signal.getsignal(signal.SIGINT)
    gc.unfreeze()
    try:
        suite_worker._serve(_Ending(ending), 0)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        signal.signal(signal.SIGINT, previous)


def test_gx_is_set_up_without_loading_scipy_stats_which_loads_when_used():
    # suites._scipy_stats_deferred: GX's import no longer loads scipy.stats (none of the
    # suites' expectations uses it); a later use loads it
    script = ("import sys\n"
              "from orchestration.quality.suites import _context\n"
              "_context()\n"
              "print('scipy.stats._stats_py' in sys.modules)\n"
              "from scipy import stats\n"
              "print(stats.entropy([0.5, 0.5], [0.25, 0.75]) > 0)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.split() == ["False", "True"], out.stderr
