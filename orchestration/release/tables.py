"""indicators.csv, monthly.csv, indicators.json and indicators.xlsx from the validated rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from json.encoder import encode_basestring  # the string encoder json.dumps uses

import xlsxwriter

from dashboards.view import Manifest, Row
from ingest.cells import formula_safe as safe_text  # the one formula rule
from ingest.labels import DOMAINS, SEVERITIES
from orchestration.release.rows import COLUMNS, CSV_COLUMNS, plain

V1_DOMAINS = ("social_assistance", "disasters", "veterans", "targets")  # always a sheet
XLSX_HEADERS = ["期间", "区划代码", "区划名称", "指标代码", "指标名称", "口径", "数值", "单位",
                "分子", "分母"]
XLSX_WIDTHS = [10, 14, 16, 34, 20, 22, 14, 10, 18, 18]
# A fixed created-date keeps the workbook byte-identical across runs with the same rows.
XLSX_CREATED = datetime(2000, 1, 1)


class _SafeTexts(dict):
    """{text: safe_text(text)}, each distinct text made safe once (the rows' names, codes and
    units repeat: 8 text cells a row of a province's 1.7 M monthly rows)."""

    def __missing__(self, text: str) -> str:
        safe = self[text] = safe_text(text)
        return safe


def csv_bytes(rows: list[Row]) -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    safe = _SafeTexts()
    for r in rows:
        out.writerow([
            safe[r.period], safe[r.region_code], safe[r.region_name], safe[r.indicator],
            safe[r.indicator_name], safe[r.breakdown], r.text, safe[r.unit],
            plain(r.numerator), plain(r.denominator),
        ])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _float_text(d) -> str:
    return "" if d is None else repr(float(d))


def monthly_csv_chunks(rows: list[Row], block: int = 50_000) -> Iterator[bytes]:
    """monthly.csv in pieces of `block` rows (a province's 1.7 M monthly rows need not be one
    text at once): every column of the rows, one period per month. Values keep the mart's
    2 decimals (counts too), numerators and denominators are written as floats: the file's
    format since it was first published."""
    safe = _SafeTexts()
    for start in range(0, max(len(rows), 1), block):
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")
        if start == 0:
            out.writerow(COLUMNS)
        for r in rows[start:start + block]:
            out.writerow([
                safe[r.period], safe[r.region_code], safe[r.region_name], safe[r.region_level],
                safe[r.indicator], safe[r.indicator_name], safe[r.domain], safe[r.breakdown],
                f"{r.value:.2f}", safe[r.unit], r.value_kind,
                _float_text(r.numerator), _float_text(r.denominator),
            ])
        yield (b"\xef\xbb\xbf" if start == 0 else b"") + buf.getvalue().encode("utf-8")


def _number(d):
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() and abs(d) < 2**53 else float(d)


def _json_row(r: Row) -> dict:
    return {"period": r.period, "region_code": r.region_code, "region_name": r.region_name,
            "region_level": r.region_level, "indicator": r.indicator,
            "indicator_name": r.indicator_name, "domain": r.domain, "breakdown": r.breakdown,
            "breakdown_name": r.breakdown_name, "value": _number(r.value), "value_text": r.text,
            "unit": r.unit, "value_kind": r.value_kind, "numerator": _number(r.numerator),
            "denominator": _number(r.denominator)}


def _json_scalar(v) -> str:
    """A row's value as `json.dumps(..., ensure_ascii=False)` writes it inside a document:
    text through json's own string encoder, whole numbers by `int.__repr__`, anything else
    (floats, None) by json itself."""
    if type(v) is str:
        return encode_basestring(v)
    if type(v) is int:
        return int.__repr__(v)
    return json.dumps(v)


def _pretty(value, pad: str) -> str:
    """`value` as json.dumps(sort_keys, indent=2) writes it nested `pad` deep."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).replace("\n", "\n" + pad)


def json_chunks(rows: list[Row], period: str, manifest: Manifest) -> Iterator[bytes]:
    """indicators.json in pieces, a row at a time: {"created_at", "indicators": {code:
    catalogue entry}, "period", "rows": [one object per row], "run_id"}, UTF-8, keys sorted,
    indented by 2, a final newline — joined, the bytes of
    `json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2)`.

    json.dumps of the whole document went through json's pure-Python indenting encoder and
    held every piece of a province's 139 MB file at once (≈ 1 GB above the release's other
    memory; docs/benchmarks.md, "Issue 18, sixth round"). JSON text holds no raw line break,
    so a nested value is indented by padding its line breaks."""
    catalogue = {
        r.indicator: {"name": r.indicator_name, "unit": r.unit, "domain": r.domain,
                      "domain_name": DOMAINS[r.domain], "value_kind": r.value_kind}
        for r in rows
    }
    top = {"period": period, "run_id": manifest.run_id, "created_at": manifest.created_at,
           "indicators": catalogue, "rows": None}
    keys = sorted(_json_row(rows[0])) if rows else []
    heads = [f'      {encode_basestring(k)}: ' for k in keys]
    for n, k in enumerate(sorted(top)):
        yield (("{\n" if n == 0 else ",\n") + f"  {encode_basestring(k)}: ").encode()
        if k != "rows":
            yield _pretty(top[k], "  ").encode()
        elif not rows:
            yield b"[]"
        else:
            for i, r in enumerate(rows):
                d = _json_row(r)
                yield (("[\n" if i == 0 else ",\n") + "    {\n" + ",\n".join(
                    [h + _json_scalar(d[c]) for h, c in zip(heads, keys, strict=True)])
                    + "\n    }").encode()
            yield b"\n  ]"
    yield b"\n}\n"


def _write_text(ws, row: int, col: int, value, fmt=None) -> None:
    text = "" if value is None else str(value)
    if text:
        ws.write_string(row, col, text, fmt)  # never a formula, whatever it starts with
    else:
        ws.write_blank(row, col, None, fmt)


def _write_num(ws, row: int, col: int, value, fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def xlsx_cells(rows: list[Row]) -> list[tuple]:
    """What indicators.xlsx shows of each row, as plain values (`str`, `float`, `None`): the
    row's domain (its sheet), whether its value is a count (format ``#,##0``, else
    ``#,##0.00``), then the sheet's ten columns (XLSX_HEADERS; 数值, 分子, 分母 as floats).
    Plain tuples travel to another process ≈ 7 × faster than the rows (Decimals)."""
    return [(r.domain, r.value_kind == "count", r.period, r.region_code, r.region_name,
             r.indicator, r.indicator_name, r.breakdown, _float(r.value), r.unit,
             _float(r.numerator), _float(r.denominator)) for r in rows]


def xlsx_bytes(cells: list[tuple], manifest: Manifest) -> bytes:
    """indicators.xlsx: a sheet per domain (DOMAINS; the v1 ones always) with the rows'
    `cells` (`xlsx_cells`), then the 质量检查 sheet of the manifest's checks and waivers.
    The bytes depend only on the cells and the manifest (fixed created-date); xlsxwriter
    writes the same bytes into memory as into a file."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False})
    wb.set_properties({"title": f"{cells[0][2] if cells else ''} 民政统计指标",
                       "created": XLSX_CREATED})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    whole = wb.add_format({"num_format": "#,##0"})
    cents = wb.add_format({"num_format": "#,##0.00"})
    raw = wb.add_format({"num_format": "General"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    present = {c[0] for c in cells}
    for domain, sheet_name in DOMAINS.items():
        if domain not in present and domain not in V1_DOMAINS:
            continue  # a v2 family gets its sheet only when the release has its rows
        ws = wb.add_worksheet(sheet_name)
        for col, (title, width) in enumerate(zip(XLSX_HEADERS, XLSX_WIDTHS, strict=True)):
            ws.write_string(0, col, title, head)
            ws.set_column(col, col, width)
        ws.freeze_panes(1, 0)
        mine = [c for c in cells if c[0] == domain]
        for i, (_, count, *texts, value, unit, num, den) in enumerate(mine, start=1):
            for col, text in enumerate(texts):
                _write_text(ws, i, col, text)
            _write_num(ws, i, 6, value, whole if count else cents)
            _write_text(ws, i, 7, unit)
            _write_num(ws, i, 8, num, raw)
            _write_num(ws, i, 9, den, raw)
        ws.autofilter(0, 0, max(len(mine), 1), len(XLSX_HEADERS) - 1)
    _quality_sheet(wb.add_worksheet("质量检查"), manifest, head, wrap)
    wb.close()
    return out.getvalue()


def _quality_sheet(ws, manifest: Manifest, head, wrap) -> None:
    for col, (title, width) in enumerate(zip(["名称", "级别", "结果", "说明"],
                                             [36, 8, 10, 80], strict=True)):
        ws.write_string(0, col, title, head)
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    row = 1
    for check in manifest.checks:
        note = "；".join(x for x in (check.description, check.detail) if x)
        level = SEVERITIES[check.severity]
        for col, text in enumerate([check.name, level, check.outcome, note]):
            _write_text(ws, row, col, text, wrap if col == 3 else None)
        row += 1
    row += 1
    ws.set_column(4, 4, 22)
    for col, title in enumerate(["豁免的检查", "期间", "批准人", "理由", "批准时间"]):
        ws.write_string(row, col, title, head)
    for waiver in manifest.waivers:
        row += 1
        for col, key in enumerate(["check", "period", "by", "reason", "at"]):
            _write_text(ws, row, col, getattr(waiver, key), wrap if key == "reason" else None)
