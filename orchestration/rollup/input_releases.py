"""Verifying one input release before a roll-up uses it (indicators.md §9).

A release folder (a copied `published/<P>`) is accepted when its manifest.json is valid,
every file it lists has that SHA-256, no other file lies beside them (history/ aside), its
period is the roll-up's and its gate passed (通过 or 经豁免通过). Otherwise `Rejected` names
the file or the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboards.view import Manifest, ReleaseView
from ingest import labels
from orchestration.release import ReleaseError, read_manifest, read_view
from orchestration.release.files import hash_files, sha256
from orchestration.release.writer import RESERVED


class Rejected(ValueError):
    """An input release the roll-up must not use; the message is the reason, `region` the
    region its indicators.json names (as far as it can be read), else None."""

    def __init__(self, message: str, region: str | None = None):
        super().__init__(message)
        self.region = region


def _claimed_region(folder: Path) -> str | None:
    try:
        return read_view(folder, monthly=False).district
    except (ReleaseError, OSError):
        return None


@dataclass(frozen=True)
class InputRelease:
    folder: Path
    manifest: Manifest
    manifest_sha256: str
    view: ReleaseView

    @property
    def region(self) -> str:
        return self.view.district or ""


def verify_release(folder: Path, period: str) -> InputRelease:
    """The release in `folder`, checked; raises Rejected with the reason."""
    folder = Path(folder).resolve()
    try:
        return _verify(folder, period)
    except Rejected as exc:
        raise Rejected(f"{folder}: {exc}", _claimed_region(folder)) from None


def _verify(folder: Path, period: str) -> InputRelease:
    mpath = folder / "manifest.json"
    if not mpath.is_file():
        raise Rejected("不是发布目录 not a release (no manifest.json)")
    try:
        manifest = read_manifest(mpath)
    except ReleaseError as exc:
        raise Rejected(str(exc)) from None
    if not manifest.files:
        raise Rejected("manifest.json: 清单未列出文件 the manifest lists no files")
    on_disk = hash_files(folder, skip=RESERVED)
    for rel, digest in sorted(manifest.files.items()):
        if rel not in on_disk:
            raise Rejected(f"{rel}: 文件缺失 listed in the manifest but missing")
        if on_disk[rel] != digest:
            raise Rejected(f"{rel}: SHA-256 与清单不符 does not match the manifest (tampered "
                           "or damaged)")
    extra = sorted(set(on_disk) - set(manifest.files))
    if extra:
        raise Rejected(f"{extra[0]}: 清单未列出的文件 a file the manifest does not list")
    if manifest.period != period:
        raise Rejected(f"manifest.json: 报告期 period {manifest.period} 不是 is not {period}")
    word, _ = manifest.gate
    if word == labels.FAILED:
        failed = [c.name for c in manifest.checks
                  if c.severity == "error" and not c.passed and not c.waived]
        raise Rejected(f"manifest.json: 质量检查未通过 its gate failed ({', '.join(failed)})")
    try:
        view = read_view(folder, monthly=False)
    except ReleaseError as exc:
        raise Rejected(str(exc)) from None
    if view.district is None:
        raise Rejected("indicators.json: 没有指标行 no indicator rows")
    return InputRelease(folder, manifest, sha256(mpath), view)
