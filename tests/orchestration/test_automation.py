"""Schedules and the inbox sensor, evaluated with Dagster's build contexts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.defs.resources import Warehouse
from orchestration.defs.schedules import half_year_run, monthly_run
from orchestration.defs.sensors import inbox_sensor

SH = ZoneInfo("Asia/Shanghai")


def sensor_context(inbox, cursor=None) -> dg.SensorEvaluationContext:
    """The sensor's context with the warehouse resource pointed at `inbox`."""
    warehouse = Warehouse(path=str(inbox.parent / "warehouse"), inbox=str(inbox))
    return dg.build_sensor_context(cursor=cursor, resources={"warehouse": warehouse})


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
    (tmp_path / "dibao_households").mkdir()
    (tmp_path / "not_a_source").mkdir()
    (tmp_path / "not_a_source" / "x.csv").write_text("a")

    ctx = sensor_context(tmp_path)
    assert isinstance(inbox_sensor(ctx), dg.SkipReason)  # empty inbox

    f = tmp_path / "dibao_households" / "jan.csv"
    f.write_text("发放月份\n2025-01\n")
    ctx = sensor_context(tmp_path, ctx.cursor)
    first = inbox_sensor(ctx)
    assert isinstance(first, dg.RunRequest)

    ctx = sensor_context(tmp_path, ctx.cursor)
    assert isinstance(inbox_sensor(ctx), dg.SkipReason)  # nothing changed

    f.write_text("发放月份\n2025-02\n")  # same name, new content
    ctx = sensor_context(tmp_path, ctx.cursor)
    second = inbox_sensor(ctx)
    assert isinstance(second, dg.RunRequest) and second.run_key != first.run_key


def test_inbox_sensor_skips_without_an_inbox(tmp_path):
    assert isinstance(inbox_sensor(sensor_context(tmp_path / "missing")), dg.SkipReason)


def test_touching_a_file_without_changing_it_starts_nothing(tmp_path):
    import os

    (tmp_path / "veterans").mkdir()
    f = tmp_path / "veterans" / "list.csv"
    f.write_text("姓名\n")
    ctx = sensor_context(tmp_path)
    assert isinstance(inbox_sensor(ctx), dg.RunRequest)
    os.utime(f, ns=(1, 1))  # new mtime, same bytes: hashed again, found unchanged
    ctx = sensor_context(tmp_path, ctx.cursor)
    assert isinstance(inbox_sensor(ctx), dg.SkipReason)


def test_schedule_run_config_is_what_the_job_accepts(defs, tmp_path, monkeypatch):
    monkeypatch.setenv("CIVSTAT_WAREHOUSE", str(tmp_path))
    monkeypatch.setenv("CIVSTAT_INBOX", str(tmp_path))
    req = half_year_run(dg.build_schedule_context(
        scheduled_execution_time=datetime(2025, 7, 10, 8, tzinfo=SH)))
    assert req.run_config == {"resources": {"release_settings": {"config": {
        "period": "2025H1", "published_by": "schedule"}}}}
    dg.validate_run_config(defs.resolve_job_def("civstat_run"), req.run_config)
