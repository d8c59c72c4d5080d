"""Write one immutable release of a period and swap it in atomically.

    published_root/<P>                      symlink → .releases/<P>/<run_id>
    published_root/.releases/<P>/<run_id>/  indicators.csv|xlsx|json, summary.md, dashboards/,
                                            history/<created_at compact>_<run_id>/, manifest.json
    published_root/.staging/               half-written releases (removed on failure)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl
from pydantic import ValidationError

import dashboards
from dashboards.view import Manifest, ReleaseView
from ingest.periods import parse_period
from orchestration.release import background, files, listing
from orchestration.release.comparisons import comparison_rows, comparisons_csv_bytes, page_map
from orchestration.release.forms import shipped_forms
from orchestration.release.forms.form_sheet import record_forms, top_region, write_forms
from orchestration.release.privacy import assert_no_personal_numbers, public_manifest
from orchestration.release.rows import ReleaseError, canonical_period, release_rows
from orchestration.release.summary import summary_from_view
from orchestration.release.tables import csv_bytes, json_chunks, monthly_csv_chunks, xlsx_bytes, xlsx_cells

RESERVED = ("manifest.json", "history")


def checked_manifest(manifest: dict | Manifest, where: str = "manifest") -> Manifest:
    """The typed manifest; ReleaseError naming the first bad key otherwise."""
    try:
        return Manifest.model_validate(manifest)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(k) for k in first["loc"]) or "(top level)"
        raise ReleaseError(f"{where} 键 key {key!r}: {first['msg']}") from None


def _write_content(folder: Path, view: ReleaseView, pages: bool, forms: list,
                   xlsx: background.Background, summary: str | None = None,
                   compared: list | None = None) -> None:
    """The data files, comparisons.csv (indicators.md §6, when the comparison rows are given:
    one per indicator row), summary.md (`summary` when given: a roll-up's own), the pages and
    forms/<form>.xlsx (which read comparisons.csv, so it is written first), all from the one
    view; indicators.xlsx is `xlsx`'s bytes (made from the same rows, maybe in a second
    process: release/background.py)."""
    rows = view.rows
    files.write_bytes(folder / "indicators.csv", csv_bytes(rows))
    if compared is not None:
        files.write_bytes(folder / "comparisons.csv", comparisons_csv_bytes(compared))
    # the two large files are written in pieces (a province's: 139 MB and 212 MB a half year)
    files.write_chunks(folder / "indicators.json", json_chunks(rows, view.period, view.manifest))
    if view.monthly is not None:
        files.write_chunks(folder / "monthly.csv", monthly_csv_chunks(view.monthly))
    summary = summary_from_view(view) if summary is None else summary
    files.write_bytes(folder / "summary.md", summary.encode("utf-8"))
    if pages:  # written as each is rendered: a province's pages are ≈ 170 MB of text
        for rel, text in dashboards.pages(view):
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            files.write_bytes(folder / rel, text.encode("utf-8"))
    top = top_region(rows)
    write_forms(folder, forms, rows, view.regions.get(top or "", ""), view.period)
    files.write_bytes(folder / "indicators.xlsx", xlsx.result())  # last: made meanwhile


def write_release(published_root: Path, period: str, indicators: pl.DataFrame,
                  manifest: dict | Manifest, monthly: pl.DataFrame | None = None, *,
                  comparisons: pl.DataFrame | None = None, pages: bool = True,
                  summary: str | None = None) -> Path:
    """Publish `indicators` (and the same indicators per month, `monthly`, when given) as the
    new release of `period`; return the release folder (`published_root/.releases/<P>/<run_id>`,
    which `published_root/<P>` now links to). The pages (`dashboards.pages`) are written
    unless `pages` is False; forms/<form>.xlsx for every shipped form (release/forms/);
    `summary` replaces the district summary.md (a roll-up's); manifest.json, with the hash
    of every file, is written last. `comparisons` (the comparison frame,
    release/comparisons.py) gives comparisons.csv and the pages' 环比/同比.

    Raises ReleaseError (a ValueError) with a plain message on bad input; on any failure the
    previous release stays linked and untouched and the staging folder is removed.
    """
    root = Path(published_root)
    period = canonical_period(period)
    manifest = public_manifest(checked_manifest(manifest))  # labels, scrubbed text
    if manifest.period != period:
        raise ReleaseError(f"manifest period {manifest.period!r} 不是 is not {period}")
    rows, forms = release_rows(indicators, period), shipped_forms()
    record_forms(manifest, forms, rows)  # manifest `forms` + warning form_lines_missing
    # indicators.xlsx is made meanwhile (in a second process for a large release)
    with background.Background(xlsx_bytes, xlsx_cells(rows), manifest,
                               aside=len(rows) >= background.MIN_ROWS) as xlsx:
        compared = None if comparisons is None else comparison_rows(
            comparisons, period, indicator_keys={(r.region_code, r.indicator, r.breakdown)
                                                 for r in rows})
        monthly_rows = None if monthly is None else (
            rows if _same_rows(monthly, indicators, period)  # a month's: checked just above
            else release_rows(monthly, period, monthly=True))
        view = ReleaseView(manifest, rows, monthly_rows,
                           None if compared is None else page_map(compared))
        return _publish(root, view, forms, xlsx, pages, summary, compared)


def _same_rows(monthly: pl.DataFrame, indicators: pl.DataFrame, period: str) -> bool:
    """Whether the monthly frame of a one-month period is the indicator frame itself, so that
    its rows are the rows just validated (a province's 282 k rows: ≈ 3 s, docs/benchmarks.md
    "Issue 18, ninth round")."""
    if not isinstance(monthly, pl.DataFrame) or not isinstance(indicators, pl.DataFrame):
        return False
    return (parse_period(period).month_codes() == [period]
            and (monthly is indicators or monthly.equals(indicators)))


def _publish(root: Path, view: ReleaseView, forms: list, xlsx: background.Background,
             pages: bool, summary: str | None, compared: list | None) -> Path:
    """The release folder written in staging, hashed, frozen, renamed and linked (see
    `write_release`); returns the release folder."""
    manifest, period = view.manifest, view.period
    folder = parse_period(period).folder_name  # a range's "/" is written "_" (indicators.md §6)
    releases = root / ".releases" / folder
    staging = root / ".staging"
    releases.mkdir(parents=True, exist_ok=True)
    staging.mkdir(parents=True, exist_ok=True)
    files.open_folders(root, releases.parent, releases)  # no PII in releases: 0755
    link = root / folder
    with files.locked(releases / ".lock"):
        final = releases / manifest.run_id
        if final.exists():
            raise ReleaseError(f"{final}: 该批次已发布 this run was already published; "
                               "a release is never overwritten")
        files.clear_stale(staging, f"{folder}.")  # left by a writer that was killed
        current = files.adopt_current(link, releases)
        tmp = Path(tempfile.mkdtemp(prefix=f"{folder}.{manifest.run_id}.", dir=staging))
        renamed = False
        try:
            tmp.chmod(0o755)  # mkdtemp makes it private; a release is for every reader
            _write_content(tmp, view, pages, forms, xlsx, summary, compared)
            manifest.files = files.hash_files(tmp, skip=RESERVED)
            files.freeze(tmp)  # before history: earlier releases' files are not touched
            if current is not None:
                files.keep_history(current, tmp / "history")
            files.open_folders(*(p for p in tmp.rglob("*") if p.is_dir() and not p.is_symlink()))
            text = files.manifest_bytes(manifest.model_dump(mode="json"))
            files.write_bytes(tmp / "manifest.json", text)
            files.freeze_file(tmp / "manifest.json")
            assert_no_personal_numbers(tmp)  # last: every file, xlsx parts, names
            files.record_manifest(releases.parent, period, manifest.run_id,
                                  tmp / "manifest.json")
            os.rename(tmp, final)
            renamed = True
            files.fsync_dir(releases)
            files.swap(link, final)
        except BaseException:
            shutil.rmtree(final if renamed else tmp, ignore_errors=True)
            raise
    files.fsync_dir(root)
    # the index's region of this release, from the rows just written (not read back)
    listing.remember_region(root, final, listing.region_label(
        (r.region_level, r.region_name) for r in view.rows))
    return final
