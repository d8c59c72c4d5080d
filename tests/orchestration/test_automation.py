"""Schedules and the inbox sensor, evaluated with Dagster's build contexts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.defs.resources import Warehouse
from orchestration.defs.schedules import half_year_run, monthly_run
from orchestration.defs.sensors import inbox_sensor

SH = ZoneInfo("Asia/Shanghai")


def evaluate(inbox, cursor=None):
    """(the sensor's result, its cursor after) with the warehouse resource pointed at `inbox`
    (its warehouse beside it, where the sensor keeps the files' hashes)."""
    warehouse = Warehouse(path=str(inbox.parent / "warehouse"), inbox=str(inbox))
    with dg.build_sensor_context(cursor=cursor, resources={"warehouse": warehouse}) as ctx:
        result = inbox_sensor(ctx)
        return result, ctx.cursor


def period_of(request: dg.RunRequest) -> str:
    return request.run_config["resources"]["release_settings"]["config"]["period"]


@pytest.mark.parametrize(
    ("when", "period"),
    [(datetime(2025, 7, 5, 8, tzinfo=SH), "2025-06"), (datetime(2026, 1, 5, 8, tzinfo=SH), "2025-12")],
)
def test_monthly_schedule_reports_the_previous_month(when, period):
    req = monthly_run(dg.build_schedule_context(scheduled_execution_time=when))
    assert period_of(req) == period


@pytest.mark.parametrize(
    ("when", "period"),
    [(datetime(2025, 7, 10, 8, tzinfo=SH), "2025H1"), (datetime(2026, 1, 10, 8, tzinfo=SH), "2025H2")],
)
def test_half_year_schedule(when, period):
    req = half_year_run(dg.build_schedule_context(scheduled_execution_time=when))
    assert period_of(req) == period


def test_schedules_run_in_shanghai_time():
    assert monthly_run.execution_timezone == "Asia/Shanghai"
    assert monthly_run.cron_schedule == "0 8 5 * *"
    assert half_year_run.cron_schedule == "0 8 10 1,7 *"


def test_inbox_sensor_requests_a_run_for_added_or_changed_files(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "dibao_households").mkdir(parents=True)
    (inbox / "not_a_source").mkdir()
    (inbox / "not_a_source" / "x.csv").write_text("a")

    result, cursor = evaluate(inbox)
    assert isinstance(result, dg.SkipReason)  # empty inbox

    f = inbox / "dibao_households" / "jan.csv"
    f.write_text("发放月份\n2025-01\n")
    first, cursor = evaluate(inbox, cursor)
    assert isinstance(first, dg.RunRequest)
    assert len(cursor) < 40  # not the file list: Dagster keeps a cursor with every tick

    result, cursor = evaluate(inbox, cursor)
    assert isinstance(result, dg.SkipReason)  # nothing changed

    f.write_text("发放月份\n2025-02\n")  # same name, new content
    second, cursor = evaluate(inbox, cursor)
    assert isinstance(second, dg.RunRequest) and second.run_key != first.run_key

    # back to the first content: a run again, under a key Dagster has not seen
    f.write_text("发放月份\n2025-01\n")
    third, cursor = evaluate(inbox, cursor)
    assert isinstance(third, dg.RunRequest) and third.run_key not in (first.run_key,
                                                                      second.run_key)
    # a file removed changes the inbox too (the ingest rebuilds its source without it)
    (inbox / "dibao_households" / "feb.csv").write_text("发放月份\n2025-02\n")
    _, cursor = evaluate(inbox, cursor)
    (inbox / "dibao_households" / "feb.csv").unlink()
    removed, cursor = evaluate(inbox, cursor)
    assert isinstance(removed, dg.RunRequest)
    assert removed.tags["civstat/changed_files"] == "1"


def one_file_inbox(tmp_path, text: str):
    """(inbox, its one file veterans/list.csv holding `text`, the sensor's first result and
    cursor)."""
    inbox = tmp_path / "inbox"
    (inbox / "veterans").mkdir(parents=True)
    f = inbox / "veterans" / "list.csv"
    f.write_text(text)
    return (inbox, f, *evaluate(inbox))


def test_a_file_replaced_by_one_of_the_same_size_and_time_is_read_again(tmp_path):
    import os

    inbox, f, _, cursor = one_file_inbox(tmp_path, "姓名\n甲\n")
    st = f.stat()
    new = inbox / "veterans" / ".list.csv.tmp"  # cp -p / rsync -t: new bytes, old times
    new.write_text("姓名\n乙\n")
    os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(new, f)
    result, _ = evaluate(inbox, cursor)
    assert isinstance(result, dg.RunRequest)


def test_inbox_sensor_skips_without_an_inbox(tmp_path):
    assert isinstance(evaluate(tmp_path / "missing")[0], dg.SkipReason)


def test_touching_a_file_without_changing_it_starts_nothing(tmp_path):
    import os

    inbox, f, result, cursor = one_file_inbox(tmp_path, "姓名\n")
    assert isinstance(result, dg.RunRequest)
    os.utime(f, ns=(1, 1))  # new mtime, same bytes: hashed again, found unchanged
    assert isinstance(evaluate(inbox, cursor)[0], dg.SkipReason)


def test_schedule_run_config_is_what_the_job_accepts(defs, tmp_path, monkeypatch):
    monkeypatch.setenv("CIVSTAT_WAREHOUSE", str(tmp_path))
    monkeypatch.setenv("CIVSTAT_INBOX", str(tmp_path))
    req = half_year_run(dg.build_schedule_context(
        scheduled_execution_time=datetime(2025, 7, 10, 8, tzinfo=SH)))
    assert req.run_config == {"resources": {"release_settings": {"config": {
        "period": "2025H1", "published_by": "schedule"}}}}
    dg.validate_run_config(defs.resolve_job_def("civstat_run"), req.run_config)
