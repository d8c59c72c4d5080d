"""Workbooks as offices really send them (data contract v2 §1, issue 11): formats told by
content, several sheets, hidden sheets and rows, merged cells, numeric dates and IDs.

Every file is built here (xlsxwriter, hand-written HTML/XML/ODS zip), except one legacy .xls
made once by ``files/make_legacy_xls.py``. Expected values are worked out by hand.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import xlsxwriter
from ingest_cases import COVERED, HH_HEADER, REGIONS, STANDARDS, _stamp, hh, make_id, ods_bytes, person

from ingest.reader import read_file

FILES = Path(__file__).parent / "files"
TK_HEADER = ["发放月份", "姓名", "身份证号", "区划代码", "供养方式", "月供养金额"]
ID1, ID2, ID3, ID4 = (make_id(f"110101196001{d:02d}00{d}") for d in (1, 2, 3, 4))


def tk(name: str, idn: str, amount="500.00", month="2026-06", region="110101001001",
       care="集中供养") -> list:
    return [month, name, idn, region, care, amount]


def book(env, rel: str, build, options: dict | None = None) -> Path:
    """An xlsx written by xlsxwriter: ``build(workbook)`` adds the sheets."""
    path = env.inbox / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), options or {})
    build(wb)
    wb.close()
    _stamp(path)
    return path


def rows(ws, table: list[list], first: int = 0) -> None:
    for i, r in enumerate(table, start=first):
        for j, v in enumerate(r):
            if v is not None:
                ws.write(i, j, v) if not isinstance(v, str) else ws.write_string(i, j, v)


def regions(env) -> None:
    env.xlsx("regions/regions.xlsx", REGIONS)
    assert env.run("regions").rows_loaded == 5


def loaded(env, cols: str = "_row_number, name, monthly_amount") -> list[tuple]:
    return env.sql(f"SELECT {cols} FROM raw.tekun_persons ORDER BY _source_file, _extra, "
                   f"_row_number")


# ------------------------------------------------------------------ sheets


def test_every_visible_data_sheet_is_read_hidden_sheets_never(env):
    """城市 and 农村 on two sheets; a note sheet named; hidden and very hidden sheets ignored."""
    regions(env)

    def build(wb):
        a = wb.add_worksheet("说明")
        a.write_string(0, 0, "本表分城市、农村两个工作表")
        b = wb.add_worksheet("城市")
        rows(b, [TK_HEADER, tk("赵一", ID1, "800.00"), tk("钱二", ID2, "650.50")])
        h = wb.add_worksheet("旧表")
        rows(h, [TK_HEADER, tk("周四", ID4, "999.00")])
        h.hide()
        c = wb.add_worksheet("农村")
        # a leading empty row: title in sheet row 2, header row 3, the person row 4
        rows(c, [["2026年6月农村特困人员名册"], TK_HEADER, tk("孙三", ID3, "700", care="分散供养")],
             first=1)
        v = wb.add_worksheet("隐藏")
        rows(v, [TK_HEADER, tk("李五", make_id("11010119600105005"), "1.00")])
        v.very_hidden()
        a.activate()

    book(env, "tekun_persons/two.xlsx", build)
    report = env.run("tekun_persons")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 3, 0)
    got = env.sql("SELECT _row_number, name, monthly_amount, _extra FROM raw.tekun_persons "
                  "ORDER BY monthly_amount")
    assert [(r[0], r[1], r[2], json.loads(r[3])) for r in got] == [
        (3, "钱二", 650.5, {"工作表": "城市"}),
        (4, "孙三", 700.0, {"工作表": "农村"}),
        (2, "赵一", 800.0, {"工作表": "城市"}),
    ]
    detail = env.sql("SELECT detail FROM raw.files WHERE source = 'tekun_persons'")[0][0]
    assert "“说明”没有本数据源的表头" in detail
    assert "第2个工作表“城市”已读取" in detail and "第3个工作表“农村”已读取" in detail  # 3rd visible tab
    assert "“旧表”为隐藏工作表" in detail and "“隐藏”为隐藏工作表" in detail
    assert report.files[0].header_row == 1


def test_workbook_without_data_sheet_is_missing_column(env):
    regions(env)

    def build(wb):
        wb.add_worksheet("说明").write_string(0, 0, "没有数据")
        wb.add_worksheet("空表")
        h = wb.add_worksheet("名册")
        rows(h, [TK_HEADER, tk("赵一", ID1)])
        h.hide()

    book(env, "tekun_persons/none.xlsx", build)
    report = env.run("tekun_persons")
    assert [(f.status, f.reason) for f in report.files] == [("rejected", "missing_column")]
    assert env.sql("SELECT count(*) FROM raw.tekun_persons") == [(0,)]


# ------------------------------------------------------------------ rows and cells


def test_hidden_rows_are_quarantined_not_loaded(env):
    """The realworld case "hidden-rows": 停发/已故 rows hidden instead of deleted. The 合计
    equals the sum of the shown rows (SUBTOTAL) and would equal all rows (SUM): both pass."""
    regions(env)

    def build(wb):
        ws = wb.add_worksheet("Sheet1")
        rows(ws, [TK_HEADER + ["备注"], tk("赵一", ID1, "800.00"),
                  tk("钱二", ID2, "650.00") + ["6月起停发（已故）"], tk("孙三", ID3, "700.00"),
                  tk("周四", ID4, "999.00") + ["6月起停发"], ["合计", None, None, None, None, 1500]])
        ws.set_row(2, None, None, {"hidden": True})
        ws.set_row(4, None, None, {"hidden": True})

    book(env, "tekun_persons/h.xlsx", build)
    report = env.run("tekun_persons")
    assert report.files[0].status == "loaded"
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    assert loaded(env) == [(2, "赵一", 800.0), (4, "孙三", 700.0)]
    assert env.quarantine("tekun_persons") == [
        ("tekun_persons/h.xlsx", 3, None, "hidden_row"),
        ("tekun_persons/h.xlsx", 5, None, "hidden_row")]
    detail, original, month = env.sql(
        "SELECT detail, original, month FROM raw.quarantine WHERE row_number = 3")[0]
    assert detail.startswith("第3行为隐藏行，未计入")
    assert json.loads(original)["姓名"] == "钱二"  # the original row is kept
    assert month == date(2026, 6, 1)  # counted in its period


def test_empty_hidden_rows_below_a_footer_are_not_named(env):
    """A template's empty rows, hidden, between 制表人 and 填报日期 are no rows left unread;
    a hidden row holding text below the footer is, by its row."""
    regions(env)

    def build(wb):
        ws = wb.add_worksheet("Sheet1")
        rows(ws, [TK_HEADER, tk("赵一", ID1, "800.00"), ["制表人：李四"]])
        for r in (3, 4, 5):
            ws.set_row(r, None, None, {"hidden": True})
        rows(ws, [["填报日期：2026-06-30"], ["钱二"]], first=6)
        ws.set_row(7, None, None, {"hidden": True})

    book(env, "tekun_persons/h.xlsx", build)
    report = env.run("tekun_persons")
    assert report.rows_loaded == 1
    assert "其下1行非空行（第8行）未读取" in report.files[0].detail


def test_merged_household_cells_fill_every_member(env):
    """The realworld case "merged-household-cells": 户编号 merged down a household, and a title
    merged across the table above the header."""
    env.base()
    hh = [["发放月份", "户编号", "区划代码", "保障类型", "户主姓名", "户主身份证号", "家庭人口",
           "保障人数", "家庭月人均收入", "月保障金额"],
          ["2026-06", "H001", "110101001001", "城市低保", "赵一", ID1, 2, 2, "100", "1,000"],
          ["2026-06", "H002", "110101001003", "农村低保", "孙三", ID3, 3, 1, "100", "500"]]
    env.xlsx("dibao_households/hh.xlsx", hh)
    assert env.run("dibao_households").rows_loaded == 2

    def build(wb):
        ws = wb.add_worksheet("成员")
        mid = wb.add_format({"valign": "vcenter"})
        ws.merge_range("A1:E1", "金港街道低保家庭成员信息表", mid)
        rows(ws, [["户编号", "姓名", "身份证号", "与户主关系", "是否保障对象"],
                  [None, "赵一", ID1, "户主", "是"], [None, "钱二", ID2, "配偶", "是"],
                  [None, "孙三", ID3, "户主", "是"], [None, "孙小", ID4, "子女", "否"],
                  [None, "李五", make_id("11010119600105005"), "其他", "否"]], first=1)
        ws.merge_range("A3:A4", "H001", mid)
        ws.merge_range("A5:A7", "H002", mid)

    path = book(env, "dibao_members/m.xlsx", build)
    report = env.run("dibao_members")
    assert (report.rows_loaded, report.rows_quarantined) == (5, 0)
    assert env.sql("SELECT _row_number, household_id, name FROM raw.dibao_members ORDER BY 1") == [
        (3, "H001", "赵一"), (4, "H001", "钱二"), (5, "H002", "孙三"), (6, "H002", "孙小"),
        (7, "H002", "李五")]
    # the title merge keeps its text in its first cell only: no row of repeated titles
    grid = read_file(path, path.read_bytes())
    assert grid.frame.row(0)[:5] == ("金港街道低保家庭成员信息表", None, None, None, None)


def test_numeric_months_are_excel_serial_dates_in_either_date_system(env):
    """The realworld case "excel-cjk-date-format": months stored as serial numbers shown
    through the zh-CN built-in format 57 (no format string), in the 1900 and the 1904 date
    systems; a plain-number serial; a yyyymm number kept as yyyymm; a 说明 sheet named."""
    regions(env)

    def build(values):
        def go(wb):
            cjk = wb.add_format({"num_format": 57})
            ws = wb.add_worksheet("Sheet1")
            rows(ws, [TK_HEADER])
            for i, (v, fmt, name, idn) in enumerate(values, start=1):
                ws.write_number(i, 0, v, cjk if fmt else None)
                for j, x in enumerate([name, idn, "110101001001", "集中供养", "500"], start=1):
                    ws.write_string(i, j, x)
            wb.add_worksheet("说明").write_string(0, 0, "发放月份为Excel日期")
        return go

    # 45809 = 2025-06-01 (days since 1899-12-30); 44347 = 2025-06-01 - 1462 days (1904-01-01)
    book(env, "tekun_persons/a1900.xlsx", build([(45809, True, "赵一", ID1),
                                                  (45838.5, False, "钱二", ID2),
                                                  (202604, False, "孙三", ID3)]))
    book(env, "tekun_persons/b1904.xlsx", build([(44347, True, "周四", ID4)]),
         {"date_1904": True})
    report = env.run("tekun_persons")
    assert report.rows_quarantined == 0
    assert env.sql("SELECT _source_file, _row_number, month FROM raw.tekun_persons "
                   "ORDER BY 1, 2") == [
        ("tekun_persons/a1900.xlsx", 2, date(2025, 6, 1)),
        ("tekun_persons/a1900.xlsx", 3, date(2025, 6, 1)),  # 45838.5 = 2025-06-30 12:00
        ("tekun_persons/a1900.xlsx", 4, date(2026, 4, 1)),  # 202604 is yyyymm, not a serial
        ("tekun_persons/b1904.xlsx", 2, date(2025, 6, 1)),
    ]


def test_numeric_id_numbers_15_digits_upgraded_18_digits_rejected(env):
    regions(env)
    old15 = "110101600102002"  # 1960-01-02, sequence 002: upgraded to 110101 19 600102 002 + check

    def build(wb):
        ws = wb.add_worksheet("Sheet1")
        rows(ws, [TK_HEADER])
        for i, (name, idn) in enumerate([("赵一", int(old15)), ("钱二", int(ID1)),
                                         ("孙三", ID3)], start=1):
            ws.write_string(i, 1, name)
            ws.write(i, 2, idn)
            for j, x in [(0, "2026-06"), (3, "110101001001"), (4, "集中供养"), (5, "500")]:
                ws.write_string(i, j, x)

    book(env, "tekun_persons/ids.xlsx", build)
    env.run("tekun_persons")
    assert loaded(env, "_row_number, id_number") == [(2, ID2), (4, ID3)]
    assert ID2 == "110101196001020025"
    assert env.quarantine("tekun_persons") == [
        ("tekun_persons/ids.xlsx", 3, "id_number", "invalid_id_number")]
    detail = env.sql("SELECT detail FROM raw.quarantine")[0][0]
    assert "Excel数值单元格" in detail


def test_a_table_not_starting_in_column_a_reads_its_own_number_cells(env):
    """Columns A and B empty: the number cells are the table's own (the month's serial, the
    IDs'), not those of the columns two to the left. Once the read of number cells failed
    (the file unreadable) or, with one empty column, took the flags of the column to the
    left: an 18-digit ID typed as a number (its last digits lost) loaded as another ID."""
    regions(env)
    old15 = "110101600102002"  # upgraded to ID2, as in the test above

    def build(wb):
        ws = wb.add_worksheet("Sheet1")
        rows(ws, [[None, None] + TK_HEADER])
        table = [(45809, "赵一", ID1),          # sheet row 2: month 2025-06-01 as a serial
                 ("2026-06", "钱二", int(ID3)),  # row 3: 18 digits as a number: refused
                 ("2026-06", "孙三", int(old15))]  # row 4: 15 digits as a number: upgraded
        for i, (month, name, idn) in enumerate(table, start=1):
            ws.write(i, 2, month)
            ws.write_string(i, 3, name)
            ws.write(i, 4, idn)
            for j, x in [(5, "110101001001"), (6, "集中供养"), (7, "500")]:
                ws.write_string(i, j, x)

    book(env, "tekun_persons/offset.xlsx", build)
    report = env.run("tekun_persons")
    assert report.files[0].status == "loaded"
    assert loaded(env, "_row_number, month, id_number") == [
        (2, date(2025, 6, 1), ID1), (4, date(2026, 6, 1), ID2)]
    assert env.quarantine("tekun_persons") == [
        ("tekun_persons/offset.xlsx", 3, "id_number", "invalid_id_number")]
    assert "Excel数值单元格" in env.sql("SELECT detail FROM raw.quarantine")[0][0]


def test_a_number_no_date_can_be_is_refused_in_a_date_column_not_a_crash(env):
    """A month column of number cells only, one an ID typed there (1.1e17 days): once the
    serial's conversion failed for the whole file (unreadable_file); now that row is
    invalid_date and the others load."""
    regions(env)

    def build(wb):
        ws = wb.add_worksheet("Sheet1")
        rows(ws, [TK_HEADER])
        for i, (month, name, idn) in enumerate(
                [(45809, "赵一", ID1), (110101196001011234, "钱二", ID2), (1e300, "孙三", ID3)],
                start=1):
            ws.write_number(i, 0, month)
            for j, x in enumerate([name, idn, "110101001001", "集中供养", "500"], start=1):
                ws.write_string(i, j, x)

    book(env, "tekun_persons/serials.xlsx", build)
    report = env.run("tekun_persons")
    assert report.files[0].status == "loaded"
    assert loaded(env, "_row_number, month") == [(2, date(2025, 6, 1))]
    assert env.quarantine("tekun_persons") == [
        ("tekun_persons/serials.xlsx", 3, "month", "invalid_date"),
        ("tekun_persons/serials.xlsx", 4, "month", "invalid_date")]


def test_excel_error_cells_are_refused_as_what_they_show(env):
    """A formula's error value (#N/A, #DIV/0!) is no number: the row is refused with the
    column's reason and the error named. Once calamine gave no text for it: an optional
    amount loaded NULL (counted as 0) and a required one said missing_value."""
    regions(env)
    env.xlsx("dibao_standards/std.xlsx", STANDARDS)
    env.run("dibao_standards")
    header = HH_HEADER + ["临时补助金额"]
    env.xlsx("dibao_households/errors.xlsx", [
        header,
        hh(household_id="H001", head_id_number=person(1)) + ["#N/A"],      # row 2: optional
        hh(household_id="H002", head_id_number=person(2),
           monthly_amount="#DIV/0!") + [None],                              # row 3: required
        hh(household_id="H003", head_id_number=person(3)) + ["50.00"],     # row 4: loads
        hh(household_id="#N/A", head_id_number=person(4)) + [None],        # row 5: no key
        hh(household_id="H005", head_id_number=person(5), head_name="#REF!") + [None],  # 6
    ])
    env.run("dibao_households")
    assert env.sql("SELECT household_id, temp_subsidy FROM raw.dibao_households") == [
        ("H003", 50)]
    # a text column takes an error value for empty (as calamine once gave it)
    assert env.quarantine("dibao_households") == [
        ("dibao_households/errors.xlsx", 2, "temp_subsidy", "invalid_amount"),
        ("dibao_households/errors.xlsx", 3, "monthly_amount", "invalid_amount"),
        ("dibao_households/errors.xlsx", 5, "household_id", "missing_value"),
        ("dibao_households/errors.xlsx", 6, "head_name", "missing_value")]
    details = [d for (d,) in env.sql("SELECT detail FROM raw.quarantine ORDER BY row_number")]
    assert "not a number '#N/A'" in details[0] and "not a number '#DIV/0!'" in details[1]


# ------------------------------------------------------------------ formats by content

HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="ProgId" content="Excel.Sheet"></head><body>
<table border="1">
<tr><td colspan="6">2026年6月特困人员救助供养金发放名册</td></tr>
<tr><td colspan="3">填报单位：东华门街道</td><td colspan="3">单位：元</td></tr>
<tr><th>发放月份</th><th>姓名</th><th>身份证号</th><th>区划代码</th><th>供养方式</th><th>月供养金额</th></tr>
<tr><td rowspan="2">2026/06</td><td>赵一</td><td>{ID1}</td><td>110101001001</td>
    <td>集中供养</td><td>800.00</td></tr>
<tr><td>钱二</td><td>{ID2}</td><td>110101001002</td><td>分散供养</td><td>6５0.00</td></tr>
<tr style="display: none"><td>2026/06</td><td>周四</td><td>{ID4}</td><td>110101001001</td>
    <td>集中供养</td><td>999.00</td></tr>
<tr><td>2026/06</td><td>孙三</td><td>{ID3}</td><td>999999999999</td><td>分散供养</td>
    <td>700.00</td></tr>
</table></body></html>"""


