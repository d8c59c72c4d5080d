"""The whole run on the sample district: publish, re-run, block, waive, crash, privacy.

These tests drive `civstat run` (the Dagster graph in process) on a generated inbox.
"""

import hashlib
import json
import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ingest.contract import SOURCES
from ingest.redact import file_label
from orchestration.cli.main import EXIT_BLOCKED, EXIT_ERROR, EXIT_OK, main

PERIOD = "2025H1"
# every PII column of the contract (names, ID numbers, child case numbers, bank accounts,
# phones), of every source: a new source's PII is scanned for without a change here
PII_SQL = {name: list(src.pii_columns) for name, src in SOURCES.items() if src.pii_columns}


def run(inbox: Path, warehouse: Path, *extra: str) -> int:
    return main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse),
                 "--period", PERIOD, "--published-by", "测试员", *extra])


def release_dir(warehouse: Path) -> Path:
    return warehouse / "published" / PERIOD


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def district(district_inbox, district_h1):
    """(root, planted, warehouse, exit code): the session's 2025H1 run of the demo district
    (tests/conftest.py). Its inbox (root / "inbox") and warehouse are read only: a test that
    changes files or runs again works on copies, put under root."""
    inbox, planted = district_inbox
    warehouse, code = district_h1
    root = inbox.parent
    return root, planted, warehouse, code


def test_faults_some_publishes_with_the_planted_quarantine(district):
    root, planted, warehouse, code = district
    assert code == EXIT_OK
    manifest = json.loads((release_dir(warehouse) / "manifest.json").read_text("utf-8"))
    expected = {s: {r: n for r, n in reasons.items() if n}
                for s, reasons in planted["quarantine"].items() if any(reasons.values())}
    assert manifest["quarantine_reasons"] == expected
    assert manifest["period"] == PERIOD and manifest["published_by"] == "测试员"
    rejected = sorted((i["path"], i["reason"]) for i in manifest["inputs"]
                      if i["status"] == "rejected")
    assert rejected == sorted((file_label(f["path"], sha(root / "inbox" / f["path"])),
                               f["reason"]) for f in planted["rejected_files"])
    for name, digest in manifest["files"].items():
        assert sha(release_dir(warehouse) / name) == digest
    assert manifest["source_agencies"]["disaster_reports"] == "应急管理局"


def test_rerun_is_byte_identical_and_keeps_history(district):
    root, _, fresh, _ = district
    warehouse = root / "wh_rerun"
    shutil.copytree(fresh, warehouse, symlinks=True)  # the run again on the same warehouse
    first = (release_dir(warehouse) / "indicators.csv").read_bytes()
    assert run(root / "inbox", warehouse) == EXIT_OK
    assert (release_dir(warehouse) / "indicators.csv").read_bytes() == first
    history = list((release_dir(warehouse) / "history").iterdir())
    assert len(history) == 1
    assert (history[0] / "indicators.csv").read_bytes() == first


def test_no_personal_data_in_published_files_or_logs(district):
    _, _, warehouse, _ = district
    values: set[str] = set()
    with duckdb.connect(str(warehouse / "civstat.duckdb"), read_only=True) as con:
        for table, cols in PII_SQL.items():
            for col in cols:
                values |= {v for (v,) in con.execute(
                    f"select distinct cast({col} as varchar) from raw.{table} "
                    f"where {col} is not null").fetchall()}
    values = {v for v in values if len(v) >= 3}  # 2-character names match ordinary words
    assert len(values) > 1000
    scanned = 0
    for folder in (warehouse / "published", warehouse / "dagster", warehouse / "logs"):
        for f in folder.rglob("*"):
            if f.is_file():
                leaked = candidates(f.read_bytes().decode("utf-8", errors="ignore")) & values
                assert not leaked, f"{f} contains personal data ({len(leaked)} values)"
                scanned += 1
    assert scanned > 5


def test_dbt_ran_without_its_file_log(district):
    """dbt's debug file log is off by default (orchestration/settings.py): dbt ran in the
    warehouse's dbt folder and wrote its nodes' SQL there, but no dbt.log (and, with
    --no-write-json, no manifest.json or run_results.json: orchestration/defs/assets_dbt.py)."""
    _, _, warehouse, _ = district
    assert len(list((warehouse / "dbt" / "run").rglob("*.sql"))) > 100
    assert not list((warehouse / "dbt").glob("dbt.log*"))
    assert not (warehouse / "dbt" / "run_results.json").exists()
    assert not (warehouse / "dbt" / "manifest.json").exists()


def candidates(text: str) -> set[str]:
    """Every token a name, ID, account or phone could be: digit runs and CJK substrings."""
    found = set(re.findall(r"\d{6,}[Xx]?", text))
    for run in re.findall(r"[\u4e00-\u9fff]{3,}", text):
        found |= {run[i:i + n] for n in (3, 4) for i in range(len(run) - n + 1)}
    return found


def _copy_inbox(root: Path, name: str) -> Path:
    inbox = root / name
    if inbox.exists():
        shutil.rmtree(inbox)
    shutil.copytree(root / "inbox", inbox)
    return inbox


def _files_of_month(warehouse: Path, source: str, month: str, suffix: str = "") -> list[str]:
    with duckdb.connect(str(warehouse / "civstat.duckdb"), read_only=True) as con:
        return [p for (p, m) in con.execute(
            "select path, months from raw.files where source = ? and status = 'loaded' "
            "order by path", [source]).fetchall() if json.loads(m) == [month] and p.endswith(suffix)]


