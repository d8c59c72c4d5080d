"""dbt's process started ahead (orchestration/cli/dbt_ahead.py): civstat-dbt hands its
command over and gets dbt's exit status back; nothing is lost when nobody takes it, and no
dbt outlives its run or its civstat-dbt."""

import os
import secrets
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from hostile import gone, wait_gone

from orchestration.cli.dbt_ahead import AHEAD_ENV, DbtAhead, hand_over

# The process ahead with a fake dbt: it prints what it sees (its PID, folder, an environment
# variable, its arguments, a line of stdin) and exits with the status its first argument
# names; "sleep" makes it wait to be interrupted (exit 130 on SIGINT).
FAKE_DBT = """
import atexit, os, sys, time

def fake():
    try:
        print(os.getpid(), os.getcwd(), os.environ.get("FAKE_SEEN"), sys.argv[1:], flush=True)
        print("to stderr", file=sys.stderr, flush=True)
        if sys.argv[1] == "sleep":
            time.sleep(60)
        if sys.argv[1] == "slow-end":  # dbt's atexit handlers (dbt-duckdb closes there)
            atexit.register(lambda: time.sleep(0.5) or open("ended", "w").close())
            sys.exit(0)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    sys.exit(int(sys.argv[1]))
"""
AHEAD = FAKE_DBT + """
from orchestration.cli.dbt_ahead import serve
serve(int(sys.argv[-2]), int(sys.argv[-1]), imports=(), command=fake)
"""
# The process ahead with a warm-up that notes its thread's priority, and a command that
# prints what the warm-up noted: the warm-up ran before the command was taken, at nice 19
AHEAD_WARM = """
import os, sys, threading
noted = []
def warm(waiting):  # waiting(): does a command wait (none yet: the test waits for the mark)
    noted.extend([os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), waiting()])
    open(os.environ["WARM_MARK"], "w").close()
def fake():
    print(noted, flush=True)
from orchestration.cli.dbt_ahead import serve
serve(int(sys.argv[-2]), int(sys.argv[-1]), imports=(), command=fake, warm=warm)
"""
# The process ahead asked to import a module and to warm up, with a command already
# waiting: it does neither (dbt imports what it needs at the command's priority)
AHEAD_LATE = """
import sys
warmed = []
def fake():
    print("xml.dom.minidom" in sys.modules, warmed, flush=True)
from orchestration.cli.dbt_ahead import serve
serve(int(sys.argv[-2]), int(sys.argv[-1]), imports=("xml.dom.minidom",), command=fake,
      warm=lambda waiting: warmed.append(1))
"""
CLIENT = "from orchestration.cli.dbt_child import main; main()"
# The process ahead with dbt's own command line (no `command`), which names its PID and
# dbt's event manager instead of running a build (cli/dbt_events.py)
AHEAD_DBT = """
import os, sys
import dbt.cli.main
from dbt_common.events.event_manager_client import get_event_manager
dbt.cli.main.cli = lambda: print(os.getpid(), type(get_event_manager()).__name__, flush=True)
from orchestration.cli.dbt_ahead import serve
serve(int(sys.argv[-2]), int(sys.argv[-1]), imports=())
"""


def _address() -> str:
    """A socket name of Linux's abstract namespace, as DbtAhead's ("@…" in the environment)."""
    return f"@civstat-dbt-test-{secrets.token_hex(8)}"


