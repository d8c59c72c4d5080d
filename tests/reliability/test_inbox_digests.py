"""The inbox's digests (ingest/inbox_digests.py): a file unchanged since an earlier run is
not read again, and any change the kernel records — or a file too fresh to trust its
times — makes the next run read it whole."""

import hashlib
import json
import os
import time

import duckdb
import pytest
from hostile import REGIONS, first_args, regions_inbox, xlsx_bytes

from ingest import inbox_digests
from ingest.inbox_digests import SETTLED_NS, DigestIndex
from ingest.pipeline import ingest_source

NEW = REGIONS + [["110101002000", "新街道", "街道", "110101000000", None, None, None]]


def _on(monkeypatch, folder, fs: str) -> None:
    """The index sees `folder`'s device as a file system of type `fs` (whatever this
    machine's really is: the tests must not depend on it)."""
    dev = os.stat(folder).st_dev
    monkeypatch.setattr(inbox_digests, "_mounts",
                        lambda: {(os.major(dev), os.minor(dev)): fs})


@pytest.fixture(autouse=True)
def local_disk(tmp_path, monkeypatch):
    _on(monkeypatch, tmp_path, "ext4")


@pytest.fixture
def env(tmp_path, monkeypatch):
    return regions_inbox(tmp_path, monkeypatch, "r.xlsx")


def _later(monkeypatch, seconds: float = 3.0) -> None:
    """The index's clock `seconds` ahead: every file written so far has settled."""
    now = time.time_ns() + int(seconds * 1e9)
    monkeypatch.setattr(inbox_digests.time, "time_ns", lambda: now)


def _reads(monkeypatch) -> list:
    """The files the index reads in full from now on."""
    return first_args(monkeypatch, hashlib, "file_digest", keep=lambda fh: fh.name)


def _run(env) -> list:
    con = duckdb.connect(str(env / "t.duckdb"))
    try:
        report = ingest_source("regions", env / "inbox", env / "wh", con)
    finally:
        con.close()
    return [(f.status, f.rows_loaded, f.sha256) for f in report.files]


def test_a_settled_file_is_not_read_again_and_keeps_its_digest(env, monkeypatch):
    path = env / "inbox" / "regions" / "r.xlsx"
    sha = hashlib.sha256(path.read_bytes()).hexdigest()  # by hand, not by the index
    _later(monkeypatch)
    reads = _reads(monkeypatch)
    assert _run(env) == [("loaded", 2, sha)]
    assert reads == [str(path)]
    index = json.loads((env / "wh/cache/parsed/index/regions.digests.json").read_text("utf-8"))
    st = path.stat()
    assert index == {"regions/r.xlsx": [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns,
                                        st.st_ctime_ns, sha]}
    assert _run(env) == [("loaded", 2, sha)]
    assert reads == [str(path)]  # the second run read nothing


def test_a_fresh_file_is_read_at_every_run_until_it_settles(env, monkeypatch):
    reads = _reads(monkeypatch)
    _run(env)
    _run(env)  # written under a second ago: its times are not trusted yet
    assert len(reads) == 2
    assert not (env / "wh/cache/parsed/index/regions.digests.json").exists()
    _later(monkeypatch)
    _run(env)
    _run(env)
    assert len(reads) == 3


def test_a_file_rewritten_with_its_mtime_put_back_is_read_again(env, monkeypatch):
    path = env / "inbox" / "regions" / "r.xlsx"
    _later(monkeypatch)
    _run(env)
    old = path.stat()
    time.sleep(0.05)  # past the file system's clock tick, as any real edit is
    new = xlsx_bytes(NEW)
    path.write_bytes(new)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # `cp -p`, `touch -d`: ctime moves
    assert path.stat().st_mtime_ns == old.st_mtime_ns
    _later(monkeypatch)
    reads = _reads(monkeypatch)
    sha = hashlib.sha256(new).hexdigest()
    assert _run(env) == [("loaded", 3, sha)]
    assert reads == [str(path)]