def _bump_total_row(path: Path) -> bool:
    """Add 100 to the last number of the 合计 row; False when the sheet has none."""
    wb = openpyxl.load_workbook(path)
    for row in wb.worksheets[0].iter_rows():
        cells = [c for c in row if c.value not in (None, "")]
        if cells and str(cells[0].value).startswith("合计"):
            numeric = [c for c in cells if isinstance(c.value, int | float)]
            numeric[-1].value = numeric[-1].value + 100
            wb.save(path)
            return True
    return False


@pytest.mark.e2e  # gate and waivers: tests/orchestration/test_gate.py, test_waivers.py
def test_missing_township_month_blocks_and_a_waiver_unblocks(district, capsys):
    root, _, warehouse, _ = district
    before = {p.name: sha(p) for p in release_dir(warehouse).glob("*.*")}
    inbox = _copy_inbox(root, "inbox_missing")
    (inbox / _files_of_month(warehouse, "dibao_households", "2025-03")[0]).unlink()
    wh = root / "wh_missing"
    shutil.copytree(warehouse, wh, symlinks=True)
    capsys.readouterr()
    assert run(inbox, wh) == EXIT_BLOCKED
    err = capsys.readouterr().err
    assert "reporting_completeness" in err and "2025-03" in err
    assert {p.name: sha(p) for p in release_dir(wh).glob("*.*")} == before  # untouched

    assert main(["waive", "--warehouse", str(wh), "--period", PERIOD,
                 "--check", "reporting_completeness", "--reason", "该街道3月停发，已核实",
                 "--by", "王科长"]) == EXIT_OK
    assert run(inbox, wh) == EXIT_OK
    manifest = json.loads((release_dir(wh) / "manifest.json").read_text("utf-8"))
    assert [(w["check"], w["by"]) for w in manifest["waivers"]] == [
        ("reporting_completeness", "王科长")]


@pytest.mark.e2e  # total_mismatch: tests/ingest/test_ingest_files.py, orchestration/test_gate.py
def test_wrong_total_row_blocks_naming_the_file(district, capsys):
    root, _, warehouse, _ = district
    inbox = _copy_inbox(root, "inbox_total")
    workbooks = [p for source in ("dibao_households", "tekun_persons")
                 for m in range(1, 7)
                 for p in _files_of_month(warehouse, source, f"2025-0{m}", ".xlsx")]
    rel = next(p for p in workbooks if _bump_total_row(inbox / p))
    wh = root / "wh_total"
    shutil.copytree(warehouse, wh, symlinks=True)  # keeps the parse cache: only rel is new
    capsys.readouterr()
    assert run(inbox, wh) == EXIT_BLOCKED
    err = capsys.readouterr().err
    assert "total_mismatch" in err and rel in err


def test_crash_mid_publish_leaves_the_last_release(district, monkeypatch):
    root, _, warehouse, _ = district
    wh = root / "wh_crash"
    shutil.copytree(warehouse, wh, symlinks=True)
    before = {p.name: sha(p) for p in release_dir(wh).glob("*.*")}

    import dashboards

    def boom(view):  # the first page is written, then the disk fills
        yield "dashboards/overview.html", "<html></html>"
        raise OSError("disk full while writing dashboards")

    monkeypatch.setattr(dashboards, "pages", boom)
    assert run(root / "inbox", wh) == EXIT_ERROR
    assert {p.name: sha(p) for p in release_dir(wh).glob("*.*")} == before


@pytest.mark.e2e  # appended ingest, incremental model: tests/ingest/test_ingest_append.py,
# tests/dbt/test_dbt_incremental.py
def test_a_month_added_to_a_loaded_warehouse_gives_the_fresh_run_s_figures(district):
    """Load January–May, then add June: appended ingest, GX on new files only and the
    incremental roster model must publish exactly what one run over the whole inbox did."""
    root, _, warehouse, _ = district
    inbox = _copy_inbox(root, "inbox_grow")
    held = root / "held_june"
    june = [p for source in ("dibao_households", "tekun_persons", "veteran_payments")
            for p in _files_of_month(warehouse, source, "2025-06")]
    assert june
    for rel in june:
        (held / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(inbox / rel, held / rel)
    wh = root / "wh_grow"
    assert run(inbox, wh) == EXIT_BLOCKED  # June not reported yet: completeness blocks
    for rel in june:
        shutil.move(held / rel, inbox / rel)
    assert run(inbox, wh) == EXIT_OK
    assert (release_dir(wh) / "indicators.csv").read_bytes() == (
        release_dir(warehouse) / "indicators.csv").read_bytes()
    grown_json, fresh_json = (json.loads((release_dir(w) / "indicators.json").read_text("utf-8"))
                              for w in (wh, warehouse))
    assert grown_json["indicators"] == fresh_json["indicators"]  # all but run id and time
    grown, fresh = (json.loads((release_dir(w) / "manifest.json").read_text("utf-8"))
                    for w in (wh, warehouse))
    assert grown["quarantine_reasons"] == fresh["quarantine_reasons"]
    with duckdb.connect(str(wh / "civstat.duckdb"), read_only=True) as con:
        events = con.execute("select path, event, \"at\" from raw.file_events").fetchall()
    assert {e for _, e, _ in events} == {"added"}  # no file seen as removed or replaced
    first = max(at for p, _, at in events if p not in june)
    assert {p for p, _, at in events if at > first} == set(june)  # June came with run two
