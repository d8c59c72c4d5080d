"""The warehouse folder's layout: every path under ``--warehouse DIR`` (docs/raw-layer.md).

The one place these names are spelled. ``dbt_project/profiles.yml`` necessarily repeats the
database file name (``{{ env_var('CIVSTAT_WAREHOUSE') }}/civstat.duckdb``); a test holds it to
``DB_FILE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DB_FILE = "civstat.duckdb"


@dataclass(frozen=True)
class WarehouseLayout:
    """Paths of one warehouse folder; nothing is created or read here."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def db(self) -> Path:
        """The DuckDB database; only a run opens it."""
        return self.root / DB_FILE

    @property
    def parse_cache(self) -> Path:
        """Stage 1's per-file parse cache, ``<sha256>.parquet``."""
        return self.root / "cache" / "parsed"

    @property
    def quarantine(self) -> Path:
        """The clerks' quarantine CSVs, ``<source>.csv`` (they hold personal data)."""
        return self.root / "quarantine"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    @property
    def pii_key(self) -> Path:
        """The HMAC key of ID numbers when ``CIVSTAT_PII_KEY`` is unset (mode 0600)."""
        return self.secrets / "pii.key"

    @property
    def published(self) -> Path:
        """Releases: ``<P>`` → ``.releases/<P>/<run_id>``, and ``index.html``."""
        return self.root / "published"

    @property
    def dagster_home(self) -> Path:
        """DAGSTER_HOME of this warehouse (runs, check results, schedules)."""
        return self.root / "dagster"

    @property
    def dbt_child(self) -> Path:
        """The wrapper that starts dbt so it dies with its run (orchestration/cli/instance.py)."""
        return self.dagster_home / "dbt-child"

    @property
    def logs(self) -> Path:
        """The Dagster and dbt log of each run."""
        return self.root / "logs"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this warehouse (keeps its partial parsing)."""
        return self.root / "dbt"

    @property
    def run_lock(self) -> Path:
        """The one-writer lock (``orchestration/runlock.py``): owner PID and start time."""
        return self.root / ".run.lock"

    @property
    def waivers(self) -> Path:
        """The append-only waiver log."""
        return self.root / "waivers.jsonl"
