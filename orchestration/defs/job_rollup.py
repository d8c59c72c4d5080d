"""The job `civstat_rollup`: the city's (or province's) roll-up of its children's releases.

One op around the plain `orchestration.rollup.rollup`, so the 市局's data team sees each
roll-up in the Dagster UI like a district's run. A blocked roll-up fails the run (no retry)
with the reasons; nothing is published then.
"""

import dagster as dg


class RollupConfig(dg.Config):
    releases: list[str]
    regions: str
    warehouse: str
    period: str
    published_by: str = "civstat"


class RollupBlocked(dg.Failure):
    pass


@dg.op(description="Verify each child release, recompute the region's rows, publish.")
def rollup_releases(context: dg.OpExecutionContext, config: RollupConfig) -> str:
    from orchestration import interrupts
    from orchestration.rollup import rollup  # a district's run never needs it

    interrupts.stop_if_requested()  # Ctrl-C while the run started, which Dagster swallows
    out = rollup([*config.releases], config.regions, config.warehouse, config.period,
                 config.published_by, run_id=context.run.run_id)
    for check in out.checks:
        context.log.info(f"{check['name']}: {'通过' if check['passed'] else check['detail']}")
    if out.published is None:
        raise RollupBlocked(
            description="汇总未通过，不发布 the roll-up's gate blocked publishing:\n"
                        + "\n".join(out.refusals),
            metadata={"blocked": True, "refusals": "\n".join(out.refusals)},
            allow_retries=False,
        )
    context.log.info(f"已发布 published {config.period}: {out.published}")
    return str(out.published)


@dg.job(name="civstat_rollup", executor_def=dg.in_process_executor,
        description="Roll the children's releases of one period up into this region's release.")
def civstat_rollup():
    rollup_releases()


defs = dg.Definitions(jobs=[civstat_rollup])
