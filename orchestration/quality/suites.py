"""Great Expectations 1.x suites, validated on pandas batches pulled from DuckDB.

GX's SQL datasource fails every expectation over DuckDB (upstream bug), so the checks read
a batch with a short read-only connection and validate it in memory. Only counts and
expectation names leave this module — never a value (the batches can hold ID numbers).
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.contract import SOURCES, Kind, raw_columns
from ingest.warehouse import ensure_raw_schema
from orchestration.quality.gate import COVERAGE_RANGE, MART
from orchestration.settings import quiet

REGION_RE = r"^\d{12}$"
CREDIT_RE = r"^[0-9A-HJ-NP-RTUW-Y]{18}$"  # 统一社会信用代码 (GB 32100-2015)
ID_RE = r"^\d{17}[\dX]$"
HASH_RE = r"^[0-9a-f]{64}$"
CHUNK_ROWS = 200_000  # rows per GX batch (≈ 0.2 GB of pandas for a roster)


@dataclass
class SuiteResult:
    suite: str
    success: bool
    rows: int
    failures: list[dict]  # {"expectation", "column", "unexpected"}
    validated: int | None = None  # rows read now (the others passed the same suite before)


def _scipy_stats_deferred() -> None:
    """`scipy.stats` loaded at its first use rather than by GX's import.

    GX's import registers every core expectation, and three of them (the KL divergence and
    two KS tests, none in a civstat suite) import `scipy.stats` at the top: ≈ 0.8 s of GX's
    ≈ 3 s import (docs/benchmarks.md, "Issue 18, fifteenth round"). Here it is a lazy module
    (`importlib.util.LazyLoader`), set on `scipy` too so that `from scipy import stats` takes
    it untouched; its first attribute read loads it. Nothing when it is loaded already.
    Python 3.11's LazyLoader is not safe for two threads making that first read at once
    (CPython gh-114763): nothing of civstat reads `scipy.stats`; only those three
    expectations would."""
    import importlib.util
    import sys

    if "scipy.stats" in sys.modules:
        return
    import scipy

    spec = importlib.util.find_spec("scipy.stats")
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    stats = importlib.util.module_from_spec(spec)
    sys.modules["scipy.stats"] = stats
    spec.loader.exec_module(stats)
    scipy.stats = stats  # scipy's own __getattr__ would import it


@cache
def _context():
    quiet(override=False)  # GX reports usage unless told not to
    _scipy_stats_deferred()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GX marks every pandas batch under 1 GB with a fingerprint, a hash of every cell, made
    # twice per validation (when the batch is made and again inside `Batch.validate`). No
    # expectation reads it and civstat keeps only the counts: at province it was ≈ 41 s of
    # the suites' ≈ 97 s (docs/benchmarks.md, "Issue 18, eighth round"). 0: never hashed.
    pandas_execution_engine.HASH_THRESHOLD = 0
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    # An ephemeral context "saves" its project config ("not saved", says GX's docstring of
    # `_save_project_config`) by writing the whole config as YAML into a store in memory that
    # nothing reads back: four times per validated chunk (`validate` adds a data source, an
    # asset and a batch definition, then deletes the data source): ≈ 0.4 CPU s of a
    # district's 29 suites (docs/benchmarks.md, "Issue 18, sixteenth round"). Not written.
    ctx._save_project_config = _not_saved
    return ctx


def _not_saved() -> None:
    """The ephemeral context's save of its config: nothing (see `_context`)."""


# Batches up to this size (a Parquet file's bytes) are read on one shared in-memory DuckDB
# (`_parquet_reader`); a larger one on a database of its own, closed after it: DuckDB's
# allocator keeps some of what a read used until its database is closed (≈ 23 MB after
# 150 k rows, 60–85 MB after millions), and the worker lives as long as the run.
SHARED_READER_MAX_BYTES = 1024 * 1024


@cache
def _parquet_reader():
    """One in-memory DuckDB for this process's `validate_file` reads of small batches (a
    cursor each): a new database per file cost ≈ 18 ms of CPU, ≈ 0.5 s of a district's 29
    suites, most of them small."""
    import duckdb

    return duckdb.connect()


def _drop_parquet_reader() -> None:
    """Close the shared reader (after a failed read: an error may leave its database
    unusable); the next small batch opens a new one."""
    if _parquet_reader.cache_info().currsize:
        with suppress(Exception):
            _parquet_reader().close()
        _parquet_reader.cache_clear()


