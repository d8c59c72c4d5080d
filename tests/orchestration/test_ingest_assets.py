"""The ingest assets materialized by Dagster on the faulty sample district."""

import dagster as dg
import duckdb
import pytest

from ingest.contract import SOURCES
from orchestration.defs.assets_ingest import raw_sources
from orchestration.defs.resources import Warehouse


@pytest.fixture(scope="module")
def sample(tmp_path_factory, district_inbox):
    """(root, planted): root / "inbox" links to the session's demo district (tests/conftest.py),
    read only; the warehouse goes to root / "warehouse"."""
    root = tmp_path_factory.mktemp("ingest_assets")
    (root / "inbox").symlink_to(district_inbox[0], target_is_directory=True)
    return root, district_inbox[1]


def test_ingest_assets_quarantine_what_the_generator_planted(sample):
    root, planted = sample
    warehouse = Warehouse(path=str(root / "warehouse"), inbox=str(root / "inbox"))
    with dg.instance_for_test() as instance:
        result = dg.materialize([raw_sources],
                                resources={"warehouse": warehouse}, instance=instance)
    assert result.success
    checks = result.get_asset_check_evaluations()
    # one step: every source's rows_accounted and GX suite, all passing on the faulty sample
    assert {e.step_key for e in result.all_events if e.is_step_start} == {"raw_sources"}
    assert len(checks) == 2 * len(SOURCES) and all(c.passed for c in checks)

    with duckdb.connect(str(warehouse.db_path), read_only=True) as con:
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
    meta = {e.asset_key.path[-1]: e.materialization.metadata
            for e in result.get_asset_materialization_events()}
    assert meta["dibao_households"]["rows_quarantined"].value == sum(
        n for r, n in expected["dibao_households"].items() if r != "unreadable_file")
