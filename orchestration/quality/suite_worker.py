"""The sources' Great Expectations suites validated in a second process, beside the ingest.

GX was ≈ 5 s of a district's ingest step and ≈ 55 s of a province's, all in the run's own
process between one source's load and the next: its import (≈ 2.6 s), then per chunk a
pandas frame and `Batch.validate` (docs/benchmarks.md, "Issue 18, tenth round"). Now the
ingest step writes a source's batch — the rows `suites.validate_source` would validate, the
columns its suite names — to a Parquet file with DuckDB (`suites.export_batch`) and goes on
to the next source, while a spawned worker validates the file (`suites.validate_file`: an
in-memory DuckDB reads it into the same pandas chunks, the same suite, counts only back).
The suites themselves stay in orchestration/quality/suites.py.

The files are in the warehouse's private cache (`cache/suite_batches/`, owner-only: a batch
can hold ID numbers, as the raw tables do) and are removed once answered. The worker is
killed with its parent (PR_SET_PDEATHSIG). A worker that cannot start or dies (killed, out
of memory) costs nothing but time: every file it did not answer is validated in this
process. On a one-core machine every file is validated in this process when submitted.
`civstat run` and `civstat ingest` start one worker for the whole command (`start_shared`);
a run started elsewhere (the UI, a schedule) gets one per ingest step, and its gate
validates the mart in its own process.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import signal
from dataclasses import dataclass
from pathlib import Path

from ingest.parallel import cores
from orchestration.lifetime import die_with_parent, end_child
from orchestration.memory import free_memory
from orchestration.quality.suites import CHUNK_ROWS, SuiteResult, validate_file


class SuiteError(RuntimeError):
    """A suite raised while validating (GX or the file): the check is reported as raised."""


def _validated(path: Path, name: str, chunk_rows: int) -> SuiteResult | SuiteError:
    """`validate_file`'s result, or what it raised as a SuiteError ("<type>: <message>", no
    traceback), in the worker and in this process's fallback alike."""
    try:
        return validate_file(path, name, chunk_rows)
    except Exception as exc:  # noqa: BLE001 - reported as the check having raised
        return SuiteError(f"{type(exc).__name__}: {exc}")


def _given_back(answer: SuiteResult | SuiteError) -> None:
    """A large batch's pandas frames given back to the system (after its answer is out)."""
    free_memory(answer.rows if isinstance(answer, SuiteResult) else None)


