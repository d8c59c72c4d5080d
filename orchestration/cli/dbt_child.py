"""`civstat-dbt`: the dbt a run starts, made to die with the run (issue 16, defect 1).

The `dbt` resource starts this console script (installed beside the venv's `python` and
`dbt`) instead of dbt itself. It asks the kernel to send it SIGKILL when its parent dies
(prctl PR_SET_PDEATHSIG, Linux), then replaces itself with the venv's dbt, which keeps
that setting across exec: a killed run's dbt cannot keep writing the warehouse.
Elsewhere than Linux it simply starts dbt.

It starts dbt in the warehouse folder (`CIVSTAT_WAREHOUSE`): dbt_project/profiles.yml names
the database relative to it, so that dbt's profile, and with it dbt's partial parsing, is
the same for every warehouse (docs/operations.md, "dbt's parse"). dagster-dbt passes the
project, profiles and target folders as absolute paths (DBT_PROJECT_DIR, DBT_PROFILES_DIR,
DBT_TARGET_PATH).
"""

import os
import sys
from pathlib import Path

from orchestration.lifetime import die_with_parent
from orchestration.settings import WAREHOUSE_ENV


def exec_dying_with_parent(executable: str, args: list[str]) -> None:
    """Replace this process by `executable args…`, killed when the current parent dies.

    Exits 1 when the parent is already gone. Never returns on success (os.execv).
    """
    die_with_parent()
    os.execv(executable, [executable, *args])


def enter_warehouse(environ=os.environ) -> None:
    """chdir to the warehouse folder named by CIVSTAT_WAREHOUSE.

    Exits 2 with a message when it is unset or not a folder: dbt would open, or create, a
    `civstat.duckdb` wherever it was started."""
    warehouse = environ.get(WAREHOUSE_ENV, "").strip()
    if not warehouse or not Path(warehouse).is_dir():
        sys.stderr.write(f"civstat-dbt: {WAREHOUSE_ENV} must name the warehouse folder "
                         f"(got {warehouse!r}); dbt runs in it\n")
        sys.exit(2)
    os.chdir(warehouse)


def main() -> None:
    dbt = Path(sys.executable).parent / "dbt"  # the venv's, as resources.venv_dbt
    enter_warehouse()
    exec_dying_with_parent(str(dbt), sys.argv[1:])
