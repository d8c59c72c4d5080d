"""A dbt started ahead: its imports done while the run ingests (issue 18).

dbt spends ≈ 2 s importing itself before it reads the project; a run pays that after the
ingest, on the path to its release. `civstat run` therefore starts one *ready* process at
its start (`started`): it imports dbt's command line and waits on a Unix socket in a
private temporary folder, named by `CIVSTAT_DBT_READY` in the run's environment. When the
dbt step starts `civstat-dbt` (cli/dbt_child.py), that wrapper hands the ready process its
arguments, environment, working folder and standard streams (`run_ready`), and the ready
process runs dbt exactly as the `dbt` command would — once — writing straight to the pipe
dagster-dbt reads. The wrapper exits with dbt's exit status.

Lifetime, as for a dbt the wrapper execs: the ready process dies with the run (the kernel's
parent-death signal); once it serves, it also dies with the wrapper (a thread waits for the
wrapper's end of the socket to close), and the wrapper passes SIGINT and SIGTERM on to it.
Whenever the ready process is not there (not Linux, a run the daemon launched, its start
failed, it was used already), the wrapper execs dbt as before: nothing depends on it.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from orchestration.lifetime import die_with_parent
from orchestration.settings import WAREHOUSE_ENV

READY_ENV = "CIVSTAT_DBT_READY"  # the socket's path, in the run's environment
DBT_ENTRY = "dbt.cli.main:cli"  # what the `dbt` console script calls
_HEADER = struct.Struct("!I")  # the request's length, before its JSON
_STREAMS = (0, 1, 2)
_PREFIX = "civstat-dbt-"  # the ready process's folder in the temporary folder
MODULE = "orchestration.cli.dbt_ready"  # in the ready process's command line (cli/stale.py)


def _entry(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _exit_status(entry, args: list[str]) -> int:
    """Call a console-script entry as its script would (`sys.exit(entry())`); its status."""
    sys.argv = ["dbt", *args]
    try:
        code = entry()
    except SystemExit as stop:
        code = stop.code
    except KeyboardInterrupt:  # Ctrl-C that dbt did not handle itself
        return 130
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)  # sys.exit("message"): printed, status 1
    return 1


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 65536, len(_STREAMS))
    while len(data) < _HEADER.size or len(data) < _HEADER.size + _HEADER.unpack_from(data)[0]:
        more = conn.recv(65536)
        if not more:
            raise EOFError("the request ended early")
        data += more
    (size,) = _HEADER.unpack_from(data)
    return json.loads(data[_HEADER.size:_HEADER.size + size]), fds


def _die_with_client(conn: socket.socket) -> None:
    """Wait for the wrapper's end of the socket to close (it exited, or was killed); then
    end this process at once, whatever dbt is doing, as a dbt exec'd by it would end."""
    try:
        while conn.recv(1):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGKILL)


def serve(listening: int, path: str, parent: int, entry: str = DBT_ENTRY) -> None:
    """The ready process: import `entry`, then serve one request on the socket `listening`
    (a file descriptor, bound at `path` and listening: `started` made it, so a wrapper that
    comes early waits in its queue), and exit with dbt's status. Dies with `parent` (the
    run's process). Never returns."""
    die_with_parent(parent)
    listener = socket.socket(fileno=listening)
    main = _entry(entry)  # the seconds this process exists for
    conn, _ = listener.accept()
    listener.close()
    os.unlink(path)  # one use: a later wrapper execs dbt
    try:
        request, fds = _receive(conn)
        if len(fds) != len(_STREAMS):
            raise ValueError("the request did not bring the three standard streams")
        os.chdir(request["cwd"])
        conn.sendall(f"pid {os.getpid()}\n".encode())
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        os._exit(1)  # the wrapper is gone or asked what cannot be: it execs dbt itself
    for target, fd in zip(_STREAMS, fds, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    threading.Thread(target=_die_with_client, args=(conn,), daemon=True).start()
    code = _exit_status(main, request["args"])
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        conn.sendall(f"exit {code}\n".encode())
    finally:
        os._exit(code)


def _lines(conn: socket.socket):
    buffer = b""
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield line.decode()


def run_ready(path: str, args: list[str]) -> int | None:
    """In the wrapper: have the ready process at `path` run `dbt args…` with this process's
    environment, working folder and standard streams. Returns dbt's exit status, or None
    when no ready process took the request (the caller then execs dbt itself); exits 1 when
    the ready process died while dbt ran. SIGINT and SIGTERM are passed on to it."""
    env = {k: v for k, v in os.environ.items() if k != READY_ENV}
    body = json.dumps({"args": args, "env": env, "cwd": os.getcwd()}).encode()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        socket.send_fds(conn, [_HEADER.pack(len(body)) + body], list(_STREAMS))
        lines = _lines(conn)
        first = next(lines, "")
    except OSError:
        first = ""
    if not first.startswith("pid "):
        conn.close()
        return None  # nothing ran there
    pid = int(first.split()[1])
    print(f"civstat-dbt: dbt runs in the process started ahead (PID {pid})", file=sys.stderr,
          flush=True)  # in the run's log: the stream's plain lines are logged as they are

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    last = next(lines, "")
    conn.close()
    if last.startswith("exit "):
        return int(last.split()[1])
    print("civstat-dbt: dbt's process ended without an exit status", file=sys.stderr)
    return 1


def _sweep(tmp: Path) -> None:
    """Remove the folders of ready processes whose run is gone (a killed run leaves its
    folder: `civstat-dbt-<the run's pid>-…`); a live run's folder is left alone."""
    for folder in tmp.glob(f"{_PREFIX}*"):
        try:
            pid = int(folder.name[len(_PREFIX):].split("-", 1)[0])
            if folder.stat().st_uid != os.getuid():
                continue
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, OSError):
            continue


@contextmanager
def started(warehouse: Path | None = None, entry: str = DBT_ENTRY):
    """Start a ready process for this run and name it in `os.environ` (READY_ENV) while
    the block runs (its environment names `warehouse`, as a dbt the run starts has it, so
    that the next run stops it should it outlive this one: cli/stale.py); then end it if
    unused and remove its folder. Linux only (elsewhere the block runs without one). A
    failure to start is not an error: dbt is exec'd as before. Folders that killed runs
    left behind are removed first."""
    if not sys.platform.startswith("linux"):
        yield None
        return
    _sweep(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))  # 0700: this user only
    path = str(folder / "dbt.sock")
    try:
        # bound and listening before the process starts: a wrapper that comes before its
        # imports are done waits; once the process ends, nobody listens (ECONNREFUSED)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
            listener.bind(path)
            listener.listen(1)
            process = subprocess.Popen(
                [sys.executable, "-u", "-m", MODULE, str(listener.fileno()), path,
                 str(os.getpid()), entry],
                pass_fds=[listener.fileno()], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, **({WAREHOUSE_ENV: str(Path(warehouse).resolve())}
                                      if warehouse else {})})
    except OSError:  # a path too long for a socket, no process: dbt is exec'd as before
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    before = os.environ.get(READY_ENV)
    os.environ[READY_ENV] = path
    try:
        yield process
    finally:
        if before is None:
            os.environ.pop(READY_ENV, None)
        else:
            os.environ[READY_ENV] = before
        if process.poll() is None:
            process.kill()
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), *sys.argv[4:5])
