"""Reading a workbook (xlsx, xlsm, xls, xlsb, ods) into one grid per readable sheet.

calamine (through fastexcel) reads the cells and the sheet visibility of every format. For
xlsx/xlsm, ods (``ingest.sheetxml``) and BIFF8 xls (``ingest.biff``), the facts calamine does
not expose come from the file itself: the date system (ods has typed dates),
hidden rows (-> ``_row_fault = 'hidden_row'``), merged ranges (filled) and number cells of
a percentage format (read as the text they show, ``95%``: ``ingest.numfmt``). ``_row`` is the
sheet's own row number (fastexcel with ``skip_rows=0`` keeps the leading empty rows; the grid's
first column is the first used one). For xlsb and Excel-95 xls calamine gives none of
these facts: hidden rows are read as data, merged cells keep their value in the top-left cell
only, and numeric dates use the 1900 system (see docs/ingest.md).
"""

from __future__ import annotations

import re

import polars as pl

from ingest import biff, numfmt, sheetxml
from ingest.reader import Grid, UnreadableFile
from ingest.values import EXCEL_ERRORS

KIND_ZH = {"xlsx": "Excel(xlsx)", "xlsb": "Excel二进制(xlsb)", "xls": "Excel 97-2003(xls)",
           "ods": "OpenDocument(ods)"}


def _fill_plan(merges: list[tuple[int, int, int, int]], frame: pl.DataFrame, first_row: int,
               first_col: int) -> list[tuple[int, int, int, int]]:
    """Merged ranges in frame coordinates (i0, j0, i1, j1), clipped; title merges dropped.

    A merge on one row whose row holds no other value is a title or a section caption
    (``2026年6月城市低保资金发放名册`` over the whole table): it keeps its value in its first
    cell only, so it never looks like a row of repeated values (data contract v2 §1).
    """
    n, width = frame.height, len(frame.columns)
    plan = []
    for r0, c0, r1, c1 in merges:
        i0, i1, j0, j1 = r0 - first_row, r1 - first_row, c0 - first_col, c1 - first_col
        if i1 < 0 or i0 >= n or j1 < 0 or j0 >= width or i0 < 0 or j0 < 0:
            continue  # the top-left cell lies outside the read range: nothing to give
        i1, j1 = min(i1, n - 1), min(j1, width - 1)
        if i0 == i1:
            row = frame.row(i0)
            if all(row[j] is None for j in range(width) if not j0 <= j <= j1):
                continue
        plan.append((i0, j0, i1, j1))
    return plan


def fill_merges(series: list[pl.Series], plan: list[tuple[int, int, int, int]]) -> list[pl.Series]:
    """Give each merged range's top-left value to every cell it covers (columns by index)."""
    if not plan:
        return series
    touched = {j for _, j0, _, j1 in plan for j in range(j0, j1 + 1)}
    cols = {j: series[j].to_list() for j in touched}
    for i0, j0, i1, j1 in plan:
        value = cols[j0][i0]
        for j in range(j0, j1 + 1):
            cols[j][i0:i1 + 1] = [value] * (i1 - i0 + 1)
    return [pl.Series(s.name, cols[j], dtype=s.dtype) if j in cols else s
            for j, s in enumerate(series)]


def _error_texts(frame: pl.DataFrame, errors: list) -> pl.DataFrame:
    """The grid with each cell calamine could not give as text (an Excel error value: #N/A,
    #DIV/0!, …; fastexcel's CellError, at (row, column) of the grid) holding the text Excel
    shows for it, where it had none. A number, date or code column then refuses it with
    its own reason (data contract: anything else non-numeric in a numeric column is a row
    error); left empty, an optional column loaded NULL. A text column takes it for empty
    (values.clean_text)."""
    by_column: dict[int, dict[int, str]] = {}
    for error in errors:
        i, j = error.offset_position
        name = re.search(r"Error\((\w+)\)", error.detail)
        text = EXCEL_ERRORS.get(name[1], f"#{name[1].upper()}") if name else "#ERROR"
        by_column.setdefault(j, {})[i] = text
    columns = frame.get_columns()
    for j, cells in by_column.items():
        values = columns[j].cast(pl.String).to_list()
        for i, text in cells.items():
            values[i] = text
        columns[j] = pl.Series(columns[j].name, values, dtype=pl.String)
    return pl.DataFrame(columns)


def _percent_texts(frame: pl.DataFrame, ranges: list[tuple[int, int, int, int]],
                   first_row: int, first_col: int) -> pl.DataFrame:
    """The grid with each number cell of a percentage format (``ranges``: (r0, c0, r1, c1),
    1-based sheet rows, 0-based sheet columns, a cell being a range of one) holding the text
    the format shows (``numfmt.shown_percent``: 0.95 -> ``95%``), before merged ranges are
    filled. A range's empty cells stay empty."""
    height, width = frame.height, frame.width
    rows_of: dict[int, list[range]] = {}
    for r0, c0, r1, c1 in ranges:
        rows = range(max(r0 - first_row, 0), min(r1 - first_row, height - 1) + 1)
        for j in range(max(c0 - first_col, 0), min(c1 - first_col, width - 1) + 1):
            rows_of.setdefault(j, []).append(rows)
    columns = frame.get_columns()
    shown = numfmt.shown_percent
    for j, spans in rows_of.items():
        texts = columns[j].cast(pl.String).to_list()
        for rows in spans:
            for i in rows:
                if texts[i] is not None:
                    texts[i] = shown(texts[i])
        columns[j] = pl.Series(columns[j].name, texts, dtype=pl.String)
    return pl.DataFrame(columns)


