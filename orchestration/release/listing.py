"""published/index.html: find every release under the published root and write the index."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from dashboards.index import Entry, render_index
from ingest.labels import LEVELS
from orchestration.release.readback import read_manifest
from orchestration.release.rows import ReleaseError

PAGES = (("dashboards/overview.html", "领导驾驶舱"), ("dashboards/quality.html", "数据质量"),
         ("indicators.csv", "指标表 CSV"), ("indicators.xlsx", "指标表 Excel"))


REGIONS_CACHE = ".index-regions.json"  # in the published root, beside .releases/


def _entry(root: Path, folder: Path, rel: str, current: bool, regions: dict) -> Entry:
    try:
        manifest, error = read_manifest(folder / "manifest.json"), ""
    except ReleaseError as exc:
        manifest, error = None, f"manifest.json 无法读取：{str(exc).split(': ', 1)[-1]}"
    links = [(f"{quote(rel)}/{page}", label) for page, label in PAGES
             if (root / rel / page).is_file()]
    return Entry(rel, current, manifest, error, links, _known_region(folder, regions))


def _stamp(folder: Path) -> tuple[str, list[int]]:
    """The region cache's key and stamp of a release folder's indicators.json: the file's
    identity ("<device>:<inode>") and [size, mtime_ns]. A release's history/ holds hard
    links to the earlier releases' files, so a release listed again under a new release's
    history/ is the same file. Raises OSError (unreadable)."""
    st = (folder / "indicators.json").stat()
    return f"{st.st_dev}:{st.st_ino}", [st.st_size, st.st_mtime_ns]


def _known_region(folder: Path, regions: dict) -> str:
    """`_region`, remembered in `regions` by the folder's indicators.json (its identity, size
    and modification time): a release never changes, and reading a province's 140 MB
    indicators.json again for every release listed took seconds per release per publish.
    A region that could not be read is not remembered."""
    try:
        key, stamp = _stamp(folder)
    except OSError:  # unreadable: read it (and fail there), keep nothing
        return _region(folder)
    known = regions.get(key)
    if isinstance(known, list) and len(known) == 3 and known[:2] == stamp:
        return known[2]
    region = _region(folder)
    if region:
        regions[key] = [*stamp, region]
    return region


def remember_region(published_root: Path, folder: Path, region: str) -> None:
    """Put a new release's top region (`region_label` of the rows its writer has just written
    to folder/indicators.json) in the index's cache, so that `write_index` need not read
    that file back (≈ 2 s for a province's 140 MB). Nothing is kept for an empty region or
    an unreadable file: the index then reads it, as for any release it does not know."""
    root = Path(published_root)
    try:
        key, stamp = _stamp(folder)
    except OSError:
        return
    if region:
        regions = _read_regions(root)
        regions[key] = [*stamp, region]
        _write_atomically(root / REGIONS_CACHE, json.dumps(regions, ensure_ascii=False))


def _read_regions(published_root: Path) -> dict:
    try:
        cached = json.loads((published_root / REGIONS_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return cached if isinstance(cached, dict) else {}


def region_label(rows: Iterable[tuple[str | None, str | None]]) -> str:
    """'云栖区（区级）' or '某市（市级）': the first city-level region of the rows
    ((region_level, region_name) in release order), else the first district-level one;
    '' when there is neither. The one home of the region the index names a release by."""
    district = ""
    for level, name in rows:
        if level == "city":
            return f"{name or ''}（{LEVELS['city']}）"
        if level == "district" and not district:
            district = f"{name or ''}（{LEVELS['district']}）"
    return district


def _region(folder: Path) -> str:
    """`region_label` of folder/indicators.json's rows; '' if unreadable."""
    try:
        rows = json.loads((folder / "indicators.json").read_text(encoding="utf-8"))["rows"]
        return region_label((r.get("region_level"), r.get("region_name")) for r in rows)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ""


def releases(published_root: Path, regions: dict | None = None) -> list[Entry]:
    """Releases under published_root/<P> (symlink or folder) and <P>/history/*, each once,
    newest period first. `regions`: the top regions already read ({indicators.json's
    "<device>:<inode>": [size, mtime_ns, region]}), completed in place."""
    regions = {} if regions is None else regions
    entries: dict[Path, Entry] = {}
    # symlinks first, so that a release folder reached by its period name is listed by it
    tops = sorted(published_root.iterdir(), key=lambda p: (not p.is_symlink(), p.name))
    for p in tops:
        if not p.is_dir() or p.name.startswith("."):
            continue
        found = [(p, p.name, True)]
        hist = p / "history"
        found += [(h, f"{p.name}/history/{h.name}", False)
                  for h in (sorted(hist.iterdir()) if hist.is_dir() else [])]
        for folder, rel, current in found:
            if (folder / "manifest.json").is_file() and folder.resolve() not in entries:
                entries[folder.resolve()] = _entry(published_root, folder, rel, current,
                                                   regions)
    return sorted(entries.values(), key=lambda e: e.sort_key, reverse=True)


def write_index(published_root: Path) -> Path:
    """Write published_root/index.html (via a temporary file and a rename)."""
    published_root = Path(published_root)
    if not published_root.is_dir():
        raise FileNotFoundError(f"{published_root}: no such directory (published root)")
    path = published_root / "index.html"
    regions = _read_regions(published_root)
    listed = releases(published_root, regions)
    _write_atomically(published_root / REGIONS_CACHE, json.dumps(
        {k: regions[k] for k in _listed_keys(published_root, listed) if k in regions},
        ensure_ascii=False))
    _write_atomically(path, render_index(listed))
    return path


def _listed_keys(published_root: Path, listed: list[Entry]) -> set[str]:
    """The cache keys of the releases listed (the cache keeps no release no longer there)."""
    keys = set()
    for entry in listed:
        try:
            keys.add(_stamp(published_root / entry.rel)[0])
        except OSError:
            pass
    return keys


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o644)  # the published tree is readable by all (no personal data)
    os.replace(tmp, path)
