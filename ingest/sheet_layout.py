"""Finding the header row, the data rows, total rows and the end of the data in a grid."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import polars as pl

from ingest.contract import Source
from ingest.reader import Grid, column_letter
from ingest.values import clean_cells

# polars' engine for the few lazy queries of stage 1: polars' in-memory engine, the one its
# eager calls use (the default engine costs more per query on the small frames of one file)
ENGINE = "in-memory"
HEADER_SEARCH = 200  # the header row is looked for among the first rows of a sheet
TOTAL_PREFIXES = ("合计", "总计", "小计")
END_PREFIXES = ("制表人", "审核人", "填报日期", "负责人", "备注:", "填表人", "填报人", "制表日期",
                "单位负责人")


def norm_header(text: str) -> str:
    """Header cell for matching: NFKC (（）-> ()), no line breaks, stripped, lower-case."""
    s = unicodedata.normalize("NFKC", str(text)).replace("\r", "").replace("\n", "")
    return s.strip().lower()


def header_lookup(source: Source) -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    nospace: dict[str, str] = {}
    for col in source.columns:
        for h in col.headers:
            exact.setdefault(norm_header(h), col.name)
            nospace.setdefault("".join(norm_header(h).split()), col.name)
    return exact, nospace


@dataclass
class Fault:
    reason: str
    column: str | None
    detail: str


@dataclass
class Layout:
    header_row: int | None
    mapping: dict[str, int]  # contract column -> grid column index
    labels: dict[int, str]  # grid column index -> label in `original` / `_extra`
    data: pl.DataFrame  # data rows: grid columns, _row, _seg
    totals: pl.DataFrame  # total rows: grid columns, _row, _seg, _kind
    fault: Fault | None = None
    notes: list[str] = field(default_factory=list)


def _match(cells: tuple, exact: dict[str, str], nospace: dict[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, cell in enumerate(cells):
        if cell is None:
            continue
        name = _name(cell, exact, nospace)
        if name and name not in found:
            found[name] = j
    return found


def _name(text: str, exact: dict[str, str], nospace: dict[str, str]) -> str | None:
    h = norm_header(text)
    return exact.get(h) or nospace.get("".join(h.split()))


def is_title(cells: tuple, width: int) -> bool:
    """A title row: one text across the whole table width (a merged range arrives filled in
    every cell it covers) or a single cell in the first column (a CSV line of one text)."""
    texts = [(j, c) for j, c in enumerate(cells[:width]) if c is not None]
    if not texts or len({c for _, c in texts}) > 1:
        return False
    return len(texts) >= max(width, 2) or texts[0][0] == 0 and len(texts) == 1


def _candidates(stack: list[str | None], filled: list[str | None]) -> list[str]:
    """Names a header column may have, best first: its lowest non-empty cell alone, then its
    cells joined top-down (from each header row down; repeats of a cell merged down count
    once), then the same with an empty group cell taking the group text from its left."""
    out = [next((c for c in reversed(stack) if c is not None), None)]
    for cells in (stack, filled):
        for top in range(len(cells) - 1):
            parts: list[str] = []
            for c in cells[top:]:
                if c is not None and (not parts or parts[-1] != c):
                    parts.append(c)
            out.append("".join(parts) if parts else None)
    return [c for c in out if c]


def header_names(block: list[tuple], exact: dict[str, str], nospace: dict[str, str]
                 ) -> tuple[dict[str, int], list[str | None]]:
    """(contract column -> grid column, label per grid column) of a header of 1–3 rows.

    Data contract v2 §1: a column's name is its cells joined top-down, or its lowest cell
    alone when that alone is a column name. Group cells of CSV files, which know no merged
    ranges, stand only over the first column of their group: an empty group cell over a
    column whose lowest cell alone is no name takes the group text from its left.
    """
    width = max(len(r) for r in block)
    rows = [tuple(r) + (None,) * (width - len(r)) for r in block]
    filled = [list(r) for r in rows]
    for r in filled[:-1]:
        for j in range(1, width):
            if r[j] is None:
                r[j] = r[j - 1]
    found: dict[str, int] = {}
    labels: list[str | None] = []
    for j in range(width):
        stack = [r[j] for r in rows]
        options = _candidates(stack, [r[j] for r in filled])
        for text in options:
            name = _name(text, exact, nospace)
            if name and name not in found:
                found[name] = j
                labels.append(text)
                break
        else:
            parts = [c for k, c in enumerate(stack) if c is not None and c not in stack[:k]]
            labels.append("".join(parts) or None)
    return found, labels


def find_header(rows: list[tuple], width: int, source: Source
                ) -> tuple[int, int, dict[str, int], list[str | None]] | None:
    """(first header row, last header row, mapping, labels), 0-based grid rows, or None.

    The header is the first row that, alone or as the lowest row of two or three header rows
    (no title among them), holds at least half of the source's required column names; the
    one or two rows below it join the header when they add column names (the lower rows of
    grouped columns; the deepest header of three rows at most that adds the most names).
    """
    exact, nospace = header_lookup(source)
    required = {c.name for c in source.required_columns}

    def ok(found: dict) -> bool:
        return bool(found.keys() & required) and 2 * len(required & found.keys()) >= len(required)

    def block(top: int, bottom: int):
        if top < 0 or bottom >= len(rows) or any(is_title(rows[k], width)
                                                 for k in range(top, bottom + 1)):
            return None
        return header_names(rows[top:bottom + 1], exact, nospace)

    for i in range(min(len(rows), HEADER_SEARCH)):
        options = [(top, b) for top in (i, i - 1, i - 2) if (b := block(top, i)) and ok(b[0])]
        if not options:
            continue
        top, (found, labels) = max(options, key=lambda o: (len(o[1][0]), o[0]))
        bottom = i
        for lower in range(i + 1, top + 3):
            more = block(top, lower)
            if more and len(more[0]) > len(found):
                bottom, (found, labels) = lower, more
        return top, bottom, found, labels
    return None


def _labels(header: tuple | None, frame: pl.DataFrame, cols: list[str]) -> dict[int, str]:
    labels: dict[int, str] = {}
    seen: set[str] = set()
    nonempty = frame.select(pl.col(cols).is_not_null().any()).row(0) if frame.height else ()
    for j, _ in enumerate(cols):
        text = header[j].strip() if header and header[j] and header[j].strip() else None
        if text is None:
            if not (nonempty and nonempty[j]):
                continue
            text = f"列{column_letter(j)}"
        label, k = text, 2
        while label in seen:
            label, k = f"{text}#{k}", k + 1
        seen.add(label)
        labels[j] = label
    return labels


def _field_count_faults(data: pl.DataFrame, frame: pl.DataFrame, header_idx: int,
                        header: list[str | None]) -> pl.DataFrame:
    """CSV lines with too few or too many fields for the header are malformed_row.

    Too few: the line ends before the header's last named column. Too many: the line has
    more fields than the header line (a header line may end in empty fields; a data line
    may not exceed it). Lines already faulted by the reader keep their fault.
    """
    named = max((j + 1 for j, c in enumerate(header) if c), default=0)
    most = max(int(frame["_fields"][header_idx]), named)
    n = pl.col("_fields")
    bad = (n < named) | (n > most)
    line = pl.col("_row").cast(pl.String)
    detail = (pl.lit("第") + line + pl.lit("行有") + n.cast(pl.String) + pl.lit(
        f"列，表头有{named}列（逗号多了或少了），未计入；请检查该行的逗号和引号 / line ") + line
        + pl.lit(": ") + n.cast(pl.String) + pl.lit(f" fields, the header has {named}"))
    fault = pl.col("_row_fault") if "_row_fault" in data.columns else pl.lit(None, pl.String)
    old = pl.col("_row_detail") if "_row_detail" in data.columns else pl.lit(None, pl.String)
    return data.with_columns(
        pl.when(fault.is_null() & bad).then(pl.lit("malformed_row")).otherwise(fault)
        .alias("_row_fault"),
        pl.when(fault.is_null() & bad).then(detail).otherwise(old).alias("_row_detail"),
    )


def row_marks(frame: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    """``frame`` (cleaned cells ``cols``) with what each row's first non-empty cell says:
    ``_first`` (that cell, NFKC, without whitespace; null for a row with no text), ``_end``
    (it starts with an end marker such as 制表人) and ``_kind`` (合计 for 合计/总计, 小计, or
    null: the total rows). A function of each row's cells alone."""
    first = pl.coalesce([pl.col(c) for c in cols]) if cols else pl.lit(None, pl.String)
    frame = frame.with_columns(first.str.normalize("NFKC").str.replace_all(r"\s", "")
                               .alias("_first"))
    total_kind = pl.when(pl.col("_first").str.starts_with("小计")).then(pl.lit("小计"))
    for p in ("合计", "总计"):
        total_kind = total_kind.when(pl.col("_first").str.starts_with(p)).then(pl.lit("合计"))
    return frame.with_columns(
        pl.any_horizontal(pl.col("_first").str.starts_with(p) for p in END_PREFIXES)
        .fill_null(False).alias("_end"),
        total_kind.otherwise(None).alias("_kind"))