def _sheet_grid(reader, index: int, name: str, kind: str, facts, date1904: bool
                ) -> tuple[Grid | None, str]:
    """(the sheet's grid, None when it holds no cell; its visibility)."""
    sheet = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
    visible = str(sheet.visible).lower()
    batch, errors = sheet.to_arrow_with_errors()
    frame = pl.from_arrow(batch)
    if isinstance(frame, pl.Series):
        frame = frame.to_frame()
    if errors is not None:
        frame = _error_texts(frame, errors.errors)
    if frame.height == 0 or not frame.width or visible != "visible":
        return None, visible
    first_col = min((c.absolute_index for c in sheet.available_columns()), default=0)
    first_row = 1  # skip_rows=0: the grid starts at the sheet's row 1
    if facts and facts.percent:
        frame = _percent_texts(frame, facts.percent, first_row, first_col)
    frame = frame.rename({c: f"c{j}" for j, c in enumerate(frame.columns)})
    frame = frame.with_columns(pl.all().cast(pl.String))
    plan = _fill_plan(facts.merges, frame, first_row, first_col) if facts else []
    frame = pl.DataFrame(fill_merges(frame.get_columns(), plan))
    rows = pl.int_range(first_row, first_row + frame.height, dtype=pl.Int32)
    frame = frame.with_columns(rows.alias("_row"), pl.lit(name, pl.String).alias("_sheet"))
    if facts and facts.hidden_rows:
        hidden = pl.col("_row").is_in(sorted(facts.hidden_rows))
        frame = frame.with_columns(
            pl.when(hidden).then(pl.lit("hidden_row")).otherwise(None).alias("_row_fault"))
    height = frame.height

    def numbers(wanted: list[int]) -> dict[int, pl.Series]:
        """Number cells of the columns ``wanted`` as Float64 (text, date, empty: null).

        One calamine read as booleans tells number cells (text gives null there; a date cell
        too); the value is the number as calamine renders it in the text grid. Merged ranges
        are filled like the text.
        """
        col_plan = [p for p in plan if any(p[1] <= j <= p[3] for j in wanted)]
        need = sorted(set(wanted) | {p[1] for p in col_plan})
        # the grid's column j is the sheet's column first_col + j (use_columns counts from
        # the sheet's column A; a table not starting there once read the wrong columns)
        typed = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="boolean",
                                  use_columns=[first_col + j for j in need])
        table = pl.from_arrow(typed.to_arrow())
        if isinstance(table, pl.Series):
            table = table.to_frame()
        blank = pl.Series([None] * height, dtype=pl.Boolean)
        flags = [blank] * (max(need) + 1)
        for j, s in zip(need, table.get_columns(), strict=True):
            s = s.cast(pl.Boolean)
            if s.len() < height:
                s = s.extend_constant(None, height - s.len())
            flags[j] = s.head(height)
        flags = fill_merges(flags, col_plan)
        return {j: frame.select(pl.when(pl.lit(flags[j]).is_not_null()).then(
            pl.col(f"c{j}").cast(pl.Float64, strict=False))).to_series() for j in wanted}

    grid = Grid(frame, kind, None, sheet=name, date1904=date1904, numbers_of=numbers)
    grid.merges = plan
    return grid, visible


def read_workbook(data: bytes, kind: str) -> Grid:
    """Every visible sheet with cells, in order, as ``Grid.parts`` (data contract v2 §1)."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        names = list(reader.sheet_names)
        book = facts_of = None
        if kind == "xlsx":
            zf = sheetxml.open_package(data)
            book = sheetxml.book_facts(zf)
            facts_of = {n: sheetxml.sheet_facts(zf, book.paths[n], book.percent_styles) for n in names
                        if book.states.get(n, "visible") == "visible" and n in book.paths}
        elif kind == "xls":
            book, facts_of = biff.book_facts(data) or (None, None)
        elif kind == "ods":
            facts_of = sheetxml.ods_facts(sheetxml.open_package(data))
        parts, notes, tab = [], [], 0
        for i, name in enumerate(names):
            if book is not None and book.states.get(name, "visible") != "visible":
                notes.append(f"工作表“{name}”为隐藏工作表，未读取 / hidden sheet '{name}' not read")
                continue
            grid, visible = _sheet_grid(reader, i, name, kind, (facts_of or {}).get(name),
                                        bool(book and book.date1904))
            if visible != "visible":
                notes.append(f"工作表“{name}”为隐藏工作表，未读取 / hidden sheet '{name}' not read")
                continue
            tab += 1
            if grid is not None:
                grid.position = tab
                parts.append(grid)
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine/zip/xml errors: the file is damaged
        if kind == "xlsx":  # today's words, kept
            raise UnreadableFile(f"无法打开Excel文件（文件损坏或不是xlsx） / cannot open as xlsx: "
                                 f"{type(exc).__name__}") from exc
        raise UnreadableFile(
            f"无法打开{KIND_ZH.get(kind, kind)}工作簿（文件损坏或加密） / cannot open the "
            f"{kind} workbook (damaged or encrypted): {type(exc).__name__}"
        ) from exc
    if not names:
        raise UnreadableFile("工作簿没有工作表 / workbook has no sheet")
    empty = pl.DataFrame({"_row": pl.Series([], dtype=pl.Int32)})
    top = parts[0] if parts else Grid(empty, kind, None)
    return Grid(top.frame, kind, None, sheet=top.sheet, date1904=top.date1904,
                numbers_of=top.numbers_of, parts=parts, notes=notes, merges=top.merges)

