"""Forms as data (release/forms/*.toml) and forms/<form>.xlsx, read back with openpyxl."""

import json

import openpyxl
import pytest

from orchestration.release import write_release
from orchestration.release.forms import FormError, load_form, shipped_forms
from orchestration.release.forms.form_sheet import missing_lines, write_forms
from orchestration.release.rows import release_rows
from tests.release.release_sample import DISTRICT, SAMPLE, make_frame, make_manifest

P = "2025H1"


def test_shipped_forms_load_against_the_catalogue():
    forms = {f.name: f for f in shipped_forms()}
    assert set(forms) == {"mca_quarterly", "half_year"}
    q = forms["mca_quarterly"]
    assert q.title == "民政统计季报" and "年初至报告期末累计" in q.note
    first = q.lines[0]
    assert (first.indicator, first.breakdown, first.region, first.scale) == (
        "dibao_households_end", "urban", "district", 1)
    assert q.lines[2].label == "    其中:老年人"  # indentation kept


def _form(tmp_path, body: str):
    path = tmp_path / "bad.toml"
    path.write_text('[form]\ntitle = "测试表"\n' + body, encoding="utf-8")
    return path


def test_an_unknown_indicator_names_the_file_and_the_line(tmp_path):
    path = _form(tmp_path, '[[line]]\nlabel = "甲"\nunit = "户"\nindicator = "dibao_households_end"\n'
                           '[[line]]\nlabel = "乙"\nunit = "人"\nindicator = "dibao_persns_end"\n')
    with pytest.raises(FormError, match=r"bad\.toml 第2行 line 2 \(乙\) 键 indicator: .*dibao_persns_end"):
        load_form(path)
    path = _form(tmp_path, '[[line]]\nlabel = "甲"\nunit = "户"\nindicator = "dibao_households_end"\n'
                           'breakdown = "town"\n')
    with pytest.raises(FormError, match=r"第1行 .* 键 breakdown: 'town' .* total, urban, rural"):
        load_form(path)
    path = _form(tmp_path, '[[line]]\nlabel = "甲"\nunit = "元"\nindicator = "dibao_funds"\nscale = 100\n')
    with pytest.raises(FormError, match=r"第1行 .* 键 scale: 100"):
        load_form(path)


def test_every_release_writes_the_forms_and_reports_missing_lines(tmp_path):
    folder = write_release(tmp_path, P, make_frame(SAMPLE), make_manifest(), pages=False)
    ws = openpyxl.load_workbook(folder / "forms" / "mca_quarterly.xlsx")["民政统计季报"]
    assert ws["A1"].value == "民政统计季报"
    assert ws["A3"].value == "填报单位：鼓楼区" and ws["E3"].value == "报告期：2025年上半年（2025H1）"
    assert "年初至报告期末累计" in ws["A4"].value
    assert [c.value for c in ws[5]] == ["指标名称", "单位", "代码", "本期", "上期", "环比(%)",
                                        "上年同期", "同比(%)"]
    assert ws.freeze_panes == "B6"
    assert ws.page_setup.paperSize == 9
    assert (ws["A6"].value, ws["B6"].value, ws["D6"].value) == (
        "一、城市最低生活保障 期末保障户数", "户", 7180)
    assert ws["E6"].value is None  # no comparisons.csv in this release: 上期 empty
    # 2221.35 万元 to 1 decimal, half-up: 2221.4 (a float round would give 2221.3)
    # 低保累计支出 = 低保金 + 临时补助: the sample has no 临时补助 row, so it is empty
    assert (ws["A11"].value, ws["D11"].value) == ("  低保累计支出", None)
    assert (ws["A12"].value, ws["D12"].value, ws["D12"].number_format) == (
        "    其中:累计支出低保金", 2221.4, "#,##0.0")
    assert ws["A8"].value == "    其中:老年人" and ws["D8"].value is None  # v2, not in release
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    missing = manifest["forms"]["mca_quarterly"]
    assert "3     其中:老年人 (dibao_members_end/urban_elderly)" in missing
    assert "6   低保累计支出 (dibao_funds+dibao_temp_subsidy_funds/urban)" in missing
    assert not any("dibao_households_end/urban" in m for m in missing)
    check = next(c for c in manifest["checks"] if c["name"] == "form_lines_missing")
    assert (check["severity"], check["passed"]) == ("warning", False)
    assert "forms/mca_quarterly.xlsx" in manifest["files"]


