"""dbt's unwritten debug events skipped (orchestration/cli/dbt_events.py): dbt's loggers get
the same lines as from dbt-common's own event manager, a debug event nobody writes is not
built, and whatever else might see one (a debug logger, another callback, warn-error) does."""

import io
import json
import os
import subprocess
import sys

import pytest
from dbt.tracking import track_behavior_change_warn
from dbt_common.events import base_types as dbt_base_types
from dbt_common.events import event_manager as dbt_event_manager
from dbt_common.events.base_types import DebugLevel, EventLevel
from dbt_common.events.event_manager import EventManager
from dbt_common.events.event_manager_client import ctx_set_event_manager, get_event_manager
from dbt_common.events.logger import LineFormat, LoggerConfig
from dbt_common.events.types import Note, PrintEvent, RetryExternalCall
from dbt_common.exceptions.events import EventCompilationError

from orchestration.cli.dbt_events import LoggedEventsOnly, use_for_dbt


def _manager(cls, level: EventLevel, name: str):
    """A manager of `cls` with dbt's tracker as its callback (as dbt sets it up) and one JSON
    logger at `level` writing to the returned stream (the logger's name is Python logging's:
    one per manager)."""
    stream = io.StringIO()
    manager = cls()
    manager.add_logger(LoggerConfig(name=name, level=level, line_format=LineFormat.Json,
                                    output_stream=stream))
    manager.add_callback(track_behavior_change_warn)
    return manager, stream


def _fire_all(manager) -> None:
    manager.fire_event(RetryExternalCall(attempt=1, max=3))  # a debug event
    manager.fire_event(Note(msg="written"))  # info
    manager.fire_event(Note(msg="debug note"), level=EventLevel.DEBUG)  # dbt's own usage
    manager.fire_event(Note(msg="a warning"), level=EventLevel.WARN)
    manager.fire_event(PrintEvent(msg="printed"), level=EventLevel.DEBUG)  # written as an error


def _lines(stream) -> list[dict]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    for line in lines:
        del line["info"]["ts"]
    return lines


@pytest.mark.parametrize("level", [EventLevel.INFO, EventLevel.DEBUG])
def test_the_lines_written_are_dbt_commons_own(level):
    ours, our_stream = _manager(LoggedEventsOnly, level, f"ours-{level.value}")
    dbts, dbt_stream = _manager(EventManager, level, f"dbts-{level.value}")
    _fire_all(ours)
    _fire_all(dbts)
    assert _lines(our_stream) == _lines(dbt_stream)
    written = [line["info"]["msg"] for line in _lines(our_stream)]
    if level == EventLevel.INFO:
        assert written == ["written", "a warning", "printed"]
    else:  # a debug logger gets every event
        assert written == ["Retrying external call. Attempt: 1 Max attempts: 3", "written",
                           "debug note", "a warning", "printed"]


def test_a_debug_file_log_beside_stdout_gets_every_event():
    # as DBT_LOG_LEVEL_FILE=debug sets dbt up: stdout at info, the file at debug
    ours, our_stdout = _manager(LoggedEventsOnly, EventLevel.INFO, "ours-stdout")
    our_file = io.StringIO()
    ours.add_logger(LoggerConfig(name="ours-file", level=EventLevel.DEBUG,
                                 line_format=LineFormat.Json, output_stream=our_file))
    _fire_all(ours)
    assert [line["info"]["msg"] for line in _lines(our_stdout)] == [
        "written", "a warning", "printed"]
    assert [line["info"]["msg"] for line in _lines(our_file)] == [
        "Retrying external call. Attempt: 1 Max attempts: 3", "written", "debug note",
        "a warning", "printed"]


def test_a_debug_event_nobody_writes_is_not_built(monkeypatch):
    built = []
    real = dbt_event_manager.msg_from_base_event
    monkeypatch.setattr(dbt_event_manager, "msg_from_base_event",
                        lambda e, level=None: built.append(type(e).__name__) or real(e, level))
    ours, _ = _manager(LoggedEventsOnly, EventLevel.INFO, "ours-built")
    _fire_all(ours)
    # the info note, the warning and the print event, not the two debug events
    assert built == ["Note", "Note", "PrintEvent"]


def test_a_callback_of_someone_elses_gets_every_event():
    seen = []
    ours, _ = _manager(LoggedEventsOnly, EventLevel.INFO, "ours-callback")
    ours.add_callback(lambda msg: seen.append(msg.info.msg))
    _fire_all(ours)
    assert seen == ["Retrying external call. Attempt: 1 Max attempts: 3", "written",
                    "debug note", "a warning", "printed"]


def test_warn_error_still_raises_for_a_forced_debug_event():
    ours, _ = _manager(LoggedEventsOnly, EventLevel.INFO, "ours-warn-error")
    ours.warn_error = True
    with pytest.raises(EventCompilationError):
        ours.fire_event(Note(msg="forced"), level=EventLevel.DEBUG,
                        force_warn_or_error_handling=True)


