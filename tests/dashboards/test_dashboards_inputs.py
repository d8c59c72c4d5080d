"""Bad release files give clear errors; personal data never reaches a page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboards.build import DashboardInputError, build_pages
from dashboards.fmt import REASON_ZH, period_months, period_zh
from ingest.contract import REASONS


def _edit_csv(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8-sig")


def test_missing_column_names_file_and_column(release: Path):
    _edit_csv(release / "indicators.csv", ",value,", ",wert,")
    with pytest.raises(DashboardInputError) as e:
        build_pages(release)
    assert str(e.value) == f"{release / 'indicators.csv'}: row 1 (header): missing column(s) value"
    assert not (release / "dashboards").exists()


def test_non_numeric_value_names_row_and_column(release: Path):
    # the second data row (file row 3) is dibao_persons_end urban, 4345
    _edit_csv(release / "indicators.csv", ",urban,4345,", ",urban,4千,")
    with pytest.raises(DashboardInputError, match=r"indicators\.csv: row 3, column value: '4千'"):
        build_pages(release)


def test_monthly_csv_is_checked_too(release: Path):
    _edit_csv(release / "monthly.csv", "2025-01,990102000000", ",990102000000")
    with pytest.raises(DashboardInputError, match=r"monthly\.csv: row 2, column period: empty"):
        build_pages(release)


def test_period_must_match_the_manifest(release: Path):
    m = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    m["period"] = "2025H2"
    (release / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(DashboardInputError, match=r"row 2, column period: '2025H1' differs"):
        build_pages(release)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.pop("run_id"), "key 'run_id' is missing or empty"),
        (lambda m: m.update(checks={}), "key 'checks' must be a list"),
        (lambda m: m.update(period="2025Q1"), "key 'period': unknown period '2025Q1'"),
        (lambda m: m["inputs"][1].update(rows_read="40行"), "inputs[1].rows_read: '40行'"),
        (lambda m: m["completeness"]["tekun_persons"]["990102001000"].update({"2025-02": None}),
         "completeness.tekun_persons.990102001000.2025-02: None is not a number"),
    ],
)
def test_bad_manifest(release: Path, edit, message: str):
    path = release / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    edit(m)
    path.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DashboardInputError) as e:
        build_pages(release)
    assert str(e.value).startswith(f"{path}: ") and message in str(e.value)


def test_unreadable_manifest(release: Path):
    (release / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DashboardInputError, match=r"manifest\.json: not valid JSON"):
        build_pages(release)


def test_personal_data_in_free_text_is_masked(release: Path):
    path = release / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m["waivers"][0]["reason"] = "户主 11010519491231002X 电话 13812345678 已核实"
    m["checks"][1]["detail"] = "账号 6222020200112233445 重复"
    m["inputs"][0]["sha256"] = "1" * 60 + "abcd"
    path.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    page = build_pages(release)[1].read_text(encoding="utf-8")
    for secret in ("11010519491231002X", "13812345678", "6222020200112233445"):
        assert secret not in page
    assert "户主 ［已隐去］ 电话 ［已隐去］ 已核实" in page
    assert "账号 ［已隐去］ 重复" in page
    assert "1" * 60 + "abcd" in page  # a file hash is not mistaken for an account number


def test_every_reason_code_has_a_chinese_label():
    assert set(REASON_ZH) == set(REASONS)


def test_periods():
    assert period_months("2025H2") == [f"2025-{m:02d}" for m in range(7, 13)]
    assert period_months("2025S1")[-1] == "2025-06" and len(period_months("2025")) == 12
    assert period_months("2025-03") == ["2025-03"]
    assert [period_zh(p) for p in ("2025H1", "2025S2", "2025", "2025-03")] == [
        "2025年上半年", "2025年下半年", "2025年", "2025年3月"]
    with pytest.raises(ValueError, match="unknown period '2025Q1'"):
        period_months("2025Q1")
