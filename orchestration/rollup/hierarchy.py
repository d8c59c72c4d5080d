"""The roll-up's region tree: the level words (levels.toml) and the city's regions file.

The regions file is read by ingest's own reader (`ingest.reader.read_file`: encodings, xlsx
or csv) and its header rules (`ingest.sheet_layout.norm_header` against the headers and aliases
of the contract's `regions` source), so a 市局 can hand over the same kind of file a district
does. The level column takes the words of levels.toml (地市/市/city, 区县/区/县, …); the
regions below the roll-up's children are ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ingest.contract import SOURCES
from ingest.reader import UnreadableFile, read_file
from ingest.sheet_layout import norm_header


class RollupError(ValueError):
    """Input the roll-up cannot use; the message names the file, row and column."""


@dataclass(frozen=True)
class Level:
    slug: str
    words: tuple[str, ...]
    whole: str  # 全市


def _levels() -> tuple[Level, ...]:
    data = tomllib.loads((Path(__file__).parent / "levels.toml").read_text(encoding="utf-8"))
    return tuple(Level(x["slug"], tuple(x["words"]), x["whole"]) for x in data["level"])


LEVELS = _levels()
BY_SLUG = {lv.slug: lv for lv in LEVELS}
_WORDS = {norm_header(w): lv.slug for lv in LEVELS for w in lv.words}
_WANTED = ("region_code", "region_name", "level", "parent_code")


def level_below(slug: str) -> str:
    order = [lv.slug for lv in LEVELS]
    i = order.index(slug)
    if i + 1 >= len(order):
        raise RollupError(f"{slug} 没有下级 has no level below it")
    return order[i + 1]


@dataclass(frozen=True)
class Tree:
    """The roll-up's region (`code`, `name`, `level`) and its children one level below."""

    code: str
    name: str
    level: str
    children: dict[str, str]  # region_code -> name
    child_level: str


class _Region(NamedTuple):
    """One row of the regions file: its codes, name, level slug and row number."""

    code: str
    name: str
    level: str
    parent: str
    row: int


def _header(frame) -> tuple[int, dict[str, int]]:
    lookup = {}
    for col in SOURCES["regions"].columns:
        if col.name in _WANTED:
            for h in col.headers:
                lookup[norm_header(h)] = col.name
                lookup["".join(norm_header(h).split())] = col.name
    cols = [c for c in frame.columns if c != "_row"]
    for i, rec in enumerate(frame.iter_rows(named=True)):
        found = {}
        for j, c in enumerate(cols):
            name = lookup.get("".join(norm_header(rec[c] or "").split()))
            if name and name not in found:
                found[name] = j
        if {"region_code", "region_name", "level"} <= set(found):
            return i, found
    raise RollupError("找不到表头 no header row with 区划代码, 名称 and 层级")


def read_tree(path: Path) -> Tree:
    """The top region of the regions file (the one region of its highest level) and the
    regions whose 上级代码 is it and whose level is the next one down.

    Raises RollupError naming the file, the row and the column of a bad cell."""
    path = Path(path)
    try:
        grid = read_file(path, path.read_bytes())
    except (OSError, UnreadableFile) as exc:
        raise RollupError(f"{path}: 无法读取 cannot be read ({exc})") from None
    frame = grid.frame
    try:
        start, pos = _header(frame)
    except RollupError as exc:
        raise RollupError(f"{path}: {exc}") from None
    cols = [c for c in frame.columns if c != "_row"]
    regions = []
    for rec in list(frame.iter_rows(named=True))[start + 1:]:
        cell = {k: (rec[cols[j]] or "").strip() for k, j in pos.items()}
        if not cell["region_code"]:
            continue
        word = norm_header(cell["level"])
        if word not in _WORDS:
            raise RollupError(f"{path} 第{rec['_row']}行 row {rec['_row']} 列 column 层级: "
                              f"{cell['level']!r} 不是已知的层级 is not a level of levels.toml")
        regions.append(_Region(cell["region_code"], cell["region_name"], _WORDS[word],
                               cell.get("parent_code", ""), rec["_row"]))
    order = [lv.slug for lv in LEVELS]
    if not regions:
        raise RollupError(f"{path}: 没有区划 no regions")
    top_rank = min(order.index(r.level) for r in regions)
    tops = [r for r in regions if order.index(r.level) == top_rank]
    if len(tops) != 1:
        raise RollupError(f"{path}: 最高层级应只有一个区划 the top level ({order[top_rank]}) has "
                          f"{len(tops)} regions: {', '.join(r.code for r in tops)}")
    seen: dict[str, int] = {}
    for r in regions:  # one code, one region: the second row once replaced the first
        if r.code in seen:
            raise RollupError(f"{path} 第{r.row}行 row {r.row} 列 column 区划代码: {r.code} 与第"
                              f"{seen[r.code]}行重复 repeats row {seen[r.code]}")
        seen[r.code] = r.row
    code, name, level = tops[0].code, tops[0].name, tops[0].level
    below = level_below(level)
    for r in regions:  # a child-level row without a parent was dropped unseen (one under
        # another code is another region's: a file may hold its neighbours' districts too)
        if r.level == below and not r.parent:
            raise RollupError(f"{path} 第{r.row}行 row {r.row} 列 column 上级代码: 为空 empty "
                              f"(is it {name} {code}?)")
    children = {r.code: r.name for r in regions if r.level == below and r.parent == code}
    if not children:
        raise RollupError(f"{path}: {name} {code} 下没有{below}级区划 has no {below} below it")
    return Tree(code, name, level, dict(sorted(children.items())), below)
