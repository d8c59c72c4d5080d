"""Stage 1: files of one source -> per file, a frame of parsed rows with their first error.

A file is laid out alone, sheet by sheet (``lay_out``): every sheet whose header matches
the source is a part of the file (the CSV files of a group are split into lines and fields
together, and the cells of their sheets of one schema cleaned together, before:
``cache.parse_files``, ``sheet_layout.locate_many``).
The cells of the parts of many files are then checked together in one pass
(``parse_sheets``, ``check_parts``): the per-file fixed cost of a polars query dominates
small files, and every rule looks at one row (one line, one cell) only. A row the
reader marked with a ``_row_fault`` (``hidden_row``, ``malformed_row``) is quarantined under
that reason as it is: no field rule runs on it and it names no column (data contract v2 §1).

Output columns: the contract columns (parsed, canonical; null where invalid), ``<id>_hash``,
``_row_number``, ``_extra`` and ``_original`` (JSON text), ``_err_pos`` / ``_err_col`` /
``_err_reason`` / ``_err_detail`` (first broken column from the left; position -1 for a
whole-file fault), and ``_pos_<column>`` (the column's 0-based position in the file).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import polars as pl

from ingest import fields, idnumber, rules
from ingest import values as v
from ingest.contract import Column, Kind, Source, hash_column
from ingest.reader import Grid
from ingest.sheet_layout import ENGINE, Fault, Layout, locate_many

ABSENT_POS = 1000  # position of a contract column the file does not have


@dataclass
class Context:
    today: date
    key: bytes
    catalogue: dict[str, tuple[str, ...]]


def _codes(source: Source, ctx: Context) -> dict[str, dict]:
    return source.run_codes(ctx.catalogue) if source.run_codes else {}


def _json(labels: dict[int, str], keep) -> pl.Expr:
    fields_ = [pl.col(f"c{j}").alias(label) for j, label in labels.items() if keep(j)]
    if not fields_:
        return pl.lit("{}")
    return pl.struct(fields_).struct.json_encode()


def positions(source: Source, layout: Layout) -> dict[str, int]:
    return {c.name: layout.mapping.get(c.name, ABSENT_POS + i) for i, c in enumerate(source.columns)}


@dataclass
class Parsed:
    frame: pl.DataFrame  # the stage-1 rows of every data sheet, in order
    header_row: int | None  # of the first data sheet
    fault: Fault | None  # the first file-level fault (missing_column, total_mismatch)
    notes: list[str] = field(default_factory=list)  # sheets read, sheets not read


SHEET_LABEL = "工作表"  # key of the sheet name in `_extra`/`_original` of a multi-sheet file


@dataclass
class Sheets:
    """A file read and laid out, its cells not yet checked: the per-file part of stage 1."""
    grid: Grid
    parts: list[tuple[int, Grid, Layout]]  # (tab place, sheet grid, layout) to be checked
    notes: list[str]  # the reader's notes and the sheets not read
    data: bool  # the parts are data sheets (False: the first sheet, read as it is)
    empty: Fault | None = None  # a file with no cells at all: its fault, no part


def cell_sheets(grid: Grid) -> list[Grid]:
    """The sheets of a file that have cells: those ``lay_out`` lays out, in order."""
    return [g for g in grid.sheets() if g.columns]


def lay_out(grid: Grid, source: Source, layouts: list[Layout] | None = None) -> Sheets:
    """Every data sheet of a file, in order (data contract v2 §1): a sheet whose header row
    matches the source. A sheet with cells but no such header is named in ``notes``; a file
    with no data sheet is ``missing_column`` (its first sheet's rows are read as today).
    Where several sheets are read, each row's ``_extra``/``_original`` names its sheet.
    ``layouts``: the layouts of ``cell_sheets(grid)`` found already (``locate_many``, over
    the sheets of many files at once); else they are found here."""
    sheets = cell_sheets(grid)
    if not sheets:  # an empty text file, or a workbook whose every sheet is empty or hidden
        if grid.format == "csv":  # issue 16: an empty or blank-only file cannot be read at all
            fault = Fault("unreadable_file", None, "文件为空，没有任何内容 / the file is empty")
        else:  # data contract v2 §1: a workbook with no data sheet is missing_column
            fault = Fault("missing_column", None, "工作簿中没有可读取的数据工作表（各表均为空或隐藏）"
                          " / the workbook has no data sheet (every sheet is empty or hidden)")
        return Sheets(grid, [], list(grid.notes), False, fault)
    layouts = layouts or locate_many(sheets, source)
    found = [(g.position or k, g, lay)
             for k, (g, lay) in enumerate(zip(sheets, layouts, strict=True), start=1)]
    data = [(k, g, lay) for k, g, lay in found if lay.header_row is not None]
    notes = list(grid.notes)
    for k, g, lay in found:
        if lay.header_row is None and len(sheets) > 1:
            notes.append(f"第{k}个工作表“{g.sheet}”没有本数据源的表头，未读取 / sheet {k} "
                         f"'{g.sheet}' has no header row of this source and was not read")
    if not data:
        return Sheets(grid, found[:1], notes, False)
    if len(data) > 1:
        for _, _, lay in data:
            _label_sheet(lay)
    return Sheets(grid, data, notes, True)


def parse_sheets(files: list[Sheets], source: Source, ctx: Context) -> list[Parsed]:
    """Stage 1 of several laid-out files of one source at once: the cells of every part of
    every file are checked in one pass (``check_parts``), then each file gets its own
    ``Parsed``, the same as if it had been checked alone."""
    parts = [(g, lay) for f in files for _, g, lay in f.parts]
    checked = iter(check_parts(parts, source, ctx))
    return [_parsed(f, [next(checked) for _ in f.parts], source) for f in files]


def _parsed(file: Sheets, checked: list[tuple[pl.DataFrame, Fault | None]], source: Source
            ) -> Parsed:
    """One file's ``Parsed`` from its checked parts: the rows of its sheets in order, its
    first fault (named by sheet where several are read), its notes."""
    if file.empty:
        return Parsed(pl.DataFrame(schema=schema(source)), None, file.empty, file.notes)
    notes = list(file.notes)
    if not file.data:
        (_, _, lay), (frame, fault) = file.parts[0], checked[0]
        return Parsed(frame, None, lay.fault or fault, notes + lay.notes)
    frames, fault, many = [], None, len(file.parts) > 1
    for (k, g, lay), (frame, sheet_fault) in zip(file.parts, checked, strict=True):
        if many:
            notes.append(f"第{k}个工作表“{g.sheet}”已读取（表头在第{lay.header_row}行） / sheet "
                         f"{k} '{g.sheet}' read (header row {lay.header_row})")
        frames.append(frame)
        notes += lay.notes  # the layout's own remarks (e.g. a total it could not verify)
        if fault is None:
            fault = lay.fault or sheet_fault
            if fault and many:
                fault = Fault(fault.reason, fault.column,
                              f"工作表“{g.sheet}”：{fault.detail} / sheet '{g.sheet}': "
                              + fault.detail.split(" / ", 1)[-1])
    return Parsed(pl.concat(frames), file.parts[0][2].header_row, fault, notes)


def _label_sheet(layout: Layout) -> None:
    """Carry the sheet name as one more (unmapped) cell: it lands in `_extra`/`_original`."""
    j = 1 + max([int(c[1:]) for c in layout.data.columns if c[:1] == "c" and c[1:].isdigit()],
                default=-1)
    label = SHEET_LABEL
    while label in layout.labels.values():
        label += "#"
    layout.data = layout.data.with_columns(pl.col("_sheet").alias(f"c{j}"))
    layout.labels[j] = label


def _parts_frame(parts: list[tuple[Grid, Layout]], numbers: list[dict[str, pl.Series]],
                 source: Source, flagged: set[str]) -> pl.DataFrame:
    """The rows of all parts in the group's columns (``_part_frame``), in part order.

    A run of consecutive parts with the same header (data schema, mapping and labels) and
    no number cells is taken as one (``_runs``): their rows are concatenated, ``_m`` a
    column, and put into the group's columns by one query, the same query each of them
    gets alone."""
    keys = [None if n else (tuple(lay.data.schema.items()), tuple(lay.mapping.items()),
                            tuple(lay.labels.items()))
            for (_, lay), n in zip(parts, numbers, strict=True)]
    frames = []
    for ms in _runs(keys):
        grid, layout = parts[ms[0]]
        data, m = _run_rows([parts[k][1].data for k in ms], ms)
        frames.append(_part_frame(m, data, grid, layout, source, numbers[ms[0]], flagged))
    return pl.concat(frames, how="diagonal_relaxed").collect(engine=ENGINE)


def _runs(keys: list) -> list[list[int]]:
    """The places of ``keys`` cut into runs of consecutive equal keys; a None key is a run
    alone."""
    runs: list[list[int]] = []
    for i, key in enumerate(keys):
        if key is not None and runs and keys[runs[-1][0]] == key:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _run_rows(frames: list[pl.DataFrame], parts: list[int]) -> tuple[pl.DataFrame, pl.Expr]:
    """The rows of ``frames`` (one schema), the parts ``parts``, as one frame, and the
    expression of each row's part: a literal for one part, else the added column ``_m``."""
    if len(frames) == 1:
        return frames[0], pl.lit(parts[0], pl.Int32)
    rows = pl.concat(frames, how="vertical", rechunk=False).with_columns(pl.Series(
        "_m", np.repeat(np.asarray(parts, dtype=np.int32), [f.height for f in frames])))
    return rows, pl.col("_m")


def _part_frame(m: pl.Expr, data: pl.DataFrame, grid: Grid, layout: Layout, source: Source,
                numbers: dict[str, pl.Series], flagged: set[str]) -> pl.LazyFrame:
    """The rows ``data`` of parts with ``layout``'s header in the group's columns: what
    differs between files becomes columns. Per contract column its text ``_t_<col>``
    (through the file's own header mapping; the Excel serial date of a number cell as
    text), for an ID column read as a number cell in some part ``_f_<col>`` (16+ digits),
    and its place in the file ``_pos_<col>``; the row's ``_row``, ``_seg`` (total-row
    segment), the reader's row fault, the original row as JSON (under the file's own
    labels), and ``_m`` (``m``): the part."""
    mapped = set(layout.mapping.values())
    cols: list[pl.Expr] = []
    for c in source.columns:
        j = layout.mapping.get(c.name)
        text = pl.col(f"c{j}") if j is not None else pl.lit(None, pl.String)
        if c.kind in SERIAL_KINDS and c.name in numbers:
            text = pl.coalesce(serial_text(pl.lit(numbers[c.name]), c.kind, grid.date1904), text)
        cols.append(text.cast(pl.String).alias(f"_t_{c.name}"))
    for name in sorted(flagged):
        flag = numbers.get(name)
        # a double keeps 15 significant digits: a 15-digit ID survives as a number (upgraded
        # like any 15-digit ID), 16 digits and more do not (data contract v2 §1)
        cols.append((pl.lit(flag.abs() >= 1e15).fill_null(False) if flag is not None
                     else pl.lit(False)).alias(f"_f_{name}"))
    cols += [pl.col("_row"), pl.col("_seg")]
    cols += [pl.col(c) for c in ("_row_fault", "_row_detail") if c in layout.data.columns]
    cols += [_json(layout.labels, lambda j: j not in mapped).alias("_extra"),
             _json(layout.labels, lambda j: True).alias("_original")]
    cols += [pl.lit(p, pl.Int32).alias(f"_pos_{n}") for n, p in positions(source, layout).items()]
    return data.lazy().select(*cols, m.alias("_m"))


def check_parts(parts: list[tuple[Grid, Layout]], source: Source, ctx: Context
                ) -> list[tuple[pl.DataFrame, Fault | None]]:
    """Per part (a data sheet of a file): its stage-1 rows, and a total_mismatch fault if one
    of its total rows does not add up. The cells of all parts are checked in one pass.

    Every rule is a function of one row's cells, so a row checked among the rows of other
    files gets what it gets checked alone; what belongs to a file (its header mapping, the
    places of its columns, its number cells, its labels) travels as columns of its rows
    (``_parts_frame``), and each part's totals are added up over its own rows."""
    if not parts:
        return []
    codes = _codes(source, ctx)
    numbers = [cell_numbers(g, lay, source) for g, lay in parts]
    flagged = {c.name for c in source.columns if c.kind is Kind.ID_NUMBER
               and any(c.name in n for n in numbers)}
    frame = _parts_frame(parts, numbers, source, flagged)
    keys = {c.name: [f"_t_{c.name}"] + ([f"_f_{c.name}"] if c.name in flagged else [])
            for c in source.columns}
    large = frame.height >= DISTINCT_MIN_ROWS
    facts = frame.select(  # per column: any non-ASCII cell; how many distinct cells
        *[v.any_non_ascii(pl.col(f"_t_{c}")).alias(f"a_{c}") for c in keys],
        *[(pl.struct(k) if len(k) > 1 else pl.col(k[0])).n_unique().alias(f"n_{c}")
          for c, k in keys.items() if large]).row(0, named=True)
    whole = {}
    for c in source.columns:
        checked = column_check(source.name, c, ctx.today, codes.get(c.name),
                               not facts[f"a_{c.name}"], c.name in flagged)
        if large and DISTINCT_SHARE * facts[f"n_{c.name}"] <= frame.height:
            frame = check_distinct(frame, c, checked, keys[c.name])
        else:
            whole[c.name] = checked
    frame = check_rows(frame, whole)
    frame = frame.with_columns(**{c: pl.col(c).fill_null(
        pl.when(pl.col(f"_r_{c}").is_null()).then(pl.lit(v))) for c, v in source.defaults.items()})
    frame = free_text(frame, source)
    frame = rules.apply(frame, source, ctx.catalogue)
    faults = part_totals(frame, [lay for _, lay in parts], source)
    frame = first_error(frame, source)
    if "_row_fault" in frame.columns:
        frame = quarantine_faults(frame, source)
    frame = add_hashes(frame, source, ctx.key)
    frame = finish(frame, source)
    by_part = frame.partition_by("_m", maintain_order=True, include_key=False, as_dict=True)
    empty = pl.DataFrame(schema=schema(source))
    return [(by_part.get((m,), empty), fault) for m, fault in enumerate(faults)]


def part_totals(frame: pl.DataFrame, layouts: list[Layout], source: Source
                ) -> list[Fault | None]:
    """``check_totals`` of every part that has total rows (``frame``: the checked rows of all
    parts, ``_m`` the part); None for the others.

    The data rows' sums of all parts are taken in one pass: per part and ``_seg`` (the
    total rows above a row), each numeric column's sum over every row and over the rows the
    reader kept (``_row_fault`` null). A 小计 is compared with its segment's sums, a 合计 with
    the sums of its segment and those above. Sums taken in another order than
    ``check_totals`` takes them may differ in a float's last bits: by less than
    ``_sum_margin`` (twice what two orders of float addition can differ by). A part each of
    whose totals is met with that margin to spare is met in ``check_totals`` too, and gets
    None here; any other part (a total off or near the tolerance, a line the reader could
    not split, a sum that is no finite number) is judged by ``check_totals`` over its own
    rows, so its fault, detail and notes are exactly what that gives."""
    having = {m: lay for m, lay in enumerate(layouts) if lay.totals.height}
    if not having:
        return [None] * len(layouts)
    stated = stated_totals(having, source)
    numeric = [c.name for c in source.columns if c.kind in NUMERIC_KINDS]
    cols = [c for c in numeric if f"_n_{c}" in frame.columns]
    fault = ["_row_fault"] if "_row_fault" in frame.columns else []
    rows = frame.select("_m", "_row", "_seg", *fault, *[f"_n_{c}" for c in cols]).filter(
        pl.col("_m").is_in(list(having)))
    kept = pl.col("_row_fault").is_null() if fault else pl.lit(True)
    sums = rows.group_by("_m", "_seg").agg(
        pl.len().alias("_len"),
        *[pl.col(f"_n_{c}").sum().alias(f"all_{c}") for c in cols],
        *[pl.col(f"_n_{c}").filter(kept).sum().alias(f"kept_{c}") for c in cols],
        *[pl.col(f"_n_{c}").abs().sum().alias(f"abs_{c}") for c in cols])
    segments: dict[int, list[dict]] = {}
    for r in sums.iter_rows(named=True):
        segments.setdefault(r["_m"], []).append(r)
    doubt = set(rows.filter(pl.col("_row_fault") == "malformed_row")["_m"].unique()
                ) if fault else set()
    for t in stated.iter_rows(named=True):
        m = t["_m"]
        if m in doubt:
            continue
        segs = [r for r in segments.get(m, ())
                if (r["_seg"] == t["_seg"] if t["_kind"] == "小计" else r["_seg"] <= t["_seg"])]
        terms = sum(r["_len"] for r in segs) + len(segs)
        for c in numeric:
            value = t[c]
            if value is None or c not in having[m].mapping:
                continue
            if c not in cols:  # no parsed numbers to add up: as check_totals finds it
                doubt.add(m)
                break
            total = sum(r[f"all_{c}"] or 0.0 for r in segs)
            shown = sum(r[f"kept_{c}"] or 0.0 for r in segs)
            margin = _sum_margin(terms, sum(r[f"abs_{c}"] or 0.0 for r in segs))
            if not min(abs(total - value), abs(shown - value)) <= TOTAL_TOLERANCE - margin:
                doubt.add(m)
                break
    if not doubt:
        return [None] * len(layouts)
    stated_of = stated.filter(pl.col("_m").is_in(list(doubt))).partition_by("_m", as_dict=True)
    data = rows.filter(pl.col("_m").is_in(list(doubt))).partition_by("_m", as_dict=True)
    return [check_totals(data.get((m,), rows.clear()), having[m], source, stated_of[(m,)])
            if m in doubt else None for m in range(len(layouts))]


def _sum_margin(terms: int, magnitude: float) -> float:
    """A margin beyond how far two float sums of the same numbers, added in different orders
    (``terms`` additions in all, at most), can lie apart: each is within about
    ``terms`` × u × Σ|x| of the exact sum (u = 2⁻⁵³, the unit roundoff; Higham, *Accuracy and
    Stability of Numerical Algorithms*, §4.2), so the two within twice that; the margin is
    twice that again (the bound is first-order), plus 1e-9 for the subtraction's rounding.
    Large (many rows, large amounts), it only sends more parts to ``check_totals``."""
    return 4 * terms * 2.0 ** -53 * magnitude + 1e-9


def _sum_text(x: float, out_of_range: str) -> str:
    """A total or sum in a total_mismatch detail: two decimals, or ``out_of_range`` for an
    infinite one or no number (cells of 309 digits and more parse as infinite)."""
    return f"{x:.2f}" if np.isfinite(x) else out_of_range


TOTAL_TOLERANCE = 0.01 + 1e-9  # a total is met within ±0.01 (the float's own error allowed)


def first_error(frame: pl.DataFrame, source: Source) -> pl.DataFrame:
    """``_err_pos``/``_err_col``/``_err_reason``/``_err_detail``: of the row's broken columns,
    the one that stands first from the left in its file (least ``_pos_<col>``); null for a
    row with no error."""
    by_col = {c.name: c for c in source.columns}
    broken = [c for c in by_col if frame[f"_r_{c}"].null_count() < frame.height]
    if not broken:  # min_horizontal() of no expressions is an error: no column has an error
        return frame.with_columns(_err_reason=pl.lit(None, pl.String),
                                  _err_detail=pl.lit(None, pl.String),
                                  _err_col=pl.lit(None, pl.String),
                                  _err_pos=pl.lit(None, pl.Int32))
    frame = frame.with_columns(_err_pos=pl.min_horizontal([
        pl.when(pl.col(f"_r_{c}").is_not_null()).then(pl.col(f"_pos_{c}")) for c in broken]))
    first = {c: pl.col(f"_pos_{c}") == pl.col("_err_pos") for c in broken}
    return frame.with_columns(
        _err_reason=pl.coalesce([pl.when(first[c]).then(pl.col(f"_r_{c}")) for c in broken]),
        _err_detail=pl.coalesce([pl.when(first[c]).then(
            pl.lit(f"{by_col[c].zh}({c})：") + pl.col(f"_d_{c}")) for c in broken]),
        _err_col=pl.coalesce([pl.when(first[c]).then(pl.lit(c)) for c in broken]),
    )


DISTINCT_SHARE = 3  # a column is checked over its distinct cells when rows ≥ 3 × distinct
DISTINCT_MIN_ROWS = 5_000  # … in a file of so many rows (below, the extra steps cost more)


_CHECKS: dict[tuple, tuple[Column, fields.Checked]] = {}


def column_check(source: str, col: Column, today: date, codes: dict | None, ascii_only: bool,
                 numeric_flag: bool) -> fields.Checked:
    """``fields.check`` of the column's text ``_t_<col>`` (and number-cell flag ``_f_<col>``),
    built once per process for the same settings: the expressions hold no data, and building
    them costs more than running them on a small file."""
    key = (source, col.name, id(col), today, ascii_only, numeric_flag,
           None if codes is None else repr(sorted(codes.items())))
    hit = _CHECKS.get(key)
    if hit is None or hit[0] is not col:  # the very same column declaration
        if len(_CHECKS) >= 4096:  # a long-lived process sees new days and catalogues
            _CHECKS.clear()
        flag = pl.col(f"_f_{col.name}") if numeric_flag else pl.lit(False)
        hit = _CHECKS[key] = (col, fields.check(col, pl.col(f"_t_{col.name}"), flag, today,
                                                codes=codes, ascii_only=ascii_only))
    return hit[1]


def _outputs(name: str, checked: fields.Checked) -> dict[str, pl.Expr]:
    outs = {name: checked.value, f"_r_{name}": checked.reason, f"_d_{name}": checked.detail}
    if checked.number is not None:
        outs[f"_n_{name}"] = checked.number
    return outs


def check_rows(frame: pl.DataFrame, checked: dict[str, fields.Checked]) -> pl.DataFrame:
    """``frame`` with the checked columns, row by row: per column ``<col>`` (parsed),
    ``_r_<col>``, ``_d_<col>``, ``_n_<col>`` (numeric columns) and the plan's intermediate
    columns (``_w_<col>_x`` is the cleaned text); level i of every plan in one step."""
    if not checked:
        return frame
    depth = max(len(ch.plan.levels) for ch in checked.values())
    for i in range(depth):
        frame = frame.with_columns(**{
            k: e for ch in checked.values() if i < len(ch.plan.levels)
            for k, e in ch.plan.levels[i].items()})
    return frame.with_columns(**{k: e for name, ch in checked.items()
                                 for k, e in _outputs(name, ch).items()})


def check_distinct(frame: pl.DataFrame, col: Column, checked: fields.Checked,
                   keys: list[str]) -> pl.DataFrame:
    """``check_rows`` of one column whose cells repeat (months, codes, region codes, counts,
    amounts), done once per distinct cell and joined back to the rows. A check is a function
    of the cell text (and, for ID numbers, of whether the cell was a number cell: ``keys``),
    so every row gets what checking it alone would give."""
    outs = _outputs(col.name, checked)
    part = check_rows(frame.select(keys).unique(), {col.name: checked})
    part = part.select(*keys, *outs, f"_w_{col.name}_x")
    # joined on the keys alone, then set beside the rows: the frame's other columns do not
    # go through the join
    got = frame.select(keys).join(part, on=keys, how="left", nulls_equal=True,
                                  maintain_order="left")
    return frame.with_columns(got.drop(keys).get_columns())


def free_text(frame: pl.DataFrame, source: Source) -> pl.DataFrame:
    """An ID column checked only under a condition (``Column.checked_when``, e.g. the ID rule
    of a marriage party only when party_type is domestic): where the condition column holds
    another valid value, the cell is free text, kept cleaned and never an error."""
    for c in source.columns:
        if c.checked_when is None:
            continue
        other, values = c.checked_when
        free = pl.col(other).is_not_null() & ~pl.col(other).is_in(list(values))
        frame = frame.with_columns(
            pl.when(free).then(pl.col(f"_w_{c.name}_x")).otherwise(pl.col(c.name)).alias(c.name),
            pl.when(free).then(None).otherwise(pl.col(f"_r_{c.name}")).alias(f"_r_{c.name}"),
            pl.when(free).then(None).otherwise(pl.col(f"_d_{c.name}")).alias(f"_d_{c.name}"))
    return frame


SERIAL_KINDS = (Kind.MONTH, Kind.DATE, Kind.DATETIME)
ROW_FAULT_DETAIL = {  # {} is the row number
    "hidden_row": "第{}行为隐藏行，未计入（如确需上报，请取消隐藏后重新报送） / row {} is hidden, "
                  "not loaded (unhide it and send the file again if it belongs in the list)",
}


def cell_numbers(grid: Grid, layout: Layout, source: Source) -> dict[str, pl.Series]:
    """Number cells (Float64, null elsewhere) per data row of the ID columns, and of the
    month/date/datetime columns holding a bare number in the text (one workbook read)."""
    if grid.numbers_of is None:
        return {}
    data = layout.data
    wanted: dict[str, int] = {}
    for c in source.columns:
        j = layout.mapping.get(c.name)
        if j is None:
            continue
        if c.kind is Kind.ID_NUMBER or (c.kind in SERIAL_KINDS and data.select(
                pl.col(f"c{j}").str.strip_chars().str.contains(r"^[0-9]+(\.[0-9]+)?$").any()
        ).item()):
            wanted[c.name] = j
    if not wanted:
        return {}
    got = grid.numbers(list(wanted.values()))
    index = data["_row"].cast(pl.Int64) - int(grid.frame["_row"][0])
    return {name: got[j].gather(index) for name, j in wanted.items()}


def serial_text(number: pl.Expr, kind: Kind, date1904: bool) -> pl.Expr:
    """An Excel serial date (days since 1899-12-30, or 1904-01-01 in the 1904 system) as
    ``YYYY-MM-DD HH:MM:SS`` text; null for no number, and for a whole number of 6 digits in a
    month column or 8 digits in a date column (``202606``, ``20260602``: data contract v2 §1)
    or one outside 1900..9999 (left to fail as text)."""
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    end = (datetime(9999, 12, 31) - epoch).days + 1  # the serial of 10000-01-01 in this system
    whole = number == number.floor()
    lo, hi = (100_000, 999_999) if kind is Kind.MONTH else (10_000_000, 99_999_999)
    compact = whole & (number >= lo) & (number <= hi)
    # not strict: the cast is made for every row, also those the `when` below sets aside (a
    # NaN, an infinite number or one beyond 1.07e11 days, e.g. an ID typed as a number)
    ms = (number * 86_400_000).round()
    stamp = pl.lit(epoch) + pl.duration(milliseconds=ms.cast(pl.Int64, strict=False))
    return (pl.when(number.is_null() | number.is_nan() | compact | (number <= 0)
                    | (ms >= end * 86_400_000))  # rounded to the millisecond, as the stamp
            .then(pl.lit(None, pl.String))
            .otherwise(stamp.dt.strftime("%Y-%m-%d %H:%M:%S")))


def quarantine_faults(frame: pl.DataFrame, source: Source) -> pl.DataFrame:
    """Rows with a ``_row_fault``: that reason, no column, no parsed value but the month (so
    the row counts in its period when the month could be read)."""
    fault = pl.col("_row_fault")
    bad = fault.is_not_null()
    detail = pl.lit(None, pl.String)
    for reason, text in ROW_FAULT_DETAIL.items():
        detail = pl.when(fault == reason).then(
            pl.format(text, pl.col("_row"), pl.col("_row"))).otherwise(detail)
    if "_row_detail" in frame.columns:  # a reader's own words (e.g. the CSV reader's)
        detail = pl.coalesce(pl.col("_row_detail"), detail)
    keep = {"month"}
    values = {c.name: pl.when(bad).then(None).otherwise(pl.col(c.name))
              for c in source.columns if c.name not in keep and c.name in frame.columns}
    return frame.with_columns(
        **values,
        _err_reason=pl.when(bad).then(fault).otherwise(pl.col("_err_reason")),
        _err_detail=pl.when(bad).then(detail).otherwise(pl.col("_err_detail")),
        _err_col=pl.when(bad).then(None).otherwise(pl.col("_err_col")),
        _err_pos=pl.when(bad).then(pl.lit(-1, pl.Int32)).otherwise(pl.col("_err_pos")),
    )


def hmac_hex(key: bytes, values: list[str]) -> list[str]:
    """HMAC-SHA256 (RFC 2104) of each UTF-8 value under ``key``, as hex: the same digests as
    ``hmac.new(key, value, sha256)`` (``ingest.pii.hash_id``), with the two padded key blocks
    hashed once for all values instead of once per value."""
    return _hmac_hex(key, [value.encode("utf-8") for value in values])


def hmac_hex_column(key: bytes, values: pl.Series) -> pl.Series:
    """``hmac_hex`` of a String series without nulls (its UTF-8 bytes taken by polars)."""
    return pl.Series(_hmac_hex(key, values.cast(pl.Binary).to_list()), dtype=pl.String)


def _hmac_hex(key: bytes, messages: list[bytes]) -> list[str]:
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key)).copy
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key)).copy
    out: list[str] = []
    append = out.append
    for message in messages:
        h = inner()
        h.update(message)
        o = outer()
        o.update(h.digest())
        append(o.hexdigest())
    return out


