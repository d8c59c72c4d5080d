"""Usage errors: a message naming what is wrong, exit 1, no traceback."""

import gc
import os

import pytest

from orchestration.cli.main import EXIT_ERROR, main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--inbox", "{missing}", "--warehouse", "{tmp}/w", "--period", "2025H1"],
         "inbox folder not found"),
        (["run", "--inbox", "{tmp}", "--warehouse", "{tmp}/w", "--period", "2025H3"],
         "invalid period '2025H3'"),
        # year 0 cannot be a date: once an internal error (ValueError from datetime)
        (["run", "--inbox", "{tmp}", "--warehouse", "{tmp}/w", "--period", "0000-01"],
         "invalid period '0000-01': the year 0000 is outside 2000–9998"),
        (["waive", "--warehouse", "{tmp}/w", "--period", "2025H1", "--check", "nope",
          "--reason", "r", "--by", "b"], "unknown check 'nope'"),
        (["waive", "--warehouse", "{tmp}/w", "--period", "2025H1", "--check",
          "files_rejected", "--reason", "  ", "--by", "b"], "needs a reason"),
        # a typo in --warehouse made a new folder holding the waiver, exit 0
        (["waive", "--warehouse", "{tmp}/w", "--period", "2025H1", "--check",
          "files_rejected", "--reason", "r", "--by", "b"], "no warehouse here"),
        # the generator's refusals were "internal error (ValueError)"
        (["sample", "--out", "{tmp}/s", "--year", "1999"], "year must be a past year"),
    ],
)
def test_usage_errors(tmp_path, capsys, argv, message):
    argv = [a.format(tmp=tmp_path, missing=tmp_path / "nope") for a in argv]
    assert main(argv) == EXIT_ERROR
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "w" / "waivers.jsonl").exists()


def test_what_the_machine_refuses_is_said_not_called_an_internal_error(tmp_path, capsys):
    """A warehouse path that is a file (or lies under one): the machine's reason and the
    path, exit 1; the words are the same for a full disk or a read-only folder."""
    from orchestration.cli.main import _environment_error

    (tmp_path / "file").write_text("x")
    for wh in (tmp_path / "file", tmp_path / "file" / "w"):
        argv = ["run", "--inbox", str(tmp_path), "--warehouse", str(wh), "--period", "2025H1"]
        assert main(argv) == EXIT_ERROR
        err = capsys.readouterr().err
        assert "internal error" not in err and "Traceback" not in err
        assert str(tmp_path / "file") in err
    full = RuntimeError("x")
    full.__cause__ = OSError(28, "No space left on device", "/wh/civstat.duckdb")
    assert _environment_error(full) == (
        "磁盘已满 the disk is full: /wh/civstat.duckdb (No space left on device)")
    assert _environment_error(Exception("(sqlite3.OperationalError) database or disk is full"))
    assert _environment_error(ValueError("x")) is None


def test_rebuild_forces_a_full_dbt_build_for_that_run_only(tmp_path, monkeypatch):
    import orchestration.cli.main as cli
    from orchestration.settings import REBUILD_ENV

    seen = []

    def fake_execute(args, job_name, run_config=None):
        seen.append(os.environ.get(REBUILD_ENV))
        raise SystemExit(0)  # stop before anything else

    monkeypatch.delenv(REBUILD_ENV, raising=False)
    monkeypatch.setattr(cli, "_execute", fake_execute)
    for extra in (["--rebuild"], []):
        with pytest.raises(SystemExit):
            main(["run", "--inbox", str(tmp_path), "--warehouse", str(tmp_path / "w"),
                  "--period", "2025H1", *extra])
    assert seen == ["1", None]
    assert REBUILD_ENV not in os.environ


def test_the_command_returns_mains_code_with_the_collector_frozen(monkeypatch):
    # the console script's `sys.exit(console_main())`: the code is main's, and every object
    # is frozen out of the collector so that the interpreter's end is quick
    from orchestration.cli import main as cli_main

    monkeypatch.setattr(cli_main, "main", lambda: 4)
    gc.unfreeze()
    try:
        assert cli_main.console_main() == 4
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_what_c_code_writes_during_a_run_goes_to_the_log(tmp_path, monkeypatch, capfd):
    """Descriptors 1 and 2 point at the run's log while the job runs (DuckDB's progress bar
    of a long query reached the console once Dagster's compute logs were off), and back at
    the console after it."""
    import argparse

    import orchestration.cli.instance as instance_module
    import orchestration.cli.main as cli
    import orchestration.cli.stale as stale
    import orchestration.runlock as runlock

    class Job:
        def execute_in_process(self, **_):
            os.write(1, b"C-level stdout\n")
            os.write(2, b"C-level stderr\n")
            return "result"

    class Defs:
        def resolve_job_def(self, name):
            return Job()

    monkeypatch.setattr(cli, "_load_defs", lambda: Defs())
    monkeypatch.setattr(instance_module, "instance", lambda: None)
    monkeypatch.setattr(stale, "release_stale", lambda *a: [])
    monkeypatch.setattr(runlock, "run_tags", lambda: {})
    args = argparse.Namespace(warehouse=tmp_path / "w", verbose=False)
    assert cli._execute(args, "civstat_run") == "result"
    os.write(1, b"after\n")
    out, err = capfd.readouterr()
    assert "C-level" not in out + err and "after" in out
    (log,) = (tmp_path / "w" / "logs").iterdir()
    assert log.read_text(encoding="utf-8") == "C-level stdout\nC-level stderr\n"


@pytest.mark.parametrize("argv", [[], ["run", "--period", "2025H1"], ["ui", "--port", "abc"],
                                  ["sample", "--out", "x", "--scale", "town"]])
def test_an_argument_error_exits_1_not_the_gates_2(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == EXIT_ERROR == 1
    assert "usage: civstat" in capsys.readouterr().err


def test_debug_and_verbose_may_follow_the_command():
    from orchestration.cli.main import _parser

    args = _parser().parse_args(["verify", "--release", "r", "--debug", "--verbose"])
    assert (args.debug, args.verbose) == (True, True)
    args = _parser().parse_args(["--debug", "verify", "--release", "r"])
    assert (args.debug, args.verbose) == (True, False)


def test_a_waiver_line_that_is_no_waiver_is_named_by_run_and_waive(tmp_path, capsys):
    (tmp_path / "w" / "published").mkdir(parents=True)
    (tmp_path / "w" / "waivers.jsonl").write_text('{"period": "2025', encoding="utf-8")
    argv = ["waive", "--warehouse", str(tmp_path / "w"), "--period", "2025H1", "--check",
            "files_rejected", "--reason", "r", "--by", "b"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert f"waiver line skipped: {tmp_path / 'w' / 'waivers.jsonl'} 第1行 line 1" in err
