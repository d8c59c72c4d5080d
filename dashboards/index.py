"""published/index.html: every release (current and replaced) with its gate outcome and pages."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from dashboards.fmt import esc, period_zh
from dashboards.html import CSS, table
from dashboards.quality import gate_outcome

PAGES = (("dashboards/overview.html", "领导驾驶舱"), ("dashboards/quality.html", "数据质量"),
         ("indicators.csv", "指标表 CSV"), ("indicators.xlsx", "指标表 Excel"))


@dataclass
class Entry:
    rel: str  # path of the release folder relative to published_root, '/'-separated
    current: bool
    manifest: dict | None
    error: str = ""

    @property
    def sort_key(self):
        m = self.manifest or {}
        return (str(m.get("period") or self.rel.split("/")[0]), self.current,
                str(m.get("created_at") or ""))


def _read(path: Path) -> tuple[dict | None, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, f"{path.name} 无法读取：{e}"
    if not isinstance(data, dict):
        return None, f"{path.name} 不是 JSON 对象"
    return data, ""


def releases(published_root: Path) -> list[Entry]:
    """Releases under published_root/<P> (symlink or folder) and <P>/history/*, each once."""
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
            if (folder / "manifest.json").is_file():
                entries.setdefault(folder.resolve(),
                                   Entry(rel, current, *_read(folder / "manifest.json")))
    return sorted(entries.values(), key=lambda e: e.sort_key, reverse=True)


def _links(root: Path, e: Entry) -> str:
    out = [
        f'<a href="{quote(e.rel)}/{page}">{label}</a>'
        for page, label in PAGES
        if (root / e.rel / page).is_file()
    ]
    return " · ".join(out) or "—"


def _row(root: Path, e: Entry) -> list[tuple[str, str]]:
    m = e.manifest or {}
    checks = m.get("checks") if isinstance(m.get("checks"), list) else []
    gate = gate_outcome([c for c in checks if isinstance(c, dict)]) if e.manifest else e.error
    cls = "bad" if not e.manifest or gate.startswith("未通过") else (
        "waived" if gate.startswith("经豁免") else "ok")
    period = str(m.get("period") or e.rel.split("/")[0])
    return [
        ("", f"{esc(period_zh(period))}<br><small>{esc(period)}</small>"),
        ("", "现行" if e.current else "已被替换"),
        ("", esc(m.get("published_at") or m.get("created_at") or "—")),
        ("", esc(m.get("published_by") or "—")),
        ("hash", esc(m.get("run_id") or "—")),
        (cls, esc(gate)),
        ("", _links(root, e)),
    ]


def render(published_root: Path) -> str:
    entries = releases(published_root)
    rows = [_row(published_root, e) for e in entries]
    body = table(["数据期", "状态", "发布时间", "发布人", "运行编号", "质量闸门", "页面"], rows,
                 empty="尚无发布")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>民政统计发布目录</title><style>{CSS}</style></head><body>
<header><h1>民政统计发布目录</h1><div class="meta"><span>共 {len(entries)} 次发布</span>
<span>只列出通过质量闸门（或经授权豁免）的发布；被替换的发布保留在 history 中。</span></div></header>
<main>{body}</main></body></html>
"""


def build_index(published_root: Path) -> Path:
    published_root = Path(published_root)
    if not published_root.is_dir():
        raise FileNotFoundError(f"{published_root}: no such directory (published root)")
    path = published_root / "index.html"
    tmp = path.with_name(".index.html.tmp")
    tmp.write_text(render(published_root), encoding="utf-8")
    os.replace(tmp, path)
    return path

