"""`civstat-dbt`: the dbt a run starts, made to die with the run (issue 16, defect 1).

The `dbt` resource starts this console script (installed beside the venv's `python` and
`dbt`) instead of dbt itself. It asks the kernel to send it SIGKILL when its parent dies
(prctl PR_SET_PDEATHSIG, Linux), then runs dbt's own command line in this very process
(`dbt.cli.main.cli`, what the venv's `dbt` script runs): a killed run's dbt cannot keep
writing the warehouse. Elsewhere than Linux it simply runs dbt. When dbt is done, every
object is frozen out of the garbage collector before the interpreter ends: dbt's exit
otherwise spent ≈ 0.8 s in its last collections over the manifest's objects (issue 18,
docs/benchmarks.md "Issue 18, twelfth round"). The database is closed before that, at the
end of dbt's command (dbt releases its connections and dbt-duckdb closes the database with
the last one), so DuckDB checkpoints dbt's writes; atexit handlers still run.

It starts dbt in the warehouse folder (`CIVSTAT_WAREHOUSE`): dbt_project/profiles.yml names
the database relative to it, so that dbt's profile, and with it dbt's partial parsing, is
the same for every warehouse (docs/operations.md, "dbt's parse"). dagster-dbt passes the
project, profiles and target folders as absolute paths (DBT_PROJECT_DIR, DBT_PROFILES_DIR,
DBT_TARGET_PATH).

Where `civstat run` started dbt's process ahead (`CIVSTAT_DBT_AHEAD`, cli/dbt_ahead.py),
this process hands the command to that one, whose imports are done, and waits for dbt's
exit status; when none there takes it, dbt runs here as above.
"""

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path

from orchestration.cli.dbt_ahead import AHEAD_ENV, hand_over
from orchestration.lifetime import die_with_parent
from orchestration.settings import WAREHOUSE_ENV


def run_dying_with_parent(command: Callable[[], object]) -> None:
    """`command()` in this process, killed by the kernel when the current parent dies;
    afterwards, even when it raised or exited (SystemExit, as click's commands end), every
    object is frozen out of the garbage collector (`gc.freeze`), so that the interpreter's
    end is quick. Exits 1 when the parent is already gone."""
    die_with_parent()
    try:
        command()
    finally:
        gc.freeze()


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
    address = os.environ.get(AHEAD_ENV)
    if address and hasattr(os, "pidfd_open"):  # `civstat run` started dbt's process ahead:
        # dbt runs there (cli/dbt_ahead.py)
        die_with_parent()
        status = hand_over(address, sys.argv[1:])
        if status is not None:
            sys.exit(status)
    dbt = Path(sys.executable).parent / "dbt"  # the venv's, as resources.venv_dbt
    enter_warehouse()
    sys.argv = [str(dbt), *sys.argv[1:]]  # as the `dbt` script itself would see them
    from orchestration.cli.dbt_events import dbt_command  # dbt's unwritten debug events skipped

    run_dying_with_parent(dbt_command())
