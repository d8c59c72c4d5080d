"""indicators.csv / .xlsx / .json: exact bytes, determinism, formula safety, bad rows."""

import json

import openpyxl
import polars as pl
import pytest
from release_sample import DISTRICT, EAST, SAMPLE, make_frame, make_manifest

from orchestration.release import ReleaseError, write_release

THREE = [
    (EAST, "dibao_households_end", "期末保障户数", "total", 120, "户", "count"),
    (DISTRICT, "gap_coverage_pp", "城乡低保率差距", "total", "-1.5", "百分点", "difference"),
    (DISTRICT, "dibao_coverage_rate", "低保率", "total", "2.345", "%", "rate", "1234",
     "52622.5"),
]


def _publish(root, rows, run_id="run-a", **kw):
    """Values go in as floats, unrounded, the way a DOUBLE column would carry them."""
    frame = make_frame(rows, value_type=pl.Float64)
    kw.setdefault("pages", False)
    return write_release(root, "2025H1", frame, make_manifest(run_id=run_id), **kw)


def test_csv_bytes_exactly(tmp_path):
    folder = _publish(tmp_path, THREE)
    expected = (
        "\ufeffperiod,region_code,region_name,indicator,indicator_name,breakdown,value,unit,"
        "numerator,denominator\n"
        "2025H1,320102,鼓楼区,dibao_coverage_rate,低保率,total,2.35,%,1234,52622.5\n"
        "2025H1,320102,鼓楼区,gap_coverage_pp,城乡低保率差距,total,-1.50,百分点,,\n"
        "2025H1,320102001,东街道,dibao_households_end,期末保障户数,total,120,户,,\n"
    ).encode()
    assert (folder / "indicators.csv").read_bytes() == expected
    assert (tmp_path / "2025H1" / "indicators.csv").read_bytes() == expected