def clean_sheets(grids: list[Grid]) -> list[pl.DataFrame]:
    """The frames of ``grids`` with their cells cleaned (``values.clean_cells``), in one pass
    over the cells of all of them where there are several: each pass of the cleaning changes
    only the cells that need it, one cell at a time, so a cell cleaned among the cells of
    other sheets is what it is cleaned alone. With them, each row's ``row_marks``. A grid with
    a cell column that is not text is cleaned alone (as ``clean_cells`` takes it)."""
    text = [all(g.frame.schema[c] == pl.String for c in g.columns) for g in grids]
    together = [g for g, ok in zip(grids, text, strict=True) if ok]
    out = {}
    if len(together) > 1:
        cols = sorted({c for g in together for c in g.columns}, key=lambda c: int(c[1:]))
        cells = row_marks(clean_cells(pl.concat(
            [g.frame.lazy().select(g.columns) for g in together], how="diagonal"
        ).collect(engine=ENGINE),
            cols), cols)
        at = 0
        for g in together:
            part = cells.slice(at, g.frame.height)
            at += g.frame.height
            out[id(g)] = g.frame.with_columns(
                part.select(*g.columns, "_first", "_end", "_kind").get_columns())
    return [out[id(g)] if id(g) in out else clean_cells(g.frame, g.columns) for g in grids]


