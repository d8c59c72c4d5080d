"""Stage 1: one file -> a frame of parsed rows with their first stage-1 error.

Output columns: the contract columns (parsed, canonical; null where invalid), ``<id>_hash``,
``_row_number``, ``_extra`` and ``_original`` (JSON text), ``_err_pos`` / ``_err_col`` /
``_err_reason`` / ``_err_detail`` (first broken column from the left; position -1 for a
whole-file fault), and ``_pos_<column>`` (the column's 0-based position in the file).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

import polars as pl

from ingest import fields, rules
from ingest.contract import Kind, Source, hash_column
from ingest.layout import Fault, Layout
from ingest.reader import Grid

ABSENT_POS = 1000  # position of a contract column the file does not have


@dataclass
class Context:
    today: date
    key: bytes
    catalogue: dict[str, tuple[str, ...]]


def _codes(source: Source, ctx: Context) -> dict[str, dict]:
    return source.run_codes(ctx.catalogue) if source.run_codes else {}


def _json(frame: pl.DataFrame, labels: dict[int, str], keep) -> pl.Expr:
    fields_ = [pl.col(f"c{j}").alias(label) for j, label in labels.items() if keep(j)]
    if not fields_:
        return pl.lit("{}")
    return pl.struct(fields_).struct.json_encode()


def positions(source: Source, layout: Layout) -> dict[str, int]:
    return {c.name: layout.mapping.get(c.name, ABSENT_POS + i) for i, c in enumerate(source.columns)}


def parse_rows(grid: Grid, layout: Layout, source: Source, ctx: Context
               ) -> tuple[pl.DataFrame, Fault | None]:
    """Parsed rows of one file, and a total_mismatch fault if a total row does not add up."""
    data = layout.data
    pos = positions(source, layout)
    codes = _codes(source, ctx)
    numeric = {}
    for c in source.columns:
        if c.kind is Kind.ID_NUMBER and c.name in layout.mapping:
            flags = grid.numeric_cells(layout.mapping[c.name])
            numeric[c.name] = flags.gather(data["_row"].cast(pl.Int64) - 1) if grid._xlsx else None
    text_cols, checked = {}, {}
    for c in source.columns:
        j = layout.mapping.get(c.name)
        text_cols[f"_t_{c.name}"] = pl.col(f"c{j}") if j is not None else pl.lit(None, pl.String)
    frame = data.with_columns(**text_cols)
    for c in source.columns:
        flag = numeric.get(c.name)
        flag_expr = pl.lit(flag) if flag is not None else pl.lit(False)
        checked[c.name] = fields.check(c, pl.col(f"_t_{c.name}"), flag_expr, ctx.today,
                                       codes=codes.get(c.name))
    depth = max(len(ch.plan.levels) for ch in checked.values())
    for i in range(depth):
        frame = frame.with_columns(**{
            k: e for ch in checked.values() if i < len(ch.plan.levels)
            for k, e in ch.plan.levels[i].items()})
    frame = frame.with_columns(
        **{c: ch.value for c, ch in checked.items()},
        **{f"_r_{c}": ch.reason for c, ch in checked.items()},
        **{f"_d_{c}": ch.detail for c, ch in checked.items()},
        **{f"_n_{c}": ch.number for c, ch in checked.items() if ch.number is not None},
    )
    frame = frame.with_columns(**{c: pl.col(c).fill_null(
        pl.when(pl.col(f"_r_{c}").is_null()).then(pl.lit(v))) for c, v in source.defaults.items()})
    frame = rules.apply(frame, source, ctx.catalogue)
    fault = check_totals(frame, layout, source)
    order = sorted(pos, key=pos.get)
    by_col = {c.name: c for c in source.columns}
    frame = frame.with_columns(
        _err_reason=pl.coalesce([pl.col(f"_r_{c}") for c in order]),
        _err_detail=pl.coalesce([
            pl.lit(f"{by_col[c].zh}({c})：") + pl.col(f"_d_{c}") for c in order]),
        _err_col=pl.coalesce([
            pl.when(pl.col(f"_r_{c}").is_not_null()).then(pl.lit(c)) for c in order]),
        _err_pos=pl.coalesce([
            pl.when(pl.col(f"_r_{c}").is_not_null()).then(pl.lit(pos[c], pl.Int32))
            for c in order]),
    )
    frame = add_hashes(frame, source, ctx.key)
    return finish(frame, layout, source, pos), fault


def add_hashes(frame: pl.DataFrame, source: Source, key: bytes) -> pl.DataFrame:
    """``<id>_hash`` beside every ID column (the values are normalised already)."""
    base = hmac.new(key, digestmod=hashlib.sha256)

    def digest(value: str) -> str:
        h = base.copy()
        h.update(value.encode("utf-8"))
        return h.hexdigest()

    for c in source.columns:
        if c.kind is Kind.ID_NUMBER:
            ids = frame[c.name].drop_nulls().unique().to_list()
            table = {i: digest(i) for i in ids}
            frame = frame.with_columns(
                pl.col(c.name).replace_strict(table, default=None, return_dtype=pl.String)
                .alias(hash_column(c.name)))
    return frame


def finish(frame: pl.DataFrame, layout: Layout, source: Source, pos: dict[str, int]
           ) -> pl.DataFrame:
    """Select the stage-1 output columns in a fixed schema."""
    mapped = set(layout.mapping.values())
    cols: list[pl.Expr] = []
    for c in source.columns:
        dtype = fields.KIND_DTYPE[c.kind]
        cols.append((pl.col(c.name) if c.name in frame.columns else pl.lit(None))
                    .cast(dtype).alias(c.name))
        if c.kind is Kind.ID_NUMBER:
            h = hash_column(c.name)
            cols.append((pl.col(h) if h in frame.columns else pl.lit(None)).cast(pl.String)
                        .alias(h))
    cols += [
        pl.col("_row").cast(pl.Int32).alias("_row_number"),
        _json(frame, layout.labels, lambda j: j not in mapped).alias("_extra"),
        _json(frame, layout.labels, lambda j: True).alias("_original"),
    ]
    for name, dtype in (("_err_pos", pl.Int32), ("_err_col", pl.String),
                        ("_err_reason", pl.String), ("_err_detail", pl.String)):
        cols.append((pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype)
                    .alias(name))
    cols += [pl.lit(p, pl.Int32).alias(f"_pos_{n}") for n, p in pos.items()]
    return frame.select(cols).cast(schema(source))


def schema(source: Source) -> dict[str, pl.DataType]:
    """The fixed schema of a stage-1 frame (and of every cached parquet file)."""
    out: dict[str, pl.DataType] = {}
    for c in source.columns:
        out[c.name] = fields.KIND_DTYPE[c.kind]
        if c.kind is Kind.ID_NUMBER:
            out[hash_column(c.name)] = pl.String
    out.update(_row_number=pl.Int32, _extra=pl.String, _original=pl.String, _err_pos=pl.Int32,
               _err_col=pl.String, _err_reason=pl.String, _err_detail=pl.String)
    out.update({f"_pos_{c.name}": pl.Int32 for c in source.columns})
    return out


def check_totals(frame: pl.DataFrame, layout: Layout, source: Source) -> Fault | None:
    """Each numeric cell of a total row must equal the sum of the data rows it covers (±0.01).

    合计/总计 cover every data row above them; 小计 covers the data rows since the previous
    total row. Only data-row values that parsed as numbers are summed.
    """
    totals = layout.totals
    if totals.height == 0:
        return None
    numeric = [c for c in source.columns if c.kind in (Kind.MONEY, Kind.QUANTITY, Kind.COUNT)
               and c.name in layout.mapping]
    numeric.sort(key=lambda c: layout.mapping[c.name])
    from ingest import values as v

    parsed = totals
    for c in numeric:
        plan = v.Plan(f"_w_{c.name}_")
        val = fields.numeric_text(plan, c, v.clean(pl.col(f"c{layout.mapping[c.name]}")))[0]
        for level in plan.levels:
            parsed = parsed.with_columns(**level)
        parsed = parsed.with_columns(val.alias(c.name))
    for t in parsed.iter_rows(named=True):
        seg = pl.col("_seg")
        rows = frame.filter(seg == t["_seg"] if t["_kind"] == "小计" else seg <= t["_seg"])
        for c in numeric:
            stated = t[c.name]
            if stated is None:
                continue
            total = rows[f"_n_{c.name}"].sum() or 0.0
            if abs(total - stated) > 0.01 + 1e-9:
                return Fault(
                    "total_mismatch", c.name,
                    f"第{t['_row']}行{t['_kind']}的“{c.zh}”为{stated:.2f}，而数据行合计为"
                    f"{total:.2f} / total row {t['_row']}: column {c.name} is {stated:.2f} "
                    f"but the data rows sum to {total:.2f}",
                )
    return None
