"""Reading one inbox file into a grid of cell texts (no interpretation yet).

A grid is a polars DataFrame of String columns ``c0 .. cN`` (null for empty cells) and
``_row``, the row number a clerk sees (the sheet's row in a workbook, the line in a CSV, the
table row in an HTML table); optionally ``_sheet`` (the sheet's name) and ``_row_fault`` (null,
or a row reason such as ``hidden_row``/``malformed_row``: stage 1 quarantines such a row as it
is, under that reason, naming no column). Workbook grids also know which cells are numbers
(``numbers``), so an ID number typed as a number can be refused instead of being "fixed", and
a numeric month can be read as an Excel serial date. A workbook's readable sheets are its
``parts``; ``sheets()`` gives the grids a file is made of (data contract v2 §1).
CSV grids may also carry ``_row_detail`` (the clerk's text for a row fault) and
``_fields`` (the line's field count, checked against the header's by the layout).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ingest import limits


class UnreadableFile(Exception):
    """The file cannot be read at all (reason ``unreadable_file``)."""


@dataclass
class Grid:
    frame: pl.DataFrame
    format: str  # xlsx | xls | xlsb | ods | html | xml2003 | csv
    encoding: str | None
    sheet: str | None = None  # sheet (or HTML table) name
    position: int | None = None  # 1-based place of the sheet among the visible tabs
    date1904: bool = False  # the workbook counts serial dates from 1904-01-01
    # column indexes -> their number cells (see ``numbers``); None: the file has no numbers
    numbers_of: Callable[[list[int]], dict[int, pl.Series]] | None = field(default=None,
                                                                           repr=False)
    parts: list[Grid] = field(default_factory=list, repr=False)  # a workbook's readable sheets
    notes: list[str] = field(default_factory=list)  # e.g. hidden sheets not read
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # i0, j0, i1, j1

    @property
    def columns(self) -> list[str]:
        """The cell columns ``c0 .. cN`` (not ``_row``, ``_sheet``, ``_row_fault``)."""
        return [c for c in self.frame.columns if not c.startswith("_")]

    def sheets(self) -> list[Grid]:
        """The grids this file is made of: a workbook's readable sheets, else itself."""
        return self.parts or [self]

    def numbers(self, indexes: list[int]) -> dict[int, pl.Series]:
        """Per column index, per grid row: the cell's value when it is a number, else null.

        Text, empty and date-typed cells give null; a CSV has no numbers (all null). A
        workbook reads all the asked columns at once.
        """
        if self.numbers_of is None or not indexes:
            return {j: pl.Series([None] * self.frame.height, dtype=pl.Float64) for j in indexes}
        return self.numbers_of(sorted(set(indexes)))

    def numeric_cells(self, index: int) -> pl.Series:
        """Per grid row: is the cell of column ``index`` a number cell?"""
        return self.numbers([index])[index].is_not_null()


# three CJK ideographs in UTF-8 (lead E4-E9, two continuation bytes each), spelt out: a
# class per byte is what Python's engine scans fastest (0.1 s for 18 MB of GBK text)
_UTF8_IDEOGRAPHS = re.compile(rb"[\xe4-\xe9][\x80-\xbf][\x80-\xbf]" * 3)


