"""Great Expectations suites as blocking asset checks: one per source, one on the mart.

No step of their own: the sources' suites are evaluated inside the ingest step
(orchestration/defs/assets_ingest.py), each source's batch handed to a worker process right
after the source is loaded (`SourceSuites`, orchestration/quality/suite_worker.py); the
mart's inside the gate's step (orchestration/defs/checks_gate.py), by the same worker when
`civstat run` started one. GX is imported where a suite is validated: in that worker (when
it starts), else in the step's process when a suite has rows (orchestration/quality/).
"""

from collections.abc import Callable
from pathlib import Path

import dagster as dg

from orchestration.defs.keys import MART_KEY, raw_key
from orchestration.quality.gate import MART
from orchestration.quality.suite_worker import SuiteError, SuiteWorker, shared
from orchestration.quality.suites import (
    SourceBatch,
    SuiteResult,
    export_batch,
    export_mart,
    mart_batch_sql,
    mart_expectations,
    record_batch,
    source_batch,
    validate_query,
)

NAME = "gx_suite"


def to_result(res, asset_key: dg.AssetKey | None = None) -> dg.AssetCheckResult:
    detail = "; ".join(f"{f['expectation']}({f['column']}): {f['unexpected']}"
                       for f in res.failures)
    validated = {} if res.validated is None else {
        "rows_validated_now": dg.MetadataValue.int(res.validated)}
    named = {} if asset_key is None else {"asset_key": asset_key, "check_name": NAME}
    return dg.AssetCheckResult(
        **named,
        passed=res.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"rows": dg.MetadataValue.int(res.rows), **validated,
                  "detail": dg.MetadataValue.text(detail or "ok"),
                  "failures": dg.MetadataValue.json(res.failures)},
    )


def source_suite_spec(source: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(NAME, asset=raw_key(source), blocking=True,
                             description=f"GX: types, ranges, code lists and ID format of "
                                         f"raw.{source}")


class SourceSuites:
    """The sources' suites of one ingest step, validated beside it.

    `submit(con, source)` right after a source's load, on its (writable) connection: the
    rows its suite has still to validate go to a Parquet file under `batch_dir` and to the
    worker (none: its result is ready at once). `results(...)` returns (source, the check's
    AssetCheckResult, or the exception the suite raised) for every suite answered so far;
    with `wait`, it first waits for one if none has arrived. A passed suite's files are
    recorded in raw.gx_passed on the connection `connect()` returns (called only once an
    answer has arrived; the caller's, not closed here: the ingest step's `StepConnection`).
    `waiting` names the sources submitted and not yet returned. Use as a context manager:
    leaving it stops its own worker, or forgets its suites on the run's
    (`suite_worker.start_shared`), and removes the files of unanswered suites."""

    def __init__(self, batch_dir: Path, aside: bool = True) -> None:
        self._dir = Path(batch_dir)
        self._swept = False
        self._own = shared() is None or not aside  # else the run's (`civstat run`)
        self._worker = SuiteWorker(aside=aside) if self._own else shared()
        self._batches: dict[str, SourceBatch] = {}
        self._now: list[tuple[str, SuiteResult]] = []

    @property
    def waiting(self) -> set[str]:
        return set(self._batches) | {source for source, _ in self._now}

    def _sweep(self) -> None:
        """Make the folder, and remove what a killed run left there. Done at the first
        submit, on a writable connection: this process is then the warehouse's one writer,
        and no other run's batches are there."""
        if not self._swept:
            self._dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            for stale in self._dir.glob("*.parquet"):
                stale.unlink()
            self._swept = True

    def submit(self, con, source: str) -> None:
        batch = source_batch(con, source, schema_ready=True)
        if not batch.files:
            self._now.append((source, batch.already_passed()))
            return
        self._sweep()
        path = self._dir / f"{source}.parquet"
        export_batch(con, batch, path)
        self._batches[source] = batch  # before submit: one core validates it at once
        try:
            self._worker.submit(source, path, batch.name)
        except BaseException:
            del self._batches[source]
            path.unlink(missing_ok=True)
            raise

    def results(self, connect: Callable, wait: bool = False) -> list[tuple]:
        answers = self._worker.wait() if wait and not self._now else self._worker.answered()
        out = [(source, to_result(res, raw_key(source))) for source, res in self._now]
        self._now = []
        answers = [(s, a) for s, a in answers if s in self._batches]  # ours only
        if wait and not out and not answers and self._batches:  # nothing will answer
            answers = [(s, SuiteError("the suite's worker gave no answer")) for s in self._batches]
        if not answers:
            return out
        try:
            con = connect()
        except Exception as exc:  # noqa: BLE001 - the verdicts cannot be recorded
            for source, _ in answers:
                del self._batches[source]
                out.append((source, exc))
            return out
        for source, answer in answers:
            batch = self._batches.pop(source)
            try:
                if isinstance(answer, SuiteError):
                    raise answer
                out.append((source, to_result(record_batch(con, batch, answer),
                                              raw_key(source))))
            except Exception as exc:  # noqa: BLE001 - reported as the check having raised
                out.append((source, exc))
        return out

    def close(self) -> None:
        if self._own:
            self._worker.close()
        else:
            self._worker.forget(self._batches)

    def __enter__(self) -> "SourceSuites":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def mart_suite_spec() -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(NAME, asset=MART_KEY, blocking=True,
                             description="GX: rates 0–100, coverage 0–30 %, counts ≥ 0, "
                                         "value = numerator ÷ denominator")


def mart_suite_result(con, batch_dir: Path | None = None) -> dg.AssetCheckResult:
    """The mart's suite over every row of fct_indicators (a read-only connection will do):
    by the run's suite worker when there is one (its batch written under ``batch_dir``),
    else in this process."""
    worker = shared()
    if worker is None or batch_dir is None:
        return to_result(validate_query(MART, con, mart_batch_sql(), mart_expectations()),
                         MART_KEY)
    path = Path(batch_dir) / f"{MART}.parquet"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    export_mart(con, path)
    worker.submit(MART, path, MART)
    try:
        while MART in worker.pending:
            for key, answer in worker.wait():
                if key == MART:
                    if isinstance(answer, SuiteError):
                        raise answer
                    return to_result(answer, MART_KEY)
        raise SuiteError("the suite's worker gave no answer for the mart")
    finally:
        worker.forget([MART])