def test_codes_scale_and_the_comparison_columns(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[form]\ntitle = "测试表"\nnote = "说明"\n'
                    '[[line]]\nlabel = "特困供养金"\nunit = "元"\ncode = "A01"\n'
                    'indicator = "tekun_funds"\nscale = 10000\n'
                    '[[line]]\nlabel = "低保率"\nunit = "%"\ncode = "A02"\n'
                    'indicator = "dibao_coverage_rate"\ndecimals = 1\n', encoding="utf-8")
    form = load_form(path)
    (tmp_path / "rel").mkdir()
    (tmp_path / "rel" / "comparisons.csv").write_text(
        "\ufeffperiod,region_code,indicator,breakdown,value,previous_period,previous_value,"
        "change_pct,last_year_period,last_year_value,yoy_pct\n"
        "2025H1,320102,tekun_funds,total,17.67,2024H2,15.00,17.80,2024H1,,\n",
        encoding="utf-8")
    rows = release_rows(make_frame(SAMPLE), P)
    write_forms(tmp_path / "rel", [form], rows, "鼓楼区", P)
    ws = openpyxl.load_workbook(tmp_path / "rel" / "forms" / "t.xlsx").active
    assert [c.value for c in ws[6]] == ["特困供养金", "元", "A01", 176700, 150000, 17.8, None, None]
    # 3.21 % to 1 decimal; no comparison row: the comparison cells stay empty
    assert [c.value for c in ws[7]] == ["低保率", "%", "A02", 3.2, None, None, None, None]


def test_a_line_of_two_indicators_adds_them_and_their_earlier_values(tmp_path):
    """The 季报's 低保累计支出 = dibao_funds + dibao_temp_subsidy_funds (indicators.md §2).
    By hand: 2 574.16 + 86.97 = 2 661.13 万元; a half-year earlier 2 500.00 + 80.00 =
    2 580.00, 环比 81.13 ÷ 2 580 = 3.1446 % → 3.14; a year earlier only 低保金 is known, so
    上年同期 and 同比 stay empty. A line whose second indicator has no row is empty and missing."""
    path = tmp_path / "t.toml"
    path.write_text('[form]\ntitle = "测试表"\n'
                    '[[line]]\nlabel = "低保累计支出"\nunit = "万元"\nindicator = "dibao_funds"\n'
                    'plus = ["dibao_temp_subsidy_funds"]\ndecimals = 2\n'
                    '[[line]]\nlabel = "城市低保累计支出"\nunit = "万元"\nindicator = "dibao_funds"\n'
                    'plus = ["dibao_temp_subsidy_funds"]\nbreakdown = "urban"\ndecimals = 2\n',
                    encoding="utf-8")
    form = load_form(path)
    assert form.lines[0].indicators == ("dibao_funds", "dibao_temp_subsidy_funds")
    (tmp_path / "rel").mkdir()
    (tmp_path / "rel" / "comparisons.csv").write_text(
        "\ufeffperiod,region_code,indicator,breakdown,value,previous_period,previous_value,"
        "change_pct,last_year_period,last_year_value,yoy_pct\n"
        "2025H1,320102,dibao_funds,total,2574.16,2024H2,2500.00,2.97,2024H1,2400.00,7.26\n"
        "2025H1,320102,dibao_temp_subsidy_funds,total,86.97,2024H2,80.00,8.71,2024H1,,\n",
        encoding="utf-8")
    extra = [(DISTRICT, "dibao_temp_subsidy_funds", "低保临时补助", "total", "86.97", "万元",
              "sum")]
    rows = release_rows(make_frame(SAMPLE + extra), P)
    write_forms(tmp_path / "rel", [form], rows, "鼓楼区", P)
    ws = openpyxl.load_workbook(tmp_path / "rel" / "forms" / "t.xlsx").active
    assert [c.value for c in ws[6]] == ["低保累计支出", "万元", None, 2661.13, 2580, 3.14,
                                        None, None]
    assert [c.value for c in ws[7]][3:] == [None] * 5
    assert missing_lines([form], rows) == {
        "t": ["2 城市低保累计支出 (dibao_funds+dibao_temp_subsidy_funds/urban)"]}
    path.write_text('[form]\ntitle = "测试表"\n[[line]]\nlabel = "甲"\nunit = "万元"\n'
                    'indicator = "dibao_funds"\nplus = ["no_such_code"]\n', encoding="utf-8")
    with pytest.raises(FormError, match=r"第1行 .* 键 plus: .*'no_such_code'"):
        load_form(path)


