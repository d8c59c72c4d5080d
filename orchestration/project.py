"""The dbt project as Dagster sees it: one cached factory, no work at import time."""

from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"


@cache
def dbt_project() -> DbtProject:
    """The civstat dbt project; `civstat prepare` (make setup, tests) writes its manifest."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_manifest() -> Path:
    """Run `dbt parse` so that target/manifest.json exists; returns its path."""
    project = dbt_project()
    project.preparer.prepare(project)
    return project.manifest_path