def _ahead(address: str, script: str = AHEAD, before=None) -> subprocess.Popen:
    """The process ahead running `script` (default: with the fake dbt), its socket listening
    at `address` (as DbtAhead); `before(server)` is called once it listens, before the
    process starts."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind("\0" + address[1:])
        server.listen(1)
        if before is not None:
            before(server)
        return subprocess.Popen([sys.executable, "-c", script, str(server.fileno()),
                                 str(os.getpid())], pass_fds=[server.fileno()])


def _client_env(address: str, warehouse: Path) -> dict:
    return {**os.environ, AHEAD_ENV: str(address), "CIVSTAT_WAREHOUSE": str(warehouse),
            "FAKE_SEEN": "handed over"}


def test_the_command_runs_ahead_with_the_clients_arguments_environment_and_streams(tmp_path):
    address = _address()
    ahead = _ahead(address)
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    client = subprocess.run([sys.executable, "-c", CLIENT, "3", "--flag"], cwd=tmp_path,
                            env=_client_env(address, warehouse), capture_output=True,
                            text=True, timeout=60)
    pid, cwd, seen, args = client.stdout.split(" ", 3)
    assert client.returncode == 3  # the fake's status, through civstat-dbt
    assert int(pid) == ahead.pid  # it ran in the process ahead ...
    assert Path(cwd) == warehouse  # ... in the warehouse folder (CIVSTAT_WAREHOUSE)
    assert f"{seen} {args.strip()}" == "handed over ['3', '--flag']"
    assert client.stderr == "to stderr\n"  # its stderr is the client's
    assert ahead.wait(timeout=10) == 0  # one command per process: it ended


def _build_ahead(tmp_path, script: str, ready=None) -> tuple[subprocess.Popen, str]:
    """(the process ahead running `script`, what it printed) once civstat-dbt handed it
    `build` (after `ready()` is true, when given) and it ended, as it should, with
    status 0."""
    address = _address()
    ahead = _ahead(address, script)
    for _ in range(600):
        if ready is None or ready():
            break
        time.sleep(0.05)
    client = subprocess.run([sys.executable, "-c", CLIENT, "build"], cwd=tmp_path,
                            env=_client_env(address, tmp_path), capture_output=True,
                            text=True, timeout=60)
    assert client.returncode == 0, client.stderr
    assert ahead.wait(timeout=10) == 0
    return ahead, client.stdout


def test_dbt_runs_ahead_with_civstats_event_manager(tmp_path):
    ahead, printed = _build_ahead(tmp_path, AHEAD_DBT)
    assert printed.split() == [str(ahead.pid), "LoggedEventsOnly"]


def test_the_warm_up_runs_at_the_lowest_priority_before_the_command(tmp_path, monkeypatch):
    mark = tmp_path / "warmed"
    monkeypatch.setenv("WARM_MARK", str(mark))
    _, printed = _build_ahead(tmp_path, AHEAD_WARM, ready=mark.exists)
    assert printed == "[19, False]\n"


def test_a_command_that_waits_stops_the_idle_imports_and_the_warm_up(tmp_path):
    # a nice-19 thread gets ≈ 1.5 % of a busy core: the command must not wait for it
    address = _address()
    client = []

    def client_first(server):
        client.append(subprocess.Popen([sys.executable, "-c", CLIENT, "build"], cwd=tmp_path,
                                       env=_client_env(address, tmp_path),
                                       stdout=subprocess.PIPE, text=True))
        assert select.select([server], [], [], 60)[0]  # its connection waits

    ahead = _ahead(address, AHEAD_LATE, before=client_first)
    printed, _ = client[0].communicate(timeout=60)
    assert (client[0].returncode, printed) == (0, "False []\n")
    assert ahead.wait(timeout=10) == 0


def test_civstat_dbt_ends_after_the_process_ahead_has_ended(tmp_path):
    # dagster-dbt waits for civstat-dbt; the next step opens the database after that, so
    # dbt's atexit handlers must have run by then
    address = _address()
    ahead = _ahead(address)
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    client = subprocess.run([sys.executable, "-c", CLIENT, "slow-end"],
                            env=_client_env(address, warehouse), capture_output=True,
                            timeout=60)
    assert client.returncode == 0
    assert (warehouse / "ended").exists()
    assert ahead.wait(timeout=10) == 0


def test_without_a_process_ahead_nothing_is_handed_over(tmp_path):
    assert hand_over(str(tmp_path / "nobody.sock"), ["build"]) is None
    # a process that takes the connection but never starts dbt leaves the command here
    address = tmp_path / "silent.sock"  # a listener that is not a process ahead
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(address))
        server.listen(1)
        child = subprocess.Popen([sys.executable, "-c",
                                  "import sys; from orchestration.cli.dbt_ahead import "
                                  "hand_over; print(hand_over(sys.argv[1], ['build']))",
                                  str(address)], stdout=subprocess.PIPE, text=True)
        conn, _ = server.accept()
        conn.close()
        assert child.communicate(timeout=20)[0].strip() == "None"


def test_a_second_command_finds_no_process_ahead(tmp_path):
    address = _address()
    ahead = _ahead(address)
    env = _client_env(address, tmp_path)
    first = subprocess.run([sys.executable, "-c", CLIENT, "0"], env=env, capture_output=True,
                           timeout=60)
    assert first.returncode == 0
    ahead.wait(timeout=10)
    assert hand_over(address, ["0"]) is None


def _sleeping_dbt(tmp_path) -> tuple[subprocess.Popen, subprocess.Popen]:
    """(the process ahead, civstat-dbt) once the fake dbt sleeps there."""
    address = _address()
    ahead = _ahead(address)
    client = subprocess.Popen([sys.executable, "-c", CLIENT, "sleep"],
                              env=_client_env(address, tmp_path), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    assert int(client.stdout.readline().split()[0]) == ahead.pid
    return ahead, client


def test_an_interrupt_reaches_dbt_and_its_status_comes_back(tmp_path):
    ahead, client = _sleeping_dbt(tmp_path)
    client.send_signal(signal.SIGINT)  # as dagster-dbt does when a run is interrupted
    assert client.wait(timeout=20) == 130
    assert client.stdout.read() == "interrupted\n"


def test_dbt_ahead_dies_when_its_civstat_dbt_is_killed(tmp_path):
    ahead, client = _sleeping_dbt(tmp_path)
    client.kill()
    client.wait()
    assert wait_gone(ahead.pid)
    assert ahead.wait(timeout=5) == -signal.SIGKILL


# The run (parent) starts the process ahead as `civstat run` does, then would sleep.
RUN = """
import os, sys, time
import ingest.parallel
from orchestration.cli.dbt_ahead import AHEAD_ENV, DbtAhead
ingest.parallel.cores = lambda: 2  # as on the 2-core machines it is for
with DbtAhead() as ahead:
    print(ahead.process.pid, os.environ[AHEAD_ENV], flush=True)
    time.sleep(60)
