"""Loading the inbox into the raw layer: one source at a time (see docs/ingest.md)."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest import append, parallel, stage2
from ingest.cache import load_or_parse, load_or_parse_group
from ingest.cache_index import CacheIndex
from ingest.contract import LOAD_ORDER, SOURCES
from ingest.inbox import ignored_entries, shown, source_files, split_ignored
from ingest.inbox_digests import DigestIndex
from ingest.localtime import SHANGHAI, now_shanghai, shanghai_naive
from ingest.output import events, write_files, write_quarantine_csv, write_tables
from ingest.parse_ahead import ParseAhead, file_digest, stage1_inputs
from ingest.report import FileReport, SourceReport
from ingest.stage1 import Context
from ingest.warehouse import ensure_raw_schema, q
from ingest.warehouse_layout import WarehouseLayout, secure_warehouse

STATE_VERSION = 1  # bump when stage 2 or the raw tables change meaning

__all__ = ["FileReport", "SourceReport", "ingest_all", "ingest_source", "ignored_entries"]


def _parse_all(source: str, inbox: Path, warehouse: Path, ctx: Context, tag: str,
               now: datetime, paths: list[str], ahead: ParseAhead | None = None
               ) -> tuple[dict, dict, dict]:
    """Hash every file (``DigestIndex``: a file unchanged since an earlier run is not read
    again), parse new content (cached; the new files in groups, see
    ``parallel.source_groups``; taken from ``ahead`` where it parsed them). Returns by sha: paths,
    info, parquet."""
    by_sha: dict[str, list[str]] = {}
    infos, parquets, arrival, todo = {}, {}, {}, {}
    cache_dir = WarehouseLayout(warehouse).parse_cache
    index, digests = CacheIndex(cache_dir, source), DigestIndex(cache_dir, source)
    hashed = [(rel, *file_digest(digests, inbox, rel)) for rel in paths]  # read if changed
    # a path refused as it stands (a name that cannot be stored, a file changing) comes after
    # every clean path: where a clean path has its content, it is one more path of that
    # file; first, it made its content's one file a rejection, and the clean copy's rows
    # were loaded nowhere
    hashed.sort(key=lambda h: h[2] is not None)
    for rel, sha, fault, after in hashed:
        full = Path(inbox) / rel
        if fault and sha not in by_sha:  # a rejection without parsing: its name cannot be stored
            parquets[sha], infos[sha], _ = load_or_parse(cache_dir, source, full, b"", sha,
                                                         ctx, tag, now, reject=fault)
        rel = shown(rel)
        by_sha.setdefault(sha, []).append(rel)
        if sha in arrival:
            continue
        arrival[sha] = shanghai_naive(after.st_mtime)
        hit = None if fault else index.cached(sha, tag)
        if hit:
            parquets[sha], infos[sha] = hit
        elif not fault:
            todo[sha] = (full, after.st_size)
    for sha, (parquet, info) in (ahead.parsed(source, todo, tag) if ahead else {}).items():
        parquets[sha], infos[sha] = parquet, info
    new = {sha: file for sha, file in todo.items() if sha not in parquets}
    pooled, cut = parallel.source_groups({sha: n for sha, (_, n) in new.items()})
    if pooled:
        try:
            jobs = [parallel.pool().submit(load_or_parse_group, cache_dir, source,
                                           [(new[s][0], s) for s in group], ctx, tag, now)
                    for group in cut]
            for group, job in zip(cut, jobs, strict=True):
                for sha, (parquet, info, _) in zip(group, job.result(), strict=True):
                    parquets[sha], infos[sha] = parquet, info
        except BrokenProcessPool:  # a worker died (killed, out of memory): go on in process
            pass
        finally:  # its idle workers would hold ≈ 270 MB each beside stage 2's DuckDB
            parallel.shutdown()
    for group in cut:  # in process: every group the pool did not do
        group = [s for s in group if s not in parquets]
        got = load_or_parse_group(cache_dir, source, [(new[s][0], s) for s in group], ctx,
                                  tag, now) if group else []
        for sha, (parquet, info, _) in zip(group, got, strict=True):
            parquets[sha], infos[sha] = parquet, info
    for sha in todo:
        index.record(sha, parquets[sha], infos[sha])
    index.save()
    digests.save()
    return by_sha, infos, {"parquet": parquets, "arrival": arrival}


def ingest_source(source: str, inbox: Path, warehouse: Path, con: duckdb.DuckDBPyConnection,
                  now: datetime | None = None, schema_ready: bool = False,
                  ahead: ParseAhead | None = None) -> SourceReport:
    """Load one source's files into raw.<source>, raw.quarantine, raw.files, raw.file_events.

    ``schema_ready``: the caller has run `ensure_raw_schema` on this database already (the
    ingest step does once for all its sources; ≈ 20 ms of DDL saved per source).
    ``ahead``: the step's `ParseAhead`, whose parses of this source's new files are taken."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    src = SOURCES[source]
    now = now or now_shanghai()
    secure_warehouse(Path(warehouse))  # owner-only from here on (PII at rest, issue 16)
    if not schema_ready:
        ensure_raw_schema(con)
    ctx, tag = stage1_inputs(source, Path(warehouse), now)
    paths, ignored = source_files(Path(inbox), source)
    con.execute("DELETE FROM raw.inbox_ignored WHERE source = ?", [source])
    if ignored:
        con.executemany("INSERT INTO raw.inbox_ignored VALUES (?, ?, ?)",
                        [[source, *split_ignored(e)] for e in ignored])
    by_sha, infos, extra = _parse_all(source, inbox, warehouse, ctx, tag, now, paths, ahead)
    files = pa.table({
        "sha256": list(by_sha),
        "path": [ps[0] for ps in by_sha.values()],
        "arrival": pa.array([extra["arrival"][s] for s in by_sha], pa.timestamp("us")),
    })
    notes = []
    for dep in src.depends_on:
        if con.execute(f"SELECT count(*) FROM raw.{q(dep)}").fetchall()[0][0] == 0:
            notes.append(f"依赖的数据源 {dep} 尚无入库数据，相关核对将不通过 / dependency {dep} "
                         f"has no loaded rows, so the checks against it fail")
    state, detail = _state(con, src, tag, by_sha, extra["arrival"])
    previous_state, previous_detail = _previous(con, source, state)
    if previous_detail is True:
        # same files, same paths, same arrival, same dependencies: the tables are current
        counts = {sha: (loaded, quarantined) for sha, loaded, quarantined in con.execute(
            "SELECT sha256, rows_loaded, rows_quarantined FROM raw.files WHERE source = ?",
            [source]).fetchall()}
        if _quarantine_csv_behind(con, source, Path(warehouse)):
            write_quarantine_csv(con, source, Path(warehouse))
        return _report(con, source, by_sha, infos, counts, ignored, notes)
    grown = append.grown_dependencies(con, previous_detail, detail)
    added = append.plan(source, previous_detail, detail, grown)
    stored = detail  # the state row's detail; `grown_from` when this load only adds rows
    parquet = {sha: str(p) for sha, p in extra["parquet"].items()}  # sha → cached parse
    con.register("_ing_files", files)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            previous = con.execute("SELECT path, other_paths, sha256 FROM raw.files WHERE "
                                   "source = ?", [source]).fetchall()
            if added is None:  # rebuild the source's tables from every current file
                counts = _run_sql(con, src, list(parquet.values()))
                _drop_work(con)
                write_tables(con, src, now, parquet,
                             loaded={sha: n for sha, (n, _) in counts.items()})
            else:  # only the added files, and rows a grown dependency may now pass
                old = {s: p for s, p in parquet.items() if s not in added}
                again = (src.reasons_judged_again_on_growth or ()) if grown else ()
                judged = append.run_sql(con, src, [parquet[s] for s in added], old, again)
                if judged:  # else nothing new to judge: the tables stand as they are
                    append.drop_rejudged(con, source)
                    _drop_work(con)
                    write_tables(con, src, now, parquet, replace=False)
                if not judged or append.lost_loaded_rows(con) == 0:
                    stored = {**detail, "grown_from": previous_state}
                counts = append.counts(con, source)
            write_files(con, source, by_sha, infos, extra["arrival"], counts)
            events(con, source, previous, by_sha, now)
            con.execute("INSERT OR REPLACE INTO raw.source_state VALUES (?, ?, ?, ?)",
                        [source, state, now.replace(tzinfo=None), json.dumps(stored)])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.unregister("_ing_files")
        for v in ("_ing_s", "_ing_p", "_ing_po", "_ing_pq", "_ing_pw"):
            con.execute(f"DROP VIEW IF EXISTS {v}")
        for t in ("_ing_paths", "_ing_r", "_ing_g", "_ing_f", "_ing_k", "_ing_o", "_ing_a",
                  "_ing_again", "_ing_was", "_ing_q"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    write_quarantine_csv(con, source, Path(warehouse))
    return _report(con, source, by_sha, infos, counts, ignored, notes)


def _quarantine_csv_behind(con, source: str, warehouse: Path) -> bool:
    """Whether the clerk's quarantine CSV is missing or older than the source's last load:
    a run killed between the load's commit and the CSV's write left the old one, and an
    unchanged source never wrote it again."""
    target = WarehouseLayout(warehouse).quarantine / f"{source}.csv"
    if not target.exists():
        return True
    row = next(iter(con.execute("SELECT loaded_at FROM raw.source_state WHERE source = ?",
                                [source]).fetchall()), None)
    return row is not None and row[0] is not None and (
        target.stat().st_mtime < row[0].replace(tzinfo=SHANGHAI).timestamp())


def _drop_work(con: duckdb.DuckDBPyConnection) -> None:
    """Drop stage 2's working tables once ``_ing_f`` holds the verdicts: at province scale
    ``_ing_r`` (every row's key and column positions) holds ≈ 1 GB of DuckDB's memory, which
    the write of the raw table then spills for."""
    for t in ("_ing_r", "_ing_g"):
        con.execute(f"DROP TABLE IF EXISTS {t}")


def _state(con, src, tag: str, by_sha: dict, arrival: dict) -> tuple[str, dict]:
    """Fingerprint (and its content) of everything a source's load depends on: its files
    (content, paths, arrival), the parse settings, and the states its cross-source rules
    read."""
    deps = {d: [r[0] for r in con.execute(
        "SELECT fingerprint FROM raw.source_state WHERE source = ?", [d]).fetchall()]
        for d in src.depends_on}
    files = sorted([sha, sorted(paths), str(arrival[sha])] for sha, paths in by_sha.items())
    detail = {"v": STATE_VERSION, "tag": tag, "files": files, "deps": deps}
    return hashlib.sha256(json.dumps(detail).encode()).hexdigest(), detail


def _previous(con, source: str, state: str) -> tuple[str | None, bool | dict | None]:
    """(the last load's state, True when the source is unchanged since then, else what that
    load saw)."""
    rows = con.execute("SELECT fingerprint, detail FROM raw.source_state WHERE source = ?",
                       [source]).fetchall()
    if not rows:
        return None, None
    if rows[0][0] == state:
        return state, True
    return rows[0][0], append.state_detail(rows[0][1])


def _run_sql(con: duckdb.DuckDBPyConnection, src, parquets: list[str]) -> dict[str, tuple]:
    """Stage 2 and duplicates; returns sha -> (rows_loaded, rows_quarantined)."""
    if not parquets:
        return {}
    stage2.judge_rows(con, src, parquets)
    for sql in stage2.dedupe_sql(src):
        con.execute(sql)
    rows = con.execute("SELECT _file_sha256, count(*) FILTER (WHERE _final IS NULL), "
                       "count(*) FILTER (WHERE _final IS NOT NULL AND _row_number IS NOT NULL) "
                       "FROM _ing_f GROUP BY 1"
                       ).fetchall()
    return {sha: (loaded, quarantined) for sha, loaded, quarantined in rows}


def _report(con, source: str, by_sha: dict, infos: dict, counts: dict, ignored: list[str],
            notes: list[str]) -> SourceReport:
    reports = []
    for sha, paths in by_sha.items():
        info = infos[sha]
        loaded, quarantined = counts.get(sha, (0, 0))
        reports.append(FileReport(paths[0], sha, info.status, info.reason, info.detail,
                                  info.rows_read, loaded, quarantined, info.encoding,
                                  info.header_row))
        for other in paths[1:]:
            reports.append(FileReport(other, sha, "duplicate", None,
                                      f"与 {paths[0]} 内容相同，只入库一次 / same content as "
                                      f"{paths[0]}, loaded once", 0, 0, 0, info.encoding,
                                      info.header_row))
    reports.sort(key=lambda f: f.path)
    # every quarantine row, including the one row (row_number NULL) of an unreadable file
    reasons = dict(con.execute("SELECT reason, count(*) FROM raw.quarantine WHERE source = ? "
                               "GROUP BY 1 ORDER BY 1", [source]).fetchall())
    return SourceReport(
        source=source, files=reports,
        rows_read=sum(f.rows_read for f in reports),
        rows_loaded=sum(f.rows_loaded for f in reports),
        rows_quarantined=sum(f.rows_quarantined for f in reports),
        reasons=reasons, ignored=ignored, notes=notes,
    )


def ingest_all(inbox: Path, warehouse: Path, con: duckdb.DuckDBPyConnection,
               now: datetime | None = None) -> dict[str, SourceReport]:
    """Every source in contract.LOAD_ORDER (dependencies first)."""
    now = now or now_shanghai()
    ensure_raw_schema(con)
    return {s: ingest_source(s, inbox, warehouse, con, now=now, schema_ready=True)
            for s in LOAD_ORDER}