def _utf8_field(data: bytes) -> bool:
    """Whether ``data`` holds a line of UTF-8 text: a field of three or more CJK ideographs
    in UTF-8 between ASCII bytes (or the ends), on a line that is valid UTF-8 throughout.

    GBK text forms such a field by chance now and then (its punctuation 、，（）： is two bytes
    in UTF-8's continuation range, and some rare characters' bytes fall on UTF-8's lead
    range: a GBK ``濮峰、濮珺`` does, and a short line holding only it is valid UTF-8), so this
    is only the quick test; ``_mixed`` counts the lines."""
    for hit in _UTF8_IDEOGRAPHS.finditer(data):
        start, end = hit.span()
        if start and data[start - 1] >= 0x80:
            continue
        while (end + 3 <= len(data) and 0xE4 <= data[end] <= 0xE9
               and 0x80 <= data[end + 1] <= 0xBF and 0x80 <= data[end + 2] <= 0xBF):
            end += 3  # the run goes on
        if end < len(data) and data[end] >= 0x80:
            continue
        first = max(data.rfind(b"\n", 0, start), data.rfind(b"\r", 0, start)) + 1
        last = min((k for k in (data.find(b"\n", end), data.find(b"\r", end)) if k >= 0),
                   default=len(data))
        try:
            data[first:last].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _mixed(data: bytes) -> tuple[int, int] | None:
    """(lines of UTF-8 text, lines that are not UTF-8) of a file that is not UTF-8 throughout
    when more of its lines that hold other than ASCII are UTF-8 than not: one encoding does
    not read it. None otherwise (a GBK file: a line of it may be valid UTF-8 by chance, a
    short one holding a rare name — ``H001,濮峰、濮珺`` is — but hardly more than a few).
    The lines are counted only when ``_utf8_field`` finds a line of UTF-8 text at all."""
    if not _utf8_field(data):
        return None
    utf8 = other = 0
    for line in data.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    return (utf8, other) if utf8 > other else None


def _line_of(data: bytes, at: int) -> int:
    """The 1-based line of byte ``at``: lines end at LF, or at CR in a file without LF (the
    "CSV (Macintosh)" Excel writes), as the reader numbers them."""
    return data.count(b"\n" if b"\n" in data else b"\r", 0, at) + 1


def decode(data: bytes) -> tuple[str, str]:
    """Strict UTF-8 (with or without BOM), else GB18030; else UnreadableFile.

    A file that is not UTF-8 throughout but whose lines are mostly UTF-8 text (``_mixed``)
    mixes two encodings (a GBK line pasted into a UTF-8 file): read as GB18030, its UTF-8
    lines were garbled silently, so it is UnreadableFile naming the first line that is not
    UTF-8 (the contract's "unknown encoding": no one encoding reads it)."""
    if b"\x00" in data:
        raise UnreadableFile("文件含二进制内容（不是文本CSV） / file holds binary data, not CSV text")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start + 3)
            raise UnreadableFile(f"文件有UTF-8标记但第{line}行不是UTF-8 / UTF-8 BOM but line {line} "
                                 "is not UTF-8") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    mixed = _mixed(data)
    if mixed:
        line, (utf8, other) = _line_of(data, bad_at), mixed
        raise UnreadableFile(
            f"文件混用了两种编码：{utf8}行是UTF-8，{other}行不是（可能是GBK），第一处在第{line}行；"
            f"请整个文件另存为同一种编码后重新报送 / mixed encodings: {utf8} lines are UTF-8 and "
            f"{other} are not (GBK?), the first at line {line}; save the whole file in one "
            "encoding and send it again")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "无法识别文件编码（既不是UTF-8也不是GB18030/GBK） / "
            "encoding is neither UTF-8 nor GB18030/GBK"
        ) from exc


_FIELD = r'(?:"(?:[^"]|"")*"|="[^"\r\n]*"|[^",\r\n]*)'  # quoted | ="text" marker | bare
_RECORD = re.compile(f"{_FIELD}(?:,{_FIELD})*")
MAX_SPAN = 50  # physical lines one quoted field may span


def _fields(record: str) -> list[str] | None:
    """The fields of one record text (RFC 4180: a field is bare, or wholly quoted with inner
    quotes doubled; also the export marker ``="…"`` as a bare field), or None when the text
    is no such record (a stray or unclosed quote)."""
    if not _RECORD.fullmatch(record):
        return None
    return next(csv.reader(io.StringIO(record, newline="")), [""])


# str.isspace(): what ``str.strip()`` removes (tests/ingest check it against every code point)
PY_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f"
            "\u205f\u3000")
_BLANK_LINE = f"^[,{PY_SPACE}]*$"  # a line of empty or blank fields only


