"""dbt's debug events skipped when nothing would write them (issue 18, fifteenth round).

dbt fires ≈ 18 debug events per node of a build (each SQL statement, each connection's
use and release, each compiled file). dbt-common's `EventManager.fire_event` turns every
one into its protobuf message and hands it to every logger; the stdout logger, which
dagster-dbt reads at dbt's default level `info`, then writes the event as a JSON line
(`MessageToDict`, `json.dumps`, the secrets scrubbed) before Python's logging drops the
line for its level. With the file log off (`DBT_LOG_LEVEL_FILE=none`, settings.py) no
logger writes a debug event at all: at district ≈ 6 500 of them a build, ≈ 0.3 ms of
dbt's Python each (docs/benchmarks.md, "Issue 18, fifteenth round").

`use_for_dbt()` installs `LoggedEventsOnly` as dbt-common's event manager through its
own hook (`ctx_set_event_manager`, with which dbt's tests install theirs). It skips a
debug- or test-level event when every logger's level is above debug and the only callback
is dbt's usage tracker (which looks at `BehaviorChangeEvent` warnings alone); anything
else, and every event at `info` or above, goes through dbt-common's own `fire_event`
unchanged, so stdout carries the same lines. A logger at debug (`DBT_LOG_LEVEL_FILE=debug`,
`--log-level debug`, `--debug`) or a callback of someone else's (dbt's `dbtRunner`) gets
every event as before.

A debug event is still made before it is fired, and making it (its protobuf message,
`ParseDict` of its fields and its node's) cost ≈ 0.1 ms, ≈ 0.65 s of a district build.
`use_for_dbt()` therefore also makes dbt-common's `DebugLevel` events (the class of all of
them) keep their fields unbuilt while no one would hear them: the message is built when
something first reads or sets a field (`fire_event` when it writes the event, `message()`),
exactly as dbt-common builds it; when a debug logger or a callback would hear it, it is
built at once, as before. One difference: a debug event whose fields do not fit its message
type warns (dbt-common's `Note`; under pytest, raises) only if it is read.

Imported only in dbt's process (cli/dbt_child.py, cli/dbt_ahead.py): it imports dbt.
"""

from __future__ import annotations

from typing import Any

from dbt.tracking import track_behavior_change_warn
from dbt_common.events.base_types import BaseEvent, DebugLevel, EventLevel
from dbt_common.events.event_manager import EventManager
from dbt_common.events.event_manager_client import ctx_set_event_manager, get_event_manager
from dbt_common.events.logger import PRINT_EVENT_NAMES

UNWRITTEN_LEVELS = frozenset({EventLevel.DEBUG, EventLevel.TEST})  # dbt writes both as debug


class LoggedEventsOnly(EventManager):
    """dbt-common's `EventManager`, which skips the debug and test events that none of its
    loggers would write and no callback but dbt's usage tracker would see."""

    def fire_event(self, e: BaseEvent, level: EventLevel | None = None, node: Any = None,
                   force_warn_or_error_handling: bool = False) -> None:
        if (not force_warn_or_error_handling
                and (level or e.level_tag()) in UNWRITTEN_LEVELS
                and type(e).__name__ not in PRINT_EVENT_NAMES  # dbt writes those as errors
                and self.debug_unheard()):
            return
        super().fire_event(e, level, node, force_warn_or_error_handling)

    def debug_unheard(self) -> bool:
        """True when no logger writes debug lines and no callback but dbt's tracker of
        behaviour-change warnings is registered."""
        return (all(logger.level not in UNWRITTEN_LEVELS for logger in self.loggers)
                and all(callback is track_behavior_change_warn for callback in self.callbacks))


UNBUILT = "_civstat_unbuilt"  # an unbuilt debug event's (args, kwargs), in its __dict__


def _debug_event_init(self: BaseEvent, *args: Any, **kwargs: Any) -> None:
    manager = get_event_manager()
    if isinstance(manager, LoggedEventsOnly) and manager.debug_unheard():
        object.__setattr__(self, UNBUILT, (args, kwargs))
    else:
        BaseEvent.__init__(self, *args, **kwargs)


def _build(event: BaseEvent) -> None:
    """The message built from the arguments kept aside; they are let go only once it is
    built (a second thread reading meanwhile builds it too; a build that raised raises
    again at the next read)."""
    pending = vars(event).get(UNBUILT)
    if pending is not None:
        BaseEvent.__init__(event, *pending[0], **pending[1])
        vars(event).pop(UNBUILT, None)


def _debug_event_getattr(self: BaseEvent, key: str) -> Any:
    if UNBUILT in vars(self):
        _build(self)
        return getattr(self, key)
    return BaseEvent.__getattr__(self, key)


def _debug_event_setattr(self: BaseEvent, key: str, value: Any) -> None:
    if key != "pb_msg":  # BaseEvent.__init__ sets it while building
        _build(self)
    BaseEvent.__setattr__(self, key, value)


def dbt_command():
    """dbt's command line (`dbt.cli.main.cli`, reading `sys.argv`, what the `dbt` script
    runs) with `use_for_dbt()` done: what civstat-dbt and dbt's process ahead run."""
    from dbt.cli.main import cli

    use_for_dbt()
    return cli


def use_for_dbt() -> None:
    """Make `LoggedEventsOnly` dbt's event manager in this process, keeping the loggers and
    callbacks already registered, and dbt-common's debug events built when first used (see
    above). Call it before dbt's command runs; idempotent."""
    if DebugLevel.__init__ is not _debug_event_init:
        DebugLevel.__init__ = _debug_event_init
        DebugLevel.__getattr__ = _debug_event_getattr
        DebugLevel.__setattr__ = _debug_event_setattr
    current = get_event_manager()
    if isinstance(current, LoggedEventsOnly):
        return
    manager = LoggedEventsOnly()
    manager.loggers = current.loggers
    manager.callbacks = current.callbacks
    ctx_set_event_manager(manager)