def test_a_file_replaced_by_another_with_the_same_times_is_read_again(env, monkeypatch):
    path = env / "inbox" / "regions" / "r.xlsx"
    _later(monkeypatch)
    _run(env)
    old = path.stat()
    other = env / "other.xlsx"
    other.write_bytes(xlsx_bytes(NEW))
    os.utime(other, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(other, path)  # a new inode under the old name
    _later(monkeypatch)
    reads = _reads(monkeypatch)
    assert _run(env)[0][:2] == ("loaded", 3)
    assert reads == [str(path)]


def test_a_lost_or_corrupt_index_costs_a_read(env, monkeypatch):
    _later(monkeypatch)
    first = _run(env)
    index = env / "wh/cache/parsed/index/regions.digests.json"
    index.write_text("{not json", encoding="utf-8")
    reads = _reads(monkeypatch)
    assert _run(env) == first
    assert len(reads) == 1
    line = json.loads(index.read_text("utf-8"))["regions/r.xlsx"]
    index.write_text(json.dumps({"regions/r.xlsx": line[:5]}), encoding="utf-8")
    assert _run(env) == first  # a line without its digest is not trusted
    assert len(reads) == 2


def test_the_index_keeps_only_the_current_files(tmp_path, monkeypatch):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"x,y\n1,2\n")
    b.write_bytes(b"x,y\n3,4\n")
    _later(monkeypatch)
    first = DigestIndex(tmp_path / "cache", "s")
    assert first.digest(a, "s/a.csv")[0] == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    first.digest(b, "s/b.csv")
    first.save()
    reads = _reads(monkeypatch)
    second = DigestIndex(tmp_path / "cache", "s")
    before, after = second.digest(b, "s/b.csv")[1:]
    assert reads == [] and before is after
    second.save()
    kept = json.loads((tmp_path / "cache/index/s.digests.json").read_text("utf-8"))
    assert list(kept) == ["s/b.csv"]
    assert SETTLED_NS >= 2_000_000_000


def test_the_same_size_and_mtime_after_an_edit_is_caught_by_the_ctime(tmp_path, monkeypatch):
    f = tmp_path / "a.csv"
    f.write_bytes(b"x,y\n1,2\n")
    _later(monkeypatch)
    first = DigestIndex(tmp_path / "cache", "s")
    first.digest(f, "s/a.csv")
    first.save()
    old = f.stat()
    time.sleep(0.05)
    f.write_bytes(b"x,y\n9,2\n")  # the same size, in place (the same inode)
    os.utime(f, ns=(old.st_atime_ns, old.st_mtime_ns))
    now = f.stat()
    assert (now.st_ino, now.st_size, now.st_mtime_ns) == (old.st_ino, old.st_size,
                                                          old.st_mtime_ns)
    _later(monkeypatch)
    reads = _reads(monkeypatch)
    second = DigestIndex(tmp_path / "cache", "s")
    assert second.digest(f, "s/a.csv")[0] == hashlib.sha256(b"x,y\n9,2\n").hexdigest()
    assert reads == [str(f)]


@pytest.mark.parametrize("fs", ["vfat", "nfs4", "cifs", "fuse.sshfs", None])
def test_where_the_ctime_is_no_guard_every_file_is_read_at_every_run(env, monkeypatch, fs):
    # FAT and sshfs show the mtime as the ctime; NFS and CIFS may answer stat from a cache
    _on(monkeypatch, env, fs)
    _later(monkeypatch)
    reads = _reads(monkeypatch)
    first = _run(env)
    assert _run(env) == first
    assert len(reads) == 2
    assert not (env / "wh/cache/parsed/index/regions.digests.json").exists()


def test_the_mount_table_gives_each_devices_file_system():
    mountinfo = (
        "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
        "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
        "40 27 8:17 / /media/u\\040盘 rw,nosuid master:3 - vfat /dev/sdb1 rw,fmask=0022\n"
        "41 27 0:45 / /mnt/share rw - nfs4 server:/inbox rw,vers=4.2\n"
        "bad line without a separator\n"
        "42 27 x:y / /odd rw - ext4 /dev/odd rw\n"
    )
    assert inbox_digests.mounted_types(mountinfo) == {
        (0, 21): "proc", (254, 0): "ext4", (8, 17): "vfat", (0, 45): "nfs4"}


def test_a_file_whose_name_is_not_utf8_keeps_its_digest(tmp_path, monkeypatch):
    # the inbox's path as os.listdir gives it: the undecodable byte as a surrogate
    name = os.fsdecode(b"\xb5\xcd\xb1\xa3.csv")  # 低保 in GBK, not UTF-8
    f = tmp_path / name
    f.write_bytes(b"x,y\n1,2\n")
    _later(monkeypatch)
    first = DigestIndex(tmp_path / "cache", "s")
    sha = first.digest(f, f"s/{name}")[0]
    first.save()
    assert not list((tmp_path / "cache" / "index").glob("*.tmp*"))
    reads = _reads(monkeypatch)
    second = DigestIndex(tmp_path / "cache", "s")
    assert second.digest(f, f"s/{name}")[0] == sha == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    assert reads == []
