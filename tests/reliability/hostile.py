"""Hostile or odd inbox files of issue 16 defect 3, built small (also used by the RSS script);
`first_args`, the reliability tests' count of a function's calls; `gone` / `wait_gone`,
whether a process has ended."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

REGIONS = [
    ["区划代码", "名称", "层级", "上级代码", "城乡分类代码", "常住人口", "户籍人口"],
    ["110101000000", "东城区", "区县", None, None, None, None],
    ["110101001000", "东华门街道", "街道", "110101000000", None, None, None],
]


def first_args(monkeypatch, owner, name: str, keep: Callable = lambda arg: arg) -> list:
    """`keep(first argument)` of every call to `owner.name` from now on, in order; each call
    still goes to the real function."""
    calls, real = [], getattr(owner, name)

    def counting(first, *args, **kwargs):
        calls.append(keep(first))
        return real(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def gone(pid: int) -> bool:
    """Whether process `pid` has ended: no longer there, or a zombie (ended, not yet reaped
    by its parent)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def wait_gone(pid: int, seconds: float = 10) -> bool:
    """`gone(pid)`, waiting up to `seconds` for it."""
    deadline = time.monotonic() + seconds
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return gone(pid)


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def regions_inbox(root: Path, monkeypatch, workbook: str | None = None) -> Path:
    """`root` with an empty `inbox/regions/` (and a good regions `workbook` in it, if named)
    for an ingest in process with the warehouse's own PII key; returns `root`."""
    monkeypatch.delenv("CIVSTAT_PII_KEY", raising=False)
    monkeypatch.setenv("CIVSTAT_PARSE_WORKERS", "1")
    (root / "inbox" / "regions").mkdir(parents=True)
    if workbook:
        (root / "inbox" / "regions" / workbook).write_bytes(xlsx_bytes(REGIONS))
    return root


def rewrite_sheet(data: bytes, edit) -> bytes:
    """The package with xl/worksheets/sheet1.xml replaced by edit(old xml)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = edit(body)
            dst.writestr(item.filename, body)
    return out.getvalue()


def huge_dimension() -> bytes:
    return rewrite_sheet(xlsx_bytes(REGIONS), lambda x: x.replace(
        b'<dimension ref="A1:G3"/>', b'<dimension ref="A1:XFD1048576"/>'))


def far_cell() -> bytes:
    """No dimension lie, but one cell at XFD1048576."""
    return rewrite_sheet(xlsx_bytes(REGIONS), lambda x: x.replace(
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData>"))


def zip_bomb(mb: int = 20) -> bytes:
    """A sheet padded with `mb` MB of blanks: a few KB on disk."""
    return rewrite_sheet(xlsx_bytes(REGIONS), lambda x: x.replace(
        b"</sheetData>", b"</sheetData>" + b" " * (mb << 20)))


def wide_csv(columns: int = 2_000_000) -> bytes:
    """Stopped in the first 1 MiB window: 1,048,576 commas there, so 1,048,577+ fields."""
    return b"," * (columns - 1)


def long_line_csv(mb: int = 5) -> bytes:
    """One line of `mb` MB without a comma (one allocation: the RSS script measures it)."""
    return b"a" * (mb << 20)


_XML2003 = ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S">'
            '<Table>{}</Table></Worksheet></Workbook>')


def far_xml_row() -> bytes:
    """An Excel 2003 XML sheet of a few hundred bytes whose one row is row 2,000,000."""
    return _XML2003.format('<Row ss:Index="2000000"><Cell><Data ss:Type="String">x</Data>'
                           '</Cell></Row>').encode()


def wide_xml_merge() -> bytes:
    """One cell merged 100,000 rows down and 900 across: 90 M cells to fill."""
    return _XML2003.format('<Row><Cell ss:MergeDown="100000" ss:MergeAcross="900">'
                           '<Data ss:Type="String">x</Data></Cell></Row>').encode()


def tall_html_span() -> bytes:
    """An HTML table (an .xls saved from a web system) whose one cell spans 3,000,000 rows."""
    return b'<html><body><table><tr><td rowspan="3000000">x</td></tr></table></body></html>'


CASES = {  # name → (file name, bytes, words the rejection must hold)
    "empty": ("empty.csv", lambda: b"", "文件为空"),
    "blank": ("blank.csv", lambda: b"  \r\n\n , ,\n\t\n", "文件为空"),
    "dimension": ("dim.xlsx", huge_dimension, "1,048,576 行 × 16,384 列"),
    "far_cell": ("far.xlsx", far_cell, "16,384 列"),
    "zip_bomb": ("bomb.xlsx", zip_bomb, "压缩炸弹"),
    "columns": ("wide.csv", wide_csv, "1,048,577 列以上，超过上限 1,000 列"),
    "long_line": ("long.csv", long_line_csv, "超过上限 4,194,304"),
    "xml_row": ("far.xml", far_xml_row, "2,000,000 行 × 1 列，超过上限"),
    "xml_merge": ("merge.xml", wide_xml_merge, "100,001 行 × 901 列，超过上限"),
    "html_span": ("span.xls", tall_html_span, "3,000,000 行 × 1 列，超过上限"),
}
