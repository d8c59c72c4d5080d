"""The inbox's ingest: one Dagster step loads every selected source, one asset per raw table.

Each source keeps its asset `raw/<source>` (lineage, the UI, dbt's `source('raw', …)`) and
its two blocking checks: `rows_accounted`, evaluated right after the source is loaded, on
the DuckDB connection that loaded it, and `gx_suite`, whose batch is written there and
validated by a worker process while the next sources load (checks_suites.SourceSuites);
its result is yielded when it arrives, and a source that depends on another is loaded only
after that one's verdict. They run in one step (`raw_sources`, a
subsettable multi-asset) rather than 87: Dagster's fixed cost per step (events, a DuckDB
connection, the step's set-up) was most of an unchanged source's time (docs/benchmarks.md, "Fixed costs").

Failure isolation is per source, as when each source was its own step: a bad file is
quarantined (never a failure); a source whose load raises (an unreadable folder) is tried
three times, 5 s apart, then reported while the other sources go on, and the step fails at
the end naming it; a source whose blocking check fails is materialized with its failing
check. Sources that depend on a failed or blocked source are not loaded (Dagster skipped
them when they were steps), and nothing downstream of the step (dbt) runs.
"""

import time

import dagster as dg

from ingest.contract import LOAD_ORDER, SOURCES
from ingest.parse_ahead import ParseAhead
from ingest.warehouse import ensure_raw_schema
from ingest.warehouse_layout import WarehouseLayout
from orchestration import interrupts
from orchestration.defs import checks_rows, checks_suites
from orchestration.defs.checks_rows import rows_accounted_result, rows_accounted_spec
from orchestration.defs.checks_suites import SourceSuites, source_suite_spec
from orchestration.defs.keys import INGEST_GROUP, raw_key
from orchestration.defs.resources import Warehouse
from orchestration.memory import BIG_STEP_ROWS, free_memory
from orchestration.runlock import WarehouseBusy

RETRIES, RETRY_DELAY_S = 2, 5  # a source's load is tried 1 + RETRIES times


class IngestFailed(dg.Failure):
    pass


def _report_metadata(report) -> dict:
    """Counts only: file paths, numbers and reason codes (never a row's content)."""
    return {
        "files": dg.MetadataValue.int(len(report.files)),
        "rows_read": dg.MetadataValue.int(report.rows_read),
        "rows_loaded": dg.MetadataValue.int(report.rows_loaded),
        "rows_quarantined": dg.MetadataValue.int(report.rows_quarantined),
        "quarantine_reasons": dg.MetadataValue.json(dict(sorted(report.reasons.items()))),
        "rejected_files": dg.MetadataValue.json(
            [{"path": f.path, "reason": f.reason} for f in report.files if f.status == "rejected"]
        ),
    }


def source_spec(source: str) -> dg.AssetSpec:
    src = SOURCES[source]
    return dg.AssetSpec(
        raw_key(source),
        deps=[raw_key(d) for d in src.depends_on],
        group_name=INGEST_GROUP,
        description=f"{src.zh} ({source}): inbox/{source}/ parsed, validated and loaded; "
        "rejected rows go to raw.quarantine.",
        kinds={"duckdb", "polars"},
        metadata={"source_agency": src.agency},
        skippable=True,  # not materialized when a source it depends on failed
    )


