"""Reading one inbox file into a grid of cell texts (no interpretation yet).

A grid is a polars DataFrame of String columns ``c0 .. cN`` (null for empty cells) and
``_row``, the row number a clerk sees (the sheet's row in a workbook, the line in a CSV, the
table row in an HTML table); optionally ``_sheet`` (the sheet's name) and ``_row_fault`` (null,
or a row reason such as ``hidden_row``/``malformed_row``: stage 1 quarantines such a row as it
is, under that reason, naming no column). Workbook grids also know which cells are numbers
(``numbers``), so an ID number typed as a number can be refused instead of being "fixed", and
a numeric month can be read as an Excel serial date. A workbook's readable sheets are its
``parts``; ``sheets()`` gives the grids a file is made of (data contract v2 §1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl


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


def read_csv(data: bytes) -> Grid:
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    start = 1
    try:
        for rec in reader:
            if any(c.strip() for c in rec):
                rows.append(rec)
                numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(f"CSV格式错误 / malformed CSV near line {start}: {exc}") from exc
    return Grid(_frame(rows, numbers), "csv", encoding)


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
    return read_csv(data)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s