def _lines(texts: list[str]) -> pl.DataFrame:
    r"""Physical lines (``\r\n``, ``\n`` or ``\r`` ends one) of each text, without a last
    empty one: ``_f`` (the text's place in ``texts``), ``_i`` (the line's 0-based place in
    its text) and ``line``, split in polars (no Python string per line)."""
    by_sep: dict[str, list[int]] = {"\n": [], "\r\n": []}
    texts = list(texts)
    for f, text in enumerate(texts):
        if "\r" not in text:
            by_sep["\n"].append(f)
        elif text.count("\r\n") == text.count("\r") == text.count("\n"):  # CRLF only
            by_sep["\r\n"].append(f)
        else:
            texts[f] = text.replace("\r\n", "\n").replace("\r", "\n")
            by_sep["\n"].append(f)
    parts = []
    for sep, fs in by_sep.items():
        if fs:
            parts.append(pl.DataFrame({"_f": pl.Series(fs, dtype=pl.Int32),
                                       "line": [texts[f] for f in fs]}).select(
                "_f", pl.col("line").str.split(sep)))
    lists = pl.concat(parts).sort("_f") if len(parts) > 1 else parts[0]
    n = pl.col("line").list.len()
    lines = lists.select(
        "_f", pl.int_ranges(0, n, dtype=pl.Int32).alias("_i"), "line",
        (n - 1).cast(pl.Int32).alias("_last")).explode("_i", "line")
    return lines.filter((pl.col("_i") != pl.col("_last")) | (pl.col("line") != "")).drop("_last")


def split_records(text: str) -> pl.DataFrame:
    """One row per non-empty record of CSV text: ``_row`` (its first line's number),
    ``cells`` (its fields), ``fault`` (null, or malformed_row).

    A record is one physical line, except that a quoted field may span lines when the joined
    lines form one record of exactly the file's field count (``_width``) and no continuation
    line is itself a record of that count. A line that is no record (a stray or unclosed
    quote) is ``malformed_row`` on its own: its cells are the line split at every comma, and
    it never takes other lines with it. Field counts against the header are checked later,
    by ``layout.locate`` (the reader does not know which line is the header).

    Lines without a quote (nearly all) are split at commas as polars string columns; only
    lines holding a quote go through Python's csv module, in line order.
    """
    return split_many([text]).drop("_f")