def add_hashes(frame: pl.DataFrame, source: Source, key: bytes) -> pl.DataFrame:
    """``<id>_hash`` beside every ID column (the values are normalised already). Where at
    least half the ID numbers of the column are distinct (a roster: one row per person, a few
    listed twice), every value is hashed in row order; otherwise each distinct value once,
    joined back to the rows. Both give every row the HMAC of its own value: the first skips
    the unique-and-join (≈ 0.25 µs a row) at the cost of hashing a repeated value again
    (≈ 0.7 µs), so it is the cheaper one down to about half the values distinct."""
    for c in source.columns:
        if not c.hashed:  # a keyed-hash text (case number or ID) is hashed in its normalised form
            continue
        col = frame[c.name]
        values = col.drop_nulls()
        ids = values.unique()
        if c.kind is Kind.ID_NUMBER and 2 * ids.len() >= values.len():
            digests = hmac_hex_column(key, values)
            hashed = pl.repeat(None, frame.height, dtype=pl.String, eager=True)
            if values.len():
                hashed = hashed.scatter(col.is_not_null().arg_true(), digests)
            frame = frame.with_columns(hashed.alias(hash_column(c.name)))
            continue
        texts = ids.to_list()
        if c.kind is not Kind.ID_NUMBER:
            texts = [idnumber.normalise(i) for i in texts]
        table = pl.DataFrame({c.name: ids, hash_column(c.name): pl.Series(
            hmac_hex(key, texts), dtype=pl.String)})
        frame = frame.join(table, on=c.name, how="left", maintain_order="left")
    return frame


