"""Writing one source's results: raw.<source>, raw.quarantine, raw.files, raw.file_events,
and the clerks' quarantine CSV."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from ingest import stage2
from ingest.cells import formula_safe_column
from ingest.contract import SOURCES, raw_columns
from ingest.report import REASON_ZH
from ingest.warehouse import FILES_COLUMNS, q
from ingest.warehouse_layout import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, WarehouseLayout

WRITE_BATCH_ROWS = 1_000_000  # rows of a rebuilt table per INSERT: each batch sorts in memory


def write_tables(con: duckdb.DuckDBPyConnection, src, now: datetime, parquets: dict[str, str],
                 replace: bool = True, loaded: dict[str, int] | None = None) -> None:
    """Rows of ``_ing_f``: loaded ones into raw.<source>, the others into raw.quarantine
    (``replace``: the source's earlier rows are dropped first).

    ``parquets`` maps a file's sha256 to its cached stage-1 parquet (every file ``_ing_f``
    has rows of). Both tables get their rows in file path then row number order; the
    quarantined rows (with their original text) are read from their own files only.

    ``loaded`` (sha → rows it loads) says that ``_ing_f`` holds one verdict for every row of
    every file of ``parquets`` (a rebuild: `stage2.judge_rows` without ``where``). The loaded
    rows are then every row of those files but the few set aside, and they are written in
    batches of whole files in path order, about ``WRITE_BATCH_ROWS`` rows each (a larger file
    alone), each batch checked to write the rows its files passed: no join of
    every row with its verdict, and no sort of the whole source (at the bench's province the
    roster's 14.5 M rows: 49–67 → 25 s, docs/benchmarks.md "twenty-second round").
    Raises RuntimeError when a batch writes another number of rows (a source's
    ``judged_sql`` that repeats or drops a row of ``_ing_p``), which rolls the load back.
    """
    cols = raw_columns(src.name)
    if replace:
        ddl = ", ".join(f"{q(c)} {t}" for c, t in cols.items())
        con.execute(f"CREATE OR REPLACE TABLE raw.{q(src.name)} ({ddl})")
        con.execute("DELETE FROM raw.quarantine WHERE source = ?", [src.name])
    if not parquets:
        return
    select = ", ".join(f"CAST(p.{q(c)} AS {t})" for c, t in cols.items())
    order = " ORDER BY p._file_ord, p._row_number, p._rid"
    rows = ("FROM {} p JOIN _ing_f f ON p._file_sha256 = f._file_sha256 AND p._rid = f._rid "
            "WHERE f._final IS {} NULL" + order)
    bad = [sha for (sha,) in con.execute(
        "SELECT DISTINCT _file_sha256 FROM _ing_f WHERE _final IS NOT NULL").fetchall()]
    if loaded is None:
        con.execute(f"INSERT INTO raw.{q(src.name)} SELECT {select} {rows.format('_ing_p', '')}")
    else:
        if bad:
            con.execute("CREATE OR REPLACE TEMP TABLE _ing_q AS SELECT _file_sha256, _rid "
                        "FROM _ing_f WHERE _final IS NOT NULL")
        set_aside = set(bad)
        for batch in _batches(con, parquets, loaded):
            stage2.rows_view(con, "_ing_pw", [parquets[sha] for sha in batch])
            unless = (" ANTI JOIN _ing_q f ON p._file_sha256 = f._file_sha256 AND "
                      "p._rid = f._rid") if set_aside.intersection(batch) else ""
            written = con.execute(f"INSERT INTO raw.{q(src.name)} SELECT {select} FROM "
                                  f"_ing_pw p{unless}{order}").fetchone()[0]
            passed = sum(loaded[sha] for sha in batch)
            if written != passed:  # stage 2 gave a row no verdict, or more than one
                raise RuntimeError(
                    f"{src.name}: stage 2 did not judge each row of its files once ({written} "
                    f"rows written where {passed} passed); a source's judged_sql must keep "
                    f"each row of _ing_p exactly once")
    if not bad:
        return
    stage2.rows_view(con, "_ing_pq", [parquets[sha] for sha in sorted(bad)])
    month = "p.month" if src.monthly else "NULL"
    con.execute(
        "INSERT INTO raw.quarantine SELECT ?, p._source_file, p._file_sha256, p._row_number, "
        "struct_extract(f._final, 'col'), struct_extract(f._final, 'reason'), "
        f"struct_extract(f._final, 'detail'), {month}, CAST(p._original AS JSON), ?, p._rid "
        f"{rows.format('_ing_pq', 'NOT')}", [src.name, now])


def _batches(con: duckdb.DuckDBPyConnection, parquets: dict[str, str],
             loaded: dict[str, int]) -> list[list[str]]:
    """The files of ``parquets`` that load rows, in path order (``_ing_paths``' ``_file_ord``),
    cut into runs of about ``WRITE_BATCH_ROWS`` loaded rows (a larger file is a run alone)."""
    out, run, rows = [], [], 0
    for (sha,) in con.execute("SELECT sha256 FROM _ing_paths ORDER BY _file_ord").fetchall():
        if sha not in parquets or not loaded.get(sha):
            continue
        if run and rows + loaded[sha] > WRITE_BATCH_ROWS:
            out.append(run)
            run, rows = [], 0
        run.append(sha)
        rows += loaded[sha]
    return out + [run] if run else out


def write_files(con: duckdb.DuckDBPyConnection, source: str, by_sha: dict, infos: dict,
                arrival: dict, counts: dict) -> None:
    con.execute("DELETE FROM raw.files WHERE source = ?", [source])
    if not by_sha:
        return
    rows: dict[str, list] = {c: [] for c in FILES_COLUMNS}
    for sha, paths in by_sha.items():
        info = infos[sha]
        loaded, quarantined = counts.get(sha, (0, 0))
        values = {
            "sha256": sha, "source": source, "path": paths[0],
            "other_paths": json.dumps(paths[1:], ensure_ascii=False), "format": info.format,
            "encoding": info.encoding, "header_row": info.header_row, "status": info.status,
            "reason": info.reason, "detail": info.detail, "rows_read": info.rows_read,
            "rows_loaded": loaded, "rows_quarantined": quarantined,
            "months": json.dumps(info.months), "arrived_at": arrival[sha],
            "parsed_at": datetime.fromisoformat(info.parsed_at) if info.parsed_at else None,
        }
        for c in FILES_COLUMNS:
            rows[c].append(values[c])
    table = pa.table({c: pa.array(v) for c, v in rows.items()})
    con.register("_ing_files_new", table)
    try:
        cols = ", ".join(f"CAST({q(c)} AS {t})" for c, t in FILES_COLUMNS.items())
        con.execute(f"INSERT INTO raw.files SELECT {cols} FROM _ing_files_new")
    finally:
        con.unregister("_ing_files_new")


def events(con: duckdb.DuckDBPyConnection, source: str, previous: list[tuple], by_sha: dict,
           now: datetime) -> None:
    """Append added / replaced / removed / duplicate_content events against the last run."""
    before: dict[str, str] = {}
    for path, others, sha in previous:
        before[path] = sha
        for other in json.loads(others or "[]"):
            before[other] = sha
    current = {p: sha for sha, paths in by_sha.items() for p in paths}
    held = {sha for p, sha in current.items() if p in before}  # content already on disk
    out = []
    for path in sorted(current):
        sha = current[path]
        if path not in before:
            out.append((path, sha, "duplicate_content" if sha in held else "added", None))
            held.add(sha)
        elif before[path] != sha:
            out.append((path, sha, "replaced", before[path]))
    for path in sorted(set(before) - set(current)):
        out.append((path, before[path], "removed", None))
    if not out:
        return
    # one statement over an Arrow table: `executemany` is one statement per row (≈ 0.7 ms
    # each, 11 880 files of a province's roster ≈ 8 s); `now` stays a parameter, so its
    # conversion to TIMESTAMP is the one it always had
    paths, shas, kinds, prev = zip(*out, strict=True)
    table = pa.table({"path": pa.array(paths, pa.string()), "sha256": pa.array(shas, pa.string()),
                      "event": pa.array(kinds, pa.string()),
                      "previous_sha256": pa.array(prev, pa.string())})
    con.register("_ing_events", table)
    try:
        con.execute("INSERT INTO raw.file_events SELECT ?, ?, path, sha256, event, "
                    "previous_sha256 FROM _ing_events", [now, source])
    finally:
        con.unregister("_ing_events")


def write_quarantine_csv(con: duckdb.DuckDBPyConnection, source: str, warehouse: Path) -> Path:
    """<warehouse>/quarantine/<source>.csv, UTF-8 with BOM (opens in Excel); holds PII."""
    zh = {c.name: c.zh for c in SOURCES[source].columns}
    table = con.sql(
        "SELECT source_file, row_number, column_name, reason, detail, month, "
        "CAST(original AS VARCHAR) AS original, file_sha256, quarantined_at FROM raw.quarantine "
        "WHERE source = ? ORDER BY source_file, row_number", params=[source]).to_arrow_table()
    frame = pl.from_arrow(table).with_columns(
        pl.col("column_name").replace_strict(zh, default=None, return_dtype=pl.String)
        .alias("column_zh"),
        pl.col("reason").replace_strict(REASON_ZH, default=None, return_dtype=pl.String)
        .alias("reason_zh"),
    )
    order = ["source_file", "row_number", "column_name", "column_zh", "reason", "reason_zh",
             "detail", "month", "original", "file_sha256", "quarantined_at"]
    text = [c for c in order if frame.schema[c] == pl.String]
    frame = frame.with_columns(formula_safe_column(c) for c in text)  # opened in Excel
    out_dir = WarehouseLayout(warehouse).quarantine
    out_dir.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    out_dir.chmod(PRIVATE_DIR_MODE)
    target = out_dir / f"{source}.csv"
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE_MODE))
    os.chmod(tmp, PRIVATE_FILE_MODE)  # holds personal data: owner-only whatever the umask
    frame.select(order).write_csv(tmp, include_bom=True)
    os.replace(tmp, target)
    return target