def source_specs(source: str) -> list[tuple[str, dict]]:
    """The suite of one source's loaded rows, derived from the contract, as (GX expectation
    class, arguments): plain data, so that it can be fingerprinted without importing GX."""
    out: list[tuple[str, dict]] = []
    for c in SOURCES[source].columns:
        if c.required:
            out.append(("ExpectColumnValuesToNotBeNull", {"column": c.name}))
        if c.kind in (Kind.MONEY, Kind.QUANTITY):
            out.append(("ExpectColumnValuesToBeBetween", {"column": c.name, "min_value": 0}))
        elif c.kind is Kind.COUNT:
            out.append(("ExpectColumnValuesToBeBetween",
                        {"column": c.name, "min_value": c.min_count}))
        elif c.kind is Kind.CODE and c.codes:
            out.append(("ExpectColumnValuesToBeInSet",
                        {"column": c.name, "value_set": list(c.codes)}))
        elif c.kind in (Kind.REGION, Kind.REGION_CODE):
            out.append(("ExpectColumnValuesToMatchRegex", {"column": c.name, "regex": REGION_RE}))
        elif c.kind is Kind.CREDIT_CODE:
            out.append(("ExpectColumnValuesToMatchRegex", {"column": c.name, "regex": CREDIT_RE}))
        elif c.kind is Kind.ID_NUMBER:
            if c.checked_when is None:  # a conditional ID column holds free text elsewhere
                out.append(("ExpectColumnValuesToMatchRegex", {"column": c.name, "regex": ID_RE}))
        if c.hashed:  # ID numbers and keyed-hash texts (a child's case number)
            out.append(("ExpectColumnValuesToMatchRegex",
                        {"column": f"{c.name}_hash", "regex": HASH_RE}))
    out.extend(SOURCES[source].expectations)  # the source's own items (ingest/sources/)
    return out


def source_expectations(source: str) -> list:
    """The GX expectation objects of ``source_specs``."""
    import great_expectations as gx

    return [getattr(gx.expectations, name)(**kwargs) for name, kwargs in source_specs(source)]



def batch_columns(source: str) -> list[str]:
    """The raw columns the suite's expectations name, in table order (no names, no bank
    accounts: nothing is read that no expectation needs)."""
    named = {v for _, kwargs in source_specs(source) for k, v in kwargs.items()
             if k in ("column", "column_A", "column_B")}
    return [c for c in raw_columns(source) if c in named]


def source_batch_sql(source: str, files: str | None = None) -> str:
    """The loaded rows with the columns the suite needs; with ``files`` (a table with a
    column ``sha``), only the rows of those files."""
    cols = batch_columns(source)
    only = f" where h._file_sha256 in (select sha from {files})" if files else ""
    batch = SOURCES[source].expectation_batch
    if batch is None:
        return f"select {', '.join(f'h.{c}' for c in cols)} from raw.{source} h{only}"
    return batch.format(cols=", ".join(f"h.{c}" for c in cols), only=only)


