"""The `civstat` command. Every run goes through the Dagster definitions (no second code path)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import sys
import traceback
from pathlib import Path

from ingest.warehouse_layout import WarehouseLayout
from orchestration import interrupts

EXIT_OK, EXIT_ERROR, EXIT_BLOCKED, EXIT_BUSY = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command ended by Ctrl-C
EXIT_CODES = ("exit codes: 0 published (run) / done; 1 usage or internal error; "
              "2 the gate blocked publishing; 3 another run or process is using the warehouse; "
              "130 interrupted (Ctrl-C)")
INTERRUPTED = ("已中断 interrupted (Ctrl-C): nothing new was published and the last release is "
               "as it was; run the same command again to finish (files already parsed are not "
               "parsed again)")


class Interrupted(Exception):
    """A run or ingest that Ctrl-C (or SIGTERM) stopped before it published: exit 130."""


class UsageError(Exception):
    """A problem the user can fix; printed without a traceback."""


class _Parser(argparse.ArgumentParser):
    """argparse with a usage error's exit code 1, as `EXIT_CODES` says (argparse's own 2 is
    civstat's "the gate blocked")."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="civstat", description="民政统计数据平台 civstat", epilog=EXIT_CODES)
    # --debug and --verbose before or after the command (`civstat run … --debug`)
    both = argparse.ArgumentParser(add_help=False)
    for parser, default in ((p, False), (both, argparse.SUPPRESS)):
        parser.add_argument("--debug", action="store_true", default=default,
                            help="show tracebacks on internal errors")
        parser.add_argument("--verbose", action="store_true", default=default,
                            help="print the Dagster and dbt log instead of writing it to "
                                 "<warehouse>/logs/")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("sample", parents=[both],
                       help="generate a fictional sample district inbox")
    s.add_argument("--out", required=True, type=Path)
    s.add_argument("--scale", default="district", choices=["district", "city", "province"])
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--faults", default="none", choices=["none", "some"])
    s.add_argument("--year", type=int, default=2025)

    sub.add_parser("prepare", parents=[both],
                   help="parse the dbt project (writes target/manifest.json)")

    i = sub.add_parser("ingest", parents=[both],
                       help="load the inbox into the warehouse's raw layer")
    i.add_argument("--inbox", required=True, type=Path)
    i.add_argument("--warehouse", required=True, type=Path)

    r = sub.add_parser("run", parents=[both], help="ingest, model, check and publish one period")
    r.add_argument("--inbox", required=True, type=Path)
    r.add_argument("--warehouse", required=True, type=Path)
    r.add_argument("--period", required=True, help="YYYY-MM, YYYYQ1…Q4, YYYYH1/YYYYH2 (S1/S2), YYYY, "
                   "or a month range YYYY-MM/YYYY-MM (the 季报's year to date)")
    r.add_argument("--published-by", default="civstat")
    r.add_argument("--rebuild", action="store_true",
                   help="build every dbt model and run every dbt test, whatever earlier runs "
                   "built (docs/operations.md: when dbt rebuilds what)")

    w = sub.add_parser("waive", parents=[both],
                       help="record a waiver: publish a period past a failing check")
    w.add_argument("--warehouse", required=True, type=Path)
    w.add_argument("--period", required=True)
    w.add_argument("--check", required=True)
    w.add_argument("--reason", required=True)
    w.add_argument("--by", required=True)

    ru = sub.add_parser("rollup", parents=[both],
                        help="roll the districts' releases up into the city's")
    ru.add_argument("--release", required=True, action="append", type=Path,
                    help="a child's published/<P> folder; repeat once per district")
    ru.add_argument("--regions", required=True, type=Path, help="the city's regions file")
    ru.add_argument("--warehouse", required=True, type=Path)
    ru.add_argument("--period", required=True)
    ru.add_argument("--published-by", default="civstat")
    v = sub.add_parser("verify", parents=[both],
                       help="check every file of a release against its manifest "
                            "(exit 0 intact, 1 a file missing, changed or unlisted)")
    v.add_argument("--release", type=Path, help="a release folder (holding manifest.json)")
    v.add_argument("--warehouse", type=Path)
    v.add_argument("--period", help="with --warehouse: the published release of this period")

    u = sub.add_parser("ui", parents=[both],
                       help="start the Dagster webserver and daemon for a warehouse")
    u.add_argument("--inbox", required=True, type=Path)
    u.add_argument("--warehouse", required=True, type=Path)
    u.add_argument("--port", type=int, default=3000)
    u.add_argument("--host", default="127.0.0.1")
    return p


