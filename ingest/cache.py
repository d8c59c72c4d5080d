"""Stage-1 parse of files, each cached as ``<warehouse>/cache/parsed/<sha256>.parquet``.

The parquet holds the stage-1 frame plus ``_file_sha256`` and ``_loaded_at``; the file-level
facts (format, encoding, header row, fault, rows read, months) sit in its key-value metadata.
A cached parse is reused when the cache version, the source, the PII key fingerprint and (for
``targets``) the indicator catalogue fingerprint all match; otherwise the file is parsed again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.contract import SOURCES
from ingest.reader import UnreadableFile, read_file, read_files
from ingest.sheet_layout import Fault, locate_many
from ingest.stage1 import Context, Parsed, Sheets, cell_sheets, lay_out, parse_sheets, schema

# bump whenever a parsing or stage-1 rule changes (8: percentage cells, rows below a footer,
# mixed encodings; 9: 婚姻登记's party ID columns required, 结婚/离婚 alone no business)
CACHE_VERSION = "ingest-9"
META_KEY = b"civstat.ingest"
CHANGED = ("文件在读取过程中发生了变化（可能仍在复制中），本次未读取；下次运行时重新读取 / the file "
           "changed while it was read (still being copied?); it is read again at the next run")


def cannot_read(exc: OSError) -> str:
    """Why a file the system will not let us read (no permission, gone) is refused: it is
    read again at the next run."""
    why = exc.strerror or type(exc).__name__
    return f"无法读取文件（{why}），请检查文件权限后重新放入 / the file cannot be read: {why}"


@dataclass
class FileInfo:
    source: str
    sha256: str
    format: str
    encoding: str | None = None
    header_row: int | None = None
    status: str = "loaded"  # loaded | rejected
    reason: str | None = None
    column: str | None = None
    detail: str | None = None
    rows_read: int = 0
    months: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sheets read / not read (workbooks)
    parsed_at: str | None = None
    tag: str = ""


def cache_tag(source: str, key_fp: str, catalogue_fp: str) -> str:
    parts = [CACHE_VERSION, source, key_fp]
    if SOURCES[source].uses_catalogue:
        parts.append(catalogue_fp)
    return "/".join(parts)


def _reject(frame: pl.DataFrame, fault: Fault) -> pl.DataFrame:
    return frame.with_columns(
        _err_pos=pl.lit(-1, pl.Int32), _err_col=pl.lit(fault.column, pl.String),
        _err_reason=pl.lit(fault.reason), _err_detail=pl.lit(fault.detail),
    )


def _unreadable(src, info: FileInfo, exc: Exception) -> tuple[pl.DataFrame, FileInfo]:
    """A file no row of which could be read: one quarantine row (row_number NULL) tells the
    clerk about the file; rows_read 0."""
    if not isinstance(exc, UnreadableFile):
        exc = UnreadableFile(f"读取时出错，未能解析 / the file could not be parsed: "
                             f"{type(exc).__name__}: {str(exc)[:200]}")
    info.status, info.reason, info.detail = "rejected", "unreadable_file", str(exc)
    row = {"_err_pos": -1, "_err_reason": "unreadable_file", "_err_detail": str(exc)}
    return pl.DataFrame([row], schema=schema(src)), info


def _info(source: str, path: Path, sha: str) -> FileInfo:
    """The facts of a file known before it is read."""
    return FileInfo(source=source, sha256=sha, format=path.suffix.lower().lstrip("."))


def _lay_out(source: str, path: Path, data: bytes, sha: str, reject: str | None
             ) -> tuple[Sheets | None, FileInfo, Exception | None]:
    """Read one file and find its layout; any failure is that file's, returned not raised."""
    info = _info(source, path, sha)
    try:
        if reject:
            raise UnreadableFile(reject)
        grid = read_file(path, data)
        return lay_out(grid, SOURCES[source]), info, None
    except Exception as exc:  # any failure of one file rejects that file, never the run
        return None, info, exc


def _lay_out_group(source: str, files: list[tuple[Path, bytes, str, str | None]]
                   ) -> list[tuple[Sheets | None, FileInfo, Exception | None]]:
    """``_lay_out`` of every file: the CSV files among them split into lines and fields in
    one pass (``reader.read_files``), then the cells of all of them cleaned and their rows
    sorted into header, data and total rows in one pass (``sheet_layout.locate_many``; should
    it fail, each file is laid out alone)."""
    opened = iter(read_files([(path, data) for path, data, _, reject in files if not reject]))
    read = []
    for path, _, sha, reject in files:
        info = _info(source, path, sha)
        got = UnreadableFile(reject) if reject else next(opened)
        read.append((None, info, got) if isinstance(got, Exception) else (got, info, None))
    sheets = [cell_sheets(grid) for grid, _, _ in read if grid is not None]
    try:
        flat_sheets = [g for s in sheets for g in s]
        flat = iter(locate_many(flat_sheets, SOURCES[source]))
        layouts = [[next(flat) for _ in s] for s in sheets]
    except Exception:  # a sheet that breaks the common pass: each file alone, below
        layouts = [None] * len(sheets)
    layouts_of = iter(layouts)
    out = []
    for grid, info, exc in read:
        if grid is None:
            out.append((None, info, exc))
            continue
        try:
            out.append((lay_out(grid, SOURCES[source], layouts=next(layouts_of)), info, None))
        except Exception as exc:  # any failure of one file rejects that file, never the run
            out.append((None, info, exc))
    return out


