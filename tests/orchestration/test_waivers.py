import json

import pytest

from orchestration.quality.waivers import WaiverError, record_waiver, waivers_for


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
