"""`civstat-dbt`: the dbt a run starts, made to die with the run (issue 16, defect 1).

The `dbt` resource starts this console script (installed beside the venv's `python` and
`dbt`) instead of dbt itself. It asks the kernel to send it SIGKILL when its parent dies
(prctl PR_SET_PDEATHSIG, Linux), then replaces itself with the venv's dbt, which keeps
that setting across exec: a killed run's dbt cannot keep writing the warehouse.
Elsewhere than Linux it simply starts dbt.
"""

import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1


def exec_dying_with_parent(executable: str, args: list[str]) -> None:
    """Replace this process by `executable args…`, killed when the current parent dies.

    Exits 1 when the parent is already gone. Never returns on success (os.execv).
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before prctl took effect
        sys.exit(1)
    os.execv(executable, [executable, *args])


def main() -> None:
    dbt = Path(sys.executable).parent / "dbt"  # the venv's, as resources.venv_dbt
    exec_dying_with_parent(str(dbt), sys.argv[1:])