def _serve(conn, parent: int) -> None:
    """The worker's body: (job number, path, suite name, chunk_rows) in, (job number,
    SuiteResult or SuiteError) out, until None or the parent's end closes. Ctrl-C is the
    parent's to handle: the worker dies with it."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from orchestration.quality.suites import _context

    _context()  # GX imported and set up while the parent starts and loads
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            job = None
        if job is None:
            # the end: the interpreter's last garbage collections over GX's and pandas'
            # objects took ≈ 1.1 s of every run's end (the parent waits for this exit);
            # frozen, they are skipped (docs/benchmarks.md, "Issue 18, twelfth round")
            gc.freeze()
            return
        number, path, name, chunk_rows = job
        answer = _validated(Path(path), name, chunk_rows)
        conn.send((number, answer))
        _given_back(answer)


@dataclass
class _Job:
    key: str
    path: Path
    name: str
    chunk_rows: int
    number: int  # unique in this process: an answer is matched by it, not by the key


class SuiteWorker:
    """Validate `export_batch` / `export_mart` files in a spawned process, answers by key.

    `start()` starts the worker now (else the first `submit` does). `submit(key, path,
    name)` hands a file over for the suite `name` ("raw_<source>" or "fct_indicators"); it
    is validated in this process at once where there is one core or no worker could be
    started. `answered()` returns the answers that have arrived, without waiting; `wait()`
    the same, but if there are none yet and some key is pending, it waits for one first.
    Each answer is (key, SuiteResult or SuiteError); its file is removed. If the worker
    dies, the files it had not answered are validated in this process. `close()` stops the
    worker and removes the files still pending; `forget(keys)` only drops those keys (their
    files removed; an answer to a forgotten job is ignored, even if its key is submitted
    again). Use as a context manager."""

    def __init__(self, aside: bool = True) -> None:
        self._aside = aside and cores() > 1
        self._process = None
        self._conn = None
        self._pending: dict[str, _Job] = {}
        self._ready: list[tuple[str, SuiteResult | SuiteError]] = []

    @property
    def pending(self) -> set[str]:
        """Keys submitted and not yet returned by `answered` or `wait`."""
        return set(self._pending) | {key for key, _ in self._ready}

    def start(self) -> bool:
        """Start the worker unless it runs or cannot (one core); True if it runs."""
        if self._process is None and self._aside:
            ctx = multiprocessing.get_context("spawn")
            ours, theirs = ctx.Pipe()
            process = ctx.Process(target=_serve, args=(theirs, os.getpid()),
                                  name="civstat-suites", daemon=True)
            try:
                process.start()
            except Exception:  # noqa: BLE001 - no process (fork/exec failed): validate here
                self._aside = False
                ours.close()
                return False
            finally:
                theirs.close()
            self._process, self._conn = process, ours
        return self._process is not None

    def submit(self, key: str, path: Path, name: str, chunk_rows: int = CHUNK_ROWS) -> None:
        job = _Job(key, Path(path), name, chunk_rows, next(_numbers))
        self._pending[key] = job
        if self.start():
            try:
                self._conn.send((job.number, str(job.path), name, chunk_rows))
                return
            except (OSError, ValueError):  # the worker is gone
                self._lost()
                return
        self._here(job)

    def _here(self, job: _Job) -> None:
        """Validate a pending job's file in this process."""
        answer = _validated(job.path, job.name, job.chunk_rows)
        self._answer(job.number, answer)
        _given_back(answer)

    def _answer(self, number: int, answer: SuiteResult | SuiteError) -> bool:
        job = next((j for j in self._pending.values() if j.number == number), None)
        if job is None:  # forgotten: its step is over
            return False
        del self._pending[job.key]
        job.path.unlink(missing_ok=True)
        self._ready.append((job.key, answer))
        return True

    def _receive(self, block: bool) -> None:
        """Move the worker's answers into `_ready`: those already sent, and with `block` at
        least one (unless none is pending)."""
        while self._conn is not None and self._pending:
            try:
                if not self._conn.poll(None if block else 0):
                    return
                number, answer = self._conn.recv()
            except (EOFError, OSError):
                self._lost()
                return
            if self._answer(number, answer):
                block = False

    def _lost(self) -> None:
        """The worker died: every file it did not answer is validated here."""
        self._aside = False
        self._stop()
        for job in list(self._pending.values()):
            self._here(job)

    def answered(self) -> list[tuple[str, SuiteResult | SuiteError]]:
        self._receive(block=False)
        out, self._ready = self._ready, []
        return out

    def wait(self) -> list[tuple[str, SuiteResult | SuiteError]]:
        if not self._ready:
            self._receive(block=True)
        return self.answered()

    def _stop(self) -> None:
        process, self._process = self._process, None
        conn, self._conn = self._conn, None
        if process is not None:
            try:
                conn.send(None)  # done: the worker returns (at once, when idle)
            except (OSError, ValueError):
                pass
        end_child(process, conn, grace=0 if self._pending else 5)  # work left: not waited for

    def forget(self, keys) -> None:
        keys = set(keys)
        for key in keys:
            job = self._pending.pop(key, None)
            if job is not None:
                job.path.unlink(missing_ok=True)
        self._ready = [(key, answer) for key, answer in self._ready if key not in keys]

    def close(self) -> None:
        self._stop()
        self.forget(list(self._pending))

    def __enter__(self) -> SuiteWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_numbers = itertools.count(1)

# One worker for a whole `civstat run`: the command starts it before its own slow imports,
# so GX is imported while Dagster starts, and the ingest's and the gate's suites use it.
_shared: SuiteWorker | None = None


def start_shared() -> SuiteWorker:
    """Start this process's shared worker (`shared()`) now; stop it with `stop_shared`."""
    global _shared
    if _shared is None:
        _shared = SuiteWorker()
        _shared.start()
    return _shared


def shared() -> SuiteWorker | None:
    """The shared worker if `start_shared` started one (else None: make your own)."""
    return _shared


def stop_shared() -> None:
    global _shared
    worker, _shared = _shared, None
    if worker is not None:
        worker.close()
