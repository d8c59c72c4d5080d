"""Reading "Excel" files that are markup: HTML tables and Excel 2003 XML spreadsheets.

Web systems export a table as HTML (often GB2312/GBK, ``<meta charset>``) or as an Excel 2003
XML spreadsheet, and name it ``.xls``; Excel and WPS open both. lxml parses them (never
regular expressions). Each top-level ``<table>`` / visible ``<Worksheet>`` is one part of the
file, like a workbook's sheets. Row numbers are table rows, 1-based, title and header rows
included (data contract v2 §1); ``colspan``/``rowspan`` and ``ss:MergeAcross``/
``ss:MergeDown`` fill every covered cell (a one-row span alone on its row is a title and
keeps its value in its first cell only); a hidden row (``display:none``, ``ss:Hidden="1"``) is
``_row_fault = 'hidden_row'``. XML ``Number`` cells are numbers (``Grid.numbers``); one whose
style shows a percentage is read as the text it shows (``95%``, ``ingest.numfmt``).
"""

from __future__ import annotations

import polars as pl
from lxml import etree, html

from ingest import limits, numfmt
from ingest.reader import Grid, UnreadableFile

SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
X = "{urn:schemas-microsoft-com:office:excel}"


def _text(data: bytes) -> str:
    """Decoded markup: a BOM, else strict UTF-8, else GB18030 (a superset of GB2312/GBK)."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                     (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


class _Sheet:
    """Cells placed by (row, column), with spans filled; rows and columns 0-based."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.extent = (0, 0)  # rows, columns of the cells placed so far
        self.cells: dict[tuple[int, int], str] = {}
        self.nums: dict[tuple[int, int], float] = {}
        self.hidden: set[int] = set()
        self.spans: list[tuple[int, int, int, int]] = []

    def put(self, i: int, j: int, text: str | None, down: int, across: int,
            number: float | None = None) -> None:
        """Place a cell and fill its span; OverLimit before a row index, column index or
        span (ss:Index, MergeDown, rowspan, …) takes the table beyond the sheet limits: a
        file of a few hundred bytes once asked for millions of rows."""
        rows, cols = max(self.extent[0], i + down + 1), max(self.extent[1], j + across + 1)
        if (rows, cols) != self.extent:
            limits.check_extent(rows, cols, "表格范围 extent", self.name)
            self.extent = (rows, cols)
        for a in range(i, i + down + 1):
            for b in range(j, j + across + 1):
                self.cells[(a, b)] = text
                if number is not None:
                    self.nums[(a, b)] = number
        if down or across:
            self.spans.append((i, j, i + down, j + across))

    def grid(self, name: str, kind: str, n_rows: int) -> Grid:
        height, width = max(n_rows, self.extent[0]), self.extent[1]  # every cell came by put
        limits.check_extent(height, max(width, 1), "表格范围 extent", name)  # empty rows too
        filled = []
        for i0, j0, i1, j1 in self.spans:  # a title keeps its value in its first cell only
            if i0 == i1 and all(self.cells.get((i0, j)) in (None, "") for j in range(width)
                                if not j0 <= j <= j1):
                for j in range(j0 + 1, j1 + 1):
                    self.cells[(i0, j)] = None
            else:
                filled.append((i0, j0, i1, j1))
        cols = {f"c{j}": pl.Series(f"c{j}", [self.cells.get((i, j)) or None for i in
                                              range(height)], dtype=pl.String)
                for j in range(width)}
        frame = pl.DataFrame(cols).with_columns(
            pl.int_range(1, height + 1, dtype=pl.Int32).alias("_row"),
            pl.lit(name, pl.String).alias("_sheet"))
        if self.hidden:
            frame = frame.with_columns(pl.when(pl.col("_row").is_in([i + 1 for i in self.hidden]))
                                       .then(pl.lit("hidden_row")).otherwise(None)
                                       .alias("_row_fault"))
        nums = self.nums

        def numbers(wanted: list[int]) -> dict[int, pl.Series]:
            return {j: pl.Series([nums.get((i, j)) for i in range(height)], dtype=pl.Float64)
                    for j in wanted}

        return Grid(frame, kind, None, sheet=name, numbers_of=numbers, merges=filled)


def _free(taken: set, i: int, j: int) -> int:
    while (i, j) in taken:
        j += 1
    return j