def finish(frame: pl.DataFrame, source: Source) -> pl.DataFrame:
    """Select the stage-1 output columns in a fixed schema (and ``_m``, the part)."""
    cols: list[pl.Expr] = []
    for c in source.columns:
        dtype = fields.KIND_DTYPE[c.kind]
        cols.append((pl.col(c.name) if c.name in frame.columns else pl.lit(None))
                    .cast(dtype).alias(c.name))
        if c.hashed:
            h = hash_column(c.name)
            cols.append((pl.col(h) if h in frame.columns else pl.lit(None)).cast(pl.String)
                        .alias(h))
    cols += [pl.col("_row").cast(pl.Int32).alias("_row_number"), pl.col("_extra"),
             pl.col("_original")]
    for name, dtype in (("_err_pos", pl.Int32), ("_err_col", pl.String),
                        ("_err_reason", pl.String), ("_err_detail", pl.String)):
        cols.append((pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype)
                    .alias(name))
    cols += [pl.col(f"_pos_{c.name}") for c in source.columns]
    return frame.select(*cols, "_m").cast({**schema(source), "_m": pl.Int32})


def schema(source: Source) -> dict[str, pl.DataType]:
    """The fixed schema of a stage-1 frame (and of every cached parquet file)."""
    out: dict[str, pl.DataType] = {}
    for c in source.columns:
        out[c.name] = fields.KIND_DTYPE[c.kind]
        if c.hashed:
            out[hash_column(c.name)] = pl.String
    out.update(_row_number=pl.Int32, _extra=pl.String, _original=pl.String, _err_pos=pl.Int32,
               _err_col=pl.String, _err_reason=pl.String, _err_detail=pl.String)
    out.update({f"_pos_{c.name}": pl.Int32 for c in source.columns})
    return out