"""


def test_dbt_ahead_dies_with_the_run_that_started_it():
    run = subprocess.Popen([sys.executable, "-c", RUN], stdout=subprocess.PIPE, text=True)
    pid, address = run.stdout.readline().split()
    assert not gone(int(pid))
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert wait_gone(int(pid))


def test_the_run_ends_a_process_ahead_nobody_used(monkeypatch):
    monkeypatch.setattr("ingest.parallel.cores", lambda: 2)
    with DbtAhead() as ahead:
        address = os.environ[AHEAD_ENV]
        assert address.startswith("@civstat-dbt-")  # abstract: no file to leave behind
        assert ahead.process.poll() is None
        # its own process group: a Ctrl-C at the console reaches it only through civstat-dbt
        assert os.getpgid(ahead.process.pid) == ahead.process.pid != os.getpgid(0)
        # it pays dbt's first-use costs while it waits (cli/dbt_warm.py)
        assert "warm=warm_dbt" in " ".join(ahead.process.args)
    assert AHEAD_ENV not in os.environ
    assert ahead.process.returncode == -signal.SIGKILL
    assert hand_over(address, ["build"]) is None  # nobody listens any more


def test_the_real_dbt_runs_ahead(tmp_path):
    # dbt's own imports and command line, as `civstat run` starts them: `dbt --help`
    # answered (not --version: it asks the package index for the latest dbt), and then
    # the process ahead ends by itself (0): it took the command
    script = ("import subprocess, sys; from orchestration.cli.dbt_ahead import DbtAhead\n"
              "import ingest.parallel; ingest.parallel.cores = lambda: 2\n"
              "with DbtAhead() as ahead:\n"
              "    out = subprocess.run([sys.argv[1], '--help'], capture_output=True,"
              " text=True)\n"
              "    print(out.returncode, ahead.process.wait(timeout=60), flush=True)\n"
              "    print(out.stdout)\n")
    civstat_dbt = Path(sys.executable).parent / "civstat-dbt"
    env = {**os.environ, "CIVSTAT_WAREHOUSE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script, str(civstat_dbt)], env=env,
                         capture_output=True, text=True, timeout=120)
    statuses, usage = out.stdout.split("\n", 1)
    assert statuses.split() == ["0", "0"], out.stderr
    assert "Usage: dbt [OPTIONS] COMMAND" in usage
