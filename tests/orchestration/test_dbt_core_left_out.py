"""dagster-dbt is imported without dbt-core (orchestration/defs/__init__.py): the same asset
graph as with it, dbt-core still importable afterwards, and a failing dbt test still a failed
check in a run. (`civstat prepare` in this mode is the test session's own `dbt_manifest`
fixture.)

Each side runs in a fresh interpreter: in this one, dagster-dbt was imported once already.
"""

import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from orchestration.cli.main import EXIT_BLOCKED, EXIT_OK, main

# the asset graph as JSON: every asset's upstream keys, checks, group, kinds, tags,
# description, metadata, code version and automation; every check's blocking and
# description; the job names. Object addresses (`at 0x…`) are cut from the reprs.
GRAPH = """
import json, re, sys
{before}
from orchestration.definitions import defs
import dagster_dbt.compat as compat

def text(value):
    return re.sub(r" at 0x[0-9a-f]+", "", str(value))

graph = defs.resolve_asset_graph()
assets = {}
for key in graph.get_all_asset_keys():
    node = graph.get(key)
    assets[key.to_user_string()] = {
        "deps": sorted(k.to_user_string() for k in node.parent_keys),
        "checks": sorted(str(c) for c in node.check_keys),
        "group": node.group_name, "kinds": sorted(node.kinds),
        "tags": sorted(node.tags.items()), "description": node.description,
        "metadata": sorted((k, text(v)) for k, v in node.metadata.items()),
        "code_version": node.code_version, "automation": text(node.automation_condition)}
checks = {str(k): [graph.get_check_spec(k).blocking, graph.get_check_spec(k).description]
          for k in graph.asset_check_keys}
print(json.dumps({"assets": assets, "checks": checks,
                  "jobs": sorted(j.name for j in defs.resolve_all_job_defs()),
                  "dbt_core_seen": compat.DBT_PYTHON_VERSION is not None,
                  "dbt_modules": sorted(m for m in sys.modules if m.startswith("dbt."))}))
"""


def _graph(before: str) -> dict:
    out = subprocess.run([sys.executable, "-c", GRAPH.replace("{before}", before)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.splitlines()[-1])


def test_the_asset_graph_is_the_same_without_dbt_core(dbt_manifest):
    without = _graph(before="")
    with_core = _graph(before="import dbt.version  # dagster-dbt then finds dbt-core")

    assert without["dbt_core_seen"] is False
    assert without["dbt_modules"] == []  # nothing of dbt-core was imported
    assert with_core["dbt_core_seen"] is True
    assert len(with_core["assets"]) > 100 and len(with_core["checks"]) > 300
    assert without["assets"] == with_core["assets"]
    assert without["checks"] == with_core["checks"]
    assert without["jobs"] == with_core["jobs"]


def test_dbt_core_stays_importable_after_the_import():
    code = ("import sys, orchestration.defs, dagster_dbt.compat as c; "
            "assert c.DBT_PYTHON_VERSION is None; "
            "assert 'dbt.version' not in sys.modules; "
            "import dbt.version; print(dbt.version.__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    from importlib.metadata import version
    assert out.stdout.strip() == version("dbt-core")


@pytest.mark.e2e  # a run of the district (≈ 20 s)
def test_a_failing_dbt_test_fails_its_check_and_the_gate_publishes_nothing(
        district_inbox, district_h1, tmp_path, capsys):
    """In a run (dagster-dbt without dbt-core, as always in civstat's process), a dbt test
    that fails is a failed asset check and the gate publishes nothing new. One village of the
    raw regions is given a parent that does not exist (its row count and files unchanged, so
    the ingest's own checks have nothing to see) and dbt builds everything: the relationships
    test of `stg_raw__regions.parent_code` fails, the others pass."""
    built, code = district_h1
    assert code == EXIT_OK
    warehouse = tmp_path / "warehouse"
    shutil.copytree(built, warehouse)
    release = warehouse / "published" / "2025H1" / "indicators.csv"
    before = release.read_bytes()
    con = duckdb.connect(str(warehouse / "civstat.duckdb"))
    try:
        con.execute("update raw.regions set parent_code = '999999999999' where region_code = "
                    "(select min(region_code) from raw.regions where level = 'village')")
    finally:
        con.close()

    # --rebuild: dbt's inputs are judged by the loads (none new here), so dbt must be told
    code = main(["run", "--inbox", str(district_inbox[0]), "--warehouse", str(warehouse),
                 "--period", "2025H1", "--published-by", "测试员", "--rebuild"])

    assert code == EXIT_BLOCKED  # the gate refuses to publish on a failed error check
    log = sorted((warehouse / "logs").glob("civstat_run-*.log"))[-1]  # this run's
    text = log.read_text(encoding="utf-8")
    relationship = "relationships_stg_raw__regions_parent_code__region_code__ref_stg_raw__regions_"
    assert f"Asset check '{relationship}' on 'stg_raw__regions' did not pass" in text
    assert "Asset check 'unique_stg_raw__regions_region_code' on 'stg_raw__regions' passed" in text
    assert release.read_bytes() == before
    # the console names it with its failing rows, and offers no waiver: a dbt test has none
    err = capsys.readouterr().err
    assert f"stg_raw__regions · {relationship}" in err
    assert "the dbt test found 1 failing rows" in err
    assert "cannot be waived" in err and "civstat waive" not in err