NUMERIC_KINDS = (Kind.MONEY, Kind.QUANTITY, Kind.COUNT)


def stated_totals(parts: dict[int, Layout], source: Source) -> pl.DataFrame:
    """The total rows of the parts (``_m`` -> layout) with what they state: ``_m``, ``_row``,
    ``_seg``, ``_kind`` and per numeric contract column its parsed number (null where the
    part has no such column or the cell is no number), all parts parsed in one pass; a run
    of consecutive parts whose total rows have one schema and one mapping of the numeric
    columns is selected by one query (``_runs``)."""
    numeric = [c for c in source.columns if c.kind in NUMERIC_KINDS]
    ms, lays = list(parts), list(parts.values())
    frames = []
    for run in _runs([(tuple(lay.totals.schema.items()),
                       tuple(lay.mapping.get(c.name) for c in numeric)) for lay in lays]):
        lay = lays[run[0]]
        totals, m = _run_rows([lays[k].totals for k in run], [ms[k] for k in run])
        frames.append(totals.lazy().select(
            m.alias("_m"), "_row", "_seg", "_kind",
            *[(pl.col(f"c{lay.mapping[c.name]}") if c.name in lay.mapping
               else pl.lit(None, pl.String)).cast(pl.String).alias(f"_t_{c.name}")
              for c in numeric]))
    frame = pl.concat(frames, how="diagonal_relaxed").collect(engine=ENGINE)
    values, levels = {}, []
    for c in numeric:
        plan = v.Plan(f"_w_{c.name}_")
        values[c.name] = fields.numeric_text(plan, c, v.clean(pl.col(f"_t_{c.name}")))[0]
        levels.append(plan.levels)
    for i in range(max((len(lv) for lv in levels), default=0)):
        frame = frame.with_columns(**{k: e for lv in levels if i < len(lv)
                                      for k, e in lv[i].items()})
    return frame.select("_m", "_row", "_seg", "_kind",
                        *[e.alias(name) for name, e in values.items()])


