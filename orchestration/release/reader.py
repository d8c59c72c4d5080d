"""A release already on disk, read back into the one view the pages render.

indicators.json carries every field of a row (region level, value kind, domain); monthly.csv
every column; manifest.json is validated by the typed Manifest. Used to list releases in
the index, for the console's headline figures, and to render an old release again.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from dashboards.view import Comparison, Manifest, ReleaseView
from orchestration.release.rows import ReleaseError, release_rows
from orchestration.release.writer import checked_manifest


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReleaseError(f"{path}: 无法读取 cannot be read ({exc})") from None


def read_manifest(path: Path) -> Manifest:
    """manifest.json as a Manifest; ReleaseError naming the file and the bad key."""
    try:
        data = json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise ReleaseError(f"{path}: 不是JSON not valid JSON ({exc})") from None
    return checked_manifest(data, where=str(path))


def read_view(folder: Path, *, monthly: bool = True) -> ReleaseView:
    """The view of the release in `folder` (monthly rows only when `monthly` and the release
    has monthly.csv). Raises ReleaseError naming file, row and column of a bad value."""
    folder = Path(folder)
    manifest = read_manifest(folder / "manifest.json")
    try:
        records = json.loads(_text(folder / "indicators.json"))["rows"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ReleaseError(f"{folder / 'indicators.json'}: 不是发布的指标 not a release's "
                           f"indicators ({exc})") from None
    rows = _rows(folder / "indicators.json", records, manifest.period, monthly=False)
    months = None
    if monthly and (folder / "monthly.csv").is_file():
        lines = _text(folder / "monthly.csv").splitlines()
        records = [{k: (v if v != "" else None) for k, v in rec.items()}
                   for rec in csv.DictReader(lines)]
        months = _rows(folder / "monthly.csv", records, manifest.period, monthly=True)
    comparisons = None
    if (folder / "comparisons.csv").is_file():
        path = folder / "comparisons.csv"
        comparisons = comparison_map(csv.DictReader(_text(path).splitlines()), path)
    return ReleaseView(manifest, rows, months, comparisons)


COMPARISON_VALUES = ("previous_value", "change_pct", "last_year_value", "yoy_pct")


def comparison_map(records, where: Path | str = "comparisons") -> dict:
    """comparisons.csv records (indicators.md §6) → {(region_code, indicator, breakdown):
    Comparison}; an empty cell is None. ReleaseError naming row and column of a bad number."""
    out = {}
    for i, rec in enumerate(records, start=2):  # row 1 is the header
        values = {}
        for col in COMPARISON_VALUES:
            text = (rec.get(col) or "").strip()
            try:
                values[col] = Decimal(text) if text else None
            except InvalidOperation:
                raise ReleaseError(f"{where}: 第{i}行 row {i}, 列 column {col}: "
                                   f"{text!r} 不是数字 is not a number") from None
        key = (rec.get("region_code") or "", rec.get("indicator") or "", rec.get("breakdown") or "")
        out[key] = Comparison(previous_period=rec.get("previous_period") or None,
                              last_year_period=rec.get("last_year_period") or None, **values)
    return out


def _rows(path: Path, records, period: str, *, monthly: bool):
    try:
        return release_rows(records, period, monthly=monthly)
    except ReleaseError as exc:
        raise ReleaseError(f"{path}: {exc}") from None
