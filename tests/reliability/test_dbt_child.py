"""Defect 1 of issue 16: the dbt a run starts dies with the run (no orphan keeps writing)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.cli.instance import write_dbt_child

PARENT = """
import subprocess, sys, time
p = subprocess.Popen([sys.argv[1]])
print(p.pid, flush=True)
time.sleep(60)
"""


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # a zombie no longer runs


def test_dbt_dies_with_the_run_that_started_it(tmp_path):
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    os.symlink(sys.executable, bin_dir / "python")  # the wrapper execs <its python's dir>/dbt
    (bin_dir / "dbt").write_text("#!/bin/sh\nexec sleep 60\n")
    (bin_dir / "dbt").chmod(0o755)
    wrapper = write_dbt_child(tmp_path / "wh")
    wrapper.write_text(wrapper.read_text().replace(sys.executable, str(bin_dir / "python"), 1))
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(wrapper)],
                              stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    time.sleep(1.0)  # the wrapper has exec'd the fake dbt
    assert not _gone(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(child)
