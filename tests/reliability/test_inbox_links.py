"""Defect 4 of issue 16: only regular files inside the inbox are read; the rest is named."""

import os

import duckdb

from ingest.inbox import source_files
from ingest.pipeline import ingest_source


def test_links_are_listed_with_their_target_and_never_read(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CIVSTAT_PII_KEY", raising=False)
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    (inbox / "regions" / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "roster.csv").write_text("区划代码,名称\n110101000000,东城区\n", encoding="utf-8")
    os.symlink(outside / "roster.csv", inbox / "regions" / "roster.csv")
    os.symlink("/etc/passwd", inbox / "regions" / "passwd.csv")
    (inbox / "tekun_persons").write_text("x")  # a file where a folder should be
    os.symlink(outside, inbox / "veterans")  # a linked source folder

    files, ignored = source_files(inbox, "regions")
    assert files == []
    assert ignored == [
        "regions/passwd.csv (符号链接，未读取，指向 /etc/passwd / symbolic link to /etc/passwd,"
        " not read)",
        f"regions/roster.csv (符号链接，未读取，指向 {outside}/roster.csv / symbolic link to "
        f"{outside}/roster.csv, not read)",
        "regions/sub/ (子文件夹，未读取 / sub-folder, not read)"]
    assert source_files(inbox, "tekun_persons") == (
        [], ["tekun_persons (应为文件夹，却是一个文件 / a file where the folder should be)"])
    assert source_files(inbox, "veterans")[1][0].startswith("veterans/ (符号链接，未读取，指向")
    assert source_files(inbox, "dibao_households")[1] == [
        "dibao_households/ (文件夹不存在 / folder missing)"]

    wh = tmp_path / "wh"
    wh.mkdir()
    with duckdb.connect(str(wh / "civstat.duckdb")) as con:
        report = ingest_source("regions", inbox, wh, con)
        assert report.files == [] and report.rows_read == 0
        assert con.execute("select count(*) from raw.quarantine").fetchone()[0] == 0
        assert con.execute("select entry from raw.inbox_ignored order by 1").fetchall() == [
            ("regions/passwd.csv",), ("regions/roster.csv",), ("regions/sub/",)]

    from orchestration.cli.console import print_ignored

    print_ignored(wh)
    out = capsys.readouterr().out
    assert "regions/passwd.csv: 符号链接，未读取，指向 /etc/passwd" in out


def test_the_manifest_lists_ignored_entries_by_label_with_why(tmp_path):
    from ingest.redact import file_label
    from ingest.warehouse import ensure_raw_schema
    from orchestration.release.inputs import ignored_entries

    con = duckdb.connect()
    ensure_raw_schema(con)
    con.execute("insert into raw.inbox_ignored values ('regions', 'regions/张三.csv', "
                "'符号链接，未读取，指向 /etc/passwd'), ('regions', 'regions/sub/', '子文件夹')")
    got = ignored_entries(con)
    assert got == [  # ordered by entry: "sub/" sorts before "张"
        {"source": "regions", "entry": file_label("regions/sub/"), "why": "子文件夹"},
        {"source": "regions", "entry": file_label("regions/张三.csv"),
         "why": "符号链接，未读取，指向 /etc/passwd"}]
    assert all("张三" not in g["entry"] for g in got)  # a name in a file name is not published
    assert ignored_entries(duckdb.connect()) == []  # no raw layer: nothing listed


def test_an_entry_whose_name_holds_a_bracket_is_split_after_its_name():
    """A sub-folder "备份 (低保)" was stored as path "备份" and why "低保)/ (子文件夹…"."""
    from ingest.inbox import split_ignored

    assert split_ignored("veterans/备份 (低保)/ (子文件夹，未读取 / sub-folder, not read)") == (
        "veterans/备份 (低保)/", "子文件夹，未读取 / sub-folder, not read")
    assert split_ignored("regions/a (符号链接) (符号链接，未读取，指向 /x (y) / symbolic link "
                         "to /x (y), not read)") == (
        "regions/a (符号链接)", "符号链接，未读取，指向 /x (y) / symbolic link to /x (y), not read")
    assert split_ignored("odd") == ("odd", "")
