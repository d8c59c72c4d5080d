"""The parse cache's index (ingest/cache_index.py): a run reads no entry's footer twice, and
an index that no longer describes its entries costs time, never a wrong parse."""

import json

import duckdb
import pyarrow.parquet as pq
import pytest
from hostile import first_args, regions_inbox

from ingest import cache_index
from ingest.cache import META_KEY, cached
from ingest.pipeline import ingest_source


@pytest.fixture
def env(tmp_path, monkeypatch):
    return regions_inbox(tmp_path, monkeypatch, "r.xlsx")


def _footer_reads(monkeypatch) -> list:
    return first_args(monkeypatch, cache_index, "read_info")


def _run(env) -> tuple:
    con = duckdb.connect(str(env / "t.duckdb"))
    try:
        report = ingest_source("regions", env / "inbox", env / "wh", con)
        rows = con.execute("SELECT count(*) FROM raw.regions").fetchall()[0][0]
    finally:
        con.close()
    return [(f.status, f.rows_loaded) for f in report.files], rows


def _entry(env):
    (entry,) = (env / "wh" / "cache" / "parsed").glob("*.parquet")
    return entry


def test_an_unchanged_file_is_found_without_reading_its_footer(env, monkeypatch):
    assert _run(env) == ([("loaded", 2)], 2)
    index = json.loads((env / "wh/cache/parsed/index/regions.json").read_text(encoding="utf-8"))
    # the entry this run wrote (<sha256>.<source>.parquet), keyed by its sha256
    assert list(index) == [_entry(env).stem.partition(".")[0]]
    reads = _footer_reads(monkeypatch)
    assert _run(env) == ([("loaded", 2)], 2)
    assert reads == []


def test_an_entry_written_again_is_read_from_its_footer(env, monkeypatch):
    _run(env)
    entry = _entry(env)
    sha = entry.stem.partition(".")[0]
    tag = json.loads(pq.read_schema(entry).metadata[META_KEY])["tag"]
    # another program's entry under the same name: same content hash, other settings
    table = pq.read_table(entry)
    info = json.loads(table.schema.metadata[META_KEY])
    info["tag"] = "other-settings"
    foreign = table.replace_schema_metadata({META_KEY: json.dumps(info)})
    pq.write_table(foreign, entry.with_suffix(".tmp"))
    entry.with_suffix(".tmp").replace(entry)
    assert cached(entry.parent, sha, tag) is None
    reads = _footer_reads(monkeypatch)
    assert _run(env) == ([("loaded", 2)], 2)
    assert reads == [entry]  # the index line no longer matched the file: its footer was read
    assert cached(entry.parent, sha, tag) is not None  # and the file was parsed again


def test_a_broken_index_is_ignored_and_written_again(env, monkeypatch):
    _run(env)
    index = env / "wh/cache/parsed/index/regions.json"
    index.write_text("{not json", encoding="utf-8")
    reads = _footer_reads(monkeypatch)
    assert _run(env) == ([("loaded", 2)], 2)
    assert reads == [_entry(env)]
    assert list(json.loads(index.read_text(encoding="utf-8"))) == [_entry(env).stem.partition(".")[0]]
    assert oct(index.stat().st_mode & 0o777) == "0o600"


def test_an_index_that_json_cannot_hold_raises_and_leaves_no_file(tmp_path):
    target = tmp_path / "index" / "x.json"
    with pytest.raises(TypeError):
        cache_index.save_json(target, {"a": object()})
    assert not target.parent.exists() or list(target.parent.iterdir()) == []
    cache_index.save_json(target, {"a": [1, "\udcff"]})  # a surrogate of an undecodable name
    assert list(target.parent.iterdir()) == [target]
    assert cache_index.load_json(target) == {"a": [1, "\udcff"]}