def suite_fingerprint(con, source: str) -> str:
    """What a file's verdict depends on: the suite, its query, and the loads of the sources
    that query reads (the standard in force comes from regions and dibao_standards)."""
    reads = SOURCES[source].expectation_reads
    deps = con.execute("select source, fingerprint from raw.source_state where source in "
                       "(select unnest(?::varchar[])) order by 1", [list(reads)]
                       ).fetchall() if reads else []
    payload = json.dumps([source_specs(source), source_batch_sql(source), deps],
                         sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class SourceBatch:
    """One source's suite as it stands after a load: the suite's fingerprint, the table's
    row count and (sha256, rows, rows_hash) of each file whose loaded rows have not passed
    this very suite — the rows to validate now (`validate_source`)."""
    source: str
    suite: str
    total: int
    files: list[tuple[str, int, int]]

    @property
    def name(self) -> str:
        return f"raw_{self.source}"

    def already_passed(self) -> SuiteResult:
        """The result when no file is left to validate: passed, no row read now."""
        return SuiteResult(self.name, True, self.total, [], validated=0)


def source_batch(con, source: str, schema_ready: bool = False) -> SourceBatch:
    """What of the source's loaded rows its suite has still to validate (see
    `validate_source`; ``schema_ready``: `ensure_raw_schema` has just run on ``con``)."""
    if not schema_ready:
        ensure_raw_schema(con)  # raw.gx_passed among them
    suite = suite_fingerprint(con, source)
    # which rows of a file are loaded can change without their number changing (a rebuild
    # after a dependency changed): the set of row numbers (rows_hash) is part of what passed
    files = con.execute(
        f"select l.sha, l.n, l.h from (select _file_sha256 as sha, count(*) as n, "
        f"bit_xor(hash(_rid)) as h from raw.{source} group by 1) l anti join raw.gx_passed p "
        f"on p.source = ? and p.sha256 = l.sha and p.suite = ? and p.rows = l.n and "
        f"p.rows_hash = l.h order by l.sha", [source, suite]).fetchall()
    # fetchall, not fetchone: DuckDB registers no table while a result is unfinished
    total = con.execute(f"select count(*) from raw.{source}").fetchall()[0][0]
    return SourceBatch(source, suite, total, files)


@contextmanager
def _files_table(con, batch: SourceBatch) -> Iterator[str]:
    """The batch's files as a table of ``con`` (sha, n, h) for the `with` block; its name."""
    import pyarrow as pa

    sha, n, h = (list(col) for col in zip(*batch.files, strict=True))
    con.register("_gx_files", pa.table({"sha": pa.array(sha, pa.string()),
                                        "n": pa.array(n, pa.int64()),
                                        "h": pa.array(h, pa.uint64())}))
    try:
        yield "_gx_files"
    finally:
        con.unregister("_gx_files")


def export_batch(con, batch: SourceBatch, path: Path) -> None:
    """Write the rows `validate_source` would validate now to the Parquet file ``path``
    (DuckDB's COPY; read back by an in-memory DuckDB, `validate_file` gets the very pandas
    frames a batch read on ``con`` gives). ``batch`` must have files."""
    with _files_table(con, batch) as files:
        _copy(con, source_batch_sql(batch.source, files), path)


def suite_expectations(name: str) -> list:
    """The GX expectations of the suite called ``name``: "fct_indicators" (the mart's) or
    "raw_<source>"."""
    if name == MART:
        return mart_expectations()
    return source_expectations(name.removeprefix("raw_"))


def validate_file(path: Path, name: str, chunk_rows: int = CHUNK_ROWS) -> SuiteResult:
    """The suite ``name`` (`suite_expectations`) over the rows of a Parquet file written by
    `export_batch` or `export_mart`, chunk by chunk, as `validate_query` on the warehouse.
    A small file is read on the process's shared DuckDB (`SHARED_READER_MAX_BYTES`), a
    larger one on a database of its own."""
    import duckdb

    try:
        shared = Path(path).stat().st_size <= SHARED_READER_MAX_BYTES
    except OSError:  # gone: DuckDB says so, as it always did, on a database of its own
        shared = False
    try:
        with _parquet_reader().cursor() if shared else duckdb.connect() as con:
            result = con.execute("select * from read_parquet(?)", [str(path)])
            return validate_result(name, result, suite_expectations(name), chunk_rows)
    except Exception:
        if shared:
            _drop_parquet_reader()
        raise


def export_mart(con, path: Path) -> None:
    """Write the mart's suite batch (`mart_batch_sql`) to the Parquet file ``path``."""
    _copy(con, mart_batch_sql(), path)


def _copy(con, sql: str, path: Path) -> None:
    quoted = str(path).replace("'", "''")
    # fetched: DuckDB registers no table on a connection while a result is unfinished
    con.execute(f"copy ({sql}) to '{quoted}' (format parquet)").fetchall()


def record_batch(con, batch: SourceBatch, res: SuiteResult) -> SuiteResult:
    """The source's SuiteResult for the batch's validation ``res``. When it passed, its
    files are recorded in ``raw.gx_passed`` (a writable connection) and not read again."""
    if res.success and batch.files:
        with _files_table(con, batch) as files:
            con.execute(f"delete from raw.gx_passed where source = ? and sha256 in "
                        f"(select sha from {files})", [batch.source])
            con.execute(f"insert into raw.gx_passed (source, sha256, suite, rows, validated_at, "
                        f"rows_hash) select ?, sha, ?, n, now(), h from {files}",
                        [batch.source, batch.suite])
    return SuiteResult(res.suite, res.success, batch.total, res.failures, validated=res.rows)


def validate_source(con, source: str, chunk_rows: int = CHUNK_ROWS,
                    schema_ready: bool = False) -> SuiteResult:
    """The source's suite over the rows of files not yet validated (a file whose loaded rows
    — the same rows, by row number — passed this very suite is not read again), in this
    process (orchestration/quality/suite_worker.py validates beside the ingest).

    Needs a writable connection: the files that passed are recorded in ``raw.gx_passed``.
    A failing suite records nothing, so its files are validated again on the next run.
    ``schema_ready``: the connection has just run ``ensure_raw_schema`` (the ingest step
    validates on the connection that loaded the source), so it is not run again.
    """
    batch = source_batch(con, source, schema_ready)
    if not batch.files:
        return batch.already_passed()
    with _files_table(con, batch) as files:
        res = validate_query(batch.name, con, source_batch_sql(source, files),
                             source_expectations(source), chunk_rows)
    return record_batch(con, batch, res)


def mart_expectations() -> list:
    import great_expectations as gx

    E = gx.expectations
    return [
        E.ExpectColumnValuesToNotBeNull(column="value"),
        E.ExpectColumnValuesToBeBetween(column="percent_value", min_value=0, max_value=100),
        E.ExpectColumnValuesToBeBetween(column="coverage_value", min_value=COVERAGE_RANGE[0],
                                        max_value=COVERAGE_RANGE[1]),
        E.ExpectColumnValuesToBeBetween(column="count_value", min_value=0),
        E.ExpectColumnValuesToBeInSet(column="consistent", value_set=[True]),
    ]


def mart_batch_sql() -> str:
    """The mart with the columns the suite needs (NULL where a rule does not apply)."""
    return f"""
        select m.value,
            case when m.unit = '%' and m.indicator <> 'target_completion_rate'
                 then m.value end as percent_value,
            case when m.indicator = 'dibao_coverage_rate' then m.value end as coverage_value,
            case when c.value_kind in ('count', 'sum', 'standard') then m.value end as count_value,
            case when m.numerator is null or m.denominator is null or m.denominator = 0 then true
                 else abs(m.value - m.numerator / m.denominator
                          * (case when m.unit = '%' then 100 else 1 end)) <= 0.0051 end
                 as consistent
        from {MART} m left join indicator_catalogue c using (indicator)
    """


def validate(name: str, df, expectations: list) -> SuiteResult:
    import great_expectations as gx

    ctx = _context()
    # a data source per batch, deleted after: its execution engine caches every batch's
    # DataFrame, which would keep a whole table in memory across chunks
    ds = ctx.data_sources.add_pandas(f"civstat_{id(df)}")
    try:
        batch = ds.add_dataframe_asset(name).add_batch_definition_whole_dataframe(
            "all").get_batch(batch_parameters={"dataframe": df})
        # BASIC: the unexpected count is all civstat reports. GX's default (SUMMARY) also
        # counts the unexpected values (a value_counts metric per expectation): ≈ 30 % of
        # the suites' CPU at district (docs/benchmarks.md, "Issue 18, fourth round")
        res = batch.validate(gx.ExpectationSuite(name=name, expectations=expectations),
                             result_format="BASIC")
    finally:
        ctx.data_sources.delete(ds.name)
    failures = [
        {
            "expectation": r.expectation_config.type,
            "column": r.expectation_config.kwargs.get("column")
            or f"{r.expectation_config.kwargs.get('column_A')}≥"
               f"{r.expectation_config.kwargs.get('column_B')}",
            "unexpected": int((r.result or {}).get("unexpected_count") or 0),
        }
        for r in res.results
        if not r.success
    ]
    return SuiteResult(name, bool(res.success), len(df), failures)


def validate_query(name: str, con, sql: str, expectations: list,
                   chunk_rows: int = CHUNK_ROWS) -> SuiteResult:
    """Validate a query's rows chunk by chunk, so memory stays bounded on large tables.

    Unexpected counts add up across chunks; the suite passes when every chunk passes.
    """
    return validate_result(name, con.execute(sql), expectations, chunk_rows)


def validate_result(name: str, result, expectations: list,
                    chunk_rows: int = CHUNK_ROWS) -> SuiteResult:
    """`validate_query` of an executed DuckDB query (its pandas chunks: `fetch_df_chunk`)."""
    total, failures, ok = 0, {}, True
    vectors = max(1, chunk_rows // 2048)  # DuckDB hands out 2048-row vectors
    while True:
        df = result.fetch_df_chunk(vectors)
        if total and df.empty:
            break
        part = validate(name, df, expectations)
        # GX's objects of a validation hold the chunk's DataFrame in reference cycles, which
        # Python's collector frees at a full collection, triggered by object counts, not
        # bytes: the province roster's batch (14.5 M rows) grew the worker to 2.6 GB. A
        # young-generation collection here frees each chunk before the next: 1.7 → 0.66 GB
        # at 14.5 M rows, no slower (docs/benchmarks.md, "Issue 18, sixteenth round").
        del df
        gc.collect(1)
        ok, total = ok and part.success, total + part.rows
        for f in part.failures:
            key = (f["expectation"], f["column"])
            failures[key] = failures.get(key, 0) + f["unexpected"]
        if not part.rows:
            break
    return SuiteResult(
        name, ok, total,
        [{"expectation": e, "column": c, "unexpected": n} for (e, c), n in failures.items()],
    )
