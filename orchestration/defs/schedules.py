"""When the data team's runs happen (Asia/Shanghai): monthly, at each half-year, and the
季报 on the year-to-date range after each quarter. They run from the first `civstat ui`
(default status RUNNING: the README promises them; the UI can stop each one)."""

from datetime import date

import dagster as dg

from ingest.localtime import SHANGHAI
from ingest.periods import year_to_date_for
from orchestration.defs.jobs import civstat_run
from orchestration.defs.resources import release_run_config

TZ = SHANGHAI.key  # cron times are the bureau's (ingest/localtime.py)


def previous_month(day: date) -> str:
    y, m = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return f"{y:04d}-{m:02d}"


def half_year_for(day: date) -> str:
    """10 July reports H1 of the same year; 10 January reports H2 of the year before."""
    return f"{day.year}H1" if day.month >= 7 else f"{day.year - 1}H2"


def _request(context: dg.ScheduleEvaluationContext, period: str) -> dg.RunRequest:
    return dg.RunRequest(run_key=f"{period}@{context.scheduled_execution_time:%Y%m%d}",
                         run_config=release_run_config(period, "schedule"), tags={"civstat/period": period})


@dg.schedule(job=civstat_run, cron_schedule="0 8 5 * *", execution_timezone=TZ,
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description="每月5日08:00 上月月报 monthly run for the previous month")
def monthly_run(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return _request(context, previous_month(context.scheduled_execution_time.date()))


@dg.schedule(job=civstat_run, cron_schedule="0 8 10 1,7 *", execution_timezone=TZ,
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description="7月10日 上半年; 1月10日 上年下半年 half-year runs")
def half_year_run(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return _request(context, half_year_for(context.scheduled_execution_time.date()))


@dg.schedule(job=civstat_run, cron_schedule="0 8 10 1,4,7,10 *", execution_timezone=TZ,
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description="1/4/7/10月10日 季报: 当年1月至上季度末 the 季报 on the year-to-date range")
def quarterly_run(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return _request(context, year_to_date_for(context.scheduled_execution_time.date()).code)


defs = dg.Definitions(schedules=[monthly_run, half_year_run, quarterly_run])