def split_many(texts: list[str]) -> pl.DataFrame:
    """``split_records`` of several texts in one pass: the rows of all, ``_f`` the text's
    place in ``texts``, in text and line order. Each text's records are found among its own
    lines only (its own field count, its own quoted lines)."""
    lines = _lines(texts)
    # every line split at its commas: a record's cells unless the line holds a quote; the
    # field count is the split's length (one more than the commas, as for an empty line)
    split = lines.get_column("line").str.split(",", inclusive=False).alias("cells")
    facts = lines.select(pl.col("line").str.contains('"', literal=True).alias("q"),
                         split.list.len().cast(pl.UInt32).alias("n"),
                         pl.col("line").str.contains(_BLANK_LINE).alias("blank"))
    quoted = facts["q"].arg_true()
    quoted_of: dict[int, dict[int, str]] = {}
    counts: dict[int, Counter] = {}
    start: dict[int, tuple[int, int]] = {}
    if quoted.len():  # the field counts and places of the texts, for their quoted lines
        where = lines.select("_f", "_i").gather(quoted).rows()  # (text, line) of each
        texts_q = lines["line"].gather(quoted).to_list()
        starts = lines.with_row_index("at").group_by("_f").agg(pl.col("at").min(),
                                                              pl.len().alias("len"))
        start = {f: (at, ln) for f, at, ln in starts.iter_rows()}
        plain = pl.concat([lines.select("_f"), facts.select("n", "q")], how="horizontal"
                          ).filter(~pl.col("q") & (pl.col("n") > 1)).group_by("_f", "n").len()
        for f, n, k in plain.iter_rows():
            counts.setdefault(f, Counter())[n] = k
    else:
        where, texts_q = [], []
    for (f, i), text in zip(where, texts_q, strict=True):
        quoted_of.setdefault(f, {})[i] = text
    records: list[tuple[int, int, list[str], str | None]] = []
    drop: list[int] = []  # global places of lines that are quoted or continue a record
    for f, texts_f in quoted_of.items():
        at, length = start[f]
        alone = {i: _fields(t) for i, t in texts_f.items()}
        count = counts.get(f, Counter())
        count.update(len(x) for x in alone.values() if x is not None and len(x) > 1)
        width = max(count, key=lambda n: (count[n], n)) if count else None

        def line(j: int, texts_f=texts_f, at=at) -> str:
            return texts_f[j] if j in texts_f else lines["line"][at + j]

        def fields_of(j: int, alone=alone, line=line) -> list[str] | None:
            return alone[j] if j in alone else line(j).split(",")

        taken: list[int] = []
        after = -1  # lines up to here belong to a record already
        for i in sorted(texts_f):
            if i <= after:
                continue
            cells, end = alone[i], i
            if cells is None and width is not None:
                for j in range(i + 1, min(i + MAX_SPAN, length)):
                    other = fields_of(j)
                    if other is not None and len(other) == width:
                        break  # line j starts a record of its own
                    joined = _fields("\n".join(line(k) for k in range(i, j + 1)))
                    if joined is not None:
                        if len(joined) == width:
                            cells, end = joined, j
                        break
            fault = None
            if cells is None:
                cells, fault = line(i).split(","), "malformed_row"
            if fault or any(c.strip() for c in cells):
                records.append((f, i + 1, cells, fault))
            taken += range(i + 1, end + 1)
            after = end
        drop += [at + i for i in sorted(set(texts_f) | set(taken))]
    keep = ~facts["blank"]
    if drop:
        keep = keep.scatter(sorted(set(drop)), False)
    at = ["_at"] if records else []  # the line's place in all texts, to put records in place
    frame = (lines.with_row_index("_at") if records else lines).with_columns(split).filter(
        keep).select(*at, "_f", (pl.col("_i") + 1).alias("_row"), "cells",
                     fault=pl.lit(None, pl.String))
    if records:
        extra = pl.DataFrame({"_at": [start[r[0]][0] + r[1] - 1 for r in records],
                              "_f": [r[0] for r in records], "_row": [r[1] for r in records],
                              "cells": [r[2] for r in records], "fault": [r[3] for r in records]},
                             schema={"_at": frame.schema["_at"], "_f": pl.Int32, "_row": pl.Int32,
                                     "cells": pl.List(pl.String), "fault": pl.String})
        frame = pl.concat([frame, extra]).sort("_at").drop("_at")  # a record in its line's place
    return frame


def read_csv(data: bytes) -> Grid:
    """Grid of a CSV file; lines that are no record carry ``_row_fault`` = malformed_row and
    ``_row_detail`` (plain Chinese for the clerk), and ``_fields`` is each record's field
    count. Rows are numbered by their first physical line."""
    return read_csvs([decode(data)])[0]


