"""The generated inbox as files: layout, determinism, encodings, planted reasons."""

import hashlib
import json
from datetime import datetime

import pytest
from sample_readback import Table, month, num, raw_rows

from ingest.contract import REASONS, SOURCES
from ingest.sample import generate


def _digests(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(inbox_some, tmp_path):
    out, planted = inbox_some
    again = generate(tmp_path / "again", faults="some")
    assert again == planted
    first, second = _digests(out), _digests(tmp_path / "again")
    assert first == second
    assert any(k.endswith(".csv") for k in first) and any(k.endswith(".xlsx") for k in first)
    assert (out / "_planted.json").read_bytes() == (tmp_path / "again/_planted.json").read_bytes()


def test_planting_faults_leaves_the_real_data_alone(inbox_some, inbox_none):
    assert inbox_some[1]["truth"] == inbox_none[1]["truth"]
    assert inbox_some[1]["rows"]["regions"] == inbox_none[1]["rows"]["regions"]


def test_every_source_has_a_folder_with_files(inbox_none):
    out, planted = inbox_none
    for s in SOURCES:
        files = list((out / s).iterdir())
        assert files, s
        assert all(f.suffix in (".csv", ".xlsx") for f in files)
        assert planted["rows"][s] > 0
    assert json.loads((out / "_planted.json").read_text(encoding="utf-8")) == planted


def test_every_reason_planted_with_faults_some(inbox_some):
    _, planted = inbox_some
    seen = {r for by_reason in planted["quarantine"].values() for r in by_reason}
    assert seen == set(REASONS)
    assert all(n >= 1 for by in planted["quarantine"].values() for n in by.values())
    assert {r["reason"] for r in planted["rejected_files"]} == {
        "unreadable_file", "missing_column", "total_mismatch"}
    assert planted["quarantine"]["tekun_persons"]["duplicate_row"] == 1
    assert planted["quarantine"]["lowincome_households"]["conflicting_duplicate"] == 2


def test_nothing_planted_with_faults_none(inbox_none):
    _, planted = inbox_none
    assert planted["quarantine"] == {}
    assert planted["rejected_files"] == []


def test_rows_written_match_rows_read_back(inbox_some, read_some):
    _, planted = inbox_some
    for s, ts in read_some.items():
        rejected_rows = sum(n for r, n in planted["quarantine"].get(s, {}).items()
                            if r in ("missing_column", "total_mismatch"))
        read = sum(len(t.rows) + len(t.malformed) for t in ts)
        assert read == planted["rows"][s] - rejected_rows, s


def test_encodings_and_formats_all_occur(inbox_none):
    out, _ = inbox_none
    encodings = set()
    for p in out.rglob("*.csv"):
        encodings.add(raw_rows(p)[1])
    assert encodings == {"utf-8", "utf-8-sig", "gb18030"}
    gb = next(p for p in out.rglob("*.csv") if raw_rows(p)[1] == "gb18030")
    with pytest.raises(UnicodeDecodeError):
        gb.read_bytes().decode("utf-8")
    assert "年" in gb.read_bytes().decode("gb18030")
    assert list(out.rglob("*.xlsx"))


def test_value_forms_all_occur(inbox_none, read_none):
    out, _ = inbox_none
    months, amounts, headers = set(), set(), set()
    for t in read_none["dibao_households"]:
        v = t.rows[0]["month"]
        months.add(type(v).__name__ if not isinstance(v, str) else
                   "zh" if "年" in v else "slash" if "/" in v else "iso" if "-" in v
                   else "compact")
        a = t.rows[0]["monthly_amount"]
        amounts.add("yuan" if isinstance(a, str) and a.endswith("元") else
                    "text" if isinstance(a, str) else "number")
        headers.update(str(h) for h in raw_rows(t.path)[0][t.header_row])
    assert months == {"datetime", "zh", "slash", "iso", "compact"}
    assert amounts == {"yuan", "text", "number"}
    assert "month" in headers and "发放月份" in headers  # English and Chinese headers
    fullwidth = [t for t in read_none["disaster_reports"]
                 if "农作物受灾面积（公顷）" in raw_rows(t.path)[0][t.header_row]]
    halfwidth = [t for t in read_none["disaster_reports"]
                 if " 农作物受灾面积(公顷) " in raw_rows(t.path)[0][t.header_row]]
    assert fullwidth and halfwidth
    # Excel date cells for months, dates and datetimes
    assert any(isinstance(r["paid_on"], datetime) for t in read_none["temp_assistance"]
               for r in t.rows)
    assert any(isinstance(r["reported_at"], datetime) for t in read_none["disaster_reports"]
               for r in t.rows)
    datetimes = {type(r["reported_at"]).__name__ if not isinstance(r["reported_at"], str) else
                 "zh" if "时" in r["reported_at"] else "iso" if "T" in r["reported_at"] else
                 "slash" if "/" in r["reported_at"] else "space"
                 for t in read_none["disaster_reports"] for r in t.rows}
    assert datetimes == {"datetime", "zh", "iso", "slash", "space"}


def test_rejected_files_really_are_faulty(inbox_some):
    out, planted = inbox_some
    by_reason = {r["reason"]: out / r["path"] for r in planted["rejected_files"]}
    with pytest.raises(Exception):  # noqa: B017 - any reader error
        raw_rows(by_reason["unreadable_file"])
    assert "12月" in by_reason["unreadable_file"].name
    t = Table(by_reason["missing_column"], "tekun_persons")
    assert "care_type" not in t.columns and len(t.rows) > 0
    assert {month(r["month"]) for r in t.rows} == {(2025, 12)}
    t = Table(by_reason["total_mismatch"], "dibao_households")
    assert {month(r["month"]) for r in t.rows} == {(2025, 12)}
    got = sum(num(r["monthly_amount"]) for r in t.rows)
    assert abs(num(t.total["monthly_amount"]) - got) > 0.01


@pytest.mark.parametrize("kw", [{"scale": "town"}, {"faults": "all"}, {"year": 1999},
                                {"year": 2999}])
def test_bad_arguments_are_refused(tmp_path, kw):
    with pytest.raises(ValueError):
        generate(tmp_path / "x", **kw)


def test_refuses_a_foreign_non_empty_folder(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not empty"):
        generate(tmp_path)
    assert (tmp_path / "mine.txt").exists()


def test_issue11_file_forms_are_planted(inbox_some, read_some):
    """--faults some writes each real-office form of data contract v2 §1 once."""
    import openpyxl

    out, planted = inbox_some
    assert planted["quarantine"]["dibao_households"]["malformed_row"] == 1
    assert planted["quarantine"]["tekun_persons"]["hidden_row"] == 1
    xls = sorted((out / "tekun_persons").glob("*.xls"))
    heads = {p.read_bytes()[:8] for p in xls}
    assert b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" in heads  # BIFF8 in an OLE2 compound file
    assert any(h.lstrip().startswith(b"<html") for h in heads)  # an HTML table named .xls
    rejected = {out / r["path"] for r in planted["rejected_files"]}
    books = {p: openpyxl.load_workbook(p) for p in out.rglob("*.xlsx")
             if p not in rejected and p.parent.name in ("dibao_households", "dibao_members", "tekun_persons",
                                  "disaster_reports")}
    two_data_sheets = [p for p, wb in books.items() if p.parent.name == "dibao_households"
                       and len(wb.sheetnames) == 2 and "说明" not in wb.sheetnames]
    assert len(two_data_sheets) == 1
    merged_members = [p for p, wb in books.items() if p.parent.name == "dibao_members"
                      and len(wb.worksheets[0].merged_cells.ranges) > 100]
    assert len(merged_members) == 1
    hidden = [p for p, wb in books.items()
              if any(d.hidden for d in wb.worksheets[0].row_dimensions.values())]
    assert len(hidden) == 1 and hidden[0].parent.name == "tekun_persons"
    grouped = [t for t in read_some["disaster_reports"] if "collapsed_rooms" in t.columns
               and "倒塌房屋间数" not in [str(v) for v in raw_rows(t.path)[0][t.header_row]]]
    assert grouped  # 倒塌房屋 over 户数 and 间数
    texts = [p.read_bytes() for p in out.rglob("*.csv")]
    assert any("\u200b".encode() in b for b in texts + [p.read_bytes() for p in books])
    assert any(b",'99" in b for b in texts) or any(
        "'99".encode("gb18030") in b for b in texts)
