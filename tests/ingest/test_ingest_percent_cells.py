"""Number cells formatted as a percentage are read as the text they show (``95%``), in xlsx,
legacy xls and ods; the format rules (ingest.numfmt) alone."""

from __future__ import annotations

import io
import struct
import zipfile

import polars as pl
import xlsxwriter
import xlwt
from ingest_cases import Percentage, make_id, ods_bytes

from ingest import biff, numfmt, sheetxml, workbook

HEADER = ["年度", "指标代码", "口径", "年度目标值"]
ID1 = make_id("11010119600101001")


def _targets(env) -> list[tuple]:
    return env.sql("SELECT indicator, breakdown, target_value FROM raw.targets ORDER BY 1, 2")


def test_a_percentage_cell_of_xlsx_is_the_percent_the_clerk_typed(env):
    """95% typed into Excel is the number 0.95 shown as a percentage: the target is 95 (the
    indicator's unit is %), as the text "95%" in a CSV is. Before, it loaded 0.95 and the
    completion rate came out 100 times too large."""
    env.base()
    path = env.inbox / "targets/t.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("目标")
    pct, pct2 = wb.add_format({"num_format": "0%"}), wb.add_format({"num_format": "0.00%"})
    literal = wb.add_format({"num_format": '0.0"%"'})  # a quoted % does not multiply
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, [2026, "dibao_coverage_rate", "total"])
    ws.write_number(1, 3, 0.95, pct)
    ws.write_row(2, 0, [2026, "dibao_coverage_rate", "rural"])
    ws.write_number(2, 3, 0.0125, pct2)
    ws.write_row(3, 0, [2026, "dibao_coverage_rate", "urban"])
    ws.write_number(3, 3, 12.5, literal)
    ws.write_row(4, 0, [2026, "disaster_officer_coverage_rate", "total"])
    ws.write_formula(4, 3, "=1/4", pct, 0.25)  # a formula's number, shown as 25%
    ws.write_row(5, 0, [2026, "disaster_relief_within_12h_rate", "total"])
    ws.write_string(5, 3, "0.9", pct)  # text in a percentage cell stays the text
    wb.close()
    env.run("targets")
    assert _targets(env) == [
        ("dibao_coverage_rate", "rural", 1.25), ("dibao_coverage_rate", "total", 95.0),
        ("dibao_coverage_rate", "urban", 12.5), ("disaster_officer_coverage_rate", "total", 25.0),
        ("disaster_relief_within_12h_rate", "total", 0.9)]


def test_a_percentage_cell_of_a_legacy_xls_an_ods_and_an_excel_2003_xml(env):
    env.base()
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("目标")
    for j, h in enumerate(HEADER):
        ws.write(0, j, h)
    for i, (indicator, value, fmt) in enumerate([
            ("dibao_coverage_rate", 0.95, "0%"),  # NUMBER
            ("disaster_officer_coverage_rate", 1, "0.0%"),  # RK (a whole number): 100%
            ("disaster_relief_within_12h_rate", 0.5, "#,##0.00")], start=1):  # no percentage
        ws.write(i, 0, 2026)
        ws.write(i, 1, indicator)
        ws.write(i, 3, value, xlwt.easyxf(num_format_str=fmt))
    buf = io.BytesIO()
    book.save(buf)
    env.raw("targets/t.xls", buf.getvalue())
    env.run("targets")
    assert [r[::2] for r in _targets(env)] == [
        ("dibao_coverage_rate", 95.0), ("disaster_officer_coverage_rate", 100.0),
        ("disaster_relief_within_12h_rate", 0.5)]

    env.raw("targets/2027.ods", ods_bytes([
        HEADER,
        [2027, "dibao_coverage_rate", "total", Percentage(0.8)],
        [2027, "disaster_officer_coverage_rate", "total", 0.8]], name="目标"))
    env.run("targets")
    got = env.sql("SELECT indicator, target_value FROM raw.targets WHERE year = 2027 ORDER BY 1")
    assert got == [("dibao_coverage_rate", 80.0), ("disaster_officer_coverage_rate", 0.8)]

    def row(indicator, value, style):
        return (f'<Row><Cell><Data ss:Type="Number">2025</Data></Cell><Cell><Data ss:Type="String">'
                f'{indicator}</Data></Cell><Cell/><Cell ss:StyleID="{style}"><Data ss:Type='
                f'"Number">{value}</Data></Cell></Row>')
    header = "".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in HEADER)
    env.raw("targets/2025.xls", (
        '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Styles>'
        '<Style ss:ID="p"><NumberFormat ss:Format="Percent"/></Style>'
        '<Style ss:ID="q"><NumberFormat ss:Format="0.0%"/></Style>'
        '<Style ss:ID="n"><NumberFormat ss:Format="0.00"/></Style>'
        '<Style ss:ID="b" ss:Parent="p"><Font ss:Bold="1"/></Style></Styles>'
        f'<Worksheet ss:Name="目标"><Table><Row>{header}</Row>'
        + row("dibao_coverage_rate", "0.9", "p") + row("disaster_officer_coverage_rate", "0.5", "q")
        + row("disaster_relief_within_12h_rate", "0.5", "n")
        + row("disaster_initial_report_timely_rate", "0.75", "b")  # Percent from its parent
        + "</Table></Worksheet></Workbook>").encode())
    env.run("targets")
    got = env.sql("SELECT indicator, target_value FROM raw.targets WHERE year = 2025 ORDER BY 1")
    assert got == [("dibao_coverage_rate", 90.0), ("disaster_initial_report_timely_rate", 75.0),
                   ("disaster_officer_coverage_rate", 50.0), ("disaster_relief_within_12h_rate", 0.5)]


