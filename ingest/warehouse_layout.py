"""The warehouse folder's layout: every path under ``--warehouse DIR`` (docs/raw-layer.md).

The one place these names are spelled. ``dbt_project/profiles.yml`` necessarily repeats the
database file name (``path: civstat.duckdb``, relative to the warehouse folder dbt runs in); a
test holds it to ``DB_FILE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DB_FILE = "civstat.duckdb"
# Who may read what (docs/raw-layer.md "Who may read what"): everything of the warehouse but
# `published/` holds or may hold personal data and is the owner's only.
PRIVATE_UMASK = 0o077  # files 0600, folders 0700 for everything a run creates
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class WarehouseLayout:
    """Paths of one warehouse folder; nothing is created or read here."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def private(self) -> list[Path]:
        """Every path that holds or may hold personal data, owner-only (0700 / 0600): the
        database (and its WAL), the parse cache, the quarantine CSVs, the secrets, Dagster's
        storage, the logs, dbt's target and the waiver log. Only ``published`` is not here."""
        return [self.db, self.root / f"{DB_FILE}.wal", self.root / "cache", self.quarantine,
                self.secrets, self.dagster_home, self.logs, self.dbt_target, self.waivers]

    @property
    def db(self) -> Path:
        """The DuckDB database; only a run opens it."""
        return self.root / DB_FILE

    @property
    def parse_cache(self) -> Path:
        """Stage 1's per-file parse cache, ``<sha256>.parquet``."""
        return self.root / "cache" / "parsed"

    @property
    def suite_batches(self) -> Path:
        """The rows a source's GX suite validates now, ``<source>.parquet``, while the
        suite runs in its worker (orchestration/quality/suite_worker.py); removed after."""
        return self.root / "cache" / "suite_batches"

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


_SECURED: set[Path] = set()  # warehouses whose existing files this process has re-moded


def secure_warehouse(root: Path) -> WarehouseLayout:
    """Make the warehouse folder private before a run writes to it: this process's umask
    becomes PRIVATE_UMASK (so every file and folder it creates from now on is owner-only),
    the folder is created or re-moded 0700, and each existing private path (a warehouse of
    an older version) is re-moded 0700 (folders) / 0600 (files), symlinks left alone.
    ``published/`` keeps the modes the release writer gives it (folders 0755, files 0444).
    The walk over existing files is done once per process and warehouse: every file this
    process creates afterwards is owner-only by the umask, and ingest calls this once per
    source (a province's parse cache holds ≈ 27 000 files: 29 walks took ≈ 9 s a run).
    A file another process, or a copy keeping its mode, puts into the warehouse meanwhile is
    re-moded by the next civstat process (the next run or command).
    Returns the layout. OSError (e.g. a folder owned by another user) is raised as is."""
    layout = WarehouseLayout(root)
    os.umask(PRIVATE_UMASK)
    layout.root.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    layout.root.chmod(PRIVATE_DIR_MODE)
    walked = layout.root.resolve()
    if walked in _SECURED:
        return layout
    for top in layout.private:
        if top.is_symlink() or not top.exists():
            continue
        if top.is_file():
            top.chmod(PRIVATE_FILE_MODE)
            continue
        for folder, _dirs, names in os.walk(top):  # links to folders are not walked
            os.chmod(folder, PRIVATE_DIR_MODE)
            for name in names:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    os.chmod(path, PRIVATE_FILE_MODE)
    _SECURED.add(walked)
    return layout
