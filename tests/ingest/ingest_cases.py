"""Hand-made inboxes for the ingest tests: a tiny district, written with openpyxl / plain text.

Every file gets a fixed arrival time (mtime) so the date window does not depend on the clock.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import openpyxl

ARRIVAL = datetime(2026, 7, 10, 9, 0)  # Asia/Shanghai local time of every test file
NOW = datetime(2026, 7, 10, 12, 0)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

HH_HEADER = ["发放月份", "户编号", "区划代码", "保障类型", "户主姓名", "户主身份证号", "家庭人口",
             "保障人数", "家庭月人均收入", "月保障金额", "银行账号"]
REGIONS = [
    ["区划代码", "名称", "层级", "上级代码", "城乡分类代码", "常住人口", "户籍人口"],
    ["110101000000", "东城区", "区县", None, None, None, None],
    ["110101001000", "东华门街道", "街道", "110101000000", None, None, None],
    ["110101001001", "多福巷社区", "社区", "110101001000", "111", 1000, 900],
    ["110101001002", "镇中心村", "村居", "110101001000", "121", 800, 700],
    ["110101001003", "远山村", "村", "110101001000", "220", 500, 450],
]
STANDARDS = [["执行月份", "标准类别", "月保障标准"],
             ["2026-01", "城市", 800], ["2026-01", "城镇", 700], ["2026-01", "农村", 600]]


def make_id(body17: str) -> str:
    """Test data only: an ID with its ISO 7064 MOD 11-2 check character."""
    total = sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True))
    return body17 + "10X98765432"[total % 11]


def person(n: int) -> str:
    """A valid ID number for person n (born in January 1960)."""
    return make_id(f"110101196001{1 + n % 28:02d}{n:03d}")


def hh(**over) -> list:
    """A valid dibao_households row; keyword arguments replace cells by English name."""
    row = {"month": "2026-06", "household_id": "H001", "region_code": "110101001001",
           "program": "城市低保", "head_name": "张三", "head_id_number": person(1),
           "family_size": 3, "covered_persons": 2, "per_capita_income": "300.00",
           "monthly_amount": "1,000.00", "bank_account": None}
    row.update(over)
    return list(row.values())


def _stamp(path: Path) -> None:
    ts = ARRIVAL.replace(tzinfo=timezone(timedelta(hours=8))).timestamp()
    os.utime(path, (ts, ts))


class Env:
    def __init__(self, root: Path):
        self.inbox = root / "inbox"
        self.warehouse = root / "wh"
        self.inbox.mkdir()
        self.con = duckdb.connect(str(root / "civstat.duckdb"))

    def xlsx(self, rel: str, rows: list[list]) -> Path:
        return self.xlsx_sheets(rel, {"Sheet": rows})

    def xlsx_sheets(self, rel: str, sheets: dict[str, list[list]]) -> Path:
        """A workbook of one sheet per entry (name: rows), in that order, stamped as arrived."""
        path = self.inbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = openpyxl.Workbook()
        for i, (name, rows) in enumerate(sheets.items()):
            ws = wb.active if i == 0 else wb.create_sheet()
            ws.title = name
            for r in rows:
                ws.append(r)
        wb.save(path)
        _stamp(path)
        return path

    def raw(self, rel: str, data: bytes) -> Path:
        path = self.inbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        _stamp(path)
        return path

    def run(self, source: str, now: datetime = NOW):
        from ingest.pipeline import ingest_source

        return ingest_source(source, self.inbox, self.warehouse, self.con, now=now)

    def base(self) -> Env:
        """Regions and standards of the tiny district, loaded."""
        self.xlsx("regions/regions.xlsx", REGIONS)
        self.xlsx("dibao_standards/std.xlsx", STANDARDS)
        assert self.run("regions").rows_loaded == 5
        assert self.run("dibao_standards").rows_loaded == 3
        return self

    def sql(self, query: str, params=None) -> list[tuple]:
        return self.con.execute(query, params or []).fetchall()

    def quarantine(self, source: str) -> list[tuple]:
        """(file, row_number, column_name, reason) of the source's quarantined rows."""
        return self.sql("SELECT source_file, row_number, column_name, reason FROM raw.quarantine "
                        "WHERE source = ? ORDER BY source_file, row_number", [source])


COVERED = object()  # a cell covered by a merged range


class Percentage(float):
    """A number an .ods cell holds as a percentage (ods_bytes)."""


def ods_bytes(table: list, name: str = "名册") -> bytes:
    """An .ods of one table: a row is a list of cells or ("hidden", cells); a cell is a value,
    COVERED, a Percentage (a number of value type percentage: shown × 100 with %), or
    (value, rows spanned, columns spanned)."""
    def cell(v):
        if v is COVERED:
            return "<table:covered-table-cell/>"
        span = ""
        if isinstance(v, tuple):
            v, rows, cols = v
            span = (f' table:number-rows-spanned="{rows}" '
                    f'table:number-columns-spanned="{cols}"')
        if isinstance(v, Percentage):
            return (f'<table:table-cell office:value-type="percentage" office:value="{v}"{span}>'
                    f"<text:p>{v * 100}%</text:p></table:table-cell>")
        if isinstance(v, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{v}"{span}>'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"{span}><text:p>{v}</text:p>'
                f"</table:table-cell>")

    def row(r):
        hidden = isinstance(r, tuple)
        cells = r[1] if hidden else r
        attr = ' table:visibility="collapse"' if hidden else ""
        return f"<table:table-row{attr}>" + "".join(cell(v) for v in cells) + "</table:table-row>"

    body = "".join(row(r) for r in table)
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content'
                   f' {ns} office:version="1.2"><office:body><office:spreadsheet><table:table '
                   f'table:name="{name}">{body}</table:table></office:spreadsheet></office:body>'
                   f"</office:document-content>")
        z.writestr("META-INF/manifest.xml", manifest)
    return buf.getvalue()
