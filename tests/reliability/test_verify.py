"""`civstat verify`: every file's SHA-256 against manifest.json; exit 0 intact, 1 naming each bad file."""

import hashlib
import json

from orchestration.cli.main import EXIT_ERROR, EXIT_OK, main


def _release(folder, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    listed = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    (folder / "manifest.json").write_text(json.dumps({"files": listed}))


def test_verify_names_every_bad_file(tmp_path, capsys):
    rel = tmp_path / "wh" / "published" / "2025H1"
    _release(rel, {"indicators.csv": b"a,b\n1,2\n", "summary.md": b"# x\n",
                   "dashboards/overview.html": b"<html>", "monthly.csv": b"m\n"})
    _release(rel / "history" / "old", {"indicators.csv": b"old\n"})
    assert main(["verify", "--warehouse", str(tmp_path / "wh"), "--period", "2025H1"]) == EXIT_OK
    assert "release intact: 5 files" in capsys.readouterr().out

    (rel / "summary.md").write_bytes(b"# y\n")
    (rel / "monthly.csv").unlink()
    (rel / "dashboards" / "extra.html").write_bytes(b"?")
    (rel / "history" / "old" / "indicators.csv").write_bytes(b"new\n")
    assert main(["verify", "--release", str(rel)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"{rel}/summary.md: SHA-256 与清单不符" in err
    assert f"{rel}/monthly.csv: 文件缺失" in err
    assert f"{rel}/dashboards/extra.html: 不在清单中" in err
    assert f"{rel}/history/old/indicators.csv: SHA-256 与清单不符" in err
    assert "indicators.csv: " not in err.replace("history/old/indicators.csv", "")
    assert "4 problem(s)" in err


def test_verify_without_a_release_is_a_usage_error(tmp_path, capsys):
    assert main(["verify", "--release", str(tmp_path)]) == EXIT_ERROR
    assert "no manifest.json" in capsys.readouterr().err


def test_verify_of_a_manifest_no_civstat_wrote_names_it(tmp_path, capsys):
    """files as a list, nested past reason, or naming a path outside the release: named,
    never an internal error, never "intact"."""
    rel = tmp_path / "r"
    rel.mkdir()
    for files in (["indicators.csv"], None):
        (rel / "manifest.json").write_text(json.dumps({"files": files}))
        assert main(["verify", "--release", str(rel)]) == EXIT_ERROR
        err = capsys.readouterr().err
        assert "manifest unreadable" in err and "internal error" not in err
    (rel / "manifest.json").write_text('{"files": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["verify", "--release", str(rel)]) == EXIT_ERROR
    assert "manifest unreadable" in capsys.readouterr().err
    outside = tmp_path / "hostname"
    outside.write_bytes(b"box\n")
    (rel / "manifest.json").write_text(json.dumps(
        {"files": {str(outside): hashlib.sha256(b"box\n").hexdigest()}}))
    assert main(["verify", "--release", str(rel)]) == EXIT_ERROR
    assert "a path outside the release" in capsys.readouterr().err


def test_a_manifest_edited_after_publishing_and_a_stray_file_in_history_are_named(
        tmp_path, capsys):
    # the manifest's own checks set to passed and its publisher changed: every listed file
    # still matched it, so verify said intact; the writer now records the manifest's SHA-256
    from orchestration.release import write_release
    from tests.release.release_sample import SAMPLE, make_frame, make_manifest

    root = tmp_path / "published"
    write_release(root, "2025H1", make_frame(SAMPLE), make_manifest(run_id="run-a"),
                  pages=False)
    write_release(root, "2025H1", make_frame(SAMPLE),
                  make_manifest(run_id="run-b", created_at="2025-07-04T10:15:00+08:00"),
                  pages=False)
    rel = root / "2025H1"
    assert main(["verify", "--release", str(rel)]) == EXIT_OK
    capsys.readouterr()
    manifest = rel.resolve() / "manifest.json"
    manifest.chmod(0o644)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["published_by"], data["run_id"] = "someone else", "run-c"  # run_id: no escape
    manifest.write_text(json.dumps(data), encoding="utf-8")
    history = rel.resolve() / "history"
    history.chmod(0o755)
    (history / "notes.txt").write_text("x")
    assert main(["verify", "--release", str(rel)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"{manifest}: 清单在发布后被改动" in err
    assert f"{history / 'notes.txt'}: 不在清单中" in err
    assert "run_id 'run-c' is not the folder's 'run-b'" in err
    assert "3 problem(s)" in err
