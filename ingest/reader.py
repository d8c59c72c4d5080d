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


def decode(data: bytes) -> tuple[str, str]:
    """Strict UTF-8 (with or without BOM), else GB18030; else UnreadableFile."""
    if b"\x00" in data:
        raise UnreadableFile("文件含二进制内容（不是文本CSV） / file holds binary data, not CSV text")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UnreadableFile("文件有UTF-8标记但内容不是UTF-8 / UTF-8 BOM but invalid UTF-8") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "无法识别文件编码（既不是UTF-8也不是GB18030/GBK） / "
            "encoding is neither UTF-8 nor GB18030/GBK"
        ) from exc


def _frame(rows: list[list[str | None]], row_numbers: list[int]) -> pl.DataFrame:
    width = max((len(r) for r in rows), default=0)
    cols: dict[str, list] = {f"c{j}": [] for j in range(width)}
    for r in rows:
        for j in range(width):
            v = r[j] if j < len(r) else None
            cols[f"c{j}"].append(v if v not in ("", None) else None)
    data = {k: pl.Series(k, v, dtype=pl.String) for k, v in cols.items()}
    data["_row"] = pl.Series("_row", row_numbers, dtype=pl.Int32)
    return pl.DataFrame(data)


_FIELD = r'(?:"(?:[^"]|"")*"|="[^"\r\n]*"|[^",\r\n]*)'  # quoted | ="text" marker | bare
_RECORD = re.compile(f"{_FIELD}(?:,{_FIELD})*")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
MAX_SPAN = 50  # physical lines one quoted field may span


def _fields(record: str) -> list[str] | None:
    """The fields of one record text (RFC 4180: a field is bare, or wholly quoted with inner
    quotes doubled; also the export marker ``="…"`` as a bare field), or None when the text
    is no such record (a stray or unclosed quote)."""
    if not _RECORD.fullmatch(record):
        return None
    return next(csv.reader(io.StringIO(record, newline="")), [""])


def _line_fields(line: str) -> list[str] | None:
    """``_fields`` of one line, with a fast path for the usual line without quotes."""
    return line.split(",") if '"' not in line else _fields(line)


def _width(alone: list[list[str] | None]) -> int | None:
    """The field count of the file's records: the most common count of the lines that are
    records of two or more fields on their own (ties: the larger), None if there is none."""
    counts = Counter(len(f) for f in alone if f is not None and len(f) > 1)
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], n))


def split_records(text: str) -> list[tuple[int, list[str], str | None]]:
    """(first line number, cells, fault) per non-empty record of CSV text.

    A record is one physical line, except that a quoted field may span lines when the joined
    lines form one record of exactly the file's field count (``_width``) and no continuation
    line is itself a record of that count. A line that is no record (a stray or unclosed
    quote) is ``malformed_row`` on its own: its cells are the line split at every comma, and
    it never takes other lines with it. Field counts against the header are checked later,
    by ``layout.locate`` (the reader does not know which line is the header).
    """
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    alone = [_line_fields(line) for line in lines]
    width = _width(alone)
    out: list[tuple[int, list[str], str | None]] = []
    i = 0
    while i < len(lines):
        cells, end = alone[i], i
        if cells is None and width is not None:
            for j in range(i + 1, min(i + MAX_SPAN, len(lines))):
                if alone[j] is not None and len(alone[j]) == width:
                    break  # line j starts a record of its own
                joined = _fields("\n".join(lines[i:j + 1]))
                if joined is not None:
                    if len(joined) == width:
                        cells, end = joined, j
                    break
        fault = None
        if cells is None:
            cells, fault = lines[i].split(","), "malformed_row"
        if fault or any(c.strip() for c in cells):
            out.append((i + 1, cells, fault))
        i = end + 1
    return out


def read_csv(data: bytes) -> Grid:
    """Grid of a CSV file; lines that are no record carry ``_row_fault`` = malformed_row and
    ``_row_detail`` (plain Chinese for the clerk), and ``_fields`` is each record's field
    count. Rows are numbered by their first physical line."""
    text, encoding = decode(data)
    records = split_records(text)
    frame = _frame([r[1] for r in records], [r[0] for r in records])
    faults = [r[2] for r in records]
    details = [None if f is None else f"第{n}行引号不成对，无法拆分为各列，未计入；请检查该行的"
               f"引号 / line {n}: unbalanced quote, the line cannot be split into fields"
               for n, _, f in records]
    frame = frame.with_columns(
        pl.Series("_row_fault", faults, dtype=pl.String),
        pl.Series("_row_detail", details, dtype=pl.String),
        pl.Series("_fields", [len(r[1]) for r in records], dtype=pl.Int32),
    )
    return Grid(frame, "csv", encoding)


TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".htm", ".html",
                  ".xml", "")


def read_file(path: Path, data: bytes) -> Grid:
    """The grid of one file, its format told by its bytes (``ingest.sniff``), not its name.

    Text that is not HTML/XML is read as CSV only under a table's name (``.csv``, ``.txt``,
    ``.xls`` …); raises UnreadableFile naming what the file is otherwise.
    """
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
    return read_csv(data)


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
