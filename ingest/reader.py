"""Reading one inbox file into a grid of cell texts (no interpretation yet).

A grid is a polars DataFrame of String columns ``c0 .. cN`` (null for empty cells) and
``_row``, the 1-based row (xlsx) or starting line (csv) number a clerk sees. For xlsx the
grid also knows which cells are Excel numbers/dates (``numeric_cells``), so an ID number
typed as a number can be refused instead of being "fixed".
"""

from __future__ import annotations

import csv
import io
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
        return [c for c in self.frame.columns if c != "_row"]

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
