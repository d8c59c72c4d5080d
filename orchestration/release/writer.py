"""Write one immutable release of a period and swap it in atomically.

    published_root/<P>                      symlink → .releases/<P>/<run_id>
    published_root/.releases/<P>/<run_id>/  indicators.csv|xlsx|json, summary.md, dashboards/,
                                            history/<created_at compact>_<run_id>/, manifest.json
    published_root/.staging/               half-written releases (removed on failure)
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl

from orchestration.release import layout
from orchestration.release.privacy import assert_no_personal_numbers
from orchestration.release.rows import ReleaseError, canonical_period, release_rows
from orchestration.release.summary import summary_from_rows
from orchestration.release.tables import csv_bytes, json_bytes, write_xlsx

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
RESERVED = ("manifest.json", "history")


def _checked_manifest(manifest: dict, period: str) -> dict:
    if not isinstance(manifest, dict):
        raise ReleaseError("manifest 必须是字典 must be a dict")
    for key in ("period", "run_id", "created_at", "published_by"):
        if not str(manifest.get(key) or "").strip():
            raise ReleaseError(f"manifest 缺少 missing {key!r}")
    if canonical_period(manifest["period"]) != period:
        raise ReleaseError(f"manifest period {manifest['period']!r} 不是 is not {period}")
    if not _RUN_ID.match(str(manifest["run_id"])):
        raise ReleaseError(f"manifest run_id {manifest['run_id']!r}: 只能含字母数字._- "
                           "letters, digits, '.', '_' and '-' only")
    layout.compact_time(manifest["created_at"])  # raises ReleaseError when not ISO
    layout.manifest_bytes(manifest)  # raises ReleaseError when not JSON-serialisable
    return dict(manifest)


def _write_content(folder: Path, rows, period: str, manifest: dict,
                   build_pages: Callable[[Path], list[Path]] | None) -> None:
    """The data files, then the pages. The page builder reads the folder as a release, so it
    sees a provisional manifest.json (hashes of the data files only); the final one, with
    the pages' hashes too, replaces it as the very last file."""
    layout.write_bytes(folder / "indicators.csv", csv_bytes(rows))
    layout.write_bytes(folder / "indicators.json", json_bytes(rows, period, manifest))
    write_xlsx(folder / "indicators.xlsx", rows, manifest)
    layout.write_bytes(folder / "summary.md", summary_from_rows(rows, manifest).encode("utf-8"))
    if build_pages is not None:
        provisional = manifest | {"files": layout.hash_files(folder)}
        layout.write_bytes(folder / "manifest.json", layout.manifest_bytes(provisional))
        for page in build_pages(folder) or []:
            page = Path(page)
            if not page.is_file() or not page.resolve().is_relative_to(folder.resolve()):
                raise ReleaseError(f"build_pages 返回的 returned {page}: 不是发布目录中的文件 "
                                   "not a file inside the release folder")
        (folder / "manifest.json").unlink(missing_ok=True)
    if (folder / "history").exists():
        raise ReleaseError("build_pages 不得写 must not write history/")
    assert_no_personal_numbers(folder)


def write_release(published_root: Path, period: str, indicators: pl.DataFrame, manifest: dict,
                  build_pages: Callable[[Path], list[Path]] | None = None) -> Path:
    """Publish `indicators` as the new release of `period`; return the release folder
    (`published_root/.releases/<P>/<run_id>`, which `published_root/<P>` now links to).

    Raises ReleaseError (a ValueError) with a plain message on bad input; on any failure the
    previous release stays linked and untouched and the staging folder is removed.
    """
    root = Path(published_root)
    period = canonical_period(period)
    manifest = _checked_manifest(manifest, period)
    rows = release_rows(indicators, period)
    releases = root / ".releases" / period
    staging = root / ".staging"
    releases.mkdir(parents=True, exist_ok=True)
    staging.mkdir(parents=True, exist_ok=True)
    link = root / period
    with layout.locked(releases / ".lock"):
        final = releases / manifest["run_id"]
        if final.exists():
            raise ReleaseError(f"{final}: 该批次已发布 this run was already published; "
                               "a release is never overwritten")
        layout.clear_stale(staging, f"{period}.")  # left by a writer that was killed
        current = layout.adopt_current(link, releases)
        tmp = Path(tempfile.mkdtemp(prefix=f"{period}.{manifest['run_id']}.", dir=staging))
        renamed = False
        try:
            tmp.chmod(0o755)  # mkdtemp makes it private; a release is for every reader
            _write_content(tmp, rows, period, manifest, build_pages)
            manifest["files"] = layout.hash_files(tmp, skip=RESERVED)
            layout.freeze(tmp)  # before history: earlier releases' files are not touched
            if current is not None:
                layout.keep_history(current, tmp / "history")
            layout.write_bytes(tmp / "manifest.json", layout.manifest_bytes(manifest))
            layout.freeze_file(tmp / "manifest.json")
            os.rename(tmp, final)
            renamed = True
            layout.fsync_dir(releases)
            layout.swap(link, final)
        except BaseException:
            shutil.rmtree(final if renamed else tmp, ignore_errors=True)
            raise
    layout.fsync_dir(root)
    return final
