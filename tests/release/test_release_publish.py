"""Atomic, immutable publication: symlink swap, history, hashes, crashes, privacy guard."""

import hashlib
import json
import os
import stat

import pytest
from release_sample import DISTRICT, SAMPLE, make_frame, make_manifest

import dashboards
from orchestration.release import ReleaseError, files, write_release

P = "2025H1"


def _publish(root, run_id, created_at="2025-07-03T10:15:00+08:00", rows=SAMPLE, pages=None):
    """Publish SAMPLE; `pages` ({path: text} of a view) stands in for the pages
    (None: no pages)."""
    manifest = make_manifest(run_id=run_id, created_at=created_at)
    if pages is None:
        return write_release(root, P, make_frame(rows), manifest, pages=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dashboards, "pages", lambda view: pages(view).items())
        return write_release(root, P, make_frame(rows), manifest)


def _pages(view):
    return {"dashboards/overview.html": "<html><body>低保</body></html>"}


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_release_is_linked_and_manifest_hashes_every_file(tmp_path):
    folder = _publish(tmp_path, "run-a", pages=_pages)
    link = tmp_path / P
    assert link.is_symlink() and os.readlink(link) == ".releases/2025H1/run-a"
    assert folder == tmp_path / ".releases" / P / "run-a"
    raw = (link / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(raw)
    assert "张科长" in raw  # ensure_ascii=False
    assert raw == json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert sorted(manifest["files"]) == ["dashboards/overview.html", "forms/half_year.xlsx",
                                         "forms/mca_quarterly.xlsx", "indicators.csv",
                                         "indicators.json", "indicators.xlsx", "summary.md"]
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((link / rel).read_bytes()).hexdigest() == digest
    assert manifest["run_id"] == "run-a" and manifest["waivers"][0]["by"] == "李局长"
    assert list((tmp_path / ".staging").iterdir()) == []


def test_second_publish_keeps_the_first_in_history(tmp_path):
    first = _publish(tmp_path, "run-a", created_at="2025-07-03T10:15:00+08:00")
    before = _snapshot(first)
    second = _publish(tmp_path, "run-b", created_at="2025-07-04T08:00:05+08:00",
                      rows=SAMPLE[:-1])
    assert os.readlink(tmp_path / P) == ".releases/2025H1/run-b"
    kept = second / "history" / "20250703T101500_run-a"
    assert _snapshot(kept) == before
    assert (kept / "indicators.csv").stat().st_ino == (first / "indicators.csv").stat().st_ino
    assert _snapshot(first) == before  # the earlier release itself is untouched
    third = _publish(tmp_path, "run-c", created_at="2025-07-05T09:00:00+08:00")
    assert sorted(p.name for p in (third / "history").iterdir()) == [
        "20250703T101500_run-a", "20250704T080005_run-b"]
    assert _snapshot(third / "history" / "20250703T101500_run-a") == before
    assert "history/20250703T101500_run-a/summary.md" not in json.loads(
        (third / "manifest.json").read_text("utf-8"))["files"]


@pytest.mark.parametrize("where", ["render", "before_swap", "os_replace"])
def test_a_crash_mid_publish_leaves_the_old_release(tmp_path, monkeypatch, where):
    first = _publish(tmp_path, "run-a")
    before = _snapshot(tmp_path / P)

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    pages = boom if where == "render" else None
    if where == "before_swap":
        monkeypatch.setattr(files, "swap", boom)
    if where == "os_replace":
        monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(RuntimeError, match="power cut"):
        _publish(tmp_path, "run-b", rows=SAMPLE[:-1], pages=pages)
    monkeypatch.undo()
    assert os.readlink(tmp_path / P) == ".releases/2025H1/run-a"
    assert _snapshot(tmp_path / P) == before and _snapshot(first) == before
    assert list((tmp_path / ".staging").iterdir()) == []
    assert sorted(p.name for p in (tmp_path / ".releases" / P).iterdir()) == [".lock", "run-a"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    _publish(tmp_path, "run-b")  # and the next try succeeds


def test_a_plain_folder_release_moves_into_history(tmp_path):
    old = tmp_path / P
    old.mkdir()
    (old / "indicators.csv").write_bytes(b"old,csv\n")
    (old / "indicators.csv").chmod(0o644)
    (old / "manifest.json").write_text(json.dumps(
        {"run_id": "legacy1", "created_at": "2025-07-01T12:00:00+08:00"}), encoding="utf-8")
    new = _publish(tmp_path, "run-b")
    assert (tmp_path / P).is_symlink()
    kept = new / "history" / "20250701T120000_legacy1"
    assert (kept / "indicators.csv").read_bytes() == b"old,csv\n"
    assert stat.S_IMODE((kept / "indicators.csv").stat().st_mode) == 0o644  # not re-moded
    assert stat.S_IMODE(new.stat().st_mode) == 0o755
    assert stat.S_IMODE((new / "indicators.csv").stat().st_mode) == 0o444


def test_a_run_is_never_published_twice(tmp_path):
    _publish(tmp_path, "run-a")
    with pytest.raises(ReleaseError, match="already published"):
        _publish(tmp_path, "run-a")


@pytest.mark.parametrize("bad, message", [
    ({"run_id": "../x"}, "run_id"),
    ({"created_at": "yesterday"}, "created_at"),
    ({"published_by": ""}, "published_by"),
    ({"period": "2025H2"}, "is not 2025H1"),
])
def test_a_bad_manifest_is_refused(tmp_path, bad, message):
    manifest = make_manifest() | bad
    with pytest.raises(ReleaseError, match=message):
        write_release(tmp_path, P, make_frame(SAMPLE), manifest, pages=False)
    assert not (tmp_path / P).exists()


def test_personal_numbers_are_never_published(tmp_path):
    _publish(tmp_path, "run-a")
    before = _snapshot(tmp_path / P)
    leaky = [(DISTRICT, "dibao_persons_end", "期末保障人数 11010519491231002X", "total", 1, "人",
              "count")]
    with pytest.raises(ReleaseError, match="ID number"):
        _publish(tmp_path, "run-b", rows=leaky)

    def phone_page(view):
        return {"p.html": "联系 13812345678"}

    with pytest.raises(ReleaseError, match="phone number"):
        _publish(tmp_path, "run-c", pages=phone_page)
    assert _snapshot(tmp_path / P) == before


def test_the_pages_get_the_view_and_the_manifest_is_written_once(tmp_path, monkeypatch):
    seen = {}

    def pages(view):
        seen["rows"], seen["run_id"] = len(view.rows), view.manifest.run_id
        seen["level"] = view.row("dibao_persons_end", region=DISTRICT).region_level
        seen["manifest_on_disk"] = list(tmp_path.rglob("manifest.json"))
        return {"dashboards/quality.html": "ok"}

    writes = []
    real = files.manifest_bytes
    monkeypatch.setattr(files, "manifest_bytes", lambda m: writes.append(m) or real(m))
    folder = _publish(tmp_path, "run-a", pages=pages)
    assert seen == {"rows": len(SAMPLE), "run_id": "run-a", "level": "district",
                    "manifest_on_disk": []}
    assert len(writes) == 1
    final = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert final["files"]["dashboards/quality.html"] == hashlib.sha256(b"ok").hexdigest()


def test_leftovers_of_a_killed_writer_of_the_same_period_are_cleared(tmp_path):
    mine, other = tmp_path / ".staging" / "2025H1.run-x.abc", tmp_path / ".staging" / "2025-06.r.q"
    for folder in (mine, other):
        folder.mkdir(parents=True)
        (folder / "indicators.csv").write_bytes(b"half")
    _publish(tmp_path, "run-a")
    assert not mine.exists() and other.exists()


def test_pages_are_written_as_they_are_rendered(tmp_path, monkeypatch):
    """The writer holds one page at a time (a province's pages are ≈ 170 MB of text): the
    first page is on disk before the second is rendered."""
    on_disk = []

    def pages(view):
        yield "dashboards/a.html", "<p>甲</p>"
        on_disk.append(sorted(p.name for p in (tmp_path / ".staging").rglob("*.html")))
        yield "dashboards/b.html", "<p>乙</p>"

    monkeypatch.setattr(dashboards, "pages", pages)
    folder = write_release(tmp_path, P, make_frame(SAMPLE), make_manifest(run_id="run-a"))
    assert on_disk == [["a.html"]]
    assert (folder / "dashboards" / "b.html").read_text("utf-8") == "<p>乙</p>"