def test_sums_never_carry_numerator_or_denominator(tmp_path):
    rows = [(DISTRICT, "dibao_funds", "累计支出低保金", "total", "2221.345", "万元", "sum",
             "22213450", "1")]
    text = (_publish(tmp_path, rows) / "indicators.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].endswith(",dibao_funds,累计支出低保金,total,2221.35,万元,,")


def test_same_inputs_give_byte_identical_files(tmp_path):
    a = _publish(tmp_path / "a", SAMPLE, run_id="one")
    b = _publish(tmp_path / "b", list(reversed(SAMPLE)), run_id="two")
    for name in ("indicators.csv", "indicators.xlsx", "summary.md"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_text_that_looks_like_a_formula_is_escaped(tmp_path):
    rows = [(DISTRICT, "gap_coverage_pp", "=HYPERLINK(\"x\")", "total", "-1.5", "@unit",
             "difference"),
            (DISTRICT, "dibao_persons_end", "+人数", "-x", 7, "人", "count")]
    folder = _publish(tmp_path, rows)
    lines = (folder / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "2025H1,320102,鼓楼区,dibao_persons_end,'+人数,'-x,7,人,,"
    assert lines[2] == ("2025H1,320102,鼓楼区,gap_coverage_pp,\"'=HYPERLINK(\"\"x\"\")\","
                        "total,-1.50,'@unit,,")
    ws = openpyxl.load_workbook(folder / "indicators.xlsx")["社会救助"]
    name, value, unit = ws.cell(3, 5), ws.cell(3, 7), ws.cell(3, 8)
    assert (name.value, name.data_type) == ("=HYPERLINK(\"x\")", "s")
    assert (unit.value, unit.data_type) == ("@unit", "s")
    assert (value.value, value.data_type) == (-1.5, "n")
    checks = openpyxl.load_workbook(folder / "indicators.xlsx")["质量检查"]
    assert checks.cell(3, 4).data_type == "s"  # detail "=SUM(A1)" stays text


def test_xlsx_sheets_headers_and_number_formats(tmp_path):
    folder = _publish(tmp_path, SAMPLE)
    wb = openpyxl.load_workbook(folder / "indicators.xlsx")
    # a sheet per v1 domain always, per v2 family only when the release has its rows
    assert wb.sheetnames == ["社会救助", "自然灾害", "优抚安置", "目标任务", "质量检查"]
    ws = wb["社会救助"]
    assert [c.value for c in ws[1]] == ["期间", "区划代码", "区划名称", "指标代码", "指标名称",
                                        "口径", "数值", "单位", "分子", "分母"]
    assert ws.freeze_panes == "A2"
    first = [c.value for c in ws[2]]  # sorted: 320102 / dibao_avg_subsidy / rural
    assert first == ["2025H1", "320102", "鼓楼区", "dibao_avg_subsidy", "月人均补差", "rural",
                     142.84, "元", 3528100, 24744]
    assert ws.cell(2, 7).number_format == "#,##0.00"
    counts = [r for r in ws.iter_rows(min_row=2)
              if (r[3].value, r[5].value) == ("dibao_persons_end", "total")]
    assert counts[0][6].number_format == "#,##0" and counts[0][6].value == 17393
    targets = wb["目标任务"]
    assert targets.max_row == 3 and targets.cell(2, 6).value == "dibao_persons_end:total"
    q = wb["质量检查"]
    assert [c.value for c in q[1]][:4] == ["名称", "级别", "结果", "说明"]
    assert [q.cell(r, 3).value for r in (2, 3, 4)] == ["通过", "警告", "已豁免"]
    # the release adds form_lines_missing (the shipped forms name indicators these rows lack)
    assert (q.cell(5, 1).value, q.cell(5, 3).value) == ("form_lines_missing", "警告")
    assert q.cell(7, 1).value == "豁免的检查" and q.cell(8, 1).value == "quarantine_share"
    assert q.cell(8, 3).value == "李局长"
    assert wb.properties.created.year == 2000


def test_json_has_units_names_and_rows(tmp_path):
    doc = json.loads((_publish(tmp_path, THREE) / "indicators.json").read_text("utf-8"))
    assert doc["period"] == "2025H1" and len(doc["rows"]) == 3
    assert doc["indicators"]["gap_coverage_pp"]["unit"] == "百分点"
    row = doc["rows"][0]
    assert (row["indicator"], row["value"], row["value_text"], row["numerator"]) == (
        "dibao_coverage_rate", 2.35, "2.35", 1234)
    assert row["indicator_name"] == "低保率" and row["breakdown_name"] == "合计"


def test_json_bytes_exactly(tmp_path):
    """Keys sorted, indented by 2, text as JSON escapes it (quote, backslash, line break),
    whole numbers as integers, a fraction as a float, an absent numerator as null."""
    rows = [(EAST, "dibao_households_end", "期末保障户数", "total", 120, "户", "count"),
            (DISTRICT, "gap_coverage_pp", 'x"y\\z\n差', "total", "-1.5", "百分点", "difference")]
    expected = """{
  "created_at": "2025-07-03T10:15:00+08:00",
  "indicators": {
    "dibao_households_end": {
      "domain": "social_assistance",
      "domain_name": "社会救助",
      "name": "期末保障户数",
      "unit": "户",
      "value_kind": "count"
    },
    "gap_coverage_pp": {
      "domain": "social_assistance",
      "domain_name": "社会救助",
      "name": "x\\"y\\\\z\\n差",
      "unit": "百分点",
      "value_kind": "difference"
    }
  },
  "period": "2025H1",
  "rows": [
    {
      "breakdown": "total",
      "breakdown_name": "合计",
      "denominator": null,
      "domain": "social_assistance",
      "indicator": "gap_coverage_pp",
      "indicator_name": "x\\"y\\\\z\\n差",
      "numerator": null,
      "period": "2025H1",
      "region_code": "320102",
      "region_level": "district",
      "region_name": "鼓楼区",
      "unit": "百分点",
      "value": -1.5,
      "value_kind": "difference",
      "value_text": "-1.50"
    },
    {
      "breakdown": "total",
      "breakdown_name": "合计",
      "denominator": null,
      "domain": "social_assistance",
      "indicator": "dibao_households_end",
      "indicator_name": "期末保障户数",
      "numerator": null,
      "period": "2025H1",
      "region_code": "320102001",
      "region_level": "township",
      "region_name": "东街道",
      "unit": "户",
      "value": 120,
      "value_kind": "count",
      "value_text": "120"
    }
  ],
  "run_id": "run-a"
}
"""
    assert (_publish(tmp_path, rows) / "indicators.json").read_text("utf-8") == expected


def test_json_of_no_rows_is_an_empty_list():
    from dashboards.view import Manifest
    from orchestration.release.tables import json_chunks

    text = b"".join(json_chunks([], "2025H1", Manifest.model_validate(make_manifest())))
    assert json.loads(text) == {
        "created_at": "2025-07-03T10:15:00+08:00", "indicators": {}, "period": "2025H1",
        "rows": [], "run_id": "run-a"}
    assert b'"rows": [],\n' in text


@pytest.mark.parametrize("row, words", [
    ((DISTRICT, "dibao_coverage_rate", "低保率", "total", "1.00", "%", "rate", "1", "0"),
     ["row 2", "denominator", "分母为0"]),
    ((DISTRICT, "dibao_persons_end", "期末保障人数", "total", "2.5", "人", "count"),
     ["row 2", "value", "not whole"]),
    ((DISTRICT, "dibao_coverage_rate", "低保率", "total", "1.00", "%", "rate"),
     ["row 2", "numerator/denominator"]),
    ((EAST, "dibao_households_end", "期末保障户数", "total", 5, "户", "count"),
     ["row 2", "duplicate"]),
])
def test_bad_rows_are_named_and_nothing_is_published(tmp_path, row, words):
    with pytest.raises(ReleaseError) as err:
        _publish(tmp_path, [THREE[0], row])
    for word in words:
        assert word in str(err.value)
    assert not (tmp_path / "2025H1").exists()


def test_a_row_of_another_period_is_refused(tmp_path):
    frame = make_frame(THREE, period="2025H2")
    with pytest.raises(ReleaseError, match="is not period 2025H1"):
        write_release(tmp_path, "2025H1", frame, make_manifest())
