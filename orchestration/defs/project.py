"""The dbt project as Dagster sees it: one cached factory, no work at import time."""

from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import WAREHOUSE_ENV, quiet

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


@cache
def dbt_project() -> DbtProject:
    """The civstat dbt project; `civstat prepare` (make setup, tests) writes its manifest."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_manifest() -> Path:
    """Run `dbt parse` so that target/manifest.json exists; returns its path.

    Parsing opens no database, but profiles.yml names the warehouse through
    CIVSTAT_WAREHOUSE (settings.WAREHOUSE_ENV): when it is unset, a throw-away folder stands in for the parse.
    """
    import os
    import sys
    import tempfile

    bin_dir = str(Path(sys.executable).parent)  # the venv's dbt, whatever PATH says
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    project = dbt_project()
    with tempfile.TemporaryDirectory() as tmp:
        quiet(override=False)
        unset = WAREHOUSE_ENV not in os.environ
        if unset:
            os.environ[WAREHOUSE_ENV] = tmp
        try:
            project.preparer.prepare(project)
        finally:
            if unset:
                del os.environ[WAREHOUSE_ENV]
    return project.manifest_path