def test_percentage_cells_elsewhere_are_refused_as_shown(env):
    """A money cell shown as 95% is refused, naming what the clerk saw, not loaded as 0.95."""
    env.base()
    path = env.inbox / "tekun_persons/t.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名册")
    ws.write_row(0, 0, ["发放月份", "姓名", "身份证号", "区划代码", "供养方式", "月供养金额"])
    ws.write_row(1, 0, ["2026-06", "赵一", ID1, "110101001001", "集中供养"])
    ws.write_number(1, 5, 0.95, wb.add_format({"num_format": "0%"}))
    wb.close()
    env.run("tekun_persons")
    assert env.quarantine("tekun_persons") == [
        ("tekun_persons/t.xlsx", 2, "monthly_amount", "invalid_amount")]
    detail = env.sql("SELECT detail FROM raw.quarantine WHERE source = 'tekun_persons'")[0][0]
    assert "'95%'" in detail


def test_which_format_codes_are_percentages():
    assert numfmt.is_percent("0%") and numfmt.is_percent("0.00%") and numfmt.is_percent("#,##0.0%")
    assert numfmt.is_percent("[Red]0.0%;[Blue]-0.0%")
    assert not numfmt.is_percent('0.0"%"')  # quoted
    assert not numfmt.is_percent("0.0\\%") and not numfmt.is_percent("0.0!%")  # escaped
    assert not numfmt.is_percent("0.0_%")  # the width of a %, a space
    assert not numfmt.is_percent("0.0*%")  # fill with %
    assert not numfmt.is_percent("[$%-804]0.00")  # inside brackets
    assert not numfmt.is_percent("0.00;-0.00%")  # the negative section only
    assert not numfmt.is_percent("General") and not numfmt.is_percent("yyyy-mm-dd")
    assert numfmt.percent_of(9, {}) and numfmt.percent_of(10, {}) and not numfmt.percent_of(4, {})
    assert not numfmt.percent_of(9, {9: "0.00"})  # a file's own code for an id wins
    assert numfmt.percent_of(170, {170: "0.0%"})


def test_the_text_a_percentage_shows():
    assert numfmt.shown_percent("0.95") == "95%"
    assert numfmt.shown_percent("0.125") == "12.5%"  # every digit, no rounding by the format
    assert numfmt.shown_percent("1") == "100%"
    assert numfmt.shown_percent("3e-05") == "0.003%"
    assert numfmt.shown_percent("-0.5") == "-50%"
    assert numfmt.shown_percent("-0") == "0%" and numfmt.shown_percent("0.0") == "0%"
    assert numfmt.shown_percent("1.2345678901234567890123456789e5") == (
        "12345678.901234567890123456789%")  # more digits than Decimal's context: none lost
    assert numfmt.shown_percent("1e300") == "1" + "0" * 302 + "%"
    assert numfmt.shown_percent("") == "" and numfmt.shown_percent(None) is None
    assert numfmt.shown_percent("NaN") == "NaN" and numfmt.shown_percent("abc") == "abc"


def test_number_cells_of_a_biff_record():
    """MULRK: a row, its first column, then (XF, RK value) per cell, then the last column;
    FORMULA: a number unless its value's last two bytes are FF FF."""
    mulrk = struct.pack("<HH", 4, 2) + b"".join(struct.pack("<HI", xf, 0) for xf in (15, 21, 22))
    mulrk += struct.pack("<H", 4)
    assert list(biff._number_cells(biff.MULRK, mulrk)) == [(4, 2, 15), (4, 3, 21), (4, 4, 22)]
    number = struct.pack("<HHHd", 7, 1, 30, 0.5)
    assert list(biff._number_cells(biff.NUMBER, number)) == [(7, 1, 30)]
    text = struct.pack("<HHH", 7, 1, 30) + b"\x00" * 6 + b"\xff\xff" + b"\x00" * 6
    number_formula = struct.pack("<HHHd", 7, 1, 30, 0.5) + b"\x00" * 6
    assert list(biff._number_cells(biff.FORMULA, text)) == []
    assert list(biff._number_cells(biff.FORMULA, number_formula)) == [(7, 1, 30)]