def _file_result(src, info: FileInfo, sheets: Sheets, parsed: Parsed
                 ) -> tuple[pl.DataFrame, FileInfo]:
    info.encoding = sheets.grid.encoding
    info.header_row, info.notes, frame, fault = (
        parsed.header_row, parsed.notes, parsed.frame, parsed.fault)
    if parsed.notes:
        info.detail = "；".join(parsed.notes)
    if fault:
        frame = _reject(frame, fault)
        info.status, info.reason, info.column, info.detail = (
            "rejected", fault.reason, fault.column, fault.detail)
    info.rows_read = frame.height  # data rows only (title, header, total, footer rows excluded)
    if src.monthly:
        months = frame["month"].drop_nulls().unique().sort()
        info.months = [m.strftime("%Y-%m") for m in months.to_list()]
    return frame, info


def parse_files(source: str, files: list[tuple[Path, bytes, str, str | None]], ctx: Context
                ) -> list[tuple[pl.DataFrame, FileInfo]]:
    """Stage 1 of files of one source, each ``(path, bytes, sha256, reject)``: each file is
    read and laid out alone (its cells cleaned with those of the others in one pass:
    ``_lay_out_group``), then the cells of all of them are checked in one pass
    (``stage1.parse_sheets``); per file its frame and info, in the order given. ``reject``:
    a reason found before reading (e.g. the file's name), which makes the file an
    ``unreadable_file`` without parsing.

    A failure while reading one file rejects that file. A failure in the common pass is
    told apart by checking every file of the group alone: only the file that fails alone
    is rejected, the others get what they get alone."""
    src = SOURCES[source]
    laid = _lay_out_group(source, files)
    out: list = [None] * len(files)
    good = [i for i, (sheets, _, _) in enumerate(laid) if sheets is not None]
    for i, (_, info, exc) in enumerate(laid):
        if exc is not None:
            out[i] = _unreadable(src, info, exc)
    try:
        parsed = parse_sheets([laid[i][0] for i in good], src, ctx)
    except Exception:  # some file breaks the common pass: each file alone, read afresh
        for i in good:
            sheets, info, exc = _lay_out(source, *files[i])
            try:
                if exc is not None:
                    raise exc
                out[i] = _file_result(src, info, sheets, parse_sheets([sheets], src, ctx)[0])
            except Exception as exc:
                out[i] = _unreadable(src, info, exc)
        return out
    for i, p in zip(good, parsed, strict=True):
        out[i] = _file_result(src, laid[i][1], laid[i][0], p)
    return out


def parse_file(source: str, path: Path, data: bytes, sha: str, ctx: Context,
               reject: str | None = None) -> tuple[pl.DataFrame, FileInfo]:
    """Stage 1 of one file (``parse_files`` of one)."""
    return parse_files(source, [(path, data, sha, reject)], ctx)[0]


def entry_path(cache_dir: Path, sha: str, tag: str) -> Path:
    """Where the cache entry of a content (its sha256) parsed for a source lives: one entry
    per content and source (the source is the tag's second part, ``cache_tag``). The same
    file in two sources' folders once shared one entry: each source's parse replaced the
    other's, under a parse-ahead already handed over, and the run failed on every try."""
    parts = tag.split("/")
    return Path(cache_dir) / f"{sha}.{parts[1] if len(parts) > 1 else parts[0]}.parquet"


def cached(cache_dir: Path, sha: str, tag: str) -> tuple[Path, FileInfo] | None:
    """The cache entry of a file's content, if it was parsed with the same settings."""
    target = entry_path(cache_dir, sha, tag)
    info = read_info(target) if target.exists() else None
    return (target, info) if info and fits(info, sha, tag) else None


def read_info(entry: Path) -> FileInfo | None:
    """The file info in a cache entry's parquet footer; None for an unreadable or foreign
    entry (it is parsed again). About 0.4 ms an entry (see ``ingest.cache_index``)."""
    try:
        meta = pq.read_schema(entry).metadata or {}
        return FileInfo(**json.loads(meta[META_KEY]))
    except Exception:
        return None


def fits(info: FileInfo, sha: str, tag: str) -> bool:
    """Whether an entry's info is a parse of exactly these bytes with these settings."""
    return info.tag == tag and info.sha256 == sha


