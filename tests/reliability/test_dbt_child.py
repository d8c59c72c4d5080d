"""Defect 1 of issue 16: the dbt a run starts dies with the run (no orphan keeps writing)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from hostile import gone, wait_gone

from orchestration.defs.resources import dbt_executable

# The run (parent) starts the wrapper as the `dbt` resource does; the wrapper runs a fake
# dbt that would sleep for a minute.
PARENT = """
import subprocess, sys, time
child = ("import time; from orchestration.cli.dbt_child import run_dying_with_parent; "
         "run_dying_with_parent(lambda: time.sleep(60))")
p = subprocess.Popen([sys.executable, "-c", child])
print(p.pid, flush=True)
time.sleep(60)
"""


def test_dbt_dies_with_the_run_that_started_it():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    time.sleep(1.5)  # the wrapper runs the fake dbt
    assert not gone(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert wait_gone(child, 5)


def test_the_dbt_resource_starts_the_wrapper_whatever_the_warehouse():
    # installed by the project's [project.scripts]; independent of any warehouse or env
    assert Path(dbt_executable()) == Path(sys.executable).parent / "civstat-dbt"


def test_dbt_starts_in_the_warehouse_folder(tmp_path):
    # profiles.yml names the database relative to the working folder (dbt's partial parse)
    script = ("import os; from orchestration.cli.dbt_child import enter_warehouse; "
              "enter_warehouse(); print(os.getcwd())")
    env = {**os.environ, "CIVSTAT_WAREHOUSE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and Path(out.stdout.strip()) == tmp_path


def test_without_a_warehouse_the_wrapper_refuses_to_start_dbt(tmp_path):
    script = "from orchestration.cli.dbt_child import enter_warehouse; enter_warehouse()"
    for value in ("", str(tmp_path / "missing")):
        env = {**os.environ, "CIVSTAT_WAREHOUSE": value}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                             text=True, cwd=tmp_path)
        assert out.returncode == 2
        assert "CIVSTAT_WAREHOUSE must name the warehouse folder" in out.stderr
        assert not (tmp_path / "civstat.duckdb").exists()


def test_the_wrapper_freezes_the_collector_after_dbt_even_when_it_exits(tmp_path):
    # click ends a command with SystemExit: the freeze must still come, and the code stay
    script = ("import gc, sys; from orchestration.cli.dbt_child import run_dying_with_parent\n"
              "import atexit; atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
              "run_dying_with_parent(lambda: sys.exit(3))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=tmp_path)
    assert (out.returncode, out.stdout.strip()) == (3, "frozen True")


def test_a_dbt_left_by_a_killed_run_is_found_by_the_next(tmp_path):
    # cli/stale.py: the next run stops a dbt still working on its warehouse, whether it was
    # started as the run starts it (civstat-dbt, dbt in process) or as plain `dbt`
    from orchestration.cli.stale import orphan_dbt

    warehouse, other = tmp_path / "wh", tmp_path / "other"
    warehouse.mkdir()
    other.mkdir()
    procs = {}
    for key, name, wh in (("run's", "civstat-dbt", warehouse), ("plain", "dbt", warehouse),
                          ("not dbt", "civstat", warehouse), ("elsewhere", "dbt", other)):
        script = tmp_path / key / name
        script.parent.mkdir()
        script.write_text("import time\ntime.sleep(60)\n")
        env = {**os.environ, "CIVSTAT_WAREHOUSE": str(wh)}
        procs[key] = subprocess.Popen([sys.executable, str(script)], env=env)
    try:
        deadline = time.monotonic() + 10
        want = {procs["run's"].pid, procs["plain"].pid}
        while set(orphan_dbt(warehouse)) != want and time.monotonic() < deadline:
            time.sleep(0.1)
        assert set(orphan_dbt(warehouse)) == want  # not `civstat`, not another warehouse's
    finally:
        for p in procs.values():
            p.kill()
            p.wait()