def _package(parts: dict[str, str]) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return zipfile.ZipFile(buf)


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def test_percentage_styles_and_cells_of_the_sheet_xml():
    """cellXfs 1 is built-in 9, 2 a file's own 0.0%, 3 its own quoted "%"; a cell's ``s`` is
    its cellXfs index. Only number cells count (no ``t``, or ``t="n"``); a sheet whose cells
    carry no reference is read the slow way, each cell after the one before it."""
    styles = (f'<styleSheet {MAIN}><numFmts><numFmt numFmtId="164" formatCode="0.0%"/>'
              '<numFmt numFmtId="165" formatCode="0.0&quot;%&quot;"/></numFmts><cellXfs>'
              '<xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/>'
              '</cellXfs></styleSheet>')
    # a conditional format's own numFmt (dxfs) of the same id is not the cell's format
    dxf = ('<dxfs count="1"><dxf><numFmt numFmtId="166" formatCode="0%"/></dxf></dxfs>')
    styles = styles.replace("</cellXfs>", '<xf numFmtId="166"/></cellXfs>'
                            '<numFmts><numFmt numFmtId="166" formatCode="0.000"/></numFmts>' + dxf)
    zf = _package({"xl/styles.xml": styles})
    assert sheetxml.percent_styles(zf, "xl/styles.xml") == {1, 2}
    assert sheetxml.percent_styles(zf, "xl/missing.xml") == frozenset()
    with_refs = (f'<worksheet {MAIN}><sheetData><row r="2"><c r="A2" s="1"><v>0.5</v></c>'
                 '<c r="B2" s="1" t="s"><v>0</v></c><c r="C2" s="2" t="n"><v>1</v></c>'
                 '<c r="D2" s="3"><v>1</v></c><c r="E2" s="10"><v>1</v></c></row>'
                 '<row r="4" s="2" customFormat="1"><c r="B4"><v>3</v></c></row>'
                 "</sheetData></worksheet>")
    no_refs = (f'<worksheet {MAIN}><sheetData><row><c s="0"><v>1</v></c><c s="2"><v>1</v></c>'
               '</row><row hidden="1"><c s="1"><v>0.5</v></c></row></sheetData></worksheet>')
    no_cell_refs = (f'<worksheet {MAIN}><sheetData><row r="3"><c s="1"><v>1</v></c>'
                    '<c s="1"><v>1</v></c></row></sheetData></worksheet>')
    # whitespace XML allows around the attribute, a line break between attributes
    spaced = (f'<worksheet {MAIN}><sheetData><row r="5"><c r="A5"\ns="1"><v>1</v></c>'
              "<c r='B5'\ts = '2' t='n'><v>1</v></c><c r=\"C5\" s=\"1\" t=\"b\"><v>1</v></c>"
              "</row></sheetData></worksheet>")
    zf = _package({"a.xml": with_refs, "b.xml": no_refs, "c.xml": no_cell_refs, "d.xml": spaced})

    def cells(part, styles=frozenset({1, 2})):
        facts = sheetxml.sheet_facts(zf, part, styles)
        return facts, {(r0, c0) for r0, c0, r1, c1 in facts.percent if (r0, c0) == (r1, c1)}

    assert cells("a.xml")[1] == {(2, 0), (2, 2)}
    assert cells("a.xml", frozenset())[0].percent == []
    facts, got = cells("b.xml")
    assert got == {(1, 1), (2, 0)} and facts.hidden_rows == {2}
    assert cells("c.xml", frozenset({1}))[1] == {(3, 0), (3, 1)}
    assert cells("d.xml")[1] == {(5, 0), (5, 1)}  # the boolean cell is no number


def test_repeated_percentage_cells_of_an_ods_are_one_range_however_many():
    """LibreOffice folds identical rows and cells (number-rows/columns-repeated): 1 500 rows of
    two percentage cells are one range, and every cell of it is read as shown."""
    t = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    o = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    content = (f'<office:document-content xmlns:office="{o}" xmlns:table="{t}"><office:body>'
               '<office:spreadsheet><table:table table:name="目标"><table:table-row>'
               '<table:table-cell office:value-type="string"/></table:table-row>'
               '<table:table-row table:number-rows-repeated="1500"><table:table-cell/>'
               '<table:table-cell office:value-type="percentage" office:value="0.5" '
               'table:number-columns-repeated="2"/></table:table-row></table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    facts = sheetxml.ods_facts(_package({"content.xml": content}))
    assert facts["目标"].percent == [(2, 1, 1501, 2)]
    frame = pl.DataFrame({"c0": ["x"] * 1600, "c1": ["0.5"] * 1600, "c2": ["0.5"] * 1599 + [None]})
    got = workbook._percent_texts(frame, facts["目标"].percent, first_row=1, first_col=0)
    assert got["c0"].to_list() == ["x"] * 1600
    assert got["c1"].to_list() == ["0.5"] + ["50%"] * 1500 + ["0.5"] * 99
    assert got["c2"].to_list() == ["0.5"] + ["50%"] * 1500 + ["0.5"] * 98 + [None]
    # a sheet whose used range starts at B2 (first_row stays 1, first_col 1): the same cells
    moved = workbook._percent_texts(frame.select("c1", "c2"), facts["目标"].percent, 1, 1)
    assert moved["c1"].to_list() == got["c1"].to_list()