def test_html_table_named_xls_is_read_with_table_row_numbers(env):
    """The realworld case "xls-that-is-html": a GB2312 HTML table saved as .xls."""
    regions(env)
    data = HTML.format(ID1=ID1, ID2=ID2, ID3=ID3, ID4=ID4).encode("gb18030")
    env.raw("tekun_persons/网页导出.xls", data)
    report = env.run("tekun_persons")
    assert report.files[0].header_row == 3
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 2, 2)
    assert loaded(env, "_row_number, month, name, monthly_amount") == [
        (4, date(2026, 6, 1), "赵一", 800.0), (5, date(2026, 6, 1), "钱二", 650.0)]
    assert env.quarantine("tekun_persons") == [
        ("tekun_persons/网页导出.xls", 6, None, "hidden_row"),
        ("tekun_persons/网页导出.xls", 7, "region_code", "unknown_region")]


XML2003 = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
 <ExcelWorkbook xmlns="urn:schemas-microsoft-com:office:excel"><Date1904/></ExcelWorkbook>
 <Worksheet ss:Name="旧名册">
  <Table><Row><Cell><Data ss:Type="String">发放月份</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">
   <Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
 <Worksheet ss:Name="名册">
  <Table>
   <Row><Cell ss:MergeAcross="5"><Data ss:Type="String">2026年6月名册</Data></Cell></Row>
   <Row ss:Index="3">
    <Cell><Data ss:Type="String">发放月份</Data></Cell><Cell><Data ss:Type="String">姓名</Data></Cell>
    <Cell><Data ss:Type="String">身份证号</Data></Cell><Cell><Data ss:Type="String">区划代码</Data></Cell>
    <Cell><Data ss:Type="String">供养方式</Data></Cell><Cell><Data ss:Type="String">月供养金额</Data></Cell>
   </Row>
   <Row>
    <Cell ss:MergeDown="1"><Data ss:Type="Number">44347</Data></Cell>
    <Cell><Data ss:Type="String">赵一</Data></Cell>
    <Cell><Data ss:Type="Number">110101600102002</Data></Cell>
    <Cell><Data ss:Type="String">110101001001</Data></Cell>
    <Cell><Data ss:Type="String">集中供养</Data></Cell><Cell><Data ss:Type="Number">800</Data></Cell>
   </Row>
   <Row>
    <Cell ss:Index="2"><Data ss:Type="String">钱二</Data></Cell>
    <Cell><Data ss:Type="String">{ID1}</Data></Cell>
    <Cell><Data ss:Type="String">110101001002</Data></Cell>
    <Cell><Data ss:Type="String">分散供养</Data></Cell><Cell><Data ss:Type="Number">650.5</Data></Cell>
   </Row>
   <Row ss:Hidden="1">
    <Cell><Data ss:Type="DateTime">2025-06-01T00:00:00.000</Data></Cell>
    <Cell><Data ss:Type="String">孙三</Data></Cell>
    <Cell><Data ss:Type="String">{ID3}</Data></Cell>
    <Cell><Data ss:Type="String">110101001001</Data></Cell>
    <Cell><Data ss:Type="String">集中供养</Data></Cell><Cell><Data ss:Type="Number">700</Data></Cell>
   </Row>
  </Table>
 </Worksheet>
