"""One source's failure inside the single ingest step stays that source's (and its
dependents'), as when every source was its own Dagster step."""

import dataclasses

import dagster as dg
import pytest

from ingest import pipeline
from ingest.contract import SOURCES
from orchestration.defs import assets_ingest
from orchestration.defs.assets_ingest import raw_sources
from orchestration.defs.resources import Warehouse

# by hand from the contract: the sources that depend on nothing
ROOTS = {"regions", "dibao_standards", "targets", "elderly_subsidy_standards",
         "child_welfare_standards"}


def _run(tmp_path, selection=None):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    warehouse = Warehouse(path=str(tmp_path / "warehouse"), inbox=str(inbox))
    # an instance in memory: the results are the same, and a temporary SQLite one fsynced
    # every event (≈ 30 s of wall time here on the 2-core box)
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize([raw_sources], resources={"warehouse": warehouse},
                                instance=instance, raise_on_error=False, selection=selection)
        failure = next((e.step_failure_data for e in result.all_events if e.is_step_failure),
                       None)
    loaded = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    return result, loaded, failure


@pytest.fixture
def no_delay(monkeypatch):
    monkeypatch.setattr(assets_ingest, "RETRY_DELAY_S", 0)


def test_a_source_that_cannot_be_read_stops_itself_and_its_dependents(tmp_path, monkeypatch,
                                                                      no_delay):
    real, calls = pipeline.ingest_source, []

    def ingest_source(source, *args, **kwargs):
        calls.append(source)
        if source == "veterans":
            raise PermissionError(13, "Permission denied", "inbox/veterans")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_source", ingest_source)
    result, loaded, failure = _run(tmp_path)
    assert not result.success
    # veterans and veteran_payments (which depends on it) only; tried three times
    assert loaded == set(SOURCES) - {"veterans", "veteran_payments"}
    assert calls.count("veterans") == 3 and "veteran_payments" not in calls
    assert "veterans: PermissionError" in failure.user_failure_data.description
    assert "inbox/veterans" in failure.user_failure_data.description
    checks = result.get_asset_check_evaluations()
    assert len(checks) == 2 * len(loaded) and all(c.passed for c in checks)


def test_a_failing_blocking_check_stops_the_sources_that_depend_on_it(tmp_path, monkeypatch):
    from orchestration.defs import checks_suites

    real = checks_suites.to_result

    def result(res, asset_key=None):  # regions' suite, however validated, made a failure
        if asset_key != dg.AssetKey(["raw", "regions"]):
            return real(res, asset_key)
        return real(dataclasses.replace(res, success=False, failures=[
            {"expectation": "expect_column_values_to_match_regex", "column": "region_code",
             "unexpected": 1}]), asset_key)

    monkeypatch.setattr(checks_suites, "to_result", result)
    result, loaded, failure = _run(tmp_path)
    assert not result.success and loaded == ROOTS
    assert "raw/regions: gx_suite" in failure.error.message
    failed = {(c.asset_key.path[-1], c.check_name) for c in
              result.get_asset_check_evaluations() if not c.passed}
    assert failed == {("regions", "gx_suite")}


def test_a_subset_loads_only_the_selected_sources(tmp_path):
    result, loaded, _ = _run(tmp_path, selection=[dg.AssetKey(["raw", "veterans"])])
    assert result.success and loaded == {"veterans"}
    checks = {c.check_name for c in result.get_asset_check_evaluations()}
    assert checks == {"rows_accounted", "gx_suite"}


def test_a_source_waits_only_for_the_verdicts_of_what_it_depends_on():
    from orchestration.defs.assets_ingest import ready_source

    # by hand from the contract: 低保 members depend on the roster, 特困 on regions only
    todo = ["dibao_members", "tekun_persons"]
    assert ready_source(todo, waiting={"dibao_households"}) == "tekun_persons"
    assert ready_source(todo, waiting=set()) == "dibao_members"  # load order otherwise
    assert ready_source(todo, waiting={"regions"}) == "dibao_members"  # not on regions itself
    assert ready_source(todo, waiting={"regions", "dibao_households"}) is None
    # a dependency not loaded yet blocks as well as one being validated
    assert ready_source(["dibao_households", "dibao_members"], set()) == "dibao_households"
    assert ready_source(["dibao_members", "dibao_households"], set()) == "dibao_households"
