"""Issue 16, defects 6 and 8 on a real ingest of a tiny inbox: the clerks' quarantine CSV
quotes formulas, and everything of the warehouse that holds personal data is owner-only."""

import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
from ingest_cases import HH_HEADER, Env, hh  # noqa: E402

from ingest.output import write_quarantine_csv  # noqa: E402
from ingest.warehouse import ensure_raw_schema  # noqa: E402

FORMULA = '=HYPERLINK("https://evil.example/","x")'


@pytest.fixture
def ingested(tmp_path, monkeypatch):
    monkeypatch.delenv("CIVSTAT_PII_KEY", raising=False)
    env = Env(tmp_path)
    env.base()
    env.xlsx("dibao_households/a.xlsx", [HH_HEADER, hh(program=FORMULA),
                                         hh(household_id="-H2", program="@x")])
    env.run("dibao_households")
    yield env
    env.con.close()


def test_the_quarantine_csv_quotes_formulas(tmp_path):
    """Each text column of the clerks' CSV, hand-filled with a payload, comes out quoted."""
    con = duckdb.connect(str(tmp_path / "q.duckdb"))
    ensure_raw_schema(con)
    con.execute(
        "INSERT INTO raw.quarantine VALUES ('dibao_households', ?, ?, 2, ?, ?, ?, "
        "DATE '2026-06-01', '{\"户主姓名\": \"=1\"}', TIMESTAMP '2026-07-10 12:00:00')",
        [FORMULA, "+abc", "@col", "-reason", "＝detail"])
    write_quarantine_csv(con, "dibao_households", tmp_path / "wh")
    text = (tmp_path / "wh" / "quarantine" / "dibao_households.csv").read_text("utf-8-sig")
    assert text.splitlines()[1] == (
        "\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"x\"\")\",2,'@col,,'-reason,,"
        "'＝detail,2026-06-01,\"{\"\"户主姓名\"\": \"\"=1\"\"}\",'+abc,2026-07-10T12:00:00.000000")
