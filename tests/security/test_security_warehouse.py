"""Issue 16, defects 6 and 8 on a real ingest of a tiny inbox: the clerks' quarantine CSV
quotes formulas, and everything of the warehouse that holds personal data is owner-only."""

import os
import stat
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
from ingest_cases import HH_HEADER, Env, hh  # noqa: E402
from release_sample import SAMPLE, make_frame, make_manifest  # noqa: E402

from ingest.output import write_quarantine_csv  # noqa: E402
from ingest.warehouse import ensure_raw_schema  # noqa: E402
from ingest.warehouse_layout import WarehouseLayout  # noqa: E402
from orchestration.release import write_index, write_release  # noqa: E402

FORMULA = '=HYPERLINK("https://evil.example/","x")'


@pytest.fixture
def ingested(tmp_path, monkeypatch):
    """A tiny inbox ingested into a warehouse whose database lives where a run keeps it; the
    warehouse is first made the way an older version left it (world-readable)."""
    monkeypatch.delenv("CIVSTAT_PII_KEY", raising=False)
    umask = os.umask(0o022)
    env = Env(tmp_path)
    env.con.close()
    layout = WarehouseLayout(env.warehouse)
    (layout.parse_cache).mkdir(parents=True)
    stale = layout.parse_cache / "old.parquet"
    stale.write_bytes(b"x")
    env.con = duckdb.connect(str(layout.db))
    assert stat.S_IMODE(layout.db.stat().st_mode) == 0o644  # as created before the fix
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh(), hh(household_id="H2", program="x")])
    env.run("dibao_households")
    env.con.execute("CHECKPOINT")
    yield env, layout
    env.con.close()
    os.umask(umask)


def _mode(path):
    return stat.S_IMODE(path.lstat().st_mode)


def test_everything_holding_pii_is_owner_only_after_an_ingest(ingested):
    env, layout = ingested
    assert _mode(layout.root) == 0o700
    private = [p for top in layout.private if top.exists()
               for p in [top, *(top.rglob("*") if top.is_dir() else [])]]
    names = {p.relative_to(layout.root).as_posix() for p in private}
    assert {"civstat.duckdb", "cache/parsed/old.parquet", "quarantine/dibao_households.csv",
            "secrets/pii.key"} <= names
    assert len([n for n in names if n.startswith("cache/parsed/")]) >= 4  # 3 files parsed
    wrong = {p.relative_to(layout.root).as_posix(): oct(_mode(p)) for p in private
             if _mode(p) != (0o700 if p.is_dir() else 0o600)}
    assert wrong == {}


def test_a_release_in_the_private_warehouse_stays_readable(ingested):
    _, layout = ingested
    folder = write_release(layout.published, "2025H1", make_frame(SAMPLE), make_manifest())
    index = write_index(layout.published)
    assert _mode(layout.published) == 0o755 and _mode(folder) == 0o755
    assert _mode(folder.parent) == 0o755 and _mode(folder.parent.parent) == 0o755
    assert _mode(index) == 0o644
    assert {oct(_mode(p)) for p in folder.rglob("*") if p.is_file()} == {oct(0o444)}
    assert {oct(_mode(p)) for p in folder.rglob("*") if p.is_dir()} == {oct(0o755)}  # pages


def test_the_quarantine_csv_quotes_formulas(tmp_path):
    """Each text column of the clerks' CSV, hand-filled with a payload, comes out quoted."""
    con = duckdb.connect(str(tmp_path / "q.duckdb"))
    ensure_raw_schema(con)
    con.execute(
        "INSERT INTO raw.quarantine VALUES ('dibao_households', ?, ?, 2, ?, ?, ?, "
        "DATE '2026-06-01', '{\"户主姓名\": \"=1\"}', TIMESTAMP '2026-07-10 12:00:00', 0)",
        [FORMULA, "+abc", "@col", "-reason", "＝detail"])
    write_quarantine_csv(con, "dibao_households", tmp_path / "wh")
    text = (tmp_path / "wh" / "quarantine" / "dibao_households.csv").read_text("utf-8-sig")
    assert text.splitlines()[1] == (
        "\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"x\"\")\",2,'@col,,'-reason,,"
        "'＝detail,2026-06-01,\"{\"\"户主姓名\"\": \"\"=1\"\"}\",'+abc,2026-07-10T12:00:00.000000")


def test_existing_files_are_re_moded_once_per_process_and_warehouse(tmp_path, monkeypatch):
    """ingest calls secure_warehouse once per source: the walk over the warehouse's files
    (≈ 27 000 cached files at province) is done once, the umask and the folder every time."""
    from ingest import warehouse_layout

    walks = []
    real = os.walk
    monkeypatch.setattr(warehouse_layout.os, "walk", lambda top: walks.append(top) or real(top))
    umask = os.umask(0o022)
    try:
        first, second = tmp_path / "a", tmp_path / "b"
        for root in (first, second):
            (WarehouseLayout(root).parse_cache).mkdir(parents=True)
            (WarehouseLayout(root).parse_cache / "old.parquet").write_bytes(b"x")
        warehouse_layout.secure_warehouse(first)
        assert _mode(WarehouseLayout(first).parse_cache / "old.parquet") == 0o600
        n = len(walks)
        assert n >= 1
        first.chmod(0o755)
        warehouse_layout.secure_warehouse(first)
        assert len(walks) == n and _mode(first) == 0o700  # not walked again; the folder is
        warehouse_layout.secure_warehouse(second)
        assert len(walks) > n
        assert _mode(WarehouseLayout(second).parse_cache / "old.parquet") == 0o600
    finally:
        os.umask(umask)
