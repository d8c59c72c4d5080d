"""A warehouse's first dbt step starts from `civstat prepare`'s parse (docs/operations.md,
"dbt's parse"): dbt keeps a saved parse only for the same profile, so the profile must not
name the warehouse."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.defs.project import DBT_PROJECT_DIR
from orchestration.settings import QUIET_ENV, WAREHOUSE_ENV

PARSE = "partial_parse.msgpack"


def test_a_new_warehouse_parses_partially_from_the_prepared_parse(dbt_manifest, tmp_path):
    warehouse = tmp_path / "warehouse"
    target = warehouse / "dbt"
    target.mkdir(parents=True)
    # what dagster-dbt does on a warehouse's first dbt step
    shutil.copy(Path(dbt_manifest).parent / PARSE, target / PARSE)
    env = {**os.environ, **QUIET_ENV, WAREHOUSE_ENV: str(warehouse),
           "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
           "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target), "DBT_LOG_FORMAT": "json"}
    wrapper = Path(sys.executable).parent / "civstat-dbt"
    out = subprocess.run([str(wrapper), "parse"], env=env, capture_output=True, text=True,
                         cwd=DBT_PROJECT_DIR, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    events = [json.loads(line)["info"]["name"] for line in out.stdout.splitlines()
              if line.startswith("{")]
    assert "UnableToPartialParse" not in events
    assert "ParsePerfInfoPath" in events  # dbt did parse (and wrote its parse)
    assert not (Path(DBT_PROJECT_DIR) / "civstat.duckdb").exists()