def test_a_rate_is_rounded_once_from_its_numerator_and_denominator(tmp_path):
    # 1087 cremations of 2499 deaths: 43.4974 %, published 43.50; at no decimals the form
    # says 43 (43.50 rounded again would say 44). A ratio whose numerator and denominator
    # do not give the published value back keeps the published value (278.9 → 279)
    path = tmp_path / "t.toml"
    path.write_text('[form]\ntitle = "测试表"\n'
                    '[[line]]\nlabel = "火化率"\nunit = "%"\nindicator = "cremation_rate"\n'
                    '[[line]]\nlabel = "月人均补差"\nunit = "元"\nindicator = "dibao_avg_subsidy"\n',
                    encoding="utf-8")
    extra = [(DISTRICT, "cremation_rate", "火化率", "total", "43.50", "%", "rate", "1087", "2499"),
             (DISTRICT, "dibao_avg_subsidy", "月人均补差", "total", "278.90", "元", "ratio",
              "100", "3")]
    rows = [r for r in SAMPLE if r[1] != "dibao_avg_subsidy"] + extra
    (tmp_path / "rel").mkdir()
    write_forms(tmp_path / "rel", [load_form(path)], release_rows(make_frame(rows), P), "鼓楼区", P)
    ws = openpyxl.load_workbook(tmp_path / "rel" / "forms" / "t.xlsx").active
    assert (ws["D6"].value, ws["D7"].value) == (43, 279)


def test_a_float_scale_and_a_title_excel_refuses_as_a_sheet_name(tmp_path):
    path = _form(tmp_path, '[[line]]\nlabel = "甲"\nunit = "元"\nindicator = "dibao_funds"\n'
                           'scale = 10000.0\n')
    with pytest.raises(FormError, match=r"第1行 .* 键 scale: 10000\.0"):
        load_form(path)
    path.write_text('[form]\ntitle = "民政统计季报[2025年第3季度]: 试/用?"\n[[line]]\nlabel = "甲"\n'
                    'unit = "户"\nindicator = "dibao_households_end"\n', encoding="utf-8")
    (tmp_path / "rel").mkdir()
    write_forms(tmp_path / "rel", [load_form(path)], release_rows(make_frame(SAMPLE), P),
                "鼓楼区", P)
    wb = openpyxl.load_workbook(tmp_path / "rel" / "forms" / "bad.xlsx")
    assert wb.sheetnames == ["民政统计季报_2025年第3季度__ 试_用_"]
    assert wb.active["A1"].value == "民政统计季报[2025年第3季度]: 试/用?"
    from orchestration.release.forms.form_sheet import sheet_name
    assert sheet_name("甲" * 30 + "'乙") == "甲" * 30  # cut to 31, then no ' at the end


@pytest.mark.parametrize(("period", "run_as", "words"), [
    ("2025H2", "2025-01/2025-12", "2025年下半年"), ("2025Q3", "2025-01/2025-09", "2025年第三季度"),
    ("2025-05", "2025-01/2025-05", "2025年5月"), ("2025H1", None, "2025年上半年"),
    ("2025Q1", None, "2025年第一季度"), ("2025", None, "2025年"),
    ("2025-01/2025-09", None, "2025年1-9月份")])
def test_the_quarterly_form_says_when_its_flows_are_not_from_january(tmp_path, period, run_as,
                                                                      words):
    forms = {f.name: f for f in shipped_forms()}
    rows = release_rows(make_frame(SAMPLE, period=period), period)
    write_forms(tmp_path, list(forms.values()), rows, "鼓楼区", period)
    note = openpyxl.load_workbook(tmp_path / "forms" / "mca_quarterly.xlsx").active["A4"].value
    if run_as is None:
        assert note == forms["mca_quarterly"].note
    else:
        assert "不是1月起累计数" in note and f"--period {run_as}" in note
        assert "年初至报告期末累计填报(" not in note
    half = openpyxl.load_workbook(tmp_path / "forms" / "half_year.xlsx").active
    assert half["A2"].value == f"{words}工作总结所引用的数字"
