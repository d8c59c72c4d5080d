"""The `env` fixture: an empty inbox, warehouse and DuckDB file in tmp_path."""

import pytest
from ingest_cases import Env


@pytest.fixture
def env(tmp_path, monkeypatch) -> Env:
    monkeypatch.delenv("CIVSTAT_PII_KEY", raising=False)
    e = Env(tmp_path)
    yield e
    e.con.close()
