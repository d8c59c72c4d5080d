"""Reading one inbox file into a grid of cell texts (no interpretation yet).

A grid is a polars DataFrame of String columns ``c0 .. cN`` (null for empty cells) and
``_row``, the 1-based row (xlsx) or starting line (csv) number a clerk sees. For xlsx the
grid also knows which cells are Excel numbers/dates (``numeric_cells``), so an ID number
typed as a number can be refused instead of being "fixed".

Optional row columns: ``_row_fault`` (null or a reason code: the row is quarantined under it
by stage 1, naming no column), ``_row_detail`` (the clerk's text for that fault) and, for
CSV, ``_fields`` (the line's field count, checked against the header's by the layout).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl


class UnreadableFile(Exception):
    """The file cannot be read at all (reason ``unreadable_file``)."""


@dataclass
class Grid:
    frame: pl.DataFrame
    format: str  # xlsx | csv
    encoding: str | None
    _xlsx: object | None = field(default=None, repr=False)  # the fastexcel reader

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if not c.startswith("_")]

    def numeric_cells(self, index: int) -> pl.Series:
        """Per grid row: is the cell of column ``index`` an Excel number (xlsx only)?

        calamine converts only number (and boolean) cells to booleans; text cells give null.
        """
        n = self.frame.height
        if self._xlsx is None:
            return pl.Series([False] * n, dtype=pl.Boolean)
        sheet = self._xlsx.load_sheet(
            0, header_row=None, skip_rows=0, dtypes="boolean", use_columns=[index]
        )
        typed = pl.from_arrow(sheet.to_arrow()).to_series(0).is_not_null()
        if typed.len() < n:
            typed = typed.extend_constant(False, n - typed.len())
        return typed.head(n)


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


def read_xlsx(data: bytes) -> Grid:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        if not reader.sheet_names:
            raise UnreadableFile("工作簿没有工作表 / workbook has no sheet")
        sheet = reader.load_sheet(0, header_row=None, skip_rows=0, dtypes="string")
        frame = pl.from_arrow(sheet.to_arrow())
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine/zip/xml errors: the file is damaged or not xlsx
        raise UnreadableFile(
            f"无法打开Excel文件（文件损坏或不是xlsx） / cannot open as xlsx: {type(exc).__name__}"
        ) from exc
    if isinstance(frame, pl.Series):
        frame = frame.to_frame()
    frame = frame.rename({c: f"c{j}" for j, c in enumerate(frame.columns)})
    frame = frame.with_columns(pl.all().cast(pl.String))
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int32).alias("_row"))
    return Grid(frame, "xlsx", None, _xlsx=reader)


def read_file(path: Path, data: bytes) -> Grid:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(data)
    if suffix == ".xlsx":
        return read_xlsx(data)
    raise UnreadableFile(
        f"不支持的文件类型 {suffix or '(无扩展名)'}，请另存为 .xlsx 或 .csv / "
        f"unsupported file type {suffix or '(none)'}; save as .xlsx or .csv"
    )


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s
