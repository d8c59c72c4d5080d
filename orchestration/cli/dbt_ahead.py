"""dbt's process started ahead: dbt's imports done while the run ingests (issue 18).

Before its first line, dbt's process spent ≈ 1.6 s importing dbt-core, dbt-duckdb and the
parts of dbt a build uses, on the dbt step's critical path (docs/benchmarks.md, "Issue 18,
fourteenth round"). `civstat run` now starts that process when the run starts (`DbtAhead`,
beside the GX worker): it imports dbt at the lowest priority while the run ingests, pays
dbt's first-use costs there too (cli/dbt_warm.py: ≈ 0.6 s less before dbt's first node,
its schemas and compiled (de)serialisers), then waits for a command on a Unix socket the run
bound before starting it.

When the dbt step starts `civstat-dbt` (dagster-dbt's subprocess, cli/dbt_child.py), that
small process hands its command line, environment, working folder and standard streams
(file descriptors 0, 1, 2: the pipe dagster-dbt reads dbt's events from) to this one
(`hand_over`), and this process runs dbt exactly as `civstat-dbt` would have in its own:
the same arguments, environment and streams, started in the warehouse folder. civstat-dbt
waits, forwards SIGINT and SIGTERM to it, and exits with dbt's exit status.

- One command per process: it stops listening once it has taken one. Any other
  `civstat-dbt` (a second one in a run, the UI's runs, schedules, tests) finds nobody
  listening and runs dbt itself, as before.
- A command is dbt's only once this process says it started dbt ("S" and its PID); until
  then a failure (the process killed, a bad command) leaves civstat-dbt to run dbt.
- Lifetimes: this process dies with the run (PR_SET_PDEATHSIG, as every dbt of a run); it
  kills itself when civstat-dbt goes away while dbt runs; the run kills it at its end if
  it is still waiting.
- The socket is in Linux's abstract namespace (no file: nothing is left behind when the
  run is killed; its name is random), and a command from another user is refused
  (SO_PEERCRED) while this process waits for the run's own.
- Nothing civstat sets is read when dbt is imported (checked in dbt-core 1.11 and
  dbt-common: `os.environ`/`getenv` are read when called, but for dbt's recorder,
  `DBT_RECORDER_*`, a tool of dbt's developers), so dbt sees the environment handed over;
  Python's own start-up variables are the run's (`PYTHONUNBUFFERED` is applied here).
- civstat-dbt ends only after this process has ended (its atexit handlers included), as
  when dbt ran in civstat-dbt itself: the step after dbt opens the database after that.
- A module of `_IMPORTS` that fails to import costs only time: dbt imports what it needs
  when it runs."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

AHEAD_ENV = "CIVSTAT_DBT_AHEAD"  # the socket of the run's dbt process started ahead
STARTED, ENDED = b"S", b"E"
_LENGTH = struct.Struct("!I")
_NUMBER = struct.Struct("!i")
_STREAMS = (0, 1, 2)
# dbt's modules a `dbt build` imports (dbt.cli.main's own, then those it imports as it
# runs: the adapter, the build and its runners; civstat's event manager), ≈ 1.6 s of imports
_IMPORTS = ("dbt.cli.main", "dbt.adapters.duckdb", "dbt.adapters.duckdb.impl",
            "dbt.task.build", "dbt.compilation", "dbt.graph.thread_pool",
            "orchestration.cli.dbt_events")


def _socket_address(address: str) -> str:
    """A socket address as Python takes it: "@name" (as the environment holds it, which
    cannot hold a NUL) is the abstract name "\\0name"; anything else is a file's path."""
    return "\0" + address[1:] if address.startswith("@") else address


def _receive(sock: socket.socket, size: int) -> bytes:
    """Exactly `size` bytes from `sock`; fewer only at its end (b"" when it closed)."""
    data = b""
    while len(data) < size:
        part = sock.recv(size - len(data))
        if not part:
            break
        data += part
    return data


