"""The ingest step's one warehouse connection (assets_ingest.StepConnection): one connection
and one raw-schema pass for all its sources, a new connection after a failure or once the
sources it loaded reach BIG_STEP_ROWS rows."""

import dagster as dg
import duckdb
import pytest

from ingest import pipeline
from orchestration.defs import assets_ingest
from orchestration.defs.assets_ingest import StepConnection, raw_sources
from orchestration.defs.resources import Warehouse
from orchestration.memory import BIG_STEP_ROWS


@pytest.fixture
def counted(monkeypatch):
    """Count Warehouse.connect and ensure_raw_schema calls."""
    calls = {"connect": 0, "ensure": 0}
    connect, ensure = Warehouse.connect, assets_ingest.ensure_raw_schema

    def counting_connect(self, read_only=False):
        calls["connect"] += 1
        return connect(self, read_only)

    def counting_ensure(con):
        calls["ensure"] += 1
        return ensure(con)

    monkeypatch.setattr(Warehouse, "connect", counting_connect)
    monkeypatch.setattr(assets_ingest, "ensure_raw_schema", counting_ensure)
    monkeypatch.setattr(pipeline, "ensure_raw_schema", counting_ensure)
    return calls


def _warehouse(tmp_path) -> Warehouse:
    (tmp_path / "inbox").mkdir(exist_ok=True)
    return Warehouse(path=str(tmp_path / "warehouse"), inbox=str(tmp_path / "inbox"))


def _materialize(warehouse: Warehouse):
    with dg.DagsterInstance.ephemeral() as instance:
        return dg.materialize([raw_sources], resources={"warehouse": warehouse},
                              instance=instance, raise_on_error=False)


def test_the_step_loads_every_source_on_one_connection(tmp_path, counted):
    result = _materialize(_warehouse(tmp_path))
    assert result.success
    assert len(result.get_asset_materialization_events()) == 29  # the contract's sources
    assert counted == {"connect": 1, "ensure": 1}


def test_a_load_that_raises_gets_a_new_connection(tmp_path, counted, monkeypatch):
    monkeypatch.setattr(assets_ingest, "RETRY_DELAY_S", 0)
    real = pipeline.ingest_source

    def ingest_source(source, *args, **kwargs):
        if source == "veterans":
            raise OSError("inbox/veterans unreadable")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_source", ingest_source)
    result = _materialize(_warehouse(tmp_path))
    assert not result.success
    # the first, then one for each of veterans' 3 tries after a failed one, and one after
    # its last failure for the sources after it; the schema is ensured once
    assert counted == {"connect": 4, "ensure": 1}


def test_the_connection_is_renewed_once_its_sources_reach_big_step_rows(tmp_path, counted):
    with StepConnection(_warehouse(tmp_path)) as step:
        first = step.get()
        assert step.get() is first
        step.loaded(BIG_STEP_ROWS - 1)
        assert step.get() is first
        step.loaded(1)  # BIG_STEP_ROWS since it was opened
        with pytest.raises(duckdb.ConnectionException):
            first.execute("select 1")
        second = step.get()
        assert second is not first
        assert second.execute("select count(*) from raw.files").fetchall() == [(0,)]
        step.loaded(BIG_STEP_ROWS - 1)  # counted from the new connection's opening
        assert step.get() is second
    with pytest.raises(duckdb.ConnectionException):
        second.execute("select 1")  # closed on leaving
    assert counted == {"connect": 2, "ensure": 1}


def test_a_suite_outcome_that_raised_renews_the_connection(tmp_path, counted):
    """Recording a verdict on the step's connection may be what raised (SourceSuites.results
    reports it as the source's outcome): the next source gets a new connection."""
    passed = dg.AssetCheckResult(asset_key=dg.AssetKey(["raw", "regions"]),
                                 check_name="gx_suite", passed=True)
    stopped, failures = {}, []
    context = dg.build_asset_context()
    with StepConnection(_warehouse(tmp_path)) as step:
        first = step.get()
        got = list(assets_ingest._suite_outcomes(
            context, step, [("regions", passed), ("targets", duckdb.Error("invalidated"))],
            stopped, failures))
        assert got == [passed]
        assert stopped == {"targets": "failed"}
        assert failures == ["targets (checks): Error: invalidated"]
        assert step.get() is not first
    assert counted == {"connect": 2, "ensure": 1}


def test_a_busy_warehouse_is_left_untouched_by_the_parses_ahead(tmp_path, monkeypatch):
    # a run started by the UI while `civstat run` holds the warehouse: the step stops at its
    # first connection, before the parses ahead read the inbox or write the parse cache
    import subprocess
    import sys

    from ingest import parse_ahead

    entered = []
    monkeypatch.setattr(parse_ahead.ParseAhead, "__enter__",
                        lambda self: entered.append(1) or self)
    warehouse = _warehouse(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from orchestration.runlock import acquire; "
         "acquire(sys.argv[1]); print('held', flush=True); time.sleep(60)",
         warehouse.path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = _materialize(warehouse)
    finally:
        holder.kill()
        holder.wait()
    assert not result.success
    assert entered == []