def check_totals(frame: pl.DataFrame, layout: Layout, source: Source, stated: pl.DataFrame
                 ) -> Fault | None:
    """Each numeric cell of a total row must equal the sum of the data rows it covers (±0.01).

    合计/总计 cover every data row above them; 小计 covers the data rows since the previous
    total row. Count columns (户数, 人数) are checked like sums. Only data-row values that
    parsed as numbers are summed, over every data row read (a row quarantined for a rule, or
    hidden, still counts: the clerk's 合计 counted it). Where the reader could not split some
    lines (``malformed_row``, data contract v2 §1) the totals cannot be verified: no
    total_mismatch, and ``layout.notes`` says so for the file's report. ``frame``: the data
    rows of one part; ``stated``: its total rows (``stated_totals``), in order.
    """
    if stated.height == 0:
        return None
    if "_row_fault" in frame.columns:
        bad = frame.filter(pl.col("_row_fault") == "malformed_row")["_row"]
        if bad.len():
            rows = "、".join(str(n) for n in bad.head(5).to_list()) + ("等" if bad.len() > 5 else "")
            layout.notes.append(
                f"合计行未核对：第{rows}行无法拆分为各列，合计无法验证 / total row(s) not checked: "
                f"{bad.len()} line(s) could not be split into fields")
            return None
    numeric = [c for c in source.columns if c.kind in NUMERIC_KINDS and c.name in layout.mapping]
    numeric.sort(key=lambda c: layout.mapping[c.name])
    parsed = stated
    for t in parsed.iter_rows(named=True):
        seg = pl.col("_seg")
        rows = frame.filter(seg == t["_seg"] if t["_kind"] == "小计" else seg <= t["_seg"])
        shown = rows.filter(pl.col("_row_fault").is_null()) if "_row_fault" in rows.columns \
            else rows
        for c in numeric:
            stated = t[c.name]
            if stated is None:
                continue
            total = rows[f"_n_{c.name}"].sum() or 0.0
            # Excel's SUM counts hidden rows, SUBTOTAL(109) does not: either is a right total
            total_shown = shown[f"_n_{c.name}"].sum() or 0.0
            # `not <=`: a sum that is no number (+inf and -inf cells) is not equal either
            if not min(abs(total - stated), abs(total_shown - stated)) <= TOTAL_TOLERANCE:
                return Fault(
                    "total_mismatch", c.name,
                    f"第{t['_row']}行{t['_kind']}的“{c.zh}”为{_sum_text(stated, '超出范围的数')}，"
                    f"而数据行合计为{_sum_text(total, '超出范围的数')} / total row {t['_row']}: "
                    f"column {c.name} is {_sum_text(stated, 'a number out of range')} but the "
                    f"data rows sum to {_sum_text(total, 'a number out of range')}",
                )
    return None
