"""The ingest assets materialized by Dagster on the faulty sample district.

Read from the session's `civstat run` of the demo district (`district_h1`, tests/conftest.py):
its `raw_sources` step is the very materialization of the ingest assets a run makes, and
ingesting the district once more in `dg.materialize` cost a minute of the suite. The raw
layer is read from its warehouse (read only; no later step of a run writes raw tables), the
step's events from a copy of its Dagster instance.
"""

import shutil

import dagster as dg
import duckdb
import pytest

from ingest.contract import SOURCES

STEP = "raw_sources"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, district_inbox, district_h1):
    """(planted, warehouse, events): the demo district's planted faults, the session run's
    warehouse and every event its Dagster run recorded."""
    warehouse, code = district_h1
    assert code == 0, "the session's run of the demo district did not publish"
    home = tmp_path_factory.mktemp("ingest_assets") / "dagster"
    shutil.copytree(warehouse / "dagster", home)  # opening an instance may write to it
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DAGSTER_HOME", str(home))  # the event log lies under it (cli/event_log.py)
        with dg.DagsterInstance.from_config(str(home)) as instance:
            (record,) = instance.get_run_records()
            events = [e for e in instance.all_logs(record.dagster_run.run_id)
                      if e.is_dagster_event]
    return district_inbox[1], warehouse, events


def test_ingest_assets_quarantine_what_the_generator_planted(ingested):
    planted, warehouse, events = ingested
    raw = [e for e in events if e.dagster_event.is_step_materialization
           and e.dagster_event.asset_key.path[0] == "raw"]
    checks = [e.dagster_event for e in events
              if e.dagster_event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
              and e.dagster_event.event_specific_data.asset_key.path[0] == "raw"]
    # one step: every source loaded, every source's rows_accounted and GX suite, all passing
    # on the faulty sample
    assert {e.step_key for e in raw} | {c.step_key for c in checks} == {STEP}
    assert {e.dagster_event.asset_key.path[-1] for e in raw} == set(SOURCES)
    assert len(checks) == 2 * len(SOURCES)
    assert all(c.event_specific_data.passed for c in checks)

    with duckdb.connect(str(warehouse / "civstat.duckdb"), read_only=True) as con:
        got = {}
        for source, reason, n in con.execute(
                "select source, reason, count(*) from raw.quarantine group by 1, 2").fetchall():
            got.setdefault(source, {})[reason] = n
        rejected = sorted(con.execute(
            "select path, reason from raw.files where status = 'rejected'").fetchall())
        read, loaded = con.execute(
            "select sum(rows_read), sum(rows_loaded) from raw.files").fetchone()
    expected = {s: {r: n for r, n in reasons.items() if n}
                for s, reasons in planted["quarantine"].items() if any(reasons.values())}
    assert got == expected
    assert rejected == sorted((f["path"], f["reason"]) for f in planted["rejected_files"])
    assert read == sum(planted["rows"].values())
    assert loaded < read
    # the metadata of each asset carries counts only
    meta = {e.dagster_event.asset_key.path[-1]:
            e.dagster_event.event_specific_data.materialization.metadata for e in raw}
    assert meta["dibao_households"]["rows_quarantined"].value == sum(
        n for r, n in expected["dibao_households"].items() if r != "unreadable_file")
