"""Finding the header row, the data rows, total rows and the end of the data in a grid."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import polars as pl

from ingest.contract import Source
from ingest.reader import Grid, column_letter
from ingest.values import clean_text

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
        h = norm_header(cell)
        name = exact.get(h) or nospace.get("".join(h.split()))
        if name and name not in found:
            found[name] = j
    return found


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


def locate(grid: Grid, source: Source) -> Layout:
    frame = grid.frame
    cols = grid.columns
    exact, nospace = header_lookup(source)
    required = {c.name for c in source.required_columns}
    header_idx, mapping, header = None, {}, None
    for i, cells in enumerate(frame.select(cols).iter_rows()):
        found = _match(cells, exact, nospace)
        if 2 * len(required & found.keys()) >= len(required) and found.keys() & required:
            header_idx, mapping, header = i, found, cells
            break
    body = frame if header_idx is None else frame.slice(header_idx + 1)
    first = pl.coalesce([clean_text(pl.col(c)) for c in cols]) if cols else pl.lit(None)
    marker = first.str.normalize("NFKC").str.replace_all(r"\s", "")
    body = body.with_columns(marker.alias("_first")).filter(pl.col("_first").is_not_null())
    is_end = body.select(
        pl.any_horizontal(pl.col("_first").str.starts_with(p) for p in END_PREFIXES)
    ).to_series()
    if is_end.any():
        body = body.head(int(is_end.arg_true()[0]))
    total_kind = pl.when(pl.col("_first").str.starts_with("小计")).then(pl.lit("小计"))
    for p in ("合计", "总计"):
        total_kind = total_kind.when(pl.col("_first").str.starts_with(p)).then(pl.lit("合计"))
    body = body.with_columns(total_kind.otherwise(None).alias("_kind"))
    is_total = pl.col("_kind").is_not_null()
    body = body.with_columns(
        (is_total.cast(pl.Int32).cum_sum() - is_total.cast(pl.Int32)).alias("_seg")
    )
    data = body.filter(~is_total).drop("_first", "_kind")
    totals = body.filter(is_total).drop("_first")
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
