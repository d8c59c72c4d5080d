"""Great Expectations suites as blocking asset checks: one per source, one on the mart.

No step of their own: the sources' suites are evaluated inside the ingest step
(orchestration/defs/assets_ingest.py), each source's batch handed to a worker process right
after the source is loaded (`SourceSuites`, orchestration/quality/suite_worker.py); the
mart's inside the gate's step (orchestration/defs/checks_gate.py). GX itself is imported
only where a suite has rows to validate (orchestration/quality/suites.py).
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

    `submit(con, source)` right after a source's load, on its connection: the rows its
    suite has still to validate go to a Parquet file under `batch_dir` and to the worker
    (none: its result is ready at once). `results(...)` returns (source, the check's
    AssetCheckResult, or the exception the suite raised) for every suite answered so far;
    with `wait`, after at least one more if any is pending. A passed suite's files are
    recorded in raw.gx_passed on `con`, or on a connection from `connect` when `con` is
    None. `waiting` names the sources submitted and not yet returned. Use as a context
    manager: leaving it stops the worker and removes the files of unanswered suites."""

    def __init__(self, batch_dir: Path, aside: bool = True) -> None:
        self._dir = Path(batch_dir)
        self._dir.mkdir(parents=True, exist_ok=True)
        for stale in self._dir.glob("*.parquet"):  # left by a run that was killed
            stale.unlink()
        self._own = shared() is None or not aside  # else the run's (`civstat run`)
        self._worker = SuiteWorker(aside=aside) if self._own else shared()
        self._batches: dict[str, SourceBatch] = {}
        self._now: list[tuple[str, SuiteResult]] = []

    @property
    def waiting(self) -> set[str]:
        return set(self._batches) | {source for source, _ in self._now}

    def submit(self, con, source: str) -> None:
        batch = source_batch(con, source, schema_ready=True)
        if not batch.files:
            self._now.append((source, SuiteResult(batch.name, True, batch.total, [],
                                                  validated=0)))
            return
        path = self._dir / f"{source}.parquet"
        export_batch(con, batch, path)
        self._batches[source] = batch
        self._worker.submit(source, path, batch.name)

    def results(self, con, connect: Callable, wait: bool = False) -> list[tuple]:
        answers = self._worker.wait() if wait and not self._now else self._worker.answered()
        out = [(source, to_result(res, raw_key(source))) for source, res in self._now]
        self._now = []
        if not answers:
            return out
        own = con is None
        con = connect() if own else con
        try:
            for source, answer in answers:
                batch = self._batches.pop(source)
                try:
                    if isinstance(answer, SuiteError):
                        raise answer
                    out.append((source, to_result(record_batch(con, batch, answer),
                                                  raw_key(source))))
                except Exception as exc:  # noqa: BLE001 - reported as the check having raised
                    out.append((source, exc))
        finally:
            if own:
                con.close()
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
    path.parent.mkdir(parents=True, exist_ok=True)
    export_mart(con, path)
    worker.submit(MART, path, MART)
    try:
        while True:
            for key, answer in worker.wait():
                if key == MART:
                    if isinstance(answer, SuiteError):
                        raise answer
                    return to_result(answer, MART_KEY)
    finally:
        worker.forget([MART])
