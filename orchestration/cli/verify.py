"""`civstat verify`: prove a release is intact (docs/operations.md).

Every file listed in the release's ``manifest.json`` (``files``: path → SHA-256, written
last by ``orchestration/release/writer.py``) is hashed again; a file missing, changed, or
present but not listed (other than ``manifest.json`` and ``history/``'s folders) is named.
Each earlier release kept under ``history/`` is checked the same way against its own
manifest. The manifest itself is checked against the SHA-256 the writer recorded when it
published it (``published/.releases/manifests.jsonl``, ``files.record_manifest``): a
manifest edited afterwards (its checks set to passed, its waivers emptied) is named. A
release published before that record was kept is not checked there.
"""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.release.files import label_run_id, read_ledger, sha256

RESERVED = ("manifest.json", "history")


def verify_release(folder: Path, ledger: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """(files checked, problems) of one release folder and its history; problems name the
    file and what is wrong (missing, SHA-256 differs, not in the manifest, a manifest that
    is not the one published). `ledger`: run_id → published manifest SHA-256 (read from the
    release's `.releases/` when None)."""
    folder = Path(folder)
    manifest = folder / "manifest.json"
    if ledger is None:
        ledger = read_ledger(folder.parent.parent) if folder.parent.parent.name == ".releases" \
            else {}
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        listed = meta["files"]
        if not isinstance(listed, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in listed.items()):
            raise TypeError("files is no map of path to SHA-256")
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as e:
        return 0, [f"{manifest}: 清单无法读取 / manifest unreadable ({type(e).__name__})"]
    problems, checked = [], 0
    # the run id the folder is named by (.releases/<P>/<run_id>, history/<time>_<run_id>),
    # not the one the manifest under test says: an edited run_id would dodge the ledger
    named = label_run_id(folder.name) if folder.parent.name == "history" else folder.name
    if named in ledger and str(meta.get("run_id")) != named:
        problems.append(f"{manifest}: 清单的 run_id 与发布目录不符 / run_id "
                        f"{meta.get('run_id')!r} is not the folder's {named!r}")
    published = ledger.get(named)
    if published is not None and sha256(manifest) != published:
        problems.append(f"{manifest}: 清单在发布后被改动 / differs from the manifest published "
                        "(published/.releases/manifests.jsonl)")
    for rel, want in sorted(listed.items()):
        path = folder / rel
        checked += 1
        inside = not Path(rel).is_absolute() and ".." not in Path(rel).parts
        if not inside:  # a manifest naming /etc/hostname proves nothing of the release
            problems.append(f"{rel}: 清单中的路径不在发布目录内 / a path outside the release")
        elif not path.is_file():
            problems.append(f"{path}: 文件缺失 / missing")
        elif sha256(path) != want:
            problems.append(f"{path}: SHA-256 与清单不符 / differs from the manifest")
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(folder)
        stray = rel.parts[0] == "history" and len(rel.parts) == 2  # not a release's folder
        if (rel.parts[0] not in RESERVED or stray) and rel.as_posix() not in listed:
            problems.append(f"{path}: 不在清单中 / not listed in the manifest")
    history = folder / "history"
    if history.is_dir():
        for old in sorted(p for p in history.iterdir() if p.is_dir()):
            n, more = verify_release(old, ledger)
            checked += n
            problems += more
    return checked, problems
