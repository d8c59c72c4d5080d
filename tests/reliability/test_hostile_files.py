"""Defect 3 of issue 16: each hostile file is rejected alone, by name, and the rest loads."""

import os

import duckdb
import pytest
from hostile import CASES, REGIONS, regions_inbox, xlsx_bytes

from ingest.pipeline import ingest_source


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    return regions_inbox(tmp_path, monkeypatch, "a_regions.xlsx")


def _ingest(root):
    with duckdb.connect(str(root / "t.duckdb")) as con:
        return ingest_source("regions", root / "inbox", root / "wh", con)


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_one_named_rejection(inbox, case):
    name, build, words = CASES[case]
    (inbox / "inbox" / "regions" / name).write_bytes(build())
    report = _ingest(inbox)
    by_path = {f.path: f for f in report.files}
    bad = by_path[f"regions/{name}"]
    # an empty or blank-only text file is unreadable too (issue 16), "文件为空"
    assert (bad.status, bad.reason) == ("rejected", "unreadable_file")
    assert words in bad.detail
    assert by_path["regions/a_regions.xlsx"].status == "loaded"
    assert report.rows_loaded == 2


def test_a_name_that_is_not_utf8_is_rejected_with_its_bytes_escaped(inbox):
    folder = os.fsencode(inbox / "inbox" / "regions")
    with open(folder + b"/\xb5\xcd\xb1\xa3.xlsx", "wb") as fh:  # 低保 in GBK
        fh.write(xlsx_bytes(REGIONS[:2]))  # not the content of a_regions.xlsx
    report = _ingest(inbox)
    bad = [f for f in report.files if f.status == "rejected"]
    # cd b1 is valid UTF-8 (U+0371 ͱ); b5 and a3 alone are not
    assert [f.path for f in bad] == ["regions/\\xb5\u0371\\xa3.xlsx"]
    assert bad[0].reason == "unreadable_file" and "不是UTF-8" in bad[0].detail
    assert report.rows_loaded == 2


def test_a_copy_whose_name_is_refused_never_takes_the_rows_of_its_clean_twin(inbox):
    """A copy of a_regions.xlsx under a name that is not UTF-8 and sorts first: it is one
    more path of the loaded file. It was its content's one file, refused, and the rows of
    the clean copy were loaded nowhere."""
    folder = os.fsencode(inbox / "inbox" / "regions")
    with open(folder + b"/0\xb5.xlsx", "wb") as fh:
        fh.write((inbox / "inbox" / "regions" / "a_regions.xlsx").read_bytes())
    report = _ingest(inbox)
    assert {(f.path, f.status) for f in report.files} == {
        ("regions/a_regions.xlsx", "loaded"), ("regions/0\\xb5.xlsx", "duplicate")}
    assert report.rows_loaded == 2


def test_a_parse_error_of_any_kind_rejects_only_that_file(inbox, monkeypatch):
    import ingest.cache

    def boom(files, src, ctx):
        raise ValueError("polars said no")

    monkeypatch.setattr(ingest.cache, "parse_sheets", boom)
    (inbox / "inbox" / "regions" / "b.csv").write_bytes("区划代码,名称\n1,x\n".encode())
    report = _ingest(inbox)
    assert {f.path: (f.status, f.reason) for f in report.files} == {
        "regions/a_regions.xlsx": ("rejected", "unreadable_file"),
        "regions/b.csv": ("rejected", "unreadable_file")}
    assert all("ValueError: polars said no" in f.detail for f in report.files)


def test_a_file_the_system_will_not_let_us_read_is_refused_alone(inbox, monkeypatch):
    """No permission (or gone since the listing): that file is unreadable_file with the
    system's reason, the other files load; it failed the whole source, three tries."""
    from ingest.inbox_digests import DigestIndex

    (inbox / "inbox" / "regions" / "b.csv").write_bytes("区划代码,名称\n1,x\n".encode())
    real = DigestIndex.digest

    def digest(self, path, rel):
        if rel.endswith("b.csv"):
            raise PermissionError(13, "Permission denied")
        return real(self, path, rel)

    monkeypatch.setattr(DigestIndex, "digest", digest)
    report = _ingest(inbox)
    by_path = {f.path: f for f in report.files}
    assert (by_path["regions/b.csv"].status, by_path["regions/b.csv"].reason) == (
        "rejected", "unreadable_file")
    assert "Permission denied" in by_path["regions/b.csv"].detail
    assert by_path["regions/a_regions.xlsx"].status == "loaded" and report.rows_loaded == 2


def test_the_quarantine_csv_a_killed_run_left_behind_is_written_again(inbox):
    """A run killed between the load's commit and the CSV's write: the next run finds the
    source unchanged, and writes the clerk's CSV again (it never did: the CSV missed rows)."""
    (inbox / "inbox" / "regions" / "b.csv").write_bytes("区划代码,名称\n1,x\n".encode())
    _ingest(inbox)
    csv_path = inbox / "wh" / "quarantine" / "regions.csv"
    rows = csv_path.read_text(encoding="utf-8-sig")
    csv_path.unlink()
    _ingest(inbox)  # unchanged
    assert csv_path.read_text(encoding="utf-8-sig") == rows
    csv_path.write_text("stale\n", encoding="utf-8")
    os.utime(csv_path, (0, 0))  # older than the load
    _ingest(inbox)
    assert csv_path.read_text(encoding="utf-8-sig") == rows