def locate(grid: Grid, source: Source, cleaned: pl.DataFrame | None = None) -> Layout:
    """Header, data rows and total rows of a grid, its cells cleaned (``values.clean_cells``;
    ``cleaned``: the grid's frame cleaned already, by ``clean_sheets``).

    Data rows of a CSV whose field count does not fit the header's get ``_row_fault`` =
    malformed_row (see ``_field_count_faults``).
    """
    cols = grid.columns
    frame = clean_cells(grid.frame, cols) if cleaned is None else cleaned
    header_idx, mapping, header = None, {}, None
    hit = find_header(list(frame.head(HEADER_SEARCH).select(cols).iter_rows()), len(cols),
                      source)
    if hit:
        _, header_idx, mapping, header = hit
    if "_first" not in frame.columns:
        frame = row_marks(frame, cols)
    body = frame if header_idx is None else frame.slice(header_idx + 1)
    keep = pl.col("_first").is_not_null()
    if "_row_fault" in body.columns:  # a faulted row is a row read, even with no text left
        keep = keep | pl.col("_row_fault").is_not_null()
    # the rows above the first end row (制表人 …), if there is one
    body = body.filter(keep & (pl.col("_end").cast(pl.Int32).cum_sum() == 0))
    is_total = pl.col("_kind").is_not_null()
    body = body.with_columns(
        (is_total.cast(pl.Int32).cum_sum() - is_total.cast(pl.Int32)).alias("_seg")
    )
    data = body.filter(~is_total).drop("_first", "_kind", "_end")
    if header_idx is not None and "_fields" in data.columns:
        data = _field_count_faults(data, frame, header_idx, header)
    totals = body.filter(is_total).drop("_first", "_end")
    labels = _labels(header, data, cols)
    layout = Layout(
        header_row=None if header_idx is None else int(frame["_row"][header_idx]),
        mapping=mapping, labels=labels, data=data, totals=totals,
    )
    if header_idx is None:
        names = "、".join(f"{c.zh}({c.name})" for c in source.required_columns)
        layout.fault = Fault(
            "missing_column", None,
            f"找不到表头行：没有一行包含至少一半的必填列名（{names}） / no header row found: "
            f"no row holds at least half of the required column names",
        )
        return layout
    missing = [c for c in source.required_columns if c.name not in mapping]
    if missing:
        zh = "、".join(f"{c.zh}({c.name})" for c in missing)
        layout.fault = Fault(
            "missing_column", missing[0].name,
            f"表头（第{layout.header_row}行）缺少必填列：{zh} / header row {layout.header_row} "
            f"lacks required column(s): {', '.join(c.name for c in missing)}",
        )
    return layout
