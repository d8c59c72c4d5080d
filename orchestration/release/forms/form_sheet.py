"""Filling a form from a release's rows and writing it as `forms/<form>.xlsx` (xlsxwriter).

Columns 指标名称 | 单位 | 代码 | 本期 | 上期 | 环比(%) | 上年同期 | 同比(%). 本期 is the published
value × the line's scale, rounded half-up to the line's decimals (a rate or ratio from its
numerator and denominator, so it is rounded once: 1087 / 2499 = 43.497 % is 43 at no
decimals, where the published 43.50 would give 44); 上期 and 上年同期 and the
two percentages come from the release's comparisons.csv rows when it has them (empty
otherwise). A line whose (region, indicator, breakdown) has no row is written empty and
reported by `missing_lines` (manifest `forms`, warning `form_lines_missing`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import xlsxwriter

from dashboards.view import LEVELS, Check, Manifest, Row, period_zh
from ingest.periods import parse_period
from orchestration.release.comparisons import change_pct
from orchestration.release.forms import CHECK, CHECK_DESCRIPTION, Form, Line
from orchestration.release.rows import to_decimal
from orchestration.release.tables import XLSX_CREATED

HEADERS = ["指标名称", "单位", "代码", "本期", "上期", "环比(%)", "上年同期", "同比(%)"]
WIDTHS = [40, 12, 12, 14, 14, 10, 14, 10]


@dataclass(frozen=True)
class Filled:
    line: Line
    value: Decimal | None
    previous: Decimal | None
    change_pct: Decimal | None
    last_year: Decimal | None
    yoy_pct: Decimal | None


def top_region(rows: list[Row]) -> str | None:
    """The region code of the release's highest level (the district of a district release,
    the city of a city roll-up)."""
    ranked = sorted(rows, key=lambda r: (LEVELS.index(r.region_level), r.region_code))
    return ranked[0].region_code if ranked else None


def _region(line: Line, top: str | None) -> str | None:
    return top if line.region == "district" else line.region


def missing_lines(forms: list[Form], rows: list[Row]) -> dict[str, list[str]]:
    """{form name: ["<行次> <label> (<indicator>/<breakdown>)", …]} of lines without a row."""
    top, keys = top_region(rows), {r.key for r in rows}
    out = {}
    for form in forms:
        gone = [f"{ln.number} {ln.label} ({ln.code_text})" for ln in form.lines
                if any((_region(ln, top), i, ln.breakdown) not in keys for i in ln.indicators)]
        if gone:
            out[form.name] = gone
    return out


def line_keys(forms: list[Form], top: str | None) -> set[tuple[str | None, str, str]]:
    """The (region_code, indicator, breakdown) of every line of `forms` (`top`: the release's
    own region)."""
    return {(_region(ln, top), i, ln.breakdown) for form in forms for ln in form.lines
            for i in ln.indicators}


def read_comparisons(path: Path, keys: set) -> dict[tuple[str, str, str], dict]:
    """The comparisons.csv rows of `keys` (region_code, indicator, breakdown), by key: a
    province's file has ≈ 290 k rows, the forms need a few dozen; {} when the file is
    absent."""
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {key: r for r in csv.DictReader(fh)
                if (key := (r["region_code"], r["indicator"], r["breakdown"])) in keys}


def _num(text) -> Decimal | None:
    return None if text in (None, "") else to_decimal(text)


def _scaled(v: Decimal | None, line: Line) -> Decimal | None:
    if v is None:
        return None
    return (v * line.scale).quantize(Decimal(1).scaleb(-line.decimals), rounding=ROUND_HALF_UP)


def _pct(v: Decimal | None) -> Decimal | None:
    return None if v is None else v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fill(form: Form, rows: list[Row], comparisons: dict | None = None) -> list[Filled]:
    top = top_region(rows)
    by_key = {r.key: r for r in rows}
    comparisons = comparisons or {}
    out = []
    for ln in form.lines:
        keys = [(_region(ln, top), i, ln.breakdown) for i in ln.indicators]
        if len(keys) > 1:
            out.append(_sum_line(ln, [by_key.get(k) for k in keys],
                                 [comparisons.get(k, {}) for k in keys]))
            continue
        row, cmp = by_key.get(keys[0]), comparisons.get(keys[0], {})
        out.append(Filled(
            ln, _scaled(row.exact if row else None, ln),
            _scaled(_num(cmp.get("previous_value")), ln) if row else None,
            _pct(_num(cmp.get("change_pct"))) if row else None,
            _scaled(_num(cmp.get("last_year_value")), ln) if row else None,
            _pct(_num(cmp.get("yoy_pct"))) if row else None,
        ))
    return out


def _sum_line(ln: Line, rows: list[Row | None], cmps: list[dict]) -> Filled:
    """A line of several indicators: the sum of their published values, and of their earlier
    values where every one has one (else empty); 环比/同比 of the sums as comparisons.csv
    computes them (release/comparisons.py `change_pct`). Empty when an indicator has no row."""
    if any(r is None for r in rows):
        return Filled(ln, None, None, None, None, None)

    def total(column: str) -> Decimal | None:
        parts = [_num(c.get(column)) for c in cmps]
        return None if any(p is None for p in parts) else sum(parts, Decimal(0))

    value, previous, last_year = sum((r.value for r in rows), Decimal(0)), total(
        "previous_value"), total("last_year_value")
    return Filled(ln, _scaled(value, ln), _scaled(previous, ln),
                  change_pct(value, previous), _scaled(last_year, ln),
                  change_pct(value, last_year))


def write_form(path: Path, form: Form, filled: list[Filled], *, unit_name: str,
               period: str) -> None:
    """forms/<form>.xlsx: title rows, 填报单位, 报告期, the note, the header, one row per line."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    wb.set_properties({"title": form.title, "created": XLSX_CREATED})
    ws = wb.add_worksheet(sheet_name(form.title))
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    centre = wb.add_format({"align": "center"})
    left = wb.add_format({"align": "left", "text_wrap": True, "valign": "top"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    text = wb.add_format({"border": 1})
    pct = wb.add_format({"border": 1, "num_format": "0.00"})
    nums = {d: wb.add_format({"border": 1, "num_format": "#,##0" + ("." + "0" * d if d else "")})
            for d in range(5)}
    last = len(HEADERS) - 1
    ws.merge_range(0, 0, 0, last, form.title, title)
    ws.merge_range(1, 0, 1, last, form.subtitle, centre)
    ws.merge_range(2, 0, 2, 3, f"填报单位：{unit_name}", left)
    ws.merge_range(2, 4, 2, last, f"报告期：{period_zh_any(period)}（{period}）", left)
    ws.merge_range(3, 0, 3, last, form.note, left)
    ws.set_row(3, 32)
    for col, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        ws.write_string(4, col, name, head)
        ws.set_column(col, col, width)
    for i, f in enumerate(filled, start=5):
        ln = f.line
        for col, value in enumerate([ln.label, ln.unit, ln.code]):
            if value:
                ws.write_string(i, col, value, text)
            else:
                ws.write_blank(i, col, None, text)
        for col, value, fmt in ((3, f.value, nums[ln.decimals]), (4, f.previous, nums[ln.decimals]),
                                (5, f.change_pct, pct), (6, f.last_year, nums[ln.decimals]),
                                (7, f.yoy_pct, pct)):
            if value is None:
                ws.write_blank(i, col, None, fmt)
            else:
                ws.write_number(i, col, float(value), fmt)
    ws.freeze_panes(5, 1)
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(4)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    wb.close()


def sheet_name(title: str) -> str:
    """The title as Excel allows a sheet's name: without ``[]:*?/\\`` (each made ``_``),
    no apostrophe at either end, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "_", title)[:31].strip("'") or "form"


def for_period(form: Form, period: str) -> Form:
    """The form's texts for a release of `period`: ``{报告期}`` in words, and a year-to-date
    form's note replaced when `period` does not start in January (its flows are then the
    period's alone, not cumulative from January as the note says; indicators.md §6: the
    季报 is run on the year-to-date range)."""
    words = period_zh_any(period)
    texts = {k: getattr(form, k).replace("{报告期}", words) for k in ("title", "subtitle", "note")}
    try:
        months = parse_period(period).months
    except ValueError:
        months = ()
    if form.year_to_date and months and months[0].month != 1:
        last = months[-1]
        texts["note"] = (
            f"注意：报告期{words}不是年初至报告期末，本表流量指标为报告期内数，不是1月起累计数。"
            f"本表应按年初至报告期末填报：以 --period {last.year}-01/{last:%Y-%m} 运行。")
    return replace(form, **texts)


def period_zh_any(period: str) -> str:
    """The period in words where the period parser knows it (a month range until the v2
    periods are merged is shown as its code)."""
    try:
        return period_zh(period)
    except ValueError:
        return period


def write_forms(folder: Path, forms: list[Form], rows: list[Row], unit_name: str,
                period: str) -> None:
    """forms/<form>.xlsx of every form in the release folder (comparisons.csv read if there)."""
    comparisons = read_comparisons(folder / "comparisons.csv", line_keys(forms, top_region(rows)))
    (folder / "forms").mkdir(exist_ok=True)
    for form in forms:
        write_form(folder / "forms" / f"{form.name}.xlsx", for_period(form, period),
                   fill(form, rows, comparisons),
                   unit_name=unit_name, period=period)


def record_forms(manifest: Manifest, forms: list[Form], rows: list[Row]) -> None:
    """Put the forms' missing lines in the manifest (`forms`: {form: [lines]}, every form
    listed) and the warning check `form_lines_missing` among its checks (indicators.md §7),
    so the manifest, indicators.xlsx's 质量检查 sheet and the quality page all show it."""
    missing = missing_lines(forms, rows)
    manifest.forms = {f.name: missing.get(f.name, []) for f in forms}
    n = sum(len(v) for v in missing.values())
    detail = "；".join(f"{name}: {len(lines)} 行 lines" for name, lines in missing.items())
    manifest.checks = [c for c in manifest.checks if c.name != CHECK] + [Check(
        name=CHECK, asset="release", severity="warning", passed=n == 0,
        description=CHECK_DESCRIPTION, detail=detail and f"{n} 行缺指标 lines empty: {detail}",
    )]