@pytest.fixture
def installed(monkeypatch):
    """`use_for_dbt()` in this test only: dbt's event manager and DebugLevel's methods are
    put back afterwards. Returns `install(level)`, which installs it over a manager with one
    JSON logger at `level` and returns that manager."""
    for name in ("__init__", "__getattr__", "__setattr__"):  # restored (deleted) afterwards
        monkeypatch.setattr(DebugLevel, name, getattr(DebugLevel, name))
    saved = get_event_manager()

    def install(level: EventLevel):
        plain, _ = _manager(EventManager, level, f"installed-{level.value}")
        ctx_set_event_manager(plain)
        use_for_dbt()
        return plain

    yield install
    ctx_set_event_manager(saved)


def test_use_for_dbt_keeps_the_loggers_and_callbacks_and_is_idempotent(installed):
    plain = installed(EventLevel.INFO)
    manager = get_event_manager()
    assert isinstance(manager, LoggedEventsOnly)
    assert manager.loggers is plain.loggers and manager.callbacks is plain.callbacks
    use_for_dbt()
    assert get_event_manager() is manager


@pytest.fixture
def parsed(monkeypatch):
    """The events whose protobuf message dbt-common builds (`ParseDict`), by class name."""
    names = []
    real = dbt_base_types.ParseDict
    monkeypatch.setattr(dbt_base_types, "ParseDict",
                        lambda js, message: names.append(type(message).__name__)
                        or real(js, message))
    return names


def test_a_debug_event_nobody_hears_is_built_when_first_read(installed, parsed):
    installed(EventLevel.INFO)
    event = RetryExternalCall(attempt=2, max=3)
    assert parsed == []
    assert event.message() == "Retrying external call. Attempt: 2 Max attempts: 3"
    assert parsed == ["RetryExternalCall"]
    event.message()
    assert parsed == ["RetryExternalCall"]  # once


def test_an_adapters_debug_event_is_built_when_first_read(installed, parsed):
    # dbt-adapters' events: DebugLevel(dbt-common's DebugLevel, the adapters' BaseEvent)
    from dbt.adapters.events.types import SQLQuery

    installed(EventLevel.INFO)
    event = SQLQuery(conn_name="model.civstat.x", sql="select 1", node_info={})
    assert parsed == []
    assert event.message() == "On model.civstat.x: select 1"
    assert parsed == ["SQLQuery"]


def test_an_unbuilt_debug_event_written_later_is_written_as_dbt_common_writes_it(installed):
    installed(EventLevel.INFO)
    unbuilt = RetryExternalCall(attempt=2, max=3)  # made while nobody hears debug events
    ours, dbts = get_event_manager(), EventManager()
    streams = []
    for manager, name in ((ours, "late-ours"), (dbts, "late-dbts")):
        streams.append(io.StringIO())
        manager.add_logger(LoggerConfig(name=name, level=EventLevel.DEBUG,
                                        line_format=LineFormat.Json, output_stream=streams[-1]))
    ours.fire_event(unbuilt)
    dbts.fire_event(RetryExternalCall(attempt=2, max=3))
    assert _lines(streams[0]) == _lines(streams[1])
    assert [line["info"]["msg"] for line in _lines(streams[0])] == [
        "Retrying external call. Attempt: 2 Max attempts: 3"]


def test_a_debug_event_whose_build_failed_fails_again_when_read_again(installed):
    # dbt-common raises (under pytest; warns elsewhere) when the fields do not fit the
    # message; the arguments stay until a build succeeds
    installed(EventLevel.INFO)
    event = RetryExternalCall(attempt="two", max=3)
    for _ in range(2):
        with pytest.raises(Exception, match="Unable to parse logging event"):
            event.message()


def test_a_field_set_on_an_unbuilt_debug_event_is_kept(installed, parsed):
    installed(EventLevel.INFO)
    event = RetryExternalCall(attempt=2, max=3)
    event.attempt = 5
    assert event.message() == "Retrying external call. Attempt: 5 Max attempts: 3"


def test_a_debug_event_a_logger_hears_is_built_at_once(installed, parsed):
    installed(EventLevel.DEBUG)
    event = RetryExternalCall(attempt=2, max=3)
    assert parsed == ["RetryExternalCall"]
    assert event.message() == "Retrying external call. Attempt: 2 Max attempts: 3"


# dbt's command replaced by one that names the event manager it runs with
NAMES_MANAGER = ("import dbt.cli.main\n"
                 "from dbt_common.events.event_manager_client import get_event_manager\n"
                 "dbt.cli.main.cli = lambda: print(type(get_event_manager()).__name__)\n")


def _without_ahead(**env) -> dict:
    return {**{k: v for k, v in os.environ.items() if k != "CIVSTAT_DBT_AHEAD"}, **env}


def test_civstat_dbt_runs_dbt_with_the_manager(tmp_path):
    script = NAMES_MANAGER + "from orchestration.cli.dbt_child import main; main()"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=_without_ahead(CIVSTAT_WAREHOUSE=str(tmp_path)), timeout=120)
    assert out.stdout.strip() == "LoggedEventsOnly", out.stderr
