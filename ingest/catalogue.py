"""The indicator catalogue (dbt seed), read when needed to check `targets`."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path


def catalogue_path() -> Path:
    return Path(__file__).parents[1] / "dbt_project" / "seeds" / "indicator_catalogue.csv"


def load_catalogue(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """indicator code -> its breakdowns (as listed, `|`-separated in the seed)."""
    path = path or catalogue_path()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {
            row["indicator"].strip(): tuple(b.strip() for b in row["breakdowns"].split("|"))
            for row in csv.DictReader(fh)
            if row.get("indicator")
        }


def load_units(path: Path | None = None) -> dict[str, str]:
    """indicator code -> its unit (``人``, ``万元``, ``%`` …), as the seed lists it. Read each
    time, like ``load_catalogue``: a long-lived process sees an edited catalogue."""
    with open(path or catalogue_path(), encoding="utf-8-sig", newline="") as fh:
        return {row["indicator"].strip(): (row.get("unit") or "").strip()
                for row in csv.DictReader(fh) if row.get("indicator")}


def catalogue_fingerprint(path: Path | None = None) -> str:
    """A short content hash of the catalogue file (part of the targets' parse-cache tag)."""
    with open(path or catalogue_path(), "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()[:16]