</Workbook>"""


def test_excel_2003_xml_spreadsheet_is_read(env):
    """Excel 2003 XML named .xls: the 1904 date system, a merged month, a 15-digit numeric
    ID, a hidden row and a hidden sheet."""
    regions(env)
    env.raw("tekun_persons/导出.xls", XML2003.format(ID1=ID1, ID3=ID3).encode("utf-8"))
    report = env.run("tekun_persons")
    assert report.files[0].header_row == 3
    # 44347 in the 1904 system is 2025-06-01; the merge gives it to row 5 too
    assert loaded(env, "_row_number, month, name, id_number, monthly_amount") == [
        (4, date(2025, 6, 1), "赵一", ID2, 800.0), (5, date(2025, 6, 1), "钱二", ID1, 650.5)]
    assert env.quarantine("tekun_persons") == [("tekun_persons/导出.xls", 6, None, "hidden_row")]


def test_legacy_xls_is_read(env):
    """BIFF8 .xls (files/legacy_tekun.xls): a note sheet; the data sheet with the month merged
    over rows 3-4 and a hidden row 6; a hidden sheet."""
    regions(env)
    env.raw("tekun_persons/旧版.xls", (FILES / "legacy_tekun.xls").read_bytes())
    report = env.run("tekun_persons")
    assert report.files[0].header_row == 2
    assert loaded(env, "_row_number, month, name, id_number, monthly_amount") == [
        (3, date(2026, 6, 1), "赵一", ID1, 800.0), (4, date(2026, 6, 1), "钱二", ID2, 650.5),
        (5, date(2026, 6, 1), "孙三", ID3, 700.0)]
    assert env.quarantine("tekun_persons") == [("tekun_persons/旧版.xls", 6, None, "hidden_row")]
    assert "“旧名册”为隐藏工作表" in report.files[0].detail


def test_ods_is_read(env):
    """An .ods: a title spanning the table, the month merged over two persons, a hidden row,
    a number amount and a Chinese month."""
    regions(env)
    env.raw("tekun_persons/wps.ods", ods_bytes([
        [("2026年6月名册", 1, 6)] + [COVERED] * 5,
        TK_HEADER,
        [("2026-06", 2, 1)] + tk("赵一", ID1, 800)[1:],
        [COVERED] + tk("钱二", ID2, "650.50")[1:],
        ("hidden", tk("周四", ID4, "999.00")),
        tk("孙三", ID3, "700", month="2026年6月"),
    ]))
    report = env.run("tekun_persons")
    assert report.files[0].header_row == 2
    assert loaded(env, "_row_number, month, name, monthly_amount") == [
        (3, date(2026, 6, 1), "赵一", 800.0), (4, date(2026, 6, 1), "钱二", 650.5),
        (6, date(2026, 6, 1), "孙三", 700.0)]
    assert env.quarantine("tekun_persons") == [("tekun_persons/wps.ods", 5, None, "hidden_row")]


def _ole2(stream: str) -> bytes:
    """A compound file whose one stream is ``stream`` (enough to tell Word from Excel)."""
    head = bytearray(512)
    head[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    head[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    head[0x30:0x34] = (0).to_bytes(4, "little")  # directory in sector 0
    entries = bytearray()
    for name in ("Root Entry", stream):
        e = bytearray(128)
        raw = name.encode("utf-16-le") + b"\x00\x00"
        e[:len(raw)] = raw
        e[0x40:0x42] = len(raw).to_bytes(2, "little")
        entries += e
    return bytes(head + entries + bytes(512 - len(entries)))


def test_files_that_are_not_tables_are_named(env):
    regions(env)
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    env.raw("tekun_persons/a.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    env.raw("tekun_persons/b.xls", _ole2("WordDocument"))
    env.raw("tekun_persons/c.xlsx", docx.getvalue())
    env.raw("tekun_persons/d.xls", b"\x89PNG\r\n\x1a\n\x00\x00")
    env.raw("tekun_persons/e.csv", b"\x1f\x8b\x08\x00\x00")
    report = env.run("tekun_persons")
    got = {f.path.split("/")[1]: (f.reason, f.detail) for f in report.files}
    assert {k: v[0] for k, v in got.items()} == dict.fromkeys("a.xlsx b.xls c.xlsx d.xls e.csv"
                                                               .split(), "unreadable_file")
    assert "这是PDF文件" in got["a.xlsx"][1] and "this is a PDF" in got["a.xlsx"][1]
    assert "Word文档（.doc）" in got["b.xls"][1]
    assert "Word文档（.docx）" in got["c.xlsx"][1]
    assert "PNG图片" in got["d.xls"][1]
    assert "gzip" in got["e.csv"][1]


def test_sniffing_tells_xlsb_and_keeps_csv_text(env):
    from ingest.sniff import sniff

    xlsb = io.BytesIO()
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("xl/workbook.bin", b"\x00")
    assert sniff(xlsb.getvalue()) == "xlsb"
    assert sniff(_ole2("Workbook")) == "xls"
    assert sniff("发放月份,姓名\n2026-06,<table>\n".encode()) == "text"
    assert sniff(b"\xef\xbb\xbf<table><tr><td>1</td></tr></table>") == "html"
    # a CSV saved with a .xls name (a web export) is read as CSV text
    regions(env)
    text = ",".join(TK_HEADER) + "\n" + ",".join(tk("赵一", ID1)) + "\n"
    env.raw("tekun_persons/导出.xls", text.encode("gb18030"))
    env.run("tekun_persons")
    assert loaded(env) == [(2, "赵一", 500.0)]


def test_empty_files_and_workbooks_are_rejected_not_a_crash(env):
    regions(env)
    book(env, "tekun_persons/empty.xlsx", lambda wb: wb.add_worksheet("Sheet1"))
    env.raw("tekun_persons/empty.csv", b"\r\n\r\n")
    report = env.run("tekun_persons")
    got = {f.path: (f.status, f.reason, f.rows_read) for f in report.files}
    assert got == {"tekun_persons/empty.csv": ("rejected", "unreadable_file", 0),
                   "tekun_persons/empty.xlsx": ("rejected", "missing_column", 0)}
    assert "文件为空" in env.sql("SELECT detail FROM raw.files WHERE path LIKE '%.csv'")[0][0]


def test_serial_dates_and_compact_numbers():
    """Excel serials by hand: 45809 = 2025-06-01 (1900 system), 44347 = 2025-06-01 (1904);
    .5 is noon; 20260602 in a date column and 202606 in a month column are not serials."""
    import polars as pl

    from ingest.contract import Kind
    from ingest.stage1 import serial_text

    nums = pl.DataFrame({"n": [45809.0, 45809.5, 20260602.0, 202606.0, None, -3.0]})
    day = nums.select(serial_text(pl.col("n"), Kind.DATE, False)).to_series().to_list()
    assert day == ["2025-06-01 00:00:00", "2025-06-01 12:00:00", None,
                   "2454-09-17 00:00:00", None, None]  # 202604 is 2454-09-15
    month = nums.select(serial_text(pl.col("n"), Kind.MONTH, False)).to_series().to_list()
    assert month[2:4] == [None, None]  # 20260602 is past 9999-12-31 as a serial; 202606 yyyymm
    assert nums.head(1).select(serial_text(pl.col("n"), Kind.MONTH, True)).item() == \
        "2029-06-02 00:00:00"  # 2025-06-01 + 1462 days (one leap day, 2028)
    assert pl.DataFrame({"n": [44347.0]}).select(
        serial_text(pl.col("n"), Kind.DATETIME, True)).item() == "2025-06-01 00:00:00"
    # the last serial of 9999-12-31 in each system; one more is past the calendar (not a date)
    last = pl.DataFrame({"n": [2958465.0, 2958466.0, 2957003.0, 2957004.0]})
    assert last.head(2).select(serial_text(pl.col("n"), Kind.DATE, False)).to_series().to_list() \
        == ["9999-12-31 00:00:00", None]
    assert last.tail(2).select(serial_text(pl.col("n"), Kind.DATE, True)).to_series().to_list() \
        == ["9999-12-31 00:00:00", None]  # 1904 system: 1 462 days fewer to the same day
    # within half a millisecond of the bound: rounded to 10000-01-01, so past the calendar too
    assert pl.DataFrame({"n": [2958465.999999995]}).select(
        serial_text(pl.col("n"), Kind.DATE, False)).item() is None
