"""published/index.html: find every release under the published root and write the index."""

from __future__ import annotations

import json
import os
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
    return Entry(rel, current, manifest, error, links, _known_region(root, folder, regions))


def _known_region(root: Path, folder: Path, regions: dict) -> str:
    """`_region`, remembered in `regions` by the folder's indicators.json (its path under the
    published root, size and modification time): a release never changes, and reading a
    province's 140 MB indicators.json again for every release listed took seconds per
    release per publish. A region that could not be read is not remembered."""
    path = folder / "indicators.json"
    try:
        st = path.stat()
        key = path.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):  # unreadable, or outside the root: read it, keep nothing
        return _region(folder)
    stamp = [st.st_size, st.st_mtime_ns]
    known = regions.get(key)
    if isinstance(known, list) and len(known) == 3 and known[:2] == stamp:
        return known[2]
    region = _region(folder)
    if region:
        regions[key] = [*stamp, region]
    return region


def _read_regions(published_root: Path) -> dict:
    try:
        cached = json.loads((published_root / REGIONS_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return cached if isinstance(cached, dict) else {}


def _region(folder: Path) -> str:
    """'云栖区（区级）' or '某市（市级）': the top region of indicators.json; '' if unreadable."""
    try:
        rows = json.loads((folder / "indicators.json").read_text(encoding="utf-8"))["rows"]
        for level in ("city", "district"):
            top = next((r for r in rows if r.get("region_level") == level), None)
            if top:
                return f"{top.get('region_name', '')}（{LEVELS[level]}）"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return ""


def releases(published_root: Path, regions: dict | None = None) -> list[Entry]:
    """Releases under published_root/<P> (symlink or folder) and <P>/history/*, each once,
    newest period first. `regions`: the top regions already read ({indicators.json's path
    relative to the published root: [size, mtime_ns, region]}), completed in place."""
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
        {k: v for k, v in regions.items() if (published_root / k).exists()},
        ensure_ascii=False))
    _write_atomically(path, render_index(listed))
    return path


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o644)  # the published tree is readable by all (no personal data)
    os.replace(tmp, path)
