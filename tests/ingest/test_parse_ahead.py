"""ParseAhead (ingest/parse_ahead.py): the step's new files parsed by a pool ahead of their
loads, and each load's tables exactly those of a load that parses its files itself."""

import hashlib
import shutil
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
from ingest_cases import HH_HEADER, NOW, Env, hh

import ingest.pipeline as pipeline
from ingest import parallel, parse_ahead
from ingest.inbox_digests import DigestIndex
from ingest.parse_ahead import ParseAhead, stage1_inputs

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
        assert ahead._pool is None  # shut once the last source's results were taken
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


class DeadPool:
    """A pool whose every job failed: a worker was killed."""

    def submit(self, *a, **k):
        f = Future()
        f.set_exception(BrokenProcessPool("a worker was killed"))
        return f

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def _no_pool():
    raise OSError("cannot spawn")


@pytest.mark.parametrize("new_pool", [DeadPool, _no_pool], ids=["died", "cannot start"])
def test_without_a_working_pool_each_load_parses_its_files_itself(ahead_env, tmp_path,
                                                                  monkeypatch, new_pool):
    monkeypatch.setattr(parallel, "new_pool", new_pool)
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
        assert ahead.parsed(SOURCE, set(), "") == {}
        _load(ahead_env, ahead)
    assert len(here) == 1  # the load parsed its four files itself, as one group


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_load_is_given_only_the_contents_it_asks_for_and_once(ahead_env):
    first = _sha(ahead_env.inbox / f"{SOURCE}/00.xlsx")
    tag = stage1_inputs(SOURCE, ahead_env.warehouse, NOW)[1]
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        assert ahead.parsed("regions", {first}, tag) == {}  # not this source's
        got = ahead.parsed(SOURCE, {first, "f" * 64}, tag)
        assert list(got) == [first]
        entry, info = got[first]
        assert entry.exists() and info.rows_read == 2
        assert ahead.parsed(SOURCE, {first}, tag) == {}  # once: a second load parses itself


class LazyPool:
    """A pool whose jobs run in this process when their result is asked for (not before):
    what a file looks like when "the worker" reads it is the test's to arrange."""

    def submit(self, fn, *args):
        class Job:
            def result(self):
                return fn(*args)
        return Job()

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_a_file_the_worker_found_changed_is_not_given_for_the_same_content_elsewhere(
        ahead_env, tmp_path, monkeypatch):
    # 01.xlsx is planned, then changed before "the worker" reads it: the worker rejects its
    # planned content as still changing. The same content is now also 01b.xlsx (copied
    # before the change): that file is fine and must be loaded, not rejected.
    monkeypatch.setattr(parallel, "new_pool", LazyPool)
    original = ahead_env.inbox / f"{SOURCE}/01.xlsx"
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        shutil.copyfile(original, ahead_env.inbox / f"{SOURCE}/01b.xlsx")
        ahead_env.xlsx(f"{SOURCE}/01.xlsx", [HH_HEADER, hh(household_id="H777")])
        report = _load(ahead_env, ahead)
    files = dict((p, (read, loaded)) for p, read, loaded, _ in _tables(ahead_env)[2])
    assert files[f"{SOURCE}/01b.xlsx"] == (2, 1)  # its rows: one loaded, one quarantined
    assert files[f"{SOURCE}/01.xlsx"] == (1, 1)  # the new content of 01
    assert not [f for f in report.files if f.status == "rejected"]


def test_nothing_is_planned_where_digests_are_not_kept(ahead_env, monkeypatch):
    # on such a file system the planner's read would be a second one: the loads read alone
    monkeypatch.setattr(DigestIndex, "trusted", lambda self, st: False)
    monkeypatch.setattr(parallel, "new_pool", lambda: pytest.fail("a pool was started"))
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        assert ahead._jobs == {}


def test_several_sources_are_parsed_ahead_in_one_pool(env, tmp_path, monkeypatch):
    from ingest_cases import REGIONS, STANDARDS

    monkeypatch.setattr(parse_ahead, "AHEAD_MIN_BYTES", 0)
    monkeypatch.setenv("CIVSTAT_PARSE_WORKERS", "2")
    env.xlsx("regions/regions.xlsx", REGIONS)
    env.xlsx("dibao_standards/std.xlsx", STANDARDS)
    for rel, rows in FILES.items():
        env.xlsx(rel, rows)
    here = _parsed_here(monkeypatch)
    sources = ["regions", "dibao_standards", SOURCE]
    with ParseAhead(env.inbox, env.warehouse, sources, now=NOW) as ahead:
        reports = [pipeline.ingest_source(s, env.inbox, env.warehouse, env.con, now=NOW,
                                          ahead=ahead) for s in sources]
    assert here == []
    assert [r.rows_loaded for r in reports] == [5, 3, 4]
    assert _tables(env) == _loaded_alone(tmp_path / "alone", FILES)


def test_past_its_files_nothing_is_looked_up(ahead_env, monkeypatch):
    # a city's or a province's inbox: the plan stops at the listing, before any digest
    monkeypatch.setattr(parse_ahead, "AHEAD_MAX_FILES", len(FILES) - 1)
    monkeypatch.setattr(DigestIndex, "digest", lambda *a: pytest.fail("a file was looked up"))
    monkeypatch.setattr(parallel, "new_pool", lambda: pytest.fail("a pool was started"))
    with ParseAhead(ahead_env.inbox, ahead_env.warehouse, [SOURCE], now=NOW) as ahead:
        assert ahead._jobs == {}
