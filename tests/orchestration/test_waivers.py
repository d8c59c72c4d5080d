import json

import pytest

from orchestration.quality.waivers import WaiverError, record_waiver, waiver_problems, waivers_for


def test_waiver_recorded_and_scoped_to_period(tmp_path):
    record_waiver(tmp_path, "2025H1", "files_rejected", "旧版文件已核实", "张科长",
                  known_checks={"files_rejected"})
    record_waiver(tmp_path, "2025H2", "files_rejected", "other", "李", {"files_rejected"})
    got = waivers_for(tmp_path, "2025H1")
    assert list(got) == ["files_rejected"]
    assert got["files_rejected"]["by"] == "张科长"
    assert got["files_rejected"]["reason"] == "旧版文件已核实"
    lines = (tmp_path / "waivers.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["period"] for x in lines] == ["2025H1", "2025H2"]  # append-only


@pytest.mark.parametrize(
    ("check", "reason", "by", "message"),
    [("nope", "r", "b", "unknown check"), ("files_rejected", " ", "b", "needs a reason"),
     ("files_rejected", "r", "", "needs the name")],
)
def test_waiver_refused(tmp_path, check, reason, by, message):
    with pytest.raises(WaiverError, match=message):
        record_waiver(tmp_path, "2025H1", check, reason, by, known_checks={"files_rejected"})
    assert waivers_for(tmp_path, "2025H1") == {}


def test_a_line_that_is_no_waiver_is_skipped_and_named_and_the_next_waiver_keeps_its_own_line(
        tmp_path):
    # a line cut short by a full disk (no newline): the next waiver was appended onto it and
    # lost, and every run of every period failed on json's error
    path = tmp_path / "waivers.jsonl"
    path.write_text('{"period": "2025-05", "check": "files_rej', encoding="utf-8")
    record_waiver(tmp_path, "2025H1", "files_rejected", "已核实", "张科长", {"files_rejected"})
    with path.open("a", encoding="utf-8") as f:
        f.write('[1, 2]\n{"period": "2025H1", "check": "quarantine_share", "reason": "r"}\n')
    got = waivers_for(tmp_path, "2025H1")
    assert list(got) == ["files_rejected"] and got["files_rejected"]["by"] == "张科长"
    problems = waiver_problems(tmp_path)
    assert [p.split(": ", 1)[0].rsplit(" ", 2)[-2:] for p in problems] == [
        ["line", "1"], ["line", "3"], ["line", "4"]]
    assert "不是 JSON" in problems[0] and "missing period, check, reason, by, at" in problems[1]
    assert problems[2].endswith("missing by, at")


def test_a_reason_with_a_unicode_line_separator_stays_one_waiver(tmp_path):
    # json writes U+2028 and U+0085 raw; str.splitlines() split the record there
    record_waiver(tmp_path, "2025H1", "files_rejected", "甲\u2028乙\x85丙", "张科长",
                  {"files_rejected"})
    assert waivers_for(tmp_path, "2025H1")["files_rejected"]["reason"] == "甲\u2028乙\x85丙"
    assert waiver_problems(tmp_path) == []


def test_waivers_jsonl_is_created_owner_only(tmp_path):
    record_waiver(tmp_path, "2025H1", "files_rejected", "r", "张科长", {"files_rejected"})
    assert (tmp_path / "waivers.jsonl").stat().st_mode & 0o777 == 0o600