def hand_over(address: str, args: list[str]) -> int | None:
    """Give the dbt command `args` (dbt's arguments) to the process ahead at `address`, with
    this process's environment, working folder and standard streams; dbt's exit status
    once it has run there, or None when no process there started dbt (run it here).

    SIGINT and SIGTERM this process gets meanwhile are sent on to dbt (one that comes
    before dbt started is sent when it starts, or raised here again when it does not).
    1 when the process ahead ended without an exit status (killed), with a line on stderr."""
    payload = json.dumps({"args": args, "env": dict(os.environ), "cwd": os.getcwd()}).encode()
    dbt: list[int] = []  # its PID once it started
    pending: list[int] = []

    def forward(number, _frame):
        if not dbt:
            pending.append(number)
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(dbt[0], number)

    before = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(_socket_address(address))
            socket.send_fds(sock, [_LENGTH.pack(len(payload))], list(_STREAMS))
            sock.sendall(payload)
            started = _receive(sock, 1 + _NUMBER.size)
        except OSError:
            started = b""
        if len(started) < 1 + _NUMBER.size or started[:1] != STARTED:
            for sig, handler in before.items():  # dbt runs here: as if nothing was caught
                signal.signal(sig, handler)
            for number in pending:
                signal.raise_signal(number)
            return None
        dbt.append(_NUMBER.unpack(started[1:])[0])
        for number in pending:
            forward(number, None)
        # its end, told by the kernel: the run's process reaps it only when the run ends,
        # so its PID is not another's meanwhile
        try:
            end = os.pidfd_open(dbt[0])
        except OSError:  # it has ended already
            end = None
        try:
            try:
                ended = _receive(sock, 1 + _NUMBER.size)
            except OSError:
                ended = b""
            if len(ended) < 1 + _NUMBER.size or ended[:1] != ENDED:
                sys.stderr.write(f"civstat-dbt: dbt (process {dbt[0]}, started ahead) ended "
                                 "without an exit status\n")
                return 1
            if end is not None:
                # as when dbt ran in this process: its atexit handlers have run (dbt-duckdb
                # closes the database there at the latest) before this process, which
                # dagster-dbt waits for, ends
                select.select([end], [], [])
        finally:
            if end is not None:
                os.close(end)
    return _NUMBER.unpack(ended[1:])[0]


