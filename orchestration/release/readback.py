"""A release already on disk, read back into the one view the pages render.

indicators.json carries every field of a row (region level, value kind, domain); monthly.csv
every column; manifest.json is validated by the typed Manifest. Used to list releases in
the index, for the console's headline figures, and to render an old release again.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from dashboards.view import LEVELS, Manifest, ReleaseView
from orchestration.release.comparisons import comparison_map
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


def read_view(folder: Path, *, monthly: bool = True, top_only: bool = False) -> ReleaseView:
    """The view of the release in `folder` (monthly rows only when `monthly` and the release
    has monthly.csv). With `top_only`, only the rows of the release's own region (its highest
    level: the district, or the city / province of a roll-up) and no monthly rows or
    comparisons: the console's headline figures need no more, and a province's 282 k rows
    took ≈ 10 s to check and convert. Raises ReleaseError naming file, row and column of a
    bad value (a bad top row is named as the whole read names it)."""
    folder = Path(folder)
    manifest = read_manifest(folder / "manifest.json")
    try:
        records = json.loads(_text(folder / "indicators.json"))["rows"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ReleaseError(f"{folder / 'indicators.json'}: 不是发布的指标 not a release's "
                           f"indicators ({exc})") from None
    if top_only:
        try:
            return ReleaseView(manifest, _rows(folder / "indicators.json",
                                               _top_records(records), manifest.period,
                                               monthly=False), None, None)
        except ReleaseError:
            pass  # the whole read below names the bad row by its place in the file
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


def _top_records(records: object) -> object:
    """The records of the highest region level present (LEVELS, top down). A record that is
    not an object or whose level is not a known one is kept, so that release_rows refuses
    it (and read_view then names it from the whole read)."""
    if not isinstance(records, list):
        return records
    levels = [r.get("region_level") if isinstance(r, dict) else None for r in records]
    top = next((level for level in LEVELS if level in levels), None)
    return [r for r, level in zip(records, levels, strict=True)
            if level == top or level not in LEVELS]


def _rows(path: Path, records, period: str, *, monthly: bool):
    try:
        return release_rows(records, period, monthly=monthly)
    except ReleaseError as exc:
        raise ReleaseError(f"{path}: {exc}") from None
