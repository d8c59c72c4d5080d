"""Finding the header row, the data rows, total rows and the end of the data in a grid."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ingest.contract import Source
from ingest.reader import Grid, column_letter
from ingest.values import clean_cells

# polars' engine for the few lazy queries of stage 1: polars' in-memory engine, the one its
# eager calls use (the default engine costs more per query on the small frames of one file)
ENGINE = "in-memory"
HEADER_SEARCH = 200  # the header row is looked for among the first rows of a sheet
HEADER_FIRST = 16  # … and among these first (it is nearly always there): see _headers
TOTAL_PREFIXES = ("合计", "总计", "小计")
END_PREFIXES = ("制表人", "审核人", "填报日期", "负责人", "备注:", "填表人", "填报人", "制表日期",
                "单位负责人")


def norm_header(text: str) -> str:
    """Header cell for matching: NFKC (（）-> ()), no line breaks, stripped, lower-case."""
    return _norm_header(str(text))


@functools.lru_cache(maxsize=8192)  # a source's files repeat the same header texts
def _norm_header(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).replace("\r", "").replace("\n", "")
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


def find_header(rows: list[tuple], width: int, source: Source, lookup: tuple | None = None,
                memo: dict | None = None
                ) -> tuple[int, int, dict[str, int], list[str | None]] | None:
    """(first header row, last header row, mapping, labels), 0-based grid rows, or None.

    The header is the first row that, alone or as the lowest row of two or three header rows
    (no title among them), holds at least half of the source's required column names; the
    one or two rows below it join the header when they add column names (the lower rows of
    grouped columns; the deepest header of three rows at most that adds the most names).
    ``lookup``: ``header_lookup(source)``, made already; ``memo``: the names of the header
    blocks seen already, kept between calls for the sheets of **one** source (its key is the
    block's cells alone; the files of a source repeat their header); copies are returned.
    """
    exact, nospace = lookup or header_lookup(source)
    memo = {} if memo is None else memo
    required = {c.name for c in source.required_columns}

    def ok(found: dict) -> bool:
        return bool(found.keys() & required) and 2 * len(required & found.keys()) >= len(required)

    def block(top: int, bottom: int):
        if top < 0 or bottom >= len(rows) or any(is_title(rows[k], width)
                                                 for k in range(top, bottom + 1)):
            return None
        cells = tuple(rows[top:bottom + 1])
        if cells not in memo:
            memo[cells] = header_names(list(cells), exact, nospace)
        found, labels = memo[cells]
        return dict(found), list(labels)

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


def _labels(header: list[str | None] | None, nonempty: tuple, cols: list[str]
            ) -> dict[int, str]:
    """Per grid column index, its label in ``_original``/``_extra``: its header text, else
    ``列X`` where some data row has a cell in it (``nonempty``: per column of ``cols``, is any
    data cell filled; () for no data row); repeats get ``#2``, ``#3`` …"""
    labels: dict[int, str] = {}
    seen: set[str] = set()
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


def _field_count_faults(data: pl.DataFrame) -> pl.DataFrame:
    """CSV lines with too few or too many fields for the header are malformed_row.

    Too few: the line ends before the header's last named column. Too many: the line has
    more fields than the header line (a header line may end in empty fields; a data line
    may not exceed it). Lines already faulted by the reader keep their fault. Per row, its
    sheet's header facts: ``_named`` (1 + the last named column; null: the sheet has no
    header, nothing to check) and ``_most`` (the most fields a line may have).
    """
    named, n = pl.col("_named"), pl.col("_fields")
    bad = ((n < named) | (n > pl.col("_most"))).fill_null(False)
    line = pl.col("_row").cast(pl.String)
    detail = (pl.lit("第") + line + pl.lit("行有") + n.cast(pl.String) + pl.lit("列，表头有")
              + named.cast(pl.String) + pl.lit("列（逗号多了或少了），未计入；请检查该行的逗号和引号"
                                              " / line ") + line
              + pl.lit(": ") + n.cast(pl.String) + pl.lit(" fields, the header has ")
              + named.cast(pl.String))
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


def locate(grid: Grid, source: Source) -> Layout:
    """Header, data rows and total rows of a grid, its cells cleaned (``values.clean_cells``):
    ``locate_many`` of one grid."""
    return locate_many([grid], source)[0]


def locate_many(grids: list[Grid], source: Source) -> list[Layout]:
    """Per grid, its header, data rows and total rows (``Layout``), in the order given.

    The grids whose frames have the same schema (column names, order and dtypes), every
    cell column text, are taken together (issue 18: the per-sheet cost of a group's small
    files): their rows in one frame (``_part`` the grid, ``_pos`` the row's place in it),
    their cells cleaned (``values.clean_cells``) and each row marked (``row_marks``) in one
    pass. Each pass of the cleaning changes only the cells that need it, one cell at a
    time, and a mark is a function of its row's cells, so a cell cleaned among the cells of
    other sheets is what it is cleaned alone. A grid with a cell column that is not text is
    taken alone.

    Each grid's header is looked for alone, among its own first rows (``_headers``). The
    rows below it are sorted into data and total rows in one pass (``_bodies``), every rule
    applied to each grid on its own: the rows of a grid are those below its header row
    (all rows without one) with some text (or a fault of the reader), above its first end
    row (制表人 …); total rows (合计/总计/小计) apart, each row with ``_seg``, the number of
    total rows above it. Data rows of a CSV whose field count does not fit the header's get
    ``_row_fault`` = malformed_row (``_field_count_faults``). A grid that breaks the pass
    breaks it for all: the caller lays out each file alone then (``cache._lay_out_group``).
    """
    lookup, memo = header_lookup(source), {}
    out: list = [None] * len(grids)
    for idx in _buckets(grids):
        cols = grids[idx[0]].columns
        sizes = [grids[i].frame.height for i in idx]
        every = _marked([grids[i].frame for i in idx], cols)
        heads = _headers(every, sizes, cols, source, lookup, memo)
        bodies = _bodies(every, sizes, [hit for hit, _ in heads], cols)
        for i, (hit, row), (data, totals, nonempty, notes) in zip(idx, heads, bodies,
                                                                   strict=True):
            out[i] = _layout(row, hit, data, totals, nonempty, cols, source)
            out[i].notes += notes
    return out


def _buckets(grids: list[Grid]) -> list[list[int]]:
    """The grids (their places) laid out together: those of one schema whose cell columns
    are all text; each other grid alone."""
    by_schema: dict = {}
    text: dict[tuple, bool] = {}
    for i, g in enumerate(grids):
        key = tuple(g.frame.schema.items())
        if key not in text:
            text[key] = all(g.frame.schema[c] == pl.String for c in g.columns)
        by_schema.setdefault(key if text[key] else i, []).append(i)
    return list(by_schema.values())


def _marked(frames: list[pl.DataFrame], cols: list[str]) -> pl.DataFrame:
    """The rows of ``frames`` (one schema) in one frame, their cells ``cols`` cleaned, with
    ``row_marks``, ``_part`` (the frame's place in ``frames``) and ``_pos`` (the row's place in
    its frame)."""
    sizes = [f.height for f in frames]
    every = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical", rechunk=False)
    every = row_marks(clean_cells(every, cols), cols)
    starts = np.repeat(np.cumsum([0, *sizes[:-1]]), sizes)
    return every.with_columns(
        pl.Series("_part", np.repeat(np.arange(len(frames), dtype=np.int32), sizes)),
        pl.Series("_pos", np.arange(len(starts)) - starts, dtype=pl.Int64))


def _headers(every: pl.DataFrame, sizes: list[int], cols: list[str], source: Source,
             lookup: tuple, memo: dict) -> list[tuple[tuple | None, int | None]]:
    """Per part of ``every`` (``_marked``; ``sizes``: the rows of each part): ``find_header``
    over its first ``HEADER_SEARCH`` rows, and the ``_row`` of the header's last row.

    The first ``HEADER_FIRST`` rows are searched first. ``find_header`` stops at a row no
    lower than the header's last row and reads at most 2 rows below the row it stops at, so
    a header found there whose last row is at index ``HEADER_FIRST - 3`` or above was
    decided by those rows alone: it is the header the longer search finds. Any other
    result (a lower header, or none in a longer part) is searched for again."""
    first = _head_rows(every, HEADER_FIRST, cols)
    hits = [find_header([r[1:] for r in first.get(k, ())], len(cols), source, lookup, memo)
            for k in range(len(sizes))]
    again = [k for k, (hit, n) in enumerate(zip(hits, sizes, strict=True))
             if n > HEADER_FIRST and (hit is None or hit[1] > HEADER_FIRST - 3)]
    rows = first
    if again:
        more = _head_rows(every.filter(pl.col("_part").is_in(again)), HEADER_SEARCH, cols)
        for k in again:
            hits[k] = find_header([r[1:] for r in more.get(k, ())], len(cols), source, lookup,
                                  memo)
        rows = {**first, **more}
    return [(hit, None if hit is None else int(rows[k][hit[1]][0]))
            for k, hit in enumerate(hits)]


def _head_rows(every: pl.DataFrame, limit: int, cols: list[str]) -> dict[int, list[tuple]]:
    """Per part of ``every``, its first ``limit`` rows as ``(_row, *cells)`` tuples (none
    where there are no cell columns: a frame of no columns has no rows)."""
    if not cols:
        return {}
    out: dict[int, list[tuple]] = {}
    for r in every.filter(pl.col("_pos") < limit).select("_part", "_row", *cols).iter_rows():
        out.setdefault(r[0], []).append(r[1:])
    return out


def _bodies(every: pl.DataFrame, sizes: list[int], hits: list, cols: list[str]
            ) -> list[tuple[pl.DataFrame, pl.DataFrame, tuple]]:
    """Per part of ``every`` (``_marked``): its data rows, total rows and, per column of
    ``cols``, whether any data row has a cell in it. One pass over all.

    The field-count check runs over every part of a CSV bucket at once, so it writes
    ``_row_fault``/``_row_detail`` in every part (adding them where the frames lack them);
    a part without a header keeps its own values (the reader's, String), and the columns
    are dropped again where the frames had none, as a sheet without a header never gets
    them."""
    n = len(sizes)
    header_idx = [-1 if h is None else h[1] for h in hits]
    named = [None if h is None else max((j + 1 for j, c in enumerate(h[3]) if c), default=0)
             for h in hits]
    csv = "_fields" in every.columns
    most: list[int | None] = [None] * n
    if csv:
        starts = np.cumsum([0, *sizes[:-1]])
        with_header = [k for k in range(n) if header_idx[k] >= 0]
        fields_at = every["_fields"].gather([int(starts[k]) + header_idx[k]
                                             for k in with_header]).to_list()
        for k, f in zip(with_header, fields_at, strict=True):
            most[k] = max(int(f), named[k])
    every = every.with_columns(
        pl.Series("_hdr", np.repeat(np.asarray(header_idx, dtype=np.int64), sizes)))
    body = every.filter(pl.col("_pos") > pl.col("_hdr"))
    keep = pl.col("_first").is_not_null()
    if "_row_fault" in body.columns:  # a faulted row is a row read, even with no text left
        keep = keep | pl.col("_row_fault").is_not_null()
    # the rows above the first end row (制表人 …), if there is one
    ended = pl.col("_end").cast(pl.Int32).cum_sum().over("_part")
    notes = {}
    if body["_end"].any():  # a row below an end row with text, or a broken line, is named
        shown = pl.col("_first").is_not_null()
        if "_row_fault" in body.columns:
            shown = shown | (pl.col("_row_fault") == "malformed_row")
        notes = _unread_below_end(body.filter(shown & (ended > 0)))
    body = body.filter(keep & (ended == 0))
    is_total = pl.col("_kind").is_not_null()
    body = body.with_columns(
        (is_total.cast(pl.Int32).cum_sum().over("_part") - is_total.cast(pl.Int32))
        .alias("_seg"))
    helpers = ["_pos", "_hdr"]
    data = body.filter(~is_total).drop("_first", "_kind", "_end")
    if csv and any(k >= 0 for k in header_idx):
        facts = pl.DataFrame({"_part": np.arange(n, dtype=np.int32),
                              "_named": pl.Series(named, dtype=pl.Int64),
                              "_most": pl.Series(most, dtype=pl.Int64)})
        data = _field_count_faults(data.join(facts, on="_part", how="left",
                                             maintain_order="left"))
        helpers += ["_named", "_most"]
    data = data.drop(helpers)
    totals = body.filter(is_total).drop("_first", "_end", *helpers[:2])
    filled = dict(data.group_by("_part").agg(pl.struct(pl.col(cols).is_not_null().any()))
                  .iter_rows()) if cols else {}
    data_of = _split(data, n)
    totals_of = _split(totals, n)
    added = [c for c in ("_row_fault", "_row_detail") if c not in every.columns]
    out = []
    for k in range(n):
        d = data_of[k]
        if header_idx[k] < 0 and added and added[0] in d.columns:  # no header: no check
            d = d.drop(added)
        out.append((d, totals_of[k], tuple(filled[k].values()) if k in filled else (),
                    notes.get(k, []) if header_idx[k] >= 0 else []))
    return out


def _unread_below_end(tail: pl.DataFrame) -> dict[int, list[str]]:
    """Per part, a note naming the rows below its first end row (制表人, 负责人 …) that are
    not end rows themselves: the contract's footer rule ends the data there and they are not
    read, which the file's report says rather than drop them unseen (a role column placed
    first, 负责人 in a data row, ends a list). ``tail``: each part's rows from its first end
    row on (cells, ``_part``, ``_row``, ``_first``, ``_end``). The note names the end row's
    word, never its text (a name may follow it)."""
    notes: dict[int, list[str]] = {}
    facts = tail.group_by("_part", maintain_order=True).agg(
        pl.col("_row").first().alias("at"), pl.col("_first").first().alias("first"),
        pl.col("_row").filter(~pl.col("_end")).alias("rows"))
    for part, at, first, rows in facts.iter_rows():
        if not rows:
            continue
        word = next((p for p in END_PREFIXES if (first or "").startswith(p)), END_PREFIXES[0])
        span = f"{rows[0]}" if len(rows) == 1 else f"{rows[0]}–{rows[-1]}"
        notes[int(part)] = [
            f"第{at}行以“{word}”开头，是表尾，数据到此为止；其下{len(rows)}行非空行（第{span}行）未读取"
            f"，如是数据请删去表尾行后重新报送 / row {at} starts with '{word}', a footer row that "
            f"ends the data: {len(rows)} non-empty row(s) below it (rows {span}) were not read; "
            f"if they are data, remove the footer row and send the file again"]
    return notes


def _split(frame: pl.DataFrame, n: int) -> list[pl.DataFrame]:
    """``frame``'s rows per ``_part`` 0 .. n-1 (without that column), empty where none."""
    parts = frame.partition_by("_part", as_dict=True, include_key=False, maintain_order=True)
    empty = frame.clear().drop("_part")
    return [parts.get((k,), empty) for k in range(n)]


def _layout(header_row: int | None, hit: tuple | None, data: pl.DataFrame,
            totals: pl.DataFrame, nonempty: tuple, cols: list[str], source: Source) -> Layout:
    """One grid's ``Layout`` from its header (``hit``; ``header_row``: the ``_row`` of its
    last row, None without one) and rows; its fault where the header is missing or lacks a
    required column."""
    header_idx, mapping, header = (None, {}, None) if hit is None else hit[1:]
    layout = Layout(
        header_row=header_row,
        mapping=mapping, labels=_labels(header, nonempty, cols), data=data, totals=totals,
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