def _store(cache_dir: Path, sha: str, tag: str, frame: pl.DataFrame, info: FileInfo,
           parsed_at: datetime) -> Path:
    """Write one file's cache entry (atomically); returns its path."""
    target = entry_path(cache_dir, sha, tag)
    info.parsed_at, info.tag = parsed_at.isoformat(sep=" "), tag
    if parsed_at.tzinfo is None:  # as every caller gives it (ingest.localtime)
        # the three columns added to the Arrow table: what polars' `with_columns` of the
        # literals and `int_range` gives (below), column for column, at half the cost a file
        rows = frame.height
        table = (frame.to_arrow()
                 .append_column("_file_sha256", pa.array([sha] * rows, pa.large_string()))
                 .append_column("_loaded_at", pa.array([parsed_at] * rows, pa.timestamp("us")))
                 .append_column("_rid", pa.array(range(rows), pa.int32())))
    else:  # a time with its zone keeps it, as polars gives it
        table = frame.with_columns(_file_sha256=pl.lit(sha), _loaded_at=pl.lit(parsed_at),
                                   _rid=pl.int_range(pl.len(), dtype=pl.Int32)).to_arrow()
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), META_KEY: json.dumps(asdict(info), ensure_ascii=False)})
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    # No column statistics, no dictionary pages: stage 2 reads every row of an entry it
    # names (nothing to skip by min/max), and for a roster file of ≈ 900 rows the two were
    # ≈ 25 % of the write's CPU (0.9 against 1.2 s for a district's 373 entries), the files
    # no larger and DuckDB's read no slower (docs/benchmarks.md, "Issue 18, sixteenth
    # round"). Entries written with them read the same (so CACHE_VERSION stays).
    # written to memory, then to the file by Python: pyarrow's own path handling (a
    # filesystem resolved, a stream opened) cost ≈ 0.15 ms an entry, a fifth of a small
    # file's write; the bytes are the same
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer, write_statistics=False, use_dictionary=False)
    with open(tmp, "wb") as fh:
        fh.write(buffer.getvalue())
    os.replace(tmp, target)
    return target


def load_or_parse_group(cache_dir: Path, source: str, files: list[tuple[Path, str]],
                        ctx: Context, tag: str, parsed_at: datetime
                        ) -> list[tuple[Path, FileInfo, bool]]:
    """Per ``(path, sha256)`` of one source: (parquet path, file info, was it parsed now),
    in the order given. A file whose bytes no longer hash to its sha256 is rejected (it is
    changing); the files not in the cache are parsed together (``parse_files``), and each
    gets its own cache entry, so a later run parses only files it has not seen."""
    out: list = [None] * len(files)
    todo = []
    for i, (path, sha) in enumerate(files):
        try:
            data = path.read_bytes()
            reject = CHANGED if hashlib.sha256(data).hexdigest() != sha else None
        except OSError as exc:  # gone or closed to us since it was hashed: refused alone
            data, reject = b"", cannot_read(exc)
        file_tag = f"{tag}/rejected" if reject else tag  # never taken for a parse of the content
        hit = cached(cache_dir, sha, file_tag)
        if hit:
            out[i] = (*hit, False)
        else:
            todo.append((i, path, data, sha, reject, file_tag))
    parsed = parse_files(source, [(p, d, s, r) for _, p, d, s, r, _ in todo], ctx)
    for (i, _, _, sha, _, file_tag), (frame, info) in zip(todo, parsed, strict=True):
        out[i] = (_store(cache_dir, sha, file_tag, frame, info, parsed_at), info, True)
    return out


def load_or_parse(cache_dir: Path, source: str, path: Path, data: bytes | None, sha: str,
                  ctx: Context, tag: str, parsed_at: datetime, reject: str | None = None
                  ) -> tuple[Path, FileInfo, bool]:
    """(parquet path, file info, was it parsed now) for one file's content (``data``: the
    file's bytes, read from ``path`` when None; ``reject``: see ``parse_files``)."""
    if data is None and reject is None:
        return load_or_parse_group(cache_dir, source, [(path, sha)], ctx, tag, parsed_at)[0]
    if data is None:
        data = path.read_bytes()
    if reject:
        tag = f"{tag}/rejected"  # never taken for a parse of the content
    hit = cached(cache_dir, sha, tag)
    if hit:
        return *hit, False
    frame, info = parse_file(source, path, data, sha, ctx, reject)
    return _store(cache_dir, sha, tag, frame, info, parsed_at), info, True


def prune(cache_dir: Path, keep: set[str]) -> int:
    """Delete the cache entries of contents no current file has (``keep``: their sha256),
    and entries named as before they were per source (``<sha>.parquet``); returns how many
    were deleted."""
    gone = 0
    for entry in Path(cache_dir).glob("*.parquet") if Path(cache_dir).is_dir() else []:
        sha, _, source = entry.stem.partition(".")
        if sha not in keep or not source:
            entry.unlink(missing_ok=True)
            gone += 1
    return gone