def _html_parts(text: str) -> list[Grid]:
    doc = html.document_fromstring(text)
    parts = []
    for t, table in enumerate(doc.xpath("//table[not(ancestor::table)]"), start=1):
        sheet = _Sheet(f"表格{t}")
        rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        for i, tr in enumerate(rows):
            style = (tr.get("style") or "").replace(" ", "").lower()
            if "display:none" in style or tr.get("hidden") is not None:
                sheet.hidden.add(i)
            j = 0
            for td in tr.xpath("./td | ./th"):
                j = _free(sheet.cells.keys(), i, j)
                for br in td.iter("br"):
                    br.tail = "\n" + (br.tail or "")
                value = td.text_content().strip("\r\n")
                down = max(_int(td.get("rowspan"), 1), 1) - 1
                across = max(_int(td.get("colspan"), 1), 1) - 1
                sheet.put(i, j, value, down, across)
                j += across + 1
        parts.append(sheet.grid(f"表格{t}", "html", len(rows)))
    return parts


def _int(value: str | None, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _percent_styles(root) -> set[str]:
    """IDs of the styles whose number format shows a percentage: the named format
    ``Percent`` or a format code ``ingest.numfmt`` calls one (XML Spreadsheet 2003
    ``Style/NumberFormat/@ss:Format``; a style without one has its ``ss:Parent``'s)."""
    formats, parents = {}, {}
    for style in root.iter(f"{SS}Style"):
        sid, fmt = style.get(f"{SS}ID"), style.find(f"{SS}NumberFormat")
        parents[sid] = style.get(f"{SS}Parent")
        if fmt is not None:
            formats[sid] = fmt.get(f"{SS}Format") or ""

    def code(sid: str | None) -> str:  # a style's own format, else its parent's (ss:Parent)
        seen = set()
        while sid is not None and sid not in formats and sid not in seen:
            seen.add(sid)
            sid = parents.get(sid)
        return formats.get(sid, "") if sid is not None else ""

    return {sid for sid in parents
            if (c := code(sid)) == "Percent" or (c and numfmt.is_percent(c))}


def _xml_parts(data: bytes) -> tuple[list[Grid], list[str], bool]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             recover=False)
    root = etree.fromstring(data, parser)
    date1904 = root.find(f"{X}ExcelWorkbook/{X}Date1904") is not None
    percent = _percent_styles(root)
    parts, notes = [], []
    for ws in root.iter(f"{SS}Worksheet"):
        name = ws.get(f"{SS}Name") or f"Sheet{len(parts) + 1}"
        visible = ws.findtext(f"{X}WorksheetOptions/{X}Visible") or "SheetVisible"
        if visible != "SheetVisible":
            notes.append(f"工作表“{name}”为隐藏工作表，未读取 / hidden sheet '{name}' not read")
            continue
        sheet = _Sheet(name)
        i = -1
        n_rows = 0
        for table in ws.iter(f"{SS}Table"):
            for row in table.iter(f"{SS}Row"):
                i = _int(row.get(f"{SS}Index"), i + 2) - 1
                if row.get(f"{SS}Hidden") in ("1", "true"):
                    sheet.hidden.add(i)
                j = -1
                for cell in row.iter(f"{SS}Cell"):
                    j = _free(sheet.cells.keys(), i, _int(cell.get(f"{SS}Index"), j + 2) - 1)
                    d = cell.find(f"{SS}Data")
                    value = "".join(d.itertext()) if d is not None else None
                    number = None
                    if d is not None and d.get(f"{SS}Type") == "Number":
                        try:
                            number = float(value)
                        except (TypeError, ValueError):
                            number = None
                        if cell.get(f"{SS}StyleID") in percent:  # read as shown, not a number
                            value, number = numfmt.shown_percent(value), None
                    across = _int(cell.get(f"{SS}MergeAcross"), 0)
                    down = _int(cell.get(f"{SS}MergeDown"), 0)
                    sheet.put(i, j, value, down, across, number)
                    j += across
                n_rows = max(n_rows, i + 1)
        if sheet.cells:
            grid = sheet.grid(name, "xml2003", n_rows)
            grid.date1904 = date1904
            parts.append(grid)
    return parts, notes, date1904


def read_markup(data: bytes, kind: str) -> Grid:
    """The tables of an HTML page or the visible sheets of an Excel 2003 XML spreadsheet."""
    notes: list[str] = []
    try:
        if kind == "html":
            parts = _html_parts(_text(data))
        else:
            parts, notes, _ = _xml_parts(data)
    except limits.OverLimit as exc:
        raise UnreadableFile(str(exc)) from exc
    except (etree.LxmlError, ValueError) as exc:
        what = "HTML表格" if kind == "html" else "Excel 2003 XML表格"
        raise UnreadableFile(f"无法解析{what}（文件损坏） / cannot parse the {kind} table: "
                             f"{type(exc).__name__}") from exc
    parts = [p for p in parts if p.frame.height]
    if not parts:
        raise UnreadableFile("文件中没有表格 / the file holds no table")
    top = parts[0]
    return Grid(top.frame, kind, None, sheet=top.sheet,
                date1904=top.date1904, numbers_of=top.numbers_of, parts=parts, notes=notes,
                merges=top.merges)
