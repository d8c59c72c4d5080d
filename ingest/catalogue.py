"""The indicator catalogue (dbt seed), read when needed to check `targets`."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path


def catalogue_path() -> Path:
    return Path(__file__).parents[1] / "dbt_project" / "seeds" / "indicator_catalogue.csv"


def catalogue_rows(path: Path | None = None) -> list[dict[str, str]]:
    """The seed's rows that name an indicator, read now (a long-lived process sees an edited
    catalogue), each cell stripped."""
    with open(path or catalogue_path(), encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(fh) if row.get("indicator")]


def load_catalogue(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """indicator code -> its breakdowns (as listed, `|`-separated in the seed)."""
    return {row["indicator"]: tuple(b.strip() for b in row["breakdowns"].split("|"))
            for row in catalogue_rows(path)}


def load_units(path: Path | None = None) -> dict[str, str]:
    """indicator code -> its unit (``人``, ``万元``, ``%`` …), as the seed lists it."""
    return {row["indicator"]: row.get("unit", "") for row in catalogue_rows(path)}


def catalogue_fingerprint(path: Path | None = None) -> str:
    """A short content hash of the catalogue file (part of the targets' parse-cache tag)."""
    with open(path or catalogue_path(), "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()[:16]
