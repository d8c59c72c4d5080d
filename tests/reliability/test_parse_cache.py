"""Defect 5 of issue 16: a file changing between hashing and parsing never poisons the cache."""

import hashlib
from datetime import datetime

import duckdb
import pytest
from hostile import REGIONS, regions_inbox, xlsx_bytes

from ingest.cache import cache_tag, cached, load_or_parse, prune
from ingest.pipeline import ingest_source
from ingest.stage1 import Context

NEW = REGIONS + [["110101002000", "新街道", "街道", "110101000000", None, None, None]]


@pytest.fixture
def env(tmp_path, monkeypatch):
    return regions_inbox(tmp_path, monkeypatch)


def test_a_file_rewritten_after_hashing_is_not_read_then_read_whole(env, monkeypatch):
    path = env / "inbox" / "regions" / "r.xlsx"
    path.write_bytes(xlsx_bytes(REGIONS))
    real = hashlib.file_digest

    def digest_then_rewrite(fh, name):  # the clerk's copy lands while we hash
        out = real(fh, name)
        path.write_bytes(xlsx_bytes(NEW))
        return out

    con = duckdb.connect(str(env / "t.duckdb"))
    monkeypatch.setattr(hashlib, "file_digest", digest_then_rewrite)
    first = ingest_source("regions", env / "inbox", env / "wh", con)
    monkeypatch.setattr(hashlib, "file_digest", real)
    assert [(f.status, f.reason) for f in first.files] == [("rejected", "unreadable_file")]
    assert "文件在读取过程中发生了变化" in first.files[0].detail
    second = ingest_source("regions", env / "inbox", env / "wh", con)
    assert [(f.status, f.rows_loaded) for f in second.files] == [("loaded", 3)]
    con.close()


def test_the_cache_stores_only_what_it_hashed(env):
    old, new = xlsx_bytes(REGIONS), xlsx_bytes(NEW)
    path = env / "r.xlsx"
    path.write_bytes(new)  # the file now holds NEW; the caller hashed OLD
    sha_old = hashlib.sha256(old).hexdigest()
    tag = cache_tag("regions", "k", "")
    ctx = Context(today=datetime(2026, 7, 10).date(), key=b"k", catalogue={})
    cache = env / "cache"
    _, info, _ = load_or_parse(cache, "regions", path, None, sha_old, ctx, tag,
                               datetime(2026, 7, 10))
    assert info.status == "rejected" and info.rows_read == 0
    assert cached(cache, sha_old, tag) is None  # not an entry of OLD's content
    path.write_bytes(old)
    _, info, parsed = load_or_parse(cache, "regions", path, None, sha_old, ctx, tag,
                                    datetime(2026, 7, 10))
    assert (info.status, info.rows_read, parsed) == ("loaded", 2, True)
    assert cached(cache, sha_old, tag) is not None
    (cache / "gone.parquet").write_bytes(b"x")
    assert prune(cache, {sha_old}) == 1
    (cache / f"{sha_old}.parquet").write_bytes(b"x")  # named as before entries were per source
    assert prune(cache, {sha_old}) == 1
    assert sorted(p.name for p in cache.iterdir()) == [f"{sha_old}.regions.parquet"]


def test_one_content_in_two_sources_has_an_entry_for_each(env):
    """The same file dropped in two sources' folders: each source's parse has its own entry,
    so one never replaces the other's (it did, and under a parse ahead of the load the run
    then read the other source's columns and failed on every try)."""
    data = xlsx_bytes(REGIONS)
    path = env / "r.xlsx"
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    ctx = Context(today=datetime(2026, 7, 10).date(), key=b"k", catalogue={})
    cache, when = env / "cache", datetime(2026, 7, 10)
    tags = {s: cache_tag(s, "k", "") for s in ("regions", "tekun_persons")}
    first, info, _ = load_or_parse(cache, "regions", path, None, sha, ctx, tags["regions"], when)
    other, _, _ = load_or_parse(cache, "tekun_persons", path, None, sha, ctx,
                                tags["tekun_persons"], when)
    assert first != other and info.rows_read == 2
    hit = cached(cache, sha, tags["regions"])  # still the regions parse
    assert hit is not None and hit[1].rows_read == 2 and hit[1].tag == tags["regions"]


def test_entries_are_written_plain_and_read_with_older_ones_alike(env):
    """A cache entry has no column statistics and no dictionary pages (cache._store); an
    entry an earlier civstat wrote with both is read by stage 2's `read_parquet` beside it
    with the very same rows, so the cache's version stays."""
    import pyarrow.parquet as pq

    path = env / "r.xlsx"
    path.write_bytes(xlsx_bytes(REGIONS))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    ctx = Context(today=datetime(2026, 7, 10).date(), key=b"k", catalogue={})
    entry, info, _ = load_or_parse(env / "cache", "regions", path, None, sha, ctx,
                                   cache_tag("regions", "k", ""), datetime(2026, 7, 10))
    assert info.rows_read == 2
    meta = pq.ParquetFile(entry).metadata
    chunks = [meta.row_group(0).column(i) for i in range(meta.num_columns)]
    assert chunks and not any(c.is_stats_set or c.has_dictionary_page for c in chunks)
    older = env / "older.parquet"
    pq.write_table(pq.read_table(entry), older)  # pyarrow's defaults: statistics, dictionary
    assert pq.ParquetFile(older).metadata.row_group(0).column(0).has_dictionary_page
    con = duckdb.connect()
    rows = con.execute(f"select * from read_parquet(['{entry}', '{older}']) "
                       "order by _rid, _row_number").fetchall()
    assert len(rows) == 4 and rows[0::2] == rows[1::2]


def test_an_entry_carries_its_file_load_time_and_row_ids(env):
    """The three columns `cache._store` adds to a parse: the content's sha256, the load
    time and the row id 0 .. n-1 — a naive time as it is (every caller's), a time with its
    zone kept in it."""
    from zoneinfo import ZoneInfo

    import pyarrow.parquet as pq

    path = env / "r.xlsx"
    path.write_bytes(xlsx_bytes(REGIONS))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    ctx = Context(today=datetime(2026, 7, 10).date(), key=b"k", catalogue={})
    tag = cache_tag("regions", "k", "")
    naive = datetime(2026, 7, 10, 8, 30)
    entry, _, _ = load_or_parse(env / "cache", "regions", path, None, sha, ctx, tag, naive)
    table = pq.read_table(entry)
    assert str(table.schema.field("_loaded_at").type) == "timestamp[us]"
    assert table.select(["_file_sha256", "_loaded_at", "_rid"]).to_pylist() == [
        {"_file_sha256": sha, "_loaded_at": naive, "_rid": 0},
        {"_file_sha256": sha, "_loaded_at": naive, "_rid": 1}]
    aware = datetime(2026, 7, 10, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    entry, _, _ = load_or_parse(env / "cache2", "regions", path, None, sha, ctx, tag, aware)
    loaded = pq.read_table(entry).column("_loaded_at")
    assert str(loaded.type) == "timestamp[us, tz=Asia/Shanghai]"
    assert loaded.to_pylist() == [aware, aware]
