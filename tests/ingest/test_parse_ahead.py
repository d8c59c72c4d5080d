"""ParseAhead (ingest/parse_ahead.py): the step's new files parsed by a pool ahead of their
loads, and each load's tables exactly those of a load that parses its files itself."""

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
from ingest_cases import HH_HEADER, NOW, Env, hh

import ingest.pipeline as pipeline
from ingest import parallel, parse_ahead
from ingest.parse_ahead import ParseAhead

SOURCE = "dibao_households"
# four monthly files; the second row of each fails its income check (a quarantined row)
FILES = {f"{SOURCE}/{i:02d}.xlsx": [HH_HEADER, hh(household_id=f"H{i:03d}"),
                                    hh(household_id=f"H{i:03d}", per_capita_income="x")]
         for i in range(4)}


def _tables(env: Env) -> tuple[list, list, list]:
    rows = env.sql(f"SELECT _source_file, _row_number, household_id, month, monthly_amount "
                   f"FROM raw.{SOURCE} ORDER BY 1, 2")
    files = env.sql("SELECT path, rows_read, rows_loaded, rows_quarantined FROM raw.files "
                    "WHERE source = ? ORDER BY 1", [SOURCE])
    return rows, env.quarantine(SOURCE), files


def _loaded_alone(root, files: dict[str, list]) -> tuple[list, list, list]:
    """The tables of `files` loaded into a new warehouse, each load parsing for itself."""
    root.mkdir()
    other = Env(root)
    try:
        other.base()
        for rel, rows in files.items():
            other.xlsx(rel, rows)
        other.run(SOURCE)
        return _tables(other)
    finally:
        other.con.close()


@pytest.fixture
def ahead_env(env, monkeypatch):
    """The tiny district's base loaded, FILES in the inbox, the ahead's pool for any size."""
    monkeypatch.setattr(parse_ahead, "AHEAD_MIN_BYTES", 0)
    monkeypatch.setenv("CIVSTAT_PARSE_WORKERS", "2")
    env.base()
    for rel, rows in FILES.items():
        env.xlsx(rel, rows)
    return env


def _parsed_here(monkeypatch) -> list[list[str]]:
    """The files each `load_or_parse_group` call of the loads (in this process) parsed."""
    calls = []
    real = pipeline.load_or_parse_group

    def spy(cache_dir, source, files, *rest):
        calls.append(sorted(path.name for path, _ in files))
        return real(cache_dir, source, files, *rest)

    monkeypatch.setattr(pipeline, "load_or_parse_group", spy)
    return calls


def _load(env: Env, ahead: ParseAhead):
    return pipeline.ingest_source(SOURCE, env.inbox, env.warehouse, env.con, now=NOW,
                                  ahead=ahead)


def test_the_load_takes_the_pools_parses_and_its_tables_are_as_alone(ahead_env, tmp_path,
                                                                     monkeypatch):
    here = _parsed_here(monkeypatch)
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        report = _load(ahead_env, ahead)
    assert here == []  # every file came from the pool
    assert (report.rows_loaded, report.rows_quarantined) == (4, 4)
    assert report.reasons == {"invalid_amount": 4}
    assert _tables(ahead_env) == _loaded_alone(tmp_path / "alone", FILES)


def test_a_file_changed_after_the_plan_is_parsed_by_its_load(ahead_env, tmp_path, monkeypatch):
    here = _parsed_here(monkeypatch)
    changed = {**FILES, f"{SOURCE}/02.xlsx": [HH_HEADER, hh(household_id="H999")]}
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        ahead_env.xlsx(f"{SOURCE}/02.xlsx", changed[f"{SOURCE}/02.xlsx"])
        _load(ahead_env, ahead)
    assert here == [["02.xlsx"]]  # the new content only; the others came from the pool
    assert ("H999",) in ahead_env.sql(f"SELECT household_id FROM raw.{SOURCE}")
    assert _tables(ahead_env) == _loaded_alone(tmp_path / "alone", changed)


def test_when_the_pool_dies_each_load_parses_its_files_itself(ahead_env, tmp_path,
                                                             monkeypatch):
    class DeadPool:
        def submit(self, *a, **k):
            f = Future()
            f.set_exception(BrokenProcessPool("a worker was killed"))
            return f

        def shutdown(self, cancel_futures=False):
            pass

    monkeypatch.setattr(parallel, "new_pool", DeadPool)
    here = _parsed_here(monkeypatch)
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        _load(ahead_env, ahead)
    assert here == [sorted(f.split("/")[1] for f in FILES)]
    assert _tables(ahead_env) == _loaded_alone(tmp_path / "alone", FILES)


def test_outside_its_sizes_no_pool_is_started(ahead_env, monkeypatch):
    monkeypatch.setattr(parse_ahead, "AHEAD_MIN_BYTES", 10 * 1024 * 1024)
    monkeypatch.setattr(parallel, "new_pool", lambda: pytest.fail("a pool was started"))
    here = _parsed_here(monkeypatch)
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        assert ahead.parsed(SOURCE, set()) == {}
        _load(ahead_env, ahead)
    assert len(here) == 1  # the load parsed its four files itself, as one group


def test_a_load_is_given_only_the_contents_it_asks_for_and_once(ahead_env):
    import hashlib

    first = hashlib.sha256((ahead_env.inbox / f"{SOURCE}/00.xlsx").read_bytes()).hexdigest()
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        got = ahead.parsed(SOURCE, {first, "f" * 64})
        assert list(got) == [first]
        entry, info = got[first]
        assert entry.exists() and info.rows_read == 2
        assert ahead.parsed(SOURCE, {first}) == {}  # given once: a second load parses itself