def _exit_status(exc: SystemExit) -> int:
    """The status Python gives `sys.exit(code)`: an int as is, None 0, anything else 1
    (printed on stderr, as Python does)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def _command(server: socket.socket) -> tuple[socket.socket, dict, list[int]] | None:
    """The first command from this user at `server`: (its connection, the command, its
    standard streams' descriptors); None when what came was not one."""
    conn, _ = server.accept()
    _pid, uid, _gid = struct.unpack("iII", conn.getsockopt(
        socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("iII")))
    if uid != os.getuid():
        conn.close()
        return None
    head, fds, _flags, _addr = socket.recv_fds(conn, _LENGTH.size, len(_STREAMS))
    if len(head) != _LENGTH.size or len(fds) != len(_STREAMS):
        conn.close()
        return None
    size = _LENGTH.unpack(head)[0]
    body = _receive(conn, size)
    if len(body) != size:
        conn.close()
        return None
    return conn, json.loads(body), fds


def _watch(conn: socket.socket, ended: threading.Event) -> None:
    """Kill this process when civstat-dbt goes away while dbt runs (its end of `conn` closes
    before `ended` is set): dbt must not outlive the command it belongs to."""
    with contextlib.suppress(OSError):
        conn.recv(1)
    if not ended.is_set():
        os.kill(os.getpid(), signal.SIGKILL)


def _import_idly(imports: tuple[str, ...], warm: Callable[[Callable[[], bool]], object] | None,
                 server: socket.socket) -> None:
    """Import `imports`, then call `warm` (with a function telling whether a command waits
    at `server`), in this thread at the lowest priority (nice 19: Linux gives each thread
    its own): the run ingests meanwhile on every core and comes first. The thread that runs
    dbt afterwards, and the threads dbt starts, keep their priority.

    Once a command waits, nothing more is started here: an unprivileged thread cannot take
    its priority back, and on a box busy with other work a nice-19 thread gets ≈ 1.5 % of a
    core, so the command would wait minutes for what dbt imports in seconds at its own
    priority (only the module being imported when it came is finished here)."""
    import importlib

    def waiting() -> bool:
        return bool(select.select([server], [], [], 0)[0])

    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    for name in imports:
        if waiting():
            return
        importlib.import_module(name)
    if warm is not None and not waiting():
        warm(waiting)


def warm_dbt(waiting: Callable[[], bool]) -> None:
    """dbt's first-use costs paid now (cli/dbt_warm.py), for `serve`'s `warm`; the part
    that dbt would partly do again is left out once a command waits (`waiting()`)."""
    from orchestration.cli.dbt_warm import warm_up

    warm_up(stop=waiting)


def serve(listening: int, parent: int, imports: tuple[str, ...] = _IMPORTS,
          command: Callable[[], object] | None = None,
          warm: Callable[[Callable[[], bool]], object] | None = None) -> None:
    """The process ahead's body: import `imports` (dbt's) and call `warm` (`DbtAhead`'s:
    `warm_dbt`), take the first command handed over (`hand_over`) on the socket listening
    at descriptor `listening`, run it as civstat-dbt would (`command`, default dbt's command
    line: `dbt.cli.main.cli` reading `sys.argv`), answer its exit status, end.

    `parent`: the run's PID; this process dies with it. The socket was bound and listening
    before this process started (`DbtAhead`), so a command that comes early waits for the
    imports rather than finding nobody."""
    from orchestration.cli.dbt_child import enter_warehouse, run_dying_with_parent
    from orchestration.lifetime import die_with_parent

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's until dbt starts
    server = socket.socket(fileno=listening)
    import gc

    importer = threading.Thread(target=_import_idly, args=(imports, warm, server))
    importer.start()
    importer.join()
    gc.freeze()  # dbt's modules are never collected: out of the collector's way
    taken = None
    while taken is None:  # another user's connection is refused; the run's is awaited
        taken = _command(server)
    server.close()  # one command per process: later ones find nobody and run dbt themselves
    conn, handed, fds = taken
    os.environ.clear()
    os.environ.update(handed["env"])
    try:
        os.chdir(handed["cwd"])
        enter_warehouse()  # as civstat-dbt; when it refuses, civstat-dbt says why itself
    except (OSError, SystemExit):
        return
    for fd, stream in zip(fds, _STREAMS, strict=True):
        os.dup2(fd, stream)
        os.close(fd)
    if os.environ.get("PYTHONUNBUFFERED"):  # read at start-up, so taken here
        sys.stdout.reconfigure(write_through=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    ended = threading.Event()
    status = 1
    try:
        sys.argv = [str(Path(sys.executable).parent / "dbt"), *handed["args"]]
        if command is None:  # as civstat-dbt runs it (cli/dbt_events.py)
            from orchestration.cli.dbt_events import dbt_command

            command = dbt_command()

        conn.sendall(STARTED + _NUMBER.pack(os.getpid()))
        threading.Thread(target=_watch, args=(conn, ended), daemon=True).start()
        run_dying_with_parent(command)
        status = 0
    except SystemExit as exc:
        status = _exit_status(exc)
    except BaseException:  # noqa: BLE001 - as Python would: the traceback on dbt's stderr
        traceback.print_exc()
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # dbt has ended: its status goes out
        ended.set()
        sys.stdout.flush()
        sys.stderr.flush()
        # dbt's streams closed here before its status goes out: dagster-dbt reads the
        # pipe to its end, which comes when civstat-dbt and this process have let go of it
        quiet = os.open(os.devnull, os.O_RDWR)
        for stream in _STREAMS:
            os.dup2(quiet, stream)
        os.close(quiet)
        with contextlib.suppress(OSError):
            conn.sendall(ENDED + _NUMBER.pack(status))
        conn.close()


class DbtAhead:
    """The run's dbt process started ahead, for a `with` block: started on entering, its
    socket named in this process's environment (`AHEAD_ENV`, which dagster-dbt passes to
    civstat-dbt); killed if still running on leaving.

    Where there is no second core, or the process cannot be started, nothing is started:
    civstat-dbt then runs dbt itself."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> DbtAhead:
        from ingest.parallel import cores

        if cores() < 2 or not hasattr(os, "pidfd_open"):  # Linux ≥ 5.3, as PDEATHSIG
            return self
        try:
            address = f"@civstat-dbt-{secrets.token_hex(16)}"
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
                server.bind(_socket_address(address))
                server.listen(1)
                # its own process group: Ctrl-C reaches dbt through civstat-dbt, as before
                self.process = subprocess.Popen(
                    [sys.executable, "-P", "-c",
                     "import sys; from orchestration.cli.dbt_ahead import serve, warm_dbt; "
                     "serve(int(sys.argv[1]), int(sys.argv[2]), warm=warm_dbt)",
                     str(server.fileno()), str(os.getpid())],
                    pass_fds=[server.fileno()], stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, process_group=0)
        except OSError:
            self.__exit__()
            return self
        os.environ[AHEAD_ENV] = address
        return self

    def __exit__(self, *exc) -> None:
        os.environ.pop(AHEAD_ENV, None)
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
