"""The dbt project as Dagster sees it: one cached factory, no work at import time."""

from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR, environment, quiet

__all__ = ["DBT_PROJECT_DIR", "dbt_project", "prepare_manifest"]


@cache
def dbt_project() -> DbtProject:
    """The civstat dbt project; `civstat prepare` (make setup, tests) writes its manifest."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_manifest() -> Path:
    """Run `dbt parse` so that target/manifest.json (and partial_parse.msgpack, which every
    warehouse's first dbt step starts from) exists; returns the manifest's path.

    Parsing opens no database and needs no warehouse: profiles.yml names the database
    relative to the folder dbt runs in (docs/operations.md, "dbt's parse").
    """
    import os
    import sys

    from orchestration.defs.resources import CivstatDbtCli, venv_dbt

    bin_dir = str(Path(sys.executable).parent)  # the venv's dbt, whatever PATH says
    path = os.environ.get("PATH", "")
    quiet(override=False)
    project = dbt_project()
    # civstat's resource, not dagster-dbt's preparer: the preparer's plain DbtCliResource
    # tries to build a dbt adapter in this process, and with dagster-dbt imported without
    # dbt-core (orchestration/defs/__init__.py) that only imports dbt-core and logs a
    # caught AssertionError. The command is the preparer's, and so is its guard: a second
    # prepare at the same time (two commands on a checkout without `make setup`) waits for
    # the first and, finding the manifest written meanwhile, does not parse again. The
    # preparer also drops the seeds from the saved parse, for projects moved after their
    # parse (civstat's is parsed where it runs).
    from dagster._utils import run_with_concurrent_update_guard  # dagster-dbt's own guard

    def parse() -> None:
        with environment({"PATH": bin_dir + os.pathsep + path}):
            dbt = CivstatDbtCli(project_dir=project, dbt_executable=venv_dbt())
            dbt.cli(["parse", "--quiet"], target_path=project.target_path).wait()

    run_with_concurrent_update_guard(project.manifest_path, parse)
    return project.manifest_path