def cmd_sample(args) -> int:
    from ingest.sample import generate
    from ingest.sample.generator import SampleRefused

    try:
        planted = generate(
            args.out, scale=args.scale, seed=args.seed, faults=args.faults, year=args.year
        )
    except SampleRefused as e:  # a year, a folder that is not a sample's
        raise UsageError(str(e)) from e
    rows = planted.get("rows", {})
    print(
        f"样例辖区收件箱 sample inbox: {args.out} ({args.scale}, seed {args.seed}, "
        f"faults {args.faults}, year {args.year})"
    )
    for source, n in rows.items():
        print(f"  {source:<22} {n:>10,} rows")
    return EXIT_OK


def cmd_prepare(args) -> int:
    from orchestration.settings import quiet

    quiet()
    from orchestration.defs.project import prepare_manifest

    print(f"dbt manifest: {prepare_manifest()}")
    return EXIT_OK


def _load_defs():
    from orchestration.defs.project import dbt_project, prepare_manifest

    if not dbt_project().manifest_path.exists():
        prepare_manifest()
    from orchestration.definitions import defs

    return defs


def _execute(args, job_name: str, run_config: dict | None = None):
    """Run a job of the definitions in this process, against the warehouse's instance.

    The Dagster and dbt log goes to <warehouse>/logs/<job>-<time>.log (or the console with
    --verbose); the console gets the plain-language summary only.
    """
    import contextlib
    from datetime import datetime

    from orchestration.cli.instance import instance
    from orchestration.cli.stale import release_stale
    from orchestration.runlock import run_tags

    defs = _load_defs()
    job = defs.resolve_job_def(job_name)
    for line in release_stale(instance(), args.warehouse):
        print(line)
    if args.verbose:
        return job.execute_in_process(instance=instance(), run_config=run_config,
                                      raise_on_error=False, tags=run_tags())
    logs = WarehouseLayout(args.warehouse).logs
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{job_name}-{datetime.now():%Y%m%d-%H%M%S}.log"
    print(f"运行中 running {job_name}; log: {log_path}")
    with log_path.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log), \
            contextlib.redirect_stderr(log), _descriptors_to(log):
        return job.execute_in_process(instance=instance(), run_config=run_config,
                                      raise_on_error=False, tags=run_tags())


