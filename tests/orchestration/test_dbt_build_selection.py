"""A run builds only the dbt models under what changed, and publishes what a full build does.

Warehouse A: a full run without one 2025-07 file of the 低保 roster; the file arrives and the
next run rebuilds only the models under the sources that changed; a third run with nothing
changed does not start dbt. Warehouse B: one full run from scratch over the same inbox (the
session's `district_h1`, tests/conftest.py, which tests/test_end_to_end.py reads too). The
releases of A and B must be the same, check for check (docs/operations.md "When dbt rebuilds
what").
"""

import json
import shutil
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli.main import EXIT_OK, main
from orchestration.defs.dbt_selection import STATE_FILE

PERIOD = "2025H1"
# three runs of the district; the plan itself: tests/orchestration/test_dbt_selection.py
pytestmark = pytest.mark.e2e


def run(inbox: Path, warehouse: Path) -> int:
    return main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse),
                 "--period", PERIOD, "--published-by", "测试员"])


def built(warehouse: Path) -> set[str]:
    """The dbt nodes the warehouse's last run built or tested: dagster-dbt gives each model's
    and test's event the node's `unique_id`; civstat marks the models it left as they are
    (`civstat/dbt`) and the test passes it kept (`civstat/kept_from_run`). dbt writes no
    run_results.json (orchestration/defs/assets_dbt.py)."""
    home = warehouse / "dagster"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DAGSTER_HOME", str(home))  # the event log lies under it (cli/event_log.py)
        with dg.DagsterInstance.from_config(str(home)) as instance:
            last = instance.get_run_records(limit=1)[0].dagster_run.run_id
            events = [e.dagster_event for e in instance.all_logs(last) if e.is_dagster_event]
    nodes = set()
    for event in events:
        if event.is_step_materialization:
            meta = event.event_specific_data.materialization.metadata
        elif event.event_type == dg.DagsterEventType.ASSET_OBSERVATION:  # a test of no asset
            meta = event.event_specific_data.asset_observation.metadata
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            meta = event.event_specific_data.metadata
        else:
            continue
        uid = meta.get("unique_id")
        if uid is not None and "civstat/dbt" not in meta and "civstat/kept_from_run" not in meta:
            nodes.add(uid.value)
    return nodes


def dbt_started(warehouse: Path) -> bool:
    """Whether the warehouse's last run started dbt: dagster-dbt logs the command it starts
    ("Running dbt command: …") in the run's log, even for a selection dbt finds empty."""
    log = max((warehouse / "logs").glob("civstat_run-*.log"), key=lambda p: p.stat().st_mtime_ns)
    return "Running dbt command" in log.read_text(encoding="utf-8")


def checks(warehouse: Path) -> list[tuple]:
    manifest = json.loads((warehouse / "published" / PERIOD / "manifest.json").read_text("utf-8"))
    return sorted((c["asset"], c["name"], c["passed"], c["severity"], c["detail"])
                  for c in manifest["checks"])


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory, district_inbox, district_h1):
    root = tmp_path_factory.mktemp("dbt_selection")
    inbox = root / "inbox"
    shutil.copytree(district_inbox[0], inbox)
    month_file = sorted((inbox / "dibao_households").glob("2025年07月*.csv"))[0]
    held = root / month_file.name
    shutil.move(month_file, held)
    a, out = root / "a", {}
    assert run(inbox, a) == EXIT_OK
    out["full"] = built(a)
    shutil.move(held, month_file)  # the month's file arrives
    assert run(inbox, a) == EXIT_OK
    out["selective"] = built(a)
    out["selective_release"] = (a / "published" / PERIOD / "indicators.csv").read_bytes()
    out["selective_checks"] = checks(a)
    assert dbt_started(a)  # the signal itself: the selective build started dbt
    (a / "dbt" / "run_results.json").write_text("{}", "utf-8")  # as an older civstat left it
    assert run(inbox, a) == EXIT_OK  # nothing changed
    out["dbt_started_again"] = dbt_started(a)
    out["stale_results_left"] = (a / "dbt" / "run_results.json").exists()
    b, code = district_h1  # B: the session's full run from scratch over the same inbox
    assert code == EXIT_OK
    return a, b, out


def test_a_new_month_file_rebuilds_the_models_under_its_source_and_the_periods(warehouses):
    _, _, out = warehouses
    selective, full = out["selective"], out["full"]
    for model in ("stg_raw__dibao_households", "int_dibao_households_monthly",
                  "int_months_observed", "int_period_spans_enumerated", "fct_indicators"):
        assert f"model.civstat.{model}" in selective
    for model in ("stg_raw__veterans", "stg_raw__disaster_reports", "stg_raw__regions"):
        assert f"model.civstat.{model}" in full and f"model.civstat.{model}" not in selective
    assert "seed.civstat.indicator_catalogue" not in selective
    assert not any(u.startswith("test.civstat.not_null_stg_raw__veterans_") for u in selective)
    assert any(u.startswith("test.civstat.not_null_stg_raw__dibao_households_")
               for u in selective)
    assert len(selective) < len(full)


def test_the_selective_build_publishes_what_a_full_build_does(warehouses):
    _, b, out = warehouses
    assert out["selective_release"] == (b / "published" / PERIOD / "indicators.csv").read_bytes()
    assert out["selective_checks"] == checks(b)
    assert sum(1 for c in checks(b) if c[1].startswith("not_null_")) > 50  # dbt's tests are in


def test_a_run_with_nothing_changed_does_not_start_dbt_and_publishes_the_same(warehouses):
    a, b, out = warehouses
    assert not out["dbt_started_again"]
    assert not out["stale_results_left"]  # removed, though dbt did not run
    assert (a / "published" / PERIOD / "indicators.csv").read_bytes() == out["selective_release"]
    assert checks(a) == checks(b)
    assert (a / "dbt" / STATE_FILE).exists()
