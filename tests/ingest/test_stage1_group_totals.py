"""The 合计/小计 rows of a group's files, checked in one pass (``stage1.part_totals``, issue 18):
each file gets the fault, detail and notes it gets alone. Expected values worked out by hand
from the contract (child_welfare_standards: 执行月份, 儿童类别, 养育方式, 月标准 money; a
total row is met within ±0.01)."""

import ingest.cache as cache
from ingest.cache import parse_files
from tests.ingest.test_stage1_groups import CTX, SOURCE, _files

HEAD = "执行月份,儿童类别,养育方式,月标准\n"
ROW = "2026-01,孤儿,集中养育,{}\n"


def _mismatch(row: int, kind: str, stated: str, summed: str) -> str:
    return (f"第{row}行{kind}的“月标准”为{stated}，而数据行合计为{summed} / total row {row}: column "
            f"monthly_standard is {stated} but the data rows sum to {summed}")


def _no_fallback(*args):
    raise AssertionError("the group's common pass failed: each file was laid out alone")


def test_totals_of_a_group_are_judged_per_file(tmp_path, monkeypatch):
    files = _files(tmp_path, {
        # two 小计, each over its own rows, and a 合计 over all: 300, 50, 350
        "a.csv": HEAD + ROW.format(100) + ROW.format(200) + "小计,,,300\n" + ROW.format(50)
                 + "小计,,,50\n" + "合计,,,350\n",
        # the first 小计 is off by 1 (line 4); the 合计 below it would be right
        "b.csv": HEAD + ROW.format(100) + ROW.format(200) + "小计,,,301\n" + "合计,,,300\n",
        # 0.10 + 0.20 against 0.309: 0.009 off, within ±0.01
        "c.csv": HEAD + ROW.format("0.10") + ROW.format("0.20") + "合计,,,0.309\n",
        # 1.00 against 1.011: 0.011 off
        "d.csv": HEAD + ROW.format("1.00") + "合计,,,1.011\n",
        # 1.00 against 1.01: the float difference 0.010000000000000009 is within the
        # tolerance's 1e-9 of slack
        "f.csv": HEAD + ROW.format("1.00") + "合计,,,1.01\n",
        # a line with a stray quote (line 3): the 合计 cannot be verified, though it adds up over the
        # one row read
        "e.csv": HEAD + ROW.format(100) + '2026-01,孤"儿,集中养育,100\n' + "合计,,,100\n",
        # no total row at all
        "g.csv": HEAD + ROW.format(100),
        # a 合计 over a 小计 that is right: 5 + 7 = 12, and the 合计 is 12 + 3
        "h.csv": HEAD + ROW.format(5) + ROW.format(7) + "小计,,,12\n" + ROW.format(3)
                 + "合计,,,15\n",
        # a 合计 stating only the rows since the 小计 (7), not all rows (12): line 5
        "i.csv": HEAD + ROW.format(5) + "小计,,,5\n" + ROW.format(7) + "合计,,,7\n",
        # a second 小计 stating all rows (12), not its own (7): line 5
        "j.csv": HEAD + ROW.format(5) + "小计,,,5\n" + ROW.format(7) + "小计,,,12\n",
        # two 小计 in a row: the second covers no row (0) and says so; then a 合计 of 5
        "k.csv": HEAD + ROW.format(5) + "小计,,,5\n" + "小计,,,0\n" + "合计,,,5\n",
        # two 小计 in a row, the second repeating the first (5 for no row): line 4
        "l.csv": HEAD + ROW.format(5) + "小计,,,5\n" + "小计,,,5\n",
        # a header and a 合计 of 0, no data row: 0 = 0
        "m.csv": HEAD + "合计,,,0\n",
    })
    monkeypatch.setattr(cache, "_lay_out", _no_fallback)  # the group's own pass, not alone
    got = {path.name: info for path, (_, info) in
           zip([f[0] for f in files], parse_files(SOURCE, files, CTX), strict=True)}
    loaded = {n for n, i in got.items() if i.status == "loaded"}
    assert loaded == {"a.csv", "c.csv", "f.csv", "e.csv", "g.csv", "h.csv", "k.csv", "m.csv"}
    assert (got["b.csv"].reason, got["b.csv"].column) == ("total_mismatch", "monthly_standard")
    assert got["b.csv"].detail == _mismatch(4, "小计", "301.00", "300.00")
    assert got["d.csv"].detail == _mismatch(3, "合计", "1.01", "1.00")
    assert got["i.csv"].detail == _mismatch(5, "合计", "7.00", "12.00")
    assert got["j.csv"].detail == _mismatch(5, "小计", "12.00", "7.00")
    assert got["l.csv"].detail == _mismatch(4, "小计", "5.00", "0.00")
    assert got["m.csv"].rows_read == 0
    assert got["e.csv"].detail.startswith("合计行未核对：第3行无法拆分为各列")
    for name in ("a.csv", "c.csv", "f.csv", "g.csv", "h.csv", "k.csv", "m.csv"):
        assert not got[name].detail, name
    # alone, each file gets the same
    monkeypatch.undo()
    for f in files:
        (_, info), = parse_files(SOURCE, [f], CTX)
        other = got[f[0].name]
        assert (info.status, info.reason, info.detail) == (other.status, other.reason,
                                                          other.detail), f[0].name
