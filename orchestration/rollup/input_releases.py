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
    """The region a rejected release's indicators.json names, when it can be read; None
    otherwise (a file that is not a regular one is never opened: a FIFO would block)."""
    files = [folder / n for n in ("manifest.json", "indicators.json", "comparisons.csv")]
    if any(p.exists() and not p.is_file() for p in files):
        return None
    try:
        return read_view(folder, monthly=False).district
    except Exception:  # noqa: BLE001 - only a name for the refusal; the reason is given
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
    except OSError as exc:  # a file closed to us, gone, a folder where a file should be
        raise Rejected(f"{folder}: 无法读取 cannot read {exc.filename or ''}: "
                       f"{exc.strerror or exc}", _claimed_region(folder)) from None
    except (RecursionError, ArithmeticError, TypeError, ValueError, AttributeError) as exc:
        # a release no civstat wrote (nested past reason, wrong types): one child refused,
        # never the roll-up
        raise Rejected(f"{folder}: 不是可读的发布 not a readable release "
                       f"({type(exc).__name__}: {str(exc)[:200]})", _claimed_region(folder)
                       ) from None


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
    for path in sorted(folder.rglob("*")):  # as `civstat verify`: a link or a device is no
        rel = path.relative_to(folder)      # file of a release (hashing skipped it)
        if rel.parts[0] not in RESERVED and (path.is_symlink() or not (
                path.is_file() or path.is_dir())):
            raise Rejected(f"{rel.as_posix()}: 不是普通文件 not a regular file (a link or a "
                           "device)")
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
    _as_catalogued(view.rows)
    return InputRelease(folder, manifest, sha256(mpath), view)


def _as_catalogued(rows) -> None:
    """Each row's unit and value kind are its indicator's in the catalogue (an indicator the
    catalogue does not know is left to the roll-up's own rules): a release in 元 where the
    catalogue says 万元 was summed with the others' 万元, under the first child's unit."""
    from ingest.catalogue import catalogue_rows

    catalogued = {r["indicator"]: (r["unit"], r["value_kind"]) for r in catalogue_rows()}
    for row in rows:
        want = catalogued.get(row.indicator)
        if want is not None and (row.unit, row.value_kind) != want:
            raise Rejected(f"indicators.json: {row.region_code}/{row.indicator}/{row.breakdown}: "
                           f"单位或类型 {row.unit}/{row.value_kind} 不是指标目录的 is not the "
                           f"catalogue's {want[0]}/{want[1]}")