def read_csvs(texts: list[tuple[str, str]]) -> list[Grid]:
    """``read_csv`` of several decoded files (text, encoding) in one pass (``split_many``):
    the grid of each, as if it had been read alone."""
    records = split_many([t for t, _ in texts])
    n = pl.col("cells").list.len()
    if len(texts) == 1:
        widths = {0: records.select(n.max()).item() or 0}
    else:
        widths = {f: w or 0 for f, w in records.group_by("_f").agg(n.max()).iter_rows()}
    cells = [f"c{j}" for j in range(max(widths.values(), default=0))]
    faulty = records.get_column("fault").is_not_null()
    detail = pl.repeat(None, records.height, dtype=pl.String, eager=True)
    if faulty.any():  # the clerk's text, made for the malformed lines only
        detail = detail.scatter(faulty.arg_true(), [
            f"第{r}行引号不成对，无法拆分为各列，未计入；请检查该行的引号 / line {r}: unbalanced "
            "quote, the line cannot be split into fields"
            for r in records.get_column("_row").filter(faulty)])
    frame = records.select(
        "_f",
        *([pl.col("cells").list.to_struct(fields=cells).struct.unnest()] if cells else []),
        "_row",
        pl.col("fault").alias("_row_fault"),
        detail.alias("_row_detail"),
        n.cast(pl.Int32).alias("_fields"),
    )
    if cells:
        frame = frame.with_columns(pl.when(pl.col(cells) != "").then(pl.col(cells)))
    by_file = {(0,): frame} if len(texts) == 1 else frame.partition_by(
        "_f", as_dict=True, include_key=False, maintain_order=True)
    out = []
    for f, (_, encoding) in enumerate(texts):
        part = by_file.get((f,), frame.clear())
        width = widths.get(f) or 0
        out.append(Grid(part.select(*cells[:width], "_row", "_row_fault", "_row_detail",
                                    "_fields"), "csv", encoding))
    return out


TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".htm", ".html",
                  ".xml", "")


def read_file(path: Path, data: bytes) -> Grid:
    """The grid of one file, its format told by its bytes (``ingest.sniff``), not its name.

    Text that is not HTML/XML is read as CSV only under a table's name (``.csv``, ``.txt``,
    ``.xls`` …); raises UnreadableFile naming what the file is otherwise.
    """
    got = _open(path, data)
    return got if isinstance(got, Grid) else read_csvs([got])[0]


def read_files(files: list[tuple[Path, bytes]]) -> list[Grid | Exception]:
    """``read_file`` of each file, a failure as that file's exception (not raised); the CSV
    files among them are split in one pass (``read_csvs``), each as if read alone. Should that
    pass fail, each CSV file is read alone."""
    out: list = []
    texts: dict[int, tuple[str, str]] = {}
    for k, (path, data) in enumerate(files):
        try:
            got = _open(path, data)
        except Exception as exc:  # the file's own failure
            got = exc
        if isinstance(got, tuple):
            texts[k] = got
        out.append(got)
    try:
        for k, grid in zip(texts, read_csvs(list(texts.values())), strict=True):
            out[k] = grid
    except Exception:  # one file breaks the common pass: each alone
        for k, text in texts.items():
            try:
                out[k] = read_csvs([text])[0]
            except Exception as exc:
                out[k] = exc
    return out


def _open(path: Path, data: bytes) -> Grid | tuple[str, str]:
    """A workbook's or markup file's grid; for a CSV file its text and encoding, within the
    limits (read by ``read_csvs``)."""
    from ingest.sniff import Foreign, sniff

    try:
        kind = sniff(data)
    except Foreign as exc:
        raise UnreadableFile(str(exc)) from exc
    if kind in ("xlsx", "xlsb", "ods", "xls"):
        from ingest.workbook import read_workbook

        if kind != "xls":
            _within_limits(limits.check_package, data)
        return read_workbook(data, kind)
    if kind in ("html", "xml2003"):
        from ingest.markup import read_markup

        return read_markup(data, kind)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods"):
        raise UnreadableFile(
            f"文件名为{suffix}，但内容不是Excel工作簿（文件损坏或只是改了扩展名） / named "
            f"{suffix} but the content is not a workbook (damaged, or only renamed)")
    if suffix not in TABLE_SUFFIXES:
        raise UnreadableFile(
            f"不支持的文件类型 {suffix}，请另存为 .xlsx 或 .csv / "
            f"unsupported file type {suffix}; save as .xlsx or .csv"
        )
    _within_limits(limits.check_csv, data)
    return decode(data)


def _within_limits(check, data: bytes) -> None:
    """``ingest.limits``' check, its OverLimit as UnreadableFile (before any allocation)."""
    try:
        check(data)
    except limits.OverLimit as exc:
        raise UnreadableFile(str(exc)) from exc


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s