class StepConnection:
    """The ingest step's one warehouse connection, shared by its sources and their checks.

    Opened at the first `get`, with the raw schema ensured on it (`ensure_raw_schema`:
    ≈ 50 DDL statements); a connection and that DDL per source cost ≈ 50 ms each
    (docs/benchmarks.md, eleventh round). `reset` closes it: after a load or check that
    raised (a half-done transaction is rolled back), and by `loaded` once the sources it
    loaded reach `BIG_STEP_ROWS` rows (DuckDB's buffers go back, as when each source had
    its own connection); the next `get` opens another. Raises `runlock.WarehouseBusy` as
    `Warehouse.connect` does."""

    def __init__(self, warehouse: Warehouse):
        self._warehouse = warehouse
        self._con = None
        self._ensured = False
        self._rows = 0  # rows loaded on the open connection

    def get(self):
        if self._con is None:
            con = self._warehouse.connect()
            if not self._ensured:
                try:
                    ensure_raw_schema(con)
                except BaseException:
                    con.close()
                    raise
                self._ensured = True  # the tables are in the database, for every connection
            self._con = con
        return self._con

    def loaded(self, rows: int) -> None:
        """Count a source's rows read against the open connection (see the class)."""
        self._rows += rows
        if self._rows >= BIG_STEP_ROWS:
            self.reset()

    def reset(self) -> None:
        self._rows = 0
        if self._con is not None:
            con, self._con = self._con, None
            con.close()

    def __enter__(self) -> "StepConnection":
        return self

    def __exit__(self, *exc) -> None:
        self.reset()


def _load(context, step: StepConnection, warehouse: Warehouse, source: str,
          ahead: ParseAhead | None = None):
    """ingest.pipeline.ingest_source with the retries a step had (WarehouseBusy: none),
    taking what `ahead` parsed.

    Returns the report; the checks run on the connection that loaded it (`step.get()`).
    """
    from ingest import pipeline

    for attempt in range(RETRIES + 1):
        try:
            return pipeline.ingest_source(source, warehouse.inbox_dir, warehouse.dir,
                                          step.get(), schema_ready=True, ahead=ahead)
        except WarehouseBusy:
            step.reset()
            raise
        except Exception as e:
            step.reset()
            interrupts.stop_if_requested()  # DuckDB's "Query interrupted" is not retried
            if attempt == RETRIES:
                raise
            context.log.warning(f"{source}: 第 {attempt + 1} 次入库失败，{RETRY_DELAY_S} 秒后重试 "
                                f"load attempt {attempt + 1} failed, retrying: "
                                f"{type(e).__name__}: {e}")
            time.sleep(RETRY_DELAY_S)
    raise AssertionError("unreachable")


def ready_source(todo: list[str], waiting: set[str]) -> str | None:
    """The first source of `todo` (in load order) none of whose dependencies is still to be
    loaded (in `todo`) or waiting for its suite's verdict (in `waiting`); None when each
    one waits. A source is loaded only after the verdicts of what it depends on (a failing
    suite stops its dependents); the others need not wait."""
    blocked = waiting | set(todo)
    return next((s for s in todo if not set(SOURCES[s].depends_on) & blocked), None)


def _failed(context, source: str, exc: Exception, stopped: dict, failures: list,
            loading: bool = False) -> None:
    """Record a source whose load (``loading``) or a check raised: its dependents are not
    loaded, and the step fails at its end naming it. After Ctrl-C the error is taken for
    the interrupt it may be (DuckDB's "Query interrupted"): KeyboardInterrupt."""
    interrupts.stop_if_requested()
    stopped[source] = "failed"
    if loading:
        failures.append(f"{source}: {type(exc).__name__}: {exc}")
        context.log.error(f"{source}: 入库失败 load failed: {type(exc).__name__}: {exc}")
    else:
        failures.append(f"{source} (checks): {type(exc).__name__}: {exc}")
        context.log.error(f"{source}: 检查出错 a check raised: {type(exc).__name__}: {exc}")


def _suite_outcomes(context, step: StepConnection, outcomes: list, stopped: dict,
                    failures: list):
    """Yield the sources' suite results that arrived; a failed one stops its dependents,
    one that raised is a failure of the step (as a raising check always was) and renews
    the step's connection (recording its verdict may have been what raised)."""
    for source, outcome in outcomes:
        if isinstance(outcome, Exception):
            step.reset()
            _failed(context, source, outcome, stopped, failures)
            continue
        if not outcome.passed:
            stopped[source] = "blocked"
        yield outcome