@contextlib.contextmanager
def _descriptors_to(log):
    """File descriptors 1 and 2 (what C code and the processes the run starts write, e.g.
    DuckDB's progress bar of a long query) pointed at the open `log` for the block, then
    back. Dagster's compute logs did this until they were turned off (cli/instance.py)."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            stream.flush()  # what was written before goes where it was meant to
    saved = [os.dup(1), os.dup(2)]
    try:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        yield
    finally:
        try:
            log.flush()
        except OSError:  # a full disk: the console gets its descriptors back all the same
            pass
        for fd, copy in zip((1, 2), saved, strict=True):
            os.dup2(copy, fd)
            os.close(copy)


_ENVIRONMENT = {
    errno.ENOSPC: "磁盘已满 the disk is full", errno.EDQUOT: "磁盘配额已满 the disk quota is full",
    errno.EROFS: "文件系统只读 the file system is read-only",
    errno.EACCES: "没有权限 permission denied", errno.EPERM: "不允许的操作 operation not permitted",
    errno.EEXIST: "已有同名文件 a file of that name is in the way",
    errno.ENOTDIR: "路径中有一段不是文件夹 a part of the path is not a folder",
}


def _environment_error(exc: BaseException) -> str | None:
    """The words for a failure the machine, not civstat, made (a full disk, a read-only or
    closed folder, a file where a folder should be), naming the path; None otherwise. The
    exception or one it came from (SQLite's "database or disk is full" included)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _ENVIRONMENT:
            where = f": {exc.filename}" if exc.filename else ""
            return f"{_ENVIRONMENT[exc.errno]}{where} ({exc.strerror})"
        if "database or disk is full" in str(exc):
            return f"{_ENVIRONMENT[errno.ENOSPC]} (the warehouse's disk: {exc})"[:400]
        exc = exc.__cause__ or exc.__context__
    return None


def _interrupted(result) -> bool:
    """Whether the run was interrupted (Ctrl-C, SIGTERM): this process heard one
    (`interrupts.requested`: dbt, which gets the Ctrl-C too, then fails its step), or Dagster
    ended the run for one (its RUN_FAILURE event's reason is UNEXPECTED_TERMINATION,
    dagster's execute_run_iterator), not for a step's failure."""
    from dagster import DagsterEventType

    return interrupts.requested() or any(
        e.event_type == DagsterEventType.RUN_FAILURE
        and getattr(getattr(e.event_specific_data, "failure_reason", None), "value", None)
        == "UNEXPECTED_TERMINATION"
        for e in result.all_events)


def _prune_cache(warehouse: Path) -> None:
    """Drop parse-cache entries no current inbox file refers to (raw.files' sha256)."""
    import duckdb

    from ingest.cache import prune

    layout = WarehouseLayout(warehouse)
    if not layout.db.exists():
        return
    with duckdb.connect(str(layout.db), read_only=True) as con:
        keep = {r[0] for r in con.execute("select sha256 from raw.files").fetchall()}
    prune(layout.parse_cache, keep)


def _hold_warehouse(warehouse: Path):
    """The one-writer lock for the whole command (exit 3 when another process writes)."""
    from orchestration.runlock import check_database_free, hold

    lock = hold(warehouse)
    lock.__enter__()
    _held_locks.append(lock)
    check_database_free(warehouse)


_held_locks: list = []


def _check_inbox(inbox: Path) -> None:
    if not inbox.is_dir():
        raise UsageError(f"收件箱不存在 inbox folder not found: {inbox}")


@contextlib.contextmanager
def _suite_worker():
    """The run's GX worker for the block, started first: GX imports in it while this
    process imports Dagster and starts the run (orchestration/quality/suite_worker.py)."""
    from orchestration.quality.suite_worker import start_shared, stop_shared

    start_shared()
    try:
        yield
    finally:
        stop_shared()


def cmd_ingest(args) -> int:
    interrupts.watch()
    _check_inbox(args.inbox)
    _hold_warehouse(args.warehouse)
    with _suite_worker():
        from orchestration.cli.console import print_ingest_summary
        from orchestration.cli.instance import configure

        configure(args.inbox, args.warehouse)
        result = _execute(args, "ingest_only")
    if not result.success and _interrupted(result):
        raise Interrupted(INTERRUPTED)  # the warehouse is left as it is
    _prune_cache(args.warehouse)
    print_ingest_summary(args.warehouse)
    if not result.success:
        print(
            "入库未完成 ingest did not finish: see the Dagster run "
            f"{result.run_id} (civstat ui) for the failing step.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_OK


def cmd_run(args) -> int:
    from ingest.periods import PeriodError, parse_period

    try:
        period = parse_period(args.period)
    except PeriodError as e:
        raise UsageError(str(e)) from e
    interrupts.watch()
    _check_inbox(args.inbox)
    _hold_warehouse(args.warehouse)  # before the slow imports: a second run is told at once
    _warn_waiver_problems(args.warehouse)
    from orchestration.cli.dbt_ahead import DbtAhead

    with _suite_worker(), DbtAhead():  # GX and dbt import in their processes meanwhile
        from orchestration.cli.console import print_blocked, print_ignored, print_published
        from orchestration.cli.instance import configure, instance
        from orchestration.defs.keys import RELEASE_KEY
        from orchestration.defs.resources import release_run_config
        from orchestration.settings import REBUILD_ENV, environment

        configure(args.inbox, args.warehouse)
        # --rebuild: the dbt step builds everything (docs/operations.md), for this command
        with environment({REBUILD_ENV: "1"} if args.rebuild else {}):
            result = _execute(args, "civstat_run",
                              release_run_config(period.code, args.published_by))
    # the release's own event, or (interrupted between its switch and that event) the
    # period's link pointing at this run's release
    link = WarehouseLayout(args.warehouse).published / period.folder_name
    published = (any(e.asset_key == RELEASE_KEY
                     for e in result.get_asset_materialization_events())
                 or (link.is_symlink() and link.resolve().name == result.run_id))
    if not published and _interrupted(result):
        raise Interrupted(INTERRUPTED)  # the warehouse is left as it is
    _prune_cache(args.warehouse)
    print_ignored(args.warehouse)
    if published:
        print_published(args.warehouse, period.code, result.run_id)
        return EXIT_OK
    if print_blocked(instance(), result.run_id, args.warehouse, period.code):
        return EXIT_BLOCKED
    print(f"运行失败 the run failed before the gate: Dagster run {result.run_id}",
          file=sys.stderr)
    for line in _failures(result):
        print(f"  {line}", file=sys.stderr)
    return EXIT_ERROR


def _failures(result) -> list[str]:
    """What made each failed step of a run fail, in words: a `dg.Failure`'s description
    (e.g. IngestFailed's sources and errors), else the innermost cause of the error (the
    exception raised in civstat's code, not Dagster's wrapper of it). The run's log has the
    tracebacks."""
    out = []
    for event in result.all_events:
        failure = event.step_failure_data if event.is_step_failure else None
        if failure is None:
            continue
        data = failure.user_failure_data
        if data is not None and data.description:
            out.append(data.description.strip())
            continue
        error = failure.error
        while error is not None and error.cause is not None:
            error = error.cause
        if error is not None:
            out.append(error.message.strip())
    return out


def cmd_rollup(args) -> int:
    """Runs the Dagster job civstat_rollup; exit 2 when its gate blocked publishing."""
    from ingest.periods import PeriodError, parse_period
    from orchestration.cli.instance import configure

    interrupts.watch()
    try:  # a period no release can have, refused before any folder is made
        period = parse_period(args.period)
    except PeriodError as e:
        raise UsageError(str(e)) from e
    if WarehouseLayout(args.warehouse).db.exists():  # its releases are the district's own
        raise UsageError(f"这是区县的数据仓库（有 civstat.duckdb），汇总请用另一个文件夹 / "
                         f"{args.warehouse} is a district's warehouse (it holds "
                         "civstat.duckdb): a roll-up publishes into a warehouse of its own")
    _hold_warehouse(args.warehouse)  # one roll-up at a time
    configure(None, args.warehouse)
    config = {"releases": [str(p) for p in args.release], "regions": str(args.regions),
              "warehouse": str(Path(args.warehouse).resolve()), "period": args.period,
              "published_by": args.published_by}
    result = _execute(args, "civstat_rollup", {"ops": {"rollup_releases": {"config": config}}})
    if result.success:
        print(f"已发布 published: {result.output_for_node('rollup_releases')}")
        return EXIT_OK
    link = WarehouseLayout(args.warehouse).published / period.folder_name
    if link.is_symlink() and link.resolve().name == result.run_id:  # failed after its switch
        print(f"已发布 published: {link.resolve()}")
        for line in _failures(result):
            print(f"civstat: 发布后出错 after publishing: {line}", file=sys.stderr)
        return EXIT_OK
    if _interrupted(result):
        raise Interrupted("已中断 interrupted (Ctrl-C); run the same command again to finish")
    for event in result.all_events:
        failure = event.step_failure_data if event.is_step_failure else None
        data = failure and failure.user_failure_data
        if data and "blocked" in (data.metadata or {}):
            print(data.description, file=sys.stderr)
            return EXIT_BLOCKED
    for line in _failures(result) or ["(see the run's log)"]:
        print(f"汇总失败 the roll-up failed: {line}", file=sys.stderr)
    return EXIT_ERROR


def cmd_waive(args) -> int:
    from ingest.periods import PeriodError, parse_period
    from orchestration.quality.gate import GATE_CHECKS
    from orchestration.quality.waivers import WaiverError, check_waiver, record_waiver
    from orchestration.rollup import CHECKS as ROLLUP_CHECKS

    known = set(GATE_CHECKS) | set(ROLLUP_CHECKS)
    try:
        period = parse_period(args.period)
        check_waiver(args.check, args.reason, args.by, known)
    except (PeriodError, WaiverError) as e:
        raise UsageError(str(e)) from e
    layout = WarehouseLayout(args.warehouse)
    # a district's database, or any warehouse's Dagster history (a roll-up's first, blocked
    # run leaves only that): a waiver is for a warehouse that has run
    if not (layout.db.exists() or layout.dagster_home.is_dir() or layout.published.is_dir()):
        raise UsageError(f"{args.warehouse}: 不是数据仓库 no warehouse here (no {layout.db.name}, "
                         "dagster/ nor published/); check --warehouse")
    entry = record_waiver(args.warehouse, period.code, args.check, args.reason, args.by, known)
    print(f"已记录豁免 waiver recorded: {entry['period']} {entry['check']} by {entry['by']}: "
          f"{entry['reason']}")
    _warn_waiver_problems(args.warehouse)
    return EXIT_OK


def _warn_waiver_problems(warehouse: Path) -> None:
    """Name each line of waivers.jsonl that is no waiver (it is skipped, not applied)."""
    from orchestration.quality.waivers import waiver_problems

    for problem in waiver_problems(warehouse):
        print(f"警告 warning: 豁免记录无法读取，已忽略 waiver line skipped: {problem}",
              file=sys.stderr)


def cmd_ui(args) -> int:
    import subprocess

    from orchestration.cli.instance import configure

    _check_inbox(args.inbox)
    configure(args.inbox, args.warehouse)
    _load_defs()  # prepares the dbt manifest when missing
    bin_dir = Path(sys.executable).parent
    target = ["-m", "orchestration.definitions"]
    web = subprocess.Popen([str(bin_dir / "dagster-webserver"), "-h", args.host,
                            "-p", str(args.port), *target])
    daemon = subprocess.Popen([str(bin_dir / "dagster-daemon"), "run", *target])
    print(f"Dagster UI: http://{args.host}:{args.port}  (Ctrl-C to stop)")
    try:
        return web.wait()
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        for p in (web, daemon):
            p.terminate()
        for p in (web, daemon):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def cmd_verify(args) -> int:
    from orchestration.cli.verify import verify_release

    if args.release is not None:
        folder = args.release
    elif args.warehouse is not None and args.period:
        from ingest.periods import PeriodError, parse_period

        try:
            name = parse_period(args.period).folder_name
        except PeriodError as e:
            raise UsageError(str(e)) from e
        folder = WarehouseLayout(args.warehouse).published / name
    else:
        raise UsageError("verify needs --release DIR, or --warehouse DIR --period P")
    if not (folder / "manifest.json").is_file():
        raise UsageError(f"没有找到发布清单 no manifest.json in {folder}")
    checked, problems = verify_release(folder.resolve())
    for line in problems:
        print(f"  ✗ {line}", file=sys.stderr)
    if problems:
        print(f"发布不完整 release NOT intact: {len(problems)} problem(s), {folder}",
              file=sys.stderr)
        return EXIT_ERROR
    print(f"发布完整 release intact: {checked} files match manifest.json ({folder})")
    return EXIT_OK


COMMANDS = {"ui": cmd_ui, "sample": cmd_sample, "prepare": cmd_prepare, "ingest": cmd_ingest,
            "run": cmd_run, "waive": cmd_waive, "rollup": cmd_rollup, "verify": cmd_verify}


def main(argv: list[str] | None = None) -> int:
    from orchestration.runlock import WarehouseBusy

    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except WarehouseBusy as e:
        print(f"civstat: {e}", file=sys.stderr)
        return EXIT_BUSY
    except UsageError as e:
        print(f"civstat: {e}", file=sys.stderr)
        return EXIT_ERROR
    except Interrupted as e:
        print(f"civstat: {e}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:  # outside Dagster's run (it ends a run it interrupts itself)
        print("civstat: 已中断 interrupted (Ctrl-C); run the same command again to finish",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as e:  # noqa: BLE001 - the machine's refusal, else an internal error
        said = _environment_error(e)
        if said:
            if args.debug:
                traceback.print_exc()
            print(f"civstat: {said}", file=sys.stderr)
            return EXIT_ERROR
        # an internal error: a message, the traceback only on --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"civstat: internal error ({type(e).__name__}): {e}\nrerun with --debug for details",
            file=sys.stderr,
        )
        return EXIT_ERROR
    finally:
        while _held_locks:
            _held_locks.pop().__exit__(None, None, None)


if __name__ == "__main__":
    sys.exit(main())


def console_main() -> int:
    """The `civstat` command (pyproject's console script): `main()` on sys.argv, its exit
    code returned for the script's `sys.exit`.

    Before the interpreter ends, every object is frozen out of the garbage collector
    (`gc.freeze`): the end of a run otherwise spent ≈ 1.2 s in the interpreter's last
    collections over Dagster's, dbt's and polars' objects, after the release was out
    (docs/benchmarks.md, "Issue 18, twelfth round"). Nothing is skipped: atexit handlers,
    flushes and every clean-up still run, only those collections find nothing to do."""
    code = main()
    gc.freeze()
    return code
