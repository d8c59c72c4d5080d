"""Listing the inbox: `<inbox>/<source>/<file>`; everything else is ignored (and listed)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ingest.contract import SOURCES


def _skip(name: str) -> bool:
    """Hidden files and Office lock files (~$x.xlsx) are never data."""
    return name.startswith(".") or name.startswith("~$")


def shown(rel: str) -> str:
    """An inbox path as text: bytes that are not UTF-8 (a GBK name from a Windows zip, kept by
    Python as surrogates) are written ``\\xb5``."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def name_fault(rel: str) -> str | None:
    """Why a file's name makes it unreadable (its bytes are not UTF-8), else None."""
    if shown(rel) == rel:
        return None
    return (f"文件名不是UTF-8编码（可能来自Windows压缩包），请改名后重新放入：{shown(rel)} / the "
            "file name is not UTF-8 (bytes shown escaped); rename the file")


def source_files(inbox: Path, source: str) -> tuple[list[str], list[str]]:
    """(data files, ignored entries) of one source folder, as sorted inbox-relative paths.

    Only regular files inside the folder are data files, whatever their type (an
    unsupported type is rejected as ``unreadable_file`` rather than silently skipped). A
    symbolic link is never followed (a link to ``/etc/passwd`` or to a roster outside the
    inbox is not read); it is ignored, its entry naming the target. Sub-folders, hidden
    files and Office lock files are ignored too. A source folder that is missing, a link,
    or a plain file is one ignored entry saying so. Each ignored entry is
    ``"<path> (<why>)"``, the why starting with one of ``WHY_WORDS`` (``split_ignored``).
    """
    folder = Path(inbox) / source
    if folder.is_symlink():
        return [], [f"{source}/ ({_link(folder)})"]
    if not folder.exists():
        return [], [f"{source}/ (文件夹不存在 / folder missing)"]
    if not folder.is_dir():
        return [], [f"{source} (应为文件夹，却是一个文件 / a file where the folder should be)"]
    files, ignored = [], []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):  # each why: WHY_WORDS
        rel = f"{source}/{entry.name}"
        if entry.is_symlink():
            ignored.append(f"{shown(rel)} ({_link(entry)})")
        elif entry.is_dir():
            ignored.append(f"{shown(rel)}/ (子文件夹，未读取 / sub-folder, not read)")
        elif not entry.is_file():
            ignored.append(f"{shown(rel)} (不是普通文件 / not a regular file)")
        elif _skip(entry.name):
            ignored.append(f"{shown(rel)} (隐藏或临时文件 / hidden or Office lock file)")
        else:
            files.append(rel)
    return files, ignored


# the first words of every why `source_files` gives: an entry is split where they follow
# " (", not at a name's own " (" (a folder "备份 (低保)" was split inside its name)
WHY_WORDS = ("符号链接，未读取", "文件夹不存在 /", "应为文件夹，", "子文件夹，未读取", "不是普通文件 /",
             "隐藏或临时文件 /")
_ENTRY = re.compile(r"(.*?) \(((?:" + "|".join(WHY_WORDS) + r").*)\)", re.S)


def split_ignored(entry: str) -> tuple[str, str]:
    """``"<path> (<why>)"`` of ``source_files`` → (path, why); (entry, "") for another."""
    m = _ENTRY.fullmatch(entry)
    return (m.group(1), m.group(2)) if m else (entry, "")


def _link(path: Path) -> str:
    target = shown(os.readlink(path))
    return f"符号链接，未读取，指向 {target} / symbolic link to {target}, not read"


def ignored_entries(inbox: Path) -> list[str]:
    """Entries of the inbox root that are not source folders (e.g. `_planted.json`)."""
    root = Path(inbox)
    if not root.is_dir():
        return []
    return sorted(
        p.name + ("/" if p.is_dir() else "")
        for p in root.iterdir()
        if not (p.is_dir() and p.name in SOURCES)
    )