def _ingest(context, step: StepConnection, warehouse: Warehouse, source: str,
            suites: SourceSuites, stopped: dict, failures: list,
            ahead: ParseAhead | None = None):
    """Load one source (taking what `ahead` parsed), then its row check here and its suite
    beside (`suites`)."""
    key, checks = raw_key(source), context.selected_asset_check_keys
    upstream = [d for d in SOURCES[source].depends_on if d in stopped]
    if upstream:
        stopped[source] = f"依赖 {', '.join(upstream)} 未完成 / upstream not done"
        context.log.warning(f"{source}: 未入库，依赖的数据源 {', '.join(upstream)} 失败或检查未通过 "
                            f"not loaded: {', '.join(upstream)} failed or failed a check")
        return
    try:
        report = _load(context, step, warehouse, source, ahead)
    except WarehouseBusy:
        raise
    except Exception as e:
        _failed(context, source, e, stopped, failures, loading=True)
        return
    try:
        step.loaded(report.rows_read)
        if report.rows_read >= BIG_STEP_ROWS:  # its leftovers go back before the next
            free_memory(report.rows_read)
        for line in report.summary_lines():
            context.log.info(line)
        yield dg.MaterializeResult(asset_key=key, metadata=_report_metadata(report))
        # on the connection that loaded the source: its schema is ensured already
        if dg.AssetCheckKey(key, checks_rows.NAME) in checks:
            result = rows_accounted_result(step.get(), source)
            if not result.passed:
                stopped[source] = "blocked"
            yield result
        if dg.AssetCheckKey(key, checks_suites.NAME) in checks:
            suites.submit(step.get(), source)
        yield from _suite_outcomes(context, step, suites.results(step.get),
                                   stopped, failures)
    except WarehouseBusy:
        raise
    except Exception as e:
        step.reset()  # a check that raised may leave its transaction open
        _failed(context, source, e, stopped, failures)


def _load_all(context, step: StepConnection, warehouse: Warehouse, todo: list[str],
              suites: SourceSuites, ahead: ParseAhead, stopped: dict, failures: list):
    """Load the sources of `todo` as their dependencies allow, yielding their results."""
    while todo or suites.waiting:
        ready = ready_source(todo, suites.waiting)
        if ready is None:
            yield from _suite_outcomes(context, step, suites.results(step.get, wait=True),
                                       stopped, failures)
            continue
        todo.remove(ready)
        interrupts.stop_if_requested()  # between two sources: Ctrl-C stops the run here
        yield from _ingest(context, step, warehouse, ready, suites, stopped, failures, ahead)


@dg.multi_asset(
    name="raw_sources",
    specs=[source_spec(s) for s in LOAD_ORDER],
    check_specs=[spec for s in LOAD_ORDER
                 for spec in (rows_accounted_spec(s), source_suite_spec(s))],
    can_subset=True,
    pool="warehouse",
    description="Every selected inbox source, in dependency order: parse, validate, "
                "quarantine, load into raw.<source>, then its blocking checks.",
)
def raw_sources(context: dg.AssetExecutionContext, warehouse: Warehouse):
    stopped: dict[str, str] = {}  # source → why its dependents are not loaded
    failures: list[str] = []
    todo = [s for s in LOAD_ORDER if raw_key(s) in context.selected_asset_keys]
    with (SourceSuites(WarehouseLayout(warehouse.dir).suite_batches) as suites,
          StepConnection(warehouse) as step):
        step.get()  # the warehouse is this run's (runlock) before the parses ahead touch it
        with ParseAhead(warehouse.inbox_dir, warehouse.dir, todo) as ahead:
            yield from _load_all(context, step, warehouse, todo, suites, ahead, stopped,
                                 failures)
    if failures:
        raise IngestFailed(
            description="入库失败 these sources could not be loaded or checked:\n"
                        + "\n".join(failures),
            allow_retries=False,
        )


ingest_assets = [raw_sources]


defs = dg.Definitions(assets=ingest_assets)
