"""Listing the inbox: `<inbox>/<source>/<file>`; everything else is ignored (and listed)."""

from __future__ import annotations

import os
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

    Every regular file counts as a data file, whatever its type (an unsupported type is
    rejected as ``unreadable_file`` rather than silently skipped); sub-folders, hidden
    files and Office lock files are ignored.
    """
    folder = Path(inbox) / source
    if not folder.is_dir():
        return [], []
    files, ignored = [], []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        rel = f"{source}/{entry.name}"
        if entry.is_file() and not _skip(entry.name):
            files.append(rel)
        else:
            ignored.append(rel + ("/" if entry.is_dir() else ""))
    return files, ignored


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
