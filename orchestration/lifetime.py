"""A child process that dies with its parent (issue 16, defect 1; issue 18).

The dbt a run starts (`cli/dbt_child.py`) and the release's second process
(`release/background.py`) must not outlive a run that is killed: an orphan would keep
writing the warehouse, or hold ≈ 500 MB for nothing.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG,
    Linux; elsewhere nothing). Exits 1 when the parent is already gone (`parent`: its pid,
    else "re-parented to init")."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1 or (parent is not None and os.getppid() != parent):
        sys.exit(1)  # the parent died before prctl took effect


def end_child(process, conn=None, grace: float = 0) -> None:
    """End a `multiprocessing` child: wait up to `grace` seconds for it to return, else kill
    it; then release it and close our end of its pipe (`conn`, if given)."""
    if process is not None:
        process.join(timeout=grace)
        if process.is_alive():
            process.kill()
            process.join()
        process.close()
    if conn is not None:
        conn.close()
